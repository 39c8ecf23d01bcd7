import { createHash } from 'crypto';
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GraphNode } from '../contracts';
import { Findings, Problem } from '../errors';
import { problem } from '../messages';
import { checkCronSchedule, checkTimeZone, checkWholeSeconds, MAX_INT32, problems } from '../checks';
import { Json, later, newApiObject, ObjectMeta } from '../objects/api-object';
import { Workload } from './workload';
import { WorkloadProps } from './workload-props';

/** What the kubelet does when a Job's container fails. */
export enum JobRestartPolicy {
  /** A failed pod stays failed and the Job starts a new one: each attempt keeps its logs. */
  NEVER = 'Never',
  /** The kubelet restarts the container in the same pod. */
  ON_FAILURE = 'OnFailure',
}

/** Props of a Job: one-off work such as a migration, run to completion. */
export interface JobProps extends WorkloadProps {
  /** Retries before the Job is marked failed. @default 3 */
  readonly backoffLimit?: number;
  /** How long the Job may run, retries included, before it is stopped. @default - no limit */
  readonly activeDeadline?: Duration;
  /**
   * Delete the Job this long after it finished. @default - kept: a deleted Job would be created
   * and run again by the next apply of unchanged manifests
   */
  readonly ttlAfterFinished?: Duration;
  /** Restart policy of its pods. @default JobRestartPolicy.NEVER */
  readonly restartPolicy?: JobRestartPolicy;
}

/** What a CronJob does when a run is due while the previous one still runs. */
export enum ConcurrencyPolicy {
  /** Skip the new run. */
  FORBID = 'Forbid',
  /** Run both. */
  ALLOW = 'Allow',
  /** Stop the old run and start the new one. */
  REPLACE = 'Replace',
}

/** Props of a CronJob: a Job run on a schedule. */
export interface CronJobProps extends JobProps {
  /** Cron schedule, five fields (`30 2 * * *`) or a macro (`@daily`). */
  readonly schedule: string;
  /** IANA time zone of the schedule. @default - the kube-controller-manager's time zone (UTC on managed clusters) */
  readonly timeZone?: string;
  /** Overlapping runs. @default ConcurrencyPolicy.FORBID */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** Finished Jobs kept. @default 3 */
  readonly successfulJobsHistory?: number;
  /** Failed Jobs kept. @default 1 */
  readonly failedJobsHistory?: number;
  /** How late a missed run may still start; later runs are skipped. @default Duration.hours(1) */
  readonly startingDeadline?: Duration;
  /** Pause the schedule. @default false */
  readonly suspend?: boolean;
}

/**
 * A Job's pod template is immutable, so a Job whose template changes is a new Job: its name
 * carries a hash of its spec. Applying unchanged manifests is a no-op; a new image or config
 * creates a new Job, and deploy's pruning removes the old one.
 */
class ContentNamedJob extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    private readonly baseName: string,
    metadata: ObjectMeta,
    spec: Json,
  ) {
    super(scope, id, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        ...metadata,
        annotations:
          metadata.annotations && Object.keys(metadata.annotations).length > 0 ? metadata.annotations : undefined,
      },
      spec,
    });
  }

  public toJson(): any {
    const json = super.toJson();
    const hash = createHash('sha256').update(JSON.stringify(json.spec)).digest('hex').slice(0, 8);
    json.metadata.name = `${this.baseName}-${hash}`;
    return json;
  }
}

/** Longest names the batch kinds leave room for, and why. */
const JOB_NAME_LIMIT = {
  length: 54,
  why: 'the Job is named <name>-<8-character hash>, and Kubernetes puts that name in a pod label (batch.kubernetes.io/job-name) of at most 63 characters',
};
const CRONJOB_NAME_LIMIT = {
  length: 52,
  why: 'the API refuses longer CronJob names: its controller appends 11 characters to name each Job',
};

/** What a Job, a CronJob and a ScaledJob share: pods that run to completion, retries and deadlines. */
export abstract class BatchWorkload extends Workload {
  protected claimsPerPod(): boolean {
    return false;
  }

  /** Longest name its kind leaves room for, and why. @jsii ignore */
  protected nameLimit(): { length: number; why: string } {
    return this instanceof CronJob ? CRONJOB_NAME_LIMIT : JOB_NAME_LIMIT;
  }

  protected checks(): Findings {
    const name = this.serviceName;
    const limit = this.nameLimit();
    // Longer than a DNS label is reported by the shared name check already.
    const tooLong =
      name.length > limit.length && name.length <= 63
        ? [
            problem('job.name-too-long', (this.props as JobProps).name === undefined ? 'id' : 'name', name, {
              limit: limit.length,
              why: limit.why,
            }),
          ]
        : [];
    const found = super.checks();
    return {
      problems: [...tooLong, ...jobProblems(this.props as JobProps), ...found.problems],
      warnings: found.warnings,
    };
  }

  /** The spec of the Job (a CronJob's job template). */
  protected jobSpec(): Json {
    const props = this.props as JobProps;
    const deadline = props.activeDeadline?.toSeconds();
    const ttl = props.ttlAfterFinished?.toSeconds();
    return {
      backoffLimit: props.backoffLimit ?? 3,
      ...(deadline !== undefined ? { activeDeadlineSeconds: deadline } : {}),
      ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}),
      template: this.podTemplate(this.mainContainer(), {
        restartPolicy: props.restartPolicy ?? JobRestartPolicy.NEVER,
      }),
    };
  }
}

/**
 * One-off work run to completion, such as a schema migration: the workload model (containers,
 * init containers, native sidecars, volumes, env, `dependsOn` with its NetworkPolicy egress,
 * restricted security, resources, labels) in a Job.
 */
export class Job extends BatchWorkload {
  /** The Job; its name is `<name>-<hash of its spec>`. */
  public readonly jobObject: ApiObject;

  constructor(scope: Construct, id: string, props: JobProps) {
    super(scope, id, props, 'job');
    props = this.props as JobProps; // with wrongly typed values left out
    this.jobObject = new ContentNamedJob(
      this,
      'Job',
      this.serviceName,
      this.metadata(this.serviceName),
      later(() => this.jobSpec()),
    );
    for (const dependency of props.dependsOn ?? []) this.addDependency(dependency);
  }

  /** The Job as the system diagram draws it. */
  public graphNode(): GraphNode {
    return {
      name: this.serviceName,
      detail: 'Job',
      scale: 'runs to completion',
      volumes: [],
      edges: this.graphEdges(),
    };
  }
}

/**
 * Work on a schedule: a CronJob whose jobs have the workload model of a `Job`. The schedule is
 * checked as the CronJob controller parses it.
 */
export class CronJob extends BatchWorkload {
  /** The CronJob. */
  public readonly cronJobObject: ApiObject;

  constructor(scope: Construct, id: string, props: CronJobProps) {
    super(scope, id, props, 'cronjob');
    props = this.props as CronJobProps; // with wrongly typed values left out
    this.cronJobObject = newApiObject(
      this,
      'CronJob',
      { apiVersion: 'batch/v1', kind: 'CronJob' },
      this.metadata(this.serviceName),
      {
        spec: later(() => ({
          schedule: props.schedule,
          ...(props.timeZone ? { timeZone: props.timeZone } : {}),
          concurrencyPolicy: props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID,
          successfulJobsHistoryLimit: props.successfulJobsHistory ?? 3,
          failedJobsHistoryLimit: props.failedJobsHistory ?? 1,
          // A run that missed its time by more than this is skipped instead of starting at a surprising hour.
          startingDeadlineSeconds: (props.startingDeadline ?? Duration.hours(1)).toSeconds(),
          ...(props.suspend ? { suspend: true } : {}),
          jobTemplate: { metadata: { labels: this.labels }, spec: this.jobSpec() },
        })),
      },
    );
    for (const dependency of props.dependsOn ?? []) this.addDependency(dependency);
  }

  /** The CronJob as the system diagram draws it. */
  public graphNode(): GraphNode {
    const props = this.props as CronJobProps;
    return {
      name: this.serviceName,
      detail: 'CronJob',
      scale: `${props.schedule}${props.timeZone ? ` ${props.timeZone}` : ''}`,
      volumes: [],
      edges: this.graphEdges(),
    };
  }

  protected checks(): Findings {
    const props = this.props as CronJobProps;
    const base = super.checks();
    const warnings = [...base.warnings];
    const found = [
      ...base.problems,
      ...problems(
        this.hasWrongType('schedule') ? undefined : checkCronSchedule('schedule', props.schedule),
        props.timeZone === undefined ? undefined : checkTimeZone('timeZone', props.timeZone),
        // Policy: the API takes 0-9 s, but the CronJob controller looks every 10 s, so such a deadline may never start a job (Kubernetes docs, CronJob "Job creation").
        props.startingDeadline === undefined
          ? undefined
          : checkWholeSeconds(
              'startingDeadline',
              props.startingDeadline,
              10,
              MAX_INT32,
              'at least 10 seconds, since the controller checks schedules every 10 s; e.g. Duration.minutes(5)',
            ),
      ),
    ];
    found.push(...historyProblems(props));
    if (
      (props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID) === ConcurrencyPolicy.FORBID &&
      props.activeDeadline === undefined
    ) {
      warnings.push(problem('cron-job.no-deadline', 'activeDeadline', undefined));
    }
    return { problems: found, warnings };
  }
}

/** Problems of the finished Jobs a CronJob or a ScaledJob keeps. */
export function historyProblems(props: {
  readonly successfulJobsHistory?: number;
  readonly failedJobsHistory?: number;
}): Problem[] {
  return (['successfulJobsHistory', 'failedJobsHistory'] as const).flatMap((key) => {
    const value = props[key];
    return value !== undefined && !(Number.isInteger(value) && value >= 0)
      ? [problem('cron-job.history', key, value)]
      : [];
  });
}

function jobProblems(props: JobProps): Problem[] {
  const found: Problem[] = [];
  if (props.backoffLimit !== undefined && !(Number.isInteger(props.backoffLimit) && props.backoffLimit >= 0)) {
    found.push(problem('job.backoff-limit', 'backoffLimit', props.backoffLimit));
  }
  return [
    ...found,
    ...problems(
      props.activeDeadline === undefined
        ? undefined
        : checkWholeSeconds('activeDeadline', props.activeDeadline, 1, MAX_INT32, 'e.g. Duration.minutes(30)'),
      props.ttlAfterFinished === undefined
        ? undefined
        : checkWholeSeconds('ttlAfterFinished', props.ttlAfterFinished, 0, MAX_INT32, 'e.g. Duration.days(1)'),
    ),
  ];
}
