import { ControlPlane } from '../cluster/control-plane';
import { STANDIN_PATH } from './images';
import { declaredPorts } from './pod-specs';
import { AppModel, ModelWorkload, declared, isPublic, workloadOf } from './model';

/** One connection attempt, as the stand-in's `check` mode takes it (scripts/node/standin/check.go). */
export interface Check {
  readonly id: string;
  readonly kind: 'dns' | 'tcp' | 'udp' | 'http' | 'https' | 'grpc';
  readonly host?: string;
  readonly address?: string;
  readonly port?: string;
  readonly path?: string;
  readonly timeoutMs?: number;
  readonly noRedirects?: boolean;
  /** Repeat every `intervalMs` for this long; succeeds only if every attempt does. */
  readonly durationMs?: number;
  readonly intervalMs?: number;
}

/** What the stand-in reports for one check. */
export interface CheckResult {
  readonly id: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly status?: number;
  readonly location?: string;
  readonly identity?: { readonly pod: string; readonly container: string; readonly port: number };
}

/** A running pod as the checks see it. */
export interface RunningPod {
  readonly namespace: string;
  readonly name: string;
  readonly ip: string;
  readonly labels: { [key: string]: string };
  readonly spec: any;
  /** The model workload it belongs to, if any. */
  readonly workload?: ModelWorkload;
}

/** A check's expectation and outcome; a mismatch when they differ. */
export interface Outcome {
  readonly what: string;
  readonly expected: boolean;
  readonly actual: boolean;
  readonly detail: string;
  readonly category: 'dns' | 'dependency' | 'declared' | 'undeclared' | 'route' | 'rollout' | 'control';
}

/** Runs checks from inside a pod (its first container holds the stand-in), in one exec. */
export async function runChecksIn(cluster: ControlPlane, pod: RunningPod, checks: Check[]): Promise<CheckResult[]> {
  if (checks.length === 0) return [];
  const container = pod.spec.containers[0].name;
  const out = await cluster.kubectlAsync(
    ['exec', '-i', '-n', pod.namespace, pod.name, '-c', container, '--', STANDIN_PATH, 'check'],
    JSON.stringify(checks),
  );
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** Running pods of the namespaces, with the workload each belongs to. */
export function runningPods(cluster: ControlPlane, namespaces: string[], model: AppModel): RunningPod[] {
  return namespaces.flatMap((namespace) =>
    JSON.parse(cluster.kubectl(['get', 'pods', '-n', namespace, '-o', 'json']))
      .items.filter((p: any) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
      .map((p: any) => ({
        namespace,
        name: p.metadata.name,
        ip: p.status.podIP,
        labels: p.metadata.labels ?? {},
        spec: p.spec,
        workload: workloadOf(model, namespace, p.metadata.labels ?? {}),
      })),
  );
}

const BLOCKED_TIMEOUT_MS = 2500;

/**
 * From every running pod: cluster DNS answers; each dependency env var pair (`X_HOST`/`X_PORT`
 * naming a Service) resolves and connects, and the pod that answers belongs to the provider; and
 * the matrix: to every other pod, on every port it declares, connect exactly when the model has
 * that edge.
 */
export async function connectivity(
  cluster: ControlPlane,
  pods: RunningPod[],
  model: AppModel,
  services: Map<string, ModelWorkload>,
): Promise<Outcome[]> {
  // Every source at once: a blocked pair costs its timeout, so one pod after another would add them up.
  const perSource = await Promise.all(
    pods.filter((p) => p.workload).map((source) => connectivityFrom(cluster, source, pods, model, services)),
  );
  return perSource.flat();
}

/** The checks of `connectivity` from one pod. */
async function connectivityFrom(
  cluster: ControlPlane,
  source: RunningPod,
  pods: RunningPod[],
  model: AppModel,
  services: Map<string, ModelWorkload>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const checks: Check[] = [{ id: 'dns', kind: 'dns', host: 'kube-dns.kube-system.svc.cluster.local' }];
  const expectations = new Map<string, Omit<Outcome, 'actual' | 'detail'> & { provider?: ModelWorkload }>();
  expectations.set('dns', { what: `${source.name}: cluster DNS`, expected: true, category: 'dns' });
  for (const env of dependencyEnv(source.spec.containers[0], services)) {
    const id = `dep:${env.prefix}`;
    checks.push({
      id,
      kind: env.protocol === 'UDP' ? 'udp' : 'tcp',
      host: `\${${env.prefix}_HOST}`,
      port: `\${${env.prefix}_PORT}`,
    });
    expectations.set(id, {
      what: `${source.name}: ${env.prefix}_HOST:${env.prefix}_PORT (${env.host})`,
      expected: true,
      category: 'dependency',
      provider: env.provider,
    });
    // A StatefulSet's stable pod names: each resolves and connects to that very pod.
    env.podHosts.forEach((host, i) => {
      const podId = `${id}:pod${i}`;
      checks.push({ id: podId, kind: env.protocol === 'UDP' ? 'udp' : 'tcp', host, port: `\${${env.prefix}_PORT}` });
      expectations.set(podId, {
        what: `${source.name}: ${host} from ${env.prefix}_POD_HOSTS`,
        expected: true,
        category: 'dependency',
        provider: env.provider,
      });
    });
  }
  for (const target of pods.filter((p) => p !== source && p.workload)) {
    for (const container of target.spec.containers.concat(
      (target.spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always'),
    )) {
      for (const port of declaredPorts(container)) {
        if (port.protocol === 'SCTP') continue;
        const id = `pair:${target.name}:${port.port}/${port.protocol}`;
        const expected = declared(model, source.workload!, target.workload!, port.port, port.protocol);
        // A port the app exposes through a load balancer is public by declaration: only its declared callers are judged.
        if (!expected && isPublic(model, target.workload!, port.port)) continue;
        checks.push({
          id,
          kind: port.protocol === 'UDP' ? 'udp' : 'tcp',
          address: target.ip,
          port: String(port.port),
          timeoutMs: BLOCKED_TIMEOUT_MS,
        });
        expectations.set(id, {
          what: `${source.name} → ${target.name} ${port.port}/${port.protocol}`,
          expected,
          category: expected ? 'declared' : 'undeclared',
        });
      }
    }
  }
  for (const result of await runChecksIn(cluster, source, checks)) {
    const e = expectations.get(result.id)!;
    let actual = result.ok;
    let detail = result.detail;
    if (e.provider && actual && result.identity) {
      const answered = pods.find((p) => p.name === result.identity!.pod);
      if (answered?.workload !== e.provider) {
        actual = false;
        detail = `answered by ${result.identity.pod}, not a pod of ${e.provider.name}`;
      }
    }
    outcomes.push({ what: e.what, expected: e.expected, actual, detail, category: e.category });
  }
  return outcomes;
}

/** A dependency env var pair of a container that names a Service of the output. */
interface DependencyEnv {
  readonly prefix: string;
  readonly host: string;
  readonly protocol: string;
  readonly provider: ModelWorkload;
  /** Stable pod DNS names from `X_POD_HOSTS` (StatefulSet providers). */
  readonly podHosts: string[];
}

/** `X_HOST`/`X_PORT` pairs whose host is a Service (by DNS name) the model knows. */
export function dependencyEnv(container: any, services: Map<string, ModelWorkload>): DependencyEnv[] {
  const env = new Map<string, any>((container.env ?? []).map((e: any) => [e.name, e]));
  return [...env.values()].flatMap((e): DependencyEnv[] => {
    if (!e.name.endsWith('_HOST') || typeof e.value !== 'string') return [];
    const prefix = e.name.slice(0, -'_HOST'.length);
    const provider = services.get(e.value);
    if (!provider || !env.has(`${prefix}_PORT`)) return [];
    const url = env.get(`${prefix}_URL`)?.value ?? '';
    const podHosts = (env.get(`${prefix}_POD_HOSTS`)?.value ?? '').split(',').filter((h: string) => h !== '');
    return [{ prefix, host: e.value, protocol: url.startsWith('udp:') ? 'UDP' : 'TCP', provider, podHosts }];
  });
}

/** The model workload behind each Service DNS name of the output (`name.namespace.svc.cluster.local`). */
export function servicesByHost(objects: any[], model: AppModel): Map<string, ModelWorkload> {
  const hosts = new Map<string, ModelWorkload>();
  for (const service of objects.filter((o) => o.kind === 'Service' && o.spec?.selector)) {
    const workload = workloadOf(model, service.metadata.namespace, service.spec.selector);
    if (workload) hosts.set(`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`, workload);
  }
  return hosts;
}
