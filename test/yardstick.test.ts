import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Manifests, Target } from '../lib';
import { buildYardstick } from '../apps/yardstick';
import { exampleTarget } from '../apps/targets';

describe('API yardstick', () => {
  test('the 5-service shop takes at most 40 lines of user code', () => {
    const source = fs.readFileSync(path.join(__dirname, '../apps/yardstick.ts'), 'utf8');
    const code = source.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(40);
  });

  test.each(Target.BUILT_IN_IDS)('%s: every capability without an escape hatch', (id) => {
    const app = new App();
    // AKS: app routing NGINX, whose support ended in November 2026, only when its class is named.
    buildYardstick(
      app,
      id === 'aks' ? Target.aks({ ingressClass: 'webapprouting.kubernetes.azure.com' }) : exampleTarget(id),
    );
    const objects = Manifests.synthesize(app).systems[0].objects;
    const count = (kind: string) => objects.filter((o) => o.kind === kind).length;
    expect([
      count('Deployment'),
      count('Service'),
      count('PodDisruptionBudget'),
      count('HorizontalPodAutoscaler'),
      count('PersistentVolumeClaim'),
      count('Ingress'),
    ]).toEqual([5, 5, 5, 1, 1, 1]);
    expect(count('NetworkPolicy')).toBe(7);
    const gateway = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway');
    expect(gateway.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual([
      'CATALOG_HOST',
      'CATALOG_PORT',
      'CATALOG_URL',
      'ORDERS_HOST',
      'ORDERS_PORT',
      'ORDERS_URL',
    ]);
  });
});
