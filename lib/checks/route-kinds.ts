import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * Routes of both kinds on one Gateway listener. GEP-1016 ("Cross Serving", gateway-api
 * geps/gep-1016): an implementation supporting GRPCRoute rejects a route (A) of one kind attached
 * to a listener that already has a route (B) of the other kind whose hostnames intersect A's
 * (Accepted False); since Gateway API v1.6 it may instead let them coincide. Which of the two is
 * served is the implementation's choice, so the library refuses the pair everywhere.
 *
 * gRPC method matches (GRPCMethodMatch, apis/v1/grpcroute_types.go): a service is
 * `\.?[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*`, a method `[A-Za-z_][A-Za-z_0-9]*`,
 * each at most 1024 characters.
 */

/** Kind of a Gateway API route the library writes. */
export type RouteKind = 'HTTPRoute' | 'GRPCRoute';

/** A route on a Gateway, as the listener check sees it. */
export interface ListenerRoute {
  /** Who declares the route (a construct path such as `shop/orders`). */
  readonly owner: string;
  /** The prop that declares it (`expose`, `alsoExpose[0]`). */
  readonly prop: string;
  /** HTTPRoute or GRPCRoute. */
  readonly kind: RouteKind;
  /** What the route is, when it is not the way in itself (`its HTTPS redirect`). @default - the way in */
  readonly role?: string;
  /** The Gateway, as `namespace/name`. */
  readonly gateway: string;
  /** Its hostname; undefined claims every host of the listener. */
  readonly host?: string;
  /** The listener it names (`sectionName`); undefined attaches to every listener whose hostname matches. */
  readonly listener?: string;
}

/** A listener of a Gateway whose listeners the library knows (the system's own). */
export interface GatewayListener {
  /** Its name. */
  readonly name: string;
  /** Its hostname; undefined accepts every host. */
  readonly host?: string;
}

/** A route that conflicts with an earlier one, reported on the later route's owner. */
export interface ListenerConflict {
  /** Owner of the later route. */
  readonly owner: string;
  /** The problem. */
  readonly problem: Problem;
}

/**
 * The hosts two hostnames both match, as a hostname (undefined: every host), or null when none:
 * `*.example.com` and `api.example.com` share `api.example.com`; a wildcard matches one or more
 * labels before its suffix, never the suffix itself.
 */
export function intersectHosts(a: string | undefined, b: string | undefined): string | undefined | null {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const covers = (wild: string, host: string) => host.endsWith(wild.slice(1));
  if (x.startsWith('*.') && y.startsWith('*.')) return covers(x, y) ? y : covers(y, x) ? x : x === y ? x : null;
  if (x.startsWith('*.')) return covers(x, y) ? y : null;
  if (y.startsWith('*.')) return covers(y, x) ? x : null;
  return x === y ? x : null;
}

/**
 * Finds routes of different kinds (HTTPRoute, GRPCRoute) that share a hostname on one listener.
 * `listenersOf` gives the listeners of a Gateway the library writes; for any other Gateway, two
 * routes share a listener unless both name different ones. One conflict per later route.
 */
export function checkRouteKindsPerListener(
  routes: readonly ListenerRoute[],
  listenersOf: (gateway: string) => readonly GatewayListener[] | undefined,
): ListenerConflict[] {
  const found: ListenerConflict[] = [];
  routes.forEach((route, i) => {
    const earlier = routes
      .slice(0, i)
      .find(
        (other) => other.kind !== route.kind && other.gateway === route.gateway && share(other, route, listenersOf),
      );
    if (!earlier) return;
    const others = routes.filter((r) => r.kind !== route.kind && r.gateway === route.gateway).map((r) => r.host);
    const same = earlier.owner === route.owner;
    found.push({
      owner: route.owner,
      problem: problem('route.kinds-share-host', route.prop, `${route.kind} ${route.host ?? '(every host)'}`, {
        kind: route.kind,
        otherKind: earlier.kind,
        gateway: route.gateway,
        claimedBy: `${same ? 'its own' : earlier.owner} ${earlier.prop}${earlier.role ? ` (${earlier.role})` : ''}`,
        otherHost: earlier.host,
        hint: fixFor(route, earlier, others),
      }),
    });
  });
  return found;
}

/** Whether two routes attach to one listener with intersecting hostnames. */
function share(
  a: ListenerRoute,
  b: ListenerRoute,
  listenersOf: (gateway: string) => readonly GatewayListener[] | undefined,
): boolean {
  const hosts = intersectHosts(a.host, b.host);
  if (hosts === null) return false;
  const listeners = listenersOf(a.gateway);
  if (!listeners) return a.listener === undefined || b.listener === undefined || a.listener === b.listener;
  const attaches = (r: ListenerRoute, l: GatewayListener) =>
    r.listener !== undefined ? r.listener === l.name : intersectHosts(r.host, l.host) !== null;
  return listeners.some((l) => attaches(a, l) && attaches(b, l) && intersectHosts(hosts, l.host) !== null);
}

/** A fix that is valid: a host for the later route that no route of the other kind there matches. */
function fixFor(route: ListenerRoute, earlier: ListenerRoute, otherHosts: Array<string | undefined>): string {
  const what = route.kind === 'GRPCRoute' ? 'the gRPC route' : 'the HTTP route';
  if (otherHosts.includes(undefined))
    return `a route without a host claims every host of the listener: give ${earlier.owner} ${earlier.prop} a host, and ${what} another one (a different path does not help: the conflict is per host)`;
  const base = (route.host ?? earlier.host ?? 'example.com').replace(/^\*\./, '');
  const label = route.kind === 'GRPCRoute' ? 'grpc' : 'www';
  const free = [`${label}.${base}`, `${label}-${base}`].find((candidate) =>
    otherHosts.every((other) => intersectHosts(candidate, other) === null),
  );
  return free
    ? `give ${what} a host of its own that no ${earlier.kind} on that Gateway matches, such as ${JSON.stringify(free)} (a different path does not help: the conflict is per host)`
    : `give ${what} a host outside ${otherHosts.join(', ')}, or attach it to another Gateway`;
}

const SERVICE = /^\.?[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*$/;
const METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;
const MAX_MATCH_LENGTH = 1024;

/** A GRPCRoute method match: a service, and optionally one of its methods. */
export interface GrpcMethod {
  /** Fully qualified service, `package.Service`. */
  readonly service: string;
  /** Method; undefined matches every method of the service. */
  readonly method?: string;
}

/**
 * The method match a gRPC route's path stands for: `/package.Service` (every method of the
 * service) or `/package.Service/Method`, as gRPC puts them in the request path; `/` (or no path)
 * matches every method and gives undefined. Anything else is null: a GRPCRoute has no path match,
 * and a service without its package (`/api`, `/api/v1`) reads as an HTTP path, so it is refused
 * rather than matched as a service named `api`.
 */
export function grpcMethodOf(path: string | undefined): GrpcMethod | undefined | null {
  if (path === undefined || path === '/') return undefined;
  const [, service, method, extra] = String(path).split('/');
  if (
    extra !== undefined ||
    !SERVICE.test(service ?? '') ||
    !service.includes('.') ||
    service.length > MAX_MATCH_LENGTH ||
    (method !== undefined && method !== '' && (!METHOD.test(method) || method.length > MAX_MATCH_LENGTH))
  )
    return null;
  return method ? { service, method } : { service };
}

/** Checks the path of a gRPC route: `/`, `/package.Service` or `/package.Service/Method` (a method match). */
export function checkGrpcPath(prop: string, path: string | undefined): Problem | undefined {
  if (grpcMethodOf(path) !== null) return undefined;
  return problem('route.grpc-path', prop, path);
}
