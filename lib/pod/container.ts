import { Duration } from 'cdk8s';
import { parseImage, resolveRequestLimit, sortedEntries } from '../checks';
import { DEFAULT_RESOURCES, ProbeRole, TMP_VOLUME } from '../defaults';
import { EnvFrom, EnvVar } from './env';
import { HealthCheck } from './health-check';
import { containerSecurityContext, SecurityOptions } from './security';

/** Transport protocol of a port. */
export enum PortProtocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
}

/** A named port a container listens on; the Service exposes it under the same number. */
export interface NamedPort {
  /** IANA service name, at most 15 characters (`http`, `grpc`, `metrics`). */
  readonly name: string;
  /** Port number. */
  readonly port: number;
  /** PortProtocol. @default PortProtocol.TCP */
  readonly protocol?: PortProtocol;
  /**
   * Application protocol (`http`, `h2c`, `grpc`, `https`, `kubernetes.io/ws`). `grpc` marks a gRPC
   * port (gRPC health check, GRPCRoute); `grpc` and `h2c` reach the Service as `kubernetes.io/h2c`,
   * the value Gateway API implementations read for cleartext HTTP/2 backends (Traefik refuses a
   * GRPCRoute backend with any other). Other values reach it as given. @default - none
   */
  readonly appProtocol?: string;
  /**
   * Scheme of the `<PREFIX>_URL` dependents get. @default - `https` for a port named or with
   * appProtocol `https`; `http` for `http*`, `web`, `h2c`; the name for well-known schemes
   * (`grpc`, `postgres`, `redis`, …); otherwise `tcp` (`udp` for UDP ports)
   */
  readonly scheme?: string;
}

/** Request and limit of one resource, as Kubernetes quantities ("250m", "512Mi"). */
export interface ResourceQuantities {
  /** What the scheduler reserves. @default - the limit when only a limit is given (as Kubernetes does), else the default request */
  readonly request?: string;
  /** The most the container may use. @default - the default limit, raised to a larger request */
  readonly limit?: string;
}

/** Compute resources of a container. Unset values take the small defaults below. */
export interface Resources {
  /** CPU. @default { request: '100m', limit: '500m' } */
  readonly cpu?: ResourceQuantities;
  /** Memory. @default { request: '128Mi', limit: '256Mi' } */
  readonly memory?: ResourceQuantities;
  /** Ephemeral storage (logs, emptyDirs, writable layers). @default { request: '64Mi', limit: '512Mi' } */
  readonly ephemeralStorage?: ResourceQuantities;
}

/** A volume mount as the container spec renders it. */
export interface RenderedMount {
  /** Name of the pod volume. */
  readonly name: string;
  /** Where it is mounted. */
  readonly mountPath: string;
  /** Mounted read-only. @default false */
  readonly readOnly?: boolean;
}

/** A volume of the pod mounted into a container other than the main one. */
export interface ContainerMount {
  /** Name of a volume of the workload (`volumes`). */
  readonly volume: string;
  /** Where it is mounted. @default - the volume's own mountPath */
  readonly mountPath?: string;
  /** Mount it read-only. @default - the volume's own setting (config and secret volumes are read-only) */
  readonly readOnly?: boolean;
}

/**
 * A container beside the main one: an init container (runs to completion before the others
 * start, e.g. a schema migration) or a sidecar (a native sidecar: starts first, runs as long as
 * the pod, e.g. a proxy or log shipper). It gets the same restricted security context, resource
 * defaults and checks as the main container, and the dependency env vars of its workload.
 */
export interface ContainerProps {
  /** Container name, unique in the pod (a DNS-1123 label). */
  readonly name: string;
  /** Image pinned by tag or digest; `latest` and untagged images are rejected. */
  readonly image: string;
  /** Command (entrypoint) override. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** Environment variables. @default - none besides dependency wiring */
  readonly env?: { [name: string]: EnvVar };
  /** Every key of ConfigMaps or Secrets as env vars. @default - none */
  readonly envFrom?: EnvFrom[];
  /** Ports it listens on (sidecars only); an exposed sidecar port joins the Service and the NetworkPolicy. @default - none */
  readonly ports?: NamedPort[];
  /** Readiness probe of a sidecar, and its startup probe when it has no `liveness`. @default - none */
  readonly healthCheck?: HealthCheck;
  /** Liveness probe of a sidecar, and its startup probe (with startup timing). @default - none */
  readonly liveness?: HealthCheck;
  /** Requests and limits. @default - see `Resources` */
  readonly resources?: Resources;
  /** Volumes of the workload to mount. @default - only the /tmp scratch volume */
  readonly volumeMounts?: ContainerMount[];
  /** Relaxations of the security defaults. @default - the workload's `security` */
  readonly security?: SecurityOptions;
}

/** Where a container sits in the pod. */
export enum ContainerRole {
  /** The workload's own container. */
  MAIN = 'main',
  /** Runs to completion before the others start. */
  INIT = 'init',
  /** A native sidecar: an init container with `restartPolicy: Always`. */
  SIDECAR = 'sidecar',
}

/** Everything needed to render one container, resolved by its workload. */
export interface ContainerModel {
  /** Its props (the main container's are built from the workload's props). */
  readonly props: ContainerProps;
  /** Its role. */
  readonly role: ContainerRole;
  /** Readiness probe. */
  readonly readiness?: HealthCheck;
  /** Startup probe. */
  readonly startup?: HealthCheck;
  /** Mounts as rendered. */
  readonly mounts: RenderedMount[];
  /** Sleep before SIGTERM so load balancers deregister the pod first (main container only). */
  readonly preStopSleep?: Duration;
}

/** What the target decides for every container. */
export interface ContainerTargetFacts {
  /** Side-loaded images run (`IfNotPresent`) instead of pulling every time. */
  readonly local: boolean;
  /** Pods may set fixed user and group ids. */
  readonly fixedUserIds: boolean;
  /** Limits are forced to requests (GKE Autopilot without bursting). */
  readonly limitsEqualRequests: boolean;
}

const WELL_KNOWN_SCHEMES = new Set([
  'grpc',
  'postgres',
  'postgresql',
  'mysql',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mongodb',
  'nats',
  'kafka',
  'ws',
  'wss',
  'ldap',
  'ldaps',
  'smtp',
  'memcache',
]);

/**
 * The Service port's `appProtocol` for `port`: cleartext HTTP/2 (gRPC and h2c) as the Kubernetes
 * standard application protocol `kubernetes.io/h2c` (KEP-3726), which Gateway API's backend
 * protocol selection (GEP-1911) reads; anything else as given.
 */
export function serviceAppProtocol(port: NamedPort): string | undefined {
  return port.appProtocol === 'grpc' || port.appProtocol === 'h2c' ? 'kubernetes.io/h2c' : port.appProtocol;
}

/** The URL scheme dependents see for `port`. */
export function schemeOf(port: NamedPort): string {
  if (port.scheme) return port.scheme;
  const hint = port.appProtocol ?? port.name;
  if (hint === 'https' || port.name === 'https') return 'https';
  if (hint.startsWith('http') || hint === 'web' || hint === 'h2c') return 'http';
  if (WELL_KNOWN_SCHEMES.has(hint)) return hint;
  return port.protocol === PortProtocol.UDP ? 'udp' : 'tcp';
}

/** Request and limit of each resource as Kubernetes resolves them, with the library's defaults. */
export function resolveResources(
  resources: Resources,
  limitsEqualRequests: boolean,
): { requests: { [key: string]: string }; limits: { [key: string]: string } } {
  const requests: { [key: string]: string } = {};
  const limits: { [key: string]: string } = {};
  for (const [key, name] of RESOURCE_NAMES) {
    const resolved = resolveRequestLimit(key, resources[key] ?? {}, DEFAULT_RESOURCES[key], '');
    requests[name] = resolved.request ?? DEFAULT_RESOURCES[key].request;
    limits[name] = limitsEqualRequests ? requests[name] : (resolved.limit ?? DEFAULT_RESOURCES[key].limit);
  }
  return { requests, limits };
}

/** The props of `Resources` and the resource names the API uses for them. */
export const RESOURCE_NAMES = [
  ['cpu', 'cpu'],
  ['memory', 'memory'],
  ['ephemeralStorage', 'ephemeral-storage'],
] as const;

/**
 * Renders one container: restricted security context, resources with defaults, probes with their
 * role's timing, the scratch /tmp mount and the workload's dependency env vars after its own.
 */
export function renderContainer(
  model: ContainerModel,
  target: ContainerTargetFacts,
  security: SecurityOptions,
  dependencyEnv: Array<{ [key: string]: unknown }>,
): { [key: string]: unknown } {
  const props = model.props;
  const ports = props.ports ?? [];
  const tlsPorts = ports.filter((p) => schemeOf(p) === 'https').map((p) => p.name);
  const probe = (role: ProbeRole, p: HealthCheck | undefined) => p?._toProbe(role, ports, tlsPorts);
  const ownEnv = sortedEntries(props.env ?? {}).map(([name, value]) => value._toEnvVar(name));
  const env = [...ownEnv, ...dependencyEnv];
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: target.local ? 'IfNotPresent' : 'Always',
    ...(props.command ? { command: props.command } : {}),
    ...(props.args ? { args: props.args } : {}),
    ...(ports.length > 0
      ? { ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? PortProtocol.TCP })) }
      : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(props.envFrom && props.envFrom.length > 0
      ? { envFrom: props.envFrom.map((from) => from._toEnvFromSource()) }
      : {}),
    resources: resolveResources(props.resources ?? {}, target.limitsEqualRequests),
    ...(model.role === ContainerRole.SIDECAR ? { restartPolicy: 'Always' } : {}),
    startupProbe: probe('startup', model.startup),
    livenessProbe: probe('liveness', props.liveness),
    readinessProbe: probe('readiness', model.readiness),
    ...(model.preStopSleep ? { lifecycle: { preStop: { sleep: { seconds: model.preStopSleep.toSeconds() } } } } : {}),
    securityContext: containerSecurityContext(props.security ?? security, target.fixedUserIds),
    volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }, ...model.mounts],
  };
}

/** The version label value of an image: its tag, else its digest. */
export function imageVersion(image: string): string {
  const ref = parseImage(image);
  return ref.tag ?? ref.digest ?? '';
}
