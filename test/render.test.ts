import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { buildShop } from '../apps/shop';
import { exampleTarget } from '../apps/targets';
import { Target } from '../lib';
import { buildLedger } from '../apps/ledger';
import { fastRender, installedCdk8sVersion, renderApiObject, VERIFIED_CDK8S_VERSIONS } from '../lib/render';
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
    expect({ path: o.node.path, json: JSON.stringify(rendered) }).toEqual({
      path: o.node.path,
      json: JSON.stringify(expected),
    });
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
    // If this fails after a cdk8s upgrade, every object renders through toJson() (slow, still
    // correct). Re-read cdk8s's ApiObject.toJson/resolve/sanitizeValue for changes the renderer
    // must follow, then add the release to VERIFIED_CDK8S_VERSIONS in lib/render.ts.
    expect(VERIFIED_CDK8S_VERSIONS).toContain(installedCdk8sVersion());
  });

  test.each(Target.BUILT_IN_IDS)(
    'the example apps on %s render identically, all but patched objects and content-named Jobs by the fast path',
    (id) => {
      const app = new App();
      buildShop(app, exampleTarget(id));
      buildLedger(app, exampleTarget(id));
      const slow = apiObjects(app).filter(
        (o) => hasPatches(o) || Object.getPrototypeOf(o) !== ApiObject.prototype,
      ).length;
      expect(expectIdentical(app)).toEqual({ fast: apiObjects(app).length - slow, total: apiObjects(app).length });
    },
  );

  test('a generated benchmark system renders identically by the fast path', () => {
    const app = new App();
    buildReference(app, 25);
    const counts = expectIdentical(app);
    expect(counts.total).toBe(7 * 25 + 3);
    expect(counts.fast).toBe(counts.total - apiObjects(app).filter(hasPatches).length);
  });

  test('plain ApiObjects: Lazy values, tokens, Quantity-like values, nulls and key order', () => {
    const app = new App();
    const chart = new Chart(app, 'plain', { labels: { team: 'a' } });
    new ApiObject(chart, 'cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { annotations: { z: '1', a: Lazy.any({ produce: () => '2' }) }, finalizers: [] },
      data: {
        b: 'x',
        a: null,
        c: { resolve: () => 'token' },
        q: new QuantityLike('1Gi'),
        n: [new QuantityLike(3), { z: 1, a: undefined }],
      },
      spec: Lazy.any({ produce: () => ({ y: [], x: {} }) }),
    } as any);
    expect(expectIdentical(app)).toEqual({ fast: 1, total: 1 });
  });

  test('L1 classes, objects with JSON patches, custom resolvers or non-JSON values are rendered by cdk8s', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const patched = new k8s.KubeConfigMap(chart, 'patched', { data: { a: '1' } });
    patched.addJsonPatch(JsonPatch.add('/data/b', '2'), JsonPatch.remove('/metadata/namespace'));
    const dated = new ApiObject(chart, 'dated', { apiVersion: 'v1', kind: 'ConfigMap', data: { when: new Date(0) } });
    expect(fastRender(patched)).toBeUndefined();
    expect(renderApiObject(patched).data).toEqual({ a: '1', b: '2' });
    expect(() => fastRender(dated)).toThrow('outside the fast path');
    expect(() => renderApiObject(dated)).toThrow("can't render non-simple object of type 'Date'");
    expect(fastRender(new k8s.KubeConfigMap(chart, 'l1', { data: { a: '1' } }))).toBeUndefined();

    const custom = new App({
      resolvers: [
        {
          resolve: (c) => {
            if (c.value === 'x') c.replaceValue('y');
          },
        },
      ],
    });
    const cm = new k8s.KubeConfigMap(new Chart(custom, 'c'), 'cm', { data: { a: 'x' } });
    expect(fastRender(cm)).toBeUndefined();
    expect(renderApiObject(cm).data).toEqual({ a: 'y' });
  });

  test('an error in a Lazy producer is reported the way cdk8s reports it', () => {
    const app = new App();
    const cm = new k8s.KubeConfigMap(new Chart(app, 'c'), 'cm', {
      data: Lazy.any({
        produce: () => {
          throw new Error('boom');
        },
      }) as any,
    });
    expect(() => renderApiObject(cm)).toThrow(
      "Failed serializing construct at path 'c/cm' with name 'c-cm-c808fc05': Error: boom",
    );
  });
});

/** A value cdk8s's NumberStringUnionResolver unwraps, like a k8s Quantity or IntOrString. */
class QuantityLike {
  constructor(public readonly value: string | number) {}
}
