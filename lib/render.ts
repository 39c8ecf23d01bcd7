import {
  ApiObject,
  ApiObjectMetadataDefinition,
  App,
  Chart,
  ImplicitTokenResolver,
  Lazy,
  LazyResolver,
  NumberStringUnionResolver,
} from 'cdk8s';

/**
 * Renders an ApiObject to the same plain JSON as `apiObject.toJson()`, in one pass per object.
 *
 * cdk8s renders an object in two walks: `resolve` (which looks up the App's resolvers by walking
 * from the object to the root at every node) and `sanitizeValue` (drops null/undefined, sorts
 * keys). The library emits plain ApiObjects whose props are JSON with Lazy values inside, so one
 * walk that resolves, drops and sorts gives the same result.
 *
 * It reproduces code cdk8s does not export, so it runs only on the cdk8s releases it was checked
 * against (test/render.test.ts compares both paths for every object of the example apps and the
 * benchmark, and fails on any other release); under any other cdk8s every object goes through
 * `toJson()`, which is always correct. It also falls back, per
 * object, when the App has custom resolvers, the object has JSON patches, its class is not a
 * plain ApiObject (a k8s L1 class, or one that overrides `toJson`), cdk8s is set not to sort keys,
 * or a value is anything but JSON, Lazy, a token with `resolve()` or a Quantity/IntOrString-like
 * `{ value }` object (cdk8s then renders it, or raises its own error).
 */

/** Thrown inside the fast path for a value it does not reproduce; the object is then rendered by cdk8s. */
const UNSUPPORTED = new Error('cdk8s-msa render: outside the fast path');

/** Resolves a value's tokens the way the App's built-in resolvers do: Lazy, then `resolve()`, then `{ value }` unions. */
function token(value: any): any {
  for (;;) {
    if (value === null || value === undefined || typeof value !== 'object') {
      if (typeof value === 'function') throw UNSUPPORTED;
      return value;
    }
    if (value instanceof Lazy) value = value.produce();
    else if (typeof value.resolve === 'function') value = value.resolve();
    else if (value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string'))
      return { value: value.value };
    else return value;
  }
}

/**
 * Sorts `keys` in place as `Array.prototype.sort` would (UTF-16 code units), moving `values` with
 * them. An insertion sort: objects have a handful of keys, and the built-in sort allocates a work
 * copy on every call, which at 35,000 objects was the largest single source of garbage.
 */
function sortTogether(keys: string[], values: unknown[]): void {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    const value = values[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) {
      keys[j + 1] = keys[j];
      values[j + 1] = values[j];
    }
    keys[j + 1] = key;
    values[j + 1] = value;
  }
}

/** Above this many keys the built-in sort wins over the insertion sort. */
const INSERTION_SORT_LIMIT = 32;

/** `sanitizeValue(resolve(value))`: resolved in insertion order, null/undefined dropped, keys sorted. */
function plain(raw: any, filterEmpty: boolean): any {
  const value = token(raw);
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') {
    if (typeof value === 'symbol' || typeof value === 'bigint') throw UNSUPPORTED;
    return value;
  }
  if (Array.isArray(value)) {
    if (filterEmpty && value.length === 0) return undefined;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      out[i] = plain(value[i], filterEmpty);
      if (out[i] === undefined) throw UNSUPPORTED;
    }
    return out;
  }
  if (value.constructor !== Object) throw UNSUPPORTED;
  const keys = Object.keys(value);
  const values = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const v = value[keys[i]];
    // Scalars need no resolving: spared the call (most values are scalars).
    values[i] =
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? v
        : v === null || v === undefined
          ? undefined
          : plain(v, filterEmpty);
  }
  if (keys.length <= INSERTION_SORT_LIMIT) sortTogether(keys, values);
  else {
    const byKey = new Map(keys.map((key, i) => [key, values[i]]));
    keys.sort();
    for (let i = 0; i < keys.length; i++) values[i] = byKey.get(keys[i]);
  }
  const out: any = {};
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    if (values[i] !== undefined) {
      out[keys[i]] = values[i];
      count++;
    }
  }
  return filterEmpty && count === 0 ? undefined : out;
}

/** `apiObject.metadata.toJson()`: resolved and sanitized with empty arrays and objects dropped. */
function metadataJson(metadata: ApiObjectMetadataDefinition): any {
  const m = metadata as any;
  const attributes = Object.assign({}, m._additionalAttributes);
  attributes.name = m.name;
  attributes.namespace = m.namespace;
  attributes.annotations = m.annotations;
  attributes.finalizers = m.finalizers;
  attributes.ownerReferences = m.ownerReferences;
  attributes.labels = m.labels;
  return plain(attributes, true);
}

/**
 * The cdk8s releases whose rendering the fast path reproduces, each checked by test/render.test.ts.
 * After a cdk8s upgrade that test fails until its rendering code (`ApiObject#toJson`, `resolve`,
 * the private `sanitizeValue`) is re-read for changes the renderer must follow and the release is
 * added here; until then every object renders through `toJson()`.
 */
export const VERIFIED_CDK8S_VERSIONS: readonly string[] = Object.freeze(['2.70.106']);
let cdk8sVerified: boolean | undefined;

/** The installed cdk8s release, from its package manifest (public metadata: no private module is loaded). */
export function installedCdk8sVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON manifest, read once
  return require('cdk8s/package.json').version;
}

function usesBuiltInResolversOnly(app: App): boolean {
  const r = app.resolvers;
  return (
    r.length === 3 &&
    Object.getPrototypeOf(r[0]) === LazyResolver.prototype &&
    Object.getPrototypeOf(r[1]) === ImplicitTokenResolver.prototype &&
    Object.getPrototypeOf(r[2]) === NumberStringUnionResolver.prototype
  );
}

/**
 * Whether cdk8s sorts keys, as it does unless CDK8S_DISABLE_SORT is set in its process: asked of
 * cdk8s itself, once, so the library reads no environment.
 */
let cdk8sSortsKeys: boolean | undefined;
function sortsKeys(): boolean {
  if (cdk8sSortsKeys === undefined) {
    const probe = new ApiObject(new Chart(new App(), 'probe'), 'probe', {
      apiVersion: 'v1',
      kind: 'Probe',
      spec: { b: 1, a: 1 },
    });
    cdk8sSortsKeys = Object.keys(probe.toJson().spec).join() === 'a,b';
  }
  return cdk8sSortsKeys;
}

/**
 * The object's JSON by the fast path, or undefined when only cdk8s's own `toJson()` is trusted
 * for it. Throws when a value inside is outside the fast path (see `renderApiObject`).
 */
export function fastRender(object: ApiObject): any {
  cdk8sVerified ??= VERIFIED_CDK8S_VERSIONS.includes(installedCdk8sVersion());
  const o = object as any;
  if (
    !cdk8sVerified ||
    Object.getPrototypeOf(object) !== ApiObject.prototype ||
    Object.prototype.hasOwnProperty.call(object, 'toJson') ||
    o.patches.length > 0 ||
    Object.getPrototypeOf(object.metadata) !== ApiObjectMetadataDefinition.prototype ||
    !usesBuiltInResolversOnly(App.of(object)) ||
    !sortsKeys()
  )
    return undefined;
  const json = plain({ ...o.props, metadata: metadataJson(object.metadata) }, false);
  const result: any = {};
  for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
    if (key in json) result[key] = json[key];
  }
  return result;
}

/**
 * An ApiObject as plain JSON, identical to `apiObject.toJson()` (test/render.test.ts compares
 * them for every object the example apps and the benchmark produce), in one walk instead of two.
 */
export function renderApiObject(object: ApiObject): any {
  let json: any;
  try {
    json = fastRender(object);
  } catch {
    // Anything unexpected, including an error in a Lazy producer: cdk8s renders (or reports) it.
    json = undefined;
  }
  return json ?? object.toJson();
}
