import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { buildShop } from '../apps/shop';
import { Target } from '../lib';
import { k8s } from '../lib/k8s';
import { fastRender, Field, installedCdk8sFingerprint, renderApiObject, schemaOf, Shape, VERIFIED_CDK8S_FINGERPRINT } from '../lib/render';
import { toYamlDocument } from '../lib/yaml-writer';
import { buildReference } from '../scripts/bench/reference';

const apiObjects = (root: Construct) => root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
const hasPatches = (o: ApiObject) => (o as any).patches.length > 0;

/** Every object of the tree rendered both ways: same JSON text (key order included) and same YAML. */
function expectIdentical(root: Construct): { fast: number; total: number } {
  let fast = 0;
  const objects = apiObjects(root);
  for (const o of objects) {
    const expected = o.toJson();
    const rendered = renderApiObject(o);
    expect({ path: o.node.path, json: JSON.stringify(rendered) }).toEqual({ path: o.node.path, json: JSON.stringify(expected) });
    expect(toYamlDocument(rendered)).toBe(toYamlDocument(expected));
    try {
      if (fastRender(o) !== undefined) fast++;
    } catch {
      // outside the fast path: renderApiObject fell back to toJson(), checked above
    }
  }
  return { fast, total: objects.length };
}

describe('renderApiObject', () => {
  test('the installed cdk8s is the one the fast path was checked against', () => {
    // If this fails after a cdk8s upgrade, every object silently renders through toJson() (slow,
    // still correct). Re-read cdk8s's ApiObject.toJson/resolve/sanitizeValue for changes the
    // renderer must follow, then update VERIFIED_CDK8S_FINGERPRINT in lib/render.ts.
    expect(installedCdk8sFingerprint()).toBe(VERIFIED_CDK8S_FINGERPRINT);
  });

  test.each(Target.BUILT_IN_IDS)('the example shop on %s renders identically, all but patched objects by the fast path', (id) => {
    const app = new App();
    buildShop(app, Target.fromId(id));
    const patched = apiObjects(app).filter(hasPatches).length;
    expect(expectIdentical(app)).toEqual({ fast: apiObjects(app).length - patched, total: apiObjects(app).length });
  });

  test('a generated benchmark system renders identically by the fast path', () => {
    const app = new App();
    buildReference(app, 25);
    const counts = expectIdentical(app);
    expect(counts.total).toBe(7 * 25 + 3);
    expect(counts.fast).toBe(counts.total - apiObjects(app).filter(hasPatches).length);
  });

  test('every k8s L1 kind, with every field filled, renders identically; all but lists by the fast path', () => {
    const kinds = Object.entries(k8s).filter(([, value]) => typeof value === 'function' && Object.prototype.isPrototypeOf.call(ApiObject.prototype, (value as any).prototype));
    // Lists (and Status) have ListMeta, which drops the name and labels every ApiObject gets: cdk8s renders those.
    const withObjectMeta = kinds.filter(([name]) => schemaOf(`${name}Props`)?.byProp.get('metadata')?.type === 'ObjectMeta');
    expect([kinds.length, withObjectMeta.length]).toEqual([134, 72]);
    for (const variant of [0, 1, 2]) {
      const app = new App();
      const chart = new Chart(app, `chart-${variant}`, { labels: { 'z-chart': 'label', 'a-chart': 'label' }, namespace: 'ns' });
      for (const [name, cls] of kinds) {
        const props = sample(`${name}Props`, variant, 0);
        // ApiObjectMetadataDefinition copies these two arrays at construction: they cannot be Lazy.
        const arrays = { finalizers: ['b', 'a'], ownerReferences: [sample('OwnerReference', variant, 2)] };
        props.metadata = { ...sample('ObjectMeta', variant, 2), name: `${name.toLowerCase()}-${variant}`, ...arrays };
        new (cls as any)(chart, name, props);
      }
      expect(expectIdentical(app)).toEqual({ fast: withObjectMeta.length, total: kinds.length });
    }
  });

  test('plain ApiObjects: Lazy values, tokens, Quantity-like values, nulls and key order', () => {
    const app = new App();
    const chart = new Chart(app, 'plain', { labels: { team: 'a' } });
    new ApiObject(chart, 'cm', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { annotations: { z: '1', a: Lazy.any({ produce: () => '2' }) }, finalizers: [] },
      data: { b: 'x', a: null, c: { resolve: () => 'token' }, q: k8s.Quantity.fromString('1Gi'), n: [k8s.IntOrString.fromNumber(3), { z: 1, a: undefined }] },
      spec: Lazy.any({ produce: () => ({ y: [], x: {} }) }),
    } as any);
    expect(expectIdentical(app)).toEqual({ fast: 1, total: 1 });
  });

  test('objects with JSON patches, custom resolvers or non-JSON values are rendered by cdk8s', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const patched = new k8s.KubeConfigMap(chart, 'patched', { data: { a: '1' } });
    patched.addJsonPatch(JsonPatch.add('/data/b', '2'), JsonPatch.remove('/metadata/namespace'));
    const dated = new k8s.KubeConfigMap(chart, 'dated', { data: { when: new Date(0) as any } });
    const extra = new k8s.KubeService(chart, 'extra', { spec: { clusterIp: 'None', notInTheSchema: 1 } as any });
    expect(fastRender(patched)).toBeUndefined();
    expect(renderApiObject(patched).data).toEqual({ a: '1', b: '2' });
    expect(() => fastRender(dated)).toThrow('outside the fast path');
    expect(() => renderApiObject(dated)).toThrow("can't render non-simple object of type 'Date'");
    expect(renderApiObject(extra)).toEqual(extra.toJson());
    expect(renderApiObject(extra).spec).toEqual({ clusterIP: 'None' });

    const custom = new App({ resolvers: [{ resolve: (c) => { if (c.value === 'x') c.replaceValue('y'); } }] });
    const cm = new k8s.KubeConfigMap(new Chart(custom, 'c'), 'cm', { data: { a: 'x' } });
    expect(fastRender(cm)).toBeUndefined();
    expect(renderApiObject(cm).data).toEqual({ a: 'y' });
  });

  test('an error in a Lazy producer is reported the way cdk8s reports it', () => {
    const app = new App();
    const cm = new k8s.KubeConfigMap(new Chart(app, 'c'), 'cm', { data: Lazy.any({ produce: () => { throw new Error('boom'); } }) as any });
    expect(() => renderApiObject(cm)).toThrow("Failed serializing construct at path 'c/cm' with name 'c-cm-c808fc05': Error: boom");
  });
});

/** A value for every field of an L1 struct, in reverse schema order, varied by `variant`; nested structs stop at depth 3. */
function sample(type: string, variant: number, depth: number): any {
  const schema = schemaOf(type);
  if (!schema) throw new Error(`no schema for ${type}`);
  const out: any = {};
  for (const [prop, field] of [...schema.byProp].reverse()) {
    const value = fieldValue(field, variant + prop.length, depth);
    if (value !== undefined) out[prop] = value;
  }
  return out;
}

function fieldValue(field: Field, variant: number, depth: number): any {
  const nested = () => (depth < 3 ? sample(field.type!, variant, depth + 1) : {});
  const pick = (...values: any[]) => values[variant % values.length];
  switch (field.shape) {
    case Shape.COPY: return pick('text', 3, true, Lazy.any({ produce: () => 'lazy' }), { b: 1, a: { d: null, c: [2, 'on'] } }, null);
    case Shape.STRUCT: return pick(nested(), Lazy.any({ produce: nested }), undefined);
    case Shape.STRUCT_ARRAY: return pick([nested(), nested()], [], Lazy.any({ produce: () => [nested()] }));
    case Shape.COPY_ARRAY: return pick(['b', 'a'], [], [1, '2']);
    case Shape.UNION: return pick(k8s.IntOrString.fromNumber(8080), k8s.Quantity.fromString('1Gi'), k8s.IntOrString.fromString('25%'), 'bare');
    case Shape.DATE: return undefined;
    case Shape.COPY_MAP: return pick({ z: 'last', a: 'first', n: null, 10: 'ten', 2: 'two' }, {});
    case Shape.UNION_MAP: return pick({ memory: k8s.Quantity.fromString('1Gi'), cpu: k8s.Quantity.fromNumber(0.5) }, { bare: '1' });
    case Shape.STRUCT_MAP: return { b: nested(), a: nested(), n: null };
    case Shape.ARRAY_MAP: return { b: ['x'], a: [] };
  }
}
