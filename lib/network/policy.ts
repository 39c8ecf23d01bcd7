import type { PodPeer } from '../pod/pods';

/**
 * The NetworkPolicy model: a rule is the peers it names and the ports it opens, the same shape in
 * both directions. Every rule the library emits is built in lib/network/ from these pieces;
 * workloads and systems only say which rules they hold, and render them at synth.
 */

/** A port a rule opens. */
export interface PolicyPort {
  /** Port number. */
  readonly port: number;
  /** `TCP` or `UDP`. */
  readonly protocol: string;
}

/** A NetworkPolicy peer as the API takes it: pods, namespaces or an address block. */
export type PolicyPeer = { [key: string]: unknown };

/** One rule: `from` (ingress) or `to` (egress) these peers, on these ports. */
export interface PolicyRule {
  /** The peers; undefined means any source or destination. */
  readonly peers?: PolicyPeer[];
  /** The ports. */
  readonly ports: PolicyPort[];
}

/** Which way a rule lets traffic through the policy's pods. */
export enum Direction {
  /** To the pods. */
  INGRESS = 'ingress',
  /** From the pods. */
  EGRESS = 'egress',
}

/** A port entry; TCP unless the port says otherwise. */
export function policyPort(port: { readonly port: number; readonly protocol?: string }): PolicyPort {
  return { port: port.port, protocol: port.protocol ?? 'TCP' };
}

/** TCP entries for each of `ports`. */
export function tcpPorts(...ports: number[]): PolicyPort[] {
  return ports.map((port) => ({ port, protocol: 'TCP' }));
}

/** Selects a namespace by the name label every namespace carries. */
export function namespaceSelector(namespace: string): { matchLabels: { [key: string]: string } } {
  return { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
}

/** A peer selecting `pods`, as seen from a policy in `fromNamespace`. */
export function podsPeer(pods: PodPeer, fromNamespace: string): PolicyPeer {
  return {
    podSelector: { matchLabels: pods.selectorLabels },
    ...(fromNamespace === pods.namespace ? {} : { namespaceSelector: namespaceSelector(pods.namespace) }),
  };
}

/** A peer selecting the pods of `namespace`, all of them or those with `podLabels`. */
export function namespacePeer(namespace: string, podLabels?: { [key: string]: string }): PolicyPeer {
  return {
    namespaceSelector: namespaceSelector(namespace),
    ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
  };
}

/** A peer naming an address block (`10.0.0.0/16`, `169.254.169.254/32`): what no pod selector matches. */
export function cidrPeer(cidr: string): PolicyPeer {
  return { ipBlock: { cidr } };
}

/** The rule letting the pods of one workload reach each other (a clustered store's peers) on `ports`, in either direction. */
export function peersRule(
  pods: PodPeer,
  ports: ReadonlyArray<{ readonly port: number; readonly protocol?: string }>,
): PolicyRule {
  return { peers: [podsPeer(pods, pods.namespace)], ports: ports.map(policyPort) };
}

/** A rule as the API takes it in `direction`. */
export function renderRule(rule: PolicyRule, direction: Direction): { [key: string]: unknown } {
  const key = direction === Direction.INGRESS ? 'from' : 'to';
  return { ...(rule.peers ? { [key]: rule.peers } : {}), ports: rule.ports.map((p) => ({ ...p })) };
}

/** Rules given now, or produced at synth from what the whole app declares (dependency edges). */
type RuleSource = PolicyRule | (() => PolicyRule[]);

/**
 * The NetworkPolicy of one workload's pods, held as rules and rendered at synth, so a rule that
 * depends on other workloads sees every one of them, whatever order they were declared in. Rules
 * render in the order their sources were added.
 */
export class WorkloadPolicy {
  private readonly sources: { [direction in Direction]: RuleSource[] } = {
    [Direction.INGRESS]: [],
    [Direction.EGRESS]: [],
  };

  /** Adds `rule` in `direction`; a function is asked at synth for the rules it stands for. */
  public allow(direction: Direction, rule: RuleSource): void {
    this.sources[direction].push(rule);
  }

  /** Every rule in `direction`, as of now. */
  public rules(direction: Direction): PolicyRule[] {
    return this.sources[direction].flatMap((source) => (typeof source === 'function' ? source() : [source]));
  }

  /**
   * The rules in `direction` as the API takes them, or undefined for none: an empty list is left
   * out, as the API server drops it and re-applying `[]` would bump the object's generation.
   */
  public render(direction: Direction): Array<{ [key: string]: unknown }> | undefined {
    const rules = this.rules(direction);
    return rules.length > 0 ? rules.map((rule) => renderRule(rule, direction)) : undefined;
  }
}
