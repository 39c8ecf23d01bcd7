import { ControlPlane } from '../cluster/control-plane';
import { Outcome, RunningPod, runChecksIn } from './checks';
import { declaredPorts } from './pod-specs';
import { AppModel, ModelWorkload, declared, isPublic } from './model';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long kube-router may take to enforce a changed policy. */
const CONVERGE_MS = 30_000;

/**
 * Proof that the connectivity matrix can fail, on the running app: (1) the provider of one declared
 * edge loses its policy's ingress rules, and the edge must stop connecting; (2) an extra policy
 * admits one undeclared pair, and it must connect. Each control that the checks do not notice is
 * a mismatch: a matrix that cannot see a broken policy proves nothing. The output's policies are
 * restored afterwards.
 */
export async function controls(
  cluster: ControlPlane,
  objects: any[],
  pods: RunningPod[],
  model: AppModel,
): Promise<Outcome[]> {
  const podsOf = (w: ModelWorkload) => pods.filter((p) => p.workload === w);
  const outcomes: Outcome[] = [];
  const edge = model.edges.find((e) => podsOf(e.from).length > 0 && podsOf(e.to).length > 0 && policyOf(objects, e.to));
  if (edge) {
    const policy = policyOf(objects, edge.to)!;
    const [source, target] = [podsOf(edge.from)[0], podsOf(edge.to)[0]];
    cluster.kubectl([
      'patch',
      'networkpolicy',
      policy.metadata.name,
      '-n',
      policy.metadata.namespace,
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/spec/ingress"}]',
    ]);
    const blocked = await converge(cluster, source, target, edge.port, edge.protocol, false);
    cluster.kubectl(
      ['apply', '--server-side', '--field-manager=cdk8s-msa', '--force-conflicts', '-f', '-'],
      JSON.stringify(policy),
    );
    outcomes.push({
      what: `control: ${edge.to.name}'s policy without its ingress rules blocks ${source.name} → ${target.name} ${edge.port}`,
      expected: true,
      actual: blocked,
      detail: blocked
        ? 'the matrix saw the edge break'
        : 'the edge still connected: the check cannot see a broken policy',
      category: 'control',
    });
  }
  const pair = undeclaredPair(pods, model);
  if (pair) {
    const { source, target, port } = pair;
    const allow = extraAllow(source, target, port.port, port.protocol);
    cluster.kubectl(['apply', '-f', '-'], allow.map((o) => JSON.stringify(o)).join('\n---\n'));
    const connected = await converge(cluster, source, target, port.port, port.protocol, true);
    for (const o of allow)
      cluster.kubectl(['delete', 'networkpolicy', o.metadata.name, '-n', o.metadata.namespace, '--wait=true']);
    outcomes.push({
      what: `control: an extra policy admitting ${source.name} → ${target.name} ${port.port} lets it connect`,
      expected: true,
      actual: connected,
      detail: connected ? 'the matrix saw the extra edge' : 'it stayed blocked: the check cannot see an open port',
      category: 'control',
    });
  }
  return outcomes;
}

/** The NetworkPolicy of the output that selects exactly a workload's pods. */
function policyOf(objects: any[], w: ModelWorkload): any {
  return objects.find(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      o.metadata.namespace === w.namespace &&
      sameLabels(o.spec.podSelector?.matchLabels ?? {}, w.selector),
  );
}

function sameLabels(a: { [key: string]: string }, b: { [key: string]: string }): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
}

/** The first pair of running pods with a declared TCP port between them that the model does not allow. */
function undeclaredPair(pods: RunningPod[], model: AppModel) {
  for (const source of pods.filter((p) => p.workload))
    for (const target of pods.filter((p) => p.workload && p.workload !== source.workload))
      for (const port of target.spec.containers.flatMap(declaredPorts))
        if (
          port.protocol === 'TCP' &&
          !declared(model, source.workload!, target.workload!, port.port, port.protocol) &&
          !isPublic(model, target.workload!, port.port)
        )
          return { source, target, port };
  return undefined;
}

/** Polls until the pair's connection succeeds (`want` true) or fails (`want` false), within CONVERGE_MS. */
async function converge(
  cluster: ControlPlane,
  source: RunningPod,
  target: RunningPod,
  port: number,
  protocol: string,
  want: boolean,
): Promise<boolean> {
  const deadline = Date.now() + CONVERGE_MS;
  for (;;) {
    const [result] = await runChecksIn(cluster, source, [
      {
        id: 'control',
        kind: protocol === 'UDP' ? 'udp' : 'tcp',
        address: target.ip,
        port: String(port),
        timeoutMs: 2000,
      },
    ]);
    if (result.ok === want || Date.now() > deadline) return result.ok === want;
    await sleep(1000);
  }
}

/** Policies admitting source's pods to target's pods on a port: egress on one side, ingress on the other. */
function extraAllow(source: RunningPod, target: RunningPod, port: number, protocol: string): any[] {
  const select = (p: RunningPod) => ({ matchLabels: p.workload!.selector });
  const peer = (p: RunningPod) => ({
    podSelector: select(p),
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
  });
  const policy = (name: string, namespace: string, spec: any) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  });
  return [
    policy('test-control-egress', source.namespace, {
      podSelector: select(source),
      policyTypes: ['Egress'],
      egress: [{ to: [peer(target)], ports: [{ port, protocol }] }],
    }),
    policy('test-control-ingress', target.namespace, {
      podSelector: select(target),
      policyTypes: ['Ingress'],
      ingress: [{ from: [peer(source)], ports: [{ port, protocol }] }],
    }),
  ];
}
