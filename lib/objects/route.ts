import { Construct } from 'constructs';
import { checkDnsLabel, checkDnsSubdomain, checkGrpcPath, grpcMethodOf, problems } from '../checks';
import type { ISystem } from '../contracts';
import { Problem } from '../errors';
import { problem } from '../messages';
import { LABEL, MANAGED_BY } from '../labels';
import { Exposure } from '../network/exposure';
import type { RouteParent } from '../network/traffic';
import { PortProtocol, NamedPort } from '../pod/container';
import { RouteBackendObject } from '../targets/profile';
import { Target } from '../targets/target';
import { Json, later, newApiObject } from './api-object';
import { KUBELET_HTTP_SUCCESS, LoadBalancerCheck } from './ingress';

/**
 * Gateway API objects as plain JSON in the `gateway.networking.k8s.io/v1` standard-channel shape
 * (Gateway, HTTPRoute, GRPCRoute; checked against the CRDs by test:cluster's strict apply). Written
 * by hand rather than `cdk8s import`ed: the library renders plain JSON everywhere (see
 * api-object.ts), and the few fields used here do not justify generated classes of every CRD.
 *
 * No ReferenceGrant is needed: a route always sits in its Service's namespace, and the system's
 * own Gateway reads its TLS Secrets from its own namespace.
 */
export const GATEWAY_API = 'gateway.networking.k8s.io/v1';

/** Name of the HTTP listener of a system's own Gateway. */
export const HTTP_LISTENER = 'http';

/** The kind (HTTPRoute or GRPCRoute) and spec of the route sending `exposure` to `service`'s `port`. */
export function routeObject(
  exposure: Exposure,
  parent: RouteParent,
  routeNamespace: string,
  service: string,
  port: NamedPort,
): { kind: string; spec: Json } {
  const grpc = port.appProtocol === 'grpc';
  const parentRef = {
    name: parent.name,
    ...(parent.namespace === routeNamespace ? {} : { namespace: parent.namespace }),
    ...(parent.sectionName ? { sectionName: parent.sectionName } : {}),
  };
  const backendRefs = [{ name: service, port: port.port }];
  // A gRPC path names a service (and method): the GRPCRoute's method match (checked: never null here).
  const method = grpc ? grpcMethodOf(exposure.path) : undefined;
  return {
    kind: grpc ? 'GRPCRoute' : 'HTTPRoute',
    spec: {
      parentRefs: [parentRef],
      ...(exposure.host ? { hostnames: [exposure.host] } : {}),
      rules: [
        grpc
          ? { ...(method ? { matches: [{ method: { type: 'Exact', ...method } }] } : {}), backendRefs }
          : { matches: [{ path: { type: 'PathPrefix', value: exposure.path ?? '/' } }], backendRefs },
      ],
    },
  };
}

/**
 * Spec of the HTTPRoute that answers plain HTTP for a TLS route's host and path on the Gateway's
 * HTTP listener with a 301 to https (the port follows the scheme: 443).
 */
export function httpsRedirectSpec(exposure: Exposure, gateway: string): Json {
  return {
    parentRefs: [{ name: gateway, sectionName: HTTP_LISTENER }],
    hostnames: [exposure.host],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: exposure.path ?? '/' } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
      },
    ],
  };
}

/** API version of the AWS Load Balancer Controller's TargetGroupConfiguration. */
export const AWS_TARGET_GROUP_API = 'gateway.k8s.aws/v1beta1';

/** API version of the GKE Gateway controller's HealthCheckPolicy. */
export const GKE_HEALTH_CHECK_POLICY_API = 'networking.gke.io/v1';

/**
 * The object of kind `kind` for the Service `service`, which routes send traffic to on `ports`,
 * carrying `check`, the pods' HTTP readiness check, as the load balancer's health check (returned
 * as `check` where it does); undefined where the kind has nothing to say. A Service with a gRPC
 * route keeps the controller's check: an ALB's gRPC target group matches gRPC status codes, not
 * kubelet's HTTP ones, and GKE's gRPC health check speaks the gRPC health protocol, not the
 * readiness check's HTTP.
 */
export function routeBackendObject(
  kind: RouteBackendObject,
  service: string,
  ports: NamedPort[],
  check?: LoadBalancerCheck,
): { apiVersion: string; kind: string; spec: Json; check?: LoadBalancerCheck } | undefined {
  const httpCheck = ports.some((p) => p.appProtocol === 'grpc') ? undefined : check;
  switch (kind) {
    case RouteBackendObject.AWS_TARGET_GROUP_CONFIGURATION:
      return {
        apiVersion: AWS_TARGET_GROUP_API,
        kind: 'TargetGroupConfiguration',
        spec: targetGroupConfigurationSpec(service, ports, httpCheck),
        check: httpCheck,
      };
    case RouteBackendObject.GKE_HEALTH_CHECK_POLICY:
      return httpCheck
        ? {
            apiVersion: GKE_HEALTH_CHECK_POLICY_API,
            kind: 'HealthCheckPolicy',
            spec: healthCheckPolicySpec(service, httpCheck),
            check: httpCheck,
          }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Spec of a TargetGroupConfiguration: pod IPs as targets, and `check` as the target group's health
 * check, with the probed port where a routed port is another (the check otherwise goes to the
 * traffic port).
 */
function targetGroupConfigurationSpec(service: string, ports: NamedPort[], check?: LoadBalancerCheck): Json {
  // No healthCheckProtocol: it follows the target group's (HTTP), and the CRD's enum for it changed case between releases.
  const healthCheckConfig = check
    ? {
        healthCheckPath: check.path,
        ...(ports.every((p) => p.port === check.port) ? {} : { healthCheckPort: String(check.port) }),
        matcher: { httpCode: KUBELET_HTTP_SUCCESS },
      }
    : undefined;
  return {
    targetReference: { name: service },
    defaultConfiguration: { targetType: 'ip', ...(healthCheckConfig ? { healthCheckConfig } : {}) },
  };
}

/**
 * Spec of a HealthCheckPolicy attached to the Service: an HTTP check of `check`'s path on the
 * probed port, named always (the NEG endpoints' serving port is the routed one, which may differ).
 */
function healthCheckPolicySpec(service: string, check: LoadBalancerCheck): Json {
  return {
    default: {
      config: {
        type: 'HTTP',
        httpHealthCheck: { portSpecification: 'USE_FIXED_PORT', port: check.port, requestPath: check.path },
      },
    },
    targetRef: { group: '', kind: 'Service', name: service },
  };
}

const GATEWAY_ID = 'Gateway';
const INTERNAL_GATEWAY_ID = 'InternalGateway';

/**
 * The Gateway a system declares for its routes, one per scheme (public, internal): an HTTP
 * listener (port 80 unless the target's implementation says otherwise) and an HTTPS listener (443)
 * per host with a TLS Secret, each admitting routes
 * of the system's namespace only. Where the implementation deploys proxies beside the Gateway,
 * the namespace's default deny leaves them out (network/system-policy.ts).
 */
export class SystemGateway extends Construct {
  /** The system's Gateway for the scheme, created on first use. */
  public static of(system: ISystem, internal: boolean): SystemGateway {
    const id = internal ? INTERNAL_GATEWAY_ID : GATEWAY_ID;
    return (
      (system.node.tryFindChild(id) as SystemGateway | undefined) ??
      new SystemGateway(system as unknown as Construct, id, system, internal)
    );
  }

  /** Whether the system declares a Gateway of its own (for either scheme). */
  public static declaredBy(system: ISystem): boolean {
    return [GATEWAY_ID, INTERNAL_GATEWAY_ID].some((id) => system.node.tryFindChild(id) !== undefined);
  }

  /** Name of a system's Gateway for the scheme: the system's name, with `-internal` for the internal one. */
  public static nameFor(system: ISystem, internal: boolean): string {
    return internal ? `${system.systemName}-internal` : system.systemName;
  }

  /** Name of the Gateway. */
  public readonly gatewayName: string;
  /** Its namespace (the system's). */
  public readonly namespace: string;
  /** HTTPS listeners by host: the TLS Secret and the listener's name. */
  private readonly tlsHosts = new Map<string, { readonly secret: string; readonly listener: string }>();

  private constructor(scope: Construct, id: string, system: ISystem, internal: boolean) {
    super(scope, id);
    this.gatewayName = SystemGateway.nameFor(system, internal);
    this.namespace = system.namespace;
    const labels = { [LABEL.PART_OF]: system.systemName, [LABEL.MANAGED_BY]: MANAGED_BY };
    const sameNamespace = { namespaces: { from: 'Same' } };
    const ports = system.target.gatewayListenerPorts;
    newApiObject(
      this,
      'Resource',
      { apiVersion: GATEWAY_API, kind: 'Gateway' },
      { name: this.gatewayName, labels },
      {
        spec: {
          gatewayClassName: system.target.gatewayClass(internal),
          listeners: later(() => [
            { name: HTTP_LISTENER, protocol: 'HTTP', port: ports.http, allowedRoutes: sameNamespace },
            ...[...this.tlsHosts].map(([host, { secret, listener }]) => ({
              name: listener,
              protocol: 'HTTPS',
              port: ports.https,
              hostname: host,
              tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: secret }] },
              allowedRoutes: sameNamespace,
            })),
          ]),
        },
      },
    );
  }

  /** Adds an HTTPS listener for `host` with the certificate in `secret`; returns the listener's name. */
  public addTlsHost(host: string, secret: string): string {
    const listener = this.tlsHosts.get(host)?.listener ?? `https-${this.tlsHosts.size + 1}`;
    this.tlsHosts.set(host, { secret, listener });
    return listener;
  }
}

/**
 * What the target says about a route: a TCP port, a GatewayClass for the system's own Gateway
 * (per scheme), and for a platform Gateway valid names and no settings that Gateway owns.
 */
export function routeTargetProblems(
  target: Target,
  exposure: Exposure,
  port: NamedPort | undefined,
  internal: boolean,
): Problem[] {
  if (port?.protocol === PortProtocol.UDP) {
    return [problem('expose.route-to-udp', 'expose', `route to ${port.name}/UDP`)];
  }
  if (exposure.plainHttp !== undefined && exposure.tlsSecret === undefined) {
    return [problem('route.plain-http-without-tls', 'expose.plainHttp', exposure.plainHttp)];
  }
  if (port?.appProtocol === 'grpc' && target.grpcRouteRefusal) {
    return [
      problem('route.grpc-unsupported', 'expose', `route to ${port.name} (gRPC)`, {
        target: target.id,
        why: target.grpcRouteRefusal,
      }),
    ];
  }
  if (port?.appProtocol === 'grpc' && checkGrpcPath('expose.path', exposure.path)) {
    return problems(checkGrpcPath('expose.path', exposure.path));
  }
  const shared = exposure.gateway;
  if (shared) {
    const found = problems(
      checkDnsSubdomain('expose.gateway.name', shared.name),
      checkDnsLabel('expose.gateway.namespace', shared.namespace),
      shared.sectionName === undefined
        ? undefined
        : checkDnsSubdomain('expose.gateway.sectionName', shared.sectionName),
    );
    if (exposure.tlsSecret) {
      found.push(
        problem('route.tls-on-shared-gateway', 'expose.tlsSecret', exposure.tlsSecret, {
          gateway: `${shared.namespace}/${shared.name}`,
        }),
      );
    }
    if (exposure.internal !== undefined) {
      found.push(
        problem('route.scheme-on-shared-gateway', 'expose.internal', exposure.internal, {
          gateway: `${shared.namespace}/${shared.name}`,
        }),
      );
    }
    return found;
  }
  if (internal && !target.gatewayClass(true)) {
    return [problem('route.no-internal-class', 'expose.internal', true, { target: target.id })];
  }
  if (!internal && !target.gatewayClass(false)) {
    return [
      problem('route.no-class', 'expose', 'route', { target: target.id, controller: target.gatewayPlatformController }),
    ];
  }
  return [];
}
