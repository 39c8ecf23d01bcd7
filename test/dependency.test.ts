import { App } from 'cdk8s';
import { Dependency, Exposure, Manifests, MicroserviceSystem, Target, HealthCheck } from '../lib';
import { find, objectsOf, oneService } from './helpers';

function shopWithBilling(target: Target = Target.kind()) {
  const app = new App();
  const billing = new MicroserviceSystem(app, 'billing', { target });
  const ledger = billing.addService('ledger', {
    image: 'a/ledger:1',
    port: 9090,
    portName: 'grpc',
    ports: [{ name: 'metrics', port: 9100 }],
  });
  const shop = new MicroserviceSystem(app, 'shop', { target });
  const db = shop.addService('db', { image: 'postgres:16.4', port: 5432, portName: 'postgres' });
  const orders = shop.addService('orders', {
    image: 'a/orders:1',
    port: 8080,
    dependsOn: [
      db,
      Dependency.on(ledger, { portName: 'metrics' }),
      Dependency.external('stripe', { host: 'api.stripe.com', port: 443 }),
    ],
    expose: Exposure.ingress({ host: 'shop.example.com' }),
  });
  return { app, billing, shop, db, orders, ledger };
}

describe('service discovery', () => {
  const { app } = shopWithBilling();
  const objects = objectsOf(app);
  const env = find(
    objects.filter((o) => o.metadata.namespace === 'shop'),
    'Deployment',
    'orders',
  ).spec.template.spec.containers[0].env;

  test('each dependency injects HOST, PORT and URL with the cluster DNS name', () => {
    expect(env).toEqual([
      { name: 'DB_HOST', value: 'db.shop.svc.cluster.local' },
      { name: 'DB_PORT', value: '5432' },
      { name: 'DB_URL', value: 'postgres://db.shop.svc.cluster.local:5432' },
      { name: 'LEDGER_METRICS_HOST', value: 'ledger.billing.svc.cluster.local' },
      { name: 'LEDGER_METRICS_PORT', value: '9100' },
      { name: 'LEDGER_METRICS_URL', value: 'tcp://ledger.billing.svc.cluster.local:9100' },
      { name: 'STRIPE_HOST', value: 'api.stripe.com' },
      { name: 'STRIPE_PORT', value: '443' },
      { name: 'STRIPE_URL', value: 'https://api.stripe.com:443' },
    ]);
  });

  test('the env prefix can be overridden', () => {
    const a = new App();
    const shop = new MicroserviceSystem(a, 'shop');
    const db = shop.addService('db', { image: 'postgres:16.4', port: 5432 });
    const api = shop.addService('api', {
      image: 'a/api:1',
      port: 80,
      dependsOn: [Dependency.on(db, { envPrefix: 'DATABASE' })],
    });
    expect(api.controller.toJson().spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual([
      'DATABASE_HOST',
      'DATABASE_PORT',
      'DATABASE_URL',
    ]);
  });

  test('default deny for ingress and egress in every system namespace, plus DNS egress', () => {
    for (const ns of ['shop', 'billing']) {
      const inNs = objects.filter((o) => o.metadata.namespace === ns);
      expect(find(inNs, 'NetworkPolicy', 'default-deny').spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      });
      expect(find(inNs, 'NetworkPolicy', 'allow-dns').spec).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      });
    }
  });

  test('on GKE, DNS egress also reaches the node-local resolvers no pod selector matches (Cloud DNS, NodeLocal DNSCache)', () => {
    for (const target of [Target.gke(), Target.gkeAutopilot()]) {
      const egress = find(oneService({}, target), 'NetworkPolicy', 'allow-dns').spec.egress;
      expect(egress).toHaveLength(2);
      expect(egress[1]).toEqual({
        to: [{ ipBlock: { cidr: '169.254.169.254/32' } }, { ipBlock: { cidr: '169.254.20.10/32' } }],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      });
    }
    expect(find(oneService({}, Target.eks()), 'NetworkPolicy', 'allow-dns').spec.egress).toHaveLength(1);
  });

  const policy = (ns: string, name: string) =>
    find(
      objects.filter((o) => o.metadata.namespace === ns),
      'NetworkPolicy',
      name,
    ).spec;
  const podsOf = (system: string, service: string) => ({
    matchLabels: { 'app.kubernetes.io/name': service, 'app.kubernetes.io/instance': `${system}-${service}` },
  });

  test('consumer egress: exactly the declared edges and ports, cross-namespace by namespace label', () => {
    expect(policy('shop', 'orders').egress).toEqual([
      { to: [{ podSelector: podsOf('shop', 'db') }], ports: [{ port: 5432, protocol: 'TCP' }] },
      {
        to: [
          {
            podSelector: podsOf('billing', 'ledger'),
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } },
          },
        ],
        ports: [{ port: 9100, protocol: 'TCP' }],
      },
      { ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
  });

  test('provider ingress: only from its consumers on the declared port', () => {
    expect(policy('shop', 'db').ingress).toEqual([
      { from: [{ podSelector: podsOf('shop', 'orders') }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
    expect(policy('billing', 'ledger').ingress).toEqual([
      {
        from: [
          {
            podSelector: podsOf('shop', 'orders'),
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
          },
        ],
        ports: [{ port: 9100, protocol: 'TCP' }],
      },
    ]);
    expect(policy('shop', 'db').egress).toBeUndefined();
  });

  test('an exposed service admits the ingress controller on its port', () => {
    expect(policy('shop', 'orders').ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test('on cloud targets with IP-mode load balancers an exposed port admits any source', () => {
    const objs = objectsOf(shopWithBilling(Target.eks()).app);
    expect(
      find(
        objs.filter((o) => o.metadata.namespace === 'shop'),
        'NetworkPolicy',
        'orders',
      ).spec.ingress,
    ).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test('Dependency.inNamespace finds a service of another system at synth', () => {
    const a = new App();
    const shop = new MicroserviceSystem(a, 'shop');
    const api = shop.addService('api', { image: 'a/api:1', port: 80, expose: Exposure.loadBalancer() });
    new MicroserviceSystem(a, 'billing').addService('ledger', { image: 'a/ledger:1', port: 9090 });
    api.addDependency(Dependency.inNamespace('billing', 'ledger'));
    expect(api.controller.toJson().spec.template.spec.containers[0].env[0]).toEqual({
      name: 'LEDGER_HOST',
      value: 'ledger.billing.svc.cluster.local',
    });
  });

  test('the order of declaration does not matter: a consumer declared before its provider gets the same objects', () => {
    const build = (consumerFirst: boolean) => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop');
      const billing = () =>
        new MicroserviceSystem(app, 'billing').addService('ledger', { image: 'a/ledger:1', port: 9090 });
      const web = () =>
        shop.addService('web', {
          image: 'a/web:1',
          port: 80,
          expose: Exposure.loadBalancer(),
          dependsOn: [Dependency.inNamespace('shop', 'api'), Dependency.inNamespace('billing', 'ledger')],
        });
      if (consumerFirst) web();
      shop.addService('api', { image: 'a/api:1', port: 8080 });
      if (!consumerFirst) web();
      billing();
      return objectsOf(app).filter((o) => o.kind === 'NetworkPolicy' || o.kind === 'Deployment');
    };
    const [before, after] = [build(false), build(true)];
    expect(find(after, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'web' }) } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    const byName = (list: any[]) => list.map((o) => JSON.stringify(o)).sort();
    expect(byName(after)).toEqual(byName(before));
  });

  test('a service nobody calls that is not exposed gets a warning', () => {
    const a = new App();
    new MicroserviceSystem(a, 'shop').addService('lonely', {
      image: 'a/lonely:1',
      port: 80,
      healthCheck: HealthCheck.http('/healthz'),
    });
    expect(Manifests.synthesize(a).warnings).toEqual([
      '[shop/lonely] dependsOn: received "lonely"; allowed: a service some other workload depends on, one that is exposed, or one admitting a namespace. Hint: nobody calls it and its NetworkPolicy admits no one: declare the dependency, expose it, allowFromNamespace(), or remove it',
    ]);
  });
});
