import { Size } from 'cdk8s';
import {
  GatewayDataPlane,
  ClusterDns,
  IdentityMechanism,
  LoadBalancerSupport,
  RouteBackendObject,
  TargetProps,
  TrafficPeer,
} from './profile';

/** CoreDNS/kube-dns as most distributions run it. */
export const KUBE_DNS: ClusterDns = Object.freeze({
  namespace: 'kube-system',
  podLabels: Object.freeze({ 'k8s-app': 'kube-dns' }),
  ports: Object.freeze([53]) as number[],
});

/**
 * The built-in target profiles. Facts and their sources: docs/targets.md (copied from the
 * researched reference). Where a profile departs from a fact it says why next to the value.
 */
const inNamespace = (namespace: string): TrafficPeer => ({
  namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
});
// ingress-nginx was retired in March 2026 (no releases, no security fixes): still the class local
// clusters' addons install, so it stays the default, with a warning naming the way out.
const ingressNginx = {
  className: 'nginx',
  controller: inNamespace('ingress-nginx'),
  retiredInFavourOf:
    'a Gateway API implementation (Envoy Gateway, NGINX Gateway Fabric, Traefik): name its class with the Target option gatewayClass and expose with Exposure.route()',
};
// Traefik serves Ingresses and, with its Gateway provider enabled (HelmChartConfig), the class `traefik`.
const traefikInKubeSystem = {
  ingress: { className: 'traefik', controller: inNamespace('kube-system') },
  // Its listeners must use the entry points' ports (doc.traefik.io, Kubernetes Gateway API: "Listener ports"):
  // web :8000 and websecure :8443 in the Traefik chart k3s and RKE2 install, exposed as 80 and 443.
  gateway: {
    className: 'traefik',
    dataPlane: GatewayDataPlane.SHARED_PROXIES,
    proxies: inNamespace('kube-system'),
    listenerPorts: { http: 8000, https: 8443 },
  },
};
const awsLoadBalancerAnnotations = (scheme: string) => ({
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': scheme,
});
const albIngress = {
  className: 'alb',
  publicAnnotations: {
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
  },
  internalAnnotations: {
    'alb.ingress.kubernetes.io/scheme': 'internal',
    'alb.ingress.kubernetes.io/target-type': 'ip',
  },
  // The ALB checks `/` on the traffic port unless told (AWS Load Balancer Controller, Ingress annotations).
  healthCheckAnnotations: {
    path: 'alb.ingress.kubernetes.io/healthcheck-path',
    port: 'alb.ingress.kubernetes.io/healthcheck-port',
    successCodes: 'alb.ingress.kubernetes.io/success-codes',
  },
};
const gkeCommon = {
  local: false,
  zones: true,
  // Pods may resolve through no kube-dns pod at all: with Cloud DNS (Autopilot's default) kubelet
  // points them at the node's metadata server, and NodeLocal DNSCache (on by default on Autopilot)
  // answers on a link-local address; no pod selector matches either (GKE "Using Cloud DNS for GKE"
  // and "Setting up NodeLocal DNSCache"; the same fix in tektoncd/operator#4001).
  clusterDns: { ...KUBE_DNS, nodeLocalAddresses: ['169.254.169.254', '169.254.20.10'] },
  identity: IdentityMechanism.GCP_WORKLOAD_IDENTITY,
  storage: {
    // Named although it is GKE's default, so the manifest says which disk type it gets.
    storageClass: 'standard-rwo',
    readWriteManyClass: 'standard-rwx',
    // hyperdisk-balanced rejects volumes under 4 GB; keep persistent disks at 10 GiB or more.
    minimumSize: Size.gibibytes(10),
    // Filestore basic HDD instances start at 1 TiB.
    readWriteManyMinimumSize: Size.tebibytes(1),
  },
  loadBalancer: {
    support: LoadBalancerSupport.AVAILABLE,
    internalAnnotations: { 'networking.gke.io/load-balancer-type': 'Internal' },
  },
  ingress: {
    // GKE ignores spec.ingressClassName: only the annotation selects its controller.
    classAnnotation: 'gce',
    internalClassAnnotation: 'gce-internal',
    backendServiceAnnotations: { 'cloud.google.com/neg': '{"ingress": true}' },
  },
  // GKE's managed Gateway classes; Google's proxies send traffic to pod IPs (NEGs). The controller
  // does not read readiness probes: a HealthCheckPolicy attached to the Service sets the load
  // balancer's health check (GKE's "Configure Gateway resources using Policies").
  gateway: {
    className: 'gke-l7-global-external-managed',
    internalClassName: 'gke-l7-rilb',
    dataPlane: GatewayDataPlane.CLOUD_LOAD_BALANCER,
    routeBackendObject: RouteBackendObject.GKE_HEALTH_CHECK_POLICY,
    // Google Cloud's health check probe ranges (load-balancing/docs/firewall-rules), IPv6 included.
    healthCheckSources: ['35.191.0.0/16', '130.211.0.0/22', '2600:2d00:1:b029::/64', '2600:2d00:1:1::/64'],
    // Open in December 2026: GoogleCloudPlatform/gke-gateway-api#31, Google issue tracker 398125795.
    grpcRouteUnsupported: "GKE's Gateway controller serves no GRPCRoute (December 2026)",
  },
};
// AWS serves the Gateway API through the Load Balancer Controller (controller gateway.k8s.aws/alb)
// and, since October 2026, EKS Auto Mode (eks.amazonaws.com/gateway-alb). Their scheme and target
// type come from a LoadBalancerConfiguration the platform team attaches, so a system does not
// declare a Gateway of its own there: routes attach to the platform's (GatewayReference.shared).
// The ALB sends traffic to pod IPs from outside the cluster.
const awsGateway = { dataPlane: GatewayDataPlane.CLOUD_LOAD_BALANCER };

export const BUILT_IN_PROFILES = {
  'docker-desktop': {
    id: 'docker-desktop',
    description: 'Docker Desktop (kubeadm mode): one node, hostpath storage, LoadBalancers on localhost',
    local: true,
    zones: false,
    // The default class `hostpath` exists: storageClassName is omitted.
    storage: { readWriteManyClass: 'hostpath' },
    loadBalancer: { support: LoadBalancerSupport.AVAILABLE },
    ingress: ingressNginx,
  },
  kind: {
    id: 'kind',
    description: 'kind: local-path storage (RWO only), no load balancer without cloud-provider-kind',
    local: true,
    zones: false,
    // The default class `standard` (rancher.io/local-path) exists; it cannot do ReadWriteMany.
    storage: {},
    loadBalancer: { support: LoadBalancerSupport.NODE_PORT_FALLBACK },
    ingress: ingressNginx,
  },
  minikube: {
    id: 'minikube',
    description: 'minikube: hostpath storage, LoadBalancers need `minikube tunnel`',
    local: true,
    zones: false,
    storage: { readWriteManyClass: 'standard' },
    loadBalancer: { support: LoadBalancerSupport.NODE_PORT_FALLBACK },
    ingress: ingressNginx,
  },
  k3s: {
    id: 'k3s',
    description: 'k3s / Rancher Desktop: local-path storage, ServiceLB (klipper), Traefik ingress',
    local: true,
    zones: false,
    storage: {},
    loadBalancer: { support: LoadBalancerSupport.AVAILABLE },
    ...traefikInKubeSystem,
  },
  eks: {
    id: 'eks',
    description: 'Amazon EKS ≥1.30: EBS CSI gp3 (no default class), AWS Load Balancer Controller (NLB, ALB), IRSA',
    local: false,
    zones: true,
    identity: IdentityMechanism.AWS_IRSA,
    storage: {
      // EKS ≥1.30 has no default StorageClass: name one and create it (opt out with provisionStorageClass: false).
      storageClass: 'gp3',
      provision: { provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' } },
      minimumSize: Size.gibibytes(1),
    },
    loadBalancer: {
      support: LoadBalancerSupport.AVAILABLE,
      loadBalancerClass: 'service.k8s.aws/nlb',
      publicAnnotations: awsLoadBalancerAnnotations('internet-facing'),
      internalAnnotations: awsLoadBalancerAnnotations('internal'),
    },
    ingress: albIngress,
    // The Load Balancer Controller's target groups default to instance targets (nodes on the
    // Service's nodePort) unless a TargetGroupConfiguration says ip (its targetgroupconfig guide).
    gateway: {
      ...awsGateway,
      platformController: 'gateway.k8s.aws/alb',
      routeBackendObject: RouteBackendObject.AWS_TARGET_GROUP_CONFIGURATION,
    },
  },
  'eks-auto': {
    id: 'eks-auto',
    description:
      'Amazon EKS Auto Mode: built-in EBS provisioner (the StorageClass for it is emitted), NLB and ALB, Pod Identity',
    local: false,
    zones: true,
    // The Pod Identity agent is built into Auto Mode: no add-on, no OIDC provider per cluster.
    identity: IdentityMechanism.AWS_POD_IDENTITY,
    storage: {
      storageClass: 'auto-ebs-sc',
      // AWS's example pins volumes to Auto Mode nodes, so a pod needing one is never placed elsewhere.
      provision: {
        provisioner: 'ebs.csi.eks.amazonaws.com',
        parameters: { type: 'gp3', encrypted: 'true' },
        allowedTopologies: { 'eks.amazonaws.com/compute-type': ['auto'] },
      },
      minimumSize: Size.gibibytes(1),
    },
    loadBalancer: {
      support: LoadBalancerSupport.AVAILABLE,
      loadBalancerClass: 'eks.amazonaws.com/nlb',
      publicAnnotations: awsLoadBalancerAnnotations('internet-facing'),
      internalAnnotations: awsLoadBalancerAnnotations('internal'),
    },
    // Auto Mode's ALB needs an IngressClass `alb` with controller eks.amazonaws.com/alb, created once
    // per cluster by the platform team; we only reference it, so no custom resource is emitted.
    // Its IngressClassParams `scheme` overrides the annotation: internal needs a class of its own.
    ingress: { ...albIngress, schemeFromClass: true },
    // Auto Mode's own gateway (October 2026) serves HTTPRoute and GRPCRoute. Its load balancers
    // target pod IPs by default (Auto Mode's load balancing considerations), so a route's Service
    // needs no TargetGroupConfiguration.
    gateway: {
      ...awsGateway,
      platformController: 'eks.amazonaws.com/gateway-alb',
    },
  },
  gke: {
    ...gkeCommon,
    id: 'gke',
    description: 'GKE Standard: pd-balanced storage, GCE ingress with NEGs, Workload Identity',
  },
  'gke-autopilot': {
    ...gkeCommon,
    id: 'gke-autopilot',
    description:
      'GKE Autopilot: GKE plus resource rules (requests required, minimums, CPU:memory ratio; limits above requests with bursting)',
    // Pod bursting (clusters created on 1.30.2 or later, per Google's Pod bursting page): 50m / 52Mi minimums, limits
    // may exceed requests. Target option autopilotBursting: false gives the older rules.
    resourceRules: {
      minCpuMillis: 50,
      minMemoryMebibytes: 52,
      minMemoryPerCpuGibibytes: 1,
      maxMemoryPerCpuGibibytes: 6.5,
      limitsEqualRequests: false,
    },
  },
  aks: {
    id: 'aks',
    description: 'Azure AKS: managed-csi disks, Azure Files for RWX, app routing ingress, Workload Identity',
    local: false,
    zones: true,
    identity: IdentityMechanism.AZURE_WORKLOAD_IDENTITY,
    storage: { storageClass: 'managed-csi', readWriteManyClass: 'azurefile-csi', minimumSize: Size.gibibytes(1) },
    loadBalancer: {
      support: LoadBalancerSupport.AVAILABLE,
      internalAnnotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
    },
    ingress: {
      className: 'webapprouting.kubernetes.azure.com',
      controller: inNamespace('app-routing-system'),
      // Azure's support for app routing NGINX ended in November 2026 (docs/targets.md).
      retiredInFavourOf:
        'the Gateway API class approuting-istio (Azure support for app routing NGINX ended in November 2026): expose with Exposure.route()',
      onRequestOnly: true,
    },
    // App routing's Istio deploys a proxy beside each Gateway.
    gateway: { className: 'approuting-istio', dataPlane: GatewayDataPlane.BESIDE_GATEWAY },
  },
  openshift: {
    id: 'openshift',
    description: 'OpenShift: restricted-v2 SCC assigns UIDs, Ingresses become Routes (host required)',
    local: false,
    zones: true,
    fixedUserIds: false,
    // Every OpenShift install has a platform default class (gp3-csi, standard-csi, …): omit the name.
    storage: {},
    loadBalancer: { support: LoadBalancerSupport.AVAILABLE },
    ingress: {
      className: 'openshift-default',
      publicAnnotations: { 'route.openshift.io/termination': 'edge' },
      hostRequired: true,
      // The router runs on the host network on bare metal and vSphere: only this label (with
      // podSelector: {}) matches its traffic; a namespace name would not.
      controller: { namespaceLabels: { 'policy-group.network.openshift.io/ingress': '' } },
    },
    // OpenShift ≥4.19: the Ingress Operator's Istio deploys a proxy beside each Gateway.
    gateway: { className: 'openshift-default', dataPlane: GatewayDataPlane.BESIDE_GATEWAY },
    // The DNS operator's pods listen on 5353 behind the dns-default Service's port 53.
    clusterDns: {
      namespace: 'openshift-dns',
      podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
      ports: [5353],
    },
  },
  rke2: {
    id: 'rke2',
    description:
      'Rancher RKE2 on-prem: no bundled StorageClass (name yours), Traefik ingress (v1.36+), no load balancer without MetalLB/kube-vip',
    local: false,
    // On-prem nodes rarely carry zone labels; spread by hostname only.
    zones: false,
    // RKE2 bundles no StorageClass (only vSphere, Harvester, oVirt CSI charts): name the operator's.
    storage: { classRequired: true },
    loadBalancer: { support: LoadBalancerSupport.NODE_PORT_FALLBACK },
    ...traefikInKubeSystem,
  },
  kubeadm: {
    id: 'kubeadm',
    description:
      'kubeadm: no default StorageClass, no load balancer, no ingress controller or Gateway until you name theirs',
    local: true,
    zones: false,
    storage: { classRequired: true },
    loadBalancer: { support: LoadBalancerSupport.NODE_PORT_FALLBACK },
    ingress: {},
  },
} satisfies Record<string, TargetProps>;

/** Id of a built-in target profile. */
export type BuiltInTargetId = keyof typeof BUILT_IN_PROFILES;
