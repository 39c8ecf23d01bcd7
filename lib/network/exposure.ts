/** How a microservice is reached from outside its namespace. */
export enum ExposureKind {
  /** Only inside the cluster (ClusterIP). */
  CLUSTER = 'cluster',
  /** A Service of type LoadBalancer (NodePort where the target has no load balancer, with a warning). */
  LOAD_BALANCER = 'loadBalancer',
  /** An Ingress routed by the target's ingress controller. */
  INGRESS = 'ingress',
  /** A Gateway API route (HTTPRoute, or GRPCRoute for a gRPC port) attached to a Gateway. */
  ROUTE = 'route',
}

/** Options of a Gateway owned by the platform team, which routes attach to. */
export interface SharedGatewayOptions {
  /** Name of the Gateway. */
  readonly name: string;
  /** Namespace of the Gateway; its listeners' `allowedRoutes` must admit the system's namespace. */
  readonly namespace: string;
  /** Listener to attach to (`parentRefs[].sectionName`). @default - every listener whose hostname matches */
  readonly sectionName?: string;
}

/** The Gateway a route attaches to: the system's own (default) or one the platform team owns. */
export class GatewayReference {
  /** A Gateway the platform team owns, by name and namespace (and optionally listener). */
  public static shared(options: SharedGatewayOptions): GatewayReference {
    return new GatewayReference(options.name, options.namespace, options.sectionName);
  }

  /** Name of the Gateway. */
  public readonly name: string;
  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** Listener the route attaches to; undefined means every matching listener. */
  public readonly sectionName?: string;

  private constructor(name: string, namespace: string, sectionName: string | undefined) {
    this.name = name;
    this.namespace = namespace;
    this.sectionName = sectionName;
  }
}

/** Options of a Gateway API route exposure. */
export interface RouteExposureOptions {
  /** Host name routed to the service (`hostnames`). @default - every host the Gateway's listeners accept */
  readonly host?: string;
  /**
   * Path prefix of an HTTPRoute. On a GRPCRoute (a port with `appProtocol: 'grpc'`) the path names
   * what gRPC clients call, `/package.Service` or `/package.Service/Method`, and becomes the
   * route's method match; any other path is refused there (a GRPCRoute has no path prefix).
   * @default "/" (every path; on a GRPCRoute every method)
   */
  readonly path?: string;
  /** Named port to route to; a port with `appProtocol: 'grpc'` gets a GRPCRoute. @default - the main port */
  readonly portName?: string;
  /**
   * Name of a TLS Secret for `host`, terminated at the system's own Gateway (an HTTPS listener on
   * 443). A platform-owned Gateway holds its own certificates. @default - plain HTTP on port 80
   */
  readonly tlsSecret?: string;
  /**
   * With `tlsSecret`, serve the route over plain HTTP as well. By default a route with a TLS Secret
   * attaches to its HTTPS listener only, and plain HTTP requests for its host and path get a 301
   * redirect to https (a second HTTPRoute with a RequestRedirect filter on the HTTP listener); a
   * GRPCRoute gets no plain HTTP at all (gRPC clients do not follow redirects).
   * @default false
   */
  readonly plainHttp?: boolean;
  /** Reachable only from the private network (the target's internal GatewayClass). @default - the target's `internalByDefault` */
  readonly internal?: boolean;
  /** The Gateway to attach to. @default - a Gateway the system declares, of the target's GatewayClass */
  readonly gateway?: GatewayReference;
}

/** Options of a load balancer exposure. */
export interface LoadBalancerExposureOptions {
  /** Named port to expose. @default - the main port */
  readonly portName?: string;
  /** Reachable only from the private network. @default - the target's `internalByDefault` */
  readonly internal?: boolean;
}

/** Options of an ingress exposure. */
export interface IngressExposureOptions {
  /** Host name routed to the service. @default - any host (not allowed on OpenShift) */
  readonly host?: string;
  /** Path prefix. @default "/" */
  readonly path?: string;
  /** Named port to route to. @default - the main port */
  readonly portName?: string;
  /** Name of a TLS Secret for `host`. @default - no TLS at the ingress */
  readonly tlsSecret?: string;
  /** Reachable only from the private network. @default - the target's `internalByDefault` */
  readonly internal?: boolean;
}

/** How a microservice is exposed: `Exposure.cluster()` (default), `Exposure.loadBalancer()`, `Exposure.ingress()` or `Exposure.route()`. */
export class Exposure {
  /** ClusterIP only: reachable by other services through cluster DNS. */
  public static cluster(): Exposure {
    return new Exposure(ExposureKind.CLUSTER, {});
  }

  /** A LoadBalancer Service in the target's flavour (NLB on EKS, internal annotations, …). */
  public static loadBalancer(options: LoadBalancerExposureOptions = {}): Exposure {
    return new Exposure(ExposureKind.LOAD_BALANCER, options);
  }

  /** An Ingress for the target's controller (ALB on EKS, GCE on GKE, Route on OpenShift, …). */
  public static ingress(options: IngressExposureOptions = {}): Exposure {
    return new Exposure(ExposureKind.INGRESS, options);
  }

  /**
   * A Gateway API route: the recommended public exposure where the target has a Gateway API
   * implementation (GKE, AKS approuting-istio, OpenShift, Traefik on k3s/RKE2, AWS LBC).
   */
  public static route(options: RouteExposureOptions = {}): Exposure {
    return new Exposure(ExposureKind.ROUTE, options);
  }

  /** How the service is exposed. */
  public readonly kind: ExposureKind;
  /** Named port exposed; undefined means the main port. */
  public readonly portName?: string;
  /** Whether the exposure is internal; undefined means the target's default. */
  public readonly internal?: boolean;
  /** Ingress or route host. */
  public readonly host?: string;
  /** Ingress or route path prefix. */
  public readonly path?: string;
  /** Ingress or Gateway listener TLS Secret. */
  public readonly tlsSecret?: string;
  /** The Gateway a route attaches to; undefined means the system's own. */
  public readonly gateway?: GatewayReference;
  /** Whether a route with a TLS Secret also serves plain HTTP. */
  public readonly plainHttp?: boolean;

  /** Whether a host and path router sends the traffic: an Ingress or a Gateway API route. @internal */
  public get _routed(): boolean {
    return this.kind === ExposureKind.INGRESS || this.kind === ExposureKind.ROUTE;
  }

  /** Whether the Service itself is the load balancer. @internal */
  public get _loadBalancer(): boolean {
    return this.kind === ExposureKind.LOAD_BALANCER;
  }

  /** Whether the service is reachable only inside the cluster. @internal */
  public get _clusterOnly(): boolean {
    return this.kind === ExposureKind.CLUSTER;
  }

  private constructor(kind: ExposureKind, options: RouteExposureOptions) {
    this.kind = kind;
    this.portName = options.portName;
    this.internal = options.internal;
    this.host = options.host;
    this.path = options.path;
    this.tlsSecret = options.tlsSecret;
    this.gateway = options.gateway;
    this.plainHttp = options.plainHttp;
  }
}
