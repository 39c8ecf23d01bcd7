import { Duration } from 'cdk8s';
import { checkWholeSeconds, MAX_INT32, problems } from '../checks';
import { PROBE_DEFAULTS, ProbeRole } from '../defaults';
import { Problem } from '../errors';
import { problem } from '../messages';

/** Timing of a probe. Unset fields take the defaults of the probe's role (startup, liveness, readiness). */
export interface HealthCheckTiming {
  /** Time between checks. @default - startup 2 s, liveness 20 s, readiness 10 s */
  readonly period?: Duration;
  /** Time before a check times out. @default Duration.seconds(2) */
  readonly timeout?: Duration;
  /** Failed checks in a row that count as failure. @default - startup 60 (2 minutes to start), liveness 3, readiness 2 */
  readonly failureThreshold?: number;
  /** Time to wait after start before the first check. @default - none (the startup probe holds the others back) */
  readonly initialDelay?: Duration;
}

/** Options of an HTTP probe. */
export interface HttpHealthCheckOptions extends HealthCheckTiming {
  /** Name of the port to call. @default - the container's first port */
  readonly portName?: string;
}

/** Options of a TCP probe. */
export interface TcpHealthCheckOptions extends HealthCheckTiming {
  /** Name of the port to connect to. @default - the container's first port */
  readonly portName?: string;
}

/** How the check is made. */
export enum HealthCheckKind {
  /** HTTP GET; 2xx/3xx is healthy. */
  HTTP = 'http',
  /** TCP connect. */
  TCP = 'tcp',
  /** A command in the container; exit code 0 is healthy. */
  COMMAND = 'command',
  /** The gRPC health checking protocol (grpc.health.v1) on a TCP port. */
  GRPC = 'grpc',
}

/** Options of a gRPC probe. */
export interface GrpcHealthCheckOptions extends HealthCheckTiming {
  /** Name of the port serving grpc.health.v1. @default - the container's first port */
  readonly portName?: string;
  /** Service name sent in the health check request. @default - the server's overall health ("") */
  readonly service?: string;
}

/** A health check of a container, created with `HealthCheck.http()`, `HealthCheck.tcp()` or `HealthCheck.command()`. */
export class HealthCheck {
  /** Calls `path` over HTTP on a named port; over HTTPS where the port's scheme is `https` (named or appProtocol `https`). */
  public static http(path: string, options: HttpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(HealthCheckKind.HTTP, options, options.portName, path);
  }

  /** Opens a TCP connection to a named port. */
  public static tcp(options: TcpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(HealthCheckKind.TCP, options, options.portName);
  }

  /** Asks the gRPC health service (grpc.health.v1) on a named port; the default health check of a port with appProtocol `grpc`. */
  public static grpc(options: GrpcHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(HealthCheckKind.GRPC, options, options.portName, options.service);
  }

  /** Runs a command inside the container. */
  public static command(command: string[], options: HealthCheckTiming = {}): HealthCheck {
    return new HealthCheck(HealthCheckKind.COMMAND, options, undefined, undefined, command);
  }

  /** How the check is made. */
  public readonly kind: HealthCheckKind;
  /** Timing overrides. */
  public readonly timing: HealthCheckTiming;
  /** Named port (http, tcp); undefined means the container's first port. */
  public readonly portName?: string;
  /** HTTP path, or the gRPC service name. */
  public readonly path?: string;
  /** Command run by a command probe. */
  public readonly execCommand?: string[];

  private constructor(
    kind: HealthCheckKind,
    timing: HealthCheckTiming,
    portName?: string,
    path?: string,
    command?: string[],
  ) {
    this.kind = kind;
    this.timing = timing;
    this.portName = portName;
    this.path = path;
    this.execCommand = command;
  }

  /**
   * The same check as a startup probe made from another role's: its timeout kept, the startup
   * period and threshold restored (a liveness `failureThreshold: 3` would leave 6 s to start). @internal
   */
  public _asStartup(): HealthCheck {
    const timeout = this.timing.timeout;
    return new HealthCheck(this.kind, timeout ? { timeout } : {}, this.portName, this.path, this.execCommand);
  }

  /** Problems of its timing under `prop`: whole seconds, a threshold of at least one. @internal */
  public _timingProblems(prop: string): Problem[] {
    const t = this.timing;
    const found = problems(
      t.period === undefined
        ? undefined
        : checkWholeSeconds(`${prop}.period`, t.period, 1, MAX_INT32, 'e.g. Duration.seconds(10)'),
      t.timeout === undefined
        ? undefined
        : checkWholeSeconds(`${prop}.timeout`, t.timeout, 1, MAX_INT32, 'e.g. Duration.seconds(2)'),
      t.initialDelay === undefined
        ? undefined
        : checkWholeSeconds(`${prop}.initialDelay`, t.initialDelay, 0, MAX_INT32, 'e.g. Duration.seconds(5)'),
    );
    if (t.failureThreshold !== undefined && !(Number.isInteger(t.failureThreshold) && t.failureThreshold >= 1))
      found.push(problem('probe.failure-threshold', `${prop}.failureThreshold`, t.failureThreshold));
    // The server refuses an exec probe without a command; one whose program is "" could never run.
    if (this.kind === HealthCheckKind.COMMAND && (this.execCommand ?? []).length === 0)
      found.push(problem('probe.command-empty', `${prop}.command`, this.execCommand));
    else if (this.kind === HealthCheckKind.COMMAND && !this.execCommand![0]?.trim())
      found.push(problem('probe.command-empty', `${prop}.command`, this.execCommand));
    return found;
  }

  /**
   * The probe as the API takes it, with its role's default timing, on `ports` of its container
   * (its named port, else the first). An HTTP check of a port in `tlsPorts` (one dependents call
   * with `https://`) asks over HTTPS: kubelet's default, HTTP, gets no answer from a TLS server. @internal
   */
  public _toProbe(
    role: ProbeRole,
    ports: ReadonlyArray<{ readonly name: string; readonly port: number }>,
    tlsPorts: readonly string[] = [],
  ): {
    [key: string]: unknown;
  } {
    const defaults = PROBE_DEFAULTS[role];
    const port = this.portName ?? ports[0]?.name;
    const action =
      this.kind === HealthCheckKind.HTTP
        ? { httpGet: { path: this.path, port, ...(tlsPorts.includes(port) ? { scheme: 'HTTPS' } : {}) } }
        : this.kind === HealthCheckKind.TCP
          ? { tcpSocket: { port } }
          : // The API takes a gRPC probe's port by number only.
            this.kind === HealthCheckKind.GRPC
            ? { grpc: { port: ports.find((p) => p.name === port)?.port, ...(this.path ? { service: this.path } : {}) } }
            : { exec: { command: this.execCommand } };
    const initialDelay = this.timing.initialDelay?.toSeconds() ?? 0;
    return {
      ...action,
      periodSeconds: this.timing.period?.toSeconds() ?? defaults.periodSeconds,
      timeoutSeconds: this.timing.timeout?.toSeconds() ?? 2,
      failureThreshold: this.timing.failureThreshold ?? defaults.failureThreshold,
      ...(initialDelay > 0 ? { initialDelaySeconds: initialDelay } : {}),
    };
  }
}
