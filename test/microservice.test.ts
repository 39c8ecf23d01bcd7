import { App, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessMode,
  Dependency,
  EnvFrom,
  EnvVar,
  Exposure,
  Manifests,
  MicroserviceSystem,
  PodCount,
  HealthCheck,
  Storage,
  Target,
} from '../lib';
import { find, newSystem, objectsOf, oneService } from './helpers';

describe('Microservice defaults', () => {
  const objects = oneService();
  const deployment = find(objects, 'Deployment', 'api');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  test('creates the bundle: ServiceAccount, Service, Deployment, PDB, NetworkPolicy', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop',
      'ServiceAccount/api',
      'Service/api',
      'Deployment/api',
      'PodDisruptionBudget/api',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/api',
    ]);
  });

  test('pod meets Pod Security "restricted"', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('read-only root filesystem comes with a writable /tmp', () => {
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('service account token is not mounted', () => {
    expect(find(objects, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
  });

  test('probes default to TCP on the main port with role-specific timing; no liveness repeating readiness', () => {
    expect(container.startupProbe).toEqual({
      tcpSocket: { port: 'http' },
      periodSeconds: 2,
      timeoutSeconds: 2,
      failureThreshold: 60,
    });
    expect(container.readinessProbe).toEqual({
      tcpSocket: { port: 'http' },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 2,
    });
    expect(container.livenessProbe).toBeUndefined();
  });

  test('an HTTP health check gets a TCP liveness probe, distinct from readiness, and a startup probe that asks what liveness asks', () => {
    const c = find(oneService({ healthCheck: HealthCheck.http('/healthz') }), 'Deployment', 'api').spec.template.spec
      .containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.livenessProbe).toEqual({
      tcpSocket: { port: 'http' },
      periodSeconds: 20,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
    // A readiness check that follows a dependency must not decide whether a starting pod is killed.
    expect(c.startupProbe).toEqual({
      tcpSocket: { port: 'http' },
      periodSeconds: 2,
      timeoutSeconds: 2,
      failureThreshold: 60,
    });
  });

  test('the startup probe follows a liveness check of your own; an explicit startup check wins', () => {
    const containerOf = (props: object) =>
      find(oneService({ healthCheck: HealthCheck.http('/ready'), ...props }), 'Deployment', 'api').spec.template.spec
        .containers[0];
    expect(containerOf({ liveness: HealthCheck.http('/livez') }).startupProbe.httpGet).toEqual({
      path: '/livez',
      port: 'http',
    });
    expect(containerOf({ startup: HealthCheck.http('/started') }).startupProbe.httpGet).toEqual({
      path: '/started',
      port: 'http',
    });
    // With startup timing: a liveness threshold of 3 would leave 6 s to start. Its timeout stays.
    const timed = containerOf({
      liveness: HealthCheck.http('/livez', {
        failureThreshold: 3,
        period: Duration.seconds(30),
        timeout: Duration.seconds(5),
      }),
    });
    expect(timed.livenessProbe).toMatchObject({ failureThreshold: 3, periodSeconds: 30, timeoutSeconds: 5 });
    expect(timed.startupProbe).toEqual({
      httpGet: { path: '/livez', port: 'http' },
      periodSeconds: 2,
      timeoutSeconds: 5,
      failureThreshold: 60,
    });
  });

  test("a sidecar's startup probe follows its liveness check too", () => {
    const sidecarOf = (sidecar: object) =>
      find(
        oneService({
          sidecars: [
            { name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', ports: [{ name: 'admin', port: 9901 }], ...sidecar },
          ],
        }),
        'Deployment',
        'api',
      ).spec.template.spec.initContainers[0];
    const ready = HealthCheck.http('/ready', { portName: 'admin' });
    expect(sidecarOf({ healthCheck: ready }).startupProbe.httpGet.path).toBe('/ready');
    const withLiveness = sidecarOf({ healthCheck: ready, liveness: HealthCheck.tcp({ portName: 'admin' }) });
    expect(withLiveness.readinessProbe.httpGet.path).toBe('/ready');
    expect(withLiveness.startupProbe.tcpSocket).toEqual({ port: 'admin' });
  });

  test('an HTTP check of a port dependents call with https:// asks over HTTPS (kubelet asks HTTP by default)', () => {
    const containerOf = (props: object) =>
      find(oneService({ port: undefined, ...props }), 'Deployment', 'api').spec.template.spec.containers[0];
    const named = containerOf({
      ports: [{ name: 'https', port: 8443 }],
      healthCheck: HealthCheck.http('/healthz', { portName: 'https' }),
      liveness: HealthCheck.http('/livez'),
    });
    for (const probe of [named.readinessProbe, named.startupProbe, named.livenessProbe])
      expect(probe.httpGet).toEqual(expect.objectContaining({ port: 'https', scheme: 'HTTPS' }));
    const byProtocol = containerOf({
      ports: [
        { name: 'web', port: 8443, appProtocol: 'https' },
        { name: 'admin', port: 9000 },
      ],
      healthCheck: HealthCheck.http('/ready', { portName: 'admin' }),
      liveness: HealthCheck.http('/livez', { portName: 'web' }),
    });
    expect(byProtocol.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'web', scheme: 'HTTPS' });
    // A plain port keeps kubelet's default.
    expect(byProtocol.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'admin' });
  });

  test('pods prefer distinct nodes (anti-affinity) when there are several', () => {
    expect(pod.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
              topologyKey: 'kubernetes.io/hostname',
            },
          },
        ],
      },
    });
  });

  test('small resource defaults, with ephemeral storage', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '512Mi' },
    });
  });

  test('an unset limit is raised to a larger request', () => {
    const resources = find(oneService({ resources: { memory: { request: '1Gi' } } }), 'Deployment', 'api').spec.template
      .spec.containers[0].resources;
    expect([resources.requests.memory, resources.limits.memory]).toEqual(['1Gi', '1Gi']);
  });

  test('two replicas, a PDB allowing one eviction (an unhealthy pod always), rolling update without unavailability', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'api').spec).toEqual({
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
    });
    expect(deployment.spec.progressDeadlineSeconds).toBe(600);
  });

  test('spreads pods across hostnames without blocking scheduling', () => {
    expect(pod.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
        matchLabelKeys: ['pod-template-hash'],
      },
    ]);
  });

  test('recommended labels on every object of the service', () => {
    for (const o of objects.filter((x) => x.metadata.name === 'api')) {
      expect(o.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'api',
        'app.kubernetes.io/instance': 'shop-api',
        'app.kubernetes.io/version': '1.0.0',
        'app.kubernetes.io/component': 'service',
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'cdk8s-msa',
      });
    }
  });

  test('Service has a readable name, named target port and no externalIPs', () => {
    const service = find(objects, 'Service', 'api');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: deployment.spec.selector.matchLabels,
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test('linux nodes only; no service links', () => {
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.enableServiceLinks).toBe(false);
  });
});

describe('Microservice behaviour', () => {
  test('selector ignores construct ids and paths: renaming the id with a fixed name keeps it', () => {
    const selectorOf = (id: string) => {
      const { system } = newSystem();
      return system.addService(id, { name: 'catalog', image: 'a/b:1', port: 80 }).controller.toJson().spec.selector;
    };
    expect(selectorOf('Catalog')).toEqual(selectorOf('CatalogV2'));
    expect(selectorOf('Catalog')).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'catalog', 'app.kubernetes.io/instance': 'shop-catalog' },
    });
  });

  test('autoscaling leaves replicas to the HPA', () => {
    const objects = oneService({
      autoscaling: { minReplicas: 2, maxReplicas: 10, memoryUtilization: 80, cpuUtilization: 60 },
    });
    expect(find(objects, 'Deployment', 'api').spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'api').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 }, scaleUp: { stabilizationWindowSeconds: 0 } },
    });
  });

  test('autoscaling defaults to a 70% CPU target', () => {
    const hpa = find(oneService({ autoscaling: { minReplicas: 2, maxReplicas: 4 } }), 'HorizontalPodAutoscaler', 'api');
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
  });

  test('rollout settings reach the Deployment', () => {
    const spec = find(
      oneService({
        rollout: {
          maxSurge: PodCount.absolute(2),
          maxUnavailable: PodCount.absolute(1),
          minReady: Duration.seconds(10),
          progressDeadline: Duration.minutes(5),
        },
      }),
      'Deployment',
      'api',
    ).spec;
    expect(spec.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: 1 });
    expect(spec.minReadySeconds).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(300);
  });

  test('a ReadWriteOnce volume means one replica, replaced before its successor starts', () => {
    const objects = oneService({
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(5) })],
    });
    const spec = find(objects, 'Deployment', 'api').spec;
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(spec.template.spec.affinity).toBeUndefined();
    expect(find(objects, 'PersistentVolumeClaim', 'api-data').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
    });
    expect(spec.template.spec.volumes[1]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'api-data' } });
  });

  test('ReadWriteMany volumes keep rolling updates and replicas', () => {
    const objects = oneService({
      volumes: [
        Storage.persistent('shared', {
          mountPath: '/shared',
          size: Size.gibibytes(5),
          accessMode: AccessMode.READ_WRITE_MANY,
        }),
      ],
    });
    expect(find(objects, 'Deployment', 'api').spec.strategy.type).toBe('RollingUpdate');
    expect(find(objects, 'PersistentVolumeClaim', 'api-shared').spec.storageClassName).toBe('hostpath');
  });

  test('ephemeral volumes are emptyDirs with a size limit', () => {
    const pod = find(
      oneService({
        volumes: [Storage.ephemeral('cache', { mountPath: '/cache', sizeLimit: Size.mebibytes(100), inMemory: true })],
      }),
      'Deployment',
      'api',
    ).spec.template.spec;
    expect(pod.volumes[1]).toEqual({ name: 'cache', emptyDir: { sizeLimit: '100Mi', medium: 'Memory' } });
  });

  test('config files become a ConfigMap whose checksum rolls the pods when it changes', () => {
    const checksum = (content: string) => {
      const objects = oneService({
        volumes: [Storage.config('config', { mountPath: '/etc/api', files: { 'api.yaml': content } })],
      });
      expect(find(objects, 'ConfigMap', 'api-config').data).toEqual({ 'api.yaml': content });
      const template = find(objects, 'Deployment', 'api').spec.template;
      expect(template.spec.containers[0].volumeMounts[1]).toEqual({
        name: 'config',
        mountPath: '/etc/api',
        readOnly: true,
      });
      return template.metadata.annotations['cdk8s-msa.io/config-checksum'];
    };
    expect(checksum('a: 1')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum('a: 1')).toEqual(checksum('a: 1'));
    expect(checksum('a: 1')).not.toEqual(checksum('a: 2'));
  });

  test('a ConfigMap the app writes and env or envFrom reads rolls the pods when its data changes; one made elsewhere cannot', () => {
    const checksumOf = (mode: string, read: (configMap: kplus.ConfigMap) => object) => {
      const { app, system } = newSystem({ configMaps: ['listed'] });
      const configMap = new kplus.ConfigMap(system, 'settings', { metadata: { name: 'settings' }, data: { mode } });
      system.addService('api', { image: 'a/api:1.0.0', port: 8080, ...read(configMap) });
      const template = find(objectsOf(app), 'Deployment', 'api').spec.template;
      return template.metadata.annotations?.['cdk8s-msa.io/config-checksum'];
    };
    for (const read of [
      (c: kplus.ConfigMap) => ({ env: { MODE: EnvVar.fromConfigMap(c, 'mode') } }),
      (c: kplus.ConfigMap) => ({ envFrom: [EnvFrom.configMap(c)] }),
      () => ({ envFrom: [EnvFrom.configMap('settings')] }),
    ]) {
      expect(checksumOf('a', read)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksumOf('a', read)).toEqual(checksumOf('a', read));
      expect(checksumOf('a', read)).not.toEqual(checksumOf('b', read));
    }
    // Not read, or provisioned outside the app (its data is not here to hash).
    expect(checksumOf('a', () => ({}))).toBeUndefined();
    expect(checksumOf('a', () => ({ envFrom: [EnvFrom.configMap('listed')] }))).toBeUndefined();
  });

  test('env from literals, ConfigMaps and declared Secrets', () => {
    const { app, system } = newSystem({ secrets: ['db'], configMaps: ['settings'] });
    system.addService('api', {
      image: 'a/api:1',
      port: 8080,
      env: {
        MODE: EnvVar.fromValue('prod'),
        REGION: EnvVar.fromConfigMap('settings', 'region'),
        PASSWORD: EnvVar.fromSecret('db', 'password'),
      },
    });
    expect(find(objectsOf(app), 'Deployment', 'api').spec.template.spec.containers[0].env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'settings', key: 'region' } } },
    ]);
  });

  test('probes: http, tcp and command, with overrides', () => {
    const c = find(
      oneService({
        ports: [{ name: 'admin', port: 9000 }],
        healthCheck: HealthCheck.http('/healthz'),
        liveness: HealthCheck.tcp({ portName: 'admin', period: Duration.seconds(30) }),
        startup: HealthCheck.command(['/bin/check'], { failureThreshold: 10, initialDelay: Duration.seconds(5) }),
      }),
      'Deployment',
      'api',
    ).spec.template.spec.containers[0];
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http' },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 2,
    });
    expect(c.livenessProbe).toEqual({
      tcpSocket: { port: 'admin' },
      periodSeconds: 30,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
    expect(c.startupProbe).toEqual({
      exec: { command: ['/bin/check'] },
      periodSeconds: 2,
      timeoutSeconds: 2,
      failureThreshold: 10,
      initialDelaySeconds: 5,
    });
  });

  test('a worker without ports has no Service and no probes', () => {
    const { app, system } = newSystem();
    system.addService('worker', { image: 'a/worker:1' });
    const objects = objectsOf(app);
    expect(objects.filter((o) => o.kind === 'Service')).toEqual([]);
    const c = find(objects, 'Deployment', 'worker').spec.template.spec.containers[0];
    expect(c.livenessProbe).toBeUndefined();
    expect(c.ports).toBeUndefined();
  });

  test('security relaxations are explicit and per service', () => {
    const c = find(
      oneService({
        security: { readOnlyRootFilesystem: false, runAsUser: 20000, addCapabilities: ['NET_BIND_SERVICE'] },
      }),
      'Deployment',
      'api',
    ).spec.template.spec.containers[0];
    expect(c.securityContext.readOnlyRootFilesystem).toBe(false);
    expect(c.securityContext.runAsUser).toBe(20000);
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });

  test('disruption budget can use minAvailable or be disabled', () => {
    expect(
      find(oneService({ replicas: 3, disruptionBudget: { minAvailable: 2 } }), 'PodDisruptionBudget', 'api').spec
        .minAvailable,
    ).toBe(2);
    expect(
      oneService({ disruptionBudget: { enabled: false } }).filter((o) => o.kind === 'PodDisruptionBudget'),
    ).toEqual([]);
  });

  test('inner resources are exposed for escape hatches', () => {
    const { app, system } = newSystem();
    const svc = system.addService('api', { image: 'a/api:1', port: 8080 });
    svc.controller.metadata.addAnnotation('example.com/owner', 'team-a');
    expect(find(objectsOf(app), 'Deployment', 'api').metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    expect(svc.service).toBeDefined();
    expect(svc.serviceAccount).toBeDefined();
    expect(svc.networkPolicy).toBeDefined();
  });

  test('version label comes from the tag, or a digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const labels = find(oneService({ image: `ghcr.io/acme/api@${digest}` }), 'Deployment', 'api').metadata.labels;
    expect(labels['app.kubernetes.io/version']).toBe(`sha256-${'a'.repeat(56)}`);
  });

  test('output is deterministic', () => {
    const build = () =>
      Manifests.synthesize(
        (() => {
          const a = new App();
          new MicroserviceSystem(a, 'shop', { target: Target.eks() }).addService('api', {
            image: 'a/api:1',
            port: 8080,
          });
          return a;
        })(),
      );
    expect(build().systems[0].yaml).toEqual(build().systems[0].yaml);
  });
});

describe('a load balancer carries only the port it exposes', () => {
  const build = () => {
    const { app, system } = newSystem({ target: Target.eks() });
    const api = system.addService('api', {
      image: 'a/api:1.0.0',
      port: 8080,
      ports: [
        { name: 'admin', port: 9000 },
        { name: 'metrics', port: 9090 },
      ],
      expose: Exposure.loadBalancer(),
      alsoExpose: [
        Exposure.loadBalancer({ portName: 'admin', internal: true }),
        Exposure.ingress({ portName: 'metrics', host: 'metrics.example.com', internal: true }),
      ],
    });
    system.addService('ops', {
      image: 'a/ops:1.0.0',
      port: 8080,
      dependsOn: [Dependency.on(api), Dependency.on(api, { portName: 'admin' })],
    });
    return objectsOf(app);
  };
  const objects = build();
  const ports = (name: string) => find(objects, 'Service', name).spec.ports.map((p: any) => p.name);

  test('the public load balancer has the exposed port; the rest are on the ClusterIP Service <name>-cluster', () => {
    expect(find(objects, 'Service', 'api').spec.type).toBe('LoadBalancer');
    expect(ports('api')).toEqual(['http']);
    expect(find(objects, 'Service', 'api-cluster').spec.type).toBe('ClusterIP');
    expect(ports('api-cluster')).toEqual(['admin', 'metrics']);
    expect(ports('api-admin')).toEqual(['admin']);
  });

  test('dependencies and further ways in reach a left-out port through the cluster Service', () => {
    const env = Object.fromEntries(
      find(objects, 'Deployment', 'ops').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]),
    );
    expect(env.API_HOST).toBe('api.shop.svc.cluster.local');
    expect(env.API_ADMIN_URL).toBe('tcp://api-cluster.shop.svc.cluster.local:9000');
    expect(find(objects, 'Ingress', 'api-metrics').spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'api-cluster',
      port: { name: 'metrics' },
    });
  });

  test('a service with one port, or exposed another way, keeps a single Service', () => {
    expect(
      oneService({ expose: Exposure.loadBalancer() }, Target.eks())
        .filter((o) => o.kind === 'Service')
        .map((o) => o.metadata.name),
    ).toEqual(['api']);
    const routed = oneService(
      { ports: [{ name: 'admin', port: 9000 }], expose: Exposure.route({ host: 'a.example.com' }) },
      Target.gke(),
    );
    expect(routed.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['api']);
  });
});
