/**
 * A microservice's pods and the controller that runs them: the main container's default probes
 * and graceful shutdown, and the Deployment's or StatefulSet's spec around the pod template.
 */
import { Duration } from 'cdk8s';
import { Json } from '../objects/api-object';
import { LoadBalancerCheck } from '../objects/ingress';
import { ContainerModel, NamedPort, PortProtocol } from '../pod/container';
import { HealthCheck, HealthCheckKind } from '../pod/health-check';
import { Storage, StorageKind } from '../pod/storage';
import { gracePeriodSeconds } from './microservice-checks';
import { MicroserviceProps } from './microservice-props';
import { headlessServiceName } from './services';
import { antiAffinity, deploymentRollout, spreadConstraints, statefulSetSpec } from './stateful';

/** The main container's first port where it is TCP (a sidecar's port is probed by the sidecar). */
function tcpMainPort(mainPorts: NamedPort[]): NamedPort | undefined {
  const mainPort = mainPorts[0];
  return mainPort && mainPort.protocol !== PortProtocol.UDP ? mainPort : undefined;
}

/** The readiness check: as set, else gRPC or TCP on the main container's first port. */
function healthCheckOf(props: MicroserviceProps, mainPorts: NamedPort[]): HealthCheck | undefined {
  const tcpMain = tcpMainPort(mainPorts);
  return (
    props.healthCheck ??
    (tcpMain?.appProtocol === 'grpc' ? HealthCheck.grpc() : tcpMain ? HealthCheck.tcp() : undefined)
  );
}

/** The pods' readiness check if it is HTTP, with the port number it probes (`ports`: every port, main first). */
export function httpReadiness(
  props: MicroserviceProps,
  mainPorts: NamedPort[],
  ports: NamedPort[],
): LoadBalancerCheck | undefined {
  const readiness = props.readiness ?? healthCheckOf(props, mainPorts);
  if (readiness?.kind !== HealthCheckKind.HTTP || readiness.path === undefined) return undefined;
  const port = readiness.portName === undefined ? mainPorts[0] : ports.find((p) => p.name === readiness.portName);
  return port ? { path: readiness.path, port: port.port } : undefined;
}

/** The ports of the main container, and whether the service serves any. */
export interface MainContainerPorts {
  /** The main container's own ports. */
  readonly mainPorts: NamedPort[];
  /** Ports only the pod declares (the operators' metrics port). */
  readonly podPorts: NamedPort[];
  /** Whether the service has a port, a sidecar's included: its pods then wait before SIGTERM. */
  readonly servesPorts: boolean;
}

/** The main container every workload has (`base`), with the microservice's probes and graceful shutdown. */
export function withProbesAndShutdown(
  base: ContainerModel,
  props: MicroserviceProps,
  { mainPorts, podPorts, servesPorts }: MainContainerPorts,
): ContainerModel {
  const healthCheck = healthCheckOf(props, mainPorts);
  // Liveness asks only "is the process alive?": a TCP connect, never the readiness check, so a
  // failing dependency takes pods out of rotation without restarting them all. With a TCP
  // health check the two would be identical, so liveness is left to the user.
  const liveness =
    props.liveness ??
    (healthCheck && healthCheck.kind !== HealthCheckKind.TCP && tcpMainPort(mainPorts)
      ? HealthCheck.tcp({ portName: healthCheck.portName })
      : undefined);
  // The sleep must end before the grace period does (the API refuses it otherwise): the default
  // shrinks to fit a short grace period, a chosen one is checked in checks().
  const grace = gracePeriodSeconds(props);
  const preStop =
    props.preStopDelay ?? (servesPorts && grace > 1 ? Duration.seconds(Math.min(5, Math.floor(grace) - 1)) : undefined);
  return {
    ...base,
    props: { ...base.props, ports: [...mainPorts, ...podPorts], liveness },
    readiness: props.readiness ?? healthCheck,
    // The startup probe guards liveness, so it asks what liveness asks: a readiness check that
    // follows a dependency would have pods started during its outage killed after two minutes.
    startup: props.startup ?? (liveness ?? healthCheck)?._asStartup(),
    ...(preStop && preStop.toMilliseconds({ integral: false }) > 0 ? { preStopSleep: preStop } : {}),
  };
}

/** What the controller's spec needs of the microservice. */
export interface ControllerFacts {
  readonly props: MicroserviceProps;
  readonly serviceName: string;
  readonly selectorLabels: { [key: string]: string };
  /** Whether the target's nodes carry zone labels. */
  readonly zones: boolean;
  /** Fixed replica count; undefined when an autoscaler owns it. */
  readonly replicas?: number;
  /** Whether a persistent volume is ReadWriteOnce, which keeps a Deployment's pods on one node. */
  readonly hasRwoVolume: boolean;
  /** Its volumes; a StatefulSet gets a claim template for each persistent one. */
  readonly volumes: Storage[];
  /** The pod template, with `pod`'s scheduling fields. */
  podTemplate(pod: Json): Json;
  /** The spec of the claim a persistent volume gets. */
  claimSpec(volume: Storage): Json;
}

/** The spec of the Deployment or, with `statefulSet`, the StatefulSet. */
export function controllerSpec(facts: ControllerFacts): Json {
  const { props, selectorLabels, replicas } = facts;
  const spread = props.spread !== false;
  const stateful = props.statefulSet !== undefined;
  const pod: Json = {
    ...(spread ? { topologySpreadConstraints: spreadConstraints(selectorLabels, facts.zones, !stateful) } : {}),
    ...(spread && replicas !== 1 ? { affinity: antiAffinity(selectorLabels) } : {}),
  };
  const template = facts.podTemplate(pod);
  const minReady = props.rollout?.minReady?.toSeconds() ?? 0;
  const common = {
    // An HPA owns the replica count: leaving it out keeps re-applies from resetting it.
    replicas,
    selector: { matchLabels: selectorLabels },
    ...(minReady > 0 ? { minReadySeconds: minReady } : {}),
    revisionHistoryLimit: 5,
    template,
  };
  if (stateful) {
    return {
      ...common,
      ...statefulSetSpec(
        props.statefulSet!,
        headlessServiceName(facts.serviceName),
        facts.volumes
          .filter((v) => v.kind === StorageKind.PERSISTENT)
          .map((v) => ({ metadata: { name: v.name }, spec: facts.claimSpec(v) })),
      ),
    };
  }
  return { ...common, ...deploymentRollout(props.rollout ?? {}, facts.hasRwoVolume) };
}
