import { Size } from 'cdk8s';
import { IdentityMechanism, LoadBalancerSupport, TargetProps } from './profile';

/**
 * The built-in target profiles. Facts and their sources: docs/targets.md (copied from the
 * researched reference). Where a profile departs from a fact it says why next to the value.
 */
const ingressNginx = { className: 'nginx', controllerNamespace: 'ingress-nginx' };
const awsLoadBalancerAnnotations = (scheme: string) => ({
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': scheme,
});
const albIngress = {
  className: 'alb',
  publicAnnotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/target-type': 'ip' },
  internalAnnotations: { 'alb.ingress.kubernetes.io/scheme': 'internal', 'alb.ingress.kubernetes.io/target-type': 'ip' },
};
const gkeCommon = {
  local: false,
  zones: true,
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
};

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
  'kind': {
    id: 'kind',
    description: 'kind: local-path storage (RWO only), no load balancer without cloud-provider-kind',
    local: true,
    zones: false,
    // The default class `standard` (rancher.io/local-path) exists; it cannot do ReadWriteMany.
    storage: {},
    loadBalancer: { support: LoadBalancerSupport.NODE_PORT_FALLBACK },
    ingress: ingressNginx,
  },
  'minikube': {
    id: 'minikube',
    description: 'minikube: hostpath storage, LoadBalancers need `minikube tunnel`',
    local: true,
    zones: false,
    storage: { readWriteManyClass: 'standard' },
    loadBalancer: { support: LoadBalancerSupport.NODE_PORT_FALLBACK },
    ingress: ingressNginx,
  },
  'k3s': {
    id: 'k3s',
    description: 'k3s / Rancher Desktop: local-path storage, ServiceLB (klipper), Traefik ingress',
    local: true,
    zones: false,
    storage: {},
    loadBalancer: { support: LoadBalancerSupport.AVAILABLE },
    ingress: { className: 'traefik', controllerNamespace: 'kube-system' },
  },
  'eks': {
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
  },
  'eks-auto': {
    id: 'eks-auto',
    description: 'Amazon EKS Auto Mode: built-in EBS provisioner (no StorageClass at all), NLB and ALB',
    local: false,
    zones: true,
    identity: IdentityMechanism.AWS_IRSA,
    storage: {
      storageClass: 'auto-ebs-sc',
      provision: { provisioner: 'ebs.csi.eks.amazonaws.com', parameters: { type: 'gp3', encrypted: 'true' } },
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
    ingress: albIngress,
  },
  'gke': { ...gkeCommon, id: 'gke', description: 'GKE Standard: pd-balanced storage, GCE ingress with NEGs, Workload Identity' },
  'gke-autopilot': {
    ...gkeCommon,
    id: 'gke-autopilot',
    description: 'GKE Autopilot: GKE plus resource rules (requests required, minimums, CPU:memory ratio, limits = requests)',
    resourceRules: {
      // Bursting minimums (GKE ≥1.29.2 Autopilot); older clusters raise requests to 250m / 512Mi themselves.
      minCpuMillis: 50,
      minMemoryMebibytes: 52,
      minMemoryPerCpuGibibytes: 1,
      maxMemoryPerCpuGibibytes: 6.5,
      limitsEqualRequests: true,
    },
  },
  'aks': {
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
    ingress: { className: 'webapprouting.kubernetes.azure.com', controllerNamespace: 'app-routing-system' },
  },
  'openshift': {
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
      controllerNamespace: 'openshift-ingress',
    },
    // The DNS operator's pods listen on 5353 behind the dns-default Service's port 53.
    clusterDns: { namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, ports: [5353] },
  },
  'rke2': {
    id: 'rke2',
    description: 'Rancher RKE2 on-prem: Longhorn storage, bundled ingress-nginx, no load balancer without MetalLB/kube-vip',
    local: false,
    // On-prem nodes rarely carry zone labels; spread by hostname only.
    zones: false,
    // RKE2 ships no StorageClass (unverified fact); Longhorn is Rancher's own and does RWX.
    storage: { storageClass: 'longhorn', readWriteManyClass: 'longhorn' },
    loadBalancer: { support: LoadBalancerSupport.NODE_PORT_FALLBACK },
    ingress: { className: 'nginx', controllerNamespace: 'kube-system' },
  },
} satisfies Record<string, TargetProps>;

/** Id of a built-in target profile. */
export type BuiltInTargetId = keyof typeof BUILT_IN_PROFILES;
