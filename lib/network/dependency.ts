import type { IEndpoint } from '../contracts';
import type { NamedPort } from '../pod/container';

/** Something a microservice can depend on: a microservice, or a `Dependency` built by a factory. */
export interface IDependency {
  /** The dependency this stands for. */
  toDependency(): Dependency;
}

/** Options of a dependency on a microservice. */
export interface DependencyOptions {
  /** Named port of the provider to call. @default - the provider's main port */
  readonly portName?: string;
  /** Prefix of the injected env vars (`<PREFIX>_HOST`, `_PORT`, `_URL`). @default - the provider's name in UPPER_SNAKE_CASE, plus `_<PORT>` for a non-main port */
  readonly envPrefix?: string;
}

/** Options of a dependency on an endpoint outside the cluster. */
export interface ExternalDependencyOptions {
  /** DNS name or IP of the endpoint, e.g. `orders-db.abc123.eu-west-1.rds.amazonaws.com`. */
  readonly host: string;
  /** Port of the endpoint. */
  readonly port: number;
  /** URL scheme for `<PREFIX>_URL`. @default "https" */
  readonly scheme?: string;
  /**
   * Address ranges the endpoint lives in (`10.20.0.0/16` for a managed database's subnet): egress
   * is allowed to these only. @default - any destination on the port (a hostname's addresses may
   * change, and NetworkPolicies cannot name hosts)
   */
  readonly cidrs?: string[];
  /** Prefix of the injected env vars. @default - the dependency name in UPPER_SNAKE_CASE */
  readonly envPrefix?: string;
}

/** What a dependency points at. */
export enum DependencyKind {
  /** A microservice object in this app. */
  SERVICE = 'service',
  /** A microservice of another system, found by namespace and name at synth. */
  NAMESPACED = 'namespaced',
  /** An endpoint outside the cluster. */
  EXTERNAL = 'external',
}

/**
 * A declared call from one microservice to another or to an external endpoint. It wires the
 * caller's env vars and allows exactly that network edge.
 */
export class Dependency implements IDependency {
  /** A dependency on a microservice (same or another system). */
  public static on(service: IEndpoint, options: DependencyOptions = {}): Dependency {
    return new Dependency(DependencyKind.SERVICE, service.serviceName, options, {
      provider: service,
      namespace: service.pods.namespace,
    });
  }

  /** A dependency on microservice `serviceName` of the system that owns `namespace`, defined elsewhere in this app. */
  public static inNamespace(namespace: string, serviceName: string, options: DependencyOptions = {}): Dependency {
    return new Dependency(DependencyKind.NAMESPACED, serviceName, options, { namespace });
  }

  /** A dependency on an endpoint outside the cluster (managed database, SaaS API). Egress is allowed to its port. */
  public static external(name: string, options: ExternalDependencyOptions): Dependency {
    return new Dependency(
      DependencyKind.EXTERNAL,
      name,
      { envPrefix: options.envPrefix },
      {
        host: options.host,
        portNumber: options.port,
        scheme: options.scheme ?? 'https',
        cidrs: options.cidrs,
      },
    );
  }

  /** What the dependency points at. */
  public readonly kind: DependencyKind;
  /** Name of the provider (service name or external name). */
  public readonly name: string;
  /** The provider object, for `Dependency.on`. */
  public readonly provider?: IEndpoint;
  /** Namespace of the provider, for `Dependency.inNamespace`. */
  public readonly namespace?: string;
  /** Named port asked for; undefined means the provider's main port. */
  public readonly portName?: string;
  /** Env var prefix asked for. */
  public readonly envPrefix?: string;
  /** Host of an external endpoint. */
  public readonly host?: string;
  /** Port number of an external endpoint. */
  public readonly portNumber?: number;
  /** URL scheme of an external endpoint. */
  public readonly scheme?: string;
  /** Address ranges egress to an external endpoint is limited to. */
  public readonly cidrs?: string[];

  private constructor(
    kind: DependencyKind,
    name: string,
    options: DependencyOptions,
    target: {
      provider?: IEndpoint;
      namespace?: string;
      host?: string;
      portNumber?: number;
      scheme?: string;
      cidrs?: string[];
    },
  ) {
    this.kind = kind;
    this.name = name;
    this.portName = options.portName;
    this.envPrefix = options.envPrefix;
    this.provider = target.provider;
    this.namespace = target.namespace;
    this.host = target.host;
    this.portNumber = target.portNumber;
    this.scheme = target.scheme;
    this.cidrs = target.cidrs;
  }

  /** Returns itself. */
  public toDependency(): Dependency {
    return this;
  }
}

/** A dependency edge with its provider resolved, as network policies and the diagram use it. */
export interface ResolvedEdge {
  /** The dependency as declared. */
  readonly dependency: Dependency;
  /** The provider, when it is a microservice of this app. */
  readonly provider?: IEndpoint;
  /** The provider's port used. */
  readonly port?: NamedPort;
}
