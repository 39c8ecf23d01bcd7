import { App, Duration, Size } from 'cdk8s';
import fc from 'fast-check';
import { exampleTarget } from '../../apps/targets';
import {
  Dependency,
  EnvVar,
  Exposure,
  Manifests,
  MicroserviceProps,
  MicroserviceSystem,
  MsaConfigError,
  PodCount,
  HealthCheck,
  PortProtocol,
  ClaimRetention,
  PodManagementPolicy,
  Storage,
  TaintEffect,
  Target,
  Toleration,
  TolerationOperator,
  WorkloadIdentity,
} from '../../lib';
import { fieldPaths } from '../fields/field-paths';
import { coverageOf } from '../fields/field-table';
import { ApiOracle, pool } from './api-oracle';
import { ControlPlane } from './control-plane';
import { buildTools, controlPlaneTools, pinnedKubeVersions, toolDir } from './tools';

/**
 * The differential test of issue #16: props generated across the public API (seeded, bounded,
 * valid but unusual values mixed with invalid ones) are synthesized for every built-in target,
 * and every output the library accepts is created by a strict server-side dry run on the real
 * API server, where a rejection or a warning (Pod Security "restricted" included) fails the run.
 * A failing case is shrunk by fast-check to a minimal one and printed with the server's answer.
 *
 * The other invariant — every input the library rejects but the server would accept is a listed
 * policy — is covered per field by `npm run test:rules-oracle`; here rejections are counted by
 * the prop they name, so a new kind of rejection shows in the summary.
 *
 * Env: DIFF_CASES (default 500), DIFF_SEED (default 26), DIFF_VERSION (default: the first pinned).
 */
const cases = Number(process.env.DIFF_CASES ?? 500);
const seed = Number(process.env.DIFF_SEED ?? 26);
const log = (line: string) => process.stdout.write(`${line}\n`);
const NAMESPACE = 'diff';

const PLURAL: { [kind: string]: string } = {
  Namespace: 'namespaces',
  ServiceAccount: 'serviceaccounts',
  ConfigMap: 'configmaps',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Service: 'services',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets',
  NetworkPolicy: 'networkpolicies',
  Ingress: 'ingresses',
  StorageClass: 'storageclasses',
  Gateway: 'gateways',
  HTTPRoute: 'httproutes',
  GRPCRoute: 'grpcroutes',
  HealthCheckPolicy: 'healthcheckpolicies',
};
const CLUSTER_SCOPED = new Set(['Namespace', 'StorageClass']);

/** The REST collection an object is created in. */
function collectionOf(o: any): string {
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const plural = PLURAL[o.kind];
  if (!plural) throw new Error(`no plural known for kind ${o.kind}`);
  return CLUSTER_SCOPED.has(o.kind) ? `${base}/${plural}` : `${base}/namespaces/${NAMESPACE}/${plural}`;
}

const seconds = (min: number, max: number) => fc.integer({ min, max }).map((s) => Duration.seconds(s));
const probe = fc.oneof(
  fc
    .record({
      path: fc.constantFrom('/', '/healthz', '/ready?full=1', '/a/b'),
      period: seconds(1, 60),
      failureThreshold: fc.integer({ min: 1, max: 10 }),
    })
    .map(({ path: p, ...timing }) => HealthCheck.http(p, timing)),
  seconds(1, 30).map((timeout) => HealthCheck.tcp({ timeout })),
  fc
    .constantFrom(['true'], ['/bin/check', '--quick'], ['pg_isready', '-q'], ['/bin/true'], [], ['', '-x'])
    .map((command) => HealthCheck.command([...command], { initialDelay: Duration.seconds(3) })),
  fc.constant(HealthCheck.grpc()),
);
const quantity = (values: string[]) => fc.constantFrom(...values);
const resources = fc.record(
  {
    cpu: fc.record(
      {
        request: quantity(['1m', '50m', '100m', '0.25', '1e-1', '1', '1500m']),
        limit: quantity(['500m', '1', '2', '2e0', '4']),
      },
      { requiredKeys: [] },
    ),
    memory: fc.record(
      {
        request: quantity(['64Mi', '128Mi', '1Gi', '128M', '1e8', '262144Ki']),
        limit: quantity(['256Mi', '1Gi', '2Gi', '4e9']),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const ports = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('admin', 'dns', 'grpc-api', 'metrics'),
    port: fc.integer({ min: 1, max: 65535 }),
    protocol: fc.constantFrom(PortProtocol.TCP, PortProtocol.UDP),
    appProtocol: fc.option(fc.constantFrom('http', 'grpc', 'h2c', 'https', 'kubernetes.io/ws'), { nil: undefined }),
  }),
  { maxLength: 2, selector: (p) => p.name },
);
const volumes = fc
  .record({
    data: fc.option(
      fc
        .record({ gi: fc.integer({ min: 1, max: 20 }), path: fc.constantFrom('/data', '/var/lib/app') })
        .map((v) => Storage.persistent('data', { mountPath: v.path, size: Size.gibibytes(v.gi) })),
      { nil: undefined },
    ),
    cache: fc.option(
      fc
        .record({ mi: fc.integer({ min: 1, max: 512 }), memory: fc.boolean() })
        .map((v) =>
          Storage.ephemeral('cache', { mountPath: '/cache', sizeLimit: Size.mebibytes(v.mi), inMemory: v.memory }),
        ),
      { nil: undefined },
    ),
    config: fc.option(
      fc
        .dictionary(fc.constantFrom('app.yaml', 'a.conf', '.hidden', 'x_y-z.json'), fc.string(), {
          minKeys: 1,
          maxKeys: 3,
        })
        .map((files) => Storage.config('config', { mountPath: '/etc/app', files })),
      { nil: undefined },
    ),
  })
  .map((v) => [v.data, v.cache, v.config].filter((x): x is Storage => x !== undefined));
const exposure = fc.oneof(
  fc.constant(Exposure.cluster()),
  fc.boolean().map((internal) => Exposure.loadBalancer({ internal })),
  fc
    .constantFrom('shop.example.com', '*.apps.example.com', 'a-b.c.example')
    .map((host) => Exposure.ingress({ host, path: '/' })),
  fc
    .record({
      host: fc.constantFrom('shop.example.com', 'api.example.com'),
      // On a gRPC port, a path is a method match (or refused).
      path: fc.constantFrom(undefined, '/', '/api', '/shop.v1.Catalog', '/shop.v1.Catalog/List'),
    })
    .map(({ host, path }) => Exposure.route({ host, path })),
);
/** Valid values nearly always, an invalid one now and then (the library must refuse it; the server never sees it). */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 24, arbitrary: valid }, { weight: 1, arbitrary: invalid });
// Issue #27's families: tolerations of every operator and effect, label and annotation keys, names.
const effect = fc.constantFrom(
  undefined,
  TaintEffect.NO_SCHEDULE,
  TaintEffect.PREFER_NO_SCHEDULE,
  TaintEffect.NO_EXECUTE,
);
const toleration = mostly<Toleration>(
  fc.oneof(
    fc.record({ key: fc.constantFrom('pool', 'example.com/pool'), value: fc.constantFrom('spot', 'a.b_c'), effect }),
    fc.record({
      key: fc.constantFrom('pool', 'example.com/pool'),
      operator: fc.constant(TolerationOperator.EXISTS),
      effect,
    }),
    fc.record({ operator: fc.constant(TolerationOperator.EXISTS), effect }),
  ),
  fc.constantFrom(
    { value: 'spot' },
    { key: 'pool', operator: TolerationOperator.EXISTS, value: 'spot' },
    { key: 'bad key', value: 'x' },
    { key: 'pool', operator: 'exists' as TolerationOperator },
  ),
);
const labelMap = fc.dictionary(
  mostly(
    fc.constantFrom('team', 'example.com/tier', 'topology.kubernetes.io/zone'),
    fc.constantFrom('Team Name', '-x'),
  ),
  mostly(fc.constantFrom('shop', 'a.b_c-d', ''), fc.constantFrom('a b', 'x'.repeat(64))),
  { minKeys: 1, maxKeys: 2 },
);
const annotationMap = fc.dictionary(
  mostly(fc.constantFrom('owner', 'Example.com/Owner'), fc.constant('a b')),
  fc.string(),
  {
    minKeys: 1,
    maxKeys: 2,
  },
);
const serviceProps: fc.Arbitrary<Partial<MicroserviceProps>> = fc.record(
  {
    image: fc.constantFrom(
      'ghcr.io/acme/api:1.0.0',
      'registry.example.com:5000/team/app:v2.3.4-rc.1',
      `nginx@sha256:${'a'.repeat(64)}`,
      'nginx:1.27.2-alpine',
      'app:latest',
    ),
    // Names at the limits the library's own derived names set: 52 for a StatefulSet (its pods'
    // revision label <name>-<hash>), 55 beside a load balancer (<name>-cluster); fitting, or just not.
    name: fc.option(
      mostly(
        fc.constantFrom('api', `a${'p'.repeat(51)}`),
        fc.constantFrom(`a${'p'.repeat(52)}`, `a${'p'.repeat(55)}`, `a${'p'.repeat(56)}`),
      ),
      {
        nil: undefined,
      },
    ),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    portName: fc.constantFrom('http', 'web', 'grpc', 'h2c-api'),
    ports,
    resources,
    healthCheck: fc.option(probe, { nil: undefined }),
    volumes,
    security: fc.record(
      {
        readOnlyRootFilesystem: fc.boolean(),
        runAsUser: fc.integer({ min: 1, max: 65535 }),
        addCapabilities: fc.constant(['NET_BIND_SERVICE']),
      },
      { requiredKeys: [] },
    ),
    env: fc.dictionary(
      mostly(
        fc.constantFrom('MODE', 'LOG_LEVEL', 'JAVA_OPTS', 'x_y', 'spring.profiles.active', 'LOG-LEVEL', '1ST'),
        fc.constant('A=B'),
      ),
      fc.string().map((v) => EnvVar.fromValue(v)),
      { maxKeys: 3 },
    ),
    expose: exposure,
    sidecars: fc.option(
      fc.constant([
        {
          name: 'proxy',
          image: 'envoyproxy/envoy:v1.31.2',
          ports: [{ name: 'proxy-admin', port: 9901 }],
          healthCheck: HealthCheck.http('/ready'),
        },
      ]),
      { nil: undefined },
    ),
    initContainers: fc.option(fc.constant([{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', args: ['up'] }]), {
      nil: undefined,
    }),
    tolerations: fc.option(fc.array(toleration, { maxLength: 2 }), { nil: undefined }),
    nodeSelector: fc.option(labelMap, { nil: undefined }),
    labels: fc.option(labelMap, { nil: undefined }),
    annotations: fc.option(annotationMap, { nil: undefined }),
    podAnnotations: fc.option(annotationMap, { nil: undefined }),
    priorityClassName: fc.option(mostly(fc.constantFrom('high', 'batch.low'), fc.constantFrom('Bad_Name', '')), {
      nil: undefined,
    }),
    identity: fc.option(
      mostly<WorkloadIdentity>(
        fc.constantFrom(
          { awsRoleArn: 'arn:aws:iam::111111111111:role/api' },
          { gcpServiceAccount: 'api@acme.iam.gserviceaccount.com' },
          { azureClientId: '11111111-2222-3333-4444-555555555555' },
        ),
        fc.constant({ awsRoleArn: 'arn:aws:iam::role/api' }),
      ),
      { nil: undefined },
    ),
    terminationGracePeriod: fc.option(seconds(15, 120), { nil: undefined }),
    preStopDelay: fc.option(seconds(0, 10), { nil: undefined }),
  },
  { requiredKeys: ['image'] },
);
/** How the service scales and rolls out: the combinations the library allows, plus a few it refuses. */
const shape = fc.oneof(
  fc.record(
    {
      replicas: fc.integer({ min: 0, max: 4 }),
      rollout: fc.record(
        {
          maxSurge: fc.oneof(
            fc.integer({ min: 1, max: 300 }).map(PodCount.percent),
            fc.integer({ min: 1, max: 3 }).map(PodCount.absolute),
          ),
          maxUnavailable: fc.integer({ min: 0, max: 2 }).map(PodCount.absolute),
          minReady: seconds(0, 30),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    autoscaling: fc.record({
      minReplicas: fc.integer({ min: 2, max: 3 }),
      maxReplicas: fc.integer({ min: 3, max: 10 }),
      cpuUtilization: fc.integer({ min: 1, max: 250 }),
    }),
  }),
  fc.record(
    {
      statefulSet: fc.record(
        {
          podManagement: fc.constantFrom(PodManagementPolicy.ORDERED_READY, PodManagementPolicy.PARALLEL),
          whenDeleted: fc.constantFrom(ClaimRetention.RETAIN, ClaimRetention.DELETE),
          whenScaled: fc.constantFrom(ClaimRetention.RETAIN, ClaimRetention.DELETE),
        },
        { requiredKeys: [] },
      ),
      replicas: fc.integer({ min: 1, max: 3 }),
      rollout: fc.constant({ minReady: Duration.seconds(5) }),
    },
    { requiredKeys: ['statefulSet'] },
  ),
);
const caseArbitrary = fc.record({
  target: fc.constantFrom(...Target.BUILT_IN_IDS),
  // A ReadWriteOnce volume goes with a StatefulSet or a single replica, as the library requires.
  service: fc.tuple(serviceProps, shape).map(([props, scaling]) => {
    const shared =
      !('statefulSet' in scaling) && ('autoscaling' in scaling || (scaling as { replicas?: number }).replicas !== 1);
    return { ...props, ...scaling, volumes: shared ? props.volumes?.filter((v) => v.name !== 'data') : props.volumes };
  }),
  external: fc.option(
    fc.record({
      port: fc.integer({ min: 1, max: 65535 }),
      cidrs: fc.constantFrom(undefined, ['10.0.0.0/8'], ['2001:db8::/32']),
    }),
    { nil: undefined },
  ),
  cron: fc.option(fc.constantFrom('@hourly', '*/15 * * * MON-FRI', '0 3 1 JAN-MAR *', '@every 1h30m'), {
    nil: undefined,
  }),
});
type Case = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** GKE's controller reads only the class annotation the API server calls deprecated (docs/targets.md). */
function expectedWarning(target: string, message: string): boolean {
  return (
    target.startsWith('gke') &&
    /^accepted with warnings: 299 - "annotation \\"kubernetes.io\/ingress.class\\" is deprecated/.test(message)
  );
}

/** The library's output for a case, or the props it names when it refuses the case. */
function synthesize(c: Case): { objects?: any[]; rejected?: string[] } {
  const app = new App();
  const system = new MicroserviceSystem(app, NAMESPACE, { target: exampleTarget(c.target) });
  const db = system.addService('db', {
    image: 'postgres:16.4-alpine',
    port: 5432,
    portName: 'postgres',
    healthCheck: HealthCheck.command(['pg_isready']),
  });
  const dependsOn = [
    db,
    ...(c.external
      ? [
          Dependency.external('psp', {
            host: 'api.psp.example.com',
            port: c.external.port,
            cidrs: c.external.cidrs ? [...c.external.cidrs] : undefined,
          }),
        ]
      : []),
  ];
  system.addService('api', { image: 'ghcr.io/acme/api:1.0.0', ...c.service, dependsOn } as MicroserviceProps);
  if (c.cron)
    system.addCronJob('report', {
      image: 'ghcr.io/acme/report:1.0.0',
      schedule: c.cron,
      timeZone: 'Europe/Berlin',
      dependsOn: [db],
    });
  try {
    return { objects: Manifests.synthesize(app).systems.flatMap((s) => s.objects) };
  } catch (e) {
    if (!(e instanceof MsaConfigError)) throw e;
    return {
      rejected: e.messages.map((m) =>
        m
          .replace(/^\[[^\]]*\] /, '')
          .split(':')[0]
          .replace(/\[\d+\]/g, '[]'),
      ),
    };
  }
}

async function main(): Promise<number> {
  const version = process.env.DIFF_VERSION ?? pinnedKubeVersions()[0];
  buildTools('etcd', 'kwok', 'gateway-api', version);
  const cluster = new ControlPlane(controlPlaneTools(version));
  try {
    await cluster.start();
    // Routes, and on gke a HealthCheckPolicy beside them.
    cluster.installCrds([toolDir('gateway-api')]);
    // The system's namespace, with its Pod Security labels, exists as a platform would have it.
    const namespace = synthesize({
      target: 'kind',
      service: {} as Case['service'],
      external: undefined,
      cron: undefined,
    }).objects!.find((o) => o.kind === 'Namespace');
    cluster.apply(JSON.stringify(namespace));
    const oracle = new ApiOracle(cluster.kubeconfig);
    const rejections = new Map<string, number>();
    const perTarget = new Map<string, number>();
    let accepted = 0;
    const uncovered = new Set<string>();
    const result = await fc.check(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const { objects, rejected } = synthesize(c);
        if (!objects) {
          for (const prop of new Set(rejected)) rejections.set(prop, (rejections.get(prop) ?? 0) + 1);
          return true;
        }
        accepted++;
        perTarget.set(c.target, (perTarget.get(c.target) ?? 0) + 1);
        // The field coverage table must know every field the generated output holds.
        for (const o of objects) for (const p of fieldPaths(o).keys()) if (!coverageOf(p)) uncovered.add(p);
        const verdicts = await pool(objects, 8, async (o) => ({
          o,
          verdict: await oracle.verdict(collectionOf(o), o),
        }));
        const refused = verdicts.filter((v) => !v.verdict.accepted && !expectedWarning(c.target, v.verdict.message));
        if (refused.length > 0)
          throw new Error(refused.map((v) => `${v.o.kind}/${v.o.metadata.name}: ${v.verdict.message}`).join('\n'));
        return true;
      }),
      { seed, numRuns: cases, endOnFailure: false },
    );
    oracle.close();
    log(
      `\ndifferential test on ${cluster.version}: ${cases} generated cases (seed ${seed}); the library accepted ${accepted}, the server accepted every object of them: ${!result.failed}`,
    );
    log(
      `accepted per target: ${[...perTarget]
        .sort()
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
    log(
      `rejected by the library, by the prop named: ${[...rejections]
        .sort((a, b) => b[1] - a[1])
        .map(([p, n]) => `${p} ${n}`)
        .join(', ')}`,
    );
    log(
      `emitted field paths the coverage table (scripts/fields/field-table.ts) lacks: ${[...uncovered].join(', ') || 'none'}`,
    );
    if (uncovered.size > 0) return 1;
    if (result.failed) {
      log(
        `✗ the server refused output the library accepted; minimal case after ${result.numShrinks} shrinks:\n${JSON.stringify(result.counterexample, null, 2)}\n${result.errorInstance}`,
      );
      return 1;
    }
    return 0;
  } finally {
    cluster.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  },
);
