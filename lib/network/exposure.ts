/** How a microservice is reached from outside its namespace. */
export enum ExposureKind {
  /** Only inside the cluster (ClusterIP). */
  CLUSTER = 'cluster',
  /** A Service of type LoadBalancer (NodePort where the target has no load balancer, with a warning). */
  LOAD_BALANCER = 'loadBalancer',
  /** An Ingress routed by the target's ingress controller. */
  INGRESS = 'ingress',
}

/** Options of a load balancer exposure. */
export interface LoadBalancerExposureOptions {
  /** Named port to expose. @default - the main port */
  readonly port?: string;
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
  readonly port?: string;
  /** Name of a TLS Secret for `host`. @default - no TLS at the ingress */
  readonly tlsSecret?: string;
  /** Reachable only from the private network. @default - the target's `internalByDefault` */
  readonly internal?: boolean;
}

/** How a microservice is exposed: `Exposure.cluster()` (default), `Exposure.loadBalancer()` or `Exposure.ingress()`. */
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

  /** How the service is exposed. */
  public readonly kind: ExposureKind;
  /** Named port exposed; undefined means the main port. */
  public readonly port?: string;
  /** Whether the exposure is internal; undefined means the target's default. */
  public readonly internal?: boolean;
  /** Ingress host. */
  public readonly host?: string;
  /** Ingress path prefix. */
  public readonly path?: string;
  /** Ingress TLS Secret. */
  public readonly tlsSecret?: string;

  private constructor(kind: ExposureKind, options: IngressExposureOptions) {
    this.kind = kind;
    this.port = options.port;
    this.internal = options.internal;
    this.host = options.host;
    this.path = options.path;
    this.tlsSecret = options.tlsSecret;
  }
}
