import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkCount, problems } from '../checks';
import { GraphNode } from '../contracts';
import { Findings } from '../errors';
import { later, newApiObject } from '../objects/api-object';
import { KEDA_API_VERSION, kedaTimingProblems, ScaleTrigger } from '../objects/keda';
import { BatchWorkload, historyProblems, JobProps } from './job';
import { declareTriggerReads, renderTriggers, triggerProblems } from './operators';

/** Props of a ScaledJob: batch work KEDA starts as Jobs when events wait. */
export interface ScaledJobProps extends JobProps {
  /** What starts Jobs: at each poll KEDA starts as many as the triggers' waiting events ask for. */
  readonly triggers: ScaleTrigger[];
  /** Most Jobs running at once. @default 10 */
  readonly maxReplicas?: number;
  /** How often KEDA asks the triggers. @default Duration.seconds(30) */
  readonly pollingInterval?: Duration;
  /** Finished Jobs kept. @default 3 */
  readonly successfulJobsHistory?: number;
  /** Failed Jobs kept. @default 1 */
  readonly failedJobsHistory?: number;
  /** Namespace of the KEDA operator, which reads the triggers' servers. @default "keda" */
  readonly kedaNamespace?: string;
}

const SCALED_JOB_NAME_LIMIT = {
  length: 57,
  why: 'KEDA names each Job <name>-<5 random characters>, and Kubernetes puts that name in a pod label (batch.kubernetes.io/job-name) of at most 63 characters',
};

/**
 * Batch work on a queue: KEDA's ScaledJob, which starts Jobs with the workload model of a `Job`
 * (one per batch of waiting events, each running to completion) instead of scaling long-running
 * pods. Needs KEDA in the cluster; the triggers' servers of this app admit the KEDA operator.
 */
export class ScaledJob extends BatchWorkload {
  /** The ScaledJob. */
  public readonly scaledJobObject: ApiObject;

  constructor(scope: Construct, id: string, props: ScaledJobProps) {
    super(scope, id, props, 'job');
    props = this.props as ScaledJobProps; // with wrongly typed values left out
    const triggers = [...(props.triggers ?? [])];
    declareTriggerReads(this, this.system, triggers, props.kedaNamespace);
    this.scaledJobObject = newApiObject(
      this,
      'ScaledJob',
      { apiVersion: KEDA_API_VERSION, kind: 'ScaledJob' },
      this.metadata(this.serviceName),
      {
        spec: later(() => ({
          jobTargetRef: this.jobSpec(),
          pollingInterval: props.pollingInterval?.toSeconds() ?? 30,
          maxReplicaCount: props.maxReplicas ?? 10,
          successfulJobsHistoryLimit: props.successfulJobsHistory ?? 3,
          failedJobsHistoryLimit: props.failedJobsHistory ?? 1,
          triggers: renderTriggers(this.system, triggers),
        })),
      },
    );
    for (const dependency of props.dependsOn ?? []) this.addDependency(dependency);
  }

  /** The ScaledJob as the system diagram draws it. */
  public graphNode(): GraphNode {
    const props = this.props as ScaledJobProps;
    return {
      name: this.serviceName,
      detail: 'ScaledJob (KEDA)',
      scale: `up to ${props.maxReplicas ?? 10} Jobs on ${(props.triggers ?? []).map((t) => t?.type).join(', ')}`,
      volumes: [],
      edges: this.graphEdges(),
    };
  }

  /** @jsii ignore */
  protected nameLimit(): { length: number; why: string } {
    return SCALED_JOB_NAME_LIMIT;
  }

  protected checks(): Findings {
    const props = this.props as ScaledJobProps;
    const base = super.checks();
    return {
      problems: [
        ...base.problems,
        ...triggerProblems(this.system, 'triggers', props.triggers),
        ...kedaTimingProblems('', props),
        ...problems(
          props.maxReplicas === undefined
            ? undefined
            : checkCount('maxReplicas', props.maxReplicas, 1, 'the most Jobs that may run at once, e.g. 10'),
        ),
        ...historyProblems(props),
      ],
      warnings: base.warnings,
    };
  }
}
