import { App } from 'cdk8s';
import {
  Exposure,
  GatewayReference,
  HealthCheck,
  Manifests,
  MicroserviceProps,
  MicroserviceSystem,
  PortProtocol,
  Target,
} from '../lib';
import { codesOf, find, newSystem, objectsOf, oneService } from './helpers';

const routed = (target: Target, expose = Exposure.route({ host: 'shop.example.com' })) =>
  oneService({ expose }, target);

describe('Gateway API routes', () => {
  test("an HTTP port gets an HTTPRoute with host and path prefix, attached to the system's Gateway", () => {
    const objects = routed(Target.gke(), Exposure.route({ host: 'shop.example.com', path: '/api' }));
    expect(find(objects, 'HTTPRoute', 'api')).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      spec: {
        parentRefs: [{ name: 'shop' }],
        hostnames: ['shop.example.com'],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 8080 }] },
        ],
      },
    });
    expect(find(objects, 'Gateway', 'shop').spec).toEqual({
      gatewayClassName: 'gke-l7-global-external-managed',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(find(objects, 'Service', 'api').spec.type).toBe('ClusterIP');
  });

  describe('listener ports', () => {
    const listenerPorts = (target: Target) =>
      find(
        routed(target, Exposure.route({ host: 'shop.example.com', tlsSecret: 'shop-tls' })),
        'Gateway',
        'shop',
      ).spec.listeners.map((l: any) => l.port);
    test("Traefik's entry points on k3s and RKE2 (it programs no listener on another port); 80 and 443 elsewhere", () => {
      expect(listenerPorts(Target.k3s())).toEqual([8000, 8443]);
      expect(listenerPorts(Target.rke2({ storageClass: 'longhorn' }))).toEqual([8000, 8443]);
      expect(listenerPorts(Target.gke())).toEqual([80, 443]);
    });
    test("another class than the profile's gets 80 and 443 unless its ports are named", () => {
      expect(listenerPorts(Target.k3s({ gatewayClass: 'eg' }))).toEqual([80, 443]);
      expect(
        listenerPorts(Target.kind({ gatewayClass: 'traefik', gatewayListenerPorts: { http: 8000, https: 8443 } })),
      ).toEqual([8000, 8443]);
    });
    test('fails when a listener port is not a port', () => {
      expect(() =>
        routed(Target.kind({ gatewayClass: 'traefik', gatewayListenerPorts: { http: 0, https: 8443.5 } })),
      ).toThrow(
        /\[shop\] target\.gatewayListenerPorts\.http: received 0; allowed: an integer from 1 to 65535[^]*\[shop\] target\.gatewayListenerPorts\.https: received 8443\.5/,
      );
    });
  });

  test('a gRPC port gets a GRPCRoute without path matches', () => {
    const objects = oneService(
      {
        port: undefined,
        ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }],
        expose: Exposure.route({ host: 'rpc.example.com' }),
      },
      Target.aks(),
    );
    expect(find(objects, 'GRPCRoute', 'api').spec).toEqual({
      parentRefs: [{ name: 'shop' }],
      hostnames: ['rpc.example.com'],
      rules: [{ backendRefs: [{ name: 'api', port: 9090 }] }],
    });
    expect(objects.filter((o) => o.kind === 'HTTPRoute')).toEqual([]);
  });

  test('TLS adds an HTTPS listener for the host with the Secret; one Gateway serves every route of the system', () => {
    const app = new App();
    const system = new MicroserviceSystem(app, 'shop', { target: Target.k3s() });
    system.addService('web', {
      image: 'a/web:1',
      port: 8080,
      expose: Exposure.route({ host: 'shop.example.com', tlsSecret: 'shop-tls' }),
    });
    system.addService('api', {
      image: 'a/api:1',
      port: 8080,
      expose: Exposure.route({ host: 'api.example.com', tlsSecret: 'api-tls' }),
    });
    const objects = objectsOf(app);
    expect(objects.filter((o) => o.kind === 'Gateway').map((o) => o.metadata.name)).toEqual(['shop']);
    expect(find(objects, 'Gateway', 'shop').spec.listeners.slice(1)).toEqual([
      {
        name: 'https-1',
        protocol: 'HTTPS',
        port: 8443,
        hostname: 'shop.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'shop-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
      {
        name: 'https-2',
        protocol: 'HTTPS',
        port: 8443,
        hostname: 'api.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'api-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
    ]);
  });

  test('an internal route gets its own Gateway of the internal class', () => {
    const objects = routed(Target.gke(), Exposure.route({ host: 'api.internal', internal: true }));
    expect(find(objects, 'Gateway', 'shop-internal').spec.gatewayClassName).toBe('gke-l7-rilb');
    expect(find(objects, 'HTTPRoute', 'api').spec.parentRefs).toEqual([{ name: 'shop-internal' }]);
  });

  test('a platform-owned Gateway is referenced by namespace and listener; none is declared', () => {
    const gateway = GatewayReference.shared({ name: 'edge', namespace: 'gateway-system', sectionName: 'https' });
    const objects = routed(Target.aks(), Exposure.route({ host: 'shop.example.com', gateway }));
    expect(find(objects, 'HTTPRoute', 'api').spec.parentRefs).toEqual([
      { name: 'edge', namespace: 'gateway-system', sectionName: 'https' },
    ]);
    expect(objects.filter((o) => o.kind === 'Gateway')).toEqual([]);
    // AKS approuting-istio runs the proxies beside the Gateway, in its namespace.
    expect(find(objects, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } },
            podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' } },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test.each([
    ['gke', Target.gke(), [{ ports: [{ port: 8080, protocol: 'TCP' }] }], false],
    ['eks (AWS LBC, a platform Gateway)', Target.eks(), [{ ports: [{ port: 8080, protocol: 'TCP' }] }], false],
    [
      'k3s (Traefik in kube-system)',
      Target.k3s(),
      [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: {} },
          ],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
      false,
    ],
    [
      'openshift (proxies beside the Gateway)',
      Target.openshift(),
      [
        {
          from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'shop' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
      true,
    ],
    [
      'kind with Envoy Gateway named',
      Target.kind({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' }),
      [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
              podSelector: {},
            },
          ],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
      false,
    ],
  ])(
    '%s: the NetworkPolicy admits the data plane; the default deny leaves out proxies beside the Gateway: %s',
    (_name, target, ingress, proxiesLeftOut) => {
      // AWS gateways are the platform's (their scheme lives in a LoadBalancerConfiguration).
      const gateway = target.props.gateway?.className
        ? undefined
        : GatewayReference.shared({ name: 'shop', namespace: 'shop' });
      const objects = routed(target, Exposure.route({ host: 'shop.example.com', gateway }));
      expect(find(objects, 'NetworkPolicy', 'api').spec.ingress).toEqual(ingress);
      const selector = proxiesLeftOut
        ? { matchExpressions: [{ key: 'gateway.networking.k8s.io/gateway-name', operator: 'DoesNotExist' }] }
        : {};
      expect(find(objects, 'NetworkPolicy', 'default-deny').spec.podSelector).toEqual(selector);
      expect(find(objects, 'NetworkPolicy', 'allow-dns').spec.podSelector).toEqual(selector);
    },
  );

  test('proxies beside a system Gateway stay unisolated; every other pod is denied, on that target too', () => {
    const objects = routed(Target.aks());
    expect(
      objects
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['allow-dns', 'api', 'default-deny']);
    expect(find(oneService({}, Target.aks()), 'NetworkPolicy', 'default-deny').spec.podSelector).toEqual({});
  });

  test.each([
    ['docker-desktop', undefined],
    ['kind', undefined],
    ['minikube', undefined],
    ['kubeadm', undefined],
    ['k3s', 'traefik'],
    ['rke2', 'traefik'],
    ['eks', undefined],
    ['eks-auto', undefined],
    ['gke', 'gke-l7-global-external-managed'],
    ['gke-autopilot', 'gke-l7-global-external-managed'],
    ['aks', 'approuting-istio'],
    ['openshift', 'openshift-default'],
  ])('%s: GatewayClass %s', (id, className) => {
    expect(Target.fromId(id).props.gateway?.className).toBe(className);
  });

  test('a route on a UDP-only port is refused, not emitted silently', () => {
    expect(() =>
      oneService(
        { port: undefined, ports: [{ name: 'dns', port: 53, protocol: PortProtocol.UDP }], expose: Exposure.route() },
        Target.gke(),
      ),
    ).toThrow('expose: received "route to dns/UDP"; allowed: a route to a TCP port');
  });
});

describe('AWS Load Balancer Controller target groups', () => {
  const gateway = GatewayReference.shared({ name: 'edge', namespace: 'gateway-system' });
  const platformRoute = (props: Partial<MicroserviceProps> = {}, portName?: string) => ({
    expose: Exposure.route({ host: 'shop.example.com', gateway, portName }),
    ...props,
  });
  const configurations = (objects: any[]) => objects.filter((o) => o.kind === 'TargetGroupConfiguration');
  const defaultConfiguration = (props: Partial<MicroserviceProps>) =>
    find(oneService(props, Target.eks()), 'TargetGroupConfiguration', 'api').spec.defaultConfiguration;

  test("eks: the routed Service registers pod IPs, checked on the HTTP readiness path with kubelet's success codes", () => {
    const { app, system } = newSystem({ target: Target.eks() });
    const api = system.addService('api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      ...platformRoute({ healthCheck: HealthCheck.http('/ready') }),
    });
    const configuration = find(objectsOf(app), 'TargetGroupConfiguration', 'api');
    expect(configuration).toEqual({
      apiVersion: 'gateway.k8s.aws/v1beta1',
      kind: 'TargetGroupConfiguration',
      metadata: { name: 'api', namespace: 'shop', labels: find(objectsOf(app), 'Service', 'api').metadata.labels },
      spec: {
        targetReference: { name: 'api' },
        defaultConfiguration: {
          targetType: 'ip',
          healthCheckConfig: { healthCheckPath: '/ready', matcher: { httpCode: '200-399' } },
        },
      },
    });
    expect(api.targetGroupConfiguration?.toJson()).toEqual(configuration);
  });

  test.each([
    ['eks-auto', Target.eksAuto()],
    ['gke', Target.gke()],
    ['kind', Target.kind()],
    [
      'eks with a Gateway class of its own',
      Target.eks({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' }),
    ],
  ])('none on %s', (_name, target) => {
    expect(configurations(oneService(platformRoute({ healthCheck: HealthCheck.http('/ready') }), target))).toEqual([]);
  });

  test("eks with a Gateway class named and no proxies' namespace: the profile's ALB data plane stays, with its target groups and no warning", () => {
    const app = new App();
    new MicroserviceSystem(app, 'shop', { target: Target.eks({ gatewayClass: 'alb' }) }).addService('api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      ...platformRoute({ healthCheck: HealthCheck.http('/ready') }),
    });
    const synthesis = Manifests.synthesize(app);
    expect(synthesis.warnings).toEqual([]);
    expect(configurations(synthesis.systems[0].objects)).toHaveLength(1);
  });

  test('none on eks without a route', () => {
    expect(
      configurations(
        oneService(
          { healthCheck: HealthCheck.http('/ready'), expose: Exposure.ingress({ host: 'shop.example.com' }) },
          Target.eks(),
        ),
      ),
    ).toEqual([]);
  });

  test('ip targets without a health check unless readiness is HTTP, or where the route is gRPC (its target group matches gRPC codes)', () => {
    expect(defaultConfiguration(platformRoute())).toEqual({ targetType: 'ip' });
    expect(defaultConfiguration(platformRoute({ healthCheck: HealthCheck.command(['/bin/check']) }))).toEqual({
      targetType: 'ip',
    });
    const grpc = {
      ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }],
      healthCheck: HealthCheck.http('/ready'),
    };
    expect(defaultConfiguration(platformRoute(grpc, 'grpc'))).toEqual({ targetType: 'ip' });
  });

  test('applied before the routes, so the controller never creates the target group with instance targets first', () => {
    const kinds = oneService(platformRoute({ healthCheck: HealthCheck.http('/ready') }), Target.eks()).map(
      (o: any) => o.kind,
    );
    expect(kinds.filter((k: string) => ['TargetGroupConfiguration', 'HTTPRoute'].includes(k))).toEqual([
      'TargetGroupConfiguration',
      'HTTPRoute',
    ]);
  });

  test("a Service with an HTTP and a gRPC route keeps the controller's check, and its NetworkPolicy keeps the probed port closed", () => {
    const { app, system } = newSystem({ target: Target.eks() });
    system.addService('api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      ports: [
        { name: 'grpc', port: 9090, appProtocol: 'grpc' },
        { name: 'admin', port: 9000 },
      ],
      readiness: HealthCheck.http('/ready', { portName: 'admin' }),
      ...platformRoute(),
      alsoExpose: [Exposure.route({ host: 'grpc.example.com', gateway, portName: 'grpc' })],
    });
    const objects = objectsOf(app);
    expect(find(objects, 'TargetGroupConfiguration', 'api').spec.defaultConfiguration).toEqual({ targetType: 'ip' });
    expect(
      find(objects, 'NetworkPolicy', 'api').spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port)),
    ).not.toContain(9000);
  });

  test('the probed port only where it is not the traffic port', () => {
    const admin = { ports: [{ name: 'admin', port: 9000 }] };
    expect(
      defaultConfiguration(platformRoute({ ...admin, readiness: HealthCheck.http('/ready', { portName: 'admin' }) }))
        .healthCheckConfig,
    ).toEqual({ healthCheckPath: '/ready', healthCheckPort: '9000', matcher: { httpCode: '200-399' } });
    expect(
      defaultConfiguration(platformRoute({ ...admin, readiness: HealthCheck.http('/ready') })).healthCheckConfig
        .healthCheckPort,
    ).toBeUndefined();
  });

  test('one per Service: two routes to it share one, with the probed port for the other routed port; a route to the cluster Service gets its own', () => {
    const twoRoutes = oneService(
      platformRoute({
        ports: [{ name: 'admin', port: 9000 }],
        healthCheck: HealthCheck.http('/ready'),
        alsoExpose: [Exposure.route({ portName: 'admin', gateway })],
      }),
      Target.eks(),
    );
    expect(configurations(twoRoutes).map((o) => o.metadata.name)).toEqual(['api']);
    expect(
      find(twoRoutes, 'TargetGroupConfiguration', 'api').spec.defaultConfiguration.healthCheckConfig.healthCheckPort,
    ).toBe('8080');
    const besideLoadBalancer = oneService(
      {
        ports: [{ name: 'admin', port: 9000 }],
        expose: Exposure.loadBalancer(),
        alsoExpose: [Exposure.route({ portName: 'admin', gateway })],
      },
      Target.eks(),
    );
    expect(configurations(besideLoadBalancer).map((o) => [o.metadata.name, o.spec.targetReference.name])).toEqual([
      ['api-cluster', 'api-cluster'],
    ]);
  });
});

describe('GKE Gateway health checks', () => {
  const policies = (objects: any[]) => objects.filter((o) => o.kind === 'HealthCheckPolicy');
  const ownGateway = (props: Partial<MicroserviceProps> = {}, portName?: string) => ({
    expose: Exposure.route({ host: 'shop.example.com', portName }),
    ...props,
  });
  const httpCheck = (props: Partial<MicroserviceProps>, target: Target = Target.gke()) =>
    find(oneService(props, target), 'HealthCheckPolicy', 'api').spec.default.config;

  test.each([
    ['gke', Target.gke()],
    ['gke-autopilot', Target.gkeAutopilot()],
  ])("%s: the routed Service's load balancer checks the HTTP readiness path on the probed port", (_name, target) => {
    const { app, system } = newSystem({ target });
    const api = system.addService('api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      ...ownGateway({ healthCheck: HealthCheck.http('/ready') }),
    });
    const objects = objectsOf(app);
    const policy = find(objects, 'HealthCheckPolicy', 'api');
    expect(policy).toEqual({
      apiVersion: 'networking.gke.io/v1',
      kind: 'HealthCheckPolicy',
      metadata: { name: 'api', namespace: 'shop', labels: find(objects, 'Service', 'api').metadata.labels },
      spec: {
        default: {
          config: {
            type: 'HTTP',
            httpHealthCheck: { portSpecification: 'USE_FIXED_PORT', port: 8080, requestPath: '/ready' },
          },
        },
        targetRef: { group: '', kind: 'Service', name: 'api' },
      },
    });
    expect(api.healthCheckPolicy?.toJson()).toEqual(policy);
    expect(api.targetGroupConfiguration).toBeUndefined();
  });

  test('applied before the Gateway and the route, so the load balancer never starts on its default check', () => {
    const { app, system } = newSystem({ target: Target.gke() });
    system.addService('api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      ...ownGateway({ healthCheck: HealthCheck.http('/ready') }),
    });
    const kinds = Manifests.synthesize(app).systems[0].objects.map((o: any) => o.kind);
    expect(kinds.filter((k: string) => ['HealthCheckPolicy', 'Gateway', 'HTTPRoute'].includes(k))).toEqual([
      'HealthCheckPolicy',
      'Gateway',
      'HTTPRoute',
    ]);
  });

  test('a route to a platform Gateway gets one too', () => {
    const gateway = GatewayReference.shared({ name: 'edge', namespace: 'gateway-system' });
    expect(
      policies(
        oneService(
          { healthCheck: HealthCheck.http('/ready'), expose: Exposure.route({ host: 'shop.example.com', gateway }) },
          Target.gke(),
        ),
      ),
    ).toHaveLength(1);
  });

  test("none without an HTTP readiness check, nor for a Service with a gRPC route (GKE's gRPC check speaks the gRPC health protocol)", () => {
    expect(policies(oneService(ownGateway(), Target.gke()))).toEqual([]);
    expect(
      policies(oneService(ownGateway({ healthCheck: HealthCheck.command(['/bin/check']) }), Target.gke())),
    ).toEqual([]);
    const grpc = {
      ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }],
      healthCheck: HealthCheck.http('/ready'),
    };
    // GKE's own controller serves no GRPCRoute (refused); another implementation's class gets no policy either.
    expect(() => oneService(ownGateway(grpc, 'grpc'), Target.gke())).toThrow(/serves no GRPCRoute/);
    const envoy = Target.gke({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' });
    expect(policies(oneService(ownGateway(grpc, 'grpc'), envoy))).toEqual([]);
  });

  test.each([
    ['eks', Target.eks()],
    ['eks-auto', Target.eksAuto()],
    ['kind', Target.kind({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' })],
    [
      "gke with Envoy Gateway's proxies named",
      Target.gke({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' }),
    ],
  ])('none on %s', (_name, target) => {
    const gateway = GatewayReference.shared({ name: 'edge', namespace: 'gateway-system' });
    expect(
      policies(
        oneService(
          { healthCheck: HealthCheck.http('/ready'), expose: Exposure.route({ host: 'shop.example.com', gateway }) },
          target,
        ),
      ),
    ).toEqual([]);
  });

  test('none on gke without a route (its Ingress reads the readiness probe)', () => {
    expect(
      policies(
        oneService(
          { healthCheck: HealthCheck.http('/ready'), expose: Exposure.ingress({ host: 'shop.example.com' }) },
          Target.gke(),
        ),
      ),
    ).toEqual([]);
  });

  test("the probed port, admitted from Google's health check ranges only (not any source): the check comes from its probers", () => {
    const admin = {
      ports: [{ name: 'admin', port: 9000 }],
      readiness: HealthCheck.http('/ready', { portName: 'admin' }),
    };
    expect(httpCheck(ownGateway(admin)).httpHealthCheck).toEqual({
      portSpecification: 'USE_FIXED_PORT',
      port: 9000,
      requestPath: '/ready',
    });
    expect(find(oneService(ownGateway(admin), Target.gke()), 'NetworkPolicy', 'api').spec.ingress).toEqual([
      { ports: [{ port: 8080, protocol: 'TCP' }] },
      {
        from: ['35.191.0.0/16', '130.211.0.0/22', '2600:2d00:1:b029::/64', '2600:2d00:1:1::/64'].map((cidr) => ({
          ipBlock: { cidr },
        })),
        ports: [{ port: 9000, protocol: 'TCP' }],
      },
    ]);
  });

  test('one per Service: two routes to it share one; a route to the cluster Service gets its own', () => {
    const twoRoutes = oneService(
      ownGateway({
        ports: [{ name: 'admin', port: 9000 }],
        healthCheck: HealthCheck.http('/ready'),
        alsoExpose: [Exposure.route({ portName: 'admin', host: 'admin.example.com' })],
      }),
      Target.gke(),
    );
    expect(policies(twoRoutes).map((o) => [o.metadata.name, o.spec.default.config.httpHealthCheck.port])).toEqual([
      ['api', 8080],
    ]);
    const besideLoadBalancer = oneService(
      {
        ports: [{ name: 'admin', port: 9000 }],
        healthCheck: HealthCheck.http('/ready'),
        expose: Exposure.loadBalancer(),
        alsoExpose: [Exposure.route({ portName: 'admin', host: 'admin.example.com' })],
      },
      Target.gke(),
    );
    expect(policies(besideLoadBalancer).map((o) => [o.metadata.name, o.spec.targetRef.name])).toEqual([
      ['api-cluster', 'api-cluster'],
    ]);
  });
});

describe('several ways in per service', () => {
  const ports = { port: 8080, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }] };

  test('HTTP through a route and the gRPC port through a GRPCRoute, both admitted', () => {
    const objects = oneService(
      {
        ...ports,
        expose: Exposure.route({ host: 'shop.example.com' }),
        alsoExpose: [Exposure.route({ portName: 'grpc', host: 'rpc.example.com' })],
      },
      // Not GKE, whose controller serves no GRPCRoute; a class without its proxies' namespace admits any source.
      Target.kind({ gatewayClass: 'eg' }),
    );
    expect(find(objects, 'HTTPRoute', 'api').spec.rules[0].backendRefs).toEqual([{ name: 'api', port: 8080 }]);
    expect(find(objects, 'GRPCRoute', 'api-grpc').spec).toEqual({
      parentRefs: [{ name: 'shop' }],
      hostnames: ['rpc.example.com'],
      rules: [{ backendRefs: [{ name: 'api', port: 9090 }] }],
    });
    expect(find(objects, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      { ports: [{ port: 8080, protocol: 'TCP' }] },
      { ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
  });

  test('a further load balancer gets a Service of its own carrying only its port; the main Service stays ClusterIP', () => {
    const objects = oneService(
      {
        ...ports,
        expose: Exposure.route({ host: 'shop.example.com' }),
        alsoExpose: [Exposure.loadBalancer({ portName: 'grpc', internal: true })],
      },
      Target.gke(),
    );
    expect(find(objects, 'Service', 'api').spec.type).toBe('ClusterIP');
    const lb = find(objects, 'Service', 'api-grpc');
    expect(lb.spec).toMatchObject({
      type: 'LoadBalancer',
      ports: [{ name: 'grpc', port: 9090, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' }],
    });
    expect(lb.metadata.annotations).toEqual({ 'networking.gke.io/load-balancer-type': 'Internal' });
  });
});

describe('routes with a TLS Secret (found running on the real node: plain HTTP was served too)', () => {
  const tls = (options: { plainHttp?: boolean; grpc?: boolean } = {}) =>
    oneService(
      {
        ...(options.grpc ? { port: undefined, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }] } : {}),
        expose: Exposure.route({
          host: 'shop.example.com',
          path: options.grpc ? undefined : '/api',
          tlsSecret: 'shop-tls',
          plainHttp: options.plainHttp,
        }),
      },
      Target.k3s(),
    );

  test('attach to their HTTPS listener only; plain HTTP for the host and path redirects to https (301)', () => {
    const objects = tls();
    expect(find(objects, 'HTTPRoute', 'api').spec.parentRefs).toEqual([{ name: 'shop', sectionName: 'https-1' }]);
    expect(find(objects, 'HTTPRoute', 'api-https-redirect').spec).toEqual({
      parentRefs: [{ name: 'shop', sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
        },
      ],
    });
    expect(find(objects, 'Gateway', 'shop').spec.listeners.map((l: any) => l.name)).toEqual(['http', 'https-1']);
  });

  test('plainHttp: true serves both listeners, without a redirect', () => {
    const objects = tls({ plainHttp: true });
    expect(find(objects, 'HTTPRoute', 'api').spec.parentRefs).toEqual([{ name: 'shop' }]);
    expect(objects.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name)).toEqual(['api']);
  });

  test('a gRPC route with TLS gets its HTTPS listener only, and no redirect (gRPC clients do not follow one)', () => {
    const objects = tls({ grpc: true });
    expect(find(objects, 'GRPCRoute', 'api').spec.parentRefs).toEqual([{ name: 'shop', sectionName: 'https-1' }]);
    expect(objects.filter((o) => o.kind === 'HTTPRoute')).toEqual([]);
  });

  test('two services with TLS on one host share its listener', () => {
    const { app, system } = newSystem({ target: Target.k3s() });
    for (const [name, path] of [
      ['web', '/'],
      ['api', '/api'],
    ])
      system.addService(name, {
        image: `a/${name}:1`,
        port: 8080,
        expose: Exposure.route({ host: 'shop.example.com', path, tlsSecret: 'shop-tls' }),
      });
    const objects = objectsOf(app);
    expect(find(objects, 'Gateway', 'shop').spec.listeners.map((l: any) => l.name)).toEqual(['http', 'https-1']);
    for (const name of ['web', 'api'])
      expect(find(objects, 'HTTPRoute', name).spec.parentRefs).toEqual([{ name: 'shop', sectionName: 'https-1' }]);
  });

  test('plainHttp without a TLS Secret is refused', () => {
    const build = () => {
      const { app, system } = newSystem({ target: Target.k3s() });
      system.addService('api', {
        image: 'a/api:1',
        port: 8080,
        expose: Exposure.route({ host: 'a.example.com', plainHttp: true }),
      });
      return app;
    };
    expect(codesOf(build)).toEqual(['route.plain-http-without-tls']);
  });
});

describe('gRPC backends (found running on the real node: Traefik refused appProtocol grpc)', () => {
  test("a gRPC port reaches the Service as kubernetes.io/h2c, Gateway API's cleartext HTTP/2 backend protocol", () => {
    const objects = oneService(
      { port: undefined, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }], expose: Exposure.route() },
      Target.k3s(),
    );
    expect(find(objects, 'Service', 'api').spec.ports).toEqual([
      { name: 'grpc', port: 9090, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
    ]);
    // Still a gRPC port to the library: a GRPCRoute and a gRPC health check.
    expect(objects.filter((o) => o.kind === 'GRPCRoute')).toHaveLength(1);
    const container = find(objects, 'Deployment', 'api').spec.template.spec.containers[0];
    expect(container.readinessProbe.grpc).toEqual({ port: 9090 });
  });

  test('other application protocols reach the Service as given', () => {
    const objects = oneService({ ports: [{ name: 'ws', port: 9000, appProtocol: 'kubernetes.io/ws' }] });
    expect(find(objects, 'Service', 'api').spec.ports[1].appProtocol).toBe('kubernetes.io/ws');
  });
});
