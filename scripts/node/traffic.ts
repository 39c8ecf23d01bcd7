import { execFileSync } from 'child_process';
import { ControlPlane } from '../cluster/control-plane';
import { Check, CheckResult, Outcome, RunningPod, dependencyEnv, runChecksIn } from './checks';
import { AppModel, ModelWorkload, workloadOf } from './model';
import { Workloads } from './workloads';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** A request through the Gateway and what must answer it. */
interface RouteCheck {
  readonly check: Check;
  /** A pod of this workload answers; undefined: no backend may answer (plain HTTP for a TLS host). */
  readonly backend?: ModelWorkload;
  readonly what: string;
}

/**
 * Routes served by Traefik, asked from the node (outside every policy) through Traefik's pod: each
 * HTTPRoute's hostnames and path prefixes on the listeners it attaches to must be answered by a pod
 * of its backend (gRPC routes: the backend's health service answers SERVING); a rule that
 * redirects must redirect to https. And whatever the routes say, a hostname that has an HTTPS
 * listener must not be served by any backend over plain HTTP.
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
  const address = proxy.status.podIP;
  const services = new Map<string, any>(
    objects.filter((o) => o.kind === 'Service').map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]),
  );
  const gateways = objects.filter((o) => o.kind === 'Gateway');
  const backendOf = (ns: string, rule: any) => {
    const service = services.get(`${ns}/${rule.backendRefs?.[0]?.name}`);
    return service ? workloadOf(model, ns, service.spec.selector) : undefined;
  };
  const checks: RouteCheck[] = [];
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute')) {
    const ns = route.metadata.namespace;
    for (const parent of route.spec.parentRefs ?? []) {
      const gateway = gateways.find(
        (g) => g.metadata.name === parent.name && g.metadata.namespace === (parent.namespace ?? ns),
      );
      if (!gateway) continue; // a shared Gateway the platform owns: not on the test node
      const listeners = gateway.spec.listeners.filter(
        (l: any) =>
          (l.protocol === 'HTTP' || l.protocol === 'HTTPS') && (!parent.sectionName || parent.sectionName === l.name),
      );
      for (const listener of listeners) {
        const secure = listener.protocol === 'HTTPS';
        for (const host of route.spec.hostnames ?? [listener.hostname ?? 'example.com']) {
          if (listener.hostname && listener.hostname !== host) continue;
          const base = { host, address, port: String(listener.port) };
          const where = `${route.kind} ${route.metadata.name} on ${listener.name}: ${host}`;
          for (const rule of route.spec.rules ?? []) {
            if (route.kind === 'GRPCRoute') {
              if (!secure)
                checks.push({
                  check: { id: '', kind: 'grpc', ...base },
                  backend: backendOf(ns, rule),
                  what: `${where} (gRPC health)`,
                });
              continue;
            }
            for (const match of rule.matches ?? [{ path: { value: '/' } }]) {
              const path = match.path?.value ?? '/';
              const redirect = (rule.filters ?? []).find((f: any) => f.type === 'RequestRedirect');
              checks.push({
                check: { id: '', kind: secure ? 'https' : 'http', ...base, path, noRedirects: true },
                backend: redirect ? undefined : backendOf(ns, rule),
                what: `${where}${path}${redirect ? ' (redirect)' : ''}`,
              });
            }
          }
        }
      }
    }
  }
  // Plain HTTP for a hostname one of the Gateway's HTTPS listeners serves: never a backend.
  for (const gateway of gateways) {
    const http = gateway.spec.listeners.find((l: any) => l.protocol === 'HTTP');
    for (const tls of gateway.spec.listeners.filter((l: any) => l.protocol === 'HTTPS' && l.hostname))
      if (http)
        checks.push({
          check: {
            id: '',
            kind: 'http',
            host: tls.hostname,
            address,
            port: String(http.port),
            path: '/',
            noRedirects: true,
          },
          what: `plain HTTP to ${tls.hostname}, which ${gateway.metadata.name}'s ${tls.name} listener serves over TLS`,
        });
  }
  const results: CheckResult[] = execFileSync(standin, ['check'], {
    input: JSON.stringify(checks.map((c, i) => ({ ...c.check, id: String(i) }))),
    encoding: 'utf8',
    timeout: 60_000,
  })
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return results.map((r, i) => {
    const { backend, what, check } = checks[i];
    const answered = pods.find((p) => p.name === r.identity?.pod);
    const redirected =
      r.ok && [301, 302, 307, 308].includes(r.status ?? 0) && (r.location ?? '').startsWith('https://');
    const actual =
      check.kind === 'grpc'
        ? r.ok
        : backend
          ? r.ok && r.status === 200 && answered?.workload === backend
          : !answered && (redirected || !r.ok || (r.status ?? 0) === 404);
    const expectation =
      check.kind === 'grpc' || backend
        ? `served by ${backend?.name ?? 'its backend'}`
        : 'not served: redirected to https or refused';
    return {
      what: `${what} — ${expectation}`,
      expected: true,
      actual,
      detail: `${r.detail}${r.location ? ` → ${r.location}` : ''}${answered ? `, answered by ${answered.name}` : ''}`,
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
      const [result] = await runChecksIn(cluster, consumer, [watch]);
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
