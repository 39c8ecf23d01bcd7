import { Duration } from 'cdk8s';
import {
  checkCount,
  checkCronSchedule,
  checkDnsLabel,
  checkDnsSubdomain,
  checkTimeZone,
  checkWholeSeconds,
  MAX_INT32,
  problems,
} from '../checks';
import { Problem } from '../errors';
import { problem } from '../messages';
import type { IDependency } from '../network/dependency';
import { Json } from './api-object';

/**
 * KEDA (keda.sh/v1alpha1): the triggers a workload scales on, and the specs of the ScaledObject
 * (a Deployment's replicas, through the HPA KEDA creates and owns) and the ScaledJob (one Job per
 * batch of events). Trigger metadata follows KEDA's scalers (pkg/scalers/*_scaler.go); every
 * value is a string, as the CRD takes it.
 */

/** API version of KEDA's kinds. */
export const KEDA_API_VERSION = 'keda.sh/v1alpha1';

/** Options every trigger that reaches a server shares. */
export interface ScaleTriggerOptions {
  /**
   * A KEDA `TriggerAuthentication` in the system's namespace holding the trigger's credentials
   * (a password, a TLS certificate, a cloud identity), provisioned outside the app.
   * @default - none: the scaler connects without credentials
   */
  readonly authentication?: string;
}

/** A Kafka consumer group's lag. */
export interface KafkaTriggerOptions extends ScaleTriggerOptions {
  /** A bootstrap broker: a service of this app (its main port, or `Dependency.on(kafka, { portName })`), or `Dependency.external(...)`. */
  readonly server: IDependency;
  /** The consumer group whose lag is measured. */
  readonly consumerGroup: string;
  /** The topic. */
  readonly topic: string;
  /** Lag per replica. @default 10 */
  readonly lagThreshold?: number;
}

/** What a RabbitMQ trigger measures. */
export enum RabbitMqMode {
  /** Messages waiting in the queue, per replica. */
  QUEUE_LENGTH = 'QueueLength',
  /** Messages published per second, per replica. */
  MESSAGE_RATE = 'MessageRate',
}

/** A RabbitMQ queue. */
export interface RabbitMqTriggerOptions extends ScaleTriggerOptions {
  /**
   * The broker's AMQP port: a service of this app or `Dependency.external(...)`. With
   * `authentication`, the TriggerAuthentication's `host` (an AMQP URL with credentials) is used
   * instead, and this only opens the broker's NetworkPolicy to KEDA.
   */
  readonly server: IDependency;
  /** The queue. */
  readonly queueName: string;
  /** What is measured. @default RabbitMqMode.QUEUE_LENGTH */
  readonly mode?: RabbitMqMode;
  /** Messages (or messages per second) per replica. @default 20 */
  readonly value?: number;
  /** Virtual host. @default "/" */
  readonly vhost?: string;
}

/** An Amazon SQS queue. */
export interface SqsTriggerOptions extends ScaleTriggerOptions {
  /** Queue URL, `https://sqs.<region>.amazonaws.com/<account>/<queue>`. */
  readonly queueUrl: string;
  /** AWS region of the queue, e.g. `eu-west-1`. */
  readonly region: string;
  /** Messages per replica. @default 5 */
  readonly queueLength?: number;
}

/** A Redis list. */
export interface RedisListTriggerOptions extends ScaleTriggerOptions {
  /** The Redis server: a service of this app or `Dependency.external(...)`. */
  readonly server: IDependency;
  /** The list. */
  readonly listName: string;
  /** Items per replica. @default 5 */
  readonly listLength?: number;
}

/** A Prometheus query. */
export interface PrometheusTriggerOptions extends ScaleTriggerOptions {
  /**
   * The Prometheus server's HTTP port: a service of this app, or one the platform runs as
   * `Dependency.external('prometheus', { host: 'prometheus-operated.monitoring.svc.cluster.local', port: 9090 })`.
   */
  readonly server: IDependency;
  /** PromQL returning one value, e.g. `sum(rate(http_requests_total{app="api"}[2m]))`. */
  readonly query: string;
  /** The query's value per replica. */
  readonly threshold: number;
}

/** A time window with a fixed replica count. */
export interface CronTriggerOptions {
  /** IANA time zone of `start` and `end`, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Cron schedule (five fields) at which the window starts, e.g. `0 8 * * 1-5`. */
  readonly start: string;
  /** Cron schedule at which it ends, e.g. `0 18 * * 1-5`. */
  readonly end: string;
  /** Replicas during the window. */
  readonly desiredReplicas: number;
}

/** A NATS JetStream consumer's pending messages. */
export interface NatsJetStreamTriggerOptions extends ScaleTriggerOptions {
  /** The NATS server's HTTP monitoring port (`Dependency.on(nats, { portName: 'monitor' })`), or `Dependency.external(...)`. */
  readonly server: IDependency;
  /** The stream. */
  readonly stream: string;
  /** The durable consumer. */
  readonly consumer: string;
  /** The NATS account. @default "$G" (the default account) */
  readonly account?: string;
  /** Pending messages per replica. @default 10 */
  readonly lagThreshold?: number;
}

/** How a trigger's checks name what they check: `[prop suffix, value]` pairs. */
type Field = readonly [string, unknown];

/**
 * An event a KEDA-scaled workload scales on, created with `ScaleTrigger.kafka()`, `.rabbitMq()`,
 * `.sqs()`, `.redisList()`, `.prometheus()`, `.cron()` or `.natsJetStream()`. A trigger that reads
 * a server of this app opens that server's NetworkPolicy to the KEDA operator on the port it reads.
 */
export class ScaleTrigger {
  /** Scales on a Kafka consumer group's lag (scaler `kafka`). */
  public static kafka(options: KafkaTriggerOptions): ScaleTrigger {
    return new ScaleTrigger(
      'kafka',
      options,
      [
        ['consumerGroup', options.consumerGroup],
        ['topic', options.topic],
      ],
      [['lagThreshold', options.lagThreshold]],
      (address) => ({
        bootstrapServers: address,
        consumerGroup: options.consumerGroup,
        topic: options.topic,
        lagThreshold: String(options.lagThreshold ?? 10),
      }),
    );
  }

  /** Scales on a RabbitMQ queue's length or message rate (scaler `rabbitmq`). */
  public static rabbitMq(options: RabbitMqTriggerOptions): ScaleTrigger {
    return new ScaleTrigger(
      'rabbitmq',
      options,
      [['queueName', options.queueName], ...(options.vhost === undefined ? [] : [['vhost', options.vhost] as const])],
      [['value', options.value]],
      (address) => ({
        ...(options.authentication ? {} : { host: `amqp://${address}/` }),
        protocol: 'amqp',
        queueName: options.queueName,
        mode: options.mode ?? RabbitMqMode.QUEUE_LENGTH,
        value: String(options.value ?? 20),
        ...(options.vhost === undefined ? {} : { vhostName: options.vhost }),
      }),
    );
  }

  /**
   * Scales on an SQS queue's messages (scaler `aws-sqs-queue`). Without `authentication`, KEDA
   * reads the queue with the operator's own AWS identity (`identityOwner: operator`).
   */
  public static sqs(options: SqsTriggerOptions): ScaleTrigger {
    return new ScaleTrigger(
      'aws-sqs-queue',
      options,
      [['region', options.region]],
      [['queueLength', options.queueLength]],
      () => ({
        queueURL: options.queueUrl,
        awsRegion: options.region,
        queueLength: String(options.queueLength ?? 5),
        ...(options.authentication ? {} : { identityOwner: 'operator' }),
      }),
      (prop) =>
        /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[0-9]{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(
          String(options.queueUrl),
        )
          ? []
          : [problem('trigger.sqs-queue-url', `${prop}.queueUrl`, options.queueUrl)],
    );
  }

  /** Scales on the length of a Redis list (scaler `redis`). */
  public static redisList(options: RedisListTriggerOptions): ScaleTrigger {
    return new ScaleTrigger(
      'redis',
      options,
      [['listName', options.listName]],
      [['listLength', options.listLength]],
      (address) => ({ address, listName: options.listName, listLength: String(options.listLength ?? 5) }),
    );
  }

  /** Scales on the value of a Prometheus query (scaler `prometheus`). */
  public static prometheus(options: PrometheusTriggerOptions): ScaleTrigger {
    return new ScaleTrigger(
      'prometheus',
      options,
      [['query', options.query]],
      [],
      (address) => ({ serverAddress: `http://${address}`, query: options.query, threshold: String(options.threshold) }),
      (prop) =>
        typeof options.threshold === 'number' && Number.isFinite(options.threshold) && options.threshold > 0
          ? []
          : [problem('trigger.threshold', `${prop}.threshold`, options.threshold)],
    );
  }

  /** Keeps `desiredReplicas` running between `start` and `end` (scaler `cron`). */
  public static cron(options: CronTriggerOptions): ScaleTrigger {
    return new ScaleTrigger(
      'cron',
      {},
      [],
      [['desiredReplicas', options.desiredReplicas]],
      () => ({
        timezone: options.timeZone,
        start: options.start,
        end: options.end,
        desiredReplicas: String(options.desiredReplicas),
      }),
      (prop) =>
        problems(
          checkTimeZone(`${prop}.timeZone`, options.timeZone),
          checkCronSchedule(`${prop}.start`, options.start),
          checkCronSchedule(`${prop}.end`, options.end),
        ),
    );
  }

  /** Scales on a NATS JetStream consumer's pending messages (scaler `nats-jetstream`). */
  public static natsJetStream(options: NatsJetStreamTriggerOptions): ScaleTrigger {
    return new ScaleTrigger(
      'nats-jetstream',
      options,
      [
        ['stream', options.stream],
        ['consumer', options.consumer],
        ...(options.account === undefined ? [] : [['account', options.account] as const]),
      ],
      [['lagThreshold', options.lagThreshold]],
      (address) => ({
        natsServerMonitoringEndpoint: address,
        account: options.account ?? '$G',
        stream: options.stream,
        consumer: options.consumer,
        lagThreshold: String(options.lagThreshold ?? 10),
      }),
    );
  }

  /** KEDA's name of the scaler: `kafka`, `rabbitmq`, `aws-sqs-queue`, `redis`, `prometheus`, `cron` or `nats-jetstream`. */
  public readonly type: string;
  /** The server the scaler reads, for the triggers that read one. */
  public readonly server?: IDependency;
  /** Name of the TriggerAuthentication holding its credentials. */
  public readonly authentication?: string;

  private constructor(
    type: string,
    options: { readonly server?: IDependency; readonly authentication?: string },
    private readonly texts: Field[],
    private readonly counts: Field[],
    private readonly metadata: (address: string) => { [key: string]: string },
    private readonly ownProblems: (prop: string) => Problem[] = () => [],
  ) {
    this.type = type;
    this.server = options.server;
    this.authentication = options.authentication;
  }

  /** Problems of its options under `prop` (`eventScaling.triggers[0]`). @internal */
  public _problems(prop: string): Problem[] {
    const found: Problem[] = [];
    for (const [key, value] of this.texts)
      if (typeof value !== 'string' || value.trim() === '')
        found.push(problem('trigger.required', `${prop}.${key}`, value, { type: this.type }));
    for (const [key, value] of this.counts)
      if (value !== undefined)
        found.push(...problems(checkCount(`${prop}.${key}`, value as number, 1, `a whole number ≥ 1, e.g. 10`)));
    if (this.authentication !== undefined)
      found.push(...problems(checkDnsSubdomain(`${prop}.authentication`, this.authentication)));
    return [...found, ...this.ownProblems(prop)];
  }

  /** The trigger as a ScaledObject or ScaledJob lists it; `address` is `host:port` of its server. @internal */
  public _toTrigger(address: string): Json {
    return {
      type: this.type,
      metadata: this.metadata(address),
      ...(this.authentication ? { authenticationRef: { name: this.authentication } } : {}),
    };
  }
}

/** Event-driven scaling of a service by KEDA, which creates and owns the service's HPA. */
export interface EventScalingOptions {
  /** What the service scales on; KEDA scales to the largest replica count any trigger asks for. */
  readonly triggers: ScaleTrigger[];
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Fewest replicas; 0 lets KEDA scale an idle workload to zero.
   * @default 1 for a service that other workloads depend on or that is exposed (a Service with no
   * pods refuses every call), 0 for one nobody calls (a worker on a queue)
   */
  readonly minReplicas?: number;
  /** How long after the last active trigger KEDA waits before scaling to zero. @default Duration.minutes(5) */
  readonly cooldown?: Duration;
  /** How often KEDA asks the triggers. @default Duration.seconds(30) */
  readonly pollingInterval?: Duration;
  /** Namespace of the KEDA operator, which reads the triggers' servers. @default "keda" */
  readonly kedaNamespace?: string;
}

/** Labels of the KEDA operator's pods (KEDA's manifests and Helm chart). */
export const KEDA_OPERATOR_LABELS = { app: 'keda-operator' };

/** Problems of the polling interval, cooldown and operator namespace of KEDA options, under `prefix` (`eventScaling`, or none). */
export function kedaTimingProblems(
  prefix: string,
  options: { readonly pollingInterval?: Duration; readonly cooldown?: Duration; readonly kedaNamespace?: string },
): Problem[] {
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  return problems(
    options.pollingInterval === undefined
      ? undefined
      : checkWholeSeconds(at('pollingInterval'), options.pollingInterval, 1, MAX_INT32, 'e.g. Duration.seconds(30)'),
    options.cooldown === undefined
      ? undefined
      : checkWholeSeconds(at('cooldown'), options.cooldown, 0, MAX_INT32, 'e.g. Duration.minutes(5)'),
    options.kedaNamespace === undefined ? undefined : checkDnsLabel(at('kedaNamespace'), options.kedaNamespace),
  );
}

/** The spec of a ScaledObject scaling `kind`/`name` between `minReplicas` and the options' maximum. */
export function scaledObjectSpec(
  options: EventScalingOptions,
  kind: string,
  name: string,
  minReplicas: number,
  triggers: Json[],
): Json {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
    pollingInterval: options.pollingInterval?.toSeconds() ?? 30,
    cooldownPeriod: options.cooldown?.toSeconds() ?? 300,
    minReplicaCount: minReplicas,
    maxReplicaCount: options.maxReplicas,
    triggers,
  };
}
