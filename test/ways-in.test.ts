import { Exposure, HealthCheck, Target } from '../lib';
import { exampleTarget } from '../apps/targets';
import { find, oneService } from './helpers';

describe('a port only health-checked is not opened to any source', () => {
  // Traffic on 8080, readiness on the admin port 9000, which no way in exposes and nobody depends on.
  const admin = {
    ports: [{ name: 'admin', port: 9000 }],
    readiness: HealthCheck.http('/ready', { portName: 'admin' }),
  };
  const sourcesOfAdmin = (target: Target, expose: Exposure) =>
    (find(oneService({ ...admin, expose }, target), 'NetworkPolicy', 'api').spec.ingress ?? [])
      .filter((rule: any) => rule.ports.some((p: any) => p.port === 9000))
      .map((rule: any) => rule.from ?? 'any source');

  test.each(Target.BUILT_IN_IDS)(
    '%s: admitted only where the load balancer runs the check itself, and from its checkers where the target knows them',
    (id) => {
      // AKS: its Ingress class only when named (support ended in November 2026).
      const target =
        id === 'aks' ? Target.aks({ ingressClass: 'webapprouting.kubernetes.azure.com' }) : exampleTarget(id);
      const ways = [
        ...(target.gatewayClass(false) ? [Exposure.route({ host: 'shop.example.com' })] : []),
        ...(target.ingressController || target.ingressHealthCheckAnnotations || id.startsWith('gke')
          ? [Exposure.ingress({ host: 'shop.example.com' })]
          : []),
      ];
      const checkers = ['35.191.0.0/16', '130.211.0.0/22', '2600:2d00:1:b029::/64', '2600:2d00:1:1::/64'];
      const expected = (way: Exposure) =>
        id === 'eks' || id === 'eks-auto'
          ? ['any source'] // the ALB checks from its own VPC addresses, which no NetworkPolicy names portably
          : id.startsWith('gke') && way.kind === 'route'
            ? [checkers.map((cidr) => ({ ipBlock: { cidr } }))] // Google's health check ranges
            : []; // kubelet probes are not NetworkPolicy traffic: nothing else needs the port
      expect(ways.map((way) => sourcesOfAdmin(target, way))).toEqual(ways.map(expected));
    },
  );
});
