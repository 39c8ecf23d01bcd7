import { Duration } from 'cdk8s';
import { Exposure } from '../network/exposure';
import { EventScalingOptions } from '../objects/keda';
import { MetricsOptions } from '../objects/monitoring';
import { AutoscalingOptions, DisruptionBudgetOptions } from '../objects/scaling';
import { NamedPort } from '../pod/container';
import { HealthCheck } from '../pod/health-check';
import { PodCount } from './pod-count';
import { StatefulSetOptions } from './stateful';
import { WorkloadProps } from './workload-props';

/** Rolling update settings. */
export interface RolloutOptions {
  /** Extra pods allowed during a rollout (Deployments only). @default PodCount.percent(25) */
  readonly maxSurge?: PodCount;
  /** Pods allowed to be unavailable during a rollout. @default PodCount.absolute(0) */
  readonly maxUnavailable?: PodCount;
  /** How long a new pod must be ready before it counts as available. @default Duration.seconds(0) */
  readonly minReady?: Duration;
  /** How long a rollout may make no progress before it is marked failed (Deployments only). @default Duration.minutes(10) */
  readonly progressDeadline?: Duration;
}

/** Traffic admitted from outside the system, beyond declared dependencies and exposure. */
export interface AllowFromOptions {
  /** Named port admitted. @default - the main port */
  readonly portName?: string;
  /** Only pods with these labels in that namespace. @default - every pod of the namespace */
  readonly podLabels?: { [key: string]: string };
}

/** Props of a long-running microservice. */
export interface MicroserviceProps extends WorkloadProps {
  /** Main port, named `portName`. @default - no main port (a worker) */
  readonly port?: number;
  /** Name of the main port. @default "http" */
  readonly portName?: string;
  /** More named ports. @default - none */
  readonly ports?: NamedPort[];
  /** Fixed replica count; must not be set with autoscaling. @default 2, or 1 with a ReadWriteOnce volume on a Deployment */
  readonly replicas?: number;
  /** HealthCheck used for readiness, and the basis of liveness and startup, unless overridden. @default HealthCheck.tcp() on the main port when it is TCP */
  readonly healthCheck?: HealthCheck;
  /** Liveness probe. @default - a TCP connect to the health check's port when `healthCheck` is HTTP or a command on a TCP port; none when it is TCP (it would repeat readiness) */
  readonly liveness?: HealthCheck;
  /** Readiness probe. @default - `healthCheck` with readiness timing */
  readonly readiness?: HealthCheck;
  /** Startup probe (it holds liveness back until it passes). @default - the liveness check, else `healthCheck`, with startup timing (only a timeout set on it is kept) */
  readonly startup?: HealthCheck;
  /** Horizontal pod autoscaling (Deployments only). @default - fixed replicas */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Event-driven scaling by KEDA (Deployments only): a `ScaledObject` on queue or metric triggers
   * instead of the library's HPA (KEDA creates and owns its own), and the triggers' servers of
   * this app admit the KEDA operator on the port it reads. Needs KEDA in the cluster.
   * @default - no KEDA objects
   */
  readonly eventScaling?: EventScalingOptions;
  /**
   * Prometheus metrics, scraped by the Prometheus Operator: a `ServiceMonitor` on a declared port
   * (a `PodMonitor` for a StatefulSet or a pod-only `metrics.port`), and the NetworkPolicy
   * admits the Prometheus pods on that port only. Needs the Prometheus Operator's CRDs.
   * @default - no monitoring objects
   */
  readonly metrics?: MetricsOptions;
  /** Rolling update settings. @default - see `RolloutOptions` */
  readonly rollout?: RolloutOptions;
  /** PodDisruptionBudget. @default - maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudgetOptions;
  /** Spread pods across nodes (and zones where the target has them). @default true */
  readonly spread?: boolean;
  /** How the service is reached from outside. @default Exposure.cluster() */
  readonly expose?: Exposure;
  /**
   * Further ways in, each naming a port no other way in exposes: e.g. `Exposure.route({ portName:
   * 'grpc' })` (a GRPCRoute) beside an HTTP route, or `Exposure.loadBalancer({ portName: 'grpc' })` (a
   * Service `<name>-<port>` of its own, carrying only that port). Objects are named `<name>-<port>`.
   * @default - none
   */
  readonly alsoExpose?: Exposure[];
  /** Run as a StatefulSet: a claim per pod from `Storage.persistent` volumes, stable pod DNS names. @default - a Deployment */
  readonly statefulSet?: StatefulSetOptions;
  /** Sleep before SIGTERM so load balancers and kube-proxy stop sending traffic first. @default Duration.seconds(5) for a service with ports, else none */
  readonly preStopDelay?: Duration;
}
