import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';

/** A Kubernetes object, or part of one, as plain JSON. */
export type Json = { [key: string]: unknown };

/** Metadata the library sets on its objects. */
export interface ObjectMeta {
  /** Object name. */
  readonly name: string;
  /** Labels. */
  readonly labels: { [key: string]: string };
  /** Annotations; left out when empty. */
  readonly annotations?: { [key: string]: string };
}

/**
 * Creates a plain cdk8s ApiObject. The library renders plain JSON rather than the k8s L1 classes,
 * whose `toJson` keeps only the fields the 1.27 schema knows: a native sidecar's `restartPolicy`,
 * a preStop `sleep`, or a field a user adds with `addJsonPatch` would be dropped without a word.
 */
export function newApiObject(
  scope: Construct,
  id: string,
  type: { apiVersion: string; kind: string },
  metadata: ObjectMeta,
  body: Json,
): ApiObject {
  const annotations =
    metadata.annotations && Object.keys(metadata.annotations).length > 0 ? metadata.annotations : undefined;
  return new ApiObject(scope, id, {
    ...type,
    metadata: { name: metadata.name, labels: metadata.labels, ...(annotations ? { annotations } : {}) },
    ...body,
  });
}

/** Marks an object cluster-scoped: the chart stamps its namespace on every object otherwise. */
export function clusterScoped(object: ApiObject): ApiObject {
  object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return object;
}

/** A value computed when the object is rendered, so it sees what was added after construction. */
export function later<T>(produce: () => T): T {
  return Lazy.any({ produce }) as unknown as T;
}
