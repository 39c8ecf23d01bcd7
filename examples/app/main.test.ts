import { MsaApp, ManifestTesting } from 'cdk8s-msa';
import { buildShop, ENVIRONMENTS } from './main';

test.each(Object.keys(ENVIRONMENTS))('manifests of %s', (name) => {
  expect(ManifestTesting.yaml(buildShop(new MsaApp(), ENVIRONMENTS[name]))).toMatchSnapshot();
});

test('orders finds its database through cluster DNS', () => {
  const [orders] = ManifestTesting.find(buildShop(new MsaApp()), 'Deployment', 'orders');
  expect(orders.spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_URL', value: 'postgres://db.shop.svc.cluster.local:5432' });
});

test('prod runs the released images with its own IAM role', () => {
  const prod = buildShop(new MsaApp(), ENVIRONMENTS.prod);
  expect(ManifestTesting.find(prod, 'Deployment', 'orders')[0].spec.template.spec.containers[0].image).toBe('ghcr.io/acme/orders:2.0.1');
  expect(ManifestTesting.find(prod, 'ServiceAccount', 'orders')[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::222222222222:role/shop-orders');
});
