
/** Pods a NetworkPolicy rule can name: by their labels, in their namespace. */
export interface PodPeer {
  /** Labels that select the pods. */
  readonly selectorLabels: { [key: string]: string };
  /** Namespace of the pods. */
  readonly namespace: string;
}

/** A NetworkPolicy rule (ingress or egress) as the API takes it. */
export type PolicyRule = { [key: string]: unknown };

/** A NetworkPolicy port entry for a numeric port. */
export function portRule(port: number, protocol: string): { port: number; protocol: string } {
  return { port, protocol };
}

/** Where cluster DNS runs on a target, so egress to it can be allowed. */
export interface ClusterDns {
  /** Namespace of the DNS pods. */
  readonly namespace: string;
  /** Labels of the DNS pods. */
  readonly podLabels: { [key: string]: string };
  /** Ports the DNS pods listen on (UDP and TCP are both allowed). */
  readonly ports: number[];
}

/** CoreDNS/kube-dns as most distributions run it. */
export const KUBE_DNS: ClusterDns = Object.freeze({ namespace: 'kube-system', podLabels: Object.freeze({ 'k8s-app': 'kube-dns' }), ports: Object.freeze([53]) as number[] });

/** Selects a namespace by the name label every namespace carries. */
export function namespaceSelector(namespace: string): { matchLabels: { [key: string]: string } } {
  return { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
}

/** The egress rule that lets every pod resolve names. cdk8s-plus's `isolate` forgets this. */
export function dnsEgressRule(dns: ClusterDns): PolicyRule {
  return {
    to: [{ namespaceSelector: namespaceSelector(dns.namespace), podSelector: { matchLabels: dns.podLabels } }],
    ports: dns.ports.flatMap((port) => [portRule(port, 'UDP'), portRule(port, 'TCP')]),
  };
}

/** A NetworkPolicy peer selecting `pods`, as seen from a policy in `fromNamespace`. */
export function podPeer(pods: PodPeer, fromNamespace: string): { [key: string]: unknown } {
  return {
    podSelector: { matchLabels: pods.selectorLabels },
    ...(fromNamespace === pods.namespace ? {} : { namespaceSelector: namespaceSelector(pods.namespace) }),
  };
}
