import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISystem } from '../contracts';
import { Findings, Problem } from '../errors';
import { problem } from '../messages';
import { DependencyKind } from '../network/dependency';
import { resolveDependency } from '../network/edges';
import { operatorRule, OperatorReads } from '../network/operators';
import { Direction, WorkloadPolicy } from '../network/policy';
import { Json, later, newApiObject, ObjectMeta } from '../objects/api-object';
import {
  KEDA_API_VERSION,
  KEDA_OPERATOR_LABELS,
  kedaTimingProblems,
  ScaleTrigger,
  scaledObjectSpec,
} from '../objects/keda';
import {
  metricsOptionProblems,
  MONITORING_API_VERSION,
  monitorSpec,
  PROMETHEUS_POD_LABELS,
} from '../objects/monitoring';
import { NamedPort, PortProtocol } from '../pod/container';
import { AccessMode, StorageKind } from '../pod/storage';
import { checkCount, problems } from '../checks';
import { MicroserviceProps } from './microservice-props';

/**
 * The objects a workload asks of the operators a platform runs, each emitted only when asked:
 * KEDA's ScaledObject (instead of the library's HPA), and the Prometheus Operator's ServiceMonitor
 * or PodMonitor, with the NetworkPolicy rules that let each operator in.
 */

/** Where a trigger's server is, `host:port`, as KEDA's scalers take it; empty while it does not resolve (reported by the checks). */
function triggerAddress(system: ISystem, trigger: ScaleTrigger): string {
  if (!trigger.server) return '';
  const edge = resolveDependency(system, trigger.server.toDependency());
  const dep = edge.dependency;
  if (dep.kind === DependencyKind.EXTERNAL) return `${dep.host}:${dep.portNumber}`;
  return edge.provider && edge.port ? `${edge.provider.hostFor(edge.port)}:${edge.port.port}` : '';
}

/** Whether `value` is a trigger made by a `ScaleTrigger` factory (plain JavaScript may pass anything). */
function isTrigger(value: unknown): value is ScaleTrigger {
  return typeof (value as ScaleTrigger | undefined)?._toTrigger === 'function';
}

/** The triggers as a ScaledObject or ScaledJob lists them, servers resolved now. */
export function renderTriggers(system: ISystem, triggers: readonly ScaleTrigger[]): Json[] {
  return triggers.filter(isTrigger).map((t) => t._toTrigger(triggerAddress(system, t)));
}

/** Lets the KEDA operator (in `kedaNamespace`) reach each trigger's server that is a service of this app. */
export function declareTriggerReads(
  scope: Construct,
  system: ISystem,
  triggers: readonly ScaleTrigger[],
  kedaNamespace = 'keda',
): void {
  for (const trigger of triggers.filter(isTrigger)) {
    if (trigger.server)
      OperatorReads.of(scope).declare(system, trigger.server.toDependency(), {
        namespace: kedaNamespace,
        podLabels: KEDA_OPERATOR_LABELS,
      });
  }
}

/** Problems of the triggers under `prop`: their options, and servers that do not resolve. */
export function triggerProblems(system: ISystem, prop: string, triggers: readonly ScaleTrigger[]): Problem[] {
  if (!Array.isArray(triggers) || triggers.length === 0) return [problem('scaling.no-triggers', prop, triggers)];
  return triggers.flatMap((trigger, i) => {
    if (!isTrigger(trigger)) return [problem('trigger.type', `${prop}[${i}]`, trigger)];
    const found = trigger._problems(`${prop}[${i}]`);
    if (trigger.server) {
      const edge = resolveDependency(system, trigger.server.toDependency());
      if (edge.dependency.kind !== DependencyKind.EXTERNAL && !edge.port)
        found.push(
          problem(
            'trigger.server-unknown',
            `${prop}[${i}].server`,
            `${edge.dependency.namespace}/${edge.dependency.name}${edge.dependency.portName ? ` port ${edge.dependency.portName}` : ''}`,
            { services: system.serviceNames() },
          ),
        );
    }
    return found;
  });
}

/** What the operators need of the microservice. */
export interface OperatorHost {
  readonly scope: Construct;
  readonly system: ISystem;
  readonly serviceName: string;
  readonly selectorLabels: { [key: string]: string };
  readonly policy: WorkloadPolicy;
  /** Kind of the controller: Deployment or StatefulSet. */
  readonly controllerKind: string;
  metadata(name: string): ObjectMeta;
  /** The ports the service declares (its Services'), as of now. */
  ports(): NamedPort[];
  /** Whether other workloads or clients call it, as of now. */
  called(): boolean;
}

/** A microservice's KEDA ScaledObject and its Prometheus Operator monitor. */
export class ServiceOperators {
  /** The ScaledObject, with `eventScaling` on a Deployment. */
  public readonly scaledObject?: ApiObject;
  /** The ServiceMonitor, with `metrics` on a declared port of a Deployment. */
  public readonly serviceMonitor?: ApiObject;
  /** The PodMonitor, with `metrics` on a pod-only port or a StatefulSet. */
  public readonly podMonitor?: ApiObject;

  constructor(
    private readonly host: OperatorHost,
    private readonly props: MicroserviceProps,
  ) {
    const scaling = props.eventScaling;
    const system = host.system;
    if (scaling && host.controllerKind === 'Deployment') {
      const triggers = [...(scaling.triggers ?? [])];
      declareTriggerReads(host.scope, system, triggers, scaling.kedaNamespace);
      this.scaledObject = newApiObject(
        host.scope,
        'ScaledObject',
        { apiVersion: KEDA_API_VERSION, kind: 'ScaledObject' },
        host.metadata(host.serviceName),
        {
          spec: later(() =>
            scaledObjectSpec(
              scaling,
              host.controllerKind,
              host.serviceName,
              this.minReplicas,
              renderTriggers(system, triggers),
            ),
          ),
        },
      );
    }
    const metrics = props.metrics;
    if (metrics) {
      const portName = metrics.portName ?? 'metrics';
      const pods = metrics.port !== undefined || host.controllerKind === 'StatefulSet';
      const kind = pods ? 'PodMonitor' : 'ServiceMonitor';
      const meta = host.metadata(host.serviceName);
      const monitor = newApiObject(
        host.scope,
        kind,
        { apiVersion: MONITORING_API_VERSION, kind },
        { ...meta, labels: { ...meta.labels, ...metrics.labels } },
        // Rendered at synth, after the checks: a bad interval is a problem, not a crash.
        { spec: later(() => monitorSpec(metrics, portName, host.selectorLabels, pods)) },
      );
      if (pods) this.podMonitor = monitor;
      else this.serviceMonitor = monitor;
      const prometheus = {
        namespace: metrics.prometheusNamespace ?? 'monitoring',
        podLabels: metrics.prometheusPodLabels ?? PROMETHEUS_POD_LABELS,
      };
      host.policy.allow(Direction.INGRESS, () => {
        const port = this.metricsPort();
        return port ? [operatorRule(prometheus, port)] : [];
      });
    }
    // Ingress from the operators that read the service: KEDA asking a queue for its length.
    host.policy.allow(Direction.INGRESS, () => OperatorReads.of(host.scope).rulesFor(host.scope));
  }

  /** Fewest replicas KEDA keeps: as set, else one for a service others call, none for one nobody calls (a worker). */
  public get minReplicas(): number {
    return this.props.eventScaling?.minReplicas ?? (this.host.called() ? 1 : 0);
  }

  /** The port only the pods open for metrics (`metrics.port`), which the main container declares; none otherwise. */
  public podPorts(): NamedPort[] {
    const metrics = this.props.metrics;
    return metrics?.port === undefined ? [] : [{ name: metrics.portName ?? 'metrics', port: metrics.port }];
  }

  /** The port Prometheus scrapes: the pod-only port, else the declared port of that name. */
  private metricsPort(): NamedPort | undefined {
    const name = this.props.metrics?.portName ?? 'metrics';
    return this.podPorts()[0] ?? this.host.ports().find((p) => p.name === name);
  }

  /** What the checks find in `eventScaling` and `metrics`. */
  public findings(): Findings {
    const found: Problem[] = [];
    const props = this.props;
    const scaling = props.eventScaling;
    if (scaling) {
      if (props.statefulSet !== undefined)
        found.push(problem('scaling.event-on-stateful-set', 'eventScaling', 'eventScaling'));
      if (props.autoscaling)
        found.push(problem('scaling.both-autoscalers', 'autoscaling', 'autoscaling and eventScaling'));
      if (props.replicas !== undefined) found.push(problem('scaling.event-with-replicas', 'replicas', props.replicas));
      found.push(...triggerProblems(this.host.system, 'eventScaling.triggers', scaling.triggers));
      found.push(...kedaTimingProblems('eventScaling', scaling));
      found.push(
        ...problems(
          checkCount('eventScaling.maxReplicas', scaling.maxReplicas, 1, 'set the most pods the service may need'),
          scaling.minReplicas === undefined
            ? undefined
            : checkCount(
                'eventScaling.minReplicas',
                scaling.minReplicas,
                0,
                'use 0 to let KEDA scale an idle worker to zero',
              ),
        ),
      );
      if (this.minReplicas > scaling.maxReplicas)
        found.push(
          problem(
            'autoscaling.min-above-max',
            'eventScaling',
            `minReplicas ${this.minReplicas}, maxReplicas ${scaling.maxReplicas}`,
          ),
        );
      (props.volumes ?? []).forEach((v, i) => {
        if (
          props.statefulSet === undefined &&
          v.kind === StorageKind.PERSISTENT &&
          v.accessMode !== AccessMode.READ_WRITE_MANY
        )
          found.push(
            problem('volume.shared-read-write-once', `volumes[${i}].accessMode`, v.accessMode, {
              replicas: `up to ${scaling.maxReplicas}`,
            }),
          );
      });
    }
    const metrics = props.metrics;
    if (metrics) {
      found.push(...metricsOptionProblems('metrics', metrics));
      const name = metrics.portName ?? 'metrics';
      const declared = this.host.ports().find((p) => p.name === name);
      if (metrics.port !== undefined && declared)
        found.push(problem('metrics.port-taken', 'metrics.port', metrics.port));
      else if (metrics.port === undefined && (!declared || declared.protocol === PortProtocol.UDP))
        found.push(
          problem('metrics.port-unknown', 'metrics.portName', name, {
            ports: this.host
              .ports()
              .filter((p) => p.protocol !== PortProtocol.UDP)
              .map((p) => p.name),
          }),
        );
    }
    return { problems: found, warnings: [] };
  }
}
