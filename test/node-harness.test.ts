import { App } from 'cdk8s';
import { Manifests, Target } from '../lib';
import { buildChat } from '../apps/chat';
import { buildLedger } from '../apps/ledger';
import { buildShop } from '../apps/shop';
import { exampleTarget } from '../apps/targets';
import { standinPlans } from '../scripts/node/images';
import { exampleModel, modelOf } from '../scripts/node/model';
import { fullImageName } from '../scripts/node/pod-specs';
import { prerequisites } from '../scripts/node/prerequisites';

/**
 * The real-node test's reading of an output (scripts/node/): what the stand-in images must do,
 * what a platform provides first, and the declared model the connectivity matrix expects. The
 * node itself runs in `npm run test:node`; these pin the parts that decide its expectations.
 */
const objectsOf = (build: (app: App, target: Target) => unknown, id = 'kubeadm') => {
  const app = new App();
  build(app, exampleTarget(id));
  return Manifests.synthesize(app).systems.flatMap((s) => s.objects);
};

test('image names are completed the way containerd stores them', () => {
  expect(fullImageName('postgres:16.4-alpine')).toBe('docker.io/library/postgres:16.4-alpine');
  expect(fullImageName('fluent/fluent-bit:3.1.9')).toBe('docker.io/fluent/fluent-bit:3.1.9');
  expect(fullImageName('ghcr.io/acme/web:2.3.0')).toBe('ghcr.io/acme/web:2.3.0');
  expect(fullImageName('localhost/app:1')).toBe('localhost/app:1');
  expect(fullImageName('registry:5000/app:1')).toBe('registry:5000/app:1');
});

describe('stand-in plans', () => {
  const plans = standinPlans(objectsOf(buildLedger));
  const plan = (image: string) => plans.find((p) => p.image === image)!;

  test('an exec probe command becomes a link to the stand-in; the main process serves its port', () => {
    const postgres = plan('postgres:16.4-alpine');
    expect(postgres.links).toEqual(['pg_isready']);
    expect(postgres.entries).toEqual([
      expect.objectContaining({ mode: 'serve', tcp: [5432], writable: expect.arrayContaining(['/tmp']) }),
    ]);
  });

  test('an init container and a Job complete only once their dependencies connect', () => {
    const migrate = plan('ghcr.io/acme/ledger-migrate:2.1.0').entries[0];
    expect(migrate).toMatchObject({ mode: 'complete', argv: ['/standin', 'up'] });
    expect(migrate.connect).toEqual(['${POSTGRES_HOST}:${POSTGRES_PORT}']);
    const ledger = plan('ghcr.io/acme/ledger:2.1.0').entries;
    expect(ledger.map((e) => e.mode).sort()).toEqual(['complete', 'serve']);
  });

  test('a native sidecar serves, beside the main container', () => {
    expect(plan('fluent/fluent-bit:3.1.9').entries[0].mode).toBe('serve');
  });
});

describe('what the platform provides first', () => {
  const made = prerequisites(objectsOf(buildChat), '/volumes', (hosts) => ({ cert: hosts.join(','), key: 'k' }));

  test("a Gateway listener's TLS Secret, with a certificate for its host", () => {
    expect(made.find((o) => o.metadata.name === 'chat-tls')).toMatchObject({
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': 'chat.example.com' },
    });
  });

  test("a local volume bound to each pod's claim of a StatefulSet", () => {
    const volumes = made.filter((o) => o.kind === 'PersistentVolume').map((o) => o.spec.claimRef.name);
    expect(volumes).toEqual(['data-broker-0', 'data-broker-1', 'data-broker-2']);
  });

  test('the Secrets pods read but the output does not write', () => {
    const shop = prerequisites(objectsOf(buildShop), '/volumes', () => ({ cert: '', key: '' }));
    expect(shop.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual(['postgres-credentials']);
  });
});

describe('the declared model', () => {
  test("dependencies and a clustered StatefulSet's peer ports are edges; nothing else is", () => {
    const model = exampleModel('kubeadm');
    const edges = model.edges.map((e) => `${e.from.name}->${e.to.name}:${e.port}/${e.protocol}`);
    expect(edges).toEqual(
      expect.arrayContaining(['broker->broker:6222/TCP', 'api->metrics:8125/UDP', 'catalog->postgres:5432/TCP']),
    );
    expect(edges).not.toContain('broker->broker:4222/TCP');
  });

  test('a port exposed through a load balancer is public', () => {
    const app = new App();
    const model = modelOf([buildShop(app, exampleTarget('k3s'))]);
    expect([...model.publicPorts]).toEqual(['shop/gateway:8080']);
    expect([...exampleModel('kind').publicPorts]).toEqual([]);
  });
});
