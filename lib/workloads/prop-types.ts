import { checkRecordValues, checkType, ExpectedType } from '../checks';
import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * The JavaScript type of every workload prop. TypeScript checks them at compile time; users of
 * plain JavaScript (or of a future Python binding) get these checks at synth instead of a
 * TypeError from deep inside the library.
 */
const PROP_TYPES: { [prop: string]: ExpectedType } = {
  name: 'a string',
  image: 'a string',
  command: 'an array',
  args: 'an array',
  resources: 'an object',
  env: 'an object',
  envFrom: 'an array',
  volumes: 'an array',
  initContainers: 'an array',
  sidecars: 'an array',
  security: 'an object',
  dependsOn: 'an array',
  identity: 'an object',
  imagePullSecrets: 'an array',
  tolerations: 'an array',
  nodeSelector: 'an object',
  priorityClassName: 'a string',
  terminationGracePeriod: 'a Duration',
  labels: 'an object',
  annotations: 'an object',
  podAnnotations: 'an object',
  version: 'a string',
  component: 'a string',
  port: 'a number',
  portName: 'a string',
  ports: 'an array',
  replicas: 'a number',
  healthCheck: 'an object',
  liveness: 'an object',
  readiness: 'an object',
  startup: 'an object',
  autoscaling: 'an object',
  eventScaling: 'an object',
  metrics: 'an object',
  rollout: 'an object',
  disruptionBudget: 'an object',
  spread: 'a boolean',
  expose: 'an object',
  alsoExpose: 'an array',
  statefulSet: 'an object',
  preStopDelay: 'a Duration',
  backoffLimit: 'a number',
  activeDeadline: 'a Duration',
  ttlAfterFinished: 'a Duration',
  restartPolicy: 'a string',
  schedule: 'a string',
  timeZone: 'a string',
  concurrencyPolicy: 'a string',
  successfulJobsHistory: 'a number',
  failedJobsHistory: 'a number',
  startingDeadline: 'a Duration',
  suspend: 'a boolean',
  triggers: 'an array',
  maxReplicas: 'a number',
  pollingInterval: 'a Duration',
  kedaNamespace: 'a string',
};

/** Examples for the hints, by expected type. */
const EXAMPLES: { [type in ExpectedType]: string } = {
  'a string': '"text"',
  'a number': '8080',
  'a boolean': 'true',
  'an object': '{ … }',
  'an array': '[ … ]',
  'a Size': 'Size.gibibytes(10)',
  'a Duration': 'Duration.seconds(30)',
};

/** Element types of the list and map props whose entries the library reads. */
const ENTRY_TYPES: { [prop: string]: ExpectedType } = {
  command: 'a string',
  args: 'a string',
  volumes: 'an object',
  initContainers: 'an object',
  sidecars: 'an object',
  dependsOn: 'an object',
  imagePullSecrets: 'a string',
  ports: 'an object',
  envFrom: 'an object',
  tolerations: 'an object',
};

/**
 * The props with every wrongly typed value left out (so construction never trips over one), and
 * a problem for each, reported at synth with the rest.
 */
export function withCheckedTypes<T extends object>(props: T): { props: T; problems: Problem[] } {
  const problems: Problem[] = [];
  if (typeof props !== 'object' || props === null) {
    return {
      props: {} as T,
      problems: [problem('workload.props-type', 'props', props)],
    };
  }
  const safe: { [key: string]: unknown } = { ...(props as { [key: string]: unknown }) };
  if (safe.image === undefined) problems.push(problem('workload.image-missing', 'image', undefined));
  for (const [prop, expected] of Object.entries(PROP_TYPES)) {
    const problem = checkType(prop, safe[prop], expected, EXAMPLES[expected]);
    const entryType = ENTRY_TYPES[prop];
    const entries =
      problem || !entryType || !Array.isArray(safe[prop])
        ? []
        : (safe[prop] as unknown[])
            .map((v, i) => checkType(`${prop}[${i}]`, v, entryType, EXAMPLES[entryType]))
            .filter((p): p is Problem => p !== undefined);
    const values =
      problem || !['env', 'labels', 'annotations', 'podAnnotations', 'nodeSelector'].includes(prop)
        ? []
        : checkRecordValues(
            prop,
            safe[prop],
            prop === 'env' ? 'an object' : 'a string',
            prop === 'env' ? 'EnvVar.fromValue("x")' : '"value"',
          );
    if (problem || entries.length > 0 || values.length > 0) {
      problems.push(...(problem ? [problem] : []), ...entries, ...values);
      delete safe[prop];
    }
  }
  // A placeholder that passes the image check, so a missing image is reported once, by the line above.
  if (problems.some((p) => p.prop === 'image')) safe.image = 'invalid:invalid';
  return { props: safe as T, problems };
}
