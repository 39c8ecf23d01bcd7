import { Duration } from 'cdk8s';
import { Json } from './api-object';

/** Horizontal pod autoscaling. The HPA owns the replica count: `replicas` must not be set with it. */
export interface AutoscalingOptions {
  /** Fewest replicas. */
  readonly minReplicas: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of the request. @default 70, when memoryUtilization is unset */
  readonly cpuUtilization?: number;
  /** Target average memory utilization, percent of the request. @default - not a scaling metric */
  readonly memoryUtilization?: number;
  /** How long load must stay low before scaling down. @default Duration.minutes(5) */
  readonly scaleDownStabilization?: Duration;
  /** How long load must stay high before scaling up. @default Duration.seconds(0) */
  readonly scaleUpStabilization?: Duration;
}

/** PodDisruptionBudget settings. */
export interface DisruptionBudgetOptions {
  /** Emit a PodDisruptionBudget. @default true */
  readonly enabled?: boolean;
  /** Pods that may be evicted at once. @default 1 (every replica but one stays during node drains) */
  readonly maxUnavailable?: number;
  /** Pods that must stay available (instead of maxUnavailable). @default - use maxUnavailable */
  readonly minAvailable?: number;
}

/** The spec of a HorizontalPodAutoscaler (autoscaling/v2) scaling `kind`/`name`. */
export function autoscalerSpec(options: AutoscalingOptions, kind: string, name: string): Json {
  const metric = (resource: string, utilization: number) => ({
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization: utilization } },
  });
  const metrics: Json[] = [];
  if (options.cpuUtilization !== undefined || options.memoryUtilization === undefined)
    metrics.push(metric('cpu', options.cpuUtilization ?? 70));
  if (options.memoryUtilization !== undefined) metrics.push(metric('memory', options.memoryUtilization));
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
    minReplicas: options.minReplicas,
    maxReplicas: options.maxReplicas,
    metrics,
    behavior: {
      scaleDown: { stabilizationWindowSeconds: options.scaleDownStabilization?.toSeconds() ?? 300 },
      scaleUp: { stabilizationWindowSeconds: options.scaleUpStabilization?.toSeconds() ?? 0 },
    },
  };
}

/** The spec of a PodDisruptionBudget over the pods `selector` picks. */
export function disruptionBudgetSpec(options: DisruptionBudgetOptions, selector: { [key: string]: string }): Json {
  return {
    selector: { matchLabels: selector },
    // A pod that is not Ready serves nothing: evicting it never breaks the budget's promise, and a
    // budget that blocked it (IfHealthyBudget, the default) would stall node drains (GA in 1.31).
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
    ...(options.minAvailable !== undefined
      ? { minAvailable: options.minAvailable }
      : { maxUnavailable: options.maxUnavailable ?? 1 }),
  };
}
