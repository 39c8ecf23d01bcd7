import { createHash } from 'crypto';
import { Duration, Lazy } from 'cdk8s';
import { k8s } from './k8s';
import { Construct } from 'constructs';
import { parseImage, parseQuantity } from './checks';
import { DEFAULT_RESOURCES, DEFAULT_USER_ID, PROBE_DEFAULTS, TMP_VOLUME } from './defaults';
import { Dependency, DependencyKind, IDependency } from './dependency';
import { restrictedViolations, validateProps } from './microservice-checks';
import { EnvSource, EnvValue } from './env';
import { addWarning, formatProblem, Problem, throwIfProblems } from './errors';
import { Exposure, ExposureKind } from './exposure';
import { LABEL, MANAGED_BY, selectorLabels, versionLabelValue } from './labels';
import { NetworkPeer, portRule } from './network';
import { Probe, ProbeKind, ProbeTiming } from './probe';
import { AccessMode, Storage, StorageKind } from './storage';
import { PodSecurityLevel } from './pod-security';
import type { MicroserviceSystem } from './system';
import { IdentityMechanism, LoadBalancerSupport } from './targets/profile';
import { Target } from './targets/target';

/** Transport protocol of a port. */
export enum Protocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
}

/** A named port the container listens on; the Service exposes it under the same number. */
export interface ServicePort {
  /** IANA service name, at most 15 characters (`http`, `grpc`, `metrics`). */
  readonly name: string;
  /** Port number. */
  readonly port: number;
  /** Protocol. @default Protocol.TCP */
  readonly protocol?: Protocol;
}

/** Request and limit of one resource, as Kubernetes quantities ("250m", "512Mi"). */
export interface ResourceQuantities {
  /** What the scheduler reserves. */
  readonly request?: string;
  /** The most the container may use. */
  readonly limit?: string;
}

/** Compute resources of the container. Unset values take the small defaults below. */
export interface Resources {
  /** CPU. @default { request: '100m', limit: '500m' } (an unset limit is raised to a larger request) */
  readonly cpu?: ResourceQuantities;
  /** Memory. @default { request: '128Mi', limit: '256Mi' } (an unset limit is raised to a larger request) */
  readonly memory?: ResourceQuantities;
  /** Ephemeral storage (logs, emptyDirs, writable layers). @default { request: '64Mi', limit: '512Mi' } (an unset limit is raised to a larger request) */
  readonly ephemeralStorage?: ResourceQuantities;
}

/** Horizontal pod autoscaling. The HPA owns the replica count: `replicas` must not be set with it. */
export interface AutoscalingOptions {
  /** Fewest replicas. */
  readonly minReplicas: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of the request. @default 70, when memoryUtilization is unset */
  readonly cpuUtilization?: number;
  /** Target average memory utilization, percent of the request. @default - not a scaling metric */
  readonly memoryUtilization?: number;
  /** How long load must stay low before scaling down. @default Duration.minutes(5) */
  readonly scaleDownStabilization?: Duration;
  /** How long load must stay high before scaling up. @default Duration.seconds(0) */
  readonly scaleUpStabilization?: Duration;
}

/** Rolling update settings of the Deployment. */
export interface RolloutOptions {
  /** Extra pods allowed during a rollout. @default "25%" */
  readonly maxSurge?: number;
  /** Pods allowed to be unavailable during a rollout. @default 0 */
  readonly maxUnavailable?: number;
  /** How long a new pod must be ready before it counts as available. @default Duration.seconds(0) */
  readonly minReady?: Duration;
  /** How long a rollout may make no progress before it is marked failed. @default Duration.minutes(10) */
  readonly progressDeadline?: Duration;
}

/** PodDisruptionBudget settings. */
export interface DisruptionBudgetOptions {
  /** Emit a PodDisruptionBudget. @default true */
  readonly enabled?: boolean;
  /** Pods that may be evicted at once. @default 1 (derived: every replica but one stays during node drains) */
  readonly maxUnavailable?: number;
  /** Pods that must stay available (instead of maxUnavailable). @default - use maxUnavailable */
  readonly minAvailable?: number;
}

/**
 * Relaxations of the restricted security defaults, per service. Anything that breaks the
 * system's Pod Security level is rejected at synth.
 */
export interface SecurityOptions {
  /** Mount the root filesystem read-only (a writable emptyDir is mounted at /tmp). @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** User id. @default 10001 (omitted on targets that assign ids, such as OpenShift) */
  readonly runAsUser?: number;
  /** Group id. @default 10001 (omitted on targets that assign ids) */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default 10001 (omitted on targets that assign ids) */
  readonly fsGroup?: number;
  /** Capabilities to add after dropping ALL; restricted allows only NET_BIND_SERVICE. @default - none */
  readonly addCapabilities?: string[];
  /** Allow privilege escalation (setuid binaries); not allowed under restricted. @default false */
  readonly allowPrivilegeEscalation?: boolean;
}

/** Cloud identities of the service; the target uses the one for its cloud and ignores the rest. */
export interface WorkloadIdentity {
  /** IAM role ARN for IRSA on EKS. @default - none */
  readonly awsRoleArn?: string;
  /** Google service account e-mail for GKE Workload Identity. @default - none */
  readonly gcpServiceAccount?: string;
  /** Client id of the Azure managed identity for AKS Workload Identity. @default - none */
  readonly azureClientId?: string;
}

/** Props of a microservice. */
export interface MicroserviceProps {
  /** Name of the service: names its objects and its DNS name. @default - the construct id */
  readonly name?: string;
  /** Container image pinned by tag or digest; `latest` and untagged images are rejected. */
  readonly image: string;
  /** Main port, named `portName`. @default - no main port (a worker) */
  readonly port?: number;
  /** Name of the main port. @default "http" */
  readonly portName?: string;
  /** More named ports. @default - none */
  readonly ports?: ServicePort[];
  /** Command (entrypoint) override. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** Fixed replica count; must not be set with autoscaling. @default 2, or 1 with a ReadWriteOnce volume (replaced with maxSurge 0, maxUnavailable 1) */
  readonly replicas?: number;
  /** Requests and limits. @default - see `Resources` */
  readonly resources?: Resources;
  /** Environment variables. @default - none besides dependency wiring */
  readonly env?: { [name: string]: EnvValue };
  /** Probe used for startup, liveness and readiness unless overridden. @default Probe.tcp() on the main port */
  readonly healthCheck?: Probe;
  /** Liveness probe. @default - a TCP connect to the health check's port when `healthCheck` is HTTP or a command; none when it is TCP (it would repeat readiness) */
  readonly liveness?: Probe;
  /** Readiness probe. @default - `healthCheck` with readiness timing */
  readonly readiness?: Probe;
  /** Startup probe. @default - `healthCheck` with startup timing */
  readonly startup?: Probe;
  /** Horizontal pod autoscaling. @default - fixed replicas */
  readonly autoscaling?: AutoscalingOptions;
  /** Rolling update settings. @default - see `RolloutOptions` */
  readonly rollout?: RolloutOptions;
  /** PodDisruptionBudget. @default - maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudgetOptions;
  /** Spread pods across nodes (and zones where the target has them). @default true */
  readonly spread?: boolean;
  /** Volumes. @default - only the /tmp scratch volume */
  readonly volumes?: Storage[];
  /** Relaxations of the security defaults. @default - restricted */
  readonly security?: SecurityOptions;
  /** How the service is reached from outside. @default Exposure.cluster() */
  readonly expose?: Exposure;
  /** What this service calls. Each wires env vars and a network edge. @default - none */
  readonly dependsOn?: IDependency[];
  /** Cloud identity. @default - none */
  readonly identity?: WorkloadIdentity;
  /** `app.kubernetes.io/version`. @default - the image tag (or digest) */
  readonly version?: string;
  /** `app.kubernetes.io/component`, e.g. "frontend", "database". @default "service" */
  readonly component?: string;
}

/** A dependency edge with its provider resolved, as used by network policies and the diagram. */
export interface ResolvedEdge {
  /** The dependency as declared. */
  readonly dependency: Dependency;
  /** The provider, when it is a microservice of this app. */
  readonly provider?: Microservice;
  /** The provider's port used. */
  readonly port?: ServicePort;
}

/**
 * One microservice: a Deployment (which manages its ReplicaSets) with a ServiceAccount, a
 * Service, its volumes, and where configured an HPA, a PodDisruptionBudget, an Ingress and a
 * NetworkPolicy derived from its dependencies. Every inner object is a public readonly field.
 */
export class Microservice extends Construct implements IDependency {
  /** Name of the service (object names, DNS name). */
  public readonly serviceName: string;
  /** The system that owns it. */
  public readonly system: MicroserviceSystem;
  /** Labels that select its pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** Its named ports, main port first. */
  public readonly ports: ServicePort[];
  /** Cluster DNS name, e.g. `catalog.shop.svc.cluster.local`. */
  public readonly dnsName: string;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ServiceAccount the pods run as (token automount off). */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The Service; undefined for a worker without ports. */
  public readonly service?: k8s.KubeService;
  /** PersistentVolumeClaims by volume name. */
  public readonly persistentVolumeClaims: { [volume: string]: k8s.KubePersistentVolumeClaim };
  /** ConfigMaps of config volumes, by volume name. */
  public readonly configMaps: { [volume: string]: k8s.KubeConfigMap };
  /** The HorizontalPodAutoscaler, with autoscaling. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The Ingress, with ingress exposure. */
  public readonly ingress?: k8s.KubeIngress;
  /** The NetworkPolicy allowing exactly this service's declared edges. */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** How the service is exposed. */
  public readonly exposure: Exposure;
  /** The volumes. */
  public readonly volumes: Storage[];
  /** `app.kubernetes.io/component`. */
  public readonly component: string;
  /** Fixed replica count; undefined when an HPA owns it. */
  public readonly replicas?: number;
  /** Autoscaling settings, if any. */
  public readonly autoscaling?: AutoscalingOptions;

  private readonly target: Target;
  private readonly resolvedEdges: ResolvedEdge[] = [];
  private readonly consumers: Microservice[] = [];
  private readonly env: k8s.EnvVar[] = [];
  private readonly ingressRules: k8s.NetworkPolicyIngressRule[] = [];
  private readonly egressRules: k8s.NetworkPolicyEgressRule[] = [];
  private readonly userEnvNames: Set<string>;

  constructor(scope: MicroserviceSystem, id: string, props: MicroserviceProps) {
    super(scope, id);
    this.system = scope;
    this.target = scope.target;
    this.serviceName = props.name ?? id;
    this.exposure = props.expose ?? Exposure.cluster();
    this.volumes = props.volumes ?? [];
    this.component = props.component ?? 'service';
    const portName = props.portName ?? 'http';
    this.ports = [
      ...(props.port === undefined ? [] : [{ name: portName, port: props.port }]),
      ...(props.ports ?? []),
    ];
    this.userEnvNames = new Set(Object.keys(props.env ?? {}));
    throwIfProblems(this, validateProps(this.serviceName, props, this.ports, this.exposure));

    const resolvedPorts = this.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? Protocol.TCP }));
    const hasRwoVolume = this.volumes.some((v) => v.kind === StorageKind.PERSISTENT && v.accessMode !== AccessMode.READ_WRITE_MANY);
    this.autoscaling = props.autoscaling;
    this.replicas = props.autoscaling ? undefined : props.replicas ?? (hasRwoVolume ? 1 : 2);
    const image = parseImage(props.image);
    const version = props.version ?? versionLabelValue(image.tag ?? image.digest ?? '');

    this.selectorLabels = selectorLabels(scope.systemName, this.serviceName);
    const labels = {
      ...this.selectorLabels,
      [LABEL.VERSION]: version,
      [LABEL.COMPONENT]: this.component,
      [LABEL.PART_OF]: scope.systemName,
      [LABEL.MANAGED_BY]: MANAGED_BY,
    };
    const metadata = (name: string, annotations?: { [key: string]: string }): k8s.ObjectMeta =>
      ({ name, labels, ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}) });
    this.dnsName = `${this.serviceName}.${scope.namespace}.svc.${this.target.clusterDomain}`;

    const identityAnnotations = this.identityAnnotations(props.identity);
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(this.serviceName, identityAnnotations),
      automountServiceAccountToken: false,
    });

    // Volumes: PVCs and ConfigMaps first, so the pod spec can reference them.
    this.persistentVolumeClaims = {};
    this.configMaps = {};
    const podVolumes: k8s.Volume[] = [{ name: TMP_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }];
    const mounts: k8s.VolumeMount[] = [{ name: TMP_VOLUME, mountPath: '/tmp' }];
    const configHash = createHash('sha256');
    for (const volume of this.volumes) {
      const objectName = `${this.serviceName}-${volume.name}`;
      mounts.push({ name: volume.name, mountPath: volume.mountPath, ...(volume.kind === StorageKind.CONFIG ? { readOnly: true } : {}) });
      if (volume.kind === StorageKind.PERSISTENT) {
        this.persistentVolumeClaims[volume.name] = new k8s.KubePersistentVolumeClaim(this, `Volume-${volume.name}`, {
          metadata: metadata(objectName),
          spec: {
            accessModes: [volume.accessMode!],
            storageClassName: volume.storageClass ?? this.storageClassFor(volume.accessMode!),
            resources: { requests: { storage: k8s.Quantity.fromString(volume.size!.asString()) } },
          },
        });
        podVolumes.push({ name: volume.name, persistentVolumeClaim: { claimName: objectName } });
      } else if (volume.kind === StorageKind.EPHEMERAL) {
        podVolumes.push({
          name: volume.name,
          emptyDir: { sizeLimit: k8s.Quantity.fromString(volume.size!.asString()), ...(volume.inMemory ? { medium: 'Memory' } : {}) },
        });
      } else {
        const data = sortedRecord(volume.files!);
        configHash.update(JSON.stringify([volume.name, data]));
        this.configMaps[volume.name] = new k8s.KubeConfigMap(this, `Config-${volume.name}`, { metadata: metadata(objectName), data });
        podVolumes.push({ name: volume.name, configMap: { name: objectName } });
      }
    }

    for (const [name, value] of Object.entries(props.env ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      this.env.push(envVar(name, value));
    }

    const mainPort = resolvedPorts[0];
    const healthCheck = props.healthCheck ?? (mainPort ? Probe.tcp() : undefined);
    // Liveness asks only "is the process alive?": a TCP connect, never the readiness check, so a
    // failing dependency takes pods out of rotation without restarting them all. With a TCP
    // health check the two would be identical, so liveness is left to the user.
    const liveness = props.liveness ?? (healthCheck && healthCheck.kind !== ProbeKind.TCP && mainPort
      ? Probe.tcp({ port: healthCheck.port })
      : undefined);
    const probe = (role: keyof typeof PROBE_DEFAULTS, p: Probe | undefined) => p && renderProbe(p, PROBE_DEFAULTS[role], mainPort?.name);
    const security = props.security ?? {};
    const fixedIds = this.target.fixedUserIds;
    const runAsUser = security.runAsUser ?? DEFAULT_USER_ID;
    const runAsGroup = security.runAsGroup ?? DEFAULT_USER_ID;
    const podAnnotations: { [key: string]: string } = {};
    if (Object.keys(this.configMaps).length > 0) {
      podAnnotations['cdk8s-msa.io/config-checksum'] = configHash.digest('hex');
    }
    const podLabels = this.target.identity === IdentityMechanism.AZURE_WORKLOAD_IDENTITY && props.identity?.azureClientId
      ? { ...labels, 'azure.workload.identity/use': 'true' } : labels;

    const container: k8s.Container = {
      name: this.serviceName,
      image: props.image,
      imagePullPolicy: this.target.props.local ? 'IfNotPresent' : 'Always',
      ...(props.command ? { command: props.command } : {}),
      ...(props.args ? { args: props.args } : {}),
      ...(resolvedPorts.length > 0 ? { ports: resolvedPorts.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) } : {}),
      env: this.env,
      resources: this.renderResources(props.resources ?? {}),
      startupProbe: probe('startup', props.startup ?? healthCheck),
      livenessProbe: probe('liveness', liveness),
      readinessProbe: probe('readiness', props.readiness ?? healthCheck),
      securityContext: {
        allowPrivilegeEscalation: security.allowPrivilegeEscalation ?? false,
        privileged: false,
        readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? true,
        runAsNonRoot: true,
        ...(fixedIds ? { runAsUser, runAsGroup } : {}),
        capabilities: { drop: ['ALL'], ...(security.addCapabilities ? { add: security.addCapabilities } : {}) },
      },
      volumeMounts: mounts,
    };

    const strategy: k8s.DeploymentStrategy = hasRwoVolume
      // A ReadWriteOnce volume cannot attach to a second pod on another node: stop the old pod
      // before starting the new one (Recreate semantics for a single replica).
      ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromNumber(1) } }
      : {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxSurge: props.rollout?.maxSurge === undefined ? k8s.IntOrString.fromString('25%') : k8s.IntOrString.fromNumber(props.rollout.maxSurge),
          maxUnavailable: k8s.IntOrString.fromNumber(props.rollout?.maxUnavailable ?? 0),
        },
      };
    const minReadySeconds = props.rollout?.minReady?.toSeconds() ?? 0;

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: metadata(this.serviceName),
      spec: {
        // An HPA owns the replica count: leaving it out keeps re-applies from resetting it.
        replicas: this.replicas,
        selector: { matchLabels: this.selectorLabels },
        strategy,
        ...(minReadySeconds > 0 ? { minReadySeconds } : {}),
        progressDeadlineSeconds: props.rollout?.progressDeadline?.toSeconds() ?? 600,
        revisionHistoryLimit: 5,
        template: {
          metadata: { labels: podLabels, ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}) },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              ...(fixedIds ? { runAsUser, runAsGroup, fsGroup: security.fsGroup ?? DEFAULT_USER_ID } : {}),
              seccompProfile: { type: 'RuntimeDefault' },
            },
            nodeSelector: {
              'kubernetes.io/os': 'linux',
              ...(this.target.props.architecture ? { 'kubernetes.io/arch': this.target.props.architecture } : {}),
            },
            topologySpreadConstraints: props.spread === false ? undefined : this.spreadConstraints(),
            affinity: props.spread === false || this.replicas === 1 ? undefined : this.antiAffinity(),
            containers: [container],
            volumes: podVolumes,
          },
        },
      },
    });

    if (resolvedPorts.length > 0) {
      this.service = new k8s.KubeService(this, 'Service', {
        metadata: metadata(this.serviceName, this.serviceAnnotations()),
        spec: {
          ...this.serviceTypeSpec(),
          selector: this.selectorLabels,
          ports: resolvedPorts.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol })),
        },
      });
    }

    if (props.autoscaling) {
      const a = props.autoscaling;
      const metric = (name: string, utilization: number): k8s.MetricSpecV2 =>
        ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: utilization } } });
      const metrics: k8s.MetricSpecV2[] = [];
      if (a.cpuUtilization !== undefined || a.memoryUtilization === undefined) metrics.push(metric('cpu', a.cpuUtilization ?? 70));
      if (a.memoryUtilization !== undefined) metrics.push(metric('memory', a.memoryUtilization));
      this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: metadata(this.serviceName),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.serviceName },
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          metrics,
          behavior: {
            scaleDown: { stabilizationWindowSeconds: a.scaleDownStabilization?.toSeconds() ?? 300 },
            scaleUp: { stabilizationWindowSeconds: a.scaleUpStabilization?.toSeconds() ?? 0 },
          },
        },
      });
    }

    const budget = props.disruptionBudget ?? {};
    if (budget.enabled !== false) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: metadata(this.serviceName),
        spec: {
          selector: { matchLabels: this.selectorLabels },
          ...(budget.minAvailable !== undefined
            ? { minAvailable: k8s.IntOrString.fromNumber(budget.minAvailable) }
            : { maxUnavailable: k8s.IntOrString.fromNumber(budget.maxUnavailable ?? 1) }),
        },
      });
    }

    if (this.exposure.kind === ExposureKind.INGRESS && mainPort) {
      this.ingress = this.createIngress(metadata, this.exposedPort());
    }

    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(this.serviceName),
      spec: {
        podSelector: { matchLabels: this.selectorLabels },
        policyTypes: ['Ingress', 'Egress'],
        // Rules are added as dependencies are declared. An empty list is left out: the API server
        // drops it, and re-applying `[]` would bump the object's generation every time.
        ingress: nonEmpty(this.ingressRules),
        egress: nonEmpty(this.egressRules),
      },
    });
    this.allowExposedTraffic();

    for (const dependency of props.dependsOn ?? []) {
      this.addDependency(dependency);
    }

    this.node.addValidation({ validate: () => this.validateAgainstTarget(props) });
  }

  /** Declares that this service calls `dependency`: wires env vars and allows the network edge. */
  public addDependency(dependency: IDependency): void {
    const dep = dependency.toDependency();
    if (dep.kind === DependencyKind.EXTERNAL) {
      this.resolvedEdges.push({ dependency: dep });
      this.addEnv(dep.envPrefix ?? envPrefixOf(dep.name), dep.host!, dep.portNumber!, dep.scheme!);
      this.egressRules.push({ ports: [portRule(dep.portNumber!, Protocol.TCP)] });
      return;
    }
    const provider = dep.provider ?? this.system.findService(dep.namespace!, dep.name);
    const port = provider && findPort(provider, dep.port);
    // Resolved once, here: env vars and policies are wired now, so a provider defined later
    // could not be wired, and validation reports it instead.
    this.resolvedEdges.push({ dependency: dep, provider, port });
    if (!provider || !port) return; // reported by validation, naming both ends
    const protocol = port.protocol ?? Protocol.TCP;
    const mainPortName = provider.ports[0]?.name;
    const prefix = dep.envPrefix ?? envPrefixOf(port.name === mainPortName ? provider.serviceName : `${provider.serviceName}_${port.name}`);
    const scheme = port.name.startsWith('http') || port.name === 'web' ? 'http' : port.name;
    this.addEnv(prefix, provider.dnsName, port.port, scheme);
    this.egressRules.push({ to: [provider.peer(this.system.namespace)], ports: [portRule(port.port, protocol)] });
    provider.consumers.push(this);
    provider.ingressRules.push({ from: [this.peer(provider.system.namespace)], ports: [portRule(port.port, protocol)] });
  }

  /** Returns a dependency on this service's main port. */
  public toDependency(): Dependency {
    return Dependency.on(this);
  }

  /** The dependencies declared so far, with the providers and ports they were wired to. */
  public get edges(): ResolvedEdge[] {
    return [...this.resolvedEdges];
  }

  /** Whether any service depends on this one. */
  public get hasConsumers(): boolean {
    return this.consumers.length > 0;
  }

  /** A NetworkPolicy peer selecting this service's pods, seen from `fromNamespace`. */
  public peer(fromNamespace: string): NetworkPeer {
    return {
      podSelector: { matchLabels: this.selectorLabels },
      ...(fromNamespace === this.system.namespace ? {} : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.system.namespace } } }),
    };
  }

  private addEnv(prefix: string, host: string, port: number, scheme: string): void {
    this.env.push(
      { name: `${prefix}_HOST`, value: host },
      { name: `${prefix}_PORT`, value: String(port) },
      { name: `${prefix}_URL`, value: `${scheme}://${host}:${port}` },
    );
  }

  private exposedPort(): ServicePort {
    return findPort(this, this.exposure.port) ?? this.ports[0];
  }

  private isInternal(): boolean {
    return this.exposure.internal ?? this.target.props.internalByDefault ?? false;
  }

  private storageClassFor(accessMode: AccessMode): string | undefined {
    const storage = this.target.props.storage;
    return accessMode === AccessMode.READ_WRITE_MANY ? storage.readWriteManyClass : storage.storageClass;
  }

  private identityAnnotations(identity: WorkloadIdentity | undefined): { [key: string]: string } {
    switch (this.target.identity) {
      case IdentityMechanism.AWS_IRSA:
        return identity?.awsRoleArn ? { 'eks.amazonaws.com/role-arn': identity.awsRoleArn } : {};
      case IdentityMechanism.GCP_WORKLOAD_IDENTITY:
        return identity?.gcpServiceAccount ? { 'iam.gke.io/gcp-service-account': identity.gcpServiceAccount } : {};
      case IdentityMechanism.AZURE_WORKLOAD_IDENTITY:
        return identity?.azureClientId ? { 'azure.workload.identity/client-id': identity.azureClientId } : {};
      default:
        return {};
    }
  }

  private renderResources(resources: Resources): k8s.ResourceRequirements {
    const rules = this.target.props.resourceRules;
    const requests: { [key: string]: k8s.Quantity } = {};
    const limits: { [key: string]: k8s.Quantity } = {};
    for (const [key, name] of [['cpu', 'cpu'], ['memory', 'memory'], ['ephemeralStorage', 'ephemeral-storage']] as const) {
      const given = resources[key] ?? {};
      const request = given.request ?? DEFAULT_RESOURCES[key].request;
      const limit = rules?.limitsEqualRequests ? request : given.limit ?? defaultLimit(key, request);
      requests[name] = k8s.Quantity.fromString(request);
      limits[name] = k8s.Quantity.fromString(limit);
    }
    return { requests, limits };
  }

  private spreadConstraints(): k8s.TopologySpreadConstraint[] {
    const constraint = (topologyKey: string): k8s.TopologySpreadConstraint => ({
      maxSkew: 1,
      topologyKey,
      // ScheduleAnyway: a single-node local cluster or a zone outage must not leave pods Pending.
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: this.selectorLabels },
      matchLabelKeys: ['pod-template-hash'],
    });
    return [
      constraint('kubernetes.io/hostname'),
      ...(this.target.props.zones ? [constraint('topology.kubernetes.io/zone')] : []),
    ];
  }

  /** Prefer nodes without another pod of this service (linters look for it next to topology spread). */
  private antiAffinity(): k8s.Affinity {
    return {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: this.selectorLabels }, topologyKey: 'kubernetes.io/hostname' },
        }],
      },
    };
  }

  private serviceTypeSpec(): Pick<k8s.ServiceSpec, 'type' | 'loadBalancerClass'> {
    if (this.exposure.kind !== ExposureKind.LOAD_BALANCER) return { type: 'ClusterIP' };
    const lb = this.target.props.loadBalancer;
    if (lb.support !== LoadBalancerSupport.AVAILABLE) return { type: 'NodePort' };
    return { type: 'LoadBalancer', ...(lb.loadBalancerClass ? { loadBalancerClass: lb.loadBalancerClass } : {}) };
  }

  private serviceAnnotations(): { [key: string]: string } {
    if (this.exposure.kind === ExposureKind.INGRESS) return { ...this.target.props.ingress.backendServiceAnnotations };
    if (this.exposure.kind !== ExposureKind.LOAD_BALANCER) return {};
    const lb = this.target.props.loadBalancer;
    if (lb.support !== LoadBalancerSupport.AVAILABLE) return {};
    return { ...(this.isInternal() ? lb.internalAnnotations : lb.publicAnnotations) };
  }

  private createIngress(metadata: (name: string, annotations?: { [key: string]: string }) => k8s.ObjectMeta, port: ServicePort): k8s.KubeIngress {
    const profile = this.target.props.ingress;
    const internal = this.isInternal();
    const classAnnotation = internal ? profile.internalClassAnnotation ?? profile.classAnnotation : profile.classAnnotation;
    const annotations = {
      ...(classAnnotation ? { 'kubernetes.io/ingress.class': classAnnotation } : {}),
      ...(internal ? profile.internalAnnotations ?? profile.publicAnnotations : profile.publicAnnotations),
    };
    const exposure = this.exposure;
    return new k8s.KubeIngress(this, 'Ingress', {
      metadata: metadata(this.serviceName, annotations),
      spec: {
        ...(profile.className ? { ingressClassName: profile.className } : {}),
        ...(exposure.tlsSecret && exposure.host ? { tls: [{ hosts: [exposure.host], secretName: exposure.tlsSecret }] } : {}),
        rules: [{
          ...(exposure.host ? { host: exposure.host } : {}),
          http: {
            paths: [{
              path: exposure.path ?? '/',
              pathType: 'Prefix',
              backend: { service: { name: this.serviceName, port: { name: port.name } } },
            }],
          },
        }],
      },
    });
  }

  /** Admits traffic to an exposed port from the ingress controller, or from anywhere for load balancers. */
  private allowExposedTraffic(): void {
    if (this.exposure.kind === ExposureKind.CLUSTER || this.ports.length === 0) return;
    const port = this.exposedPort();
    const controllerNamespace = this.target.props.ingress.controllerNamespace;
    const fromController = this.exposure.kind === ExposureKind.INGRESS && controllerNamespace;
    this.ingressRules.push({
      ...(fromController ? { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': controllerNamespace } } }] } : {}),
      ports: [portRule(port.port, port.protocol ?? Protocol.TCP)],
    });
  }

  private validateAgainstTarget(props: MicroserviceProps): string[] {
    const target = this.target;
    const found: Problem[] = [];
    const id = target.id;
    // Dependencies: both ends must exist.
    this.edges.forEach((edge, i) => {
      const dep = edge.dependency;
      if (dep.kind === DependencyKind.EXTERNAL) return;
      const prop = `dependsOn[${i}]`;
      if (dep.kind === DependencyKind.NAMESPACED && !this.system.findSystem(dep.namespace!)) {
        found.push({ prop, received: `${dep.namespace}/${dep.name}`, allowed: `a namespace owned by a MicroserviceSystem of this app (${this.system.knownNamespaces().join(', ')})`, hint: 'define that system in this app, or use Dependency.external() for a service managed elsewhere' });
      } else if (!edge.provider && this.system.findService(dep.namespace!, dep.name)) {
        found.push({ prop, received: `${dep.namespace}/${dep.name}`, allowed: 'a service defined before a dependency on it is declared', hint: `create the service "${dep.name}" of namespace "${dep.namespace}" first, or call addDependency() on "${this.serviceName}" after it exists` });
      } else if (!edge.provider) {
        found.push({ prop, received: `${dep.namespace}/${dep.name}`, allowed: `a service of namespace "${dep.namespace}": ${this.system.findSystem(dep.namespace!)!.serviceNames().join(', ') || 'none'}`, hint: `"${this.serviceName}" depends on a service that does not exist: check the name or add the service` });
      } else if (!edge.port) {
        found.push({ prop: `${prop}.port`, received: dep.port, allowed: `a port declared by "${edge.provider.serviceName}": ${edge.provider.ports.map((p) => p.name).join(', ') || 'none'}`, hint: `"${this.serviceName}" calls "${edge.provider.serviceName}" on a port it does not declare: add it to the provider's ports or fix the name` });
      }
    });
    // Env names: dependency wiring must not collide with user env or with each other.
    const seen = new Set<string>();
    for (const variable of this.env) {
      if (seen.has(variable.name)) {
        found.push({ prop: 'env', received: variable.name, allowed: 'unique env var names', hint: this.userEnvNames.has(variable.name) ? 'a dependency injects this name: rename your variable or set the dependency\'s envPrefix' : 'two dependencies inject the same name: set envPrefix on one of them' });
      }
      seen.add(variable.name);
    }
    for (const [name, value] of Object.entries(props.env ?? {})) {
      if (value.source === EnvSource.SECRET && !this.system.secrets.includes(value.objectName!)) {
        found.push({ prop: `env.${name}`, received: `secret ${value.objectName}`, allowed: `a Secret listed in the system's secrets (${this.system.secrets.join(', ') || 'none'})`, hint: `add "${value.objectName}" to MicroserviceSystem secrets and provision it (External Secrets, Sealed Secrets or kubectl create secret)` });
      }
    }
    // Storage on this target.
    this.volumes.forEach((volume, i) => {
      if (volume.kind !== StorageKind.PERSISTENT) return;
      const storage = target.props.storage;
      const rwx = volume.accessMode === AccessMode.READ_WRITE_MANY;
      if (rwx && !volume.storageClass && !storage.readWriteManyClass) {
        found.push({ prop: `volumes[${i}].accessMode`, received: volume.accessMode, allowed: `ReadWriteOnce or ReadWriteOncePod on target "${id}" (it has no ReadWriteMany storage)`, hint: 'use ReadWriteOnce with one replica, or pass storageClass / a Target option readWriteManyClass naming a RWX class' });
      }
      const minimum = rwx ? storage.readWriteManyMinimumSize ?? storage.minimumSize : storage.minimumSize;
      if (minimum && volume.size!.toMebibytes() < minimum.toMebibytes()) {
        found.push({ prop: `volumes[${i}].size`, received: volume.size, allowed: `at least ${minimum.asString()} on target "${id}"`, hint: `the storage backend of ${id} provisions no smaller volume: ask for Size.gibibytes(${minimum.toGibibytes({ rounding: 1 })})` });
      }
    });
    // Exposure on this target.
    if (this.exposure.kind === ExposureKind.LOAD_BALANCER) {
      const support = target.props.loadBalancer.support;
      if (support === LoadBalancerSupport.UNSUPPORTED) {
        found.push({ prop: 'expose', received: 'loadBalancer', allowed: `Exposure.cluster() or Exposure.ingress() on target "${id}" (it has no load balancer)`, hint: 'use an Ingress, or install a load balancer implementation and describe it in a custom target' });
      } else if (support === LoadBalancerSupport.NODE_PORT_FALLBACK) {
        addWarning(this, { prop: 'expose', received: 'loadBalancer', allowed: `a LoadBalancer stays pending on target "${id}"`, hint: 'emitted as NodePort instead; use Exposure.ingress(), or a tunnel/MetalLB for a real LoadBalancer' });
      }
      if (this.isInternal() && support === LoadBalancerSupport.AVAILABLE && !target.props.loadBalancer.internalAnnotations) {
        found.push({ prop: 'expose.internal', received: true, allowed: `public load balancers only on target "${id}"`, hint: 'drop internal, or use a target with internal load balancers' });
      }
    }
    if (this.exposure.kind === ExposureKind.INGRESS && target.props.ingress.hostRequired && !this.exposure.host) {
      found.push({ prop: 'expose.host', received: undefined, allowed: `a host name on target "${id}" (its router needs one)`, hint: 'pass Exposure.ingress({ host: "shop.apps.example.com" })' });
    }
    // Security ids on targets that assign them.
    if (!target.fixedUserIds) {
      for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
        if (props.security?.[key] !== undefined) {
          found.push({ prop: `security.${key}`, received: props.security[key], allowed: `no fixed id on target "${id}" (it assigns ids from the namespace range)`, hint: `remove security.${key}; the image must run as any uid in group 0` });
        }
      }
    }
    // Identity the target would use but the service lacks.
    if (props.identity) {
      const wanted = { [IdentityMechanism.AWS_IRSA]: props.identity.awsRoleArn, [IdentityMechanism.GCP_WORKLOAD_IDENTITY]: props.identity.gcpServiceAccount, [IdentityMechanism.AZURE_WORKLOAD_IDENTITY]: props.identity.azureClientId };
      if (target.identity !== IdentityMechanism.NONE && !wanted[target.identity]) {
        addWarning(this, { prop: 'identity', received: props.identity, allowed: `an identity for ${target.identity} on target "${id}"`, hint: 'the service runs without a cloud identity here; add the matching field' });
      }
    }
    found.push(...this.validateResourceRules(props.resources ?? {}));
    if (this.system.podSecurity === PodSecurityLevel.RESTRICTED) found.push(...restrictedViolations(props.security ?? {}));
    return found.map(formatProblem);
  }

  private validateResourceRules(resources: Resources): Problem[] {
    const rules = this.target.props.resourceRules;
    if (!rules) return [];
    const found: Problem[] = [];
    const id = this.target.id;
    const cpuRequest = resources.cpu?.request ?? DEFAULT_RESOURCES.cpu.request;
    const memoryRequest = resources.memory?.request ?? DEFAULT_RESOURCES.memory.request;
    const cpu = parseQuantity(cpuRequest)!;
    const memory = parseQuantity(memoryRequest)!;
    if (cpu * 1000 < rules.minCpuMillis) {
      found.push({ prop: 'resources.cpu.request', received: cpuRequest, allowed: `at least ${rules.minCpuMillis}m on target "${id}"`, hint: `Autopilot would silently raise it; request "${rules.minCpuMillis}m" so the manifest says what you get` });
    }
    if (memory / 2 ** 20 < rules.minMemoryMebibytes) {
      found.push({ prop: 'resources.memory.request', received: memoryRequest, allowed: `at least ${rules.minMemoryMebibytes}Mi on target "${id}"`, hint: `request "${rules.minMemoryMebibytes}Mi" or more` });
    }
    const perCpu = memory / 2 ** 30 / cpu;
    if (perCpu < rules.minMemoryPerCpuGibibytes || perCpu > rules.maxMemoryPerCpuGibibytes) {
      found.push({ prop: 'resources', received: `cpu ${cpuRequest}, memory ${memoryRequest}`, allowed: `between ${rules.minMemoryPerCpuGibibytes} and ${rules.maxMemoryPerCpuGibibytes} GiB of memory per vCPU on target "${id}"`, hint: `for cpu ${cpuRequest} request memory between ${Math.ceil(cpu * rules.minMemoryPerCpuGibibytes * 1024)}Mi and ${Math.floor(cpu * rules.maxMemoryPerCpuGibibytes * 1024)}Mi` });
    }
    for (const key of ['cpu', 'memory', 'ephemeralStorage'] as const) {
      const given = resources[key];
      if (given?.limit !== undefined && given.limit !== (given.request ?? DEFAULT_RESOURCES[key].request)) {
        addWarning(this, { prop: `resources.${key}.limit`, received: given.limit, allowed: `limits equal to requests on target "${id}"`, hint: 'the limit is set to the request here' });
      }
    }
    return found;
  }
}

/** `orders-db` → `ORDERS_DB`. */
function envPrefixOf(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
}

/** A list rendered at synth time, left out while empty. */
function nonEmpty<T>(list: T[]): T[] {
  return Lazy.any({ produce: () => (list.length > 0 ? list : undefined) });
}

/** The default limit, raised to the request when the request is larger. */
function defaultLimit(key: keyof typeof DEFAULT_RESOURCES, request: string): string {
  const limit = DEFAULT_RESOURCES[key].limit;
  return parseQuantity(request)! > parseQuantity(limit)! ? request : limit;
}

function findPort(service: Microservice, name: string | undefined): ServicePort | undefined {
  return name === undefined ? service.ports[0] : service.ports.find((p) => p.name === name);
}

function sortedRecord(record: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function envVar(name: string, value: EnvValue): k8s.EnvVar {
  switch (value.source) {
    case EnvSource.CONFIG_MAP:
      return { name, valueFrom: { configMapKeyRef: { name: value.objectName!, key: value.key! } } };
    case EnvSource.SECRET:
      return { name, valueFrom: { secretKeyRef: { name: value.objectName!, key: value.key! } } };
    default:
      return { name, value: value.value! };
  }
}

function renderProbe(probe: Probe, defaults: { periodSeconds: number; failureThreshold: number }, mainPort: string | undefined): k8s.Probe {
  const timing: ProbeTiming = probe.timing;
  const port = k8s.IntOrString.fromString(probe.port ?? mainPort ?? '');
  const action: k8s.Probe = probe.kind === ProbeKind.HTTP ? { httpGet: { path: probe.path!, port } }
    : probe.kind === ProbeKind.TCP ? { tcpSocket: { port } }
      : { exec: { command: probe.command! } };
  return {
    ...action,
    periodSeconds: timing.periodSeconds ?? defaults.periodSeconds,
    timeoutSeconds: timing.timeoutSeconds ?? 2,
    failureThreshold: timing.failureThreshold ?? defaults.failureThreshold,
    ...(timing.initialDelaySeconds ? { initialDelaySeconds: timing.initialDelaySeconds } : {}),
  };
}
