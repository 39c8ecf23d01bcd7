import { ControlPlane } from '../cluster/control-plane';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = 2000;

/** Waits for and reads the state of an output's workloads on the real node. */
export class Workloads {
  constructor(private readonly cluster: ControlPlane) {}

  /**
   * Waits until every Deployment, StatefulSet and DaemonSet of the namespaces has all its pods
   * ready and every Job has completed, within `timeoutMs`. Returns a problem per workload that
   * did not get there (a failed Job at once), with its pods' states.
   */
  public async waitReady(namespaces: string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { pending, failed } = this.pendingWorkloads(namespaces);
      if (failed.length > 0) return failed;
      if (pending.length === 0) return [];
      if (Date.now() > deadline)
        return pending.map((w) => `${w} not ready after ${timeoutMs / 1000}s: ${this.podStates(namespaces)}`);
      await sleep(POLL_MS);
    }
  }

  /**
   * Makes each CronJob fire: its schedule becomes every minute (a change the test makes on the
   * cluster, not in the output), then a Job it creates must complete within `timeoutMs`.
   */
  public async fireCronJobs(namespaces: string[], timeoutMs: number): Promise<string[]> {
    const cronJobs = this.items(namespaces, 'cronjobs');
    for (const c of cronJobs)
      this.cluster.kubectl([
        'patch',
        'cronjob',
        c.metadata.name,
        '-n',
        c.metadata.namespace,
        '--type=merge',
        '-p',
        JSON.stringify({ spec: { schedule: '* * * * *', suspend: false } }),
      ]);
    const deadline = Date.now() + timeoutMs;
    const problems: string[] = [];
    for (const c of cronJobs) {
      const name = `CronJob ${c.metadata.namespace}/${c.metadata.name}`;
      for (;;) {
        const jobs = this.items([c.metadata.namespace], 'jobs').filter((j) =>
          j.metadata.ownerReferences?.some((r: any) => r.kind === 'CronJob' && r.name === c.metadata.name),
        );
        if (jobs.some((j) => condition(j, 'Complete'))) break;
        const failed = jobs.find((j) => condition(j, 'Failed'));
        if (failed) {
          problems.push(`${name}: its Job ${failed.metadata.name} failed: ${this.podStates([c.metadata.namespace])}`);
          break;
        }
        if (Date.now() > deadline) {
          problems.push(`${name}: no Job of it completed within ${timeoutMs / 1000}s (${jobs.length} created)`);
          break;
        }
        await sleep(POLL_MS);
      }
    }
    return problems;
  }

  /** Whether a Deployment's rollout is complete: every pod updated, ready and available, no old one left. */
  public rolledOut(namespace: string, name: string): boolean {
    const d = JSON.parse(this.cluster.kubectl(['get', 'deployment', name, '-n', namespace, '-o', 'json']));
    const want = d.spec.replicas ?? 1;
    const s = d.status ?? {};
    return (
      (s.observedGeneration ?? 0) >= d.metadata.generation &&
      s.updatedReplicas === want &&
      s.readyReplicas === want &&
      s.availableReplicas === want &&
      s.replicas === want
    );
  }

  /** Ready pods of Deployments, StatefulSets and DaemonSets. */
  public readyPods(namespaces: string[]): number {
    return this.items(namespaces, 'pods').filter(
      (p) =>
        p.metadata.ownerReferences?.some((r: any) => ['ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(r.kind)) &&
        condition(p, 'Ready'),
    ).length;
  }

  /** A problem per container restarted during the run (liveness must never restart a healthy pod). */
  public restarts(namespaces: string[]): string[] {
    return this.items(namespaces, 'pods').flatMap((p) =>
      [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
        .filter((s: any) => s.restartCount > 0)
        .map(
          (s: any) =>
            `${p.metadata.namespace}/${p.metadata.name} container ${s.name} restarted ${s.restartCount} time(s): ${JSON.stringify(s.lastState)}`,
        ),
    );
  }

  private pendingWorkloads(namespaces: string[]): { pending: string[]; failed: string[] } {
    const pending: string[] = [];
    const failed: string[] = [];
    for (const d of this.items(namespaces, 'deployments')) {
      const want = d.spec.replicas ?? 1;
      if ((d.status?.readyReplicas ?? 0) < want || (d.status?.updatedReplicas ?? 0) < want)
        pending.push(`Deployment ${d.metadata.namespace}/${d.metadata.name}`);
    }
    for (const s of this.items(namespaces, 'statefulsets'))
      if ((s.status?.readyReplicas ?? 0) < (s.spec.replicas ?? 1))
        pending.push(`StatefulSet ${s.metadata.namespace}/${s.metadata.name}`);
    for (const d of this.items(namespaces, 'daemonsets'))
      if ((d.status?.numberReady ?? 0) < (d.status?.desiredNumberScheduled ?? 1))
        pending.push(`DaemonSet ${d.metadata.namespace}/${d.metadata.name}`);
    for (const j of this.items(namespaces, 'jobs')) {
      if (j.metadata.ownerReferences?.some((r: any) => r.kind === 'CronJob')) continue;
      if (condition(j, 'Failed'))
        failed.push(`Job ${j.metadata.namespace}/${j.metadata.name} failed: ${this.podStates([j.metadata.namespace])}`);
      else if (!condition(j, 'Complete')) pending.push(`Job ${j.metadata.namespace}/${j.metadata.name}`);
    }
    return { pending, failed };
  }

  /** One line per pod that is not ready or not done, with its containers' states. */
  private podStates(namespaces: string[]): string {
    return this.items(namespaces, 'pods')
      .filter((p) => !condition(p, 'Ready') && p.status?.phase !== 'Succeeded')
      .map((p) => {
        const states = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].map(
          (s: any) => `${s.name} ${JSON.stringify(s.state)}${s.ready ? ' ready' : ''}`,
        );
        const reason = (p.status?.conditions ?? [])
          .filter((c: any) => c.status !== 'True')
          .map((c: any) => `${c.type}: ${c.message ?? c.reason ?? ''}`);
        return `\n    ${p.metadata.namespace}/${p.metadata.name} ${p.status?.phase}: ${[...states, ...reason].join('; ')}`;
      })
      .join('');
  }

  private items(namespaces: string[], resource: string): any[] {
    return namespaces.flatMap(
      (ns) => JSON.parse(this.cluster.kubectl(['get', resource, '-n', ns, '-o', 'json'])).items,
    );
  }
}

function condition(o: any, type: string): boolean {
  return (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');
}
