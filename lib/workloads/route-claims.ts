import {
  checkRouteKindsPerListener,
  checkUniqueRoutes,
  GatewayListener,
  ListenerConflict,
  ListenerRoute,
  RouteEntry,
} from '../checks';
import { Exposure, ExposureKind } from '../network/exposure';
import { HTTP_LISTENER, SystemGateway } from '../objects/route';
import type { Microservice } from './microservice';

/**
 * What the ways in of an app's services claim on their front doors: two Ingresses, or two routes
 * on one Gateway, claiming the same host and path, and a GRPCRoute beside an HTTPRoute sharing a
 * host on one listener. Each problem is reported on the later service (its construct path as owner).
 */
export function routeClaimProblems(services: readonly Microservice[]): ListenerConflict[] {
  const own = new Map<string, Set<string>>();
  const routes = services.flatMap((service) => listenerRoutes(service, own));
  return [
    ...checkUniqueRoutes(services.flatMap(routeEntries)),
    ...checkRouteKindsPerListener(routes, (gateway) => ownListeners(own.get(gateway))),
  ];
}

/**
 * The Ingress and route hosts and paths of a service, for the collision check, keyed by the front
 * door that serves them: internal and public ways in use different classes and Gateways. A
 * GRPCRoute's path is its method match (`/package.Service`), and no path claims every method.
 */
function routeEntries(service: Microservice): RouteEntry[] {
  const entry = (exposure: Exposure, prop: string): RouteEntry[] => {
    if (!exposure._routed) return [];
    const scheme = service.isInternal(exposure) ? 'internal' : 'public';
    const gateway = exposure.gateway ? `${exposure.gateway.namespace}/${exposure.gateway.name}` : 'own';
    // A GRPCRoute beside an HTTPRoute on one host is checkRouteKindsPerListener's: a path would not separate them.
    const grpc = exposure.kind === ExposureKind.ROUTE && service.exposedPort(exposure)?.appProtocol === 'grpc';
    const kind =
      exposure.kind === ExposureKind.ROUTE ? `route ${gateway} ${scheme}${grpc ? ' grpc' : ''}` : `ingress ${scheme}`;
    return [{ owner: service.node.path, prop, kind, host: exposure.host, path: exposure.path }];
  };
  return [
    ...entry(service.expose, 'expose'),
    ...service.alsoExpose.flatMap((more, i) => entry(more, `alsoExpose[${i}]`)),
  ];
}

/** Marks the listener of a system's own Gateway that serves `host` over HTTPS. */
const HTTPS_LISTENER = 'https ';

/**
 * The routes of a service on their Gateways, for the check of route kinds per listener; records
 * in `own` the HTTPS hosts of each Gateway the system writes. On such a Gateway a route with a
 * TLS Secret attaches to the HTTPS listener of its host (and its HTTPS redirect, an HTTPRoute, to
 * the HTTP listener) unless it keeps plain HTTP.
 */
function listenerRoutes(service: Microservice, own: Map<string, Set<string>>): ListenerRoute[] {
  const system = service.system;
  const entry = (exposure: Exposure, prop: string): ListenerRoute[] => {
    if (exposure.kind !== ExposureKind.ROUTE) return [];
    const kind = service.exposedPort(exposure)?.appProtocol === 'grpc' ? 'GRPCRoute' : 'HTTPRoute';
    const shared = exposure.gateway;
    const route = { owner: service.node.path, prop, kind, host: exposure.host } as const;
    if (shared) return [{ ...route, gateway: `${shared.namespace}/${shared.name}`, listener: shared.sectionName }];
    const gateway = `${system.namespace}/${SystemGateway.nameFor(system, service.isInternal(exposure))}`;
    const tlsHosts = own.get(gateway) ?? new Set<string>();
    own.set(gateway, tlsHosts);
    if (!exposure.tlsSecret || !exposure.host) return [{ ...route, gateway }];
    tlsHosts.add(exposure.host);
    if (exposure.plainHttp) return [{ ...route, gateway }];
    const https = { ...route, gateway, listener: `${HTTPS_LISTENER}${exposure.host}` };
    if (kind === 'GRPCRoute') return [https];
    return [https, { ...route, gateway, listener: HTTP_LISTENER, role: 'its HTTPS redirect' }];
  };
  return [
    ...entry(service.expose, 'expose'),
    ...service.alsoExpose.flatMap((more, i) => entry(more, `alsoExpose[${i}]`)),
  ];
}

/** The listeners of a Gateway a system writes (HTTP, and HTTPS per TLS host), from its HTTPS hosts. */
function ownListeners(tlsHosts: Set<string> | undefined): GatewayListener[] | undefined {
  if (!tlsHosts) return undefined;
  return [{ name: HTTP_LISTENER }, ...[...tlsHosts].map((host) => ({ name: `${HTTPS_LISTENER}${host}`, host }))];
}
