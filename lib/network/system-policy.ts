import { ClusterDns, GatewayDataPlane } from '../targets/profile';
import type { Target } from '../targets/target';
import { cidrPeer, Direction, namespaceSelector, policyPort, renderRule } from './policy';
import { GATEWAY_NAME_LABEL } from './traffic';

/** The egress rules that let every pod resolve names. cdk8s-plus's `isolate` forgets this. */
export function dnsEgressRules(dns: ClusterDns): Array<{ [key: string]: unknown }> {
  const both = (port: number) => [policyPort({ port, protocol: 'UDP' }), policyPort({ port, protocol: 'TCP' })];
  const pods = {
    peers: [{ namespaceSelector: namespaceSelector(dns.namespace), podSelector: { matchLabels: dns.podLabels } }],
    ports: dns.ports.flatMap(both),
  };
  const addresses = dns.nodeLocalAddresses ?? [];
  const rules =
    addresses.length === 0 ? [pods] : [pods, { peers: addresses.map((a) => cidrPeer(`${a}/32`)), ports: both(53) }];
  return rules.map((rule) => renderRule(rule, Direction.EGRESS));
}

/**
 * The pods a system's default deny and DNS egress policies select: every pod of the namespace,
 * except the proxies an implementation deploys beside the system's own Gateway (`ownGateway`).
 * Those take whatever the load balancer sends and need their control plane (istiod) as well as
 * the backends, so they stay unisolated: the same as a policy admitting everything, without a
 * policy whose pods no manifest holds. Each backend's own policy still admits only these proxies.
 */
export function isolatedPodSelector(target: Target, ownGateway: boolean): { [key: string]: unknown } {
  const besideGateway = target.gatewayDataPlane === GatewayDataPlane.BESIDE_GATEWAY;
  return besideGateway && ownGateway
    ? { matchExpressions: [{ key: GATEWAY_NAME_LABEL, operator: 'DoesNotExist' }] }
    : {};
}
