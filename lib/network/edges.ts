import type { IConstruct } from 'constructs';
import { toEnvName } from '../checks';
import type { ISystem, IWorkloadNode } from '../contracts';
import { NamedPort, schemeOf } from '../pod/container';
import { Dependency, DependencyKind, ResolvedEdge } from './dependency';
import { cidrPeer, podsPeer, policyPort, PolicyRule, tcpPorts } from './policy';

/** A dependency as declared: by whom, from which system, in which order. */
interface Declaration {
  readonly consumer: IWorkloadNode;
  readonly system: ISystem;
  readonly dependency: Dependency;
  readonly order: number;
}

/** A consumer of a workload, on the port it calls. */
export interface ConsumerEdge {
  /** The workload that declared the dependency. */
  readonly consumer: IWorkloadNode;
  /** The provider's port it calls. */
  readonly port: NamedPort;
}

const GRAPHS = new WeakMap<IConstruct, DependencyGraph>();

/** The one value of `registry` for the app `scope` belongs to (its root), made on first use. */
export function perApp<T>(registry: WeakMap<IConstruct, T>, scope: IConstruct, make: () => T): T {
  const root = scope.node.root;
  let value = registry.get(root);
  if (value === undefined) registry.set(root, (value = make()));
  return value;
}

/**
 * Every dependency declared in one app. Declaring only records the edge; both ends read it at
 * synth (the consumer its env vars and egress, the provider its ingress), when every workload
 * exists, so the order in which services and their dependencies are declared does not matter.
 */
export class DependencyGraph {
  /** The graph of the app `scope` belongs to. */
  public static of(scope: IConstruct): DependencyGraph {
    return perApp(GRAPHS, scope, () => new DependencyGraph());
  }

  private count = 0;
  private readonly byConsumer = new Map<IWorkloadNode, Declaration[]>();
  /** Dependencies naming their provider object (`Dependency.on`). */
  private readonly byProvider = new Map<IConstruct, Declaration[]>();
  /** Dependencies naming their provider by namespace and name (`Dependency.inNamespace`), by `namespace/name`. */
  private readonly byName = new Map<string, Declaration[]>();

  private constructor() {}

  /** Records that `consumer`, of `system`, calls `dependency`. */
  public declare(consumer: IWorkloadNode, system: ISystem, dependency: Dependency): void {
    const declaration = { consumer, system, dependency, order: this.count++ };
    append(this.byConsumer, consumer, declaration);
    if (dependency.provider) append(this.byProvider, dependency.provider, declaration);
    else if (dependency.kind === DependencyKind.NAMESPACED)
      append(this.byName, `${dependency.namespace}/${dependency.name}`, declaration);
  }

  /** The dependencies `consumer` declared, in order, with their providers and ports resolved now. */
  public edgesFrom(consumer: IWorkloadNode): ResolvedEdge[] {
    return (this.byConsumer.get(consumer) ?? []).map(resolve);
  }

  /** The workloads that call `provider`, in the order they declared it, with the port each calls. */
  public consumersOf(provider: IWorkloadNode): ConsumerEdge[] {
    const byName = this.byName.get(`${provider.pods.namespace}/${provider.serviceName}`) ?? [];
    const declared = [...(this.byProvider.get(provider) ?? []), ...byName].sort((a, b) => a.order - b.order);
    return declared.flatMap((declaration) => {
      const edge = resolve(declaration);
      return (edge.provider as IConstruct | undefined) === provider && edge.port
        ? [{ consumer: declaration.consumer, port: edge.port }]
        : [];
    });
  }
}

function append<K>(map: Map<K, Declaration[]>, key: K, declaration: Declaration): void {
  const list = map.get(key);
  if (list) list.push(declaration);
  else map.set(key, [declaration]);
}

/** A declaration with its provider (a service of this app, by object or by namespace and name) and port. */
function resolve({ system, dependency }: Pick<Declaration, 'system' | 'dependency'>): ResolvedEdge {
  if (dependency.kind === DependencyKind.EXTERNAL) return { dependency };
  const provider = dependency.provider ?? system.findEndpoint(dependency.namespace!, dependency.name);
  const port =
    provider &&
    (dependency.portName === undefined
      ? provider.ports[0]
      : provider.ports.find((p) => p.name === dependency.portName));
  return { dependency, provider, port };
}

/** Where `dependency`, named from `system`, points now: a service of this app and its port, or an external endpoint. */
export function resolveDependency(system: ISystem, dependency: Dependency): ResolvedEdge {
  return resolve({ system, dependency });
}

/** The env vars an edge gives every container of its consumer: `<PREFIX>_HOST`, `_PORT`, `_URL`, and `_POD_HOSTS` of a StatefulSet. */
export function edgeEnv(edge: ResolvedEdge): Array<{ name: string; value: string }> {
  const dep = edge.dependency;
  const wiring = (prefix: string, host: string, port: number, scheme: string) => [
    { name: `${prefix}_HOST`, value: host },
    { name: `${prefix}_PORT`, value: String(port) },
    { name: `${prefix}_URL`, value: `${scheme}://${host}:${port}` },
  ];
  if (dep.kind === DependencyKind.EXTERNAL)
    return wiring(dep.envPrefix ?? toEnvName(dep.name), dep.host!, dep.portNumber!, dep.scheme!);
  const { provider, port } = edge;
  if (!provider || !port) return [];
  const mainPortName = provider.ports[0]?.name;
  const prefix =
    dep.envPrefix ??
    toEnvName(port.name === mainPortName ? provider.serviceName : `${provider.serviceName}_${port.name}`);
  const hosts = provider.podHostnames;
  return [
    ...wiring(prefix, provider.hostFor(port), port.port, schemeOf(port)),
    ...(hosts.length > 0 ? [{ name: `${prefix}_POD_HOSTS`, value: hosts.join(',') }] : []),
  ];
}

/** The egress rule of an edge, for a consumer in `namespace`: to the provider's pods on its port, or to an external endpoint. */
export function edgeEgressRule(edge: ResolvedEdge, namespace: string): PolicyRule[] {
  const dep = edge.dependency;
  if (dep.kind === DependencyKind.EXTERNAL) {
    const cidrs = dep.cidrs ?? [];
    return [{ ...(cidrs.length > 0 ? { peers: cidrs.map(cidrPeer) } : {}), ports: tcpPorts(dep.portNumber!) }];
  }
  if (!edge.provider || !edge.port) return [];
  return [{ peers: [podsPeer(edge.provider.pods, namespace)], ports: [policyPort(edge.port)] }];
}

/** The ingress rule a provider in `namespace` holds for one of its consumers. */
export function consumerIngressRule(edge: ConsumerEdge, namespace: string): PolicyRule {
  return { peers: [podsPeer(edge.consumer.pods, namespace)], ports: [policyPort(edge.port)] };
}
