import { App } from 'cdk8s';
import { ManifestTesting, Target } from 'cdk8s-msa';
import { buildShop } from './main';

test('manifests for EKS', () => {
  expect(ManifestTesting.yaml(buildShop(new App(), Target.eks()))).toMatchSnapshot();
});

test('orders finds its database through cluster DNS', () => {
  const [orders] = ManifestTesting.find(buildShop(new App()), 'Deployment', 'orders');
  expect(orders.spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_URL', value: 'postgres://db.shop.svc.cluster.local:5432' });
});
