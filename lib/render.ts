import {
  ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver, resolve,
} from 'cdk8s';
import { sanitizeValue } from 'cdk8s/lib/_util';
import { k8s } from './k8s';

/**
 * Renders an ApiObject to the same plain JSON as `apiObject.toJson()`, in one pass per object.
 *
 * cdk8s renders an object in three walks: `resolve` (which looks up the App's resolvers by walking
 * from the object to the root at every node), `sanitizeValue` (drops null/undefined, sorts keys),
 * and for the generated L1 classes (`k8s.KubeDeployment`...) a `toJson_*` projection that rebuilds
 * every struct with reduce-and-spread. That projection keeps only the schema's fields, in the
 * schema's order, renames a few (`clusterIp` → `clusterIP`, `xKubernetes…` → `x-kubernetes-…`) and
 * unwraps Quantity/IntOrString (`{ value }` → value). This module does the same in one walk.
 *
 * What it replicates is read, not assumed: each `toJson_*` function's source is parsed (on first
 * use) into a field table, and any line outside the ten shapes the generator emits disables the
 * fast path for that kind. The cdk8s functions it mirrors are fingerprinted; if an installed cdk8s
 * differs from the one the fast path was checked against, every object goes through `toJson()`.
 * It also falls back, per object, when the App has custom resolvers, the object has JSON patches,
 * its class is not a plain ApiObject or an unmodified k8s L1 class, `CDK8S_DISABLE_SORT` is set,
 * or a value is anything but JSON, Lazy, a token with `resolve()` or a Quantity/IntOrString-like
 * `{ value }` object (cdk8s then renders it, or raises its own error).
 */

/** Thrown inside the fast path for a value it does not reproduce; the object is then rendered by cdk8s. */
const UNSUPPORTED = new Error('cdk8s-msa render: outside the fast path');

/** How a `toJson_*` function converts one field: the ten shapes cdk8s's code generator emits. */
export enum Shape { COPY, STRUCT, STRUCT_ARRAY, COPY_ARRAY, UNION, DATE, COPY_MAP, UNION_MAP, STRUCT_MAP, ARRAY_MAP }

/** One field of an L1 struct: its key in the JSON, how it converts, the struct type it holds, its position. */
export interface Field {
  readonly jsonKey: string; readonly shape: Shape; readonly type?: string; readonly index: number;
  /** The schema of `type`, looked up on first use. */
  schema?: Schema | null;
}
/** An L1 struct's fields, in the order its `toJson_*` writes them, and by property name. */
export interface Schema { readonly fields: Field[]; readonly byProp: Map<string, Field> }

const MAP = (value: string) => `((obj.{P}) === undefined) ? undefined : (Object.entries(obj.{P}).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: ${value} }), {}))`;
const FIELD_TEMPLATES: Array<[Shape, string]> = [
  [Shape.COPY, 'obj.{P}'],
  [Shape.STRUCT, 'toJson_{T}(obj.{P})'],
  [Shape.STRUCT_ARRAY, 'obj.{P}?.map(y => toJson_{T}(y))'],
  [Shape.COPY_ARRAY, 'obj.{P}?.map(y => y)'],
  [Shape.UNION, 'obj.{P}?.value'],
  [Shape.DATE, 'obj.{P}?.toISOString()'],
  [Shape.COPY_MAP, MAP('i[1]')],
  [Shape.UNION_MAP, MAP('i[1]?.value')],
  [Shape.STRUCT_MAP, MAP('toJson_{T}(i[1])')],
  [Shape.ARRAY_MAP, MAP('i[1]?.map(y => y)')],
];
const FIELD_PATTERNS = FIELD_TEMPLATES.map(([shape, template]): [Shape, RegExp] => {
  const escaped = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = escaped.replace('\\{P\\}', '(?<prop>\\w+)').replace(/\\\{P\\\}/g, '\\k<prop>').replace('\\{T\\}', '(?<type>\\w+)');
  return [shape, new RegExp(`^${source}$`)];
});
const FUNCTION_PATTERN = new RegExp('^function toJson_(\\w+)\\(obj\\) \\{\\n\\s*if \\(obj === undefined\\) \\{\\n\\s*return undefined;\\n\\s*\\}\\n'
  + '\\s*const result = \\{\\n([\\s\\S]*?)\\n\\s*\\};\\n\\s*// filter undefined values\\n'
  + '\\s*return Object\\.entries\\(result\\)\\.reduce\\(\\(r, i\\) => \\(i\\[1\\] === undefined\\) \\? r : \\(\\{ \\.\\.\\.r, \\[i\\[0\\]\\]: i\\[1\\] \\}\\), \\{\\}\\);\\n\\}$');
const FIELD_LINE = /^\s*'([^']+)': (.*),$/;

const k8sModule = k8s as unknown as Record<string, unknown>;
const schemas = new Map<string, Schema | null>();

/** The field table of `toJson_<type>`, parsed from its source; null when any part of it is not understood. */
export function schemaOf(type: string): Schema | null {
  if (schemas.has(type)) return schemas.get(type)!;
  const fn = k8sModule[`toJson_${type}`];
  const match = typeof fn === 'function' ? FUNCTION_PATTERN.exec(fn.toString()) : null;
  let schema: Schema | null = null;
  if (match && match[1] === type) {
    schema = { fields: [], byProp: new Map() };
    for (const [index, line] of match[2].split('\n').entries()) {
      const parsed = FIELD_LINE.exec(line);
      const found = parsed && FIELD_PATTERNS.map(([shape, re]) => ({ shape, m: re.exec(parsed[2]) })).find((x) => x.m);
      if (!parsed || !found || schema.byProp.has(found.m!.groups!.prop)) { schema = null; break; }
      const field = { jsonKey: parsed[1], shape: found.shape, type: found.m!.groups!.type, index };
      schema.fields.push(field);
      schema.byProp.set(found.m!.groups!.prop, field);
    }
  }
  schemas.set(type, schema);
  return schema;
}

/** Resolves a value's tokens the way the App's built-in resolvers do: Lazy, then `resolve()`, then `{ value }` unions. */
function token(value: any): any {
  for (;;) {
    if (value === null || value === undefined || typeof value !== 'object') {
      if (typeof value === 'function') throw UNSUPPORTED;
      return value;
    }
    if (value instanceof Lazy) value = value.produce();
    else if (typeof value.resolve === 'function') value = value.resolve();
    else if (value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string')) return { value: value.value };
    else return value;
  }
}

const isPlainObject = (value: any): boolean => value !== null && typeof value === 'object' && value.constructor === Object;

const isScalar = (value: unknown) => value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** `plain` of an object whose values are all scalars: nothing to resolve, so only sorted and filtered. */
function sortedScalars(value: any, keys: string[], filterEmpty: boolean): any {
  const out: any = {};
  let count = 0;
  for (const key of keys.sort()) {
    const v = value[key];
    if (v !== null && v !== undefined) { out[key] = v; count++; }
  }
  return filterEmpty && count === 0 ? undefined : out;
}

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
  if (keys.every((key) => isScalar(value[key]))) return sortedScalars(value, keys, filterEmpty);
  const resolved: any = {};
  for (const key of keys) resolved[key] = plain(value[key], filterEmpty);
  const out: any = {};
  let count = 0;
  for (const key of keys.sort()) {
    if (resolved[key] !== undefined) { out[key] = resolved[key]; count++; }
  }
  return filterEmpty && count === 0 ? undefined : out;
}

/**
 * `toJson_<type>(sanitizeValue(resolve(value)))` for a resolved plain object, written into `out`.
 * Fields are resolved in the object's own key order (as cdk8s resolves them) and written in the
 * schema's order. For a top-level object (`topLevel`), `metadata` replaces the props' metadata
 * and the GVK the L1 class spread into its props is skipped: its `toJson()` writes its own.
 */
function struct(schema: Schema, value: any, out: any = {}, topLevel?: { metadata: any }): any {
  const slots: any[] = [];
  const keys = Object.keys(value);
  if (topLevel && !('metadata' in value)) keys.push('metadata');
  for (const key of keys) {
    let raw = value[key];
    if (topLevel && key === 'metadata') raw = topLevel.metadata;
    else if (topLevel && (key === 'apiVersion' || key === 'kind')) {
      if (typeof raw !== 'string') throw UNSUPPORTED;
      continue;
    }
    const field = schema.byProp.get(key);
    if (!field) {
      if (raw === null || raw === undefined) continue;
      throw UNSUPPORTED; // cdk8s would resolve it and then drop it; not worth reproducing
    }
    slots[field.index] = convert(field, raw);
  }
  for (let i = 0; i < slots.length; i++) {
    if (slots[i] !== undefined) out[schema.fields[i].jsonKey] = slots[i];
  }
  return out;
}

function structOf(field: Field, raw: any): any {
  const schema = field.schema === undefined ? (field.schema = schemaOf(field.type!)) : field.schema;
  const value = token(raw);
  if (value === null || value === undefined) return undefined;
  if (!schema || !isPlainObject(value)) throw UNSUPPORTED;
  return struct(schema, value);
}

function plainObject(raw: any): any {
  const value = plain(raw, false);
  if (value !== undefined && !isPlainObject(value)) throw UNSUPPORTED;
  return value;
}

/** One field, as its `toJson_*` line converts the sanitized value. */
function convert(field: Field, raw: any): any {
  switch (field.shape) {
    case Shape.COPY: return plain(raw, false);
    case Shape.UNION: { const value = plain(raw, false); return value === undefined ? undefined : value.value; }
    case Shape.STRUCT: return structOf(field, raw);
    case Shape.STRUCT_ARRAY: {
      const list = token(raw);
      if (list === null || list === undefined) return undefined;
      if (!Array.isArray(list)) throw UNSUPPORTED;
      return list.map((item) => structOf(field, item) ?? failUnsupported());
    }
    case Shape.COPY_ARRAY: {
      const list = plain(raw, false);
      if (list !== undefined && !Array.isArray(list)) throw UNSUPPORTED;
      return list;
    }
    case Shape.COPY_MAP: return plainObject(raw);
    case Shape.UNION_MAP: return mapValues(plainObject(raw), (v) => v.value);
    case Shape.ARRAY_MAP: return mapValues(plainObject(raw), (v) => (Array.isArray(v) ? v : failUnsupported()));
    case Shape.STRUCT_MAP: {
      const map = token(raw);
      if (map === null || map === undefined) return undefined;
      if (!isPlainObject(map)) throw UNSUPPORTED;
      const resolved: any = {};
      for (const key of Object.keys(map)) resolved[key] = structOf(field, map[key]);
      return mapValues(resolved, (v) => v, true);
    }
    default: { // Shape.DATE: a Date is no plain JSON, so cdk8s's sanitizeValue rejects it
      const value = token(raw);
      if (value === null || value === undefined) return undefined;
      throw UNSUPPORTED;
    }
  }
}

function failUnsupported(): never { throw UNSUPPORTED; }

/** A map with each value converted, keys in sorted order (as sanitizeValue left them). */
function mapValues(map: any, fn: (value: any) => any, sort = false): any {
  if (map === undefined) return undefined;
  const out: any = {};
  const keys = Object.keys(map);
  for (const key of sort ? keys.sort() : keys) {
    if (map[key] !== undefined) out[key] = fn(map[key]);
  }
  return out;
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

/** How objects of one class render: null when only their own `toJson()` is trusted. */
interface ClassRenderer { readonly gvk?: { apiVersion: string; kind: string }; readonly props?: Schema }
const classRenderers = new Map<unknown, ClassRenderer | null>();

function classRenderer(prototype: object): ClassRenderer | null {
  if (classRenderers.has(prototype)) return classRenderers.get(prototype)!;
  let renderer: ClassRenderer | null = null;
  if (prototype === ApiObject.prototype) {
    renderer = {};
  } else if (Object.getPrototypeOf(prototype) === ApiObject.prototype) {
    const cls = (prototype as { constructor: any }).constructor;
    const name: string = cls.name;
    const expected = `toJson() { const resolved = super.toJson(); return { ...${name}.GVK, ...toJson_${name}Props(resolved), }; }`;
    const props = schemaOf(`${name}Props`);
    if (k8sModule[name] === cls && props && String(cls.prototype.toJson).replace(/\s+/g, ' ') === expected) renderer = { gvk: cls.GVK, props };
  }
  classRenderers.set(prototype, renderer);
  return renderer;
}

/** The cdk8s functions whose behaviour the fast path reproduces, as source text. */
function cdk8sRenderingSource(): string {
  return [
    ApiObject.prototype.toJson, ApiObjectMetadataDefinition.prototype.toJson, resolve, sanitizeValue, App.of, Lazy.prototype.produce,
    LazyResolver.prototype.resolve, ImplicitTokenResolver.prototype.resolve, NumberStringUnionResolver.prototype.resolve,
  ].map(String).join('\n');
}

/** FNV-1a of a text, as 8 hex digits. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * Fingerprint of the cdk8s rendering code the fast path was proven against (cdk8s 2.70.106, by
 * test/render.test.ts). Another cdk8s whose code differs renders through `toJson()` until the
 * test is rerun against it and this value updated.
 */
export const VERIFIED_CDK8S_FINGERPRINT = '3a328865';
let cdk8sVerified: boolean | undefined;

/** Whether the installed cdk8s is the one the fast path reproduces. */
export function installedCdk8sFingerprint(): string {
  return fingerprint(cdk8sRenderingSource());
}

function usesBuiltInResolversOnly(app: App): boolean {
  const r = app.resolvers;
  return r.length === 3 && Object.getPrototypeOf(r[0]) === LazyResolver.prototype
    && Object.getPrototypeOf(r[1]) === ImplicitTokenResolver.prototype && Object.getPrototypeOf(r[2]) === NumberStringUnionResolver.prototype;
}

/**
 * The object's JSON by the fast path, or undefined when only cdk8s's own `toJson()` is trusted
 * for it. Throws when a value inside is outside the fast path (see `renderApiObject`).
 */
export function fastRender(object: ApiObject): any {
  cdk8sVerified ??= installedCdk8sFingerprint() === VERIFIED_CDK8S_FINGERPRINT;
  const o = object as any;
  const renderer = classRenderer(Object.getPrototypeOf(object));
  if (!cdk8sVerified || !renderer || Object.prototype.hasOwnProperty.call(object, 'toJson') || o.patches.length > 0
    // cdk8s reads this switch in every toJson(); unsorted output is not reproduced.
    || process.env.CDK8S_DISABLE_SORT || Object.getPrototypeOf(object.metadata) !== ApiObjectMetadataDefinition.prototype
    || !usesBuiltInResolversOnly(App.of(object))) return undefined;
  const metadata = metadataJson(object.metadata);
  if (renderer.gvk) {
    // The L1 class spreads its GVK into the props and ignores them when rendering: it writes its own.
    return struct(renderer.props!, o.props, { apiVersion: renderer.gvk.apiVersion, kind: renderer.gvk.kind }, { metadata });
  }
  const json = plain({ ...o.props, metadata }, false);
  const result: any = {};
  for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
    if (key in json) result[key] = json[key];
  }
  return result;
}

/**
 * An ApiObject as plain JSON, identical to `apiObject.toJson()` (test/render.test.ts compares
 * them for every object the example apps and the benchmark produce), in about a third of the time.
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
