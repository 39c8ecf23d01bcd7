import { App, Duration, Size } from 'cdk8s';
import {
  AccessMode,
  Dependency,
  EnvVar,
  Exposure,
  LoadBalancerSupport,
  MicroserviceProps,
  MicroserviceSystem,
  PodCount,
  PodSecurityLevel,
  HealthCheck,
  Storage,
  Target,
} from '../lib';
import { problemsOf } from './helpers';

/** Builds an app with system "shop" holding service "api" with `props` on `target`. */
function serviceApp(props: Partial<MicroserviceProps>, target: Target = Target.dockerDesktop(), id = 'api'): () => App {
  return () => {
    const app = new App();
    new MicroserviceSystem(app, 'shop', { target }).addService(id, {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      ...props,
    });
    return app;
  };
}

const noLoadBalancer = Target.custom({
  id: 'bare-metal',
  description: 'no load balancer',
  local: false,
  zones: false,
  storage: {},
  loadBalancer: { support: LoadBalancerSupport.UNSUPPORTED },
  ingress: { className: 'nginx' },
});

// Each case: what is wrong, how to build it, and the complete messages expected.
const cases: Array<[string, () => App, string[]]> = [
  [
    'a service name is not a DNS label',
    serviceApp({}, undefined, 'Api_Service'),
    [
      '[shop/Api_Service] id: received "Api_Service"; allowed: a DNS-1123 label: 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit. Hint: try "api-service"',
    ],
  ],
  [
    'a service name is longer than 63 characters',
    serviceApp({ name: 'a'.repeat(64) }),
    [
      `[shop/api] name: received "${'a'.repeat(64)}"; allowed: a DNS-1123 label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit. Hint: try "${'a'.repeat(63)}"`,
    ],
  ],
  [
    'a service name starts with a digit',
    serviceApp({ name: '1api' }),
    [
      '[shop/api] name: received "1api"; allowed: a name starting with a letter (Service names are DNS-1035 labels). Hint: try "svc-1api"',
    ],
  ],
  [
    'a namespace is not a DNS label',
    () => {
      const app = new App();
      new MicroserviceSystem(app, 'shop', { namespace: 'Shop.Prod' });
      return app;
    },
    [
      '[shop] namespace: received "Shop.Prod"; allowed: a DNS-1123 label: 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit. Hint: try "shop-prod"',
    ],
  ],
  [
    'an image has no tag',
    serviceApp({ image: 'ghcr.io/acme/api' }),
    [
      '[shop/api] image: received "ghcr.io/acme/api"; allowed: an image pinned by a tag other than "latest" (repo:1.4.2) or by a digest (repo@sha256:<64 hex>). Hint: an untagged image means "latest" and changes under you: pin it, e.g. "ghcr.io/acme/api:1.0.0"',
    ],
  ],
  [
    'an image uses latest',
    serviceApp({ image: 'nginx:latest' }),
    [
      '[shop/api] image: received "nginx:latest"; allowed: an image pinned by a tag other than "latest" (repo:1.4.2) or by a digest (repo@sha256:<64 hex>). Hint: a "latest" tag makes rollouts unreproducible and defeats rollbacks: use the release tag or a digest',
    ],
  ],
  [
    'an image digest is malformed',
    serviceApp({ image: 'nginx@sha256:abc' }),
    [
      '[shop/api] image: received "nginx@sha256:abc"; allowed: an image pinned by a tag other than "latest" (repo:1.4.2) or by a digest (repo@sha256:<64 hex>). Hint: a digest is "sha256:" followed by 64 lowercase hex digits; copy it from `docker buildx imagetools inspect`',
    ],
  ],
  [
    'an image repository has uppercase letters',
    serviceApp({ image: 'ghcr.io/Acme/API:1.0' }),
    [
      '[shop/api] image: received "ghcr.io/Acme/API:1.0"; allowed: an image pinned by a tag other than "latest" (repo:1.4.2) or by a digest (repo@sha256:<64 hex>). Hint: the repository part may hold only lowercase letters, digits, ".", "_", "-" and "/"',
    ],
  ],
  [
    'a port is 0',
    serviceApp({ port: 0 }),
    [
      '[shop/api] port: received 0; allowed: an integer from 1 to 65535. Hint: use the port the container listens on, e.g. 8080',
    ],
  ],
  [
    'a port is above 65535',
    serviceApp({ ports: [{ name: 'admin', port: 70000 }] }),
    [
      '[shop/api] ports[0].port: received 70000; allowed: an integer from 1 to 65535. Hint: use the port the container listens on, e.g. 8080',
    ],
  ],
  [
    'a port number is declared twice',
    serviceApp({ ports: [{ name: 'admin', port: 8080 }] }),
    [
      '[shop/api] ports[0].port: received \"8080/TCP\"; allowed: each port number once per protocol (53/TCP and 53/UDP may both appear). Hint: remove the duplicate',
    ],
  ],
  [
    'a port name is declared twice',
    serviceApp({ ports: [{ name: 'http', port: 9090 }] }),
    [
      '[shop/api] ports[0].name: received "http"; allowed: port names unique within the service. Hint: give each port its own name',
    ],
  ],
  [
    'a port name is longer than 15 characters',
    serviceApp({ ports: [{ name: 'metrics-endpoint', port: 9090 }] }),
    [
      '[shop/api] ports[0].name: received "metrics-endpoint"; allowed: an IANA service name: 1-15 lowercase letters, digits or single \'-\', with at least one letter. Hint: use a short protocol name such as "http", "grpc" or "metrics"',
    ],
  ],
  [
    'a probe points at an undeclared port',
    serviceApp({ readiness: HealthCheck.http('/ready', { portName: 'admin' }) }),
    [
      '[shop/api] readiness.portName: received "admin"; allowed: a declared TCP port: http. Hint: TCP and HTTP probes need a TCP port: declare one, or use HealthCheck.command()',
    ],
  ],
  [
    'a probe needs a port the service does not have',
    serviceApp({ port: undefined, healthCheck: HealthCheck.tcp() }),
    [
      '[shop/api] healthCheck.portName: received nothing; allowed: a declared TCP port: none (the service has no TCP ports). Hint: TCP and HTTP probes need a TCP port: declare one, or use HealthCheck.command()',
    ],
  ],
  [
    'a CPU quantity is malformed',
    serviceApp({ resources: { cpu: { request: '100 millicores' } } }),
    [
      '[shop/api] resources.cpu.request: received "100 millicores"; allowed: a Kubernetes quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti. Hint: write it like "250m"',
    ],
  ],
  [
    'a memory quantity is malformed',
    serviceApp({ resources: { memory: { limit: '1GB' } } }),
    [
      '[shop/api] resources.memory.limit: received "1GB"; allowed: a Kubernetes quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti. Hint: write it like "256Mi"',
    ],
  ],
  [
    'a CPU request is above its limit',
    serviceApp({ resources: { cpu: { request: '2', limit: '1' } } }),
    [
      '[shop/api] resources.cpu: received "request 2, limit 1"; allowed: a request no larger than the limit. Hint: raise the limit or lower the request',
    ],
  ],
  [
    'a memory request is above its limit',
    serviceApp({ resources: { memory: { request: '1Gi', limit: '512Mi' } } }),
    [
      '[shop/api] resources.memory: received "request 1Gi, limit 512Mi"; allowed: a request no larger than the limit. Hint: raise the limit or lower the request',
    ],
  ],
  [
    'a CPU request is below the Autopilot minimum',
    serviceApp({ resources: { cpu: { request: '10m' }, memory: { request: '64Mi' } } }, Target.gkeAutopilot()),
    [
      '[shop/api] resources.cpu.request: received "10m"; allowed: at least 50m on target "gke-autopilot". Hint: Autopilot would silently raise it; request "50m" so the manifest says what you get',
    ],
  ],
  [
    'memory per CPU is outside the Autopilot ratio',
    serviceApp(
      { resources: { cpu: { request: '2', limit: '2' }, memory: { request: '512Mi', limit: '512Mi' } } },
      Target.gkeAutopilot(),
    ),
    [
      '[shop/api] resources: received "cpu 2, memory 512Mi"; allowed: between 1 and 6.5 GiB of memory per vCPU on target "gke-autopilot". Hint: for cpu 2 request memory between 2048Mi and 13312Mi',
    ],
  ],
  [
    'minReplicas is above maxReplicas',
    serviceApp({ autoscaling: { minReplicas: 5, maxReplicas: 2 } }),
    [
      '[shop/api] autoscaling: received "minReplicas 5, maxReplicas 2"; allowed: minReplicas ≤ maxReplicas. Hint: swap them or raise maxReplicas',
    ],
  ],
  [
    'replicas are set next to autoscaling',
    serviceApp({ replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 5 } }),
    [
      '[shop/api] replicas: received 3; allowed: no replicas when autoscaling is set (the HPA owns the count). Hint: remove replicas and use autoscaling.minReplicas',
    ],
  ],
  [
    'replicas are negative',
    serviceApp({ replicas: -1 }),
    [
      '[shop/api] replicas: received -1; allowed: an integer ≥ 0. Hint: use 0 to scale the service down, 2 or more for availability',
    ],
  ],
  [
    'an autoscaling target is not a percentage',
    serviceApp({ autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 0 } }),
    [
      '[shop/api] autoscaling.cpuUtilization: received 0; allowed: an integer percentage ≥ 1 of the request (above 100 lets pods use more than they request before scaling). Hint: e.g. 70',
    ],
  ],
  [
    'a disruption budget allows no eviction',
    serviceApp({ disruptionBudget: { maxUnavailable: 0 } }),
    [
      '[shop/api] disruptionBudget: received {"maxUnavailable":0}; allowed: a budget that lets at least one of 2 pods be evicted. Hint: this budget blocks every node drain and cluster upgrade: use maxUnavailable: 1',
    ],
  ],
  [
    'a disruption budget keeps every replica',
    serviceApp({ replicas: 3, disruptionBudget: { minAvailable: 3 } }),
    [
      '[shop/api] disruptionBudget: received {"minAvailable":3}; allowed: a budget that lets at least one of 3 pods be evicted. Hint: this budget blocks every node drain and cluster upgrade: use maxUnavailable: 1',
    ],
  ],
  [
    'a ReadWriteOnce volume has several replicas',
    serviceApp({ replicas: 3, volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })] }),
    [
      '[shop/api] volumes[0].accessMode: received "ReadWriteOnce"; allowed: ReadWriteMany when the pods of a Deployment share the volume (replicas 3). Hint: a ReadWriteOnce volume attaches to one node: use replicas: 1, statefulSet: {} for a volume per pod, or AccessMode.READ_WRITE_MANY',
    ],
  ],
  [
    'a ReadWriteOnce volume is autoscaled',
    serviceApp({
      autoscaling: { minReplicas: 1, maxReplicas: 4 },
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })],
    }),
    [
      '[shop/api] volumes[0].accessMode: received "ReadWriteOnce"; allowed: ReadWriteMany when the pods of a Deployment share the volume (replicas up to 4). Hint: a ReadWriteOnce volume attaches to one node: use replicas: 1, statefulSet: {} for a volume per pod, or AccessMode.READ_WRITE_MANY',
    ],
  ],
  [
    'maxSurge and maxUnavailable are both 0',
    serviceApp({ rollout: { maxSurge: PodCount.absolute(0), maxUnavailable: PodCount.absolute(0) } }),
    [
      '[shop/api] rollout: received "maxSurge 0, maxUnavailable 0"; allowed: maxSurge or maxUnavailable above 0. Hint: a rollout could never start: allow one extra pod (maxSurge: PodCount.absolute(1))',
    ],
  ],
  [
    'progressDeadline is not above minReady',
    serviceApp({ rollout: { minReady: Duration.minutes(2), progressDeadline: Duration.minutes(1) } }),
    [
      '[shop/api] rollout.progressDeadline: received "60s"; allowed: more than minReady (120s). Hint: otherwise every rollout is marked failed before a pod can count as available',
    ],
  ],
  [
    'two volumes share a mount path',
    serviceApp({
      volumes: [Storage.ephemeral('a', { mountPath: '/cache' }), Storage.ephemeral('b', { mountPath: '/cache' })],
    }),
    [
      '[shop/api] volumes[1].mountPath: received "/cache"; allowed: a mount path used once ("/cache" is the same directory). Hint: mount each volume at its own directory',
    ],
  ],
  [
    'a volume is mounted over the /tmp scratch volume',
    serviceApp({ volumes: [Storage.ephemeral('scratch', { mountPath: '/tmp' })] }),
    [
      '[shop/api] volumes[0].mountPath: received "/tmp"; allowed: a mount path used once ("/tmp" is the same directory). Hint: mount each volume at its own directory',
    ],
  ],
  [
    'a mount path is relative',
    serviceApp({ volumes: [Storage.ephemeral('cache', { mountPath: 'cache' })] }),
    ['[shop/api] volumes[0].mountPath: received "cache"; allowed: an absolute path. Hint: use "/cache"'],
  ],
  [
    'a volume is smaller than the target minimum',
    serviceApp(
      { replicas: 1, volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(5) })] },
      Target.gke(),
    ),
    [
      '[shop/api] volumes[0].size: received "5Gi"; allowed: at least 10Gi on target "gke". Hint: the storage backend of gke provisions no smaller volume: ask for Size.gibibytes(10)',
    ],
  ],
  [
    'a ReadWriteMany volume is asked of a target without RWX storage',
    serviceApp(
      {
        volumes: [
          Storage.persistent('shared', {
            mountPath: '/shared',
            size: Size.gibibytes(1),
            accessMode: AccessMode.READ_WRITE_MANY,
          }),
        ],
      },
      Target.kind(),
    ),
    [
      '[shop/api] volumes[0].accessMode: received "ReadWriteMany"; allowed: ReadWriteOnce or ReadWriteOncePod on target "kind" (it has no ReadWriteMany storage). Hint: use ReadWriteOnce with one replica, or pass storageClass / a Target option readWriteManyClass naming a RWX class',
    ],
  ],
  [
    'a dependency names a port the provider does not declare',
    () => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop');
      const db = shop.addService('db', { image: 'postgres:16.4', port: 5432, portName: 'postgres' });
      shop.addService('api', {
        image: 'a/api:1',
        port: 8080,
        dependsOn: [Dependency.on(db, { portName: 'admin' })],
        expose: Exposure.loadBalancer(),
      });
      return app;
    },
    [
      '[shop/api] dependsOn[0].portName: received "admin"; allowed: a port declared by "db": postgres. Hint: "api" calls "db" on a port it does not declare: add it to the provider\'s ports or fix the name',
    ],
  ],
  [
    'a dependency names a service that does not exist',
    () => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop');
      shop.addService('api', {
        image: 'a/api:1',
        port: 8080,
        dependsOn: [Dependency.inNamespace('shop', 'inventory')],
        expose: Exposure.loadBalancer(),
      });
      return app;
    },
    [
      '[shop/api] dependsOn[0]: received "shop/inventory"; allowed: a service of namespace "shop": api. Hint: "api" depends on a service that does not exist: check the name or add the service',
    ],
  ],
  [
    'a dependency names a system that does not exist',
    () => {
      const app = new App();
      new MicroserviceSystem(app, 'shop').addService('api', {
        image: 'a/api:1',
        port: 8080,
        dependsOn: [Dependency.inNamespace('billing', 'ledger')],
        expose: Exposure.loadBalancer(),
      });
      return app;
    },
    [
      '[shop/api] dependsOn[0]: received "billing/ledger"; allowed: a namespace owned by a MicroserviceSystem of this app (shop). Hint: define that system in this app, or use Dependency.external() for a service managed elsewhere',
    ],
  ],
  [
    'an ingress has no host on a target that needs one',
    serviceApp({ expose: Exposure.ingress() }, Target.openshift()),
    [
      '[shop/api] expose.host: received nothing; allowed: a host name on target "openshift" (its router needs one). Hint: pass Exposure.ingress({ host: "shop.apps.example.com" })',
    ],
  ],
  [
    'a LoadBalancer is asked of a target without one',
    serviceApp({ expose: Exposure.loadBalancer() }, noLoadBalancer),
    [
      '[shop/api] expose: received "loadBalancer"; allowed: Exposure.cluster() or Exposure.ingress() on target "bare-metal" (it has no load balancer). Hint: use an Ingress, or install a load balancer implementation and describe it in a custom target',
    ],
  ],
  [
    'an internal LoadBalancer is asked of a target with public ones only',
    serviceApp({ expose: Exposure.loadBalancer({ internal: true }) }, Target.dockerDesktop()),
    [
      '[shop/api] expose.internal: received true; allowed: public load balancers only on target "docker-desktop". Hint: drop internal, or use a target with internal load balancers',
    ],
  ],
  [
    'an exposed port is not declared',
    serviceApp({ expose: Exposure.loadBalancer({ portName: 'admin' }) }),
    [
      '[shop/api] expose.portName: received "admin"; allowed: a declared port: http. Hint: expose a port the service declares',
    ],
  ],
  [
    'an env var name is invalid',
    serviceApp({ env: { 'log=level': EnvVar.fromValue('debug') } }),
    [
      '[shop/api] env.log=level: received "log=level"; allowed: an environment variable name: 1 or more printable ASCII characters other than \'=\'. Hint: try "LOG_LEVEL"',
    ],
  ],
  [
    'an env var collides with dependency wiring',
    () => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop');
      const db = shop.addService('db', { image: 'postgres:16.4', port: 5432 });
      shop.addService('api', {
        image: 'a/api:1',
        port: 8080,
        env: { DB_HOST: EnvVar.fromValue('localhost') },
        dependsOn: [db],
        expose: Exposure.loadBalancer(),
      });
      return app;
    },
    [
      '[shop/api] env: received "DB_HOST"; allowed: unique env var names. Hint: a dependency injects this name: rename your variable or set the dependency\'s envPrefix',
    ],
  ],
  [
    'a Secret is referenced but not declared',
    serviceApp({ env: { TOKEN: EnvVar.fromSecret('api-token', 'token') }, expose: Exposure.loadBalancer() }),
    [
      '[shop/api] env.TOKEN: received "secret api-token"; allowed: a Secret listed in the system\'s secrets or imagePullSecrets (none). Hint: add "api-token" to MicroserviceSystem secrets and provision it (External Secrets, Sealed Secrets or kubectl create secret)',
    ],
  ],
  [
    'two services of a system share a name',
    () => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop');
      shop.addService('api', { image: 'a/api:1', port: 8080, expose: Exposure.loadBalancer() });
      shop.addService('api-v2', { name: 'api', image: 'a/api:2', port: 8080, expose: Exposure.loadBalancer() });
      return app;
    },
    [
      '[shop] services: received "api"; allowed: workload names unique within a system. Hint: shop/api and shop/api-v2 share it: rename one',
    ],
  ],
  [
    'two workloads are added under one id: reported with the rest, not thrown by constructs at once',
    () => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop');
      shop.addService('api', { image: 'a/api:1', port: 8080, expose: Exposure.loadBalancer() });
      shop.addService('api', {
        image: 'a/api:2',
        port: 8080,
        expose: Exposure.loadBalancer(),
        dependsOn: [Dependency.inNamespace('shop', 'nope')],
      });
      return app;
    },
    [
      '[shop] services: received "api"; allowed: workload names unique within a system. Hint: shop/api and shop/api~2 share it: rename one',
      '[shop/api~2] id: received "api"; allowed: an id no other construct in "shop" has. Hint: give each workload its own id (the name prop sets the name its objects get)',
      // Each name once, though two workloads share it.
      '[shop/api~2] dependsOn[0]: received "shop/nope"; allowed: a service of namespace "shop": api. Hint: "api" depends on a service that does not exist: check the name or add the service',
    ],
  ],
  [
    'two systems own one namespace',
    () => {
      const app = new App();
      new MicroserviceSystem(app, 'shop');
      new MicroserviceSystem(app, 'shop-2', { namespace: 'shop' });
      return app;
    },
    [
      '[shop] namespace: received "shop"; allowed: a namespace owned by one system only. Hint: also owned by shop-2: give each system its own namespace',
      '[shop-2] namespace: received "shop"; allowed: a namespace owned by one system only. Hint: also owned by shop: give each system its own namespace',
    ],
  ],
  [
    'a fixed user id is set on OpenShift',
    serviceApp({ security: { runAsUser: 20000 } }, Target.openshift()),
    [
      '[shop/api] security.runAsUser: received 20000; allowed: no fixed id on target "openshift" (it assigns ids from the namespace range). Hint: remove security.runAsUser; the image must run as any uid in group 0',
    ],
  ],
  [
    'a user id is root',
    serviceApp({ security: { runAsUser: 0 } }),
    [
      '[shop/api] security.runAsUser: received 0; allowed: an integer id ≥ 1 (0 is root, which restricted forbids). Hint: use the id the image is built for, e.g. 10001',
    ],
  ],
  [
    'privilege escalation is allowed under restricted',
    serviceApp({ security: { allowPrivilegeEscalation: true } }),
    [
      '[shop/api] security.allowPrivilegeEscalation: received true; allowed: false under Pod Security "restricted". Hint: rebuild the image without setuid binaries, or lower the system\'s podSecurity level for this namespace',
    ],
  ],
  [
    'a capability other than NET_BIND_SERVICE is added under restricted',
    serviceApp({ security: { addCapabilities: ['SYS_ADMIN'] } }),
    [
      '[shop/api] security.addCapabilities: received "SYS_ADMIN"; allowed: only NET_BIND_SERVICE under Pod Security "restricted". Hint: listen on a port above 1024 instead, or lower the system\'s podSecurity level for this namespace',
    ],
  ],
  [
    'a config volume has no files',
    serviceApp({ volumes: [Storage.config('config', { mountPath: '/etc/api', files: {} })] }),
    ['[shop/api] volumes[0].files: received {}; allowed: at least one file. Hint: pass files: { "app.yaml": "…" }'],
  ],
];

describe('synth-time validation catalogue', () => {
  test.each(cases)('fails when %s', (_what, build, expected) => {
    // Services nobody calls get a warning, not an error; everything listed here is an error.
    expect(problemsOf(build)).toEqual(expected);
  });

  test('relaxations pass when the system lowers its Pod Security level', () => {
    const app = new App();
    new MicroserviceSystem(app, 'shop', { podSecurity: PodSecurityLevel.BASELINE }).addService('api', {
      image: 'a/api:1',
      port: 8080,
      security: { allowPrivilegeEscalation: true },
      expose: Exposure.loadBalancer(),
    });
    expect(() => problemsOf(() => app)).toThrow('expected a MsaConfigError, but synthesis succeeded');
  });
});
