import { App } from 'cdk8s';
import { Dependency, Exposure, MicroserviceSystem } from '../lib';

describe('Mermaid diagram', () => {
  test('shows services, exposure, volumes and edges with ports; cycles are dotted and listed', () => {
    const app = new App();
    const shop = new MicroserviceSystem(app, 'shop');
    const a = shop.addService('a', { image: 'x/a:1', port: 8080, expose: Exposure.ingress({ host: 'a.example.com' }) });
    const b = shop.addService('b', {
      image: 'x/b:1',
      port: 9090,
      portName: 'grpc',
      dependsOn: [a, Dependency.external('psp', { host: 'pay.example.com', port: 443 })],
    });
    a.addDependency(b);
    expect(shop.toMermaid()).toMatchSnapshot();
  });

  test('an endpoint outside the cluster is declared once, with an edge from each caller', () => {
    const app = new App();
    const shop = new MicroserviceSystem(app, 'shop');
    const psp = Dependency.external('psp', { host: 'pay.example.com', port: 443 });
    for (const name of ['checkout', 'refunds'])
      shop.addService(name, { image: `x/${name}:1`, port: 8080, dependsOn: [psp] });
    const lines = shop.toMermaid().split('\n');
    expect(lines.filter((l) => l.includes('{{'))).toEqual(['  external__psp{{"psp<br/>pay.example.com"}}']);
    expect(lines.filter((l) => l.includes('-->|"443"| external__psp'))).toHaveLength(2);
  });
});
