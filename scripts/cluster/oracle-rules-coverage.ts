import { Duration } from 'cdk8s';
import fc from 'fast-check';
import {
  checkAnnotations,
  checkDns1035Label,
  checkDnsSubdomain,
  checkLabelMap,
  checkPortNumber,
  checkQualifiedName,
  checkQuantity,
  checkShape,
  checkTolerations,
  checkWholeBytes,
  EnumShape,
  TolerationEntry,
} from '../../lib/checks';
import { HealthCheck } from '../../lib/pod/health-check';
import { derivedNameProblems } from '../../lib/workloads/microservice-checks';
import { TOLERATION_SHAPE } from '../../lib/workloads/prop-types';
import { container, cronJob, join, meta, pod, Rule, service, text } from './oracle-kit';

/**
 * The rule families the field coverage table (`npm run fields`) found without a rule: label and
 * annotation keys, nodeSelectors, tolerations, priorityClassName, probe commands, bytes, the enum
 * strings of every kind, derived names and numbers typed as strings.
 */

const configMap = (metadata: object) => ({
  path: '/api/v1/namespaces/default/configmaps',
  body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta('oracle'), ...metadata } },
});
const deployment = (podSpec: object) => ({
  path: '/apis/apps/v1/namespaces/default/deployments',
  body: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('oracle'),
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [container()], ...podSpec } },
    },
  },
});
const statefulSet = (spec: object) => ({
  path: '/apis/apps/v1/namespaces/default/statefulsets',
  body: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('oracle'),
    spec: {
      serviceName: 'oracle',
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [container()] } },
      ...spec,
    },
  },
});
const job = (podSpec: object) => ({
  path: '/apis/batch/v1/namespaces/default/jobs',
  body: {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('oracle'),
    spec: { template: { spec: { containers: [container()], ...podSpec } } },
  },
});
/** An enum rule: the library's values, case variants and strangers, and the empty string the server defaults. */
function enumRule(
  name: string,
  source: string,
  shape: EnumShape,
  object: (v: string) => { path: string; body: object },
  extra: string[] = [],
  policy?: (v: string) => string | undefined,
): Rule<string> {
  const cases = [
    ...shape.oneOf,
    ...shape.oneOf.map((v) => v.toLowerCase()),
    ...shape.oneOf.map((v) => v.toUpperCase()),
  ];
  return {
    name,
    source,
    check: (v) => checkShape('value', v, shape)[0],
    object,
    hand: [...new Set([...cases, '', 'Sometimes', ...extra])],
    generated: fc.oneof(fc.constantFrom(...cases), text('aAeErRnN', 6)),
    policy: (v) =>
      v === '' ? 'an empty string where an enum goes is a slip: leave the prop out for the default' : policy?.(v),
  };
}

const QUALIFIED = 'aZ0-_./';

export const COVERAGE_RULES: Array<Rule<any>> = [
  {
    name: 'label key (qualified name)',
    source: 'apimachinery pkg/util/validation/validation.go IsQualifiedName (ValidateLabelName)',
    check: (v: string) => checkLabelMap('labels', { [v]: 'x' })[0],
    object: (v: string) => configMap({ labels: { [v]: 'x' } }),
    hand: [
      'team',
      'app.kubernetes.io/name',
      'example.com/a_b.c',
      '/name',
      'Example.com/x',
      'a/b/c',
      '-team',
      'team-',
      'a'.repeat(63),
      'a'.repeat(64),
      `${'a'.repeat(253)}/x`,
      `${'a'.repeat(254)}/x`,
      '',
    ],
    generated: join([fc.constantFrom('', 'example.com/', 'Ex.com/', '/', 'a..b/'), text(QUALIFIED, 63)]),
  },
  {
    name: 'annotation key',
    source:
      'apimachinery pkg/api/validation/objectmeta.go ValidateAnnotations (IsQualifiedName of the lower-cased key)',
    check: (v: string) => checkAnnotations('annotations', { [v]: 'x' })[0],
    object: (v: string) => configMap({ annotations: { [v]: 'x' } }),
    hand: ['owner', 'Example.com/Owner', 'example.com/owner', 'a b', '', 'a/b/c', `${'a'.repeat(64)}`],
    generated: join([fc.constantFrom('', 'Example.com/', 'x.io/'), text(QUALIFIED, 63)]),
  },
  {
    name: 'annotation size',
    source:
      'apimachinery pkg/api/validation/objectmeta.go ValidateAnnotationsSize (TotalAnnotationSizeLimitB = 256 KiB)',
    check: (v: number) => checkAnnotations('annotations', { big: 'x'.repeat(v) })[0],
    object: (v: number) => configMap({ annotations: { big: 'x'.repeat(v) } }),
    hand: [262141, 262142, 262143, 1000],
    generated: fc.integer({ min: 262130, max: 262150 }),
  },
  {
    name: 'nodeSelector',
    source: 'pkg/apis/core/validation/validation.go ValidatePodSpec (nodeSelector: ValidateLabels)',
    check: ([k, v]: [string, string]) => checkLabelMap('nodeSelector', { [k]: v })[0],
    object: ([k, v]: [string, string]) => deployment({ nodeSelector: { [k]: v } }),
    hand: [
      ['pool', 'general'],
      ['node.kubernetes.io/instance-type', 'm5.large'],
      ['pool', 'a b'],
      ['pool', '-x'],
      ['Pool Name', 'x'],
      ['pool', 'a'.repeat(64)],
    ],
    generated: fc.tuple(text(QUALIFIED, 63), text('aZ0-_. ', 63)),
  },
  {
    name: 'tolerations',
    source: 'pkg/apis/core/validation/validation.go ValidateTolerations',
    check: (t: TolerationEntry) =>
      checkShape('tolerations', [t], { items: TOLERATION_SHAPE })[0] ?? checkTolerations('tolerations', [t])[0],
    object: (t: TolerationEntry) => deployment({ tolerations: [t] }),
    hand: [
      { key: 'pool', value: 'spot' },
      { key: 'pool', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
      { operator: 'Exists' },
      { key: 'pool', operator: 'Exists' },
      { value: 'spot' },
      {},
      { key: 'pool', operator: 'Exists', value: 'spot' },
      { key: 'pool', value: 'a b' },
      { key: 'bad key', operator: 'Exists' },
      { key: 'pool', operator: 'exists' },
      { key: 'pool', effect: 'NoEvict' },
      { key: 'pool', effect: 'noschedule' },
    ],
    generated: fc.record(
      {
        key: fc.constantFrom('pool', 'example.com/pool', 'bad key', ''),
        operator: fc.constantFrom('Equal', 'Exists', 'exists'),
        value: fc.constantFrom('spot', '', 'a b'),
        effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute', 'Never'),
      },
      { requiredKeys: [] },
    ),
  },
  {
    name: 'priorityClassName',
    source: 'pkg/apis/core/validation/validation.go ValidatePodSpec (ValidatePriorityClassName: a DNS-1123 subdomain)',
    check: (v: string) => checkDnsSubdomain('priorityClassName', v),
    object: (v: string) => deployment({ priorityClassName: v }),
    hand: ['high', 'system-cluster-critical', 'Bad_Name', 'a.b', 'a..b', 'x'.repeat(254)],
    generated: text('ab0-._A', 12),
    policy: (v: string) => (v === '' ? 'an empty string is a slip: leave priorityClassName out' : undefined),
  },
  {
    name: 'probe command',
    source: 'pkg/apis/core/validation/validation.go validateExecAction (command required)',
    check: (v: string[]) => HealthCheck.command(v)._timingProblems('readiness')[0],
    object: (v: string[]) => pod({ containers: [container({ readinessProbe: { exec: { command: v } } })] }),
    hand: [['pg_isready'], ['/bin/check', '--quick'], [], [''], [' '], ['', 'x']],
    generated: fc.array(fc.constantFrom('', 'true', ' ', '-x'), { maxLength: 3 }),
    policy: (v: string[]) =>
      v.length > 0 && !v[0].trim() ? 'a command whose program is blank could never run' : undefined,
  },
  {
    name: 'memory quantity (whole bytes)',
    source: 'apimachinery pkg/api/resource/quantity.go ParseQuantity; the library asks for whole bytes',
    check: (v: string) =>
      checkQuantity('resources.memory.request', v, '256Mi') ?? checkWholeBytes('resources.memory.request', v),
    object: (v: string) => pod({ containers: [container({ resources: { requests: { memory: v } } })] }),
    hand: ['128Mi', '1e8', '0.5Gi', '0.1Gi', '128m', '1.5', '1', '500m', '1k'],
    generated: join([text('0159.', 3), fc.constantFrom('', 'm', 'k', 'Ki', 'Mi', 'e3', 'e-1')]),
    policy: (v: string) =>
      !/[0-9]/.test(v.replace(/[eE][+-]?[0-9]+$/, ''))
        ? 'a quantity without a digit ("Mi", ".") is not a number (the Go scanner reads it as 0)'
        : checkQuantity('q', v, '1') === undefined && checkWholeBytes('q', v)
          ? 'a fraction of a byte (128m is 0.128 bytes) is a mistyped unit; the server rounds it up'
          : undefined,
  },
  enumRule(
    'Job restartPolicy',
    'pkg/apis/batch/validation/validation.go validateJobSpec (OnFailure or Never)',
    { oneOf: ['Never', 'OnFailure'], example: 'JobRestartPolicy.ON_FAILURE' },
    (v) => job({ restartPolicy: v }),
    ['Always'],
    () => undefined,
  ),
  enumRule(
    'CronJob concurrencyPolicy',
    'pkg/apis/batch/validation/validation.go validateConcurrencyPolicy',
    { oneOf: ['Forbid', 'Allow', 'Replace'], example: 'ConcurrencyPolicy.REPLACE' },
    (v) => cronJob('@hourly', undefined, { concurrencyPolicy: v }),
  ),
  enumRule(
    'StatefulSet podManagementPolicy',
    'pkg/apis/apps/validation/validation.go ValidateStatefulSetSpec',
    { oneOf: ['OrderedReady', 'Parallel'], example: 'PodManagementPolicy.PARALLEL' },
    (v) => statefulSet({ podManagementPolicy: v }),
  ),
  enumRule(
    'StatefulSet claim retention',
    'pkg/apis/apps/validation/validation.go ValidatePersistentVolumeClaimRetentionPolicy',
    { oneOf: ['Retain', 'Delete'], example: 'ClaimRetention.DELETE' },
    (v) => statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: v, whenScaled: 'Retain' } }),
  ),
  enumRule(
    'port protocol (Service)',
    'pkg/apis/core/validation/validation.go validateServicePort (TCP, UDP, SCTP)',
    { oneOf: ['TCP', 'UDP'], example: 'PortProtocol.UDP' },
    (v) => service('oracle', [{ port: 80, protocol: v }]),
    ['SCTP'],
    (v) =>
      v === 'SCTP'
        ? 'SCTP is not offered: the targets’ load balancers and NetworkPolicy implementations do not all carry it'
        : undefined,
  ),
  enumRule(
    'PVC access mode',
    'pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimSpec (supportedAccessModes)',
    { oneOf: ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany'], example: 'AccessMode.READ_WRITE_MANY' },
    (v) => ({
      path: '/api/v1/namespaces/default/persistentvolumeclaims',
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: meta('oracle'),
        spec: { accessModes: [v], resources: { requests: { storage: '1Gi' } } },
      },
    }),
    ['ReadOnlyMany'],
    (v) =>
      v === 'ReadOnlyMany'
        ? 'the library mounts a claim it creates read-write; a read-only claim is Storage.existingClaim with readOnly'
        : undefined,
  ),
  {
    name: "derived name (a StatefulSet's revision label <name>-<hash>, on each pod)",
    source:
      'apimachinery IsValidLabelValue, of the revision name pkg/controller/history HashControllerRevision and ControllerRevisionName make: <name>-<FNV-32 sum in decimal, safe-encoded: up to 10 characters>',
    check: (v: string) =>
      checkDns1035Label('name', v) ?? derivedNameProblems(v, 'name', { statefulSet: true, cluster: false })[0],
    object: (v: string) => pod({ containers: [container()] }, { 'controller-revision-hash': `${v}-4294967295` }),
    hand: ['db', 'a'.repeat(52), 'a'.repeat(53), 'a'.repeat(54), 'a'.repeat(63)],
    generated: fc.integer({ min: 48, max: 60 }).map((n) => `d${'b'.repeat(n - 1)}`),
  },
  {
    name: 'Service port appProtocol',
    source: 'pkg/apis/core/validation/validation.go validateServicePort (appProtocol: IsQualifiedName)',
    check: (v: string) => checkQualifiedName('ports[0].appProtocol', v, 'appProtocol'),
    object: (v: string) => service('oracle', [{ port: 80, appProtocol: v }]),
    hand: ['http', 'grpc', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'my proto', 'Example.com/x', 'a/b/c', ''],
    generated: join([fc.constantFrom('', 'kubernetes.io/', 'x.io/', 'A B/'), text(QUALIFIED, 63)]),
  },
  {
    name: 'Ingress class (target option ingressClass)',
    source: 'pkg/apis/networking/validation/validation.go ValidateIngressSpec (ingressClassName: a DNS-1123 subdomain)',
    check: (v: string) => checkDnsSubdomain('target.ingressClass', v),
    object: (v: string) => ({
      path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta('oracle'),
        spec: { ingressClassName: v, defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
      },
    }),
    hand: ['traefik', 'nginx', 'webapprouting.kubernetes.azure.com', 'Traefik', 'a_b', ''],
    generated: text('ab0-._A', 12),
    policy: (v: string) => (v === '' ? 'an empty string is a slip: leave ingressClass out' : undefined),
  },
  {
    name: 'a number typed as a string (Service port)',
    source: 'strict field validation: an int32 field decoded from JSON',
    check: (v: unknown) => checkShape('port', v, 'a number')[0] ?? checkPortNumber('port', v as number),
    object: (v: unknown) => service('oracle', [{ port: v }]),
    hand: [80, '80', '8080', true, 80.5, null],
    generated: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }).map(String)),
  },
  {
    name: 'probe period typed (Duration, whole seconds)',
    source: 'pkg/apis/core/validation/validation.go validateProbe (periodSeconds ≥ 1, an int32)',
    check: (v: number) => HealthCheck.http('/h', { period: Duration.millis(v) })._timingProblems('readiness')[0],
    object: (v: number) =>
      pod({
        containers: [container({ readinessProbe: { httpGet: { path: '/h', port: 80 }, periodSeconds: v / 1000 } })],
      }),
    // A Duration cannot be negative, so the library cannot be handed one.
    hand: [1000, 5000, 0, 1500, 500],
    generated: fc.integer({ min: 0, max: 10 }).map((s) => s * 500),
    policy: (v: number) =>
      v === 0 ? 'a period of 0 is the default (10 s) to the server: leave period out' : undefined,
  },
];
