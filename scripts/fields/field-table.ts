/**
 * The field coverage table of issue #27: for every field path the library emits (as
 * field-paths.ts normalizes them), the rules that check the user's value before it reaches the
 * field, or why the value is the library's own (a constant, a target fact, a name or selector the
 * library composes from values other rules checked). The first matching entry wins. A path with
 * no entry fails `npm run fields:coverage` and `test/field-coverage.test.ts`; so does a value
 * written by the user (it carries the rich app's mark) in a field the table calls the library's.
 */

/** How a field's value is covered. */
export type Coverage = { readonly rules: readonly string[] } | { readonly fixed: string };

const rules = (...codes: string[]): Coverage => ({ rules: codes });
const fixed = (why: string): Coverage => ({ fixed: why });

const DURATION = rules('duration.type', 'duration.whole-seconds');
const COUNT = rules('type.wrong', 'number.count');
const ENUM = rules('type.enum');
const SUBDOMAIN = rules('name.dns-subdomain');
const SERVICE_NAME_CODES = [
  'name.dns-label',
  'name.dns-1035-label',
  'name.derived-too-long',
  'workload.name-starts-with-digit',
];
const SERVICE_NAME = rules(...SERVICE_NAME_CODES);
const ANY_STRING = rules('type.wrong'); // the server takes any string here: the type is the rule
const QUANTITY_CODES = [
  'quantity.syntax',
  'quantity.negative',
  'quantity.request-above-limit',
  'quantity.fractional-bytes',
];
const PORT = rules('number.port', 'port.duplicate-number');
const PROBE_PORT = rules('probe.port', 'container.probe-port');
const SIZE = rules('size.type', 'size.not-positive', 'storage.below-minimum');
const LABELS = rules(
  'name.qualified-name',
  'name.label-value',
  'name.composed-label-value',
  'workload.selector-label',
  'type.record-values',
);

/** Pattern (a regular expression over `Kind:path`) and coverage, first match wins. */
export const FIELD_TABLE: ReadonlyArray<readonly [string, Coverage]> = [
  // Every object
  [':(apiVersion|kind)$', fixed('the kind the library writes')],
  [':metadata\\.namespace$', rules('name.dns-label', 'name.reserved-namespace')],
  ['^Namespace:metadata\\.name$', rules('name.dns-label', 'name.reserved-namespace')],
  ['^Namespace:metadata\\.labels', rules('type.enum', 'name.qualified-name', 'name.label-value')], // Pod Security level, system labels
  [
    '^(Job|ConfigMap|PersistentVolumeClaim|Ingress|Gateway|HTTPRoute|GRPCRoute|HealthCheckPolicy|TargetGroupConfiguration):metadata\\.name$',
    rules('name.dns-label', 'name.derived-too-long', 'job.name-too-long', 'volume.duplicate-name'),
  ],
  ['^StatefulSet:metadata\\.name$', rules(...SERVICE_NAME_CODES, 'stateful.name-too-long')],
  [':metadata\\.name$', SERVICE_NAME],
  ['metadata\\.labels\\.\\{\\}$', LABELS],
  [
    ':metadata\\.annotations\\.\\{\\}$',
    rules('name.qualified-name', 'metadata.annotations-too-large', 'identity.format', 'type.record-values'),
  ],
  ['matchLabels\\.\\{\\}$', LABELS],
  ['^Service:spec\\.selector\\.\\{\\}$', LABELS],
  ['^StorageClass:', fixed('the target profile (a StorageClass the cluster lacks), checked by test:cluster')],
  ['^ConfigMap:data\\.\\{\\}$', rules('name.config-key', 'type.record-values', 'volume.no-files')],

  // Pod templates
  [
    '^PodTemplate:spec\\.(containers|initContainers)\\[\\]\\.name$',
    rules('name.dns-label', 'container.duplicate-name'),
  ],
  ['^PodTemplate:spec\\.(containers|initContainers)\\[\\]\\.image$', rules('image.unpinned', 'workload.image-missing')],
  [
    '^PodTemplate:spec\\.(containers|initContainers)\\[\\]\\.imagePullPolicy$',
    fixed('the target: IfNotPresent on local targets, Always on clouds'),
  ],
  ['^PodTemplate:spec\\.(containers|initContainers)\\[\\]\\.(args|command)\\[\\]$', ANY_STRING],
  [
    '^PodTemplate:spec\\.(containers|initContainers)\\[\\]\\.env\\[\\]\\.name$',
    rules('name.env-name', 'env.duplicate', 'env.set-twice'),
  ],
  ['^PodTemplate:spec\\.(containers|initContainers)\\[\\]\\.env\\[\\]\\.value$', ANY_STRING],
  [
    '\\.valueFrom\\.(configMapKeyRef|secretKeyRef)\\.name$',
    rules('name.dns-subdomain', 'reference.secret-unlisted', 'reference.config-map-unknown'),
  ],
  ['\\.valueFrom\\.(configMapKeyRef|secretKeyRef)\\.key$', rules('name.config-key')],
  [
    '\\.envFrom\\[\\]\\.(configMapRef|secretRef)\\.name$',
    rules('name.dns-subdomain', 'reference.secret-unlisted', 'reference.config-map-unknown'),
  ],
  ['\\.envFrom\\[\\]\\.prefix$', rules('name.env-name')],
  ['\\.ports\\[\\]\\.containerPort$', PORT],
  ['\\.ports\\[\\]\\.name$', rules('name.port-name', 'port.duplicate-name')],
  ['\\.ports\\[\\]\\.protocol$', ENUM],
  ['Probe\\.exec\\.command\\[\\]$', rules('probe.command-empty', 'type.wrong')],
  ['Probe\\.(tcpSocket|grpc|httpGet)\\.port$', PROBE_PORT],
  ['Probe\\.httpGet\\.path$', rules('type.wrong', 'path.not-absolute')],
  ['Probe\\.httpGet\\.scheme$', fixed('HTTPS where the probed port is one dependents call with https://')],
  ['Probe\\.(periodSeconds|timeoutSeconds|initialDelaySeconds)$', DURATION],
  ['Probe\\.failureThreshold$', rules('probe.failure-threshold')],
  ['\\.lifecycle\\.preStop\\.sleep\\.seconds$', rules('duration.whole-seconds', 'shutdown.pre-stop-too-long')],
  [
    '\\.resources\\.(requests|limits)\\.',
    rules(
      ...QUANTITY_CODES,
      'resources.cpu-below-minimum',
      'resources.memory-below-minimum',
      'resources.memory-per-cpu',
      'resources.limit-forced',
    ),
  ],
  [
    '\\.securityContext\\.(runAsUser|runAsGroup|fsGroup)$',
    rules('security.id-range', 'security.fixed-id-on-target', 'type.wrong'),
  ],
  ['\\.securityContext\\.readOnlyRootFilesystem$', rules('type.wrong')],
  ['\\.securityContext\\.allowPrivilegeEscalation$', rules('security.privilege-escalation', 'type.wrong')],
  ['\\.securityContext\\.capabilities\\.add\\[\\]$', rules('security.capability')],
  [
    '\\.securityContext\\.(capabilities\\.drop\\[\\]|privileged|runAsNonRoot|seccompProfile\\.type)$',
    fixed('Pod Security restricted, always'),
  ],
  ['\\.volumeMounts\\[\\]\\.mountPath$', rules('mount.not-absolute', 'mount.duplicate')],
  ['\\.volumeMounts\\[\\]\\.name$', rules('volume.mount-unknown', 'name.dns-label')],
  ['\\.volumeMounts\\[\\]\\.readOnly$', rules('type.wrong')],
  [
    '^PodTemplate:spec\\.initContainers\\[\\]\\.restartPolicy$',
    fixed('Always: what makes an init container a native sidecar'),
  ],
  ['^PodTemplate:spec\\.restartPolicy$', ENUM],
  [
    '^PodTemplate:spec\\.nodeSelector\\.\\{\\}$',
    rules('name.qualified-name', 'name.label-value', 'type.record-values'),
  ],
  [
    '^PodTemplate:spec\\.tolerations\\[\\]\\.(key|value)$',
    rules('name.qualified-name', 'name.label-value', 'toleration.key-without-exists', 'toleration.value-with-exists'),
  ],
  [
    '^PodTemplate:spec\\.tolerations\\[\\]\\.(operator|effect)$',
    rules('type.enum', 'toleration.key-without-exists', 'toleration.value-with-exists'),
  ],
  ['^PodTemplate:spec\\.priorityClassName$', SUBDOMAIN],
  ['^PodTemplate:spec\\.hostUsers$', rules('type.wrong')], // false with userNamespace: true
  ['^PodTemplate:spec\\.terminationGracePeriodSeconds$', DURATION],
  ['^PodTemplate:spec\\.imagePullSecrets\\[\\]\\.name$', rules('name.dns-subdomain', 'reference.secret-unlisted')],
  ['^PodTemplate:spec\\.serviceAccountName$', SERVICE_NAME],
  [
    '^PodTemplate:spec\\.(automountServiceAccountToken|enableServiceLinks)$',
    fixed('library default: no token, no Service env vars'),
  ],
  [
    '^PodTemplate:spec\\.securityContext\\.(runAsUser|runAsGroup|fsGroup)$',
    rules('security.id-range', 'security.fixed-id-on-target', 'type.wrong'),
  ],
  ['^PodTemplate:spec\\.securityContext\\.', fixed('Pod Security restricted, always')],
  [
    '^PodTemplate:spec\\.(affinity|topologySpreadConstraints)\\.',
    fixed('library default spread (hostname, and zone on zoned targets)'),
  ],
  [
    '^PodTemplate:spec\\.topologySpreadConstraints\\[\\]\\.',
    fixed('library default spread (hostname, and zone on zoned targets)'),
  ],
  ['^PodTemplate:spec\\.affinity\\.', fixed('library default anti-affinity')],
  ['^PodTemplate:spec\\.volumes\\[\\]\\.name$', rules('name.dns-label', 'volume.duplicate-name')],
  ['^PodTemplate:spec\\.volumes\\[\\]\\.emptyDir\\.sizeLimit$', SIZE],
  ['^PodTemplate:spec\\.volumes\\[\\]\\.emptyDir\\.medium$', fixed('Memory when inMemory (a boolean)')],
  ['^PodTemplate:spec\\.volumes\\[\\]\\.configMap\\.name$', SERVICE_NAME],
  [
    '^PodTemplate:spec\\.volumes\\[\\]\\.secret\\.secretName$',
    rules('name.dns-subdomain', 'reference.secret-unlisted'),
  ],
  [
    '^PodTemplate:spec\\.volumes\\[\\]\\.persistentVolumeClaim\\.claimName$',
    rules('name.dns-subdomain', 'name.dns-label'),
  ],
  ['^PodTemplate:spec\\.volumes\\[\\]\\.persistentVolumeClaim\\.readOnly$', rules('type.wrong')],

  // Workload kinds
  [':spec\\.replicas$', COUNT],
  [
    ':spec\\.(minReadySeconds|progressDeadlineSeconds)$',
    rules('duration.whole-seconds', 'rollout.deadline-before-ready'),
  ],
  [':spec\\.revisionHistoryLimit$', fixed('library default: 5')],
  ['^Deployment:spec\\.strategy\\.type$', fixed('RollingUpdate (Recreate-like rollouts are maxSurge 0)')],
  ['^Deployment:spec\\.strategy\\.rollingUpdate\\.', rules('rollout.pod-count', 'rollout.cannot-start', 'type.wrong')],
  ['^StatefulSet:spec\\.(podManagementPolicy|persistentVolumeClaimRetentionPolicy\\.)', ENUM],
  ['^StatefulSet:spec\\.serviceName$', SERVICE_NAME],
  ['^StatefulSet:spec\\.updateStrategy\\.', fixed('RollingUpdate, partition 0')],
  [
    '^StatefulSet:spec\\.volumeClaimTemplates\\[\\]\\.metadata\\.name$',
    rules('name.dns-label', 'volume.duplicate-name'),
  ],
  ['\\.accessModes\\[\\]$', rules('type.enum', 'volume.shared-read-write-once', 'storage.no-read-write-many')],
  ['\\.resources\\.requests\\.storage$', SIZE],
  ['\\.storageClassName$', rules('name.dns-subdomain', 'storage.class-required')],
  [
    '^Job:spec\\.backoffLimit$|^CronJob:spec\\.jobTemplate\\.spec\\.backoffLimit$',
    rules('job.backoff-limit', 'type.wrong'),
  ],
  ['(Job|jobTemplate\\.spec)\\.?:?.*(activeDeadlineSeconds|ttlSecondsAfterFinished)$', DURATION],
  ['^CronJob:spec\\.schedule$', rules('cron.schedule')],
  ['^CronJob:spec\\.timeZone$', rules('cron.time-zone')],
  ['^CronJob:spec\\.concurrencyPolicy$', ENUM],
  ['^CronJob:spec\\.(successful|failed)JobsHistoryLimit$', rules('cron-job.history', 'type.wrong')],
  ['^CronJob:spec\\.startingDeadlineSeconds$', rules('duration.whole-seconds', 'cron-job.no-deadline')],
  ['^CronJob:spec\\.suspend$', rules('type.wrong')],
  ['^ServiceAccount:automountServiceAccountToken$', fixed('library default: no token')],

  // Scaling
  ['^HorizontalPodAutoscaler:spec\\.(minReplicas|maxReplicas)$', rules('number.count', 'autoscaling.min-above-max')],
  [
    '^HorizontalPodAutoscaler:spec\\.metrics\\[\\]\\.resource\\.target\\.averageUtilization$',
    rules('autoscaling.utilization'),
  ],
  ['^HorizontalPodAutoscaler:spec\\.behavior\\.scale(Up|Down)\\.stabilizationWindowSeconds$', DURATION],
  ['^HorizontalPodAutoscaler:spec\\.scaleTargetRef\\.name$', SERVICE_NAME],
  [
    '^HorizontalPodAutoscaler:spec\\.(metrics|scaleTargetRef)',
    fixed('the HPA of the service: CPU and memory utilization of its Deployment'),
  ],
  [
    '^PodDisruptionBudget:spec\\.(maxUnavailable|minAvailable)$',
    rules('disruption-budget.pod-count', 'disruption-budget.blocks-eviction'),
  ],
  [
    '^PodDisruptionBudget:spec\\.unhealthyPodEvictionPolicy$',
    fixed('AlwaysAllow: a budget never blocks evicting an unhealthy pod'),
  ],

  // Services and ways in
  ['^Service:spec\\.ports\\[\\]\\.(port)$', PORT],
  ['^Service:spec\\.ports\\[\\]\\.name$', rules('name.port-name', 'port.duplicate-name')],
  ['^Service:spec\\.ports\\[\\]\\.protocol$', ENUM],
  ['^Service:spec\\.ports\\[\\]\\.appProtocol$', rules('name.qualified-name')],
  ['^Service:spec\\.ports\\[\\]\\.targetPort$', rules('name.port-name', 'port.duplicate-name')], // the port's name
  [
    '^Service:spec\\.(type|clusterIP|loadBalancerClass|publishNotReadyAddresses|externalTrafficPolicy|trafficDistribution)$',
    fixed('the way in and the target (LoadBalancer, NodePort fallback, headless)'),
  ],
  ['^Ingress:spec\\.ingressClassName$', SUBDOMAIN],
  [
    '^Ingress:spec\\.(rules\\[\\]\\.host|tls\\[\\]\\.hosts\\[\\])$',
    rules('host.ingress-host', 'ingress.host-required'),
  ],
  [
    '^Ingress:spec\\.rules\\[\\]\\.http\\.paths\\[\\]\\.path$',
    rules('path.not-absolute', 'path.not-normalized', 'path.characters', 'route.host-path-taken'),
  ],
  ['^Ingress:spec\\.rules\\[\\]\\.http\\.paths\\[\\]\\.pathType$', fixed('Prefix')],
  [
    '^Ingress:spec\\.rules\\[\\]\\.http\\.paths\\[\\]\\.backend\\.service\\.',
    rules('service.undeclared-port', 'name.derived-too-long'),
  ],
  ['^Ingress:spec\\.tls\\[\\]\\.secretName$', rules('name.dns-subdomain', 'expose.tls-without-host')],
  [
    '^(HTTPRoute|GRPCRoute):spec\\.hostnames\\[\\]$',
    rules('host.ingress-host', 'route.kinds-share-host', 'route.host-path-taken'),
  ],
  [
    '^(HTTPRoute|GRPCRoute):spec\\.parentRefs\\[\\]\\.(name|namespace|sectionName)$',
    rules('name.dns-subdomain', 'name.dns-label'),
  ],
  [
    '^(HTTPRoute|GRPCRoute):spec\\.rules\\[\\]\\.backendRefs\\[\\]\\.',
    rules('service.undeclared-port', 'name.derived-too-long'),
  ],
  [
    '^HTTPRoute:spec\\.rules\\[\\]\\.matches\\[\\]\\.path\\.value$',
    rules('path.not-absolute', 'path.not-normalized', 'path.characters', 'route.host-path-taken'),
  ],
  ['^HTTPRoute:spec\\.rules\\[\\]\\.matches\\[\\]\\.path\\.type$', fixed('PathPrefix')],
  ['^HTTPRoute:spec\\.rules\\[\\]\\.filters\\[\\]\\.', fixed('the HTTPS redirect: 301 to https')],
  ['^GRPCRoute:spec\\.rules\\[\\]\\.matches\\[\\]\\.method\\.(service|method)$', rules('route.grpc-path')],
  ['^GRPCRoute:spec\\.rules\\[\\]\\.matches\\[\\]\\.method\\.type$', fixed('Exact')],
  ['^Gateway:spec\\.gatewayClassName$', SUBDOMAIN],
  ['^Gateway:spec\\.listeners\\[\\]\\.hostname$', rules('host.ingress-host', 'expose.tls-without-host')],
  ['^Gateway:spec\\.listeners\\[\\]\\.tls\\.certificateRefs\\[\\]\\.name$', rules('name.dns-subdomain')],
  ['^Gateway:spec\\.listeners\\[\\]\\.port$', rules('number.integer-range')],
  ['^Gateway:spec\\.listeners\\[\\]\\.', fixed('listeners the library names: http, and https-<n> per TLS host')],
  [
    '^HealthCheckPolicy:spec\\.default\\.config\\.httpHealthCheck\\.(port|requestPath)$',
    rules('probe.port', 'type.wrong'),
  ],
  ['^HealthCheckPolicy:spec\\.targetRef\\.name$', SERVICE_NAME],
  ['^HealthCheckPolicy:spec\\.', fixed('an HTTP check of the readiness probe, attached to the Service')],
  [
    '^TargetGroupConfiguration:spec\\.defaultConfiguration\\.healthCheckConfig\\.(healthCheckPath|healthCheckPort)$',
    rules('probe.port', 'type.wrong'),
  ],
  ['^TargetGroupConfiguration:spec\\.targetReference\\.name$', SERVICE_NAME],
  ['^TargetGroupConfiguration:spec\\.', fixed('IP targets, the readiness check with kubelet success codes')],

  // The operators' objects (KEDA, Prometheus Operator, External Secrets): checked by their own rules
  [
    '^(ScaledObject|ScaledJob):spec\\.(min|max)ReplicaCount$',
    rules('number.count', 'autoscaling.min-above-max', 'scaling.both-autoscalers'),
  ],
  ['^(ScaledObject|ScaledJob):spec\\.(cooldownPeriod|pollingInterval)$', DURATION],
  ['^(ScaledObject|ScaledJob):spec\\.scaleTargetRef\\.name$', SERVICE_NAME],
  ['^(ScaledObject|ScaledJob):spec\\.scaleTargetRef\\.', fixed('the Deployment (or Job) of the workload')],
  ['^(ScaledObject|ScaledJob):spec\\.triggers\\[\\]\\.type$', rules('trigger.type')],
  [
    '^(ScaledObject|ScaledJob):spec\\.triggers\\[\\]\\.metadata\\.',
    rules('trigger.required', 'trigger.threshold', 'trigger.sqs-queue-url', 'trigger.server-unknown'),
  ],
  [
    '^(ScaledObject|ScaledJob):spec\\.triggers\\[\\]\\.authenticationRef\\.',
    fixed('the TriggerAuthentication the library writes beside it'),
  ],
  [
    '^(ServiceMonitor|PodMonitor):spec\\.(endpoints|podMetricsEndpoints)\\[\\]\\.(port|targetPort)$',
    rules('metrics.port-unknown', 'metrics.port-taken'),
  ],
  ['^(ServiceMonitor|PodMonitor):spec\\.(endpoints|podMetricsEndpoints)\\[\\]\\.path$', rules('metrics.path')],
  ['^(ServiceMonitor|PodMonitor):spec\\.(endpoints|podMetricsEndpoints)\\[\\]\\.interval$', DURATION],
  ['^(ServiceMonitor|PodMonitor):spec\\.', fixed('the monitor of the workload: its pods, in its namespace')],
  [
    '^ExternalSecret:spec\\.data\\[\\]\\.secretKey$',
    rules('name.config-key', 'external-secret.duplicate-key', 'external-secret.no-keys'),
  ],
  ['^ExternalSecret:spec\\.data\\[\\]\\.remoteRef\\.', rules('external-secret.remote-key')],
  ['^ExternalSecret:spec\\.', rules('name.dns-subdomain', 'external-secret.outside-system')],

  // NetworkPolicies: built from declared edges; each value a rule checked where it was declared
  [
    '^NetworkPolicy:spec\\.(ingress|egress)\\[\\]\\.ports\\[\\]\\.port$',
    rules('number.port', 'dependency.unknown-port', 'service.undeclared-port'),
  ],
  ['^NetworkPolicy:spec\\.(ingress|egress)\\[\\]\\.ports\\[\\]\\.protocol$', ENUM],
  ['^NetworkPolicy:spec\\.egress\\[\\]\\.to\\[\\]\\.ipBlock\\.cidr$', rules('dependency.cidr')],
  [
    '^NetworkPolicy:spec\\.ingress\\[\\]\\.from\\[\\]\\.ipBlock\\.cidr$',
    fixed('the target: a load balancer\u2019s health check ranges'),
  ],
  [
    '^NetworkPolicy:spec\\.(podSelector|policyTypes|ingress\\[\\]\\.from\\[\\]\\.podSelector)',
    fixed('default deny, DNS, and the Gateway proxies left out of it'),
  ],
];

/** The coverage of `path` (`Kind:path`), or undefined when no entry covers it. */
export function coverageOf(path: string): Coverage | undefined {
  return FIELD_TABLE.find(([pattern]) => new RegExp(pattern).test(path))?.[1];
}
