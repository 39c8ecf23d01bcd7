import { DeployError, ExitCode } from './errors';
import { Kubectl } from './kubectl';
import { OutputSystem } from './output';

/** A workload's pod selector as a kubectl `-l` argument. */
export function podSelectorOf(workload: any): string {
  return Object.entries(workload.spec.selector.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Where a workload stands: its progress line, whether it is done, and why it failed, if it did. */
interface Status {
  readonly line: string;
  readonly done: boolean;
  readonly failure?: string;
}

/** The pods' lifecycle counts: created, scheduled, running, ready. */
function podsLine(pods: any[]): string {
  const count = (test: (p: any) => boolean) => pods.filter(test).length;
  const ready = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  return `pods: ${pods.length} created, ${count((p) => !!p.spec.nodeName)} scheduled, ${count((p) => p.status?.phase === 'Running')} running, ${count(ready)} ready`;
}

/** A Deployment's or StatefulSet's rollout: done when every updated replica is Available. */
function rolloutStatus(live: any, kind: string, pods: any[]): Status {
  const upToDate = live.status?.observedGeneration >= live.metadata.generation;
  const desired = live.spec.replicas ?? 1;
  const updated = upToDate ? (live.status?.updatedReplicas ?? 0) : 0;
  const available = upToDate ? (live.status?.availableReplicas ?? 0) : 0;
  // kubectl rollout status waits for the same: the StatefulSet controller moves currentRevision
  // to updateRevision only once every pod runs the new revision and is ready.
  const settled = kind !== 'StatefulSet' || live.status?.currentRevision === live.status?.updateRevision;
  return {
    line: `${live.status?.readyReplicas ?? 0}/${desired} ready, ${updated} updated, ${available} available (${podsLine(pods)})`,
    done: updated === desired && available === desired && settled,
  };
}

/** A Job's run: done when Complete; failed, with the controller's reason, when Failed. */
function jobStatus(live: any, pods: any[]): Status {
  const condition = (type: string) =>
    (live.status?.conditions ?? []).find((c: any) => c.type === type && c.status === 'True');
  const failed = condition('Failed');
  return {
    line: `${live.status?.active ?? 0} active, ${live.status?.succeeded ?? 0} succeeded, ${live.status?.failed ?? 0} failed (${podsLine(pods)})`,
    done: condition('Complete') !== undefined,
    failure: failed ? `${failed.reason}: ${failed.message}` : undefined,
  };
}

/** The kinds `--wait` follows: those that run pods and report in their status how far they got. */
const FOLLOWED = ['Deployment', 'StatefulSet', 'Job'];

/** The `-l` selector of a followed workload's pods: a Job's pods carry its name (Kubernetes 1.27+). */
function podsOf(workload: any): string {
  return workload.kind === 'Job' ? `batch.kubernetes.io/job-name=${workload.metadata.name}` : podSelectorOf(workload);
}

function statusOf(kubectl: Kubectl, namespace: string, workload: any): Status {
  const {
    kind,
    metadata: { name },
  } = workload;
  const live = JSON.parse(
    kubectl.check(`reading ${kind} ${name}`, ['get', kind.toLowerCase(), name, '-n', namespace, '-o', 'json']),
  );
  const pods = JSON.parse(
    kubectl.check('listing pods', ['get', 'pods', '-n', namespace, '-l', podsOf(workload), '-o', 'json']),
  ).items as any[];
  return kind === 'Job' ? jobStatus(live, pods) : rolloutStatus(live, kind, pods);
}

/** Prints the events of a workload and its pods, for a failure or a timeout. */
function logEvents(
  kubectl: Kubectl,
  namespace: string,
  workload: any,
  headline: string,
  log: (line: string) => void,
): void {
  const pods = kubectl
    .run(['get', 'pods', '-n', namespace, '-l', podsOf(workload), '-o', 'name'])
    .stdout.split('\n')
    .filter(Boolean)
    .map((p) => p.replace('pod/', ''));
  const events = kubectl
    .run([
      'get',
      'events',
      '-n',
      namespace,
      '--sort-by=.lastTimestamp',
      '-o',
      'custom-columns=LAST:.lastTimestamp,TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message',
    ])
    .stdout.split('\n')
    .filter((l, i) => i === 0 || [workload.metadata.name, ...pods].some((n) => l.includes(n)))
    .join('\n');
  log(`${headline}; its events:\n${events}`);
}

/**
 * Follows every Deployment and StatefulSet until its updated replicas are all Available, and every
 * Job until it completes, printing a line whenever a workload's progress changes (the pod
 * lifecycle: created, scheduled, running, ready). A failed Job fails the wait at once; on timeout
 * prints the events of the workloads still pending and throws TIMEOUT.
 */
export async function waitForRollouts(
  kubectl: Kubectl,
  systems: OutputSystem[],
  timeoutSeconds: number,
  log: (line: string) => void,
  pollMs = 1000,
): Promise<void> {
  const pending = new Map(
    systems.flatMap((s) =>
      s.objects
        .filter((o) => FOLLOWED.includes(o.kind))
        .map((w) => [`${s.namespace}/${w.metadata.name}`, { namespace: s.namespace, workload: w }]),
    ),
  );
  const last = new Map<string, string>();
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (pending.size > 0) {
    for (const [key, { namespace, workload }] of pending) {
      const status = statusOf(kubectl, namespace, workload);
      const line = `${key}: ${status.line}`;
      if (last.get(key) !== line) log(line);
      last.set(key, line);
      if (status.failure) {
        logEvents(kubectl, namespace, workload, `✗ ${key} failed (${status.failure})`, log);
        throw new DeployError(
          `Job ${key} failed: ${status.failure}. Hint: kubectl logs -n ${namespace} -l ${podsOf(workload)}`,
          ExitCode.FAILED,
        );
      }
      if (status.done) {
        log(`✓ ${key} is ${workload.kind === 'Job' ? 'Complete' : 'Available'}`);
        pending.delete(key);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      for (const [key, { namespace, workload }] of pending)
        logEvents(
          kubectl,
          namespace,
          workload,
          `✗ ${key} did not ${workload.kind === 'Job' ? 'complete' : 'become Available'} in ${timeoutSeconds}s`,
          log,
        );
      throw new DeployError(
        `timed out after ${timeoutSeconds}s waiting for ${[...pending.keys()].join(', ')}`,
        ExitCode.TIMEOUT,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
