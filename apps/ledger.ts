import { Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { EnvVar, Exposure, MicroserviceSystem, HealthCheck, Storage, Target } from '../lib';

/**
 * The second example system: a ledger whose shapes go beyond one container in one Deployment.
 * Postgres is a StatefulSet (a claim per pod, a headless Service); the ledger API runs its
 * schema migration as an init container and ships its logs through a native sidecar; a Job
 * backfills balances once; a CronJob writes statements every night. Every image comes from a
 * private registry through the system's pull secret.
 */
export function buildLedger(scope: Construct, target: Target): MicroserviceSystem {
  const ledger = new MicroserviceSystem(scope, 'ledger', { target, secrets: ['ledger-db'], imagePullSecrets: ['ghcr-pull'] });
  // The database password as a file, not an env var, which any process in the container can read.
  const dbCredentials = Storage.secret('db-credentials', { secretName: 'ledger-db', mountPath: '/etc/ledger-db' });
  const dbPasswordFile = EnvVar.fromValue('/etc/ledger-db/password');
  const postgres = ledger.addService('postgres', {
    image: 'postgres:16.4-alpine', port: 5432, portName: 'postgres', component: 'database', replicas: 1, statefulSet: {},
    healthCheck: HealthCheck.command(['pg_isready', '-U', 'ledger']),
    env: { POSTGRES_USER: EnvVar.fromValue('ledger'), POSTGRES_PASSWORD_FILE: dbPasswordFile, PGDATA: EnvVar.fromValue('/var/lib/postgresql/data/pgdata') },
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } },
    volumes: [Storage.persistent('data', { mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(10) }), Storage.ephemeral('run', { mountPath: '/var/run/postgresql', sizeLimit: Size.mebibytes(16) }), dbCredentials],
  });
  const api = ledger.addService('api', {
    image: 'ghcr.io/acme/ledger:2.1.0', port: 8080, healthCheck: HealthCheck.http('/healthz'), dependsOn: [postgres],
    env: { DB_PASSWORD_FILE: dbPasswordFile, LOG_DIR: EnvVar.fromValue('/var/log/ledger'), JOURNAL_MODE: EnvVar.fromValue('append-only'), YEAR_END: EnvVar.fromValue('12-31') },
    volumes: [Storage.ephemeral('logs', { mountPath: '/var/log/ledger', sizeLimit: Size.mebibytes(128) }), dbCredentials],
    initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/ledger-migrate:2.1.0', args: ['up'], env: { DB_PASSWORD_FILE: dbPasswordFile }, volumeMounts: [{ volume: 'db-credentials', readOnly: true }] }],
    sidecars: [{
      name: 'log-shipper', image: 'fluent/fluent-bit:3.1.9', args: ['-i', 'tail', '-p', 'path=/var/log/ledger/*.log', '-o', 'stdout'],
      volumeMounts: [{ volume: 'logs', readOnly: true }], resources: { cpu: { request: '50m', limit: '200m' }, memory: { request: '64Mi', limit: '128Mi' } },
    }],
    terminationGracePeriod: Duration.seconds(45),
    // A Gateway API route where the target has an implementation (the recommended way in); an Ingress elsewhere.
    expose: target.gatewayClass(false) ? Exposure.route({ host: 'ledger.example.com' }) : Exposure.ingress({ host: 'ledger.example.com' }),
  });
  ledger.addJob('backfill', {
    image: 'ghcr.io/acme/ledger:2.1.0', args: ['backfill', '--since=2026-01-01'], dependsOn: [postgres],
    env: { DB_PASSWORD_FILE: dbPasswordFile }, volumes: [dbCredentials], backoffLimit: 2, activeDeadline: Duration.hours(1),
  });
  ledger.addCronJob('statements', {
    image: 'ghcr.io/acme/statements:1.0.4', schedule: '30 2 * * *', timeZone: 'Europe/Berlin', dependsOn: [api],
    activeDeadline: Duration.minutes(30),
  });
  return ledger;
}
