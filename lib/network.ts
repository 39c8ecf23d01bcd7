import { k8s } from './k8s';

/** A NetworkPolicy peer (pod and/or namespace selector, or an IP block). */
export type NetworkPeer = k8s.NetworkPolicyPeer;

/** A NetworkPolicy port entry for a numeric port. */
export function portRule(port: number, protocol: string): k8s.NetworkPolicyPort {
  return { port: k8s.IntOrString.fromNumber(port), protocol };
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
export const KUBE_DNS: ClusterDns = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, ports: [53] };

/** The egress rule that lets every pod resolve names. cdk8s-plus's `isolate` forgets this. */
export function dnsEgressRule(dns: ClusterDns): k8s.NetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.namespace } },
      podSelector: { matchLabels: dns.podLabels },
    }],
    ports: dns.ports.flatMap((port) => [portRule(port, 'UDP'), portRule(port, 'TCP')]),
  };
}
