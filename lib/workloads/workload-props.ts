import { Duration } from 'cdk8s';
import type { IDependency } from '../network/dependency';
import { ContainerProps, Resources } from '../pod/container';
import { EnvFrom, EnvVar } from '../pod/env';
import { SecurityOptions } from '../pod/security';
import { Storage } from '../pod/storage';
import { WorkloadIdentity } from '../targets/rendering';

/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** The taint's value equals `value`. */
  EQUAL = 'Equal',
  /** Any value of the taint's key. */
  EXISTS = 'Exists',
}

/** Which taint effect a toleration tolerates. */
export enum TaintEffect {
  /** Pods are not scheduled onto the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler tries to avoid the node. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Running pods are evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** Lets pods run on nodes with a matching taint (dedicated or spot node pools). */
export interface Toleration {
  /** Taint key; leave out with `Exists` to tolerate every taint. @default - every key */
  readonly key?: string;
  /** How the value matches. @default TolerationOperator.EQUAL */
  readonly operator?: TolerationOperator;
  /** Taint value (with `Equal`). @default - none */
  readonly value?: string;
  /** Effect tolerated. @default - every effect */
  readonly effect?: TaintEffect;
}

/**
 * What every workload (a long-running microservice, a Job, a CronJob) is made of: the main
 * container, the containers beside it, the pod around them and the dependencies it calls.
 */
export interface WorkloadProps {
  /** Name of the workload: names its objects (and a service's DNS name). @default - the construct id */
  readonly name?: string;
  /** Container image pinned by tag or digest; `latest` and untagged images are rejected. */
  readonly image: string;
  /** Command (entrypoint) override. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** Requests and limits of the main container. @default - see `Resources` */
  readonly resources?: Resources;
  /** Environment variables of the main container. @default - none besides dependency wiring */
  readonly env?: { [name: string]: EnvVar };
  /** Every key of ConfigMaps or Secrets as env vars of the main container. @default - none */
  readonly envFrom?: EnvFrom[];
  /** Volumes of the pod, mounted into the main container at their mountPath. @default - only the /tmp scratch volume */
  readonly volumes?: Storage[];
  /** Containers that run to completion, in order, before the others start (migrations, downloads). @default - none */
  readonly initContainers?: ContainerProps[];
  /** Native sidecars: start before the main container and run as long as the pod (proxies, log shippers). @default - none */
  readonly sidecars?: ContainerProps[];
  /** Relaxations of the security defaults. @default - restricted */
  readonly security?: SecurityOptions;
  /** What this workload calls. Each wires env vars into every container and allows the network edge. @default - none */
  readonly dependsOn?: IDependency[];
  /** Cloud identity. @default - none */
  readonly identity?: WorkloadIdentity;
  /** Image pull Secrets in addition to the system's `imagePullSecrets`; each must be listed in the system's `secrets`. @default - none */
  readonly imagePullSecrets?: string[];
  /** Tolerations of taints. @default - none */
  readonly tolerations?: Toleration[];
  /** Node labels the pods need, besides `kubernetes.io/os` (and the target's architecture). @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** PriorityClass of the pods. @default - the cluster's default priority */
  readonly priorityClassName?: string;
  /**
   * Run the pods in a user namespace (`hostUsers: false`, GA in Kubernetes 1.36): root in the
   * container is an unprivileged user on the node. Needs a node whose kernel and runtime support
   * it (Linux 6.3+, containerd 2.0+ or CRI-O 1.25+); a server with the feature off drops the field.
   * @default false
   */
  readonly userNamespace?: boolean;
  /** Time between SIGTERM and SIGKILL. @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
  /** Labels added to every object of the workload and to its pods. @default - none */
  readonly labels?: { [key: string]: string };
  /** Annotations added to every object of the workload. @default - none */
  readonly annotations?: { [key: string]: string };
  /** Annotations added to the pods only. @default - none */
  readonly podAnnotations?: { [key: string]: string };
  /** `app.kubernetes.io/version`. @default - the image tag (or digest) */
  readonly version?: string;
  /** `app.kubernetes.io/component`, e.g. "frontend", "database", "migration". @default - "service" for a microservice, "job" or "cronjob" otherwise */
  readonly component?: string;
}
