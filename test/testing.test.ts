import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { EnvVar, Manifests, ManifestTesting, MicroserviceSystem, MsaConfigError } from '../lib';
import { apiShop } from './helpers';

const shop = (): MicroserviceSystem => MicroserviceSystem.of(apiShop(new App()).node.findChild('shop'));

describe('ManifestTesting', () => {
  test('yaml is the text synth writes to disk (a different path: streamed, batched), stable across runs', () => {
    const system = shop();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-testing-'));
    Manifests.write(Manifests.synthesize(system.node.root), path.join(dir, 'out'));
    expect(ManifestTesting.yaml(system)).toBe(fs.readFileSync(path.join(dir, 'out', 'shop.k8s.yaml'), 'utf8'));
    expect(ManifestTesting.yaml(shop())).toBe(ManifestTesting.yaml(system));
    fs.rmSync(dir, { recursive: true });
  });

  test('find filters by kind and name', () => {
    expect(ManifestTesting.find(shop(), 'Deployment').map((o) => o.metadata.name)).toEqual(['api']);
    expect(ManifestTesting.find(shop(), 'NetworkPolicy', 'default-deny')).toHaveLength(1);
    expect(ManifestTesting.find(shop(), 'Deployment', 'nope')).toEqual([]);
  });

  test('validates like synth does', () => {
    const system = shop();
    system.addService('worker', { image: 'a/worker:1.0.0', env: { TOKEN: EnvVar.fromSecret('undeclared', 'token') } });
    expect(() => ManifestTesting.yaml(system)).toThrow(MsaConfigError);
    expect(() => ManifestTesting.yaml(system)).toThrow('[shop/worker] env.TOKEN: received "secret undeclared"');
  });
});
