import type { NamedPort } from '../pod/container';
import { GatewayDataPlane, IdentityMechanism, TrafficPeer } from '../targets/profile';
import type { WorkloadIdentity } from '../targets/rendering';
import type { Target } from '../targets/target';
import { cidrPeer, namespaceSelector, PolicyPeer, policyPort, PolicyRule, tcpPorts } from './policy';

/**
 * The rules for traffic that is not a dependency edge: what reaches an exposed port from the
 * target's ingress controller, Gateway data plane or cloud load balancer, and what a workload
 * with a cloud identity sends to the node-local endpoint that hands out its credentials.
 */

/** Where a route attaches: a Gateway by name and namespace, optionally one listener. */
export interface RouteParent {
  /** Gateway name. */
  readonly name: string;
  /** Gateway namespace. */
  readonly namespace: string;
  /** Listener. */
  readonly sectionName?: string;
}

/** Label the Gateway API asks implementations to put on the proxy pods they deploy for a Gateway. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * A peer for pods of the cluster that send exposed traffic. `podSelector: {}` is always set:
 * OpenShift matches host-network pods (its router on bare metal) only with it.
 */
export function trafficPeer(peer: TrafficPeer): PolicyPeer {
  return {
    namespaceSelector: { matchLabels: { ...peer.namespaceLabels } },
    podSelector: peer.podLabels ? { matchLabels: { ...peer.podLabels } } : {},
  };
}

/**
 * Outside traffic to an exposed port: from the in-cluster ingress controller's namespace, or
 * from any source where the load balancer sends traffic straight to pod IPs.
 */
export function exposedTrafficRule(target: Target, viaIngress: boolean, port: NamedPort): PolicyRule {
  const controller = viaIngress ? target.ingressController : undefined;
  return { ...(controller ? { peers: [trafficPeer(controller)] } : {}), ports: [policyPort(port)] };
}

/**
 * The port a load balancer's health check probes, from the sources of `traffic`: a check on
 * another port than the traffic's would otherwise fail on every target.
 */
export function healthCheckRule(traffic: PolicyRule, checkPort: number): PolicyRule {
  return { ...traffic, ports: tcpPorts(checkPort) };
}

/**
 * Routed traffic to a port: from the proxies beside the Gateway, the target's shared proxies, or
 * any source where a cloud load balancer sends it to pod IPs.
 */
export function routedTrafficRule(
  target: Target,
  parent: RouteParent,
  policyNamespace: string,
  port: NamedPort,
): PolicyRule {
  const ports = [policyPort(port)];
  const proxies = target.gatewayProxies;
  if (target.gatewayDataPlane === GatewayDataPlane.BESIDE_GATEWAY) {
    const besideGateway = { podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: parent.name } } };
    const namespace =
      parent.namespace === policyNamespace ? {} : { namespaceSelector: namespaceSelector(parent.namespace) };
    return { peers: [{ ...namespace, ...besideGateway }], ports };
  }
  if (target.gatewayDataPlane === GatewayDataPlane.SHARED_PROXIES && proxies)
    return { peers: [trafficPeer(proxies)], ports };
  return { ports };
}

/**
 * Egress to the node-local endpoint that hands a pod its cloud credentials, where the identity
 * mechanism has one (link-local addresses, so only an ipBlock names them): GKE's metadata server
 * (169.254.169.254 on 80 and 8080 with Dataplane V2; 169.254.169.252 on 987 and 988 with
 * Calico), the EKS Pod Identity agent (169.254.170.23 and fd00:ec2::23 on 80). IRSA and Azure
 * exchange a projected token with the cloud's HTTPS API, which the workload declares itself.
 */
export function identityEgressRules(target: Target, identity: WorkloadIdentity | undefined): PolicyRule[] {
  if (target.identity === IdentityMechanism.GCP_WORKLOAD_IDENTITY && identity?.gcpServiceAccount) {
    return [
      { peers: [cidrPeer('169.254.169.254/32')], ports: tcpPorts(80, 8080) },
      { peers: [cidrPeer('169.254.169.252/32')], ports: tcpPorts(987, 988) },
    ];
  }
  if (target.identity === IdentityMechanism.AWS_POD_IDENTITY && identity?.awsRoleArn)
    return [{ peers: [cidrPeer('169.254.170.23/32'), cidrPeer('fd00:ec2::23/128')], ports: tcpPorts(80) }];
  return [];
}
