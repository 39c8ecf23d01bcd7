import { App, Duration, Size } from 'cdk8s';
import {
  Dependency,
  EnvVar,
  IDependency,
  EventScalingOptions,
  Exposure,
  ExternalSecret,
  Manifests,
  Microservice,
  MicroserviceProps,
  MicroserviceSystem,
  RabbitMqMode,
  ScaleTrigger,
  Storage,
  Target,
} from '../lib';
import { codesOf, find, objectsOf, problemsOf } from './helpers';

const image = 'ghcr.io/acme/worker:1.0.0';

/** An app with system "shop": a RabbitMQ broker, a Prometheus, and whatever `add` builds. */
function shop(add: (system: MicroserviceSystem) => void, target = Target.kind()): App {
  const app = new App();
  const system = new MicroserviceSystem(app, 'shop', { target });
  add(system);
  return app;
}

const brokerProps: MicroserviceProps = {
  image: 'rabbitmq:4.0.5-alpine',
  port: 5672,
  portName: 'amqp',
  ports: [{ name: 'management', port: 15672 }],
};

const queue = (server: IDependency, extra: Partial<EventScalingOptions> = {}) => ({
  maxReplicas: 10,
  triggers: [ScaleTrigger.rabbitMq({ server, queueName: 'orders' })],
  ...extra,
});

/** A broker, and a worker that depends on it and scales on what `scaling` makes of it. */
const brokerAndWorker = (scaling: (broker: Microservice) => EventScalingOptions) =>
  shop((s) => {
    const broker = s.addService('broker', brokerProps);
    s.addService('worker', { image, dependsOn: [broker], eventScaling: scaling(broker) });
  });

describe('KEDA: a service scaled on events', () => {
  const app = shop((s) => {
    // The consumer comes first: KEDA's access to the broker is resolved at synth.
    s.addService('worker', {
      image,
      dependsOn: [Dependency.inNamespace('shop', 'broker', { portName: 'amqp' })],
      eventScaling: queue(Dependency.inNamespace('shop', 'broker')),
    });
    s.addService('broker', brokerProps);
  });
  const objects = objectsOf(app);

  test('gets a ScaledObject instead of an HPA, and its Deployment leaves replicas to KEDA', () => {
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(find(objects, 'Deployment', 'worker').spec.replicas).toBeUndefined();
    expect(find(objects, 'ScaledObject', 'worker')).toMatchObject({
      apiVersion: 'keda.sh/v1alpha1',
      metadata: { namespace: 'shop', labels: { 'app.kubernetes.io/name': 'worker' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' },
        pollingInterval: 30,
        cooldownPeriod: 300,
        minReplicaCount: 0,
        maxReplicaCount: 10,
        triggers: [
          {
            type: 'rabbitmq',
            metadata: {
              host: 'amqp://broker.shop.svc.cluster.local:5672/',
              protocol: 'amqp',
              queueName: 'orders',
              mode: 'QueueLength',
              value: '20',
            },
          },
        ],
      },
    });
  });

  test("the broker's NetworkPolicy admits the KEDA operator on the port it reads, and nothing else", () => {
    const ingress = find(objects, 'NetworkPolicy', 'broker').spec.ingress;
    expect(ingress).toContainEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } },
          podSelector: { matchLabels: { app: 'keda-operator' } },
        },
      ],
      ports: [{ port: 5672, protocol: 'TCP' }],
    });
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'worker').spec.ingress ?? [])).not.toContain('keda');
  });

  test('a service others call keeps one replica by default; one nobody calls scales to zero; options are rendered', () => {
    const scaled = (props: Partial<MicroserviceProps>, scaling: Partial<EventScalingOptions> = {}) =>
      find(
        objectsOf(
          shop((s) => {
            const broker = s.addService('broker', brokerProps);
            s.addService('api', { image, dependsOn: [broker], eventScaling: queue(broker, scaling), ...props });
          }),
        ),
        'ScaledObject',
        'api',
      ).spec;
    expect(scaled({ port: 8080, expose: Exposure.loadBalancer() }).minReplicaCount).toBe(1);
    expect(scaled({ port: 8080 }).minReplicaCount).toBe(0);
    expect(scaled({}).minReplicaCount).toBe(0);
    const called = find(
      objectsOf(
        shop((s) => {
          const broker = s.addService('broker', {
            ...brokerProps,
            eventScaling: queue(Dependency.external('mq', { host: 'mq.example.com', port: 5672 })),
          });
          s.addService('api', { image, port: 8080, dependsOn: [broker] });
        }),
      ),
      'ScaledObject',
      'broker',
    );
    expect(called.spec.minReplicaCount).toBe(1);
    expect(
      scaled({}, { minReplicas: 2, cooldown: Duration.minutes(1), pollingInterval: Duration.seconds(10) }),
    ).toMatchObject({ minReplicaCount: 2, cooldownPeriod: 60, pollingInterval: 10 });
  });

  test('a KEDA operator elsewhere, and an external server, which opens no policy of the app', () => {
    const objects = objectsOf(
      brokerAndWorker((broker) => ({
        maxReplicas: 5,
        kedaNamespace: 'autoscaling',
        triggers: [
          ScaleTrigger.rabbitMq({ server: broker, queueName: 'orders', authentication: 'rabbit-auth' }),
          ScaleTrigger.kafka({
            server: Dependency.external('kafka', { host: 'kafka.example.com', port: 9092 }),
            consumerGroup: 'g',
            topic: 't',
          }),
        ],
      })),
    );
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'broker').spec.ingress)).toContain('"autoscaling"');
    expect(find(objects, 'ScaledObject', 'worker').spec.triggers).toEqual([
      {
        type: 'rabbitmq',
        metadata: { protocol: 'amqp', queueName: 'orders', mode: 'QueueLength', value: '20' },
        authenticationRef: { name: 'rabbit-auth' },
      },
      {
        type: 'kafka',
        metadata: { bootstrapServers: 'kafka.example.com:9092', consumerGroup: 'g', topic: 't', lagThreshold: '10' },
      },
    ]);
  });

  test('every trigger renders the metadata of its KEDA scaler', () => {
    const objects = objectsOf(
      shop((s) => {
        const redis = s.addService('redis', { image: 'redis:7.4.1', port: 6379, portName: 'redis' });
        const prometheus = s.addService('prometheus', { image: 'prom/prometheus:v3.1.0', port: 9090 });
        const nats = s.addService('nats', {
          image: 'nats:2.10.22',
          port: 4222,
          ports: [{ name: 'monitor', port: 8222 }],
        });
        s.addService('worker', {
          image,
          dependsOn: [redis, prometheus, nats],
          eventScaling: {
            maxReplicas: 4,
            triggers: [
              ScaleTrigger.sqs({
                queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
                region: 'eu-west-1',
                queueLength: 3,
              }),
              ScaleTrigger.redisList({ server: redis, listName: 'jobs' }),
              ScaleTrigger.prometheus({ server: prometheus, query: 'sum(up)', threshold: 2.5 }),
              ScaleTrigger.cron({
                timeZone: 'Europe/Berlin',
                start: '0 8 * * 1-5',
                end: '0 18 * * 1-5',
                desiredReplicas: 2,
              }),
              ScaleTrigger.natsJetStream({
                server: Dependency.on(nats, { portName: 'monitor' }),
                stream: 'S',
                consumer: 'C',
                lagThreshold: 5,
              }),
              ScaleTrigger.rabbitMq({
                server: redis,
                queueName: 'q',
                mode: RabbitMqMode.MESSAGE_RATE,
                value: 50,
                vhost: 'v',
              }),
            ],
          },
        });
      }),
    );
    const triggers = find(objects, 'ScaledObject', 'worker').spec.triggers;
    expect(triggers.map((t: any) => [t.type, t.metadata])).toEqual([
      [
        'aws-sqs-queue',
        {
          queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
          awsRegion: 'eu-west-1',
          queueLength: '3',
          identityOwner: 'operator',
        },
      ],
      ['redis', { address: 'redis.shop.svc.cluster.local:6379', listName: 'jobs', listLength: '5' }],
      [
        'prometheus',
        { serverAddress: 'http://prometheus.shop.svc.cluster.local:9090', query: 'sum(up)', threshold: '2.5' },
      ],
      ['cron', { timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: '2' }],
      [
        'nats-jetstream',
        {
          natsServerMonitoringEndpoint: 'nats.shop.svc.cluster.local:8222',
          account: '$G',
          stream: 'S',
          consumer: 'C',
          lagThreshold: '5',
        },
      ],
      [
        'rabbitmq',
        {
          host: 'amqp://redis.shop.svc.cluster.local:6379/',
          protocol: 'amqp',
          queueName: 'q',
          mode: 'MessageRate',
          value: '50',
          vhostName: 'v',
        },
      ],
    ]);
    // Each server of the app admits KEDA on the port read: nats on its monitoring port only.
    const natsIngress = JSON.stringify(find(objects, 'NetworkPolicy', 'nats').spec.ingress);
    expect(natsIngress).toContain('"keda"');
    const kedaRule = find(objects, 'NetworkPolicy', 'nats').spec.ingress.find((r: any) =>
      JSON.stringify(r).includes('keda-operator'),
    );
    expect(kedaRule.ports).toEqual([{ port: 8222, protocol: 'TCP' }]);
  });

  test('is off by default: no KEDA object, and no policy rule for it', () => {
    const objects = objectsOf(shop((s) => s.addService('broker', brokerProps)));
    expect(objects.filter((o) => o.apiVersion.startsWith('keda.sh'))).toEqual([]);
    expect(JSON.stringify(objects)).not.toContain('keda');
  });
});

describe('KEDA: what is refused', () => {
  const codes = (props: Partial<MicroserviceProps>, more: (s: MicroserviceSystem) => void = () => {}) =>
    codesOf(() =>
      shop((s) => {
        const broker = s.addService('broker', brokerProps);
        more(s);
        s.addService('worker', { image, dependsOn: [broker], ...props });
      }),
    );
  const broker = Dependency.inNamespace('shop', 'broker');

  test('an HPA and KEDA on one workload: only the ScaledObject would be emitted, and it is an error', () => {
    expect(codes({ eventScaling: queue(broker), autoscaling: { minReplicas: 2, maxReplicas: 4 } })).toEqual([
      'scaling.both-autoscalers',
    ]);
    const app = new App();
    const s = new MicroserviceSystem(app, 'shop');
    const worker = s.addService('worker', {
      image,
      eventScaling: queue(Dependency.external('mq', { host: 'mq.example.com', port: 5672 })),
      autoscaling: { minReplicas: 2, maxReplicas: 4 },
    });
    expect(worker.autoscaler).toBeUndefined();
    expect(worker.scaledObject).toBeDefined();
  });

  test('replicas, a StatefulSet, no triggers, min above max, bad counts and timings', () => {
    expect(codes({ eventScaling: queue(broker), replicas: 2 })).toEqual(['scaling.event-with-replicas']);
    expect(codes({ eventScaling: queue(broker), statefulSet: {}, port: 8080 })).toEqual([
      'scaling.event-on-stateful-set',
    ]);
    expect(codes({ eventScaling: { maxReplicas: 3, triggers: [] } })).toEqual(['scaling.no-triggers']);
    expect(codes({ eventScaling: { maxReplicas: 3, triggers: [{ type: 'kafka' } as any, undefined as any] } })).toEqual(
      ['trigger.type', 'trigger.type'],
    );
    expect(codes({ eventScaling: queue(broker, { minReplicas: 4, maxReplicas: 3 }) })).toEqual([
      'autoscaling.min-above-max',
    ]);
    expect(
      codes({
        eventScaling: queue(broker, {
          maxReplicas: 0,
          pollingInterval: Duration.millis(500),
          cooldown: Duration.millis(1500),
          kedaNamespace: 'Keda',
        }),
      }),
    ).toEqual(['duration.whole-seconds', 'duration.whole-seconds', 'name.dns-label', 'number.count']);
  });

  test('a ReadWriteOnce volume on a Deployment KEDA may scale out', () => {
    expect(
      codes({
        eventScaling: queue(broker),
        volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })],
      }),
    ).toEqual(['volume.shared-read-write-once']);
  });

  test('a trigger whose server is not a service and port of the app, or whose options are empty or malformed', () => {
    const messages = problemsOf(() =>
      brokerAndWorker((broker) => ({
        maxReplicas: 3,
        triggers: [
          ScaleTrigger.rabbitMq({ server: Dependency.on(broker, { portName: 'nope' }), queueName: '' }),
          ScaleTrigger.kafka({
            server: Dependency.inNamespace('shop', 'kafka'),
            consumerGroup: 'g',
            topic: 't',
            lagThreshold: 0,
          }),
          ScaleTrigger.sqs({
            queueUrl: 'https://example.com/orders',
            region: 'eu-west-1',
            authentication: 'Bad_Name',
          }),
          ScaleTrigger.prometheus({ server: broker, query: 'up', threshold: 0 }),
          ScaleTrigger.cron({
            timeZone: 'Mars/Olympus',
            start: '0 25 * * *',
            end: '0 18 * * *',
            desiredReplicas: 1,
          }),
        ],
      })),
    );
    expect(messages.map((m) => m.split(':')[0])).toEqual([
      '[shop/worker] eventScaling.triggers[0].queueName',
      '[shop/worker] eventScaling.triggers[0].server',
      '[shop/worker] eventScaling.triggers[1].lagThreshold',
      '[shop/worker] eventScaling.triggers[1].server',
      '[shop/worker] eventScaling.triggers[2].authentication',
      '[shop/worker] eventScaling.triggers[2].queueUrl',
      '[shop/worker] eventScaling.triggers[3].threshold',
      '[shop/worker] eventScaling.triggers[4].timeZone',
      '[shop/worker] eventScaling.triggers[4].start',
    ]);
    expect(messages[1]).toContain(
      'received "shop/broker port nope"; allowed: a service of this app and a port it declares',
    );
  });
});

describe('KEDA: a ScaledJob for batch work', () => {
  const app = shop((s) => {
    const broker = s.addService('broker', brokerProps);
    s.addScaledJob('resize', {
      image,
      dependsOn: [broker],
      maxReplicas: 5,
      backoffLimit: 1,
      triggers: [ScaleTrigger.rabbitMq({ server: broker, queueName: 'images', value: 1 })],
    });
  });
  const objects = objectsOf(app);

  test('starts Jobs of the workload model on the triggers, and the broker admits KEDA', () => {
    const job = find(objects, 'ScaledJob', 'resize');
    expect(job.spec).toMatchObject({
      pollingInterval: 30,
      maxReplicaCount: 5,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTargetRef: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', serviceAccountName: 'resize' } } },
      triggers: [{ type: 'rabbitmq', metadata: { queueName: 'images', value: '1' } }],
    });
    expect(job.spec.jobTargetRef.template.spec.containers[0].env).toContainEqual({
      name: 'BROKER_HOST',
      value: 'broker.shop.svc.cluster.local',
    });
    expect(objects.filter((o) => o.kind === 'Job')).toEqual([]);
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'broker').spec.ingress)).toContain('keda-operator');
  });

  test('is refused with a name too long for the Jobs KEDA names after it, or without triggers', () => {
    const codes = codesOf(() =>
      shop((s) => {
        s.addScaledJob('a'.repeat(58), { image, triggers: [], maxReplicas: 0, successfulJobsHistory: -1 });
      }),
    );
    expect(codes).toEqual(['job.name-too-long', 'scaling.no-triggers', 'number.count', 'cron-job.history']);
  });
});

describe('Prometheus Operator: metrics', () => {
  test('a declared port gets a ServiceMonitor, and the NetworkPolicy admits Prometheus on that port only', () => {
    const app = shop((s) =>
      s.addService('api', {
        image,
        port: 8080,
        ports: [{ name: 'metrics', port: 9102 }],
        metrics: { labels: { release: 'kube-prometheus-stack' }, interval: Duration.seconds(15) },
      }),
    );
    const objects = objectsOf(app);
    expect(find(objects, 'ServiceMonitor', 'api')).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      metadata: { labels: { release: 'kube-prometheus-stack', 'app.kubernetes.io/name': 'api' } },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop-api' } },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }],
      },
    });
    expect(find(objects, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        ports: [{ port: 9102, protocol: 'TCP' }],
      },
    ]);
    // Scraped is reached: no "nobody calls it" warning.
    expect(Manifests.synthesize(app).warnings.join('\n')).not.toContain('dependsOn');
  });

  test('a worker without a Service gets a PodMonitor on a port only its pods open', () => {
    const objects = objectsOf(
      shop((s) =>
        s.addService('worker', {
          image,
          metrics: {
            port: 9102,
            path: '/stats',
            prometheusNamespace: 'observability',
            prometheusPodLabels: { app: 'prom' },
          },
        }),
      ),
    );
    expect(objects.filter((o) => o.kind === 'Service' || o.kind === 'ServiceMonitor')).toEqual([]);
    expect(find(objects, 'PodMonitor', 'worker').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'shop-worker' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/stats', interval: '30s' }],
    });
    expect(find(objects, 'Deployment', 'worker').spec.template.spec.containers[0].ports).toEqual([
      { name: 'metrics', containerPort: 9102, protocol: 'TCP' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'worker').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
            podSelector: { matchLabels: { app: 'prom' } },
          },
        ],
        ports: [{ port: 9102, protocol: 'TCP' }],
      },
    ]);
  });

  test('a StatefulSet is scraped through a PodMonitor: its headless Service would have each pod scraped twice', () => {
    const objects = objectsOf(
      shop((s) =>
        s.addService('db', {
          image,
          port: 5432,
          ports: [{ name: 'metrics', port: 9187 }],
          statefulSet: {},
          replicas: 1,
          metrics: {},
        }),
      ),
    );
    expect(objects.filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
    expect(find(objects, 'PodMonitor', 'db').spec.podMetricsEndpoints).toEqual([
      { port: 'metrics', path: '/metrics', interval: '30s' },
    ]);
  });

  test('is off by default', () => {
    const objects = objectsOf(
      shop((s) => s.addService('api', { image, port: 8080, ports: [{ name: 'metrics', port: 9102 }] })),
    );
    expect(objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com'))).toEqual([]);
  });

  test('an undeclared or UDP port, a pod-only port that is declared too, a bad path', () => {
    const codes = (props: Partial<MicroserviceProps>) =>
      codesOf(() => shop((s) => s.addService('api', { image, port: 8080, ...props })));
    expect(codes({ metrics: {} })).toEqual(['metrics.port-unknown']);
    expect(codes({ metrics: { portName: 'http', port: 9000 } })).toEqual(['metrics.port-taken']);
    expect(codes({ ports: [{ name: 'metrics', port: 8125, protocol: 'UDP' as any }], metrics: {} })).toEqual([
      'metrics.port-unknown',
    ]);
    expect(codes({ metrics: { portName: 'http', path: 'metrics', interval: Duration.millis(10) } })).toEqual([
      'duration.whole-seconds',
      'metrics.path',
    ]);
  });
});

describe('External Secrets: a Secret synced from a store', () => {
  test('the ExternalSecret writes the Secret a workload reads, which need not be listed', () => {
    const app = shop((s) => {
      const db = s.addExternalSecret('db', {
        store: 'vault',
        keys: [
          { secretKey: 'password', remoteKey: 'prod/shop/db', property: 'password' },
          { secretKey: 'user', remoteKey: 'prod/shop/db', property: 'user', version: '3' },
        ],
      });
      s.addService('api', { image, port: 8080, env: { DB_PASSWORD: EnvVar.fromSecret(db.secretName, 'password') } });
    });
    expect(find(objectsOf(app), 'ExternalSecret', 'db')).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'cdk8s-msa' },
      },
      spec: {
        refreshInterval: '3600s',
        secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
        target: { name: 'db', creationPolicy: 'Owner' },
        data: [
          { secretKey: 'password', remoteRef: { key: 'prod/shop/db', property: 'password' } },
          { secretKey: 'user', remoteRef: { key: 'prod/shop/db', property: 'user', version: '3' } },
        ],
      },
    });
  });

  test('without it, the same reference is an unlisted Secret', () => {
    expect(
      codesOf(() =>
        shop((s) =>
          s.addService('api', { image, port: 8080, env: { DB_PASSWORD: EnvVar.fromSecret('db', 'password') } }),
        ),
      ),
    ).toEqual(['reference.secret-unlisted']);
  });

  test('no keys, a key twice, an empty remote key, a bad store name or Secret name', () => {
    expect(
      codesOf(() =>
        shop((s) => {
          s.addExternalSecret('Db', { store: 'vault', keys: [] });
          s.addExternalSecret('db', {
            store: 'Vault',
            keys: [
              { secretKey: 'a', remoteKey: 'x' },
              { secretKey: 'a', remoteKey: '' },
              { secretKey: 'b/c', remoteKey: 'y' },
            ],
          });
        }),
      ),
    ).toEqual([
      'name.dns-subdomain',
      'external-secret.no-keys',
      'name.dns-subdomain',
      'external-secret.duplicate-key',
      'external-secret.remote-key',
      'name.config-key',
    ]);
  });

  test('outside a system it is refused at once', () => {
    expect(() => new ExternalSecret(new App(), 'db', { store: 'v', keys: [] })).toThrow(
      /\[db\] scope: received "the app"; allowed: a MicroserviceSystem/,
    );
  });
});
