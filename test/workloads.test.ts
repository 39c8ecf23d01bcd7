import { App, Duration, JsonPatch, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClaimRetention,
  ConcurrencyPolicy,
  Dependency,
  EnvFrom,
  EnvVar,
  Exposure,
  Manifests,
  Microservice,
  MicroserviceProps,
  MicroserviceSystem,
  PodManagementPolicy,
  HealthCheck,
  PortProtocol,
  Storage,
  TaintEffect,
  Target,
  TolerationOperator,
} from '../lib';
import { k8s } from 'cdk8s-plus-27';
import { codesOf, find, newSystem, objectsOf } from './helpers';

const image = 'ghcr.io/acme/api:1.0.0';
const podOf = (o: any) => (o.spec.jobTemplate?.spec ?? o.spec).template.spec;

describe('init containers and native sidecars', () => {
  const { app, system } = newSystem({ secrets: ['db'] });
  const db = system.addService('db', { image: 'postgres:16.4-alpine', port: 5432, portName: 'postgres' });
  const api = system.addService('api', {
    image,
    port: 8080,
    dependsOn: [db],
    volumes: [Storage.ephemeral('logs', { mountPath: '/var/log/api' })],
    initContainers: [
      { name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', env: { PASSWORD: EnvVar.fromSecret('db', 'password') } },
    ],
    sidecars: [
      {
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.31.2',
        ports: [{ name: 'admin', port: 9901 }],
        healthCheck: HealthCheck.http('/ready'),
        volumeMounts: [{ volume: 'logs', readOnly: true }],
      },
    ],
  });
  api.addInitContainer({ name: 'warm-cache', image: 'ghcr.io/acme/warm:1.0.0' });
  const pod = podOf(find(objectsOf(app), 'Deployment', 'api'));

  test('sidecars come first with restartPolicy Always, then init containers in order', () => {
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([
      ['proxy', 'Always'],
      ['migrate', undefined],
      ['warm-cache', undefined],
    ]);
  });

  test('every container gets the restricted context, resources, /tmp and the dependency env', () => {
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.resources.requests).toEqual({ cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' });
      expect(c.volumeMounts[0]).toEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(c.env.map((e: any) => e.name)).toEqual(expect.arrayContaining(['DB_HOST', 'DB_PORT', 'DB_URL']));
    }
  });

  test('a sidecar mounts volumes by name, probes its own port, and its port joins the Service', () => {
    const proxy = pod.initContainers[0];
    expect(proxy.volumeMounts[1]).toEqual({ name: 'logs', mountPath: '/var/log/api', readOnly: true });
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'admin' });
    expect(find(objectsOf(app), 'Service', 'api').spec.ports.map((p: any) => p.name)).toEqual(['http', 'admin']);
    expect(pod.initContainers[1].readinessProbe).toBeUndefined();
  });

  test('the main container drains for 5 s before SIGTERM', () => {
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
  });
});

describe('StatefulSet', () => {
  const { app, system } = newSystem();
  const nats = system.addService('nats', {
    image: 'nats:2.10.22-alpine',
    port: 4222,
    portName: 'client',
    replicas: 3,
    statefulSet: { podManagement: PodManagementPolicy.PARALLEL, whenScaled: ClaimRetention.DELETE },
    volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(5) })],
  });
  const client = system.addService('client', { image, port: 8080, dependsOn: [nats], expose: undefined });
  const objects = objectsOf(app);
  const sts = find(objects, 'StatefulSet', 'nats');

  test('claims come from volume claim templates, one per pod, and no PVC object is emitted', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      },
    ]);
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(podOf(sts).volumes.map((v: any) => v.name)).toEqual(['tmp']);
  });

  test('a headless governing Service, pod management and claim retention', () => {
    expect(sts.spec).toMatchObject({
      serviceName: 'nats-headless',
      podManagementPolicy: 'Parallel',
      replicas: 3,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
    });
    expect(find(objects, 'Service', 'nats-headless').spec).toMatchObject({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
    });
    expect(sts.spec.strategy).toBeUndefined();
  });

  test('dependents get the stable pod DNS names', () => {
    const env = podOf(find(objects, 'Deployment', 'client')).containers[0].env;
    expect(env).toContainEqual({
      name: 'NATS_POD_HOSTS',
      value:
        'nats-0.nats-headless.shop.svc.cluster.local,nats-1.nats-headless.shop.svc.cluster.local,nats-2.nats-headless.shop.svc.cluster.local',
    });
    expect(client.edges[0].provider).toBe(nats);
  });

  test("the target's StorageClass is emitted for claim templates too", () => {
    const eks = newSystem({ target: Target.eks() });
    eks.system.addService('db', {
      image: 'postgres:16.4-alpine',
      port: 5432,
      replicas: 1,
      statefulSet: {},
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(5) })],
    });
    const out = objectsOf(eks.app);
    expect(find(out, 'StorageClass', 'gp3').provisioner).toBe('ebs.csi.aws.com');
    expect(find(out, 'StatefulSet', 'db').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
  });
});

describe('StatefulSet peers (found running on the real node: a 3-replica cluster could not reach itself)', () => {
  const broker = (statefulSet: { peerPorts?: string[] }, replicas = 3) => {
    const { app, system } = newSystem();
    system.addService('nats', {
      image: 'nats:2.10.22-alpine',
      port: 4222,
      portName: 'client',
      ports: [
        { name: 'cluster', port: 6222 },
        { name: 'monitor', port: 8222 },
      ],
      replicas,
      statefulSet,
    });
    return app;
  };
  const selector = { matchLabels: { 'app.kubernetes.io/instance': 'shop-nats', 'app.kubernetes.io/name': 'nats' } };

  test('peerPorts lets the pods reach each other on those ports only, both ways', () => {
    const policy = find(objectsOf(broker({ peerPorts: ['cluster'] })), 'NetworkPolicy', 'nats').spec;
    expect(policy.ingress).toEqual([{ from: [{ podSelector: selector }], ports: [{ port: 6222, protocol: 'TCP' }] }]);
    expect(policy.egress).toEqual([{ to: [{ podSelector: selector }], ports: [{ port: 6222, protocol: 'TCP' }] }]);
  });

  test('without peerPorts the pods stay apart, and more than one replica draws a warning; [] silences it', () => {
    const peerWarnings = (app: App) => Manifests.synthesize(app).warnings.filter((w) => w.includes('peerPorts'));
    const apart = Manifests.synthesize(broker({}));
    expect(find(apart.systems[0].objects, 'NetworkPolicy', 'nats').spec.ingress).toBeUndefined();
    expect(apart.warnings.filter((w) => w.includes('peerPorts'))).toEqual([
      expect.stringMatching(/^\[shop\/nats\] statefulSet\.peerPorts: received nothing/),
    ]);
    expect(peerWarnings(broker({ peerPorts: [] }))).toEqual([]);
    expect(peerWarnings(broker({}, 1))).toEqual([]);
  });

  test('a peer port the service does not declare is refused', () => {
    expect(codesOf(() => broker({ peerPorts: ['gossip'] }))).toEqual(['service.undeclared-port']);
  });
});

describe('Jobs and CronJobs', () => {
  const { app, system } = newSystem({ secrets: ['db'] });
  const db = system.addService('db', { image: 'postgres:16.4-alpine', port: 5432, portName: 'postgres' });
  const job = system.addJob('migrate', {
    image,
    args: ['up'],
    dependsOn: [db],
    backoffLimit: 1,
    activeDeadline: Duration.minutes(10),
    ttlAfterFinished: Duration.hours(1),
  });
  system.addCronJob('report', {
    image,
    schedule: '0 3 * * 1-5',
    timeZone: 'Europe/Berlin',
    concurrencyPolicy: ConcurrencyPolicy.REPLACE,
    dependsOn: [Dependency.on(db)],
  });
  const objects = objectsOf(app);

  test('a Job is named by its content, runs its pods to completion and has no Service or PDB', () => {
    const jobs = objects.filter((o) => o.kind === 'Job');
    expect(jobs).toHaveLength(1);
    expect(jobs[0].metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(jobs[0].spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3600 });
    expect(jobs[0].spec.template.spec.restartPolicy).toBe('Never');
    expect(
      objects.filter((o) => ['Service', 'PodDisruptionBudget'].includes(o.kind) && o.metadata.name === 'migrate'),
    ).toEqual([]);
    expect(job.jobObject.toJson().metadata.name).toBe(jobs[0].metadata.name);
  });

  test('a changed template gives a new Job name; the same one keeps it', () => {
    const nameWith = (args: string[]) => {
      const other = newSystem();
      other.system.addJob('migrate', { image, args });
      return objectsOf(other.app).find((o) => o.kind === 'Job').metadata.name;
    };
    expect(nameWith(['up'])).toBe(nameWith(['up']));
    expect(nameWith(['up'])).not.toBe(nameWith(['down']));
  });

  test('a CronJob carries its schedule, time zone, concurrency policy and history limits', () => {
    const cron = find(objects, 'CronJob', 'report');
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * 1-5',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].securityContext.runAsNonRoot).toBe(true);
  });

  test('jobs reach their dependencies and the provider admits them, exactly', () => {
    const policy = find(objects, 'NetworkPolicy', 'migrate').spec;
    expect(policy.egress).toEqual([
      {
        to: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'shop-db', 'app.kubernetes.io/name': 'db' } } },
        ],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ]);
    expect(policy.ingress).toBeUndefined();
    const admitted = find(objects, 'NetworkPolicy', 'db').spec.ingress.map(
      (r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'],
    );
    expect(admitted).toEqual(['migrate', 'report']);
  });
});

describe('pod settings', () => {
  const { app, system } = newSystem({
    secrets: ['api-env', 'tls'],
    imagePullSecrets: ['ghcr'],
    configMaps: ['api-config'],
  });
  system.addService('api', {
    image,
    port: 8080,
    imagePullSecrets: ['api-env'],
    priorityClassName: 'high',
    terminationGracePeriod: Duration.seconds(60),
    preStopDelay: Duration.seconds(10),
    tolerations: [{ key: 'pool', operator: TolerationOperator.EQUAL, value: 'spot', effect: TaintEffect.NO_SCHEDULE }],
    nodeSelector: { 'node.kubernetes.io/instance-type': 'm7g.large' },
    envFrom: [EnvFrom.configMap('api-config', 'CFG_'), EnvFrom.secret('api-env')],
    volumes: [
      Storage.secret('certs', { mountPath: '/etc/tls', secretName: 'tls' }),
      Storage.existingClaim('shared', { mountPath: '/shared', claimName: 'team-share', readOnly: true }),
    ],
    labels: { team: 'payments' },
    annotations: { 'example.com/owner': 'payments' },
    podAnnotations: { 'prometheus.io/scrape': 'true' },
  });
  const objects = objectsOf(app);
  const deployment = find(objects, 'Deployment', 'api');
  const pod = deployment.spec.template.spec;

  test("pull secrets: the system's, then the service's", () => {
    expect(pod.imagePullSecrets).toEqual([{ name: 'ghcr' }, { name: 'api-env' }]);
  });

  test('scheduling and graceful shutdown', () => {
    expect(pod.tolerations).toEqual([{ key: 'pool', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }]);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm7g.large' });
    expect(pod.priorityClassName).toBe('high');
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.containers[0].lifecycle.preStop.sleep.seconds).toBe(10);
  });

  test('envFrom, secret volumes and existing claims', () => {
    expect(pod.containers[0].envFrom).toEqual([
      { configMapRef: { name: 'api-config' }, prefix: 'CFG_' },
      { secretRef: { name: 'api-env' } },
    ]);
    expect(pod.volumes.slice(1)).toEqual([
      { name: 'certs', secret: { secretName: 'tls' } },
      { name: 'shared', persistentVolumeClaim: { claimName: 'team-share', readOnly: true } },
    ]);
    expect(pod.containers[0].volumeMounts.slice(1)).toEqual([
      { name: 'certs', mountPath: '/etc/tls', readOnly: true },
      { name: 'shared', mountPath: '/shared', readOnly: true },
    ]);
  });

  test('extra labels and annotations on every object and the pods; the selector is untouched', () => {
    for (const o of objects.filter((x) => x.metadata.name === 'api')) {
      expect(o.metadata.labels.team).toBe('payments');
      expect(o.metadata.annotations['example.com/owner']).toBe('payments');
    }
    expect(deployment.spec.template.metadata.labels.team).toBe('payments');
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/instance': 'shop-api',
      'app.kubernetes.io/name': 'api',
    });
  });
});

describe('model first, then render', () => {
  test('containers, env, volumes and dependencies added after construction are in the output', () => {
    const { app, system } = newSystem();
    const db = system.addService('db', { image: 'postgres:16.4-alpine', port: 5432 });
    const api = system.addService('api', { image, port: 8080 });
    api.addEnv('MODE', EnvVar.fromValue('fast'));
    api.addVolume(Storage.config('conf', { mountPath: '/etc/api', files: { 'a.yaml': 'x: 1\n' } }));
    api.addSidecar({
      name: 'metrics',
      image: 'ghcr.io/acme/exporter:0.3.0',
      ports: [{ name: 'metrics', port: 9100 }],
    });
    api.addDependency(db);
    const objects = objectsOf(app);
    const pod = podOf(find(objects, 'Deployment', 'api'));
    expect(pod.containers[0].env.map((e: any) => e.name)).toEqual(['MODE', 'DB_HOST', 'DB_PORT', 'DB_URL']);
    expect(pod.initContainers[0].name).toBe('metrics');
    expect(find(objects, 'ConfigMap', 'api-conf').data).toEqual({ 'a.yaml': 'x: 1\n' });
    expect(find(objects, 'Service', 'api').spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
  });

  test('services may sit in any construct inside their system', () => {
    const { app, system } = newSystem();
    const group = new Construct(system, 'backend');
    const db = new Microservice(group, 'db', { image: 'postgres:16.4-alpine', port: 5432 });
    new Microservice(new Construct(group, 'nested'), 'api', { image, port: 8080, dependsOn: [db], expose: undefined });
    expect(system.serviceNames()).toEqual(['db', 'api']);
    expect(find(objectsOf(app), 'Deployment', 'api').spec.template.spec.containers[0].env[0]).toEqual({
      name: 'DB_HOST',
      value: 'db.shop.svc.cluster.local',
    });
  });

  test("a persistent volume of a service created with new Microservice() still gets the target's StorageClass", () => {
    const { app, system } = newSystem({ target: Target.eks() });
    new Microservice(system, 'db', {
      image: 'postgres:16.4-alpine',
      port: 5432,
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(5) })],
    });
    expect(find(objectsOf(app), 'StorageClass', 'gp3')).toBeDefined();
  });

  test('fields a JSON patch adds survive, also ones the 1.27 schema lacks', () => {
    const { app, system } = newSystem();
    const api = system.addService('api', { image, port: 8080 });
    api.controller.addJsonPatch(
      JsonPatch.add('/spec/template/spec/hostUsers', false),
      JsonPatch.add('/spec/template/spec/containers/0/resizePolicy', [
        { resourceName: 'cpu', restartPolicy: 'NotRequired' },
      ]),
    );
    const pod = podOf(find(objectsOf(app), 'Deployment', 'api'));
    expect(pod.hostUsers).toBe(false);
    expect(pod.containers[0].resizePolicy).toEqual([{ resourceName: 'cpu', restartPolicy: 'NotRequired' }]);
  });

  test('UDP ports get no TCP probes, and 53/TCP beside 53/UDP is fine', () => {
    const { app, system } = newSystem();
    system.addService('dns', {
      image: 'coredns/coredns:1.11.3',
      port: 53,
      portName: 'dns-tcp',
      ports: [{ name: 'dns', port: 53, protocol: PortProtocol.UDP }],
    });
    system.addService('syslog', {
      image: 'ghcr.io/acme/syslog:1.0.0',
      ports: [{ name: 'syslog', port: 514, protocol: PortProtocol.UDP }],
    });
    const objects = objectsOf(app);
    expect(podOf(find(objects, 'Deployment', 'dns')).containers[0].readinessProbe.tcpSocket).toEqual({
      port: 'dns-tcp',
    });
    expect(podOf(find(objects, 'Deployment', 'syslog')).containers[0].readinessProbe).toBeUndefined();
  });

  test('a dependency on a service of another App is an error', () => {
    const other = newSystem();
    const foreign = other.system.addService('ledger', { image, port: 8080 });
    const app = new App();
    new MicroserviceSystem(app, 'shop').addService('api', { image, port: 8080, dependsOn: [foreign] });
    expect(() => Manifests.synthesize(app)).toThrow(
      '[shop/api] dependsOn[0]: received "shop/ledger"; allowed: a service of this app',
    );
  });
});

describe('living beside other traffic and other constructs', () => {
  test('allowFromNamespace admits a monitoring namespace to the metrics port, and nothing else', () => {
    const { app, system } = newSystem();
    const api = system.addService('api', {
      image,
      port: 8080,
      ports: [{ name: 'metrics', port: 9090 }],
      healthCheck: HealthCheck.http('/healthz'),
    });
    api.allowFromNamespace('monitoring', {
      portName: 'metrics',
      podLabels: { 'app.kubernetes.io/name': 'prometheus' },
    });
    const result = Manifests.synthesize(app);
    expect(find(result.systems[0].objects, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  test('allowFromNamespace on an undeclared port is an error', () => {
    const { app, system } = newSystem();
    system.addService('api', { image, port: 8080 }).allowFromNamespace('monitoring', { portName: 'metrics' });
    expect(() => Manifests.synthesize(app)).toThrow(
      '[shop/api] allowFromNamespace[0].portName: received "metrics"; allowed: a declared port: http. Hint: admit a port the service declares',
    );
  });

  test('a pod-running object created beside the workloads draws a warning', () => {
    const { app, system } = newSystem();
    new k8s.KubeDeployment(system, 'legacy', {
      spec: {
        selector: { matchLabels: { app: 'legacy' } },
        template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'legacy', image }] } },
      },
    });
    expect(Manifests.synthesize(app).warnings).toEqual([
      '[shop/legacy] kind: received "Deployment"; allowed: workloads created as Microservice, Job or CronJob in a system. Hint: the namespace denies all traffic by default and enforces Pod Security "restricted": this object gets neither a NetworkPolicy nor the restricted settings; create it as a workload of the system, or give it a NetworkPolicy of its own that opens its edges (and the settings restricted requires)',
    ]);
  });
});

describe('a volume the pod can fill before its limits stop it', () => {
  const warningsOf = (props: Partial<MicroserviceProps>) => {
    const { app, system } = newSystem();
    system.addService('api', { image, port: 8080, healthCheck: HealthCheck.http('/healthz'), ...props });
    return Manifests.synthesize(app).warnings.filter((w) => w.includes('sizeLimit'));
  };

  test('disk-backed emptyDirs that together with /tmp pass the pod ephemeral-storage limit', () => {
    expect(
      warningsOf({ volumes: [Storage.ephemeral('data', { mountPath: '/data', sizeLimit: Size.gibibytes(4) })] }),
    ).toEqual([
      "[shop/api] volumes[0].sizeLimit: received \"4Gi\"; allowed: disk-backed volumes within the pod's ephemeral-storage limit (512Mi, its containers' together): with the 64Mi /tmp they may hold 4160Mi, and the kubelet evicts the pod before they are full. Hint: raise resources.ephemeralStorage.limit so that the pod's reaches 4160Mi, or lower sizeLimit",
    ]);
    // Each fits alone; with each other and /tmp they do not (64 + 256 + 256 > 512). Named once, on the largest.
    const two = [
      Storage.ephemeral('a', { mountPath: '/a' }),
      Storage.ephemeral('b', { mountPath: '/b', sizeLimit: Size.mebibytes(300) }),
    ];
    expect(warningsOf({ volumes: two })).toEqual([
      expect.stringMatching(/^\[shop\/api\] volumes\[1\]\.sizeLimit: .*may hold 620Mi/),
    ]);
    expect(warningsOf({ volumes: two, resources: { ephemeralStorage: { limit: '1Gi' } } })).toEqual([]);
    // A sidecar's limit joins the pod's.
    expect(warningsOf({ volumes: two, sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' }] })).toEqual([]);
    expect(warningsOf({ volumes: [Storage.ephemeral('data', { mountPath: '/data' })] })).toEqual([]);
  });

  test('a memory-backed emptyDir above the memory limit of every container that mounts it', () => {
    const cache = Storage.ephemeral('cache', { mountPath: '/cache', inMemory: true, sizeLimit: Size.mebibytes(384) });
    expect(warningsOf({ volumes: [cache] })).toEqual([
      expect.stringContaining('within the memory limit of a container that mounts it (256Mi at most)'),
    ]);
    expect(warningsOf({ volumes: [cache], resources: { memory: { limit: '512Mi' } } })).toEqual([]);
    // The memory is the writing container's: a sidecar's limit helps only if it mounts the volume.
    const proxy = { name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', resources: { memory: { limit: '1Gi' } } };
    expect(warningsOf({ volumes: [cache], sidecars: [proxy] })).toHaveLength(1);
    expect(warningsOf({ volumes: [cache], sidecars: [{ ...proxy, volumeMounts: [{ volume: 'cache' }] }] })).toEqual([]);
  });
});

describe('self-healing defaults per protocol', () => {
  const containerOf = (props: Partial<MicroserviceProps>) => {
    const { app, system } = newSystem();
    system.addService('api', { image, expose: Exposure.loadBalancer(), ...props });
    const result = Manifests.synthesize(app);
    return {
      container: podOf(find(result.systems[0].objects, 'Deployment', 'api')).containers[0],
      warnings: result.warnings,
    };
  };

  test('a gRPC port is checked with the gRPC health protocol, liveness with a TCP connect', () => {
    const { container, warnings } = containerOf({ ports: [{ name: 'grpc', port: 9000, appProtocol: 'grpc' }] });
    expect(container.readinessProbe.grpc).toEqual({ port: 9000 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'grpc' });
    expect(container.startupProbe.tcpSocket).toEqual({ port: 'grpc' });
    expect(warnings).toEqual([]);
  });

  test('an HTTP or command health check gets a distinct TCP liveness probe and no warning', () => {
    for (const healthCheck of [HealthCheck.http('/healthz'), HealthCheck.command(['/bin/check'])]) {
      const { container, warnings } = containerOf({ port: 8080, healthCheck });
      expect(container.livenessProbe.tcpSocket).toEqual({ port: 'http' });
      expect(container.readinessProbe.tcpSocket).toBeUndefined();
      expect(warnings).toEqual([]);
    }
  });

  test('the default TCP check gets readiness only, and a warning that says how to get liveness', () => {
    const { container, warnings } = containerOf({ port: 8080 });
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(container.livenessProbe).toBeUndefined();
    expect(warnings).toEqual([
      '[shop/api] healthCheck: received nothing; allowed: HealthCheck.http(), HealthCheck.grpc() or HealthCheck.command() for a service with a TCP port. Hint: a TCP connect cannot tell a hung process from a live one, so the service gets TCP readiness and no liveness probe; pass e.g. healthCheck: HealthCheck.http("/healthz")',
    ]);
  });

  test('an HPA that may scale to one pod draws a warning', () => {
    expect(
      containerOf({
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        autoscaling: { minReplicas: 1, maxReplicas: 3 },
      }).warnings,
    ).toEqual([
      '[shop/api] autoscaling.minReplicas: received 1; allowed: at least 2 for a service that must stay up. Hint: with one pod, a node drain, an eviction or a failed probe takes the service down: use minReplicas: 2',
    ]);
  });

  test('a CronJob skips a run that is more than an hour late', () => {
    const { app, system } = newSystem();
    system.addCronJob('report', { image, schedule: '@daily' });
    expect(find(objectsOf(app), 'CronJob', 'report').spec.startingDeadlineSeconds).toBe(3600);
  });
});

describe('narrower egress to external endpoints', () => {
  test('cidrs limit the egress to an external dependency to those ranges', () => {
    const { app, system } = newSystem();
    system.addService('api', {
      image,
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      expose: Exposure.loadBalancer(),
      dependsOn: [
        Dependency.external('orders-db', {
          host: 'orders.abc.eu-west-1.rds.amazonaws.com',
          port: 5432,
          scheme: 'postgres',
          cidrs: ['10.20.0.0/16', '2001:db8::/32'],
        }),
        Dependency.external('psp', { host: 'api.psp.example.com', port: 443 }),
      ],
    });
    expect(find(objectsOf(app), 'NetworkPolicy', 'api').spec.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: '10.20.0.0/16' } }, { ipBlock: { cidr: '2001:db8::/32' } }],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
      { ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
  });

  test('a malformed CIDR is an error', () => {
    const { app, system } = newSystem();
    system.addService('api', {
      image,
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      expose: Exposure.loadBalancer(),
      dependsOn: [Dependency.external('db', { host: 'db.example.com', port: 5432, cidrs: ['10.20.0.0/33'] })],
    });
    expect(() => Manifests.synthesize(app)).toThrow(
      '[shop/api] dependsOn[0].cidrs[0]: received "10.20.0.0/33"; allowed: an IPv4 or IPv6 CIDR such as "10.20.0.0/16" or "2001:db8::/32"',
    );
  });
});

describe('found by the differential test against the API server', () => {
  test('two volumes of one name are one problem, not a crash', () => {
    const { app, system } = newSystem();
    system.addService('api', {
      image,
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      expose: Exposure.loadBalancer(),
      volumes: [
        Storage.config('config', { mountPath: '/a', files: { 'a.yaml': '' } }),
        Storage.config('config', { mountPath: '/b', files: { 'b.yaml': '' } }),
      ],
    });
    expect(() => Manifests.synthesize(app)).toThrow(
      '[shop/api] volumes[1].name: received "config"; allowed: volume names unique within the workload',
    );
  });

  test("a sidecar's port is not the main container's default probe", () => {
    const { app, system } = newSystem();
    system.addService('worker', {
      image,
      sidecars: [
        {
          name: 'proxy',
          image: 'envoyproxy/envoy:v1.31.2',
          ports: [{ name: 'proxy-admin', port: 9901 }],
          healthCheck: HealthCheck.http('/ready'),
        },
      ],
      expose: Exposure.loadBalancer(),
    });
    const pod = podOf(find(objectsOf(app), 'Deployment', 'worker'));
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(pod.initContainers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 'proxy-admin' });
  });

  test('the default preStop sleep fits a short grace period; a chosen one longer than it is an error', () => {
    const { app, system } = newSystem();
    system.addService('api', {
      image,
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      expose: Exposure.loadBalancer(),
      terminationGracePeriod: Duration.seconds(3),
    });
    expect(podOf(find(objectsOf(app), 'Deployment', 'api')).containers[0].lifecycle).toEqual({
      preStop: { sleep: { seconds: 2 } },
    });
    const other = newSystem();
    other.system.addService('api', {
      image,
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      expose: Exposure.loadBalancer(),
      terminationGracePeriod: Duration.seconds(10),
      preStopDelay: Duration.seconds(10),
    });
    expect(() => Manifests.synthesize(other.app)).toThrow(
      '[shop/api] preStopDelay: received "10 seconds"; allowed: less than terminationGracePeriod (10 s)',
    );
  });
});
