import type { IConstruct } from 'constructs';
import type { ISystem } from '../contracts';
import type { Dependency } from './dependency';
import { perApp, resolveDependency } from './edges';
import { namespacePeer, policyPort, PolicyRule } from './policy';

/**
 * The traffic of the operators a platform runs beside the app: the Prometheus Operator's
 * Prometheus scraping a workload's metrics port, and the KEDA operator reading the queue or
 * metrics server a trigger names. Each is admitted on the one port it reads, from its own
 * namespace and pods only.
 */

/** An operator's pods: their namespace and the labels that pick them. */
export interface OperatorPods {
  /** Namespace the operator runs in. */
  readonly namespace: string;
  /** Labels of its pods. */
  readonly podLabels: { [key: string]: string };
}

/** The ingress rule admitting an operator's pods on one port. */
export function operatorRule(
  pods: OperatorPods,
  port: { readonly port: number; readonly protocol?: string },
): PolicyRule {
  return { peers: [namespacePeer(pods.namespace, pods.podLabels)], ports: [policyPort(port)] };
}

const READS = new WeakMap<IConstruct, OperatorReads>();

/**
 * The servers of one app an operator reads: a KEDA trigger names a queue or a metrics server, which
 * may be a service of the app whose NetworkPolicy must then admit the KEDA operator on the port
 * read. The scaled workload declares the read; the server's policy asks at synth, when every
 * workload exists, so the order of declaration does not matter.
 */
export class OperatorReads {
  /** The reads of the app `scope` belongs to. */
  public static of(scope: IConstruct): OperatorReads {
    return perApp(READS, scope, () => new OperatorReads());
  }

  private readonly reads: Array<{ system: ISystem; server: Dependency; pods: OperatorPods }> = [];

  private constructor() {}

  /** Records that the operator's `pods` read `server`, named from `system`. */
  public declare(system: ISystem, server: Dependency, pods: OperatorPods): void {
    this.reads.push({ system, server, pods });
  }

  /** The ingress rules `provider` holds for the operators that read it, each once. */
  public rulesFor(provider: IConstruct): PolicyRule[] {
    const rules = new Map<string, PolicyRule>();
    for (const { system, server, pods } of this.reads) {
      const edge = resolveDependency(system, server);
      if ((edge.provider as IConstruct | undefined) !== provider || !edge.port) continue;
      const rule = operatorRule(pods, edge.port);
      rules.set(JSON.stringify(rule), rule);
    }
    return [...rules.values()];
  }
}
