import {
  checkCount,
  checkDerivedName,
  checkDnsLabel,
  checkDnsSubdomain,
  DNS_LABEL_MAX_LENGTH,
  checkIngressHost,
  checkIngressPath,
  checkWholeSeconds,
  MAX_INT32,
  MAX_STABILIZATION_WINDOW_SECONDS,
  problems,
} from '../checks';
import { Problem } from '../errors';
import { problem } from '../messages';
import { Exposure, ExposureKind } from '../network/exposure';
import { AutoscalingOptions } from '../objects/scaling';
import { ContainerModel, PortProtocol, NamedPort } from '../pod/container';
import { HealthCheck, HealthCheckKind } from '../pod/health-check';
import { AccessMode, StorageKind } from '../pod/storage';
import { MicroserviceProps } from './microservice-props';
import { PodCount } from './pod-count';
import { portProblems } from './workload-checks';

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
    if (probe) found.push(...probe._timingProblems(prop));
    if (!probe || probe.kind === HealthCheckKind.COMMAND) continue;
    const portName = probe.portName ?? mainPorts[0]?.name;
    if (portName === undefined || !tcpPorts.includes(portName)) {
      found.push(problem('probe.port', `${prop}.portName`, probe.portName ?? portName, { tcpPorts }));
    }
  }
  const names = ports.map((p) => p.name);
  if (exposure.portName !== undefined && !names.includes(exposure.portName)) {
    found.push(
      problem('service.undeclared-port', 'expose.portName', exposure.portName, {
        ports: names,
        hint: 'expose a port the service declares',
      }),
    );
  }
  if (!exposure._clusterOnly && ports.length === 0) {
    found.push(problem('expose.no-ports', 'expose', exposure.kind));
  }
  if (exposure.host !== undefined) found.push(...problems(checkIngressHost('expose.host', exposure.host)));
  if (exposure.path !== undefined) found.push(...problems(checkIngressPath('expose.path', exposure.path)));
  if (exposure.tlsSecret !== undefined) {
    found.push(...problems(checkDnsSubdomain('expose.tlsSecret', exposure.tlsSecret)));
    if (exposure.host === undefined)
      found.push(
        problem('expose.tls-without-host', 'expose.tlsSecret', exposure.tlsSecret, {
          hint: 'pass host: "shop.example.com" as well, or drop tlsSecret',
        }),
      );
  }
  const exposed = exposure.portName === undefined ? ports[0] : ports.find((p) => p.name === exposure.portName);
  if (exposure.kind === ExposureKind.INGRESS && exposed?.protocol === PortProtocol.UDP) {
    found.push(problem('expose.ingress-to-udp', 'expose', `ingress to ${exposed.name}/UDP`));
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
      found.push(
        problem(
          'autoscaling.min-above-max',
          'autoscaling',
          `minReplicas ${a.minReplicas}, maxReplicas ${a.maxReplicas}`,
        ),
      );
    }
    for (const key of ['cpuUtilization', 'memoryUtilization'] as const) {
      const value = a[key];
      // Kubernetes takes any positive averageUtilization (a percentage of the request).
      if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= MAX_INT32)) {
        found.push(problem('autoscaling.utilization', `autoscaling.${key}`, value));
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
      found.push(problem('autoscaling.with-replicas', 'replicas', props.replicas));
    }
  }
  const r = props.rollout;
  if (r) {
    for (const key of ['maxSurge', 'maxUnavailable'] as const) {
      const value = r[key];
      // IsValidPercent: maxSurge may exceed 100 % (more new pods than old at once); maxUnavailable may not.
      const maxPercent = key === 'maxUnavailable' ? 100 : MAX_INT32;
      if (
        value &&
        !(
          Number.isInteger(value.value) &&
          value.value >= 0 &&
          value.value <= MAX_INT32 &&
          (!value.isPercent || value.value <= maxPercent)
        )
      ) {
        found.push(problem('rollout.pod-count', `rollout.${key}`, value.toJson()));
      }
    }
    if (r.maxSurge?.isZero() && (r.maxUnavailable?.isZero() ?? true)) {
      found.push(problem('rollout.cannot-start', 'rollout', 'maxSurge 0, maxUnavailable 0'));
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
      found.push(problem('rollout.deadline-before-ready', 'rollout.progressDeadline', `${deadline}s`, { minReady }));
    }
  }
  const budget = props.disruptionBudget;
  if (budget && budget.enabled !== false) {
    const replicas = a ? a.minReplicas : (props.replicas ?? defaultReplicas);
    for (const key of ['maxUnavailable', 'minAvailable'] as const) {
      const value = budget[key];
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
        found.push(problem('disruption-budget.pod-count', `disruptionBudget.${key}`, value));
      }
    }
    if (budget.maxUnavailable === 0 || (budget.minAvailable !== undefined && budget.minAvailable >= replicas)) {
      found.push(problem('disruption-budget.blocks-eviction', 'disruptionBudget', budget, { replicas }));
    }
  }
  return found;
}

function statefulProblems(props: MicroserviceProps): Problem[] {
  const found: Problem[] = [];
  const stateful = props.statefulSet !== undefined;
  if (stateful && props.autoscaling) {
    found.push(problem('autoscaling.on-stateful-set', 'autoscaling', props.autoscaling));
  }
  for (const key of ['maxSurge', 'maxUnavailable', 'progressDeadline'] as const) {
    const value = props.rollout?.[key];
    if (stateful && value !== undefined) {
      found.push(
        problem(
          'rollout.on-stateful-set',
          `rollout.${key}`,
          value instanceof PodCount ? value.toJson() : value.toHumanString(),
          {
            key,
          },
        ),
      );
    }
  }
  (props.volumes ?? []).forEach((v, i) => {
    const single = v.kind === StorageKind.PERSISTENT && v.accessMode !== AccessMode.READ_WRITE_MANY;
    if (!stateful && single && ((props.replicas ?? 1) > 1 || props.autoscaling)) {
      found.push(
        problem('volume.shared-read-write-once', `volumes[${i}].accessMode`, v.accessMode, {
          replicas: String(props.replicas ?? `up to ${props.autoscaling?.maxReplicas}`),
        }),
      );
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
    warnings.push(problem('health.tcp-only', 'healthCheck', undefined));
  }
  const grace = gracePeriodSeconds(props);
  const preStopSeconds = (props.preStopDelay?.toMilliseconds({ integral: false }) ?? 0) / 1000;
  if (preStopSeconds > 0 && preStopSeconds >= grace) {
    problems.push(
      problem('shutdown.pre-stop-too-long', 'preStopDelay', props.preStopDelay!.toHumanString(), { grace }),
    );
  }
  if (autoscaling && autoscaling.minReplicas < 2) {
    warnings.push(problem('autoscaling.single-replica', 'autoscaling.minReplicas', autoscaling.minReplicas));
  }
  if (!main.readiness && !main.props.liveness) {
    warnings.push(problem('health.none', 'healthCheck', undefined));
  }
  if (main.readiness && main.props.liveness && sameCheck(main.readiness, main.props.liveness)) {
    warnings.push(
      problem('health.identical-probes', 'liveness', describeCheck(main.props.liveness), {
        container: main.props.name,
      }),
    );
  }
  return { problems, warnings };
}

/**
 * Longest StatefulSet name: the controller names each revision `<name>-<hash>` (the hash up to 10
 * characters) and puts that name in a pod label, a value of at most 63 characters
 * (kubernetes/kubernetes#64023). It also leaves room for the headless Service `<name>-headless`.
 */
export const STATEFUL_SET_NAME_MAX_LENGTH = 52;

/**
 * The names the library derives from a service's name (`prop`: `id` or `name`) fit: its
 * StatefulSet's revision label (see `STATEFUL_SET_NAME_MAX_LENGTH`), the ClusterIP Service
 * `<name>-cluster` beside a load balancer. The hint gives a name that fits.
 */
export function derivedNameProblems(
  name: string,
  prop: 'id' | 'name',
  objects: { readonly statefulSet: boolean; readonly cluster: boolean },
): Problem[] {
  if (checkDnsLabel(prop, name)) return []; // reported as a bad name already
  const ways = (excess: number) => {
    const shorter = name.slice(0, Math.max(1, name.length - excess)).replace(/-+$/, '');
    return prop === 'id'
      ? `pass name: ${JSON.stringify(shorter)} (the construct id may stay as it is)`
      : `name: ${JSON.stringify(shorter)}`;
  };
  const statefulExcess = name.length - STATEFUL_SET_NAME_MAX_LENGTH;
  const clusterService = `${name}-cluster`;
  return problems(
    objects.statefulSet && statefulExcess > 0
      ? problem('stateful.name-too-long', prop, name, {
          limit: STATEFUL_SET_NAME_MAX_LENGTH,
          excess: statefulExcess,
          ways: ways(statefulExcess),
        })
      : undefined,
    objects.cluster
      ? checkDerivedName(
          prop,
          name,
          clusterService,
          'ClusterIP Service beside the load balancer (its name + "-cluster")',
          ways(clusterService.length - DNS_LABEL_MAX_LENGTH),
        )
      : undefined,
  );
}

/** Whether two checks ask the same thing, as kube-score compares probes: the same path and port, port, or command. */
export function sameCheck(a: HealthCheck, b: HealthCheck): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === HealthCheckKind.COMMAND) return JSON.stringify(a.execCommand) === JSON.stringify(b.execCommand);
  return a.path === b.path && a.portName === b.portName;
}

function describeCheck(check: HealthCheck): string {
  return check.kind === HealthCheckKind.COMMAND
    ? `command ${JSON.stringify(check.execCommand)}`
    : `${check.kind} ${check.path ?? ''}`.trim();
}
