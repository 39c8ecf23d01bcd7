import { message } from './message';

/** A list for a message: the names, or "none". */
const list = (names: readonly string[]) => names.join(', ') || 'none';

/** The objects of the operators a platform runs (KEDA, the Prometheus Operator, External Secrets), and Helm chart output. */
export const OPERATOR_MESSAGES = {
  'scaling.both-autoscalers': message(
    () =>
      'one autoscaler per workload: autoscaling (an HPA) or eventScaling (KEDA, which creates and owns its own HPA)',
    () =>
      'remove autoscaling: two HPAs on one Deployment fight over its replicas (add a KEDA cpu trigger if CPU should count too)',
  ),
  'scaling.event-on-stateful-set': message(
    () => 'eventScaling on a Deployment',
    () => 'each replica of a StatefulSet owns its volume and identity: scale it on purpose with replicas',
  ),
  'scaling.event-with-replicas': message(
    () => 'no replicas when eventScaling is set (KEDA owns the count)',
    () => 'remove replicas and use eventScaling.minReplicas',
  ),
  'scaling.no-triggers': message(
    () => 'at least one trigger',
    () => 'e.g. triggers: [ScaleTrigger.rabbitMq({ server: broker, queueName: "orders" })]',
  ),
  'trigger.type': message(
    () =>
      'a trigger made by ScaleTrigger.kafka(), .rabbitMq(), .sqs(), .redisList(), .prometheus(), .cron() or .natsJetStream()',
    () => 'build each trigger with a ScaleTrigger factory',
  ),
  'trigger.required': message<{ type: string }>(
    (f) => `a non-empty string (the ${f.type} scaler needs it)`,
    () => 'set it',
  ),
  'trigger.threshold': message(
    () => 'a number above 0',
    () => "the query's value one replica handles, e.g. 100",
  ),
  'trigger.sqs-queue-url': message(
    () => 'an SQS queue URL: https://sqs.<region>.amazonaws.com/<12-digit account>/<queue name>',
    () => 'copy the URL the SQS console or `aws sqs get-queue-url` shows',
  ),
  'trigger.server-unknown': message<{ services: string[] }>(
    (f) => `a service of this app and a port it declares (${list(f.services)}), or Dependency.external(...)`,
    () => 'KEDA reads the trigger from this server: check the service, its namespace and portName',
  ),
  'metrics.port-unknown': message<{ ports: string[] }>(
    (f) => `a TCP port the service declares: ${list(f.ports)}`,
    () =>
      'name the port serving metrics (metrics: { portName: "metrics" }), or give a worker without a Service a port of its own with metrics.port',
  ),
  'metrics.port-taken': message(
    () => 'metrics.port only for a port name the service does not declare',
    () => 'drop metrics.port: the declared port of that name is scraped through the Service',
  ),
  'metrics.path': message(
    () => 'an HTTP path starting with "/"',
    () => 'e.g. "/metrics"',
  ),
  'external-secret.no-keys': message(
    () => 'at least one key',
    () => 'keys: [{ secretKey: "password", remoteKey: "prod/db", property: "password" }]',
  ),
  'external-secret.duplicate-key': message(
    () => 'each secretKey once',
    () => 'two remote values would write the same key of the Secret: rename one',
  ),
  'external-secret.remote-key': message(
    () => 'a non-empty key of the secret store (a path or name, as the store names its secrets)',
    () => 'e.g. "prod/shop/db"',
  ),
  'external-secret.outside-system': message(
    () => 'a MicroserviceSystem or a construct inside one',
    () => 'create it with system.addExternalSecret() or under a construct in the system: it writes into that namespace',
  ),
  'helm.chart-version': message(
    () => 'a SemVer 2 version, as Helm requires of a chart',
    () => 'e.g. "1.4.0" or "1.4.0-rc.1"',
  ),
} as const;
