import { App, Size } from 'cdk8s';
import { MicroserviceSystem, PodSecurityLevel, Storage, Target } from '../lib';
import { find, newSystem, objectsOf } from './helpers';

describe('MicroserviceSystem', () => {
  test('owns a Namespace with Pod Security labels and no metadata.namespace', () => {
    const app = new App();
    new MicroserviceSystem(app, 'shop');
    const ns = find(objectsOf(app), 'Namespace', 'shop');
    expect(ns.metadata).toEqual({
      name: 'shop',
      labels: {
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'cdk8s-msa',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    });
  });

  test('the Pod Security level is configurable', () => {
    const app = new App();
    new MicroserviceSystem(app, 'legacy', { podSecurity: PodSecurityLevel.BASELINE });
    expect(find(objectsOf(app), 'Namespace', 'legacy').metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'baseline',
    );
  });

  test('namespace and name default to the id and can differ', () => {
    const app = new App();
    const system = new MicroserviceSystem(app, 'Shop', { namespace: 'shop-prod', name: 'shop' });
    system.addService('api', { image: 'a/api:1', port: 80 });
    const objects = objectsOf(app);
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'shop-prod')).toBe(true);
    expect(find(objects, 'Deployment', 'api').metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
  });

  test('one StorageClass per system however many services need it', () => {
    const app = new App();
    const system = new MicroserviceSystem(app, 'shop', { target: Target.eks() });
    system.addService('a', {
      image: 'a/a:1',
      volumes: [Storage.persistent('data', { mountPath: '/d', size: Size.gibibytes(1) })],
    });
    system.addService('b', {
      image: 'a/b:1',
      volumes: [Storage.persistent('data', { mountPath: '/d', size: Size.gibibytes(1) })],
    });
    expect(objectsOf(app).filter((o) => o.kind === 'StorageClass').length).toBe(1);
  });

  test('lists its services and finds them by namespace', () => {
    const app = new App();
    const shop = new MicroserviceSystem(app, 'shop');
    const api = shop.addService('api', { image: 'a/api:1', port: 80 });
    expect(shop.services).toEqual([api]);
    expect(shop.findEndpoint('shop', 'api')).toBe(api);
    expect(shop.findEndpoint('other', 'api')).toBeUndefined();
  });
});

test('createNamespace: false leaves the Namespace to the platform; everything inside it is still emitted', () => {
  const { app, system } = newSystem({ target: Target.openshift(), createNamespace: false });
  system.addService('api', { image: 'a/api:1.0.0', port: 8080 });
  const kinds = objectsOf(app).map((o) => `${o.kind}/${o.metadata.name}`);
  expect(system.namespaceObject).toBeUndefined();
  expect(kinds.filter((k) => k.startsWith('Namespace/'))).toEqual([]);
  expect(kinds).toEqual(
    expect.arrayContaining(['NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns', 'Deployment/api', 'Service/api']),
  );
});
