import { App, Duration, Size } from 'cdk8s';
import {
  ConcurrencyPolicy,
  Dependency,
  EnvFrom,
  EnvVar,
  Exposure,
  GatewayReference,
  HealthCheck,
  MicroserviceSystem,
  PodCount,
  PodManagementPolicy,
  Storage,
  TaintEffect,
  Target,
  TolerationOperator,
} from '../../lib';
import { exampleTarget } from '../../apps/targets';

/**
 * The target the rich app is built for: the example's, with the Kubernetes version known on the
 * cloud targets (so Services carry trafficDistribution) and AKS's Ingress class named.
 */
export function richTarget(id: string): Target {
  if (id === 'aks')
    return Target.aks({ ingressClass: 'webapprouting.kubernetes.azure.com', kubernetesVersion: '1.35' });
  if (['eks', 'eks-auto', 'gke', 'gke-autopilot', 'openshift'].includes(id))
    return Target.fromId(id, { kubernetesVersion: '1.35' });
  return exampleTarget(id);
}

/** What every user-written string of the rich app carries, so the coverage check can tell user values from the library's. */
export const USER_MARK = 'zz';

/**
 * An app that sets every prop the library emits somewhere, on `target`: with the example apps it
 * is what the field coverage table walks. User-written strings carry {@link USER_MARK}.
 */
export function richApp(app: App, target: Target): void {
  const system = new MicroserviceSystem(app, 'zzshop', {
    target,
    secrets: ['zzdb', 'zztls'],
    imagePullSecrets: ['zzpull'],
    configMaps: ['zzsettings'],
    labels: { 'zz.example.com/team': 'zzshop' },
  });
  const db = system.addService('zzdb', {
    image: 'ghcr.io/zz/db:1.0.0',
    port: 5432,
    portName: 'zzpg',
    ports: [{ name: 'zzgossip', port: 7946 }],
    healthCheck: HealthCheck.command(['zzcheck', '--zz'], {
      period: Duration.seconds(7),
      initialDelay: Duration.seconds(3),
    }),
    statefulSet: {
      podManagement: PodManagementPolicy.PARALLEL,
      peerPorts: ['zzgossip'],
    },
    replicas: 3,
    volumes: [Storage.persistent('zzdata', { mountPath: '/zzdata', size: Size.gibibytes(20), storageClass: 'zzfast' })],
  });
  const api = system.addService('zzapi', {
    image: 'ghcr.io/zz/api:1.0.0',
    command: ['/zzapp'],
    args: ['--zz'],
    port: 8080,
    ports: [
      { name: 'zzgrpc', port: 9090, appProtocol: 'grpc' },
      { name: 'zzadmin', port: 9000, appProtocol: 'zz.example.com/admin' },
      { name: 'zzstats', port: 8125, protocol: 'UDP' as never },
      { name: 'zztls', port: 8443, appProtocol: 'https' },
    ],
    env: {
      ZZ_MODE: EnvVar.fromValue('zzprod'),
      ZZ_TOKEN: EnvVar.fromSecret('zzdb', 'zztoken'),
      ZZ_LEVEL: EnvVar.fromConfigMap('zzsettings', 'zzlevel'),
    },
    envFrom: [EnvFrom.configMap('zzsettings', 'ZZ_'), EnvFrom.secret('zzdb')],
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
    volumes: [
      Storage.ephemeral('zzcache', { mountPath: '/zzcache', sizeLimit: Size.mebibytes(64), inMemory: true }),
      Storage.config('zzconf', { mountPath: '/zzconf', files: { 'zz.yaml': 'zz: 1' } }),
      Storage.secret('zzcert', { mountPath: '/zzcert', secretName: 'zztls' }),
      Storage.existingClaim('zzshared', { mountPath: '/zzshared', claimName: 'zzclaim', readOnly: true }),
    ],
    healthCheck: HealthCheck.http('/zzhealth', {
      portName: 'zzadmin',
      timeout: Duration.seconds(2),
      failureThreshold: 4,
    }),
    liveness: HealthCheck.http('/zzlive', { portName: 'zztls' }),
    sidecars: [
      {
        name: 'zzproxy',
        image: 'ghcr.io/zz/proxy:1.0.0',
        ports: [{ name: 'zzproxy', port: 9901 }],
        healthCheck: HealthCheck.tcp({ portName: 'zzproxy' }),
        volumeMounts: [{ volume: 'zzcache', mountPath: '/zzc', readOnly: true }],
        security: { readOnlyRootFilesystem: false },
      },
    ],
    initContainers: [{ name: 'zzmigrate', image: 'ghcr.io/zz/migrate:1.0.0', args: ['zzup'] }],
    security: target.fixedUserIds
      ? { runAsUser: 20002, runAsGroup: 20002, fsGroup: 20002, addCapabilities: ['NET_BIND_SERVICE'] }
      : { addCapabilities: ['NET_BIND_SERVICE'] },
    dependsOn: [
      Dependency.on(db, { portName: 'zzpg', envPrefix: 'ZZDB' }),
      Dependency.external('zzpsp', { host: 'zz.psp.example.com', port: 443, cidrs: ['10.20.0.0/16'] }),
    ],
    identity: {
      awsRoleArn: 'arn:aws:iam::111111111111:role/zzapi',
      gcpServiceAccount: 'zzapi@zz.iam.gserviceaccount.com',
      azureClientId: '11111111-2222-3333-4444-555555555555',
    },
    imagePullSecrets: ['zzpull'],
    tolerations: [
      {
        key: 'zz.example.com/pool',
        operator: TolerationOperator.EQUAL,
        value: 'zzspot',
        effect: TaintEffect.NO_SCHEDULE,
      },
    ],
    nodeSelector: { 'zz.example.com/pool': 'zzgeneral' },
    priorityClassName: 'zzhigh',
    userNamespace: true,
    terminationGracePeriod: Duration.seconds(45),
    preStopDelay: Duration.seconds(7),
    labels: { 'zz.example.com/tier': 'zzback' },
    annotations: { 'zz.example.com/owner': 'zzteam' },
    podAnnotations: { 'zz.example.com/scrape': 'zztrue' },
    version: 'zz1',
    component: 'zzapi',
    autoscaling: {
      minReplicas: 2,
      maxReplicas: 7,
      cpuUtilization: 75,
      memoryUtilization: 85,
      scaleDownStabilization: Duration.seconds(301),
      scaleUpStabilization: Duration.seconds(11),
    },
    rollout: {
      maxSurge: PodCount.percent(33),
      maxUnavailable: PodCount.absolute(1),
      minReady: Duration.seconds(9),
      progressDeadline: Duration.seconds(599),
    },
    disruptionBudget: { minAvailable: 1 },
    expose: target.gatewayClass(false)
      ? Exposure.route({ host: 'zz.example.com', path: '/zzapi', tlsSecret: 'zztls' })
      : Exposure.route({
          host: 'zz.example.com',
          path: '/zzapi',
          gateway: GatewayReference.shared({ name: 'zzedge', namespace: 'zzgw', sectionName: 'zzhttps' }),
        }),
    alsoExpose: [
      // GKE's Gateway controller serves no GRPCRoute: a load balancer carries gRPC there.
      target.grpcRouteRefusal
        ? Exposure.loadBalancer({ portName: 'zzgrpc' })
        : Exposure.route({
            host: 'zzrpc.example.com',
            portName: 'zzgrpc',
            path: '/zz.v1.Catalog',
            gateway: GatewayReference.shared({ name: 'zzedge', namespace: 'zzgw', sectionName: 'zzgrpc' }),
          }),
      ...(target.ingressController || target.ingressHealthCheckAnnotations || target.id.startsWith('gke')
        ? [Exposure.ingress({ host: 'zzadmin.example.com', path: '/zzadmin', portName: 'zzadmin', tlsSecret: 'zztls' })]
        : []),
      ...(target.loadBalancerSupport !== 'unsupported'
        ? [Exposure.loadBalancer({ portName: 'zzstats', internal: target.internalLoadBalancers ? true : undefined })]
        : []),
    ],
  });
  api.allowFromNamespace('zzmonitoring', { portName: 'zzadmin', podLabels: { 'zz.example.com/app': 'zzprom' } });
  system.addJob('zzbackfill', {
    image: 'ghcr.io/zz/backfill:1.0.0',
    backoffLimit: 5,
    activeDeadline: Duration.minutes(17),
    ttlAfterFinished: Duration.minutes(13),
    dependsOn: [db],
  });
  system.addCronJob('zzreport', {
    image: 'ghcr.io/zz/report:1.0.0',
    schedule: '17 3 * * *',
    timeZone: 'Europe/Berlin',
    concurrencyPolicy: ConcurrencyPolicy.REPLACE,
    successfulJobsHistory: 4,
    failedJobsHistory: 2,
    startingDeadline: Duration.minutes(11),
    activeDeadline: Duration.minutes(19),
    suspend: true,
    dependsOn: [db],
  });
}
