import { Size } from 'cdk8s';
import { Dependency, EnvVar, Exposure, HealthCheck, MicroserviceSystem, MsaEnvironments, Storage, Target } from 'cdk8s-msa';
import { Construct } from 'constructs';

/** What differs between environments: what a Helm values file or a Kustomize overlay would hold. */
export interface ShopValues {
  /** The cluster flavour the environment runs on. */
  readonly target: Target;
  /** Release of the orders and storefront images. */
  readonly release: string;
  /** Public host name of the storefront. */
  readonly host: string;
  /** Autoscaling range of the orders API. */
  readonly ordersReplicas: { readonly min: number; readonly max: number };
  /** IAM role the orders API assumes (EKS IRSA). */
  readonly ordersRoleArn?: string;
}

/** One entry per environment: dev on kind, staging and prod on EKS. */
export const ENVIRONMENTS: { [name: string]: ShopValues } = {
  dev: { target: Target.kind({ ingressClass: 'traefik', ingressControllerNamespace: 'traefik' }), release: '2.1.0-rc.1', host: 'shop.dev.localhost', ordersReplicas: { min: 2, max: 3 } },
  staging: {
    target: Target.eks(), release: '2.1.0-rc.1', host: 'shop.staging.example.com', ordersReplicas: { min: 2, max: 4 },
    ordersRoleArn: 'arn:aws:iam::111111111111:role/shop-orders-staging',
  },
  prod: {
    target: Target.eks(), release: '2.0.1', host: 'shop.example.com', ordersReplicas: { min: 3, max: 12 },
    ordersRoleArn: 'arn:aws:iam::222222222222:role/shop-orders',
  },
};

/** Three services: a storefront behind an Ingress, an orders API and its database. */
export function buildShop(scope: Construct, values: ShopValues = ENVIRONMENTS.dev): MicroserviceSystem {
  const shop = new MicroserviceSystem(scope, 'shop', { target: values.target, secrets: ['db-credentials'] });
  const db = shop.addService('db', {
    image: 'postgres:16.4-alpine', port: 5432, portName: 'postgres',
    healthCheck: HealthCheck.command(['pg_isready', '-U', 'postgres']),
    // The root filesystem is read-only and the volume's root holds lost+found: postgres needs a
    // data subdirectory and a writable socket directory.
    env: { POSTGRES_PASSWORD: EnvVar.fromSecret('db-credentials', 'password'), PGDATA: EnvVar.fromValue('/var/lib/postgresql/data/pgdata') },
    volumes: [
      Storage.persistent('data', { mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(10) }),
      Storage.ephemeral('run', { mountPath: '/var/run/postgresql', sizeLimit: Size.mebibytes(16) }),
    ],
  });
  // With its IAM role, orders publishes to SQS: the NetworkPolicy allows only declared egress.
  const sqs = values.ordersRoleArn ? [Dependency.external('sqs', { host: 'sqs.eu-west-1.amazonaws.com', port: 443 })] : [];
  const orders = shop.addService('orders', {
    image: `ghcr.io/acme/orders:${values.release}`, port: 8080, healthCheck: HealthCheck.http('/healthz'), dependsOn: [db, ...sqs],
    autoscaling: { minReplicas: values.ordersReplicas.min, maxReplicas: values.ordersReplicas.max },
    identity: values.ordersRoleArn ? { awsRoleArn: values.ordersRoleArn } : undefined,
  });
  shop.addService('storefront', {
    image: `ghcr.io/acme/storefront:${values.release}`, port: 8080, healthCheck: HealthCheck.http('/'), dependsOn: [orders],
    expose: Exposure.ingress({ host: values.host }),
  });
  return shop;
}

// `cdk8s synth` runs this file: every environment is validated, then dist/dev, dist/staging and
// dist/prod are written together (or, on any problem, none of them).
if (require.main === module) {
  const environments = new MsaEnvironments();
  for (const [name, values] of Object.entries(ENVIRONMENTS)) buildShop(environments.add(name), values);
  environments.synth();
}
