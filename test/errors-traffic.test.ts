import { App } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Exposure,
  GatewayReference,
  Manifests,
  Microservice,
  MicroserviceProps,
  MicroserviceSystem,
  HealthCheck,
  PortProtocol,
  Target,
} from '../lib';
import { codesOf, problemsOf } from './helpers';

/** Builds an app with system "shop" holding service "api" with `props` on `target`. */
function serviceApp(props: Partial<MicroserviceProps>, target: Target): () => App {
  return () => {
    const app = new App();
    new MicroserviceSystem(app, 'shop', { target }).addService('api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      ...props,
    });
    return app;
  };
}

// The traffic errors of issue #15: each case, how to build it, and the complete messages expected.
const cases: Array<[string, () => App, string[]]> = [
  [
    'an Ingress on kubeadm, which has no ingress controller',
    serviceApp({ expose: Exposure.ingress() }, Target.kubeadm()),
    [
      '[shop/api] expose: received "ingress"; allowed: an Ingress class on target "kubeadm" (it has no ingress controller out of the box). Hint: name the controller you installed with the Target option ingressClass, or expose with Exposure.route() and the option gatewayClass',
    ],
  ],
  [
    'a route on kind, which has no Gateway API implementation',
    serviceApp({ expose: Exposure.route() }, Target.kind()),
    [
      '[shop/api] expose: received "route"; allowed: a route on a target with a Gateway API implementation ("kind" has none out of the box). Hint: name the GatewayClass you installed (Envoy Gateway, NGINX Gateway Fabric, Traefik) with the Target option gatewayClass, or attach to a platform Gateway with GatewayReference.shared({ name, namespace })',
    ],
  ],
  [
    'an internal route on k3s, which has no internal GatewayClass',
    serviceApp({ expose: Exposure.route({ internal: true }) }, Target.k3s()),
    [
      '[shop/api] expose.internal: received true; allowed: a route through a public Gateway on target "k3s" (it has no internal GatewayClass). Hint: attach to the platform\'s internal Gateway with gateway: GatewayReference.shared({ name, namespace }), or name a class with the Target option internalGatewayClass',
    ],
  ],
  [
    'a route to a UDP-only port',
    serviceApp(
      {
        port: undefined,
        healthCheck: undefined,
        ports: [{ name: 'dns', port: 53, protocol: PortProtocol.UDP }],
        expose: Exposure.route(),
      },
      Target.gke(),
    ),
    [
      '[shop/api] expose: received "route to dns/UDP"; allowed: a route to a TCP port (HTTPRoute and GRPCRoute carry HTTP). Hint: expose a UDP port with Exposure.loadBalancer()',
    ],
  ],
  [
    'a TLS Secret on a route to a platform-owned Gateway',
    serviceApp(
      {
        expose: Exposure.route({
          host: 'shop.example.com',
          tlsSecret: 'shop-tls',
          gateway: GatewayReference.shared({ name: 'edge', namespace: 'gateways' }),
        }),
      },
      Target.gke(),
    ),
    [
      '[shop/api] expose.tlsSecret: received "shop-tls"; allowed: TLS on the system\'s own Gateway only. Hint: the platform-owned Gateway gateways/edge holds its certificates: drop tlsSecret',
    ],
  ],
  [
    'a platform Gateway named with invalid names',
    serviceApp(
      { expose: Exposure.route({ gateway: GatewayReference.shared({ name: 'Edge', namespace: 'gateway_system' }) }) },
      Target.eks(),
    ),
    [
      '[shop/api] expose.gateway.name: received "Edge"; allowed: a DNS-1123 subdomain: 1-253 characters, dot-separated parts of lowercase letters, digits or \'-\', each starting and ending with a letter or digit. Hint: try "edge"',
      '[shop/api] expose.gateway.namespace: received "gateway_system"; allowed: a DNS-1123 label: 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit. Hint: try "gateway-system"',
    ],
  ],
  [
    'a scheme on a route to a platform-owned Gateway, which decides it',
    serviceApp(
      {
        expose: Exposure.route({
          internal: true,
          gateway: GatewayReference.shared({ name: 'edge', namespace: 'gateways' }),
        }),
      },
      Target.eks(),
    ),
    [
      "[shop/api] expose.internal: received true; allowed: no scheme on a route to a platform-owned Gateway (the Gateway decides it). Hint: drop internal, and attach to the platform's internal or public Gateway instead of gateways/edge as needed",
    ],
  ],
  [
    'further ways in without a port, on a taken port, of kind cluster, and on a host and path already routed',
    serviceApp(
      {
        ports: [{ name: 'grpc', port: 9090 }],
        expose: Exposure.route(),
        alsoExpose: [
          Exposure.route({ portName: 'grpc' }),
          Exposure.loadBalancer({ portName: 'grpc' }),
          Exposure.route({ host: 'admin.example.com' }),
          Exposure.cluster(),
        ],
      },
      Target.gke(),
    ),
    [
      '[shop] api.alsoExpose[0]: received "(any host)/"; allowed: a host and path no other route claims (its expose already does). Hint: give each way in its own host or path',
      '[shop/api] alsoExpose[1].portName: received "grpc"; allowed: a port no other way in exposes (taken: http, grpc). Hint: one way in per port: drop this one or pick another port',
      '[shop/api] alsoExpose[2].portName: received nothing; allowed: the named port this way in exposes: http, grpc. Hint: a further way in names its port, e.g. Exposure.route({ portName: "grpc" })',
      '[shop/api] alsoExpose[3]: received "cluster"; allowed: a load balancer, Ingress or route (every port is reachable in the cluster already). Hint: remove alsoExpose[3]',
      '[shop/api] alsoExpose[3].portName: received nothing; allowed: the named port this way in exposes: http, grpc. Hint: a further way in names its port, e.g. Exposure.route({ portName: "grpc" })',
    ],
  ],
  [
    'an internal Ingress on EKS Auto Mode, whose IngressClassParams scheme would make it internet-facing',
    serviceApp({ expose: Exposure.ingress({ host: 'api.internal', internal: true }) }, Target.eksAuto()),
    [
      '[shop/api] expose.internal: received true; allowed: an internal Ingress class on target "eks-auto" (its IngressClassParams scheme overrides the annotation, so the Ingress would come out internet-facing). Hint: create an IngressClass whose IngressClassParams say scheme: internal and name it with the Target option internalIngressClass, or drop internal',
    ],
  ],
  [
    'two services routing the same host and path, one of them nested in a sub-construct',
    () => {
      const app = new App();
      const system = new MicroserviceSystem(app, 'shop', { target: Target.gke() });
      system.addService('web', {
        image: 'ghcr.io/acme/web:1.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        expose: Exposure.route({ host: 'shop.example.com' }),
      });
      new Microservice(new Construct(system, 'storefront'), 'web-v2', {
        image: 'ghcr.io/acme/web:2.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        expose: Exposure.route({ host: 'shop.example.com', path: '/' }),
      });
      system.addService('internal-web', {
        image: 'ghcr.io/acme/web:1.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        expose: Exposure.route({ host: 'shop.example.com', internal: true }),
      });
      return app;
    },
    [
      '[shop] storefront/web-v2.expose: received "shop.example.com/"; allowed: a host and path no other route claims (shop/web already does). Hint: give shop/storefront/web-v2 its own host or path',
    ],
  ],
  [
    "a further load balancer named like another service's Service, and a port named so its load balancer takes the cluster Service's name",
    () => {
      const app = new App();
      const system = new MicroserviceSystem(app, 'shop', { target: Target.eks() });
      system.addService('api', {
        image: 'ghcr.io/acme/api:1.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        ports: [
          { name: 'cluster', port: 9000 },
          { name: 'admin', port: 9100 },
        ],
        expose: Exposure.loadBalancer(),
        alsoExpose: [
          Exposure.loadBalancer({ portName: 'cluster', internal: true }),
          Exposure.loadBalancer({ portName: 'admin', internal: true }),
        ],
      });
      system.addService('api-admin', {
        image: 'ghcr.io/acme/admin:1.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        expose: Exposure.loadBalancer(),
      });
      return app;
    },
    [
      '[shop] api/Service-cluster: received "Service api-cluster"; allowed: one object of a kind per name in the namespace. Hint: shop/api/ClusterService is named so too: rename a service, or the port whose way in is named after it',
      '[shop] api-admin/Service: received "Service api-admin"; allowed: one object of a kind per name in the namespace. Hint: shop/api/Service-admin is named so too: rename a service, or the port whose way in is named after it',
    ],
  ],
];

describe('traffic errors', () => {
  test.each(cases)('%s', (_name, build, messages) => {
    expect(problemsOf(build)).toEqual(messages);
  });
});

describe('Ingress through a retired controller', () => {
  test.each([
    [
      'kind',
      Target.kind(),
      'ingress-nginx',
      'move to a Gateway API implementation (Envoy Gateway, NGINX Gateway Fabric, Traefik)',
    ],
    [
      'aks',
      Target.aks({ ingressClass: 'webapprouting.kubernetes.azure.com' }),
      'app routing NGINX, named',
      'move to the Gateway API class approuting-istio',
    ],
  ])(
    '%s: a warning naming the replacement (%s); strict mode makes it an error',
    (id, target, _controller, replacement) => {
      const warning = `[shop/api] expose: received "ingress (class ${target.props.ingress.className})"; allowed: an Ingress through a supported controller on target "${id}" (this one is retired or losing support). Hint: ${replacement}`;
      expect(
        Manifests.synthesize(
          serviceApp({ expose: Exposure.ingress({ host: 'api.example.com' }) }, target)(),
        ).warnings.find((w) => w.startsWith(warning)),
      ).toBeDefined();
      expect(() =>
        Manifests.synthesize(serviceApp({ expose: Exposure.ingress({ host: 'api.example.com' }) }, target)(), {
          strict: true,
        }),
      ).toThrow(warning);
    },
  );

  test('aks (December 2026): support for app routing NGINX ended, so an Ingress is refused unless its class is named; a route is the way in', () => {
    expect(codesOf(serviceApp({ expose: Exposure.ingress({ host: 'api.example.com' }) }, Target.aks()))).toEqual([
      'ingress.support-ended',
    ]);
    expect(problemsOf(serviceApp({ expose: Exposure.ingress({ host: 'api.example.com' }) }, Target.aks()))[0]).toMatch(
      /Hint: move to the Gateway API class approuting-istio .*; to keep the Ingress for now, name the class with the Target option ingressClass: "webapprouting.kubernetes.azure.com" \(it draws a warning\)$/,
    );
    expect(
      Manifests.synthesize(serviceApp({ expose: Exposure.route({ host: 'api.example.com' }) }, Target.aks())())
        .warnings,
    ).toEqual([]);
  });

  test('no warning once the user names the class they run and its namespace, nor on a route', () => {
    expect(
      Manifests.synthesize(
        serviceApp(
          { expose: Exposure.ingress() },
          Target.kind({ ingressClass: 'traefik', ingressControllerNamespace: 'traefik' }),
        )(),
      ).warnings,
    ).toEqual([]);
    expect(Manifests.synthesize(serviceApp({ expose: Exposure.route() }, Target.aks())()).warnings).toEqual([]);
  });
});

describe('a class named without the namespace of its in-cluster controller or proxies', () => {
  const exposedPolicy = (synthesis: { systems: { objects: any[] }[] }) =>
    synthesis.systems[0].objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'api').spec.ingress;

  test("Ingress: the profile's controller is not admitted in its place; any source is, with a warning naming the option", () => {
    const synthesis = Manifests.synthesize(
      serviceApp({ expose: Exposure.ingress() }, Target.kind({ ingressClass: 'traefik' }))(),
    );
    expect(synthesis.warnings).toEqual([
      '[shop/api] expose: received "ingress (class traefik)"; allowed: a controller whose namespace NetworkPolicies admit on target "kind". Hint: the port is open to any source in the cluster until you name the controller\'s namespace with the Target option ingressControllerNamespace',
    ]);
    expect(exposedPolicy(synthesis)).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
    const named = Manifests.synthesize(
      serviceApp(
        { expose: Exposure.ingress() },
        Target.kind({ ingressClass: 'traefik', ingressControllerNamespace: 'traefik' }),
      )(),
    );
    expect(exposedPolicy(named)).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } }, podSelector: {} }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test("route: any source, with a warning naming the option; none for another class of a cloud load balancer, nor for the profile's own", () => {
    const synthesis = Manifests.synthesize(
      serviceApp({ expose: Exposure.route({ host: 'api.example.com' }) }, Target.kind({ gatewayClass: 'eg' }))(),
    );
    expect(synthesis.warnings).toEqual([
      '[shop/api] expose: received "route (class eg)"; allowed: a Gateway implementation whose proxies\' namespace NetworkPolicies admit on target "kind". Hint: the port is open to any source in the cluster until you name the proxies\' namespace with the Target option gatewayProxyNamespace (Envoy Gateway: envoy-gateway-system)',
    ]);
    expect(exposedPolicy(synthesis)).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
    for (const target of [
      Target.kind({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' }),
      Target.gke({ gatewayClass: 'gke-l7-regional-external-managed' }),
      Target.openshift(),
    ]) {
      expect(
        Manifests.synthesize(serviceApp({ expose: Exposure.route({ host: 'api.example.com' }) }, target)()).warnings,
      ).toEqual([]);
    }
    const otherOnOpenShift = Manifests.synthesize(
      serviceApp({ expose: Exposure.route({ host: 'api.example.com' }) }, Target.openshift({ gatewayClass: 'eg' }))(),
    );
    expect(otherOnOpenShift.warnings).toEqual([expect.stringContaining('received "route (class eg)"')]);
  });
});
