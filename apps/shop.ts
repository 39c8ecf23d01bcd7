import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { Dependency, EnvVar, Exposure, LoadBalancerSupport, MicroserviceSystem, HealthCheck, Storage, Target } from '../lib';

/**
 * The example online shop, in the MSA style of the seed note: a web frontend behind a route (or an Ingress),
 * an API gateway, an autoscaled catalog, orders, payments (with a cloud identity and an external
 * payment provider) and postgres, the one stateful service. Postgres is a single-replica
 * Deployment with a ReadWriteOnce PVC: simpler to review than a
 * StatefulSet, and a second replica would need replication anyway. It is replaced with
 * maxSurge 0 / maxUnavailable 1, so the old pod releases the volume before the new one starts.
 */
export function buildShop(scope: Construct, target: Target): MicroserviceSystem {
  const shop = new MicroserviceSystem(scope, 'shop', { target, secrets: ['postgres-credentials'] });
  const health = HealthCheck.http('/healthz');
  // A Gateway API route where the target has an implementation (the recommended way in); an Ingress elsewhere.
  const publicHttp = (host: string) => (target.gatewayClass(false) ? Exposure.route({ host }) : Exposure.ingress({ host }));

  const postgres = shop.addService('postgres', {
    image: 'postgres:16.4-alpine', port: 5432, portName: 'postgres', component: 'database',
    healthCheck: HealthCheck.command(['pg_isready', '-U', 'shop']),
    // The password as a file, not an env var, which any process in the container can read.
    env: { POSTGRES_USER: EnvVar.fromValue('shop'), POSTGRES_PASSWORD_FILE: EnvVar.fromValue('/etc/postgres-credentials/password'), PGDATA: EnvVar.fromValue('/var/lib/postgresql/data/pgdata') },
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } },
    volumes: [Storage.persistent('data', { mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(10) }), Storage.ephemeral('run', { mountPath: '/var/run/postgresql', sizeLimit: Size.mebibytes(16) }), Storage.secret('credentials', { secretName: 'postgres-credentials', mountPath: '/etc/postgres-credentials' })],
  });
  const catalog = shop.addService('catalog', {
    image: 'ghcr.io/acme/catalog:1.4.2', port: 8080, healthCheck: health, dependsOn: [postgres],
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 },
  });
  const payments = shop.addService('payments', {
    image: 'ghcr.io/acme/payments:3.1.0', port: 8080, healthCheck: health,
    dependsOn: [Dependency.external('payment-provider', { host: 'api.payments.example.com', port: 443 })],
    identity: { awsRoleArn: 'arn:aws:iam::123456789012:role/shop-payments', gcpServiceAccount: 'shop-payments@acme-shop.iam.gserviceaccount.com', azureClientId: '00000000-0000-0000-0000-000000000001' },
  });
  const orders = shop.addService('orders', {
    image: 'ghcr.io/acme/orders:2.0.1', port: 8080, healthCheck: health, dependsOn: [postgres, payments],
    volumes: [Storage.config('config', { mountPath: '/etc/orders', files: { 'orders.yaml': 'currency: EUR\nmaxItems: 50\n' } })],
  });
  const gateway = shop.addService('gateway', {
    image: 'ghcr.io/acme/gateway:1.0.3', port: 8080, component: 'gateway', healthCheck: health,
    dependsOn: [catalog, orders],
    // A LoadBalancer where the target provisions one; elsewhere a route, or an Ingress without a Gateway API implementation.
    expose: target.loadBalancerSupport === LoadBalancerSupport.AVAILABLE ? Exposure.loadBalancer() : publicHttp('api.shop.example.com'),
  });
  shop.addService('web', {
    image: 'ghcr.io/acme/web:2.3.0', port: 8080, component: 'frontend', healthCheck: health,
    dependsOn: [gateway], expose: publicHttp('shop.example.com'),
  });
  return shop;
}
