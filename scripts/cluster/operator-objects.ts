import { Duration, Size } from 'cdk8s';
import {
  Dependency,
  EnvVar,
  HealthCheck,
  MicroserviceSystem,
  MsaApp,
  RabbitMqMode,
  ScaleTrigger,
  SecretStoreKind,
  Storage,
  Target,
} from '../../lib';
import { CLUSTER_SCOPED_KINDS } from '../../lib/output/contract';
import { toYaml } from '../../lib/yaml-writer';
import { ControlPlane } from './control-plane';

/**
 * Every object the library emits for an operator, in every shape its options give (each KEDA
 * trigger, a TriggerAuthentication reference, a ScaledObject and a ScaledJob whose Job template
 * has native sidecars, init containers, volumes and probes; a ServiceMonitor and PodMonitors on a
 * declared port, a pod-only port and a StatefulSet; ExternalSecrets from both store kinds), as one
 * system synthesized for `target`. The example apps use a few of them; this covers the rest.
 */
export function operatorObjects(target: Target = Target.kind()): any[] {
  const app = new MsaApp({ reporter: { warn: () => undefined } });
  const lab = new MicroserviceSystem(app, 'operators', { target });
  const db = lab.addExternalSecret('db', {
    store: 'vault',
    keys: [
      { secretKey: 'password', remoteKey: 'prod/operators/db', property: 'password', version: '2' },
      { secretKey: 'user', remoteKey: 'prod/operators/db', property: 'user' },
    ],
    refreshInterval: Duration.minutes(15),
  });
  const token = lab.addExternalSecret('token', {
    store: 'team-store',
    storeKind: SecretStoreKind.SECRET_STORE,
    keys: [{ secretKey: 'token', remoteKey: 'api-token' }],
  });
  const broker = lab.addService('broker', {
    image: 'rabbitmq:4.0.5-alpine',
    port: 5672,
    portName: 'amqp',
    ports: [{ name: 'metrics', port: 15692 }],
    metrics: { labels: { release: 'kube-prometheus-stack' }, interval: Duration.seconds(15) },
  });
  const redis = lab.addService('redis', { image: 'redis:7.4.1-alpine', port: 6379, portName: 'redis' });
  const nats = lab.addService('nats', {
    image: 'nats:2.10.22-alpine',
    port: 4222,
    portName: 'client',
    ports: [{ name: 'monitor', port: 8222 }],
    statefulSet: { peerPorts: [] },
    replicas: 1,
    volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })],
    metrics: { portName: 'monitor', path: '/varz' },
  });
  const prometheus = lab.addService('prometheus', { image: 'prom/prometheus:v3.1.0', port: 9090 });
  lab.addService('worker', {
    image: 'ghcr.io/acme/worker:1.0.0',
    dependsOn: [broker, redis, nats],
    env: {
      DB_PASSWORD: EnvVar.fromSecret(db.secretName, 'password'),
      TOKEN: EnvVar.fromSecret(token.secretName, 'token'),
    },
    healthCheck: HealthCheck.command(['worker', 'ready']),
    metrics: { port: 9102 },
    eventScaling: {
      minReplicas: 1,
      maxReplicas: 20,
      cooldown: Duration.minutes(2),
      pollingInterval: Duration.seconds(15),
      triggers: [
        ScaleTrigger.rabbitMq({ server: broker, queueName: 'orders' }),
        ScaleTrigger.rabbitMq({
          server: broker,
          queueName: 'events',
          mode: RabbitMqMode.MESSAGE_RATE,
          value: 100,
          vhost: 'shop',
          authentication: 'rabbitmq-auth',
        }),
        ScaleTrigger.kafka({
          server: Dependency.external('kafka', { host: 'kafka.example.com', port: 9092 }),
          consumerGroup: 'workers',
          topic: 'orders',
          lagThreshold: 50,
        }),
        ScaleTrigger.sqs({ queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders', region: 'eu-west-1' }),
        ScaleTrigger.sqs({
          queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/audit.fifo',
          region: 'eu-west-1',
          authentication: 'aws-pod-identity',
        }),
        ScaleTrigger.redisList({ server: redis, listName: 'jobs', listLength: 10 }),
        ScaleTrigger.prometheus({ server: prometheus, query: 'sum(rate(orders_total[2m]))', threshold: 25.5 }),
        ScaleTrigger.cron({ timeZone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: 3 }),
        ScaleTrigger.natsJetStream({
          server: Dependency.on(nats, { portName: 'monitor' }),
          stream: 'ORDERS',
          consumer: 'worker',
          account: 'shop',
        }),
      ],
    },
  });
  lab.addScaledJob('resize', {
    image: 'ghcr.io/acme/resize:1.0.0',
    dependsOn: [broker],
    backoffLimit: 2,
    activeDeadline: Duration.minutes(10),
    ttlAfterFinished: Duration.hours(1),
    maxReplicas: 5,
    pollingInterval: Duration.seconds(10),
    successfulJobsHistory: 5,
    failedJobsHistory: 2,
    env: { DB_PASSWORD: EnvVar.fromSecret(db.secretName, 'password') },
    volumes: [Storage.ephemeral('scratch', { mountPath: '/scratch', sizeLimit: Size.mebibytes(512) })],
    initContainers: [{ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0' }],
    sidecars: [
      {
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.31.2',
        ports: [{ name: 'admin', port: 9901 }],
        healthCheck: HealthCheck.http('/ready'),
      },
    ],
    triggers: [ScaleTrigger.rabbitMq({ server: broker, queueName: 'images', value: 1 })],
  });
  return app.synthesizeManifests().systems.flatMap((s) => s.objects);
}

/**
 * Applies the operator objects strictly (unknown fields and server warnings fail it) against the
 * operators' real CRDs, checks that re-applying changes nothing, and removes them again. Returns
 * what it checked, by kind.
 */
export function checkOperatorObjects(cluster: ControlPlane): string {
  const objects = operatorObjects();
  const clusterScoped = objects.filter((o) => CLUSTER_SCOPED_KINDS.includes(o.kind));
  const args = ['apply', '--server-side', '--field-manager=cdk8s-msa', '--validate=strict', '-f', '-'];
  const apply = (what: string, list: any[]) => {
    const { warnings } = cluster.kubectlWarnings(args, toYaml(list));
    if (warnings.length > 0) throw new Error(`${what} drew warnings from the server:\n${warnings.join('\n')}`);
  };
  apply('the operators system (Namespace)', clusterScoped);
  apply('the operators system', objects);
  // The generation of an object changes when an apply changes its spec.
  const generations = () =>
    JSON.parse(
      cluster.kubectl([
        'get',
        'scaledobjects,scaledjobs,servicemonitors,podmonitors,externalsecrets',
        '-n',
        'operators',
        '-o',
        'json',
      ]),
    ).items.map((o: any) => `${o.kind}/${o.metadata.name}@${o.metadata.generation}`);
  const before = generations();
  apply('the operators system, again', objects);
  const after = generations();
  if (JSON.stringify(before) !== JSON.stringify(after))
    throw new Error(`re-applying changed the operators' objects: ${before} → ${after}`);
  cluster.kubectl(['delete', 'namespace', 'operators', '--wait=true', '--timeout=120s']);
  const kinds = new Map<string, number>();
  for (const o of objects.filter((o) => !o.apiVersion.includes('.k8s.io') && o.apiVersion.includes('.')))
    kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  return [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
}
