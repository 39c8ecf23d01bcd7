import type { Duration } from 'cdk8s';
import { Json } from '../objects/api-object';
import { PodCount } from './pod-count';

/** Order in which a StatefulSet creates and deletes its pods. */
export enum PodManagementPolicy {
  /** One at a time, each Ready before the next (databases that bootstrap from peer 0). */
  ORDERED_READY = 'OrderedReady',
  /** All at once (peers that need no order). */
  PARALLEL = 'Parallel',
}

/** What happens to a StatefulSet's claims. */
export enum ClaimRetention {
  /** Keep the PersistentVolumeClaims (the data survives). */
  RETAIN = 'Retain',
  /** Delete them. */
  DELETE = 'Delete',
}

/** Settings of a microservice run as a StatefulSet. */
export interface StatefulSetOptions {
  /** Pod creation order. @default PodManagementPolicy.ORDERED_READY */
  readonly podManagement?: PodManagementPolicy;
  /** Claims of a deleted StatefulSet. @default ClaimRetention.RETAIN */
  readonly whenDeleted?: ClaimRetention;
  /** Claims of pods removed by scaling down. @default ClaimRetention.RETAIN */
  readonly whenScaled?: ClaimRetention;
  /**
   * Names of the ports the pods call each other on: a clustered store's replication, gossip or
   * routing port (`cluster` of a NATS or Redis cluster, `raft`, `peer`). The NetworkPolicy lets the
   * StatefulSet's pods reach each other on these ports only; `[]` says they never call each other.
   * @default - none: the pods cannot reach each other, and more than one replica draws a warning
   */
  readonly peerPorts?: string[];
}

/** The StatefulSet-only part of its spec: governing Service, order, updates and claim templates. */
export function statefulSetSpec(options: StatefulSetOptions, serviceName: string, claimTemplates: Json[]): Json {
  return {
    serviceName,
    podManagementPolicy: options.podManagement ?? PodManagementPolicy.ORDERED_READY,
    // rollingUpdate.maxUnavailable for StatefulSets is beta (KEP-961, MaxUnavailableStatefulSet), not
    // set here: updates replace one pod at a time, as a clustered store expects.
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    persistentVolumeClaimRetentionPolicy: {
      whenDeleted: options.whenDeleted ?? ClaimRetention.RETAIN,
      whenScaled: options.whenScaled ?? ClaimRetention.RETAIN,
    },
    ...(claimTemplates.length > 0 ? { volumeClaimTemplates: claimTemplates } : {}),
  };
}

/**
 * The Deployment-only part of its spec: how it rolls out. A ReadWriteOnce volume cannot attach to
 * a second pod on another node, so the old pod stops before the new one starts (Recreate
 * semantics for a single replica).
 */
export function deploymentRollout(
  rollout: { readonly maxSurge?: PodCount; readonly maxUnavailable?: PodCount; readonly progressDeadline?: Duration },
  hasRwoVolume: boolean,
): Json {
  return {
    strategy: hasRwoVolume
      ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }
      : {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxSurge: (rollout.maxSurge ?? PodCount.percent(25)).toJson(),
            maxUnavailable: (rollout.maxUnavailable ?? PodCount.absolute(0)).toJson(),
          },
        },
    progressDeadlineSeconds: rollout.progressDeadline?.toSeconds() ?? 600,
  };
}

/**
 * Spread across nodes (and zones where the target has them), ScheduleAnyway: a single-node local
 * cluster or a zone outage must not leave pods Pending. `matchLabelKeys` keeps a Deployment's old
 * and new ReplicaSet from skewing each other during a rollout.
 */
export function spreadConstraints(selector: { [key: string]: string }, zones: boolean, perRevision: boolean): Json[] {
  const constraint = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
    ...(perRevision ? { matchLabelKeys: ['pod-template-hash'] } : {}),
  });
  return [constraint('kubernetes.io/hostname'), ...(zones ? [constraint('topology.kubernetes.io/zone')] : [])];
}

/** Prefer nodes without another pod of this workload (linters look for it next to topology spread). */
export function antiAffinity(selector: { [key: string]: string }): Json {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' },
        },
      ],
    },
  };
}
