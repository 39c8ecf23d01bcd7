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
  /**
   * Addresses outside any pod where pods may send their DNS queries, allowed on port 53 as
   * ipBlock peers, since no pod selector matches them: GKE's Cloud DNS (the node's metadata
   * server, 169.254.169.254) and NodeLocal DNSCache (169.254.20.10).
   * @default - none
   */
  readonly nodeLocalAddresses?: string[];
}

/** CoreDNS/kube-dns as most distributions run it. */
export const KUBE_DNS: ClusterDns = Object.freeze({
  namespace: 'kube-system',
  podLabels: Object.freeze({ 'k8s-app': 'kube-dns' }),
  ports: Object.freeze([53]) as number[],
});

/** Selects a namespace by the name label every namespace carries. */
export function namespaceSelector(namespace: string): { matchLabels: { [key: string]: string } } {
  return { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
}

/** The egress rule that lets every pod resolve names. cdk8s-plus's `isolate` forgets this. */
export function dnsEgressRule(dns: ClusterDns): PolicyRule[] {
  const both = (port: number) => [portRule(port, 'UDP'), portRule(port, 'TCP')];
  const pods = {
    to: [{ namespaceSelector: namespaceSelector(dns.namespace), podSelector: { matchLabels: dns.podLabels } }],
    ports: dns.ports.flatMap(both),
  };
  const addresses = dns.nodeLocalAddresses ?? [];
  return addresses.length === 0
    ? [pods]
    : [pods, { to: addresses.map((address) => ({ ipBlock: { cidr: `${address}/32` } })), ports: both(53) }];
}

/** A NetworkPolicy peer selecting `pods`, as seen from a policy in `fromNamespace`. */
export function podPeer(pods: PodPeer, fromNamespace: string): { [key: string]: unknown } {
  return {
    podSelector: { matchLabels: pods.selectorLabels },
    ...(fromNamespace === pods.namespace ? {} : { namespaceSelector: namespaceSelector(pods.namespace) }),
  };
}
