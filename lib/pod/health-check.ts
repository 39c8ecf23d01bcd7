import { Duration } from 'cdk8s';

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
  /** Calls `path` over HTTP on a named port. */
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
}
