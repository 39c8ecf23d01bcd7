/**
 * What kubectl context names of each built-in target look like, so deploy refuses to apply EKS
 * manifests to a kind cluster by accident. A CLI concern: the target model does not carry it.
 * Targets not listed here (`Target.custom`) get no pattern check; deploy asks for an explicit
 * `--context` instead.
 */
export interface ContextPattern {
  /** Regular expression a context name of this target matches. */
  readonly pattern: RegExp;
  /** An example context name, for messages. */
  readonly example: string;
}

const eks = /^arn:aws[a-z-]*:eks:[a-z0-9-]+:[0-9]{12}:cluster\/.+$/;
const gke = { pattern: /^gke_[^_]+_[^_]+_.+$/, example: 'gke_my-project_europe-west1_shop' };

/** Context patterns by built-in target id. */
export const BUILT_IN_CONTEXTS: { [targetId: string]: ContextPattern } = {
  'docker-desktop': { pattern: /^docker-desktop$/, example: 'docker-desktop' },
  kind: { pattern: /^kind-.+$/, example: 'kind-kind' },
  minikube: { pattern: /^minikube$/, example: 'minikube' },
  k3s: { pattern: /^(default|rancher-desktop|k3s.*)$/, example: 'default' },
  eks: { pattern: eks, example: 'arn:aws:eks:eu-west-1:123456789012:cluster/shop' },
  'eks-auto': { pattern: eks, example: 'arn:aws:eks:eu-west-1:123456789012:cluster/shop-auto' },
  gke: gke,
  'gke-autopilot': gke,
  aks: { pattern: /^[A-Za-z0-9][-_A-Za-z0-9]*$/, example: 'shop-aks' },
  openshift: { pattern: /^[^/]+\/[^/]+:[0-9]+\/.+$/, example: 'shop/api-cluster-example-com:6443/admin' },
  rke2: { pattern: /^.+$/, example: 'rke2-shop' },
  // kubeadm's admin.conf names its context after the default cluster name.
  kubeadm: { pattern: /^kubernetes-admin@.+$/, example: 'kubernetes-admin@kubernetes' },
};
