import { message } from './message';

/** The app around the workloads: systems, environments, batch kinds, construction. */
export const APP_MESSAGES = {
  'system.shared-namespace': message<{ others: string[] }>(
    () => 'a namespace owned by one system only',
    (f) => `also owned by ${f.others.join(', ')}: give each system its own namespace`,
  ),
  'system.duplicate-name': message<{ others: string[] }>(
    () => 'a system name used once per app (it names the output file)',
    (f) => `also used by ${f.others.join(', ')}: set name on one of them`,
  ),
  'system.duplicate-workload': message<{ first: string; second: string }>(
    () => 'workload names unique within a system',
    (f) => `${f.first} and ${f.second} share it: rename one`,
  ),
  'system.duplicate-object': message<{ first: string }>(
    () => 'one object of a kind per name in the namespace',
    (f) => `${f.first} is named so too: rename a service, or the port whose way in is named after it`,
  ),
  'system.foreign-pods': message(
    () => 'workloads created as Microservice, Job or CronJob in a system',
    () =>
      'the namespace denies all traffic by default and enforces Pod Security "restricted": this object gets neither a NetworkPolicy nor the restricted settings; create it as a workload of the system, or give it a NetworkPolicy of its own that opens its edges (and the settings restricted requires)',
  ),
  'workload.outside-system': message(
    () => 'a MicroserviceSystem or a construct inside one',
    () => 'create the workload with system.addService()/addJob()/addCronJob(), or under a construct in the system',
  ),
  'workload.duplicate-id': message<{ scope: string }>(
    (f) => `an id no other construct in "${f.scope}" has`,
    () => 'give each workload its own id (the name prop sets the name its objects get)',
  ),
  'workload.props-type': message(
    () => 'an object of props',
    () => 'pass { image: "repo:1.0.0", … }',
  ),
  'workload.image-missing': message(
    () => 'a string: an image pinned by a tag or digest',
    () => 'pass image: "ghcr.io/acme/api:1.0.0"',
  ),
  'job.name-too-long': message<{ limit: number; why: string }>(
    (f) => `a name of at most ${f.limit} characters`,
    (f) => f.why,
  ),
  'job.backoff-limit': message(
    () => 'a whole number of retries ≥ 0',
    () => 'e.g. 3',
  ),
  'cron-job.history': message(
    () => 'a whole number ≥ 0',
    () => 'e.g. 3',
  ),
  'cron-job.no-deadline': message(
    () => 'a time limit for a CronJob whose runs may not overlap (concurrencyPolicy Forbid, the default)',
    () =>
      "a run that hangs blocks every later run until someone deletes it; set e.g. activeDeadline: Duration.minutes(30), shorter than the schedule's interval",
  ),
  'app.one-target': message(
    () => 'one target per app',
    () => 'synthesize one App per target, or one environment per target (MsaEnvironments)',
  ),
  'app.environment-name': message(
    () => 'a DNS-1123 label',
    () => 'it names the output folder <outdir>/<environment>/',
  ),
  'app.environment-taken': message(
    () => 'a name not used yet',
    () => 'each environment has its own folder; give each a unique name',
  ),
  'app.chart-outside-system': message(
    () => 'charts inside a MicroserviceSystem',
    () =>
      'MsaApp writes, orders and deploys systems: create the objects inside a system, or synthesize this chart with a plain cdk8s App',
  ),
} as const;
