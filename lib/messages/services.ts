import { message } from './message';

/** What a long-running microservice adds: its probes, scaling, rollout, disruption budget, StatefulSet and health. */
export const SERVICE_MESSAGES = {
  'probe.port': message<{ tcpPorts: string[] }>(
    (f) => `a declared TCP port: ${f.tcpPorts.join(', ') || 'none (the service has no TCP ports)'}`,
    () => 'TCP and HTTP probes need a TCP port: declare one, or use HealthCheck.command()',
  ),
  'autoscaling.min-above-max': message(
    () => 'minReplicas ≤ maxReplicas',
    () => 'swap them or raise maxReplicas',
  ),
  'autoscaling.utilization': message(
    () => 'an integer percentage ≥ 1 of the request (above 100 lets pods use more than they request before scaling)',
    () => 'e.g. 70',
  ),
  'autoscaling.with-replicas': message(
    () => 'no replicas when autoscaling is set (the HPA owns the count)',
    () => 'remove replicas and use autoscaling.minReplicas',
  ),
  'autoscaling.on-stateful-set': message(
    () => 'a fixed replica count on a StatefulSet',
    () => 'each replica owns its volume and identity: scale it on purpose with replicas',
  ),
  'autoscaling.single-replica': message(
    () => 'at least 2 for a service that must stay up',
    () => 'with one pod, a node drain, an eviction or a failed probe takes the service down: use minReplicas: 2',
  ),
  'rollout.pod-count': message(
    () => 'a whole number of pods ≥ 0, or a percentage ≥ 0 (at most 100 for maxUnavailable)',
    () => 'e.g. PodCount.absolute(1) or PodCount.percent(25)',
  ),
  'rollout.cannot-start': message(
    () => 'maxSurge or maxUnavailable above 0',
    () => 'a rollout could never start: allow one extra pod (maxSurge: PodCount.absolute(1))',
  ),
  'rollout.deadline-before-ready': message<{ minReady: number }>(
    (f) => `more than minReady (${f.minReady}s)`,
    () => 'otherwise every rollout is marked failed before a pod can count as available',
  ),
  'stateful.name-too-long': message<{ limit: number; excess: number; ways: string }>(
    (f) =>
      `a StatefulSet name of at most ${f.limit} characters: the StatefulSet controller labels each pod controller-revision-hash: <name>-<hash of up to 10 characters>, a label value of at most 63, and creates no pod when it is longer`,
    (f) => `shorten it by ${f.excess} characters: ${f.ways}`,
  ),
  'stateful.peers-undeclared': message<{ replicas: number }>(
    (f) =>
      `statefulSet.peerPorts on a StatefulSet of ${f.replicas} replicas: without it the NetworkPolicy keeps its pods from reaching each other, which a clustered store needs`,
    () => "name the ports the pods call each other on (peerPorts: ['cluster']), or peerPorts: [] when they never do",
  ),
  'rollout.on-stateful-set': message<{ key: string }>(
    () => 'only rollout.minReady on a StatefulSet (it replaces pods one at a time, highest ordinal first)',
    (f) => `remove rollout.${f.key}`,
  ),
  'disruption-budget.pod-count': message(
    () => 'a whole number of pods ≥ 0',
    () => 'e.g. 1',
  ),
  'disruption-budget.blocks-eviction': message<{ replicas: number }>(
    (f) => `a budget that lets at least one of ${f.replicas} pods be evicted`,
    () => 'this budget blocks every node drain and cluster upgrade: use maxUnavailable: 1',
  ),
  'volume.shared-read-write-once': message<{ replicas: string }>(
    (f) => `ReadWriteMany when the pods of a Deployment share the volume (replicas ${f.replicas})`,
    () =>
      'a ReadWriteOnce volume attaches to one node: use replicas: 1, statefulSet: {} for a volume per pod, or AccessMode.READ_WRITE_MANY',
  ),
  'health.tcp-only': message(
    () => 'HealthCheck.http(), HealthCheck.grpc() or HealthCheck.command() for a service with a TCP port',
    () =>
      'a TCP connect cannot tell a hung process from a live one, so the service gets TCP readiness and no liveness probe; pass e.g. healthCheck: HealthCheck.http("/healthz")',
  ),
  'health.none': message(
    () => 'a health check Kubernetes can run (a TCP port, HealthCheck.http() or HealthCheck.command())',
    () =>
      'without one, a hung process is never restarted and traffic reaches pods that are not ready: pass healthCheck: HealthCheck.command([...]) for readiness, and liveness: HealthCheck.command([...]) with another, cheaper command that only asks whether the process is alive (the same command twice is flagged: see health.identical-probes)',
  ),
  'health.identical-probes': message<{ container: string }>(
    (f) => `a liveness probe that asks something else than readiness in container "${f.container}"`,
    () =>
      'a liveness probe identical to readiness restarts every pod when a dependency fails, which should only take them out of rotation (kube-score flags it): make liveness a cheaper check of the process alone (another command or path, or HealthCheck.tcp())',
  ),
  'shutdown.pre-stop-too-long': message<{ grace: number }>(
    (f) => `less than terminationGracePeriod (${f.grace} s)`,
    () => 'the pod is killed when the grace period ends: shorten the delay or lengthen terminationGracePeriod',
  ),
  'service.unused': message(
    () => 'a service some other workload depends on, one that is exposed, or one admitting a namespace',
    () =>
      'nobody calls it and its NetworkPolicy admits no one: declare the dependency, expose it, allowFromNamespace(), or remove it',
  ),
  'service.undeclared-port': message<{ ports: string[]; hint: string }>(
    (f) => `a declared port: ${f.ports.join(', ') || 'none'}`,
    (f) => f.hint,
  ),
} as const;
