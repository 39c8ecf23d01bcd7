import { IConstruct } from 'constructs';
import type { NamedPort } from './pod/container';
import type { PodPeer } from './pod/pods';
import type { PodSecurityLevel } from './pod/pod-security';
import type { Target } from './targets/target';

/**
 * The small interfaces that let workloads, dependencies, systems and the diagram see each other
 * without importing each other's classes (which would make an import circle). Type checks use
 * `Symbol.for` markers rather than `instanceof`, which fails when two copies of the package meet.
 */

/** Marks a MicroserviceSystem. */
export const SYSTEM_MARKER = Symbol.for('cdk8s-msa.MicroserviceSystem');
/** Marks a workload (Microservice, Job, CronJob). */
export const WORKLOAD_MARKER = Symbol.for('cdk8s-msa.Workload');

/** What a dependency sees of the microservice it calls. */
export interface IEndpoint extends IConstruct {
  /** Name of the service (its DNS name's first label). */
  readonly serviceName: string;
  /** Cluster DNS name, e.g. `catalog.shop.svc.cluster.local`. */
  readonly dnsName: string;
  /** Its named ports, main port first. */
  readonly ports: NamedPort[];
  /** Cluster DNS name of the Service carrying `port` (a load balancer's Service carries only the exposed port). */
  hostFor(port: NamedPort): string;
  /** Its pods. */
  readonly pods: PodPeer;
  /** Stable DNS names of its pods (StatefulSet), else none. */
  readonly podHostnames: string[];
}

/** A workload as its system and the diagram see it. */
export interface IWorkloadNode extends IConstruct {
  /** Name of the workload. */
  readonly serviceName: string;
  /** Its pods. */
  readonly pods: PodPeer;
  /** Whether any workload depends on it. */
  readonly hasConsumers: boolean;
  /** The workload as a diagram node. */
  graphNode(): GraphNode;
}

/** What a workload's scope must offer: its system. */
export interface ISystem extends IConstruct {
  /** Name of the system. */
  readonly systemName: string;
  /**
   * Its namespace. Hidden from jsii: `MicroserviceSystem` inherits an optional `namespace` from
   * `Chart`, which jsii forbids an implemented interface to make required.
   * @jsii ignore
   */
  readonly namespace: string;
  /** Target profile. */
  readonly target: Target;
  /** Pod Security level of the namespace. */
  readonly podSecurity: PodSecurityLevel;
  /** Externally provisioned Secrets workloads may reference. */
  readonly secrets: string[];
  /** Image pull Secrets every workload uses. */
  readonly imagePullSecrets: string[];
  /** Externally provisioned ConfigMaps workloads may reference by name. */
  readonly configMaps: string[];
  /** Creates the StorageClass the target needs, once, when a workload has a persistent volume. */
  useStorageClass(): void;
  /** Service `name` of the system of this app that owns `namespace`. */
  findEndpoint(namespace: string, name: string): IEndpoint | undefined;
  /** Whether a system of this app owns `namespace`. */
  ownsNamespace(namespace: string): boolean;
  /** Namespaces owned by the systems of this app. */
  knownNamespaces(): string[];
  /** Names of the services of this system. */
  serviceNames(): string[];
}

/** Whether `x` is a MicroserviceSystem (of any copy of this package). */
export function isSystem(x: unknown): x is ISystem {
  return typeof x === 'object' && x !== null && SYSTEM_MARKER in x;
}

/** Whether `x` is a workload (of any copy of this package). */
export function isWorkload(x: unknown): x is IWorkloadNode {
  return typeof x === 'object' && x !== null && WORKLOAD_MARKER in x;
}

/** The system `scope` belongs to, as `Chart.of` finds a chart; undefined outside any system. */
export function findSystem(scope: IConstruct): ISystem | undefined {
  for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
    if (isSystem(s)) return s;
  }
  return undefined;
}

/** A dependency edge of the diagram. */
export interface GraphEdge {
  /** Node id of the provider, or the external endpoint's name. */
  readonly to: string;
  /** Namespace of the provider; undefined for an external endpoint. */
  readonly namespace?: string;
  /** Edge label. */
  readonly label: string;
  /** Host of an external endpoint. */
  readonly externalHost?: string;
}

/** A persistent volume as the diagram draws it. */
export interface GraphVolume {
  /** Volume name. */
  readonly name: string;
  /** Size and access mode. */
  readonly description: string;
}

/** A workload as the diagram draws it. */
export interface GraphNode {
  /** Name. */
  readonly name: string;
  /** Second line: ports, or the kind of workload. */
  readonly detail: string;
  /** Third line: replicas or schedule. */
  readonly scale: string;
  /** Persistent volumes. */
  readonly volumes: GraphVolume[];
  /** How clients reach it from outside, if they do. */
  readonly entry?: string;
  /** Its dependencies. */
  readonly edges: GraphEdge[];
}
