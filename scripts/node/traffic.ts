import { execFileSync } from 'child_process';
import { ControlPlane } from '../cluster/control-plane';
import { Check, CheckResult, Outcome, RunningPod, dependencyEnv, runChecksIn } from './checks';
import { AppModel, ModelWorkload, workloadOf } from './model';
import { Workloads } from './workloads';

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Routes served by Traefik, asked from the node (outside every policy) through Traefik's pod: each
 * HTTPRoute's hostnames and path prefixes on its Gateway's listeners must be answered by a pod of
 * the route's backend Service.
 */
export function routeOutcomes(
  cluster: ControlPlane,
  standin: string,
  objects: any[],
  traefikNamespace: string,
  pods: RunningPod[],
  model: AppModel,
): Outcome[] {
  const proxy = JSON.parse(
    cluster.kubectl(['get', 'pods', '-n', traefikNamespace, '-l', 'app.kubernetes.io/name=traefik', '-o', 'json']),
  ).items[0];
  const services = new Map<string, any>(
    objects.filter((o) => o.kind === 'Service').map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]),
  );
  const gateways = new Map<string, any>(
    objects.filter((o) => o.kind === 'Gateway').map((g) => [`${g.metadata.namespace}/${g.metadata.name}`, g]),
  );
  const checks: Array<Check & { backend?: ModelWorkload }> = [];
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    const ns = route.metadata.namespace;
    for (const parent of route.spec.parentRefs ?? []) {
      const gateway = gateways.get(`${parent.namespace ?? ns}/${parent.name}`);
      if (!gateway) continue; // a shared Gateway the platform owns: not on the test node
      for (const listener of gateway.spec.listeners.filter((l: any) => l.protocol === 'HTTP' || l.protocol === 'HTTPS'))
        for (const rule of route.spec.rules ?? [])
          for (const match of rule.matches ?? [{ path: { value: '/' } }])
            for (const host of route.spec.hostnames ?? [listener.hostname ?? 'example.com']) {
              const service = services.get(`${ns}/${rule.backendRefs?.[0]?.name}`);
              checks.push({
                id: `${route.metadata.name}:${listener.name}:${host}${match.path?.value ?? '/'}`,
                kind: listener.protocol === 'HTTPS' ? 'https' : 'http',
                host,
                address: proxy.status.podIP,
                port: String(listener.port),
                path: match.path?.value ?? '/',
                noRedirects: true,
                backend: service ? workloadOf(model, ns, service.spec.selector) : undefined,
              });
            }
    }
  }
  const results: CheckResult[] = JSON.parse(
    `[${execFileSync(standin, ['check'], { input: JSON.stringify(checks), encoding: 'utf8', timeout: 60_000 })
      .trim()
      .split('\n')
      .join(',')}]`,
  );
  return results.map((r, i) => {
    const answered = pods.find((p) => p.name === r.identity?.pod);
    const backend = checks[i].backend;
    const served = r.ok && r.status === 200 && backend !== undefined && answered?.workload === backend;
    return {
      what: `route ${checks[i].id} via Traefik`,
      expected: true,
      actual: served,
      detail: `${r.detail}${r.identity ? `, answered by ${r.identity.pod}` : ''}${backend ? '' : ', backend unknown'}`,
      category: 'route',
    };
  });
}

/** The outcome of watching a service through a rolling update. */
export interface RolloutWatch {
  readonly outcome: Outcome;
}

const WATCH_SEGMENT_MS = 5000;
const ROLLOUT_TIMEOUT_MS = 150_000;

/**
 * Restarts the first Deployment with at least two ready pods that another running pod depends
 * on, and keeps calling it from that consumer, through its dependency env vars, until the
 * rollout is done: every call must succeed (surge, readiness, the preStop pause and the PDB
 * hold), or the service was unavailable during an ordinary update.
 */
export async function rollingUpdate(
  cluster: ControlPlane,
  pods: RunningPod[],
  model: AppModel,
  workloads: Workloads,
  services: Map<string, ModelWorkload>,
): Promise<RolloutWatch | undefined> {
  const deployments = new Map<ModelWorkload, any>();
  for (const w of model.workloads) {
    const items = JSON.parse(
      cluster.kubectlQuiet(['get', 'deployments', '-n', w.namespace, '-o', 'json']) || '{"items":[]}',
    ).items;
    const d = items.find((x: any) =>
      Object.entries(w.selector).every(([k, v]) => x.spec.selector.matchLabels?.[k] === v),
    );
    if (d && (d.status?.readyReplicas ?? 0) >= 2) deployments.set(w, d);
  }
  for (const consumer of pods.filter((p) => p.workload)) {
    const dep = dependencyEnv(consumer.spec.containers[0], services).find((e) => deployments.has(e.provider));
    if (!dep) continue;
    const deployment = deployments.get(dep.provider);
    const what = `${dep.provider.name} through a rolling update, called from ${consumer.name} (${dep.prefix}_HOST)`;
    log(`  rolling update: ${what}`);
    const watch: Check = {
      id: 'watch',
      kind: 'tcp',
      host: `\${${dep.prefix}_HOST}`,
      port: `\${${dep.prefix}_PORT}`,
      durationMs: WATCH_SEGMENT_MS,
      intervalMs: 100,
      timeoutMs: 1000,
    };
    cluster.kubectl([
      'rollout',
      'restart',
      'deployment',
      deployment.metadata.name,
      '-n',
      deployment.metadata.namespace,
    ]);
    const deadline = Date.now() + ROLLOUT_TIMEOUT_MS;
    const failures: string[] = [];
    let segments = 0;
    let done = false;
    while (!done && Date.now() < deadline) {
      done = workloads.rolledOut(deployment.metadata.namespace, deployment.metadata.name);
      const [result] = runChecksIn(cluster, consumer, [watch]);
      segments++;
      if (!result.ok) failures.push(result.detail);
    }
    const detail = done
      ? `${segments} segments of ${WATCH_SEGMENT_MS / 1000}s${failures.length ? `; failures: ${failures.join(' | ')}` : ', every call answered'}`
      : `the rollout did not finish within ${ROLLOUT_TIMEOUT_MS / 1000}s`;
    return {
      outcome: {
        what: `rolling update of ${what}`,
        expected: true,
        actual: done && failures.length === 0,
        detail,
        category: 'rollout',
      },
    };
  }
  log('  rolling update: no Deployment with 2 ready pods and a consumer');
  return undefined;
}
