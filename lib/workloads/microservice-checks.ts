import {
  checkCount,
  checkDnsSubdomain,
  checkIngressHost,
  checkIngressPath,
  checkWholeSeconds,
  MAX_INT32,
  MAX_STABILIZATION_WINDOW_SECONDS,
  problems,
} from '../checks';
import { Problem } from '../errors';
import { Exposure, ExposureKind } from '../network/exposure';
import { AutoscalingOptions } from '../objects/scaling';
import { ContainerModel, PortProtocol, NamedPort } from '../pod/container';
import { HealthCheck, HealthCheckKind } from '../pod/health-check';
import { AccessMode, StorageKind } from '../pod/storage';
import { MicroserviceProps } from './microservice-props';
import { PodCount } from './pod-count';
import { portProblems, probeTimingProblems } from './workload-checks';

/**
 * The props-only checks of a long-running microservice, beyond those every workload shares:
 * ports, probes, exposure, scaling, rollout, disruption budget and StatefulSet options.
 */
export function microservicePropsProblems(
  props: MicroserviceProps,
  ports: NamedPort[],
  exposure: Exposure,
  mainPorts: NamedPort[],
  defaultReplicas: number,
): Problem[] {
  const found: Problem[] = [];
  const main = props.port !== undefined;
  found.push(
    ...portProblems(ports, (i) =>
      main && i === 0
        ? { number: 'port', name: 'portName' }
        : { number: `ports[${main ? i - 1 : i}].port`, name: `ports[${main ? i - 1 : i}].name` },
    ),
  );
  // The main container's probes reach its own ports only; a sidecar probes its own.
  const tcpPorts = mainPorts.filter((p) => p.protocol !== PortProtocol.UDP).map((p) => p.name);
  const probeChecks: Array<[string, HealthCheck | undefined]> = [
    ['healthCheck', props.healthCheck],
    ['liveness', props.liveness],
    ['readiness', props.readiness],
    ['startup', props.startup],
  ];
  for (const [prop, probe] of probeChecks) {
    if (probe) found.push(...probeTimingProblems(prop, probe));
    if (!probe || probe.kind === HealthCheckKind.COMMAND) continue;
    const portName = probe.portName ?? mainPorts[0]?.name;
    if (portName === undefined || !tcpPorts.includes(portName)) {
      found.push({
        prop: `${prop}.portName`,
        received: probe.portName ?? portName,
        allowed: `a declared TCP port: ${tcpPorts.join(', ') || 'none (the service has no TCP ports)'}`,
        hint: 'TCP and HTTP probes need a TCP port: declare one, or use HealthCheck.command()',
      });
    }
  }
  const names = ports.map((p) => p.name);
  if (exposure.portName !== undefined && !names.includes(exposure.portName)) {
    found.push({
      prop: 'expose.portName',
      received: exposure.portName,
      allowed: `a declared port: ${names.join(', ') || 'none'}`,
      hint: 'expose a port the service declares',
    });
  }
  if (exposure.kind !== ExposureKind.CLUSTER && ports.length === 0) {
    found.push({
      prop: 'expose',
      received: exposure.kind,
      allowed: 'Exposure.cluster() for a service without ports',
      hint: 'declare port: 8080 (or the port it listens on)',
    });
  }
  if (exposure.host !== undefined) found.push(...problems(checkIngressHost('expose.host', exposure.host)));
  if (exposure.path !== undefined) found.push(...problems(checkIngressPath('expose.path', exposure.path)));
  if (exposure.tlsSecret !== undefined) {
    found.push(...problems(checkDnsSubdomain('expose.tlsSecret', exposure.tlsSecret)));
    if (exposure.host === undefined)
      found.push({
        prop: 'expose.tlsSecret',
        received: exposure.tlsSecret,
        allowed: 'a TLS Secret together with a host (the certificate is for a name)',
        hint: 'pass host: "shop.example.com" as well, or drop tlsSecret',
      });
  }
  const exposed = exposure.portName === undefined ? ports[0] : ports.find((p) => p.name === exposure.portName);
  if (exposure.kind === ExposureKind.INGRESS && exposed?.protocol === PortProtocol.UDP) {
    found.push({
      prop: 'expose',
      received: `ingress to ${exposed.name}/UDP`,
      allowed: 'an Ingress to a TCP port (Ingresses route HTTP)',
      hint: 'expose a UDP port with Exposure.loadBalancer()',
    });
  }
  if (props.preStopDelay !== undefined)
    found.push(
      ...problems(checkWholeSeconds('preStopDelay', props.preStopDelay, 0, MAX_INT32, 'e.g. Duration.seconds(5)')),
    );
  found.push(...scalingProblems(props, defaultReplicas));
  found.push(...statefulProblems(props));
  return found;
}

function scalingProblems(props: MicroserviceProps, defaultReplicas: number): Problem[] {
  const found: Problem[] = [];
  const a = props.autoscaling;
  found.push(
    ...problems(
      props.replicas === undefined
        ? undefined
        : checkCount('replicas', props.replicas, 0, 'use 0 to scale the service down, 2 or more for availability'),
    ),
  );
  if (a) {
    found.push(
      ...problems(
        checkCount(
          'autoscaling.minReplicas',
          a.minReplicas,
          1,
          'an HPA keeps at least one pod; use 2 or more for availability',
        ),
        checkCount('autoscaling.maxReplicas', a.maxReplicas, 1, 'set the most pods the service may need'),
      ),
    );
    if (a.minReplicas > a.maxReplicas) {
      found.push({
        prop: 'autoscaling',
        received: `minReplicas ${a.minReplicas}, maxReplicas ${a.maxReplicas}`,
        allowed: 'minReplicas ≤ maxReplicas',
        hint: 'swap them or raise maxReplicas',
      });
    }
    for (const key of ['cpuUtilization', 'memoryUtilization'] as const) {
      const value = a[key];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= 100)) {
        found.push({
          prop: `autoscaling.${key}`,
          received: value,
          allowed: 'an integer percentage from 1 to 100',
          hint: 'e.g. 70',
        });
      }
    }
    for (const key of ['scaleDownStabilization', 'scaleUpStabilization'] as const) {
      if (a[key] !== undefined)
        found.push(
          ...problems(
            checkWholeSeconds(
              `autoscaling.${key}`,
              a[key],
              0,
              MAX_STABILIZATION_WINDOW_SECONDS,
              'e.g. Duration.minutes(5)',
            ),
          ),
        );
    }
    if (props.replicas !== undefined) {
      found.push({
        prop: 'replicas',
        received: props.replicas,
        allowed: 'no replicas when autoscaling is set (the HPA owns the count)',
        hint: 'remove replicas and use autoscaling.minReplicas',
      });
    }
  }
  const r = props.rollout;
  if (r) {
    for (const key of ['maxSurge', 'maxUnavailable'] as const) {
      const value = r[key];
      if (value && !(Number.isInteger(value.value) && value.value >= 0 && (!value.isPercent || value.value <= 100))) {
        found.push({
          prop: `rollout.${key}`,
          received: value.toJson(),
          allowed: 'a whole number of pods ≥ 0, or a percentage from 0 to 100',
          hint: 'e.g. PodCount.absolute(1) or PodCount.percent(25)',
        });
      }
    }
    if (r.maxSurge?.isZero() && (r.maxUnavailable?.isZero() ?? true)) {
      found.push({
        prop: 'rollout',
        received: 'maxSurge 0, maxUnavailable 0',
        allowed: 'maxSurge or maxUnavailable above 0',
        hint: 'a rollout could never start: allow one extra pod (maxSurge: PodCount.absolute(1))',
      });
    }
    const badTimes = problems(
      r.minReady === undefined
        ? undefined
        : checkWholeSeconds('rollout.minReady', r.minReady, 0, MAX_INT32, 'e.g. Duration.seconds(10)'),
      r.progressDeadline === undefined
        ? undefined
        : checkWholeSeconds('rollout.progressDeadline', r.progressDeadline, 1, MAX_INT32, 'e.g. Duration.minutes(10)'),
    );
    found.push(...badTimes);
    const minReady = badTimes.length > 0 ? 0 : (r.minReady?.toSeconds() ?? 0);
    const deadline = badTimes.length > 0 ? 600 : (r.progressDeadline?.toSeconds() ?? 600);
    if (deadline <= minReady) {
      found.push({
        prop: 'rollout.progressDeadline',
        received: `${deadline}s`,
        allowed: `more than minReady (${minReady}s)`,
        hint: 'otherwise every rollout is marked failed before a pod can count as available',
      });
    }
  }
  const budget = props.disruptionBudget;
  if (budget && budget.enabled !== false) {
    const replicas = a ? a.minReplicas : (props.replicas ?? defaultReplicas);
    for (const key of ['maxUnavailable', 'minAvailable'] as const) {
      const value = budget[key];
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
        found.push({
          prop: `disruptionBudget.${key}`,
          received: value,
          allowed: 'a whole number of pods ≥ 0',
          hint: 'e.g. 1',
        });
      }
    }
    if (budget.maxUnavailable === 0 || (budget.minAvailable !== undefined && budget.minAvailable >= replicas)) {
      found.push({
        prop: 'disruptionBudget',
        received: budget,
        allowed: `a budget that lets at least one of ${replicas} pods be evicted`,
        hint: 'this budget blocks every node drain and cluster upgrade: use maxUnavailable: 1',
      });
    }
  }
  return found;
}

function statefulProblems(props: MicroserviceProps): Problem[] {
  const found: Problem[] = [];
  const stateful = props.statefulSet !== undefined;
  if (stateful && props.autoscaling) {
    found.push({
      prop: 'autoscaling',
      received: props.autoscaling,
      allowed: 'a fixed replica count on a StatefulSet',
      hint: 'each replica owns its volume and identity: scale it on purpose with replicas',
    });
  }
  for (const key of ['maxSurge', 'maxUnavailable', 'progressDeadline'] as const) {
    const value = props.rollout?.[key];
    if (stateful && value !== undefined) {
      found.push({
        prop: `rollout.${key}`,
        received: value instanceof PodCount ? value.toJson() : value.toHumanString(),
        allowed: 'only rollout.minReady on a StatefulSet (it replaces pods one at a time, highest ordinal first)',
        hint: `remove rollout.${key}`,
      });
    }
  }
  (props.volumes ?? []).forEach((v, i) => {
    const single = v.kind === StorageKind.PERSISTENT && v.accessMode !== AccessMode.READ_WRITE_MANY;
    if (!stateful && single && ((props.replicas ?? 1) > 1 || props.autoscaling)) {
      found.push({
        prop: `volumes[${i}].accessMode`,
        received: v.accessMode,
        allowed: `ReadWriteMany when the pods of a Deployment share the volume (replicas ${props.replicas ?? `up to ${props.autoscaling?.maxReplicas}`})`,
        hint: 'a ReadWriteOnce volume attaches to one node: use replicas: 1, statefulSet: {} for a volume per pod, or AccessMode.READ_WRITE_MANY',
      });
    }
  });
  return found;
}

/** The pod's termination grace period in seconds: as set, else Kubernetes' default of 30 s. */
export function gracePeriodSeconds(props: MicroserviceProps): number {
  return (props.terminationGracePeriod?.toMilliseconds({ integral: false }) ?? 30_000) / 1000;
}

/**
 * What the rendered main container says about the service's health: a health check Kubernetes
 * cannot tell a hung process by, none at all, a preStop delay the grace period cuts off, and an
 * autoscaler that may leave one pod.
 */
export function healthFindings(
  props: MicroserviceProps,
  main: ContainerModel,
  autoscaling?: AutoscalingOptions,
): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (props.healthCheck === undefined && main.readiness?.kind === HealthCheckKind.TCP) {
    warnings.push({
      prop: 'healthCheck',
      received: undefined,
      allowed: 'HealthCheck.http(), HealthCheck.grpc() or HealthCheck.command() for a service with a TCP port',
      hint: 'a TCP connect cannot tell a hung process from a live one, so the service gets TCP readiness and no liveness probe; pass e.g. healthCheck: HealthCheck.http("/healthz")',
    });
  }
  const grace = gracePeriodSeconds(props);
  const preStopSeconds = (props.preStopDelay?.toMilliseconds({ integral: false }) ?? 0) / 1000;
  if (preStopSeconds > 0 && preStopSeconds >= grace) {
    problems.push({
      prop: 'preStopDelay',
      received: props.preStopDelay!.toHumanString(),
      allowed: `less than terminationGracePeriod (${grace} s)`,
      hint: 'the pod is killed when the grace period ends: shorten the delay or lengthen terminationGracePeriod',
    });
  }
  if (autoscaling && autoscaling.minReplicas < 2) {
    warnings.push({
      prop: 'autoscaling.minReplicas',
      received: autoscaling.minReplicas,
      allowed: 'at least 2 for a service that must stay up',
      hint: 'with one pod, a node drain, an eviction or a failed probe takes the service down: use minReplicas: 2',
    });
  }
  if (!main.readiness && !main.props.liveness) {
    warnings.push({
      prop: 'healthCheck',
      received: undefined,
      allowed: 'a health check Kubernetes can run (a TCP port, HealthCheck.http() or HealthCheck.command())',
      hint: 'without one, a hung process is never restarted and traffic reaches pods that are not ready: pass healthCheck: HealthCheck.command([...])',
    });
  }
  return { problems, warnings };
}
