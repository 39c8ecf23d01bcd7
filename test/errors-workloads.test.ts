import { ApiObject, App, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ConcurrencyPolicy,
  CronJobProps,
  Dependency,
  EnvFrom,
  EnvVar,
  Exposure,
  Manifests,
  MicroserviceProps,
  MicroserviceSystem,
  PodCount,
  HealthCheck,
  PortProtocol,
  Storage,
  Target,
} from '../lib';
import { problemsOf } from './helpers';

/**
 * The synth-time catalogue, continued: bad input to the workload shapes (containers, StatefulSets,
 * Jobs, CronJobs, pod settings) and the field rules Kubernetes itself applies. Each case asserts
 * the complete messages.
 */
const image = 'ghcr.io/acme/api:1.0.0';
const withSystem =
  (build: (system: MicroserviceSystem) => void, props: ConstructorParameters<typeof MicroserviceSystem>[2] = {}) =>
  () => {
    const app = new App();
    build(new MicroserviceSystem(app, 'shop', props));
    return app;
  };
const service = (props: Partial<MicroserviceProps>, target?: Target) =>
  withSystem(
    (s) => {
      s.addService('api', { image, port: 8080, expose: Exposure.loadBalancer(), ...props });
    },
    { target },
  );

const cases: Array<[string, () => App, string[]]> = [
  [
    'a cron schedule does not parse',
    withSystem((s) => {
      s.addCronJob('report', { image, schedule: '61 * * * *' });
    }),
    [
      '[shop/report] schedule: received "61 * * * *"; allowed: a cron schedule of five fields (minute hour day-of-month month day-of-week, e.g. "*/15 * * * *" or "0 3 * * MON-FRI"), or @hourly, @daily, @weekly, @monthly, @yearly, "@every 1h". Hint: it does not parse: minute: end of range (61) above maximum (59): 61',
    ],
  ],
  [
    'a cron schedule has six fields',
    withSystem((s) => {
      s.addCronJob('report', { image, schedule: '0 0 3 * * *' });
    }),
    [
      '[shop/report] schedule: received "0 0 3 * * *"; allowed: a cron schedule of five fields (minute hour day-of-month month day-of-week, e.g. "*/15 * * * *" or "0 3 * * MON-FRI"), or @hourly, @daily, @weekly, @monthly, @yearly, "@every 1h". Hint: it does not parse: expected exactly 5 fields, found 6',
    ],
  ],
  [
    'a cron schedule carries a time zone',
    withSystem((s) => {
      s.addCronJob('report', { image, schedule: 'CRON_TZ=UTC 0 3 * * *' });
    }),
    [
      '[shop/report] schedule: received "CRON_TZ=UTC 0 3 * * *"; allowed: a cron schedule of five fields (minute hour day-of-month month day-of-week, e.g. "*/15 * * * *" or "0 3 * * MON-FRI"), or @hourly, @daily, @weekly, @monthly, @yearly, "@every 1h". Hint: set the time zone with the timeZone prop (e.g. "Europe/Paris"), not in the schedule',
    ],
  ],
  [
    'a CronJob time zone is an offset',
    withSystem((s) => {
      s.addCronJob('report', { image, schedule: '@daily', timeZone: '+02:00' });
    }),
    [
      '[shop/report] timeZone: received "+02:00"; allowed: an IANA time zone name from tzdata 2025c, e.g. "Europe/Paris", "America/New_York" or "UTC" (not "Local"). Hint: see the "TZ identifier" column of https://en.wikipedia.org/wiki/List_of_tz_database_time_zones',
    ],
  ],
  [
    'a CronJob keeps a negative history',
    withSystem((s) => {
      s.addCronJob('report', { image, schedule: '@daily', failedJobsHistory: -1 });
    }),
    ['[shop/report] failedJobsHistory: received -1; allowed: a whole number ≥ 0. Hint: e.g. 3'],
  ],
  [
    'a Job has a negative backoffLimit',
    withSystem((s) => {
      s.addJob('migrate', { image, backoffLimit: -1 });
    }),
    ['[shop/migrate] backoffLimit: received -1; allowed: a whole number of retries ≥ 0. Hint: e.g. 3'],
  ],
  [
    'a Job deadline is under a second',
    withSystem((s) => {
      s.addJob('migrate', { image, activeDeadline: Duration.millis(500) });
    }),
    [
      '[shop/migrate] activeDeadline: received "500 millis"; allowed: a whole number of seconds, at least 1 s. Hint: e.g. Duration.minutes(30)',
    ],
  ],
  [
    'a sidecar image is not pinned',
    service({ sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy' }] }),
    [
      '[shop/api] sidecars[0].image: received "envoyproxy/envoy"; allowed: an image pinned by a tag other than "latest" (repo:1.4.2) or by a digest (repo@sha256:<64 hex>). Hint: an untagged image means "latest" and changes under you: pin it, e.g. "envoyproxy/envoy:1.0.0"',
    ],
  ],
  [
    'a sidecar name is not a DNS label',
    service({ sidecars: [{ name: 'Proxy_1', image: 'envoyproxy/envoy:v1.31.2' }] }),
    [
      '[shop/api] sidecars[0].name: received "Proxy_1"; allowed: a DNS-1123 label: 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit. Hint: try "proxy-1"',
    ],
  ],
  [
    "a sidecar takes the main container's name",
    service({ sidecars: [{ name: 'api', image: 'envoyproxy/envoy:v1.31.2' }] }),
    [
      '[shop/api] sidecars[0].name: received "api"; allowed: container names unique in the pod (the main container takes the workload\'s name). Hint: rename the container',
    ],
  ],
  [
    'an init container declares ports',
    service({ initContainers: [{ name: 'migrate', image, ports: [{ name: 'http', port: 9000 }] }] }),
    [
      '[shop/api] initContainers[0]: received "ports or probes"; allowed: no ports and no probes on an init container (it runs to completion). Hint: make it a sidecar if it serves, or drop them',
    ],
  ],
  [
    'an init container has a bad quantity',
    service({ initContainers: [{ name: 'migrate', image, resources: { memory: { request: '1 GB' } } }] }),
    [
      '[shop/api] initContainers[0].resources.memory.request: received "1 GB"; allowed: a Kubernetes quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti. Hint: write it like "256Mi"',
    ],
  ],
  [
    'a sidecar mounts a volume the workload lacks',
    service({ sidecars: [{ name: 'shipper', image: 'fluent/fluent-bit:3.1.9', volumeMounts: [{ volume: 'logs' }] }] }),
    [
      '[shop/api] sidecars[0].volumeMounts[0].volume: received "logs"; allowed: a volume of the workload: none. Hint: add the volume to the workload\'s volumes (or addVolume) and mount it by name',
    ],
  ],
  [
    'a sidecar probes a port it does not declare',
    service({
      sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.2', healthCheck: HealthCheck.http('/ready') }],
    }),
    [
      '[shop/api] sidecars[0].healthCheck.portName: received nothing; allowed: a TCP port of the container: none. Hint: probe a declared TCP port, or use HealthCheck.command()',
    ],
  ],
  [
    'a sidecar escalates privileges under restricted',
    service({
      sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.2', security: { allowPrivilegeEscalation: true } }],
    }),
    [
      '[shop/api] sidecars[0].security.allowPrivilegeEscalation: received true; allowed: false under Pod Security "restricted". Hint: rebuild the image without setuid binaries, or lower the system\'s podSecurity level for this namespace',
    ],
  ],
  [
    'an init container reads an undeclared Secret',
    service({ initContainers: [{ name: 'migrate', image, env: { PW: EnvVar.fromSecret('db', 'password') } }] }),
    [
      '[shop/api] initContainers[0].env.PW: received "secret db"; allowed: a Secret listed in the system\'s secrets or imagePullSecrets (none). Hint: add "db" to MicroserviceSystem secrets and provision it (External Secrets, Sealed Secrets or kubectl create secret)',
    ],
  ],
  [
    'a StatefulSet is autoscaled',
    service({ statefulSet: {}, autoscaling: { minReplicas: 2, maxReplicas: 4 } }),
    [
      '[shop/api] autoscaling: received {"minReplicas":2,"maxReplicas":4}; allowed: a fixed replica count on a StatefulSet. Hint: each replica owns its volume and identity: scale it on purpose with replicas',
    ],
  ],
  [
    'a StatefulSet asks for maxSurge',
    service({ statefulSet: {}, rollout: { maxSurge: PodCount.absolute(1) } }),
    [
      '[shop/api] rollout.maxSurge: received 1; allowed: only rollout.minReady on a StatefulSet (it replaces pods one at a time, highest ordinal first). Hint: remove rollout.maxSurge',
    ],
  ],
  [
    'a pull secret is not listed',
    service({ imagePullSecrets: ['ghcr'] }),
    [
      '[shop/api] imagePullSecrets[0]: received "secret ghcr"; allowed: a Secret listed in the system\'s secrets or imagePullSecrets (none). Hint: add "ghcr" to MicroserviceSystem imagePullSecrets and provision it (External Secrets, Sealed Secrets or kubectl create secret)',
    ],
  ],
  [
    'envFrom reads an undeclared Secret',
    service({ envFrom: [EnvFrom.secret('api-env')] }),
    [
      '[shop/api] envFrom[0]: received "secret api-env"; allowed: a Secret listed in the system\'s secrets or imagePullSecrets (none). Hint: add "api-env" to MicroserviceSystem secrets and provision it (External Secrets, Sealed Secrets or kubectl create secret)',
    ],
  ],
  [
    'env reads a ConfigMap neither written by the app nor listed as provisioned elsewhere (the pod would wait in CreateContainerConfigError); an app-written plain Secret is fine',
    withSystem(
      (s) => {
        new kplus.ConfigMap(s, 'written', { metadata: { name: 'written' }, data: { mode: 'a' } });
        new ApiObject(s, 'token', {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'token' },
          stringData: { token: 'x' },
        });
        s.addService('api', {
          image,
          port: 8080,
          expose: Exposure.loadBalancer(),
          env: {
            A: EnvVar.fromConfigMap('written', 'mode'),
            B: EnvVar.fromConfigMap('listed', 'mode'),
            TOKEN: EnvVar.fromSecret('token', 'token'),
          },
          envFrom: [EnvFrom.configMap('nowhere')],
        });
      },
      { configMaps: ['listed'] },
    ),
    [
      '[shop/api] envFrom[0]: received "configMap nowhere"; allowed: a ConfigMap this app writes into namespace "shop", or one listed in the system\'s configMaps (listed). Hint: create it in the system (a cdk8s-plus ConfigMap, or Storage.config() for files), or add "nowhere" to MicroserviceSystem configMaps if something else provisions it',
    ],
  ],
  [
    'env reads a ConfigMap key that is a path, a ConfigMap with no valid name, and an envFrom prefix that is no env name (a dotted ConfigMap name is fine)',
    withSystem(
      (s) => {
        s.addService('api', {
          image,
          port: 8080,
          expose: Exposure.loadBalancer(),
          env: {
            MODE: EnvVar.fromConfigMap('api-config', 'conf/mode'),
            LEVEL: EnvVar.fromConfigMap('Api_Config', '..level'),
          },
          envFrom: [EnvFrom.configMap('api.env', 'API=')],
        });
      },
      { configMaps: ['api-config', 'api.env'] },
    ),
    [
      "[shop/api] env.MODE.key: received \"conf/mode\"; allowed: a ConfigMap key: 1-253 letters, digits, '-', '_' or '.', not '.' and not starting with '..' (no '/': keys are file names, not paths). Hint: try \"conf-mode\"",
      '[shop/api] env.LEVEL.configMapName: received "Api_Config"; allowed: a DNS-1123 subdomain: 1-253 characters, dot-separated parts of lowercase letters, digits or \'-\', each starting and ending with a letter or digit. Hint: try "api-config"',
      "[shop/api] env.LEVEL.key: received \"..level\"; allowed: a ConfigMap key: 1-253 letters, digits, '-', '_' or '.', not '.' and not starting with '..' (no '/': keys are file names, not paths). Hint: try \"level\"",
      '[shop/api] envFrom[0].prefix: received "API="; allowed: an environment variable name: 1 or more printable ASCII characters other than \'=\'. Hint: try "API_"',
    ],
  ],
  [
    'a secret volume names an undeclared Secret',
    service({ volumes: [Storage.secret('certs', { mountPath: '/etc/tls', secretName: 'tls' })] }),
    [
      '[shop/api] volumes[0].secretName: received "secret tls"; allowed: a Secret listed in the system\'s secrets or imagePullSecrets (none). Hint: add "tls" to MicroserviceSystem secrets and provision it (External Secrets, Sealed Secrets or kubectl create secret)',
    ],
  ],
  [
    'an existing claim has no valid name',
    service({ volumes: [Storage.existingClaim('shared', { mountPath: '/shared', claimName: 'Team_Share' })] }),
    [
      '[shop/api] volumes[0].claimName: received "Team_Share"; allowed: a DNS-1123 subdomain: 1-253 characters, dot-separated parts of lowercase letters, digits or \'-\', each starting and ending with a letter or digit. Hint: try "team-share"',
    ],
  ],
  [
    'the selector labels are overridden',
    service({ labels: { 'app.kubernetes.io/name': 'other' } }),
    [
      '[shop/api] labels.app.kubernetes.io/name: received "other"; allowed: labels other than the selector labels app.kubernetes.io/name and /instance. Hint: set `name` to rename the workload; selector labels derive from it',
    ],
  ],
  [
    'the grace period is fractional',
    service({ terminationGracePeriod: Duration.millis(1500) }),
    [
      '[shop/api] terminationGracePeriod: received "1 second 500 millis"; allowed: a whole number of seconds, at least 0 s. Hint: e.g. Duration.seconds(30)',
    ],
  ],
  [
    'a system takes kube-system',
    () => {
      const app = new App();
      new MicroserviceSystem(app, 'kube-system');
      return app;
    },
    [
      '[kube-system] namespace: received "kube-system"; allowed: a namespace of your own: not default, kube-*, openshift or openshift-* (they belong to the cluster). Hint: the system would apply its restricted policy and default-deny network policy there; use a name such as "system-apps"',
    ],
  ],
  [
    'a system takes the default namespace',
    () => {
      const app = new App();
      new MicroserviceSystem(app, 'shop', { namespace: 'default' });
      return app;
    },
    [
      '[shop] namespace: received "default"; allowed: a namespace of your own: not default, kube-*, openshift or openshift-* (they belong to the cluster). Hint: the system would apply its restricted policy and default-deny network policy there; use a name such as "default-apps"',
    ],
  ],
  [
    'two systems share a name',
    () => {
      const app = new App();
      new MicroserviceSystem(app, 'shop');
      new MicroserviceSystem(app, 'shop-eu', { name: 'shop' });
      return app;
    },
    [
      '[shop] name: received "shop"; allowed: a system name used once per app (it names the output file). Hint: also used by shop-eu: set name on one of them',
      '[shop-eu] name: received "shop"; allowed: a system name used once per app (it names the output file). Hint: also used by shop: set name on one of them',
    ],
  ],
  [
    'an ingress host is upper case',
    service({ expose: Exposure.ingress({ host: 'Shop.Example.com' }) }),
    [
      '[shop/api] expose.host: received "Shop.Example.com"; allowed: a host name: a lowercase DNS-1123 subdomain (e.g. "shop.example.com"), optionally starting with "*.", not an IP address, without scheme, port or path. Hint: write it in lower case: "shop.example.com"',
    ],
  ],
  [
    'an ingress host has a scheme',
    service({ expose: Exposure.ingress({ host: 'https://shop.example.com' }) }),
    [
      '[shop/api] expose.host: received "https://shop.example.com"; allowed: a host name: a lowercase DNS-1123 subdomain (e.g. "shop.example.com"), optionally starting with "*.", not an IP address, without scheme, port or path. Hint: a host has no scheme: write "shop.example.com" (TLS comes from tlsSecret)',
    ],
  ],
  [
    'an ingress host has a port',
    service({ expose: Exposure.ingress({ host: 'shop.example.com:443' }) }),
    [
      '[shop/api] expose.host: received "shop.example.com:443"; allowed: a host name: a lowercase DNS-1123 subdomain (e.g. "shop.example.com"), optionally starting with "*.", not an IP address, without scheme, port or path. Hint: a host has no port: write "shop.example.com"; the ingress listens on 80/443',
    ],
  ],
  [
    'an ingress path is relative',
    service({ expose: Exposure.ingress({ host: 'shop.example.com', path: 'api' }) }),
    ['[shop/api] expose.path: received "api"; allowed: an absolute path starting with "/". Hint: write "/api"'],
  ],
  [
    'a TLS Secret comes without a host',
    service({ expose: Exposure.ingress({ tlsSecret: 'shop-tls' }) }),
    [
      '[shop/api] expose.tlsSecret: received "shop-tls"; allowed: a TLS Secret together with a host (the certificate is for a name). Hint: pass host: "shop.example.com" as well, or drop tlsSecret',
    ],
  ],
  [
    'an ingress targets a UDP port',
    service({
      port: undefined,
      ports: [{ name: 'syslog', port: 514, protocol: PortProtocol.UDP }],
      expose: Exposure.ingress({ host: 'logs.example.com' }),
    }),
    [
      '[shop/api] expose: received "ingress to syslog/UDP"; allowed: an Ingress to a TCP port (Ingresses route HTTP). Hint: expose a UDP port with Exposure.loadBalancer()',
    ],
  ],
  [
    'a TCP probe points at a UDP port',
    service({
      port: undefined,
      ports: [{ name: 'dns', port: 53, protocol: PortProtocol.UDP }],
      healthCheck: HealthCheck.tcp(),
      expose: Exposure.loadBalancer(),
    }),
    [
      '[shop/api] healthCheck.portName: received "dns"; allowed: a declared TCP port: none (the service has no TCP ports). Hint: TCP and HTTP probes need a TCP port: declare one, or use HealthCheck.command()',
    ],
  ],
  [
    'the selector label would exceed 63 characters',
    service({ name: 'a'.repeat(62) }),
    [
      '[shop/api] name: received "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; allowed: a value that keeps the label app.kubernetes.io/instance a valid label value (at most 63 characters, alphanumeric at both ends); it would be "shop-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" (67 characters). Hint: shorten it by at least 4 characters',
    ],
  ],
  [
    'a config file name holds a slash',
    service({ volumes: [Storage.config('config', { mountPath: '/etc/api', files: { 'conf/app.yaml': 'x: 1' } })] }),
    [
      "[shop/api] volumes[0].files: received \"conf/app.yaml\"; allowed: a ConfigMap key: 1-253 letters, digits, '-', '_' or '.', not '.' and not starting with '..' (no '/': keys are file names, not paths). Hint: try \"conf-app.yaml\"",
    ],
  ],
  [
    'a config file name is ..',
    service({ volumes: [Storage.config('config', { mountPath: '/etc/api', files: { '..': 'x' } })] }),
    [
      "[shop/api] volumes[0].files: received \"..\"; allowed: a ConfigMap key: 1-253 letters, digits, '-', '_' or '.', not '.' and not starting with '..' (no '/': keys are file names, not paths). Hint: try \"config\"",
    ],
  ],
  [
    'a volume size is NaN',
    service({ replicas: 1, volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(NaN) })] }),
    [
      '[shop/api] volumes[0].size: received "NaNGi"; allowed: a size above zero (a finite number). Hint: write it like Size.gibibytes(10)',
    ],
  ],
  [
    'a probe period is NaN',
    service({ healthCheck: HealthCheck.http('/healthz', { period: Duration.seconds(NaN) }) }),
    [
      '[shop/api] healthCheck.period: received "NaN s"; allowed: a whole number of seconds, at least 1 s. Hint: e.g. Duration.seconds(10)',
    ],
  ],
  [
    'a probe failure threshold is 0',
    service({ healthCheck: HealthCheck.http('/healthz', { failureThreshold: 0 }) }),
    ['[shop/api] healthCheck.failureThreshold: received 0; allowed: a whole number ≥ 1. Hint: e.g. 3'],
  ],
  [
    'a PDB maxUnavailable is negative',
    service({ disruptionBudget: { maxUnavailable: -1 } }),
    ['[shop/api] disruptionBudget.maxUnavailable: received -1; allowed: a whole number of pods ≥ 0. Hint: e.g. 1'],
  ],
  [
    'a PDB maxUnavailable is fractional',
    service({ disruptionBudget: { maxUnavailable: 1.5 } }),
    ['[shop/api] disruptionBudget.maxUnavailable: received 1.5; allowed: a whole number of pods ≥ 0. Hint: e.g. 1'],
  ],
  [
    'an HPA stabilization window is two hours',
    service({ autoscaling: { minReplicas: 2, maxReplicas: 4, scaleDownStabilization: Duration.hours(2) } }),
    [
      '[shop/api] autoscaling.scaleDownStabilization: received "1 hour 60 minutes"; allowed: a whole number of seconds, from 0 s to 3600 s. Hint: e.g. Duration.minutes(5)',
    ],
  ],
  [
    'minReady is half a second',
    service({ rollout: { minReady: Duration.millis(500) } }),
    [
      '[shop/api] rollout.minReady: received "500 millis"; allowed: a whole number of seconds, at least 0 s. Hint: e.g. Duration.seconds(10)',
    ],
  ],
  [
    'maxUnavailable is above 100% (maxSurge may be)',
    service({ rollout: { maxSurge: PodCount.percent(150), maxUnavailable: PodCount.percent(150) } }),
    [
      '[shop/api] rollout.maxUnavailable: received "150%"; allowed: a whole number of pods ≥ 0, or a percentage ≥ 0 (at most 100 for maxUnavailable). Hint: e.g. PodCount.absolute(1) or PodCount.percent(25)',
    ],
  ],
  [
    'an external port is 70000',
    service({ dependsOn: [Dependency.external('psp', { host: 'api.psp.example.com', port: 70000 })] }),
    [
      '[shop/api] dependsOn[0].port: received 70000; allowed: an integer from 1 to 65535. Hint: use the port the container listens on, e.g. 8080',
    ],
  ],
  [
    'an external host is empty',
    service({ dependsOn: [Dependency.external('psp', { host: '', port: 443 })] }),
    [
      '[shop/api] dependsOn[0].host: received ""; allowed: a host: a DNS name such as "db.example.com" or an IP address, without scheme, port or path. Hint: pass the name the service is reached at, e.g. "api.stripe.com"',
    ],
  ],
  [
    'an env prefix is no env var name',
    withSystem((s) => {
      const db = s.addService('db', { image, port: 5432 });
      s.addService('api', {
        image,
        port: 8080,
        dependsOn: [Dependency.on(db, { envPrefix: 'my=db' })],
        expose: Exposure.loadBalancer(),
      });
    }),
    [
      '[shop/api] dependsOn[0].envPrefix: received "my=db"; allowed: an environment variable name: 1 or more printable ASCII characters other than \'=\'. Hint: try "MY_DB"',
    ],
  ],
  [
    'a StorageClass name has an underscore',
    service({
      replicas: 1,
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1), storageClass: 'Fast_SSD' })],
    }),
    [
      '[shop/api] volumes[0].storageClass: received "Fast_SSD"; allowed: a DNS-1123 subdomain: 1-253 characters, dot-separated parts of lowercase letters, digits or \'-\', each starting and ending with a letter or digit. Hint: try "fast-ssd"',
    ],
  ],
  [
    'a PDB keeps the one pod a Deployment with a ReadWriteOnce volume gets by default',
    service({
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })],
      disruptionBudget: { minAvailable: 1 },
    }),
    [
      '[shop/api] disruptionBudget: received {"minAvailable":1}; allowed: a budget that lets at least one of 1 pods be evicted. Hint: this budget blocks every node drain and cluster upgrade: use maxUnavailable: 1',
    ],
  ],
  [
    "a Job name leaves no room for its hash, and a CronJob name for its controller's suffix",
    withSystem((s) => {
      s.addJob(`migrate-${'x'.repeat(47)}`, { image });
      s.addCronJob(`report-${'y'.repeat(46)}`, { image, schedule: '0 3 * * *' });
    }),
    [
      `[shop/migrate-${'x'.repeat(47)}] id: received "migrate-${'x'.repeat(47)}"; allowed: a name of at most 54 characters. Hint: the Job is named <name>-<8-character hash>, and Kubernetes puts that name in a pod label (batch.kubernetes.io/job-name) of at most 63 characters`,
      `[shop/report-${'y'.repeat(46)}] id: received "report-${'y'.repeat(46)}"; allowed: a name of at most 52 characters. Hint: the API refuses longer CronJob names: its controller appends 11 characters to name each Job`,
    ],
  ],
  [
    "a CronJob's starting deadline is shorter than the controller's 10-second check",
    withSystem((s) => {
      s.addCronJob('report', { image, schedule: '0 3 * * *', startingDeadline: Duration.seconds(5) });
    }),
    [
      '[shop/report] startingDeadline: received "5 seconds"; allowed: a whole number of seconds, at least 10 s. Hint: at least 10 seconds, since the controller checks schedules every 10 s; e.g. Duration.minutes(5)',
    ],
  ],
  [
    'two volumes mount /data and /data/',
    service({
      volumes: [Storage.ephemeral('a', { mountPath: '/data' }), Storage.ephemeral('b', { mountPath: '/data/' })],
    }),
    [
      '[shop/api] volumes[1].mountPath: received "/data/"; allowed: a mount path used once ("/data" is the same directory). Hint: mount each volume at its own directory',
    ],
  ],
];

describe('synth-time validation catalogue: workloads and field rules', () => {
  test.each(cases)('fails when %s', (_what, build, expected) => {
    expect(problemsOf(build)).toEqual(expected);
  });

  test('the props problems of every workload and system are reported together, once each', () => {
    const messages = problemsOf(() => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop', { secrets: ['Bad_Name'] });
      shop.addService('a', { image: 'nginx', port: 8080, expose: Exposure.loadBalancer() });
      shop.addService('b', { image, port: 70000, expose: Exposure.loadBalancer() });
      shop.addJob('c', { image, backoffLimit: -1 });
      shop.addCronJob('d', { image, schedule: 'often' });
      return app;
    });
    expect(messages.map((m) => m.split(':')[0])).toEqual([
      '[shop] secrets[0]',
      '[shop/a] image',
      '[shop/b] port',
      '[shop/c] backoffLimit',
      '[shop/d] schedule',
    ]);
  });
});

describe('props of the wrong JavaScript type are problems, never crashes', () => {
  const wrong: { [type: string]: unknown } = {
    'a string': 42,
    'a number': 'eighty',
    'a boolean': 'yes',
    'an object': 'x',
    'an array': 'x',
    'a Duration': 30,
    'a HealthCheck': {},
    'an Exposure': 'route',
  };
  const props: Array<[string, string]> = [
    ['name', 'a string'],
    ['command', 'an array'],
    ['args', 'an array'],
    ['resources', 'an object'],
    ['env', 'an object'],
    ['envFrom', 'an array'],
    ['volumes', 'an array'],
    ['initContainers', 'an array'],
    ['sidecars', 'an array'],
    ['security', 'an object'],
    ['dependsOn', 'an array'],
    ['identity', 'an object'],
    ['imagePullSecrets', 'an array'],
    ['tolerations', 'an array'],
    ['nodeSelector', 'an object'],
    ['priorityClassName', 'a string'],
    ['terminationGracePeriod', 'a Duration'],
    ['labels', 'an object'],
    ['annotations', 'an object'],
    ['podAnnotations', 'an object'],
    ['version', 'a string'],
    ['component', 'a string'],
    ['port', 'a number'],
    ['portName', 'a string'],
    ['ports', 'an array'],
    ['replicas', 'a number'],
    ['healthCheck', 'a HealthCheck'],
    ['liveness', 'a HealthCheck'],
    ['readiness', 'a HealthCheck'],
    ['startup', 'a HealthCheck'],
    ['autoscaling', 'an object'],
    ['rollout', 'an object'],
    ['disruptionBudget', 'an object'],
    ['spread', 'a boolean'],
    ['expose', 'an Exposure'],
    ['statefulSet', 'an object'],
    ['preStopDelay', 'a Duration'],
  ];

  test.each(props)("%s given the wrong type is reported with the library's message", (prop, type) => {
    const messages = problemsOf(
      withSystem((s) => {
        s.addService('api', { image, port: 8080, expose: Exposure.loadBalancer(), [prop]: wrong[type] } as any);
      }),
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^\\[shop/api\\] ${prop}: received .*; allowed: ${type} \\(received `)),
      ]),
    );
  });

  test('a missing image and wrong entries are reported together', () => {
    expect(
      problemsOf(
        withSystem((s) => {
          s.addService('api', { port: 8080, args: [1], env: { A: 'x' }, expose: Exposure.loadBalancer() } as any);
        }),
      ),
    ).toEqual([
      '[shop/api] image: received nothing; allowed: a string: an image pinned by a tag or digest. Hint: pass image: "ghcr.io/acme/api:1.0.0"',
      '[shop/api] args[0]: received 1; allowed: a string (received a number). Hint: write it like "text"',
      '[shop/api] env.A: received "x"; allowed: an EnvVar (received a string). Hint: write it like EnvVar.fromValue("x")',
    ]);
  });

  test('Jobs and CronJobs are checked the same way', () => {
    expect(
      problemsOf(
        withSystem((s) => {
          s.addCronJob('report', { image, schedule: 5, backoffLimit: '3' } as any);
        }),
      ).map((m) => m.split(';')[0]),
    ).toEqual(['[shop/report] backoffLimit: received "3"', '[shop/report] schedule: received 5']);
  });
});

describe('a CronJob whose runs may not overlap', () => {
  const warningsOf = (props: Partial<CronJobProps>) =>
    Manifests.synthesize(
      withSystem((s) => {
        s.addCronJob('report', { image, schedule: '30 2 * * *', ...props });
      })(),
    ).warnings;

  test('without a time limit draws a warning: a hung run would block every later one', () => {
    expect(warningsOf({})).toEqual([
      "[shop/report] activeDeadline: received nothing; allowed: a time limit for a CronJob whose runs may not overlap (concurrencyPolicy Forbid, the default). Hint: a run that hangs blocks every later run until someone deletes it; set e.g. activeDeadline: Duration.minutes(30), shorter than the schedule's interval",
    ]);
  });

  test('none with a time limit, or where runs may overlap or replace each other', () => {
    for (const props of [
      { activeDeadline: Duration.minutes(30) },
      { concurrencyPolicy: ConcurrencyPolicy.ALLOW },
      { concurrencyPolicy: ConcurrencyPolicy.REPLACE },
    ]) {
      expect(warningsOf(props)).toEqual([]);
    }
  });
});
