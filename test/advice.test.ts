import { Size } from 'cdk8s';
import { Exposure, HealthCheck, Manifests, MicroserviceSystem, PortProtocol, Storage, Target } from '../lib';
import { newSystem } from './helpers';

/** Issue #27, item 6: every hint names a fix that is valid for that port and target. */
const warningsOf = (props: object, target: Target = Target.kind()) => {
  const { app, system } = newSystem({ target });
  system.addService('api', { image: 'a/api:1.0.0', ...props });
  return Manifests.synthesize(app).warnings;
};

describe('a load balancer that stays pending names a fix for its port', () => {
  test('UDP: NodePort carries it; no route or Ingress (they carry HTTP)', () => {
    const [warning] = warningsOf({
      ports: [{ name: 'stats', port: 8125, protocol: PortProtocol.UDP }],
      expose: Exposure.loadBalancer(),
    });
    expect(warning).toContain('which carries UDP');
    expect(warning).not.toMatch(/Exposure\.(ingress|route)\(\)/);
  });

  test('TCP: a route where the target has a Gateway class, else an Ingress', () => {
    const eg = Target.kind({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' });
    expect(warningsOf({ port: 8080, expose: Exposure.loadBalancer() }, eg)[0]).toContain(
      'for HTTP use Exposure.route()',
    );
    expect(warningsOf({ port: 8080, expose: Exposure.loadBalancer() })[0]).toContain('for HTTP use Exposure.ingress()');
  });
});

describe('health checks: one documented way that gives readiness and liveness', () => {
  test('a worker without ports is told to pass a readiness command and a different liveness command', () => {
    const warnings = warningsOf({});
    expect(warnings.join('\n')).toMatch(/liveness: HealthCheck\.command\(\[\.\.\.\]\) with another, cheaper command/);
  });

  test('following that advice draws no warning; the same command twice does (kube-score: identical probes)', () => {
    const ready = HealthCheck.command(['/app', 'check', '--ready']);
    expect(warningsOf({ healthCheck: ready, liveness: HealthCheck.command(['/app', 'check', '--alive']) })).toEqual([]);
    expect(warningsOf({ healthCheck: ready, liveness: HealthCheck.command(['/app', 'check', '--ready']) })).toEqual([
      expect.stringContaining('liveness: received "command [\\"/app\\",\\"check\\",\\"--ready\\"]"'),
    ]);
  });
});

test('two systems on one target emit a StorageClass they both need once (one of them), not twice with different labels', () => {
  const { app, system } = newSystem({ target: Target.eks() });
  const other = new MicroserviceSystem(app, 'ledger', { target: Target.eks() });
  const db = {
    image: 'postgres:16.4-alpine',
    port: 5432,
    replicas: 1,
    volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(10) })],
  };
  system.addService('db', db);
  other.addService('db', db);
  const storageClasses = Manifests.synthesize(app).systems.map(
    (s) => s.objects.filter((o: any) => o.kind === 'StorageClass').length,
  );
  expect(storageClasses).toEqual([1, 0]);
  expect(other.storageClass).toBeUndefined();
});
