import { checkDnsLabel, checkDnsSubdomain, problems, withoutWrongValues } from '../checks';
import { formatProblem, MsaConfigError, Problem } from '../errors';
import { problem } from '../messages';
import {
  ClusterDns,
  GatewayDataPlane,
  GatewayListenerPorts,
  GatewayProfile,
  IdentityMechanism,
  IngressHealthCheckAnnotations,
  IngressProfile,
  LoadBalancerSupport,
  ResourceRules,
  RouteBackendObject,
  StorageClassDefinition,
  StorageProfile,
  TargetOptions,
  TargetProps,
  TrafficPeer,
} from './profile';
import { TARGET_OPTIONS } from './option-shapes';
import { BUILT_IN_PROFILES, BuiltInTargetId, KUBE_DNS } from './profiles';

/**
 * A deployment target: the cluster flavour manifests are synthesized for. Built-in profiles
 * come from static factories (`Target.kind()`, `Target.eks()`, …); `Target.custom()` takes your own.
 */
export class Target {
  /** Ids of the built-in profiles, in a stable order (frozen: pushing to it throws). */
  public static readonly BUILT_IN_IDS: string[] = Object.freeze(Object.keys(BUILT_IN_PROFILES)) as string[];

  /** A built-in profile by id (`kind`, `eks`, …); throws on an unknown id. */
  public static fromId(id: string, options: TargetOptions = {}): Target {
    if (!(id in BUILT_IN_PROFILES)) {
      throw new MsaConfigError([
        formatProblem(problem('target.unknown-id', 'target', id, { ids: Target.BUILT_IN_IDS })),
      ]);
    }
    return Target.builtIn(id as BuiltInTargetId, options);
  }

  /** Every built-in profile, with the same options applied to each. */
  public static all(options: TargetOptions = {}): Target[] {
    return Target.BUILT_IN_IDS.map((id) => Target.fromId(id, options));
  }

  /** Docker Desktop's kubeadm cluster: hostpath storage, LoadBalancers published on localhost. */
  public static dockerDesktop(options: TargetOptions = {}): Target {
    return Target.builtIn('docker-desktop', options);
  }
  /** kind: local-path storage (no RWX), LoadBalancers fall back to NodePort. */
  public static kind(options: TargetOptions = {}): Target {
    return Target.builtIn('kind', options);
  }
  /** minikube: hostpath storage, LoadBalancers fall back to NodePort (they need `minikube tunnel`). */
  public static minikube(options: TargetOptions = {}): Target {
    return Target.builtIn('minikube', options);
  }
  /** k3s / Rancher Desktop: local-path storage, ServiceLB, Traefik ingress. */
  public static k3s(options: TargetOptions = {}): Target {
    return Target.builtIn('k3s', options);
  }
  /** Amazon EKS (≥1.30) with the EBS CSI driver and the AWS Load Balancer Controller. */
  public static eks(options: TargetOptions = {}): Target {
    return Target.builtIn('eks', options);
  }
  /** Amazon EKS Auto Mode. */
  public static eksAuto(options: TargetOptions = {}): Target {
    return Target.builtIn('eks-auto', options);
  }
  /** GKE Standard. */
  public static gke(options: TargetOptions = {}): Target {
    return Target.builtIn('gke', options);
  }
  /** GKE Autopilot: GKE plus its resource rules. */
  public static gkeAutopilot(options: TargetOptions = {}): Target {
    return Target.builtIn('gke-autopilot', options);
  }
  /** Azure AKS with the app routing add-on. */
  public static aks(options: TargetOptions = {}): Target {
    return Target.builtIn('aks', options);
  }
  /** Red Hat OpenShift (restricted-v2 SCC, Routes from Ingresses). */
  public static openshift(options: TargetOptions = {}): Target {
    return Target.builtIn('openshift', options);
  }
  /** Rancher RKE2 on-prem: name a StorageClass (RKE2 bundles none); Traefik ingress. */
  public static rke2(options: TargetOptions = {}): Target {
    return Target.builtIn('rke2', options);
  }
  /** A kubeadm cluster: name a StorageClass, and an ingress or Gateway class, with the options. */
  public static kubeadm(options: TargetOptions = {}): Target {
    return Target.builtIn('kubeadm', options);
  }

  /** A target described entirely by you. */
  public static custom(props: TargetProps): Target {
    return new Target(props);
  }

  private static builtIn(id: BuiltInTargetId, unchecked: TargetOptions): Target {
    // Wrongly typed options (from JavaScript) are left out and reported by the system at synth.
    const { options, problems: optionProblems, unknown } = checkedOptions(unchecked);
    const target = Target.fromOptions(id, options);
    target.optionProblems.push(...optionProblems);
    target.optionWarnings.push(...unknown);
    return target;
  }

  private static fromOptions(id: BuiltInTargetId, options: TargetOptions): Target {
    const base: TargetProps = BUILT_IN_PROFILES[id];
    const storage: StorageProfile = {
      ...base.storage,
      storageClass: options.storageClass ?? base.storage.storageClass,
      readWriteManyClass: options.readWriteManyClass ?? base.storage.readWriteManyClass,
      provision: options.provisionStorageClass === false ? undefined : base.storage.provision,
    };
    const ingress: IngressProfile = {
      ...base.ingress,
      ...(options.ingressClass === undefined
        ? {}
        : base.ingress.classAnnotation !== undefined
          ? { classAnnotation: options.ingressClass, internalClassAnnotation: options.ingressClass }
          : options.ingressClass === base.ingress.className && base.ingress.onRequestOnly
            ? // The unsupported class, asked for by name: allowed, still with its warning.
              { onRequestOnly: false }
            : // A class the user names is the one they run: no retirement warning for the default's controller.
              { className: options.ingressClass, retiredInFavourOf: undefined, onRequestOnly: false }),
      ...(options.internalIngressClass === undefined ? {} : { internalClassName: options.internalIngressClass }),
      ...ingressController(base.ingress, options),
    };
    return new Target({
      ...base,
      storage,
      ingress,
      gateway: gatewayWithOptions(base.gateway ?? {}, options),
      identity:
        base.identity === IdentityMechanism.AWS_IRSA || base.identity === IdentityMechanism.AWS_POD_IDENTITY
          ? (options.awsIdentity ?? base.identity)
          : base.identity,
      resourceRules:
        base.resourceRules && options.autopilotBursting === false
          ? withoutBursting(base.resourceRules)
          : base.resourceRules,
      internalByDefault: options.internalByDefault ?? base.internalByDefault,
      clusterDomain: options.clusterDomain ?? base.clusterDomain,
      architecture: options.architecture ?? base.architecture,
      kubernetesVersion: options.kubernetesVersion ?? base.kubernetesVersion,
    });
  }

  /** Id of the target (`dist/<id>/`). */
  public readonly id: string;
  /** Everything this profile decides, with defaults resolved. */
  public readonly props: TargetProps;
  /** Cluster DNS domain. */
  public readonly clusterDomain: string;
  /** Workload identity mechanism. */
  public readonly identity: IdentityMechanism;
  /** Whether pods may set fixed user and group ids. */
  public readonly fixedUserIds: boolean;
  /** Where cluster DNS runs. */
  public readonly clusterDns: ClusterDns;
  /** Problems of the options it was made with (wrong JavaScript types). */
  private readonly optionProblems: Problem[] = [];
  private readonly optionWarnings: Problem[] = [];

  /** Options the target was made with that no target reads (misspellings), under `target.<option>`. @internal */
  public _optionWarnings(): Problem[] {
    return [...this.optionWarnings];
  }

  /** The problems of the options the target was made with, under `target.<option>`. @internal */
  public _optionProblems(): Problem[] {
    return [...this.optionProblems];
  }

  private constructor(props: TargetProps) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.id)) {
      throw new MsaConfigError([formatProblem(problem('target.id', 'target id', props.id))]);
    }
    this.id = props.id;
    // A copy of its own: no two targets (nor the built-in table, nor the caller) share a nested object.
    this.props = copyPlain(props);
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.identity = props.identity ?? IdentityMechanism.NONE;
    this.fixedUserIds = props.fixedUserIds ?? true;
    this.clusterDns = props.clusterDns ?? KUBE_DNS;
  }

  /** Whether nodes run side-loaded images (`imagePullPolicy: IfNotPresent`). */
  public get local(): boolean {
    return this.props.local;
  }

  /** Whether nodes carry zone labels, so pods are spread across zones too. */
  public get zones(): boolean {
    return this.props.zones;
  }

  /**
   * The `trafficDistribution` of the target's Services: where it has zones and its Kubernetes
   * version is known, PreferSameZone from 1.34 (KEP-3015; the server warns about PreferClose
   * there) and PreferClose before (1.32 refuses PreferSameZone); undefined otherwise.
   */
  public get trafficDistribution(): string | undefined {
    const minor = kubernetesMinor(this.props.kubernetesVersion);
    if (!this.props.zones || minor === undefined) return undefined;
    return minor >= 34 ? 'PreferSameZone' : 'PreferClose';
  }

  /** Whether load balancers, Ingresses and routes are internal unless an exposure says otherwise. */
  public get internalByDefault(): boolean {
    return this.props.internalByDefault ?? false;
  }

  /** Whether limits are forced to requests (GKE Autopilot without bursting). */
  public get limitsEqualRequests(): boolean {
    return this.props.resourceRules?.limitsEqualRequests ?? false;
  }

  /** How the target answers a Service of type LoadBalancer. */
  public get loadBalancerSupport(): LoadBalancerSupport {
    return this.props.loadBalancer.support;
  }

  /** Whether an internal load balancer can be asked for (the profile has its annotations). */
  public get internalLoadBalancers(): boolean {
    return this.props.loadBalancer.internalAnnotations !== undefined;
  }

  /** The in-cluster ingress controller NetworkPolicies admit; undefined where traffic comes straight from outside. */
  public get ingressController(): TrafficPeer | undefined {
    return this.props.ingress.controller;
  }

  /** The Ingress annotations that carry a readiness check to the load balancer, where the controller needs them. */
  public get ingressHealthCheckAnnotations(): IngressHealthCheckAnnotations | undefined {
    return this.props.ingress.healthCheckAnnotations;
  }

  /** GatewayClass of the Gateways a system declares for the scheme; undefined where the target has none. */
  public gatewayClass(internal: boolean): string | undefined {
    const gateway = this.props.gateway;
    return internal ? gateway?.internalClassName : gateway?.className;
  }

  /** The Gateway controller whose GatewayClass only the platform creates; undefined where the target has none out of the box. */
  public get gatewayPlatformController(): string | undefined {
    return this.props.gateway?.platformController;
  }

  /** Where the Gateway data plane runs; undefined where a named class has proxies nobody located. */
  public get gatewayDataPlane(): GatewayDataPlane | undefined {
    return this.props.gateway?.dataPlane;
  }

  /** The shared proxies of a `SHARED_PROXIES` data plane. */
  public get gatewayProxies(): TrafficPeer | undefined {
    return this.props.gateway?.proxies;
  }

  /** Whether a Gateway class was named without its proxies' namespace (routed ports open to any source). */
  public get gatewayProxiesUnnamed(): boolean {
    return this.props.gateway?.proxiesUnnamed ?? false;
  }

  /** Ports of a system Gateway's HTTP and HTTPS listeners. */
  public get gatewayListenerPorts(): GatewayListenerPorts {
    return this.props.gateway?.listenerPorts ?? { http: 80, https: 443 };
  }

  /**
   * The object each Service a route sends traffic to gets: the profile's, where its own data plane
   * (the cloud load balancer) is in use. A class named without proxies is taken as one of that
   * load balancer's; proxies the user named belong to another implementation, which has no use for it.
   */
  public get routeBackendObject(): RouteBackendObject {
    const profile = this.props.gateway ?? {};
    const ownDataPlane =
      !profile.proxiesUnnamed &&
      (profile.dataPlane ?? GatewayDataPlane.CLOUD_LOAD_BALANCER) === GatewayDataPlane.CLOUD_LOAD_BALANCER;
    return ownDataPlane ? (profile.routeBackendObject ?? RouteBackendObject.NONE) : RouteBackendObject.NONE;
  }

  /**
   * Why a GRPCRoute is refused on this target: its own Gateway controller serves none (GKE); a
   * class of another implementation (proxies named) is not refused. Undefined where served.
   */
  public get grpcRouteRefusal(): string | undefined {
    const gateway = this.props.gateway;
    const ownDataPlane =
      !gateway?.proxiesUnnamed &&
      (gateway?.dataPlane ?? GatewayDataPlane.CLOUD_LOAD_BALANCER) === GatewayDataPlane.CLOUD_LOAD_BALANCER;
    return ownDataPlane ? gateway?.grpcRouteUnsupported : undefined;
  }

  /**
   * Where the load balancer of `routeBackendObject` health-checks pods from (CIDRs); undefined:
   * from addresses no NetworkPolicy names portably, so a port only it probes is open to any source.
   */
  public get loadBalancerHealthCheckSources(): string[] | undefined {
    const sources = this.props.gateway?.healthCheckSources;
    return sources && this.routeBackendObject !== RouteBackendObject.NONE ? [...sources] : undefined;
  }

  /** The StorageClass the target creates because the cluster has none, with its name; undefined otherwise. */
  public get provisionedStorageClass(): ProvisionedStorageClass | undefined {
    const storage = this.props.storage;
    return storage.provision && storage.storageClass ? { name: storage.storageClass, ...storage.provision } : undefined;
  }
}

/** A StorageClass a target creates: its name and definition. */
export interface ProvisionedStorageClass extends StorageClassDefinition {
  /** Name of the StorageClass. */
  readonly name: string;
}

/** GKE Autopilot without Pod bursting: 250m / 512Mi minimums, limits forced to requests. */
function withoutBursting(rules: ResourceRules): ResourceRules {
  return { ...rules, minCpuMillis: 250, minMemoryMebibytes: 512, limitsEqualRequests: true };
}

/** Pods of one namespace, by the name label every namespace carries. */
function namespacePeer(namespace: string): TrafficPeer {
  return { namespaceLabels: { 'kubernetes.io/metadata.name': namespace } };
}

/**
 * The ingress controller NetworkPolicies admit. Another class than the profile's, where the
 * profile's controller runs in the cluster, has a controller the library does not know: any
 * source, flagged for a warning, unless the user names its namespace.
 */
function ingressController(
  base: IngressProfile,
  options: TargetOptions,
): Pick<IngressProfile, 'controller' | 'controllerUnnamed'> {
  if (options.ingressControllerNamespace !== undefined)
    return { controller: namespacePeer(options.ingressControllerNamespace) };
  const profileClass = base.classAnnotation ?? base.className;
  const inCluster = profileClass === undefined || base.controller !== undefined;
  return options.ingressClass !== undefined && options.ingressClass !== profileClass && inCluster
    ? { controller: undefined, controllerUnnamed: true }
    : { controller: base.controller };
}

/**
 * The profile's Gateway decisions with the options applied. Another class than the profile's,
 * where the profile's proxies run in the cluster, has an unknown data plane: any source, flagged
 * for a warning, unless the user names the proxies' namespace.
 */
function gatewayWithOptions(base: GatewayProfile, options: TargetOptions): GatewayProfile {
  const proxies =
    options.gatewayProxyNamespace === undefined ? undefined : namespacePeer(options.gatewayProxyNamespace);
  // The profile's data plane where it names one (a cloud load balancer on EKS, GKE), else in-cluster proxies unless it has a class.
  const inCluster =
    base.dataPlane === undefined
      ? base.className === undefined
      : base.dataPlane !== GatewayDataPlane.CLOUD_LOAD_BALANCER;
  const unnamed =
    !proxies && options.gatewayClass !== undefined && options.gatewayClass !== base.className && inCluster;
  return {
    ...base,
    className: options.gatewayClass ?? base.className,
    // Listener ports belong to the implementation: another class than the profile's gets the standard ones.
    listenerPorts:
      options.gatewayListenerPorts ??
      (options.gatewayClass === undefined || options.gatewayClass === base.className ? base.listenerPorts : undefined),
    internalClassName: options.internalGatewayClass ?? base.internalClassName,
    ...(proxies ? { dataPlane: GatewayDataPlane.SHARED_PROXIES, proxies } : {}),
    ...(unnamed ? { dataPlane: undefined, proxies: undefined, proxiesUnnamed: true } : {}),
  };
}

/**
 * Copies plain objects and arrays deeply; class instances (Size, enums' values) are immutable
 * and kept as they are.
 */
function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)])) as T;
  }
  return value;
}

/** The minor of a Kubernetes version (`1.34`, `v1.34.2`); undefined when it is none. */
export function kubernetesMinor(version: string | undefined): number | undefined {
  const match = /^v?1\.([0-9]{1,3})(\.[0-9]+)?$/.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Options naming a class or a domain: DNS-1123 subdomains (ingressClassName, gatewayClassName, storageClassName). */
const SUBDOMAIN_OPTIONS = [
  'storageClass',
  'readWriteManyClass',
  'ingressClass',
  'internalIngressClass',
  'gatewayClass',
  'internalGatewayClass',
  'clusterDomain',
];
/** Options naming a namespace, which NetworkPolicies select by its name label. */
const NAMESPACE_OPTIONS = ['ingressControllerNamespace', 'gatewayProxyNamespace'];

/** The options with every wrongly typed one left out, and a problem for each (`target.ingressClass`). */
function checkedOptions(options: TargetOptions): { options: TargetOptions; problems: Problem[]; unknown: Problem[] } {
  // The names reach fields the server checks: class names (DNS subdomains), namespaces in selectors (labels).
  const {
    props,
    problems: found,
    unknown,
  } = withoutWrongValues(options, TARGET_OPTIONS, 'target.', (prop, option, value) =>
    SUBDOMAIN_OPTIONS.includes(option)
      ? problems(checkDnsSubdomain(prop, value as string))
      : NAMESPACE_OPTIONS.includes(option)
        ? problems(checkDnsLabel(prop, value as string))
        : option === 'kubernetesVersion' && kubernetesMinor(value as string) === undefined
          ? [problem('target.kubernetes-version', prop, value)]
          : [],
  );
  return { options: props, problems: found, unknown };
}
