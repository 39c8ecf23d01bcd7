import { DeployError, ExitCode } from './errors';
import { Kubectl } from './kubectl';
import { OutputSystem } from './output';

/** A workload's pod selector as a kubectl `-l` argument. */
export function podSelectorOf(workload: any): string {
  return Object.entries(workload.spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The kinds `--wait` follows: those that roll pods out and report it in their status. */
const ROLLED_OUT = ['Deployment', 'StatefulSet'];

interface Progress {
  readonly desired: number; readonly updated: number; readonly ready: number; readonly available: number;
  /** Whether the controller has finished the rollout: a StatefulSet's current revision is its update revision. */
  readonly settled: boolean;
  readonly pods: string;
}

function progressOf(kubectl: Kubectl, namespace: string, workload: any): Progress {
  const { kind, metadata: { name } } = workload;
  const live = JSON.parse(kubectl.check(`reading ${kind} ${name}`, ['get', kind.toLowerCase(), name, '-n', namespace, '-o', 'json']));
  const pods = JSON.parse(kubectl.check('listing pods', ['get', 'pods', '-n', namespace, '-l', podSelectorOf(workload), '-o', 'json'])).items as any[];
  const count = (test: (p: any) => boolean) => pods.filter(test).length;
  const ready = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  const upToDate = live.status?.observedGeneration >= live.metadata.generation;
  return {
    desired: live.spec.replicas ?? 1,
    updated: upToDate ? live.status?.updatedReplicas ?? 0 : 0,
    ready: live.status?.readyReplicas ?? 0,
    available: upToDate ? live.status?.availableReplicas ?? 0 : 0,
    // kubectl rollout status waits for the same: the StatefulSet controller moves currentRevision
    // to updateRevision only once every pod runs the new revision and is ready.
    settled: kind !== 'StatefulSet' || live.status?.currentRevision === live.status?.updateRevision,
    pods: `pods: ${pods.length} created, ${count((p) => !!p.spec.nodeName)} scheduled, ${count((p) => p.status?.phase === 'Running')} running, ${count(ready)} ready`,
  };
}

/**
 * Follows every Deployment and StatefulSet until its updated replicas are all Available, printing a line
 * whenever a service's progress changes (the pod lifecycle: created, scheduled, running, ready).
 * On timeout prints the events of the services still rolling out and throws TIMEOUT.
 */
export async function waitForRollouts(kubectl: Kubectl, systems: OutputSystem[], timeoutSeconds: number, log: (line: string) => void, pollMs = 1000): Promise<void> {
  const pending = new Map(systems.flatMap((s) => s.objects.filter((o) => ROLLED_OUT.includes(o.kind)).map((w) => [`${s.namespace}/${w.metadata.name}`, { namespace: s.namespace, workload: w }])));
  const last = new Map<string, string>();
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (pending.size > 0) {
    for (const [key, { namespace, workload }] of pending) {
      const p = progressOf(kubectl, namespace, workload);
      const line = `${key}: ${p.ready}/${p.desired} ready, ${p.updated} updated, ${p.available} available (${p.pods})`;
      if (last.get(key) !== line) log(line);
      last.set(key, line);
      if (p.updated === p.desired && p.available === p.desired && p.settled) {
        log(`✓ ${key} is Available`);
        pending.delete(key);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      for (const [key, { namespace, workload }] of pending) {
        const pods = kubectl.run(['get', 'pods', '-n', namespace, '-l', podSelectorOf(workload), '-o', 'name']).stdout.split('\n').filter(Boolean).map((p) => p.replace('pod/', ''));
        const events = kubectl.run(['get', 'events', '-n', namespace, '--sort-by=.lastTimestamp', '-o', 'custom-columns=LAST:.lastTimestamp,TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message']).stdout
          .split('\n').filter((l, i) => i === 0 || [workload.metadata.name, ...pods].some((n) => l.includes(n))).join('\n');
        log(`✗ ${key} did not become Available in ${timeoutSeconds}s; its events:\n${events}`);
      }
      throw new DeployError(`timed out after ${timeoutSeconds}s waiting for ${[...pending.keys()].join(', ')}`, ExitCode.TIMEOUT);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

