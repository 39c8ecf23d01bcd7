import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Dependency,
  Exposure,
  HealthCheck,
  MicroserviceSystem,
  PodManagementPolicy,
  PortProtocol,
  ScaleTrigger,
  Storage,
  Target,
} from '../lib';

/**
 * The third example, a chat backend with the shapes the first two lack: a NATS broker cluster (a
 * 3-replica StatefulSet whose pods route messages to each other), a gRPC presence service behind
 * a GRPCRoute, a statsd collector on UDP, an API served over HTTPS only (a route with a TLS
 * secret), and a notifier worker on a NATS JetStream queue that KEDA scales on its backlog and
 * Prometheus scrapes through a ServiceMonitor.
 */
export function buildChat(scope: Construct, target: Target): MicroserviceSystem {
  const chat = new MicroserviceSystem(scope, 'chat', { target, secrets: ['chat-tls'] });
  // Routes where the target has a Gateway API implementation; elsewhere an Ingress for the API
  // and no way in for gRPC (Ingress controllers each spell gRPC backends their own way).
  const routes = target.gatewayClass(false) !== undefined;
  const broker = chat.addService('broker', {
    image: 'nats:2.10.22-alpine',
    port: 4222,
    portName: 'client',
    component: 'broker',
    replicas: 3,
    ports: [
      { name: 'cluster', port: 6222 },
      { name: 'monitor', port: 8222 },
    ],
    args: ['--cluster_name=chat', '--cluster=nats://0.0.0.0:6222', '--routes=nats://broker-headless:6222', '--http_port=8222', '--jetstream', '--store_dir=/data'],
    // The brokers route messages to each other on the cluster port.
    statefulSet: { podManagement: PodManagementPolicy.PARALLEL, peerPorts: ['cluster'] },
    healthCheck: HealthCheck.http('/healthz', { portName: 'monitor' }),
    volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(10) })],
  });
  const presence = chat.addService('presence', {
    image: 'ghcr.io/acme/presence:0.9.1',
    ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }],
    dependsOn: [broker],
    // GKE's Gateway controller serves no GRPCRoute: there, a load balancer carries the gRPC port.
    expose: target.grpcRouteRefusal
      ? Exposure.loadBalancer()
      : routes
        ? Exposure.route({ host: 'presence.chat.example.com' })
        : undefined,
  });
  // statsd takes metrics on UDP and answers "health" on its TCP admin port: readiness asks it, and
  // liveness is a TCP connect to that port, the main one.
  const metrics = chat.addService('metrics', {
    image: 'statsd/statsd:v0.10.2',
    component: 'metrics',
    port: 8126,
    portName: 'admin',
    ports: [{ name: 'statsd', port: 8125, protocol: PortProtocol.UDP }],
    healthCheck: HealthCheck.command(['/bin/sh', '-c', 'echo health | nc -w 1 127.0.0.1 8126 | grep -q up']),
  });
  const statsd = Dependency.on(metrics, { portName: 'statsd' });
  chat.addService('api', {
    image: 'ghcr.io/acme/chat-api:3.2.0',
    port: 8080,
    healthCheck: HealthCheck.http('/healthz'),
    dependsOn: [broker, presence, statsd],
    expose: routes
      ? Exposure.route({ host: 'chat.example.com', tlsSecret: 'chat-tls' })
      : Exposure.ingress({ host: 'chat.example.com', tlsSecret: 'chat-tls' }),
  });
  chat.addService('notifier', {
    image: 'ghcr.io/acme/notifier:1.1.0',
    component: 'worker',
    dependsOn: [broker, statsd],
    // Ready: connected to the broker; alive: still making progress (a different question, so a
    // broker outage takes it out of the budget without restarting it).
    healthCheck: HealthCheck.command(['notifier', 'health']),
    liveness: HealthCheck.command(['notifier', 'alive']),
    // KEDA scales it on its JetStream consumer's backlog, to zero when the queue is empty; it asks
    // the broker's monitoring port, which admits the KEDA operator. Prometheus scrapes its metrics.
    ports: [{ name: 'metrics', port: 9102 }],
    metrics: {},
    eventScaling: {
      maxReplicas: 10,
      triggers: [
        ScaleTrigger.natsJetStream({ server: Dependency.on(broker, { portName: 'monitor' }), stream: 'NOTIFICATIONS', consumer: 'notifier', lagThreshold: 100 }),
      ],
    },
  });
  return chat;
}
