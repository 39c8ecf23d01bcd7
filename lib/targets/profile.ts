/** What a target profile decides: the vocabulary of `TargetProps`. */
import { Size } from 'cdk8s';

/** Where cluster DNS runs on a target, so egress to it can be allowed. */
export interface ClusterDns {
  /** Namespace of the DNS pods. */
  readonly namespace: string;
  /** Labels of the DNS pods. */
  readonly podLabels: { [key: string]: string };
  /** Ports the DNS pods listen on (UDP and TCP are both allowed). */
  readonly ports: number[];
  /**
   * Addresses outside any pod where pods may send their DNS queries, allowed on port 53 as
   * ipBlock peers, since no pod selector matches them: GKE's Cloud DNS (the node's metadata
   * server, 169.254.169.254) and NodeLocal DNSCache (169.254.20.10).
   * @default - none
   */
  readonly nodeLocalAddresses?: string[];
}

/** CPU architecture of the nodes a target's pods must land on (`kubernetes.io/arch`). */
export enum Architecture {
  /** x86-64 nodes. */
  AMD64 = 'amd64',
  /** 64-bit ARM nodes (AWS Graviton, Azure Ampere, GCP Tau T2A/Axion). */
  ARM64 = 'arm64',
}

/** How a target answers a Service of type LoadBalancer. */
export enum LoadBalancerSupport {
  /** The cluster provisions load balancers (cloud controller, ServiceLB, Docker Desktop's vpnkit). */
  AVAILABLE = 'available',
  /** LoadBalancer Services stay pending (kind, minikube without a tunnel): emit NodePort and warn. */
  NODE_PORT_FALLBACK = 'node-port-fallback',
  /** The target has no load balancer at all: asking for one is an error. */
  UNSUPPORTED = 'unsupported',
}

/** Which cloud identity mechanism a target uses for workload identity. */
export enum IdentityMechanism {
  /** No cloud identity (local clusters, on-prem). */
  NONE = 'none',
  /** IAM Roles for Service Accounts: `eks.amazonaws.com/role-arn` ServiceAccount annotation. */
  AWS_IRSA = 'aws-irsa',
  /**
   * EKS Pod Identity: the role is bound to the ServiceAccount by an association in the EKS API
   * (`aws eks create-pod-identity-association`), so the manifests carry nothing for it.
   */
  AWS_POD_IDENTITY = 'aws-pod-identity',
  /** GKE Workload Identity: `iam.gke.io/gcp-service-account` ServiceAccount annotation. */
  GCP_WORKLOAD_IDENTITY = 'gcp-workload-identity',
  /** Azure Workload Identity: client-id annotation plus the `azure.workload.identity/use` pod label. */
  AZURE_WORKLOAD_IDENTITY = 'azure-workload-identity',
}

/** A StorageClass the target profile creates because the cluster ships none. */
export interface StorageClassDefinition {
  /** CSI provisioner, e.g. `ebs.csi.aws.com`. */
  readonly provisioner: string;
  /** Provisioner parameters, e.g. `{ type: 'gp3' }`. @default - none */
  readonly parameters?: { [key: string]: string };
  /** Node labels volumes may be provisioned for (`allowedTopologies`), e.g. EKS Auto Mode's compute type. @default - any node */
  readonly allowedTopologies?: { [nodeLabel: string]: string[] };
}

/** Storage decisions of a target. */
export interface StorageProfile {
  /** The StorageClass PVCs name. @default - `storageClassName` is omitted and the cluster's default class applies */
  readonly storageClass?: string;
  /** The StorageClass for ReadWriteMany volumes. @default - ReadWriteMany is not supported on this target */
  readonly readWriteManyClass?: string;
  /** Smallest volume the storage backend provisions; smaller requests are raised to it with a warning. @default - no minimum */
  readonly minimumSize?: Size;
  /** Smallest ReadWriteMany volume (file shares often have large minimums). @default - `minimumSize` */
  readonly readWriteManyMinimumSize?: Size;
  /** Emit `storageClass` as a StorageClass object because the cluster has none. @default - not emitted */
  readonly provision?: StorageClassDefinition;
  /** The cluster has no default StorageClass: every persistent volume must name one (kubeadm). @default false */
  readonly classRequired?: boolean;
}

/**
 * Pods of the cluster that send traffic to exposed services (an ingress controller, gateway
 * proxies), as a NetworkPolicy peer selects them.
 */
export interface TrafficPeer {
  /** Labels of the namespaces the pods run in, e.g. `{ 'kubernetes.io/metadata.name': 'kube-system' }`. */
  readonly namespaceLabels: { [key: string]: string };
  /**
   * Labels of the pods. @default - every pod of those namespaces, as `podSelector: {}`, which is
   * what also matches host-network pods on OpenShift
   */
  readonly podLabels?: { [key: string]: string };
}

/** Load balancer decisions of a target. */
export interface LoadBalancerProfile {
  /** Whether the target provisions load balancers. */
  readonly support: LoadBalancerSupport;
  /** `spec.loadBalancerClass` of LoadBalancer Services. @default - none (the cloud's built-in controller) */
  readonly loadBalancerClass?: string;
  /** Annotations for an internet-facing load balancer. @default - none */
  readonly publicAnnotations?: { [key: string]: string };
  /** Annotations for an internal (VPC-only) load balancer. @default - none: internal load balancers are not supported */
  readonly internalAnnotations?: { [key: string]: string };
}

/** Ingress decisions of a target. */
export interface IngressProfile {
  /** `spec.ingressClassName`. @default - none */
  readonly className?: string;
  /** Value of the legacy `kubernetes.io/ingress.class` annotation, for controllers that ignore `ingressClassName` (GKE). @default - none */
  readonly classAnnotation?: string;
  /** Value of `kubernetes.io/ingress.class` for an internal ingress. @default - `classAnnotation` */
  readonly internalClassAnnotation?: string;
  /** Annotations for an internet-facing ingress. @default - none */
  readonly publicAnnotations?: { [key: string]: string };
  /** Annotations for an internal ingress. @default - `publicAnnotations` */
  readonly internalAnnotations?: { [key: string]: string };
  /** Annotations the backend Service needs (GKE NEGs). @default - none */
  readonly backendServiceAnnotations?: { [key: string]: string };
  /**
   * Ingress annotations that carry an HTTP readiness check's path and port to the load balancer,
   * for controllers that otherwise check `/` on the traffic port (AWS Load Balancer Controller).
   * @default - none: the controller derives its check itself (GKE reads the readiness probe)
   */
  readonly healthCheckAnnotations?: IngressHealthCheckAnnotations;
  /** Whether an Ingress must name a host (OpenShift turns it into a Route). @default false */
  readonly hostRequired?: boolean;
  /**
   * The in-cluster ingress controller, the only source NetworkPolicies admit to an exposed port.
   * @default - any source: the load balancer sends traffic from outside the cluster (IP targets)
   */
  readonly controller?: TrafficPeer;
  /**
   * The class was named without the namespace of its in-cluster controller
   * (`ingressControllerNamespace`): NetworkPolicies admit any source to an exposed port, and an
   * Ingress draws a warning. @default false
   */
  readonly controllerUnnamed?: boolean;
  /**
   * The class's parameters fix the load balancer scheme, overriding the Ingress annotation (EKS
   * Auto Mode's IngressClassParams): an internal Ingress needs `internalClassName`. @default false
   */
  readonly schemeFromClass?: boolean;
  /** `spec.ingressClassName` of an internal Ingress. @default - `className` */
  readonly internalClassName?: string;
  /**
   * The controller behind the default class is retired or losing support; the value names the
   * replacement, and an Ingress draws a warning (an error in strict mode). @default - supported
   */
  readonly retiredInFavourOf?: string;
  /**
   * Support for the default class has ended: an Ingress is refused unless the `ingressClass`
   * option names the class (then it draws the `retiredInFavourOf` warning). @default false
   */
  readonly onRequestOnly?: boolean;
}

/** Where a Gateway's data plane runs, which decides what a NetworkPolicy admits to a routed port. */
export enum GatewayDataPlane {
  /** A cloud load balancer sends traffic straight to pod IPs from outside the cluster: any source is admitted (GKE, AWS). */
  CLOUD_LOAD_BALANCER = 'cloud-load-balancer',
  /**
   * The implementation deploys proxy pods beside each Gateway, in its namespace, labelled
   * `gateway.networking.k8s.io/gateway-name` (Istio-based: AKS app routing, OpenShift).
   */
  BESIDE_GATEWAY = 'beside-gateway',
  /** One proxy deployment serves every Gateway from a fixed place (Traefik in kube-system): the `proxies` peer. */
  SHARED_PROXIES = 'shared-proxies',
}

/**
 * The object a Gateway implementation's load balancer reads per routed Service, beside the route:
 * which one, if any, the library emits for each Service a route sends traffic to.
 */
export enum RouteBackendObject {
  /** None: the implementation reaches and checks the backends without one. */
  NONE = 'none',
  /**
   * A TargetGroupConfiguration (`gateway.k8s.aws/v1beta1`, AWS Load Balancer Controller)
   * registering pod IPs as the target group's targets, with the pods' HTTP readiness check as its
   * health check. Without one the controller registers nodes on the Service's nodePort, which a
   * ClusterIP Service has none of.
   */
  AWS_TARGET_GROUP_CONFIGURATION = 'aws-target-group-configuration',
  /**
   * A HealthCheckPolicy (`networking.gke.io/v1`, GKE Gateway controller) with the pods' HTTP
   * readiness check as the load balancer's health check, where there is one. Unlike GKE's Ingress,
   * the Gateway controller does not read the readiness probe: without a policy the load balancer
   * checks its default, HTTP `/` on the serving port.
   */
  GKE_HEALTH_CHECK_POLICY = 'gke-health-check-policy',
}

/** Gateway API decisions of a target. */
export interface GatewayProfile {
  /** GatewayClass of the Gateways a system declares. @default - none: the target has no Gateway API implementation unless one is named */
  readonly className?: string;
  /** GatewayClass of an internal Gateway. @default - none: internal routes need a platform-owned Gateway */
  readonly internalClassName?: string;
  /** Where the data plane runs. @default GatewayDataPlane.CLOUD_LOAD_BALANCER */
  readonly dataPlane?: GatewayDataPlane;
  /** The shared proxies, with `GatewayDataPlane.SHARED_PROXIES`. @default - none */
  readonly proxies?: TrafficPeer;
  /**
   * The class was named without the namespace of its in-cluster proxies (`gatewayProxyNamespace`):
   * NetworkPolicies admit any source to a routed port, and a route draws a warning. @default false
   */
  readonly proxiesUnnamed?: boolean;
  /**
   * Ports of a Gateway's HTTP and HTTPS listeners. Traefik programs only listeners whose port is
   * one of its entry points' (8000 and 8443 in its chart, exposed as 80 and 443).
   * @default - 80 and 443
   */
  readonly listenerPorts?: GatewayListenerPorts;
  /**
   * The object each Service a route sends traffic to gets, telling the profile's load balancer how
   * to reach and check its pods. Only for the profile's data plane: a Gateway class named on the
   * target is taken as one of that load balancer's classes, and naming the proxies' namespace
   * (`gatewayProxyNamespace`) marks another implementation, which gets none.
   * @default RouteBackendObject.NONE
   */
  readonly routeBackendObject?: RouteBackendObject;
  /**
   * Where the load balancer's health checks come from, as CIDRs: a port only that check probes
   * (the readiness port, where it is not the routed one) is admitted from these alone. @default -
   * any source (the load balancer's own addresses, which no NetworkPolicy names portably)
   */
  readonly healthCheckSources?: string[];
  /**
   * The `controllerName` of the profile's own Gateway controller, whose GatewayClass only the
   * platform creates (with the load balancer's settings attached), e.g.
   * `eks.amazonaws.com/gateway-alb`: named in the message refusing a route that attaches to no
   * platform Gateway and names no class. @default - the target has no Gateway API implementation
   * out of the box
   */
  readonly platformController?: string;
  /**
   * The profile's own Gateway controller serves no GRPCRoute: why, for the message refusing a
   * gRPC route. @default - GRPCRoutes are served
   */
  readonly grpcRouteUnsupported?: string;
}

/** The ports a Gateway's listeners declare. */
export interface GatewayListenerPorts {
  /** Port of the HTTP listener. */
  readonly http: number;
  /** Port of each HTTPS listener. */
  readonly https: number;
}

/** Resource rules a target enforces on every container (GKE Autopilot). */
export interface ResourceRules {
  /** Smallest CPU request, in millicores. */
  readonly minCpuMillis: number;
  /** Smallest memory request, in MiB. */
  readonly minMemoryMebibytes: number;
  /** Largest memory per vCPU, in GiB. */
  readonly maxMemoryPerCpuGibibytes: number;
  /** Smallest memory per vCPU, in GiB. */
  readonly minMemoryPerCpuGibibytes: number;
  /** Whether limits are set equal to requests. */
  readonly limitsEqualRequests: boolean;
}

/** Names of the Ingress annotations that set a load balancer's health check. */
export interface IngressHealthCheckAnnotations {
  /** Annotation holding the HTTP path. */
  readonly path: string;
  /** Annotation holding the port number, set when the check probes another port than the traffic's. */
  readonly port: string;
  /** Annotation holding the HTTP codes that pass, set to kubelet's 200-399. */
  readonly successCodes: string;
}

/** Everything a target profile decides. Use it with `Target.custom()` to describe your own cluster. */
export interface TargetProps {
  /** Id of the target; output goes to `dist/<id>/`. Must be a DNS-1123 label. */
  readonly id: string;
  /** One line saying what the target is. */
  readonly description: string;
  /** Whether nodes run side-loaded images (`imagePullPolicy: IfNotPresent`) and have no zones. */
  readonly local: boolean;
  /** Whether nodes carry `topology.kubernetes.io/zone`, so pods are also spread across zones. */
  readonly zones: boolean;
  /** Storage decisions. */
  readonly storage: StorageProfile;
  /** Load balancer decisions. */
  readonly loadBalancer: LoadBalancerProfile;
  /** Ingress decisions. */
  readonly ingress: IngressProfile;
  /** Gateway API decisions. @default - no Gateway API implementation */
  readonly gateway?: GatewayProfile;
  /** Workload identity mechanism. @default IdentityMechanism.NONE */
  readonly identity?: IdentityMechanism;
  /** Whether pods may set fixed runAsUser/runAsGroup/fsGroup (false on OpenShift, which assigns UIDs). @default true */
  readonly fixedUserIds?: boolean;
  /** Resource rules every container must meet. @default - none */
  readonly resourceRules?: ResourceRules;
  /** Cluster DNS domain. @default "cluster.local" */
  readonly clusterDomain?: string;
  /** Node architecture pods are pinned to. @default - any */
  readonly architecture?: Architecture;
  /**
   * The Kubernetes minor version the cluster runs (`"1.34"`), for fields whose values changed
   * between releases: zoned targets give Services `trafficDistribution` (PreferSameZone from 1.34,
   * PreferClose before; an older server refuses the one, a newer one warns about the other).
   * @default - unknown: such fields are left out
   */
  readonly kubernetesVersion?: string;
  /** Load balancers and ingresses are internal unless an exposure says otherwise. @default false */
  readonly internalByDefault?: boolean;
  /** Where cluster DNS runs, for the DNS egress NetworkPolicy. @default - CoreDNS in kube-system (k8s-app=kube-dns, port 53) */
  readonly clusterDns?: ClusterDns;
}

/** Customizations of a built-in target profile. */
export interface TargetOptions {
  /** StorageClass PVCs name. @default - the profile's */
  readonly storageClass?: string;
  /** StorageClass for ReadWriteMany volumes. @default - the profile's */
  readonly readWriteManyClass?: string;
  /** Whether to emit the profile's StorageClass object where the cluster has none (EKS). @default true */
  readonly provisionStorageClass?: boolean;
  /** `ingressClassName` (or GKE class annotation) of Ingresses. @default - the profile's */
  readonly ingressClass?: string;
  /** Namespace of the ingress controller admitted by NetworkPolicies. @default - the profile's */
  readonly ingressControllerNamespace?: string;
  /** `ingressClassName` of internal Ingresses (EKS Auto Mode: a class whose IngressClassParams say `scheme: internal`). @default - the profile's */
  readonly internalIngressClass?: string;
  /** GatewayClass of the Gateways a system declares (Envoy Gateway, NGINX Gateway Fabric, … on local clusters). @default - the profile's */
  readonly gatewayClass?: string;
  /** GatewayClass of internal Gateways. @default - the profile's */
  readonly internalGatewayClass?: string;
  /**
   * Namespace of the gateway proxies serving every Gateway (Envoy Gateway: `envoy-gateway-system`),
   * admitted by NetworkPolicies. @default - the profile's; any source where a named class has no namespace
   */
  readonly gatewayProxyNamespace?: string;
  /**
   * Ports of the listeners of the Gateways a system declares, for an implementation that serves
   * only the ports it was configured with (Traefik you installed: `{ http: 8000, https: 8443 }`).
   * @default - the profile's where the class is the profile's (Traefik on k3s and RKE2: 8000 and 8443); 80 and 443 otherwise
   */
  readonly gatewayListenerPorts?: GatewayListenerPorts;
  /** AWS identity mechanism on EKS targets: IRSA or Pod Identity. @default - the profile's (Pod Identity on eks-auto, IRSA on eks) */
  readonly awsIdentity?: IdentityMechanism;
  /**
   * GKE Autopilot: the cluster supports Pod bursting (created on 1.30.2 or later, per Google's Pod bursting page), so
   * limits may exceed requests and the smaller minimums apply. @default true
   */
  readonly autopilotBursting?: boolean;
  /** Make load balancers and ingresses internal unless an exposure says otherwise. @default false */
  readonly internalByDefault?: boolean;
  /** Cluster DNS domain. @default "cluster.local" */
  readonly clusterDomain?: string;
  /** Node architecture. @default - any */
  readonly architecture?: Architecture;
  /** The Kubernetes minor version the cluster runs, e.g. `"1.34"` (see `TargetProps.kubernetesVersion`). @default - unknown */
  readonly kubernetesVersion?: string;
}
