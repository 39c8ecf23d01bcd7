import { posix } from 'path';
import { Problem } from '../errors';
import { problem } from '../messages';
import { isDnsSubdomain } from './names';

/**
 * Hosts and paths. Ingress rules per pkg/apis/networking/validation/validation.go
 * (validateIngressRules, validateHTTPIngressPath): a host is a lowercase DNS-1123 subdomain or
 * `*.` + one, never an IP address; a Prefix/Exact path is absolute, without `//`, `/./`, `/../`,
 * `%2f`, and does not end in `/.` or `/..`.
 */

const IPV4 = /^([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)$/;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
/** RFC 3986 path characters (pchar and '/'): anything else cannot be matched by a router as written. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/** Whether a string is an IP address as Kubernetes reads one (IPv4 with optional leading zeros, or any IPv6 form). */
export function isIpAddress(value: string): boolean {
  const v4 = IPV4.exec(value);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  return value.includes(':') && /^[0-9A-Fa-f:.]+$/.test(value) && isIpv6(value);
}

function isIpv6(value: string): boolean {
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/**
 * Checks an Ingress/Route host: a lowercase DNS-1123 subdomain, optionally `*.` + one, and not an
 * IP address. A scheme (`https://`), a port (`:443`), a path or upper case each get their own hint.
 */
export function checkIngressHost(prop: string, value: string): Problem | undefined {
  const name = typeof value === 'string' && value.startsWith('*.') ? value.slice(2) : value;
  if (typeof value === 'string' && value.length <= 253 && isDnsSubdomain(name) && !isIpAddress(value)) return undefined;
  const text = String(value);
  const bare = text
    .replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:[0-9]*$/, '')
    .toLowerCase();
  let hint: string;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text))
    hint = `a host has no scheme: write ${JSON.stringify(bare)} (TLS comes from tlsSecret)`;
  else if (/:[0-9]*$/.test(text.replace(/[/?#].*$/, '')))
    hint = `a host has no port: write ${JSON.stringify(bare)}; the ingress listens on 80/443`;
  else if (/[/?#]/.test(text))
    hint = `a host has no path: write ${JSON.stringify(bare)} and put the path in expose.path`;
  else if (isIpAddress(text))
    hint = 'Ingress rules route by DNS name: use a name that resolves to the ingress, or leave the host out';
  else if (text !== text.toLowerCase()) hint = `write it in lower case: ${JSON.stringify(text.toLowerCase())}`;
  else if (text.includes('*')) hint = 'a wildcard is only allowed as the whole first label, e.g. "*.example.com"';
  else hint = 'use a DNS name such as "shop.example.com"';
  return problem('host.ingress-host', prop, value, { hint });
}

/**
 * Checks the path of an Ingress rule with pathType Prefix or Exact: absolute, none of the
 * sequences Kubernetes rejects, and (the library's own rule) only RFC 3986 path characters,
 * since a space, `?` or `#` can never match a request path as written.
 */
export function checkIngressPath(prop: string, value: string): Problem | undefined {
  if (typeof value !== 'string' || !value.startsWith('/')) {
    return problem('path.not-absolute', prop, value, {
      suggestion: `/${String(value ?? '').replace(/^\/*/, '')}`,
    });
  }
  const sequence =
    INVALID_PATH_SEQUENCES.find((s) => value.includes(s)) ?? INVALID_PATH_SUFFIXES.find((s) => value.endsWith(s));
  if (sequence !== undefined) {
    return problem('path.not-normalized', prop, value, { sequence, suggestion: normalizePath(value) });
  }
  if (!PATH_CHARS.test(value)) {
    return problem('path.characters', prop, value);
  }
  return undefined;
}

/**
 * Checks the host of an external dependency: not empty, a DNS name (RFC 1123 subdomain, any
 * case, an optional trailing dot) or an IP address, without scheme, port or path (those have
 * their own props).
 */
export function checkExternalHost(prop: string, value: string): Problem | undefined {
  if (
    typeof value === 'string' &&
    value !== '' &&
    (isDnsSubdomain(value.toLowerCase().replace(/\.$/, '')) || isIpAddress(value))
  )
    return undefined;
  const bare = String(value)
    .replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:[0-9]*$/, '');
  return problem('host.external-host', prop, value, { bare: bare !== '' && bare !== value ? bare : undefined });
}

/** A path with `.`/`..` segments resolved, repeated and trailing slashes removed: `/data/` and `/data` give `/data`. */
export function normalizePath(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

/** One volume mount, as the mount-path check sees it. */
export interface MountEntry {
  /** Where the volume is mounted. */
  readonly mountPath: string;
}

/**
 * Checks a container's mount paths: each absolute, and no two the same after normalization
 * (`/data` and `/data/` mount on the same directory). `reserved` are paths already taken (e.g. `/tmp`).
 */
export function checkMountPaths(
  mounts: readonly MountEntry[],
  propOf: (index: number) => string,
  reserved: readonly string[] = [],
): Problem[] {
  const found: Problem[] = [];
  const seen = new Map<string, string>(reserved.map((p) => [normalizePath(p), p]));
  mounts.forEach((m, i) => {
    const prop = `${propOf(i)}.mountPath`;
    if (typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) {
      found.push(problem('mount.not-absolute', prop, m.mountPath, { suggestion: `/${String(m.mountPath ?? '')}` }));
      return;
    }
    const key = normalizePath(m.mountPath);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      found.push(problem('mount.duplicate', prop, m.mountPath, { earlier }));
    } else {
      seen.set(key, m.mountPath);
    }
  });
  return found;
}

/** One HTTP route of a service, as the collision check sees it. */
export interface RouteEntry {
  /** Who declares the route, for the message (a construct path such as `shop/orders`). */
  readonly owner: string;
  /** The prop that declares it (`expose`, `alsoExpose[0]`). @default 'expose' */
  readonly prop?: string;
  /** What serves it (`ingress`, `route`): an Ingress and an HTTPRoute do not share a front door. @default 'ingress' */
  readonly kind?: string;
  /** Host; undefined routes every host. */
  readonly host?: string;
  /** Path prefix. @default '/' */
  readonly path?: string;
}

/** A route that claims a host and path an earlier route already claims. */
export interface RouteCollision {
  /** Owner of the later route, which the problem is reported on. */
  readonly owner: string;
  /** The problem. */
  readonly problem: Problem;
}

/**
 * Finds routes of the same kind that claim the same host and path (after normalization: `/api`
 * and `/api/` are one prefix): the controller would send all the traffic to one of them,
 * silently. One collision per later route, naming the earlier owner.
 */
export function checkUniqueRoutes(routes: readonly RouteEntry[]): RouteCollision[] {
  const seen = new Map<string, RouteEntry>();
  const found: RouteCollision[] = [];
  for (const route of routes) {
    const key = `${route.kind ?? 'ingress'} ${(route.host ?? '*any*').toLowerCase()} ${normalizePath(route.path ?? '/')}`;
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, route);
    } else {
      const same = earlier.owner === route.owner;
      found.push({
        owner: route.owner,
        problem: problem(
          'route.host-path-taken',
          route.prop ?? 'expose',
          `${route.host ?? '(any host)'}${route.path ?? '/'}`,
          {
            claimedBy: same ? `its ${earlier.prop ?? 'expose'}` : earlier.owner,
            fix: same ? 'each way in' : route.owner,
          },
        ),
      });
    }
  }
  return found;
}
