import { App, Size } from 'cdk8s';
import { EnvValue, Exposure, MicroserviceSystem, Probe, Storage, Target } from 'cdk8s-msa';

/** Three services: a storefront behind an Ingress, an orders API and its database. */
export function buildShop(app: App, target: Target = Target.kind()): MicroserviceSystem {
  const shop = new MicroserviceSystem(app, 'shop', { target, secrets: ['db-credentials'] });
  const db = shop.addService('db', {
    image: 'postgres:16.4-alpine', port: 5432, portName: 'postgres',
    env: { POSTGRES_PASSWORD: EnvValue.fromSecret('db-credentials', 'password') },
    volumes: [Storage.persistent('data', { mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(10) })],
  });
  const orders = shop.addService('orders', {
    image: 'ghcr.io/acme/orders:2.0.1', port: 8080, healthCheck: Probe.http('/healthz'), dependsOn: [db],
    autoscaling: { minReplicas: 2, maxReplicas: 6 },
  });
  shop.addService('storefront', {
    image: 'ghcr.io/acme/storefront:1.2.0', port: 8080, healthCheck: Probe.http('/'), dependsOn: [orders],
    expose: Exposure.ingress({ host: 'shop.example.com' }),
  });
  return shop;
}

if (require.main === module) {
  const app = new App();
  buildShop(app);
  app.synth();
}
