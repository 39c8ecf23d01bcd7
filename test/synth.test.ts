import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Exposure, Manifests, MicroserviceSystem, MsaConfigError, Target } from '../lib';

function shopApp(image = 'a/api:1.0.0'): App {
  const app = new App();
  new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addService('api', { image, port: 8080, expose: Exposure.loadBalancer() });
  return app;
}

describe('synthesis', () => {
  test('several problems are reported together in one run', () => {
    const app = new App();
    const shop = new MicroserviceSystem(app, 'shop', { target: Target.openshift() });
    shop.addService('a', { image: 'x/a:1', port: 80, expose: Exposure.ingress(), security: { runAsUser: 20000 } });
    shop.addService('b', { name: 'a', image: 'x/b:1', port: 80, expose: Exposure.loadBalancer() });
    new MicroserviceSystem(app, 'shop2', { namespace: 'shop', target: Target.openshift() });
    let error: MsaConfigError | undefined;
    try { Manifests.synthesize(app); } catch (e) { error = e as MsaConfigError; }
    expect(error?.messages.map((m) => m.split(':')[0])).toEqual([
      '[shop] namespace', '[shop] services', '[shop/a] security.runAsUser', '[shop/a] expose.host', '[shop2] namespace',
    ]);
    expect(error?.message.split('\n')[0]).toBe('5 problems:');
  });

  test('warnings are collected once and strict mode turns them into errors', () => {
    expect(Manifests.synthesize(shopApp()).warnings).toEqual([
      '[shop/api] expose: received "loadBalancer"; allowed: a LoadBalancer stays pending on target "kind". Hint: emitted as NodePort instead; use Exposure.ingress(), or a tunnel/MetalLB for a real LoadBalancer',
    ]);
    expect(() => Manifests.synthesize(shopApp(), { strict: true })).toThrow('(strict mode: warnings are errors)');
    const app = shopApp();
    Manifests.synthesize(app);
    expect(Manifests.synthesize(app).warnings).toHaveLength(1);
  });

  test('objects come in apply order: Namespace first', () => {
    const kinds = Manifests.synthesize(shopApp()).systems[0].objects.map((o) => o.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds.indexOf('ServiceAccount')).toBeLessThan(kinds.indexOf('Deployment'));
  });

  describe('writing', () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-')); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('writes manifests, the diagram and a completion marker', () => {
      const out = path.join(dir, 'kind');
      expect(Manifests.write(Manifests.synthesize(shopApp()), out)).toEqual(['shop.k8s.yaml', 'shop.md']);
      expect(fs.readdirSync(out).sort()).toEqual([Manifests.OUTPUT_MARKER, 'shop.k8s.yaml', 'shop.md']);
      expect(JSON.parse(fs.readFileSync(path.join(out, Manifests.OUTPUT_MARKER), 'utf8'))).toEqual({
        generator: 'cdk8s-msa', target: 'kind', systems: [{ name: 'shop', namespace: 'shop', file: 'shop.k8s.yaml', objects: 8 }],
      });
    });

    test('a failed synth leaves the previous output intact and no partial directory', () => {
      const out = path.join(dir, 'kind');
      Manifests.write(Manifests.synthesize(shopApp('a/api:1.0.0')), out);
      const before = fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8');
      expect(() => Manifests.write(Manifests.synthesize(shopApp('a/api:latest')), out)).toThrow(MsaConfigError);
      expect(fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8')).toBe(before);
      expect(fs.readdirSync(dir)).toEqual(['kind']);
    });

    test('a new synth replaces the previous output as a whole', () => {
      const out = path.join(dir, 'kind');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'stale.k8s.yaml'), 'kind: Stale\n');
      Manifests.write(Manifests.synthesize(shopApp('a/api:2.0.0')), out);
      expect(fs.readdirSync(out)).not.toContain('stale.k8s.yaml');
      expect(fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8')).toContain('image: a/api:2.0.0');
    });
  });
});
