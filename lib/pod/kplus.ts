/**
 * Living beside cdk8s-plus-27: its ConfigMap and Secret objects where we take names, and our
 * workloads where it takes a pod selector. cdk8s-plus is imported for its types only and loaded
 * at run time only when one of its constructs asks for a selector, so a synth that never meets
 * it does not pay its load time.
 */
import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import type { PodPeer } from './pods';

/** A ConfigMap or Secret: its name, or the cdk8s-plus object. */
export type NamedObject = string | kplus.IConfigMap | kplus.ISecret;

/** A ConfigMap or Secret given by name or as a cdk8s-plus object: its name, and the object when there is one. */
export function namedObject(object: NamedObject): { readonly name: string; readonly object?: IConstruct } {
  return typeof object === 'string' ? { name: object } : { name: object?.name, object };
}

/**
 * Whether `object` is written by this app into `namespace`, so it exists when the pods start: a
 * cdk8s-plus Secret created in the system, unlike one imported with `Secret.fromSecretName`.
 */
export function writtenInto(object: IConstruct | undefined, namespace: string): boolean {
  return (
    object !== undefined &&
    object.node.findAll().some((c) => c instanceof ApiObject && c.metadata.namespace === namespace)
  );
}

/** Key of what an object makes the cluster write: `Symbol.for`, so a second copy of the package finds it. */
const PRODUCES = Symbol.for('cdk8s-msa.produces');

/** Marks `object` as making the cluster write a `kind` object named `name` beside it (an ExternalSecret its Secret). */
export function markProduces(object: ApiObject, kind: string, name: string): void {
  Object.defineProperty(object, PRODUCES, { value: { kind, name } });
}

/**
 * Whether `system` writes a `kind` object named `name` into `namespace`, as a plain ApiObject or a
 * cdk8s-plus one, or has an operator write it (an ExternalSecret's Secret): only a system's objects
 * reach the output, and only one system owns a namespace.
 */
export function writesNamed(system: IConstruct, kind: string, name: string, namespace: string): boolean {
  return system.node.findAll().some((c) => {
    if (!(c instanceof ApiObject) || c.metadata.namespace !== namespace) return false;
    const made = (c as unknown as { [PRODUCES]?: { kind: string; name: string } })[PRODUCES];
    return (c.kind === kind && c.name === name) || (made?.kind === kind && made.name === name);
  });
}

/** The cdk8s-plus pod selector config selecting `pods`, in their namespace. */
export function podSelectorConfig(pods: PodPeer): kplus.PodSelectorConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (see above)
  const plus: typeof kplus = require('cdk8s-plus-27');
  return {
    labelSelector: plus.LabelSelector.of({ labels: { ...pods.selectorLabels } }),
    namespaces: { names: [pods.namespace] },
  };
}
