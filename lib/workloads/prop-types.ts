import { ArrayShape, ObjectShape, RecordShape, Shape, withoutWrongValues } from '../checks';
import { Problem } from '../errors';
import { problem } from '../messages';
import { PortProtocol } from '../pod/container';
import { AccessMode } from '../pod/storage';
import { ClaimRetention, PodManagementPolicy } from './stateful';
import { TaintEffect, TolerationOperator } from './workload-props';

/**
 * The JavaScript shape of every workload prop, as deep as the library reads it. TypeScript checks
 * them at compile time; users of plain JavaScript (or of a jsii binding handing over loosely typed
 * data) get these checks at synth instead of a TypeError from deep inside the library: a string
 * where a Size goes, `undefined` inside an array, a misspelled enum value.
 */

const S = 'a string';
const N = 'a number';
const B = 'a boolean';
const D = 'a Duration';
const STRINGS: ArrayShape = { items: S };
const STRING_MAP: RecordShape = { values: S };
const oneOf = (values: object, example: string): Shape => ({ oneOf: Object.values(values), example });

const QUANTITIES: ObjectShape = { fields: { request: S, limit: S } };
/** `Resources`. */
export const RESOURCES_SHAPE: ObjectShape = {
  fields: { cpu: QUANTITIES, memory: QUANTITIES, ephemeralStorage: QUANTITIES },
};
const SECURITY: ObjectShape = {
  fields: {
    readOnlyRootFilesystem: B,
    runAsUser: N,
    runAsGroup: N,
    fsGroup: N,
    addCapabilities: STRINGS,
    allowPrivilegeEscalation: B,
  },
};
const HEALTH_CHECK: ObjectShape = {
  is: 'a HealthCheck',
  fields: {
    portName: S,
    path: S,
    execCommand: STRINGS,
    timing: { fields: { period: D, timeout: D, failureThreshold: N, initialDelay: D } },
  },
};
/** `EnvVar`: a value, or a ConfigMap or Secret by name and key. */
export const ENV_VAR_SHAPE: ObjectShape = {
  is: 'an EnvVar',
  fields: { value: S, objectName: S, key: S },
  required: (v: { source?: string }) => (v.source === 'literal' ? ['value'] : ['objectName', 'key']),
};
const ENV_FROM: ObjectShape = { is: 'an EnvFrom', fields: { objectName: S, prefix: S }, required: ['objectName'] };
/** `Storage`, with what each kind needs. */
export const STORAGE_SHAPE: ObjectShape = {
  is: 'a Storage',
  fields: {
    name: S,
    mountPath: S,
    size: 'a Size',
    accessMode: oneOf(AccessMode, 'AccessMode.READ_WRITE_ONCE'),
    storageClass: S,
    inMemory: B,
    files: STRING_MAP,
    objectName: S,
    readOnly: B,
  },
  required: (v: { kind?: string }) => [
    'name',
    'mountPath',
    ...(v.kind === 'persistent' ? ['size'] : []),
    ...(v.kind === 'config' ? ['files'] : []),
    ...(v.kind === 'secret' || v.kind === 'existingClaim' ? ['objectName'] : []),
  ],
};
const PORT: ObjectShape = {
  fields: { name: S, port: N, protocol: oneOf(PortProtocol, 'PortProtocol.TCP'), appProtocol: S, scheme: S },
  required: ['name', 'port'],
};
/** `ContainerProps` of an init container or sidecar. */
export const CONTAINER_SHAPE: ObjectShape = {
  fields: {
    name: S,
    image: S,
    command: STRINGS,
    args: STRINGS,
    env: { values: ENV_VAR_SHAPE },
    envFrom: { items: ENV_FROM },
    ports: { items: PORT },
    healthCheck: HEALTH_CHECK,
    liveness: HEALTH_CHECK,
    resources: RESOURCES_SHAPE,
    volumeMounts: { items: { fields: { volume: S, mountPath: S, readOnly: B }, required: ['volume'] } },
    security: SECURITY,
  },
  required: ['name', 'image'],
};
/** A dependency: a service of the app, or a `Dependency` (whose fields are checked). */
export const DEPENDENCY_SHAPE: ObjectShape = {
  is: 'a dependency',
  fields: { name: S, namespace: S, portName: S, envPrefix: S, host: S, portNumber: N, scheme: S, cidrs: STRINGS },
};
const EXPOSURE: ObjectShape = {
  is: 'an Exposure',
  fields: {
    portName: S,
    internal: B,
    host: S,
    path: S,
    tlsSecret: S,
    plainHttp: B,
    gateway: { fields: { name: S, namespace: S, sectionName: S }, required: ['name', 'namespace'] },
  },
};

/** `Toleration`. */
export const TOLERATION_SHAPE: ObjectShape = {
  fields: {
    key: S,
    operator: oneOf(TolerationOperator, 'TolerationOperator.EXISTS'),
    value: S,
    effect: oneOf(TaintEffect, 'TaintEffect.NO_SCHEDULE'),
  },
};

/** Every prop of a workload, a Job's, a CronJob's and a ScaledJob's included. */
export const WORKLOAD_PROPS: { readonly [prop: string]: Shape } = {
  // The main container's props are a container's (volumeMounts aside, which it has not).
  ...Object.fromEntries(Object.entries(CONTAINER_SHAPE.fields).filter(([key]) => key !== 'volumeMounts')),
  volumes: { items: STORAGE_SHAPE },
  initContainers: { items: CONTAINER_SHAPE },
  sidecars: { items: CONTAINER_SHAPE },
  dependsOn: { items: DEPENDENCY_SHAPE },
  identity: { fields: { awsRoleArn: S, gcpServiceAccount: S, azureClientId: S } },
  imagePullSecrets: STRINGS,
  tolerations: { items: TOLERATION_SHAPE },
  nodeSelector: STRING_MAP,
  priorityClassName: S,
  userNamespace: B,
  terminationGracePeriod: D,
  labels: STRING_MAP,
  annotations: STRING_MAP,
  podAnnotations: STRING_MAP,
  version: S,
  component: S,
  // Microservice
  port: N,
  portName: S,
  replicas: N,
  readiness: HEALTH_CHECK,
  startup: HEALTH_CHECK,
  autoscaling: {
    fields: {
      minReplicas: N,
      maxReplicas: N,
      cpuUtilization: N,
      memoryUtilization: N,
      scaleDownStabilization: D,
      scaleUpStabilization: D,
    },
    required: ['minReplicas', 'maxReplicas'],
  },
  rollout: {
    fields: { maxSurge: 'a PodCount', maxUnavailable: 'a PodCount', minReady: D, progressDeadline: D },
  },
  disruptionBudget: { fields: { enabled: B, maxUnavailable: N, minAvailable: N } },
  spread: B,
  expose: EXPOSURE,
  alsoExpose: { items: EXPOSURE },
  statefulSet: {
    fields: {
      podManagement: oneOf(PodManagementPolicy, 'PodManagementPolicy.PARALLEL'),
      whenDeleted: oneOf(ClaimRetention, 'ClaimRetention.DELETE'),
      whenScaled: oneOf(ClaimRetention, 'ClaimRetention.DELETE'),
      peerPorts: STRINGS,
    },
  },
  preStopDelay: D,
  // KEDA and Prometheus (the ScaleTrigger factories' objects are checked where they are read)
  eventScaling: {
    fields: {
      triggers: 'an array', // its entries: trigger.type, where they are read
      maxReplicas: N,
      minReplicas: N,
      cooldown: D,
      pollingInterval: D,
      kedaNamespace: S,
    },
  },
  metrics: {
    fields: {
      portName: S,
      port: N,
      path: S,
      interval: D,
      labels: STRING_MAP,
      prometheusNamespace: S,
      prometheusPodLabels: STRING_MAP,
    },
  },
  triggers: 'an array',
  maxReplicas: N,
  pollingInterval: D,
  kedaNamespace: S,
  // Job and CronJob (their enums live in job.ts, which imports this module)
  backoffLimit: N,
  activeDeadline: D,
  ttlAfterFinished: D,
  restartPolicy: { oneOf: ['Never', 'OnFailure'], example: 'JobRestartPolicy.ON_FAILURE' },
  schedule: S,
  timeZone: S,
  concurrencyPolicy: { oneOf: ['Forbid', 'Allow', 'Replace'], example: 'ConcurrencyPolicy.REPLACE' },
  successfulJobsHistory: N,
  failedJobsHistory: N,
  startingDeadline: D,
  suspend: B,
};

/** A placeholder image that passes the image check, so a missing image is reported once. */
const PLACEHOLDER_IMAGE = 'invalid:invalid';

/**
 * The props with every wrongly typed value left out (so construction never trips over one), a
 * problem for each wrong value, however deep, reported at synth with the rest, and a warning for
 * each prop no workload reads (a misspelling, which only TypeScript would catch).
 */
export function withCheckedTypes<T extends object>(props: T): { props: T; problems: Problem[]; unknown: Problem[] } {
  if (typeof props !== 'object' || props === null) {
    return {
      props: { image: PLACEHOLDER_IMAGE } as unknown as T,
      problems: [problem('workload.props-type', 'props', props)],
      unknown: [],
    };
  }
  const missing = (props as { image?: unknown }).image === undefined;
  const checked = withoutWrongValues(props, WORKLOAD_PROPS);
  const found = [...(missing ? [problem('workload.image-missing', 'image', undefined)] : []), ...checked.problems];
  const safe = checked.props as { [key: string]: unknown };
  if (found.some((p) => p.prop === 'image')) safe.image = PLACEHOLDER_IMAGE;
  return { props: safe as T, problems: found, unknown: checked.unknown };
}
