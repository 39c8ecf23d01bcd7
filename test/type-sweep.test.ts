import { App, Duration, Size } from 'cdk8s';
import {
  AccessMode,
  ClaimRetention,
  ConcurrencyPolicy,
  Dependency,
  EnvFrom,
  EnvVar,
  Exposure,
  GatewayReference,
  HealthCheck,
  JobRestartPolicy,
  Manifests,
  MicroserviceSystem,
  MsaConfigError,
  PodManagementPolicy,
  PortProtocol,
  Storage,
  TaintEffect,
  Target,
  TolerationOperator,
} from '../lib';

/**
 * Issue #27's type sweep: wrong JavaScript types anywhere in the public API, as deep as the
 * library reads them, are MsaConfigErrors naming the prop, never a crash.
 */

/** Runs `build`; returns the messages of the MsaConfigError, or fails on a crash or a clean synth. */
function messagesOf(build: (app: App) => void): string[] {
  const app = new App();
  try {
    build(app);
    Manifests.synthesize(app);
  } catch (e) {
    if (e instanceof MsaConfigError) return e.messages;
    throw new Error(`crashed: ${(e as Error).stack}`);
  }
  return [];
}

const image = 'ghcr.io/acme/api:1.0.0';
const system = (app: App, props: object = {}) =>
  new MicroserviceSystem(app, 'shop', { target: Target.kind(), secrets: ['db'], configMaps: ['settings'], ...props });

/** A service whose props reach every nested value the library reads. */
const richService = () => ({
  image,
  port: 8080,
  portName: 'http',
  ports: [{ name: 'admin', port: 9000, protocol: PortProtocol.TCP, appProtocol: 'http', scheme: 'http' }],
  command: ['/app'],
  args: ['--serve'],
  resources: { cpu: { request: '100m', limit: '1' }, memory: { request: '128Mi', limit: '256Mi' } },
  env: { MODE: EnvVar.fromValue('prod'), TOKEN: EnvVar.fromSecret('db', 'token') },
  envFrom: [EnvFrom.configMap('settings', 'S_')],
  volumes: [
    Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1), accessMode: AccessMode.READ_WRITE_ONCE }),
    Storage.ephemeral('cache', { mountPath: '/cache', sizeLimit: Size.mebibytes(64) }),
    Storage.config('conf', { mountPath: '/etc/app', files: { 'app.yaml': 'a: 1' } }),
  ],
  sidecars: [
    {
      name: 'proxy',
      image: 'envoyproxy/envoy:v1.31.2',
      ports: [{ name: 'proxy', port: 9901 }],
      healthCheck: HealthCheck.http('/ready', { period: Duration.seconds(5) }),
      volumeMounts: [{ volume: 'cache', mountPath: '/c' }],
      security: { readOnlyRootFilesystem: true },
    },
  ],
  initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', args: ['up'] }],
  security: { runAsUser: 10001, addCapabilities: ['NET_BIND_SERVICE'] },
  dependsOn: [Dependency.external('psp', { host: 'api.psp.example.com', port: 443, cidrs: ['10.0.0.0/8'] })],
  identity: { awsRoleArn: 'arn:aws:iam::111111111111:role/api' },
  tolerations: [{ key: 'pool', operator: TolerationOperator.EQUAL, value: 'spot', effect: TaintEffect.NO_SCHEDULE }],
  nodeSelector: { pool: 'general' },
  labels: { team: 'shop' },
  annotations: { 'example.com/owner': 'shop' },
  podAnnotations: { 'example.com/scrape': 'true' },
  healthCheck: HealthCheck.http('/healthz', { timeout: Duration.seconds(2), failureThreshold: 3 }),
  liveness: HealthCheck.tcp({ portName: 'http' }),
  statefulSet: {
    podManagement: PodManagementPolicy.PARALLEL,
    whenDeleted: ClaimRetention.DELETE,
    whenScaled: ClaimRetention.RETAIN,
    peerPorts: ['admin'],
  },
  replicas: 3,
  rollout: { minReady: Duration.seconds(5) },
  disruptionBudget: { maxUnavailable: 1 },
  expose: Exposure.route({
    host: 'shop.example.com',
    path: '/',
    gateway: GatewayReference.shared({ name: 'edge', namespace: 'gateways' }),
  }),
  alsoExpose: [Exposure.loadBalancer({ portName: 'admin', internal: false })],
  preStopDelay: Duration.seconds(5),
  terminationGracePeriod: Duration.seconds(30),
});

const richCronJob = () => ({
  image,
  schedule: '0 3 * * *',
  timeZone: 'Europe/Berlin',
  concurrencyPolicy: ConcurrencyPolicy.FORBID,
  restartPolicy: JobRestartPolicy.ON_FAILURE,
  backoffLimit: 2,
  activeDeadline: Duration.minutes(30),
  successfulJobsHistory: 3,
  failedJobsHistory: 1,
  startingDeadline: Duration.minutes(5),
  suspend: false,
});

/** A copy of `value` with `path` set to `wrong`; class instances stay instances of their class. */
function withValueAt(value: any, path: Array<string | number>, wrong: unknown): any {
  if (path.length === 0) return wrong;
  const copy = Array.isArray(value) ? [...value] : Object.assign(Object.create(Object.getPrototypeOf(value)), value);
  copy[path[0]] = withValueAt(value[path[0]], path.slice(1), wrong);
  return copy;
}

/** Fields the factories set, which no caller writes: a value's kind, a Target's profile, a probe's copy of its options. */
const INTERNAL = new Set(['kind', 'source', 'props', 'object', 'provider']);
const TIMING = new Set(['period', 'timeout', 'failureThreshold', 'initialDelay']);

/** Every path to a set plain value (string, number, boolean, Size, Duration) or to an array entry. */
function pathsOf(value: any, path: Array<string | number> = []): Array<Array<string | number>> {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object') return [path];
  if (typeof value.toMilliseconds === 'function' || typeof value.toKibibytes === 'function') return [path];
  if (typeof value.isZero === 'function') return [path];
  return [
    ...(path.length > 0 ? [path] : []),
    ...Object.keys(value)
      .filter((k) => !INTERNAL.has(k) && (path[path.length - 1] !== 'timing' || TIMING.has(k)))
      .flatMap((k) => pathsOf(value[k], [...path, Array.isArray(value) ? Number(k) : k])),
  ];
}

/** Values of another type than `value`'s, and the holes JavaScript allows. */
function wrongFor(value: unknown): unknown[] {
  const other = typeof value === 'string' ? 42 : 'forty-two';
  return [other, null, ...(Array.isArray(value) ? ['x', [undefined]] : [])];
}

describe('a wrong JavaScript type at any depth is a problem naming its prop, never a crash', () => {
  const base = richService();
  test('the rich props are valid (the sweep starts from accepted input)', () => {
    expect(messagesOf((app) => system(app, { target: Target.eks() }).addService('api', base as any))).toEqual([]);
  });

  const cases = pathsOf(base).flatMap((path) =>
    wrongFor(path.reduce((v: any, k) => v[k], base)).map((wrong) => ({ path, wrong })),
  );
  test.each(cases.map((c) => [c.path.join('.'), JSON.stringify(c.wrong) ?? 'undefined', c] as const))(
    'addService: %s = %s',
    (_p, _w, { path, wrong }) => {
      const messages = messagesOf((app) =>
        system(app, { target: Target.eks() }).addService('api', withValueAt(base, path, wrong) as any),
      );
      expect(messages.length).toBeGreaterThan(0);
      // The message names the top-level prop the wrong value sits in.
      expect(messages.join('\n')).toContain(`] ${path[0]}`);
    },
  );

  const cron = richCronJob();
  test.each(
    pathsOf(cron).flatMap((path) =>
      wrongFor(path.reduce((v: any, k) => v[k], cron)).map((wrong) => [path.join('.'), wrong, path] as const),
    ),
  )('addCronJob: %s = %j', (_p, wrong, path) => {
    const messages = messagesOf((app) => system(app).addCronJob('report', withValueAt(cron, path as any, wrong)));
    expect(messages.join('\n')).toContain(`] ${path[0]}`);
  });

  const systemProps = {
    namespace: 'shop',
    name: 'shop',
    target: Target.kind(),
    secrets: ['db'],
    imagePullSecrets: ['ghcr'],
    configMaps: ['settings'],
    labels: { team: 'shop' },
    createNamespace: true,
  };
  test.each(
    pathsOf(systemProps)
      .filter((path) => path[0] !== 'target' || path.length === 1) // a Target's options have a sweep of their own
      .flatMap((path) =>
        wrongFor(path.reduce((v: any, k) => v[k], systemProps)).map((wrong) => [path.join('.'), wrong, path] as const),
      ),
  )('MicroserviceSystem: %s = %j', (_p, wrong, path) => {
    const messages = messagesOf((app) => {
      new MicroserviceSystem(app, 'shop', withValueAt(systemProps, path as any, wrong)).addService('api', {
        image,
        port: 8080,
      });
    });
    expect(messages.join('\n')).toContain(`] ${path[0]}`);
  });
});

describe('entry points beside the props', () => {
  const api = (app: App) => system(app).addService('api', { image, port: 8080 });
  test.each([
    ['addEnv(5, …)', (app: App) => api(app).addEnv(5 as any, EnvVar.fromValue('x')), 'addEnv(name)'],
    ['addEnv(name, undefined)', (app: App) => api(app).addEnv('A', undefined as any), 'env.A'],
    ['addEnv(name, "x")', (app: App) => api(app).addEnv('A', 'x' as any), 'env.A'],
    ['addVolume(undefined)', (app: App) => api(app).addVolume(undefined as any), 'volumes[0]'],
    ['addVolume({})', (app: App) => api(app).addVolume({} as any), 'volumes[0]'],
    ['addDependency("db")', (app: App) => api(app).addDependency('db' as any), 'addDependency(dependency)'],
    ['addSidecar(undefined)', (app: App) => api(app).addSidecar(undefined as any), 'sidecars[0]'],
    ['addSidecar({})', (app: App) => api(app).addSidecar({} as any), 'sidecars[0].name'],
    ['addInitContainer("x")', (app: App) => api(app).addInitContainer('x' as any), 'initContainers[0]'],
    ['addService(5, …)', (app: App) => system(app).addService(5 as any, { image, port: 8080 }), 'id'],
    ['addService(id, undefined)', (app: App) => system(app).addService('b', undefined as any), 'props'],
    ['addJob(id, "x")', (app: App) => system(app).addJob('j', 'x' as any), 'props'],
    ['a string target', (app: App) => new MicroserviceSystem(app, 'shop', { target: 'eks' as any }), 'target'],
  ])('%s', (_label, build, prop) => {
    expect(messagesOf(build).join('\n')).toContain(`] ${prop}: received`);
  });
});

describe("a Target's options", () => {
  const options = {
    storageClass: 'fast',
    readWriteManyClass: 'shared',
    provisionStorageClass: false,
    ingressClass: 'traefik',
    ingressControllerNamespace: 'traefik',
    internalIngressClass: 'traefik-internal',
    gatewayClass: 'eg',
    internalGatewayClass: 'eg-internal',
    gatewayProxyNamespace: 'envoy-gateway-system',
    gatewayListenerPorts: { http: 8000, https: 8443 },
    internalByDefault: false,
    clusterDomain: 'cluster.local',
  };
  test.each(
    pathsOf(options).flatMap((path) =>
      wrongFor(path.reduce((v: any, k) => v[k], options)).map((wrong) => [path.join('.'), wrong, path] as const),
    ),
  )('Target.kind: %s = %j', (_p, wrong, path) => {
    const messages = messagesOf((app) => {
      new MicroserviceSystem(app, 'shop', { target: Target.kind(withValueAt(options, path as any, wrong)) }).addService(
        'api',
        { image, port: 8080 },
      );
    });
    expect(messages.join('\n')).toContain(`] target.${path[0]}`);
  });
});
