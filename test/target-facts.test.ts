import { Size } from 'cdk8s';
import { Exposure, GatewayReference, IdentityMechanism, Storage, Target } from '../lib';
import { find, newSystem, oneService, problemsOf } from './helpers';

/** One test per platform fact corrected in issue #15; each source is linked in docs/targets.md. */
describe('target facts (2026)', () => {
  test('OpenShift: the router is admitted by policy-group.network.openshift.io/ingress with podSelector {} (host-network routers)', () => {
    const policy = find(
      oneService({ expose: Exposure.ingress({ host: 'api.apps.example.com' }) }, Target.openshift()),
      'NetworkPolicy',
      'api',
    );
    expect(policy.spec.ingress).toContainEqual({
      from: [
        { namespaceSelector: { matchLabels: { 'policy-group.network.openshift.io/ingress': '' } }, podSelector: {} },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('an ingress controller namespace option still selects the namespace by name', () => {
    const policy = find(
      oneService({ expose: Exposure.ingress() }, Target.kind({ ingressControllerNamespace: 'traefik' })),
      'NetworkPolicy',
      'api',
    );
    expect(policy.spec.ingress).toContainEqual(
      expect.objectContaining({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } }, podSelector: {} }],
      }),
    );
  });

  test('RKE2: no StorageClass is assumed (it bundles none) and requires one; Traefik is the ingress class', () => {
    const rke2 = Target.rke2();
    expect(rke2.props.storage).toEqual({ classRequired: true });
    expect(rke2.props.ingress.className).toBe('traefik');
    expect(
      find(
        oneService(
          {
            volumes: [
              Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1), storageClass: 'longhorn' }),
            ],
            replicas: 1,
          },
          rke2,
        ),
        'PersistentVolumeClaim',
        'api-data',
      ).spec.storageClassName,
    ).toBe('longhorn');
  });

  test('EKS Auto Mode: its StorageClass is pinned to Auto Mode nodes, and the description says it is emitted', () => {
    const auto = Target.eksAuto();
    expect(auto.props.storage.provision?.allowedTopologies).toEqual({ 'eks.amazonaws.com/compute-type': ['auto'] });
    expect(auto.props.description).not.toMatch(/no StorageClass at all/);
  });

  test('EKS Auto Mode: an internal Ingress is refused unless an internal class is named (IngressClassParams scheme wins over the annotation)', () => {
    const build = (target: Target) => () =>
      oneService({ expose: Exposure.ingress({ host: 'api.internal', internal: true }) }, target);
    expect(build(Target.eksAuto())).toThrow(
      'expose.internal: received true; allowed: an internal Ingress class on target "eks-auto"',
    );
    expect(
      find(build(Target.eksAuto({ internalIngressClass: 'alb-internal' }))(), 'Ingress', 'api').spec.ingressClassName,
    ).toBe('alb-internal');
    // The AWS Load Balancer Controller on plain EKS honours the annotation.
    expect(find(build(Target.eks())(), 'Ingress', 'api').metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe(
      'internal',
    );
  });

  test('EKS Pod Identity: preferred on eks-auto, selectable on eks; nothing on the ServiceAccount', () => {
    expect(Target.eksAuto().identity).toBe(IdentityMechanism.AWS_POD_IDENTITY);
    expect(Target.eks().identity).toBe(IdentityMechanism.AWS_IRSA);
    expect(Target.eks({ awsIdentity: IdentityMechanism.AWS_POD_IDENTITY }).identity).toBe(
      IdentityMechanism.AWS_POD_IDENTITY,
    );
    expect(Target.eksAuto({ awsIdentity: IdentityMechanism.AWS_IRSA }).identity).toBe(IdentityMechanism.AWS_IRSA);
    // awsIdentity only applies to AWS targets.
    expect(Target.gke({ awsIdentity: IdentityMechanism.AWS_IRSA }).identity).toBe(
      IdentityMechanism.GCP_WORKLOAD_IDENTITY,
    );
  });

  test('GKE Autopilot: bursting is the default (limits may exceed requests, 50m / 52Mi minimums); without it 250m / 512Mi and limits = requests', () => {
    const resources = { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } };
    expect(
      find(oneService({ resources }, Target.gkeAutopilot()), 'Deployment', 'api').spec.template.spec.containers[0]
        .resources.limits,
    ).toEqual(expect.objectContaining({ cpu: '1', memory: '1Gi' }));
    expect(Target.gkeAutopilot().props.resourceRules).toMatchObject({
      minCpuMillis: 50,
      minMemoryMebibytes: 52,
      limitsEqualRequests: false,
    });
    expect(Target.gkeAutopilot({ autopilotBursting: false }).props.resourceRules).toMatchObject({
      minCpuMillis: 250,
      minMemoryMebibytes: 512,
      limitsEqualRequests: true,
    });
  });
});

/** Issue #27: the target facts of December 2026; each source is in docs/targets.md. */
describe('target facts (December 2026)', () => {
  test('a PodDisruptionBudget never blocks evicting an unhealthy pod (unhealthyPodEvictionPolicy AlwaysAllow, GA in 1.31)', () => {
    expect(find(oneService(), 'PodDisruptionBudget', 'api').spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  test.each([
    ['1.34', 'PreferSameZone'],
    ['v1.37.2', 'PreferSameZone'],
    ['1.33', 'PreferClose'],
  ])(
    'multi-zone targets on Kubernetes %s: Services prefer endpoints in the same zone (%s; KEP-3015)',
    (version, distribution) => {
      for (const target of [Target.eks({ kubernetesVersion: version }), Target.gke({ kubernetesVersion: version })]) {
        const objects = oneService({ expose: Exposure.loadBalancer() }, target);
        expect(find(objects, 'Service', 'api').spec.trafficDistribution).toBe(distribution);
      }
    },
  );

  test('no trafficDistribution where the version is unknown (1.32 refuses PreferSameZone, 1.34+ warns about PreferClose) or there are no zones', () => {
    expect(find(oneService({}, Target.eks()), 'Service', 'api').spec.trafficDistribution).toBeUndefined();
    expect(
      find(oneService({}, Target.kind({ kubernetesVersion: '1.35' })), 'Service', 'api').spec.trafficDistribution,
    ).toBeUndefined();
    expect(() => oneService({}, Target.eks({ kubernetesVersion: 'latest' }))).toThrow(/target\.kubernetesVersion/);
  });

  test("GKE's Gateway controller serves no GRPCRoute: a gRPC route is refused with the reason and a fix that carries gRPC", () => {
    const grpc = { port: undefined, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }] };
    for (const target of [Target.gke(), Target.gkeAutopilot()])
      expect(() => oneService({ ...grpc, expose: Exposure.route({ host: 'rpc.example.com' }) }, target)).toThrow(
        /serves no GRPCRoute \(December 2026\)\)\. Hint: expose the gRPC port with Exposure\.loadBalancer/,
      );
    // The fix the hint names, and another implementation's class, both synthesize.
    expect(() => oneService({ ...grpc, expose: Exposure.loadBalancer() }, Target.gke())).not.toThrow();
    const envoy = Target.gke({ gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' });
    expect(() => oneService({ ...grpc, expose: Exposure.route({ host: 'rpc.example.com' }) }, envoy)).not.toThrow();
  });

  test("EKS Auto Mode's own gateway (eks.amazonaws.com/gateway-alb) carries HTTPRoute and GRPCRoute to pod IPs, through the platform's Gateway or class", () => {
    const gateway = GatewayReference.shared({ name: 'edge', namespace: 'gateway-system' });
    const ports = { port: undefined, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }] };
    const grpc = oneService(
      { ...ports, expose: Exposure.route({ host: 'rpc.example.com', gateway }) },
      Target.eksAuto(),
    );
    expect(find(grpc, 'GRPCRoute', 'api').spec.parentRefs).toEqual([{ name: 'edge', namespace: 'gateway-system' }]);
    const http = oneService({ expose: Exposure.route({ host: 'shop.example.com', gateway }) }, Target.eksAuto());
    expect(find(http, 'HTTPRoute', 'api').spec.parentRefs).toEqual([{ name: 'edge', namespace: 'gateway-system' }]);
    // Auto Mode targets pod IPs by default: no TargetGroupConfiguration, unlike the Load Balancer Controller on eks.
    expect([...grpc, ...http].filter((o) => o.kind === 'TargetGroupConfiguration')).toEqual([]);
    // The platform's class named: the system declares its own Gateway of that class.
    const own = oneService(
      { expose: Exposure.route({ host: 'shop.example.com' }) },
      Target.eksAuto({ gatewayClass: 'alb' }),
    );
    expect(own.find((o) => o.kind === 'Gateway').spec.gatewayClassName).toBe('alb');
    // Neither: refused, naming Auto Mode's controller (it is there, but the class is the platform's).
    const [refused] = problemsOf(() => {
      const { app, system } = newSystem({ target: Target.eksAuto() });
      system.addService('api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, expose: Exposure.route() });
      return app;
    });
    expect(refused).toMatch(
      /its controller eks\.amazonaws\.com\/gateway-alb serves the GatewayClass the platform creates.*\. Hint: attach to the platform's Gateway/,
    );
  });

  test('user namespaces are an opt-in (hostUsers: false, GA in 1.36)', () => {
    const pod = (props: object) => find(oneService(props), 'Deployment', 'api').spec.template.spec;
    expect(pod({}).hostUsers).toBeUndefined();
    expect(pod({ userNamespace: true }).hostUsers).toBe(false);
  });
});
