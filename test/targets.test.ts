import { App, Size } from 'cdk8s';
import {
  Architecture,
  Dependency,
  Exposure,
  GatewayReference,
  HealthCheck,
  Manifests,
  MicroserviceProps,
  MicroserviceSystem,
  Storage,
  Target,
} from '../lib';
import { find, oneService } from './helpers';

const stateful: Partial<MicroserviceProps> = {
  volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(20) })],
};
const identity: Partial<MicroserviceProps> = {
  identity: {
    awsRoleArn: 'arn:aws:iam::123456789012:role/api',
    gcpServiceAccount: 'api@p.iam.gserviceaccount.com',
    azureClientId: '11111111-2222-3333-4444-555555555555',
  },
};

describe('built-in targets', () => {
  test('ids are exactly the twelve profiles', () => {
    expect(Target.BUILT_IN_IDS).toEqual([
      'docker-desktop',
      'kind',
      'minikube',
      'k3s',
      'eks',
      'eks-auto',
      'gke',
      'gke-autopilot',
      'aks',
      'openshift',
      'rke2',
      'kubeadm',
    ]);
    expect(Target.all().map((t) => t.id)).toEqual(Target.BUILT_IN_IDS);
  });

  test('an unknown id is rejected with the list of ids', () => {
    expect(() => Target.fromId('eks2')).toThrow(
      'target: received "eks2"; allowed: one of docker-desktop, kind, minikube, k3s, eks, eks-auto, gke, gke-autopilot, aks, openshift, rke2, kubeadm. Hint: define your own with Target.custom()',
    );
  });

  test.each([
    ['docker-desktop', undefined, false],
    ['kind', undefined, false],
    ['minikube', undefined, false],
    ['k3s', undefined, false],
    ['eks', 'gp3', true],
    ['eks-auto', 'auto-ebs-sc', true],
    ['gke', 'standard-rwo', false],
    ['gke-autopilot', 'standard-rwo', false],
    ['aks', 'managed-csi', false],
    ['openshift', undefined, false],
  ])('%s: PVC class %s, StorageClass emitted: %s', (id, storageClass, emitted) => {
    const objects = oneService({ ...stateful, replicas: 1 }, Target.fromId(id));
    expect(find(objects, 'PersistentVolumeClaim', 'api-data').spec.storageClassName).toBe(storageClass);
    expect(objects.filter((o) => o.kind === 'StorageClass').map((o) => o.metadata.name)).toEqual(
      emitted ? [storageClass] : [],
    );
  });

  test.each(['rke2', 'kubeadm'])(
    '%s ships no StorageClass: a persistent volume must name one, and then uses it',
    (id) => {
      expect(() => oneService({ ...stateful, replicas: 1 }, Target.fromId(id))).toThrow(
        `[shop/api] volumes[0].storageClass: received nothing; allowed: a StorageClass on target "${id}" (it has no default class, so the claim would stay Pending)`,
      );
      const objects = oneService({ ...stateful, replicas: 1 }, Target.fromId(id, { storageClass: 'local-path' }));
      expect(find(objects, 'PersistentVolumeClaim', 'api-data').spec.storageClassName).toBe('local-path');
    },
  );

  test.each([
    ['eks', 'gp3', 'ebs.csi.aws.com'],
    ['eks-auto', 'auto-ebs-sc', 'ebs.csi.eks.amazonaws.com'],
  ])('%s: the emitted StorageClass %s binds on first consumer via %s', (id, name, provisioner) => {
    const storageClass = find(oneService({ ...stateful, replicas: 1 }, Target.fromId(id)), 'StorageClass', name);
    expect(storageClass.metadata.namespace).toBeUndefined();
    expect({
      provisioner: storageClass.provisioner,
      volumeBindingMode: storageClass.volumeBindingMode,
      parameters: storageClass.parameters,
    }).toEqual({
      provisioner,
      volumeBindingMode: 'WaitForFirstConsumer',
      parameters: { type: 'gp3', encrypted: 'true' },
    });
  });

  test('EKS StorageClass creation can be turned off, keeping the class name', () => {
    const objects = oneService(
      { ...stateful, replicas: 1 },
      Target.eks({ provisionStorageClass: false, storageClass: 'ebs-csi-default-sc' }),
    );
    expect(objects.filter((o) => o.kind === 'StorageClass')).toEqual([]);
    expect(find(objects, 'PersistentVolumeClaim', 'api-data').spec.storageClassName).toBe('ebs-csi-default-sc');
  });

  test.each([
    ['docker-desktop', { type: 'LoadBalancer' }, undefined],
    ['kind', { type: 'NodePort' }, undefined],
    ['minikube', { type: 'NodePort' }, undefined],
    ['k3s', { type: 'LoadBalancer' }, undefined],
    [
      'eks',
      { type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb' },
      {
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      },
    ],
    [
      'eks-auto',
      { type: 'LoadBalancer', loadBalancerClass: 'eks.amazonaws.com/nlb' },
      {
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      },
    ],
    ['gke', { type: 'LoadBalancer' }, undefined],
    ['aks', { type: 'LoadBalancer' }, undefined],
    ['rke2', { type: 'NodePort' }, undefined],
  ])('%s: a public load balancer is %j with annotations %j', (id, spec, annotations) => {
    const service = find(oneService({ expose: Exposure.loadBalancer() }, Target.fromId(id)), 'Service', 'api');
    expect({ type: service.spec.type, loadBalancerClass: service.spec.loadBalancerClass }).toEqual({
      loadBalancerClass: undefined,
      ...spec,
    });
    expect(service.metadata.annotations).toEqual(annotations);
  });

  test.each([
    [
      'eks',
      {
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      },
    ],
    ['gke', { 'networking.gke.io/load-balancer-type': 'Internal' }],
    ['aks', { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }],
  ])('%s: an internal load balancer is annotated %j', (id, annotations) => {
    expect(
      find(oneService({ expose: Exposure.loadBalancer({ internal: true }) }, Target.fromId(id)), 'Service', 'api')
        .metadata.annotations,
    ).toEqual(annotations);
    expect(
      find(
        oneService({ expose: Exposure.loadBalancer() }, Target.fromId(id, { internalByDefault: true })),
        'Service',
        'api',
      ).metadata.annotations,
    ).toEqual(annotations);
  });

  test.each([
    ['docker-desktop', 'nginx', undefined],
    ['kind', 'nginx', undefined],
    ['k3s', 'traefik', undefined],
    [
      'eks',
      'alb',
      { 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/target-type': 'ip' },
    ],
    ['gke', undefined, { 'kubernetes.io/ingress.class': 'gce' }],
    ['aks', 'webapprouting.kubernetes.azure.com', undefined],
    ['openshift', 'openshift-default', { 'route.openshift.io/termination': 'edge' }],
    ['rke2', 'traefik', undefined],
  ])('%s: an Ingress has class %s and annotations %j', (id, className, annotations) => {
    const ingress = find(
      // AKS: app routing NGINX only when named (its support ended in November 2026).
      oneService(
        { expose: Exposure.ingress({ host: 'api.example.com' }) },
        Target.fromId(id, id === 'aks' ? { ingressClass: className } : {}),
      ),
      'Ingress',
      'api',
    );
    expect(ingress.spec.ingressClassName).toBe(className);
    expect(ingress.metadata.annotations).toEqual(annotations);
    expect(ingress.spec.rules).toEqual([
      {
        host: 'api.example.com',
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }],
        },
      },
    ]);
  });

  test('GKE: internal ingress class and NEG annotation on the backend Service', () => {
    const objects = oneService({ expose: Exposure.ingress({ host: 'api.internal', internal: true }) }, Target.gke());
    expect(find(objects, 'Ingress', 'api').metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce-internal',
    });
    expect(find(objects, 'Service', 'api').metadata.annotations).toEqual({
      'cloud.google.com/neg': '{"ingress": true}',
    });
  });

  test('the ingress class is configurable (ingress-nginx was retired)', () => {
    expect(
      find(oneService({ expose: Exposure.ingress() }, Target.kind({ ingressClass: 'traefik' })), 'Ingress', 'api').spec
        .ingressClassName,
    ).toBe('traefik');
    expect(
      find(oneService({ expose: Exposure.ingress() }, Target.gke({ ingressClass: 'nginx' })), 'Ingress', 'api').metadata
        .annotations,
    ).toEqual({ 'kubernetes.io/ingress.class': 'nginx' });
  });

  test.each([
    ['eks', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/api' }, undefined],
    // Pod Identity: the association lives in the EKS API; nothing on the ServiceAccount.
    ['eks-auto', undefined, undefined],
    ['gke', { 'iam.gke.io/gcp-service-account': 'api@p.iam.gserviceaccount.com' }, undefined],
    ['aks', { 'azure.workload.identity/client-id': '11111111-2222-3333-4444-555555555555' }, 'true'],
    ['kind', undefined, undefined],
  ])('%s: workload identity annotates the ServiceAccount %j, pod label %s', (id, annotations, podLabel) => {
    const objects = oneService(identity, Target.fromId(id));
    expect(find(objects, 'ServiceAccount', 'api').metadata.annotations).toEqual(annotations);
    expect(find(objects, 'Deployment', 'api').spec.template.metadata.labels['azure.workload.identity/use']).toBe(
      podLabel,
    );
  });

  test.each([
    [
      'gke',
      [
        {
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 8080, protocol: 'TCP' },
          ],
          to: [{ ipBlock: { cidr: '169.254.169.254/32' } }],
        },
        {
          ports: [
            { port: 987, protocol: 'TCP' },
            { port: 988, protocol: 'TCP' },
          ],
          to: [{ ipBlock: { cidr: '169.254.169.252/32' } }],
        },
      ],
    ],
    [
      'gke-autopilot',
      [
        {
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 8080, protocol: 'TCP' },
          ],
          to: [{ ipBlock: { cidr: '169.254.169.254/32' } }],
        },
        {
          ports: [
            { port: 987, protocol: 'TCP' },
            { port: 988, protocol: 'TCP' },
          ],
          to: [{ ipBlock: { cidr: '169.254.169.252/32' } }],
        },
      ],
    ],
    [
      'eks-auto',
      [
        {
          ports: [{ port: 80, protocol: 'TCP' }],
          to: [{ ipBlock: { cidr: '169.254.170.23/32' } }, { ipBlock: { cidr: 'fd00:ec2::23/128' } }],
        },
      ],
    ],
    // IRSA and Azure exchange a projected token with the cloud's HTTPS API, which the workload declares.
    ['eks', []],
    ['aks', []],
    ['kind', []],
  ])(
    '%s: a workload with an identity may reach the node-local credential endpoint, after its declared edges',
    (id, rules) => {
      const api = Dependency.external('cloud-api', { host: 'api.cloud.example.com', port: 443 });
      const egress = find(oneService({ ...identity, dependsOn: [api] }, Target.fromId(id)), 'NetworkPolicy', 'api').spec
        .egress;
      expect(egress).toEqual([{ ports: [{ port: 443, protocol: 'TCP' }] }, ...rules]);
      expect(find(oneService({ dependsOn: [api] }, Target.fromId(id)), 'NetworkPolicy', 'api').spec.egress).toEqual([
        { ports: [{ port: 443, protocol: 'TCP' }] },
      ]);
    },
  );

  test("an identity without any declared HTTPS egress draws a warning: the pods could not reach the cloud's APIs", () => {
    const warnings = (props: Partial<MicroserviceProps>) => {
      const app = new App();
      new MicroserviceSystem(app, 'shop', { target: Target.eks() }).addService('api', {
        image: 'ghcr.io/acme/api:1.0.0',
        port: 8080,
        expose: Exposure.ingress({ host: 'api.example.com' }),
        healthCheck: HealthCheck.http('/healthz'),
        ...props,
      });
      return Manifests.synthesize(app).warnings;
    };
    expect(warnings(identity)).toEqual([
      expect.stringMatching(
        /^\[shop\/api\] identity: received .*; allowed: a cloud identity with a way to the cloud's HTTPS APIs on target "eks" \(the NetworkPolicy allows only declared egress\)\. Hint: declare the APIs/,
      ),
    ]);
    expect(
      warnings({
        ...identity,
        dependsOn: [Dependency.external('sts', { host: 'sts.eu-west-1.amazonaws.com', port: 443 })],
      }),
    ).toEqual([]);
    expect(warnings({})).toEqual([]);
  });

  test('GKE Autopilot without bursting: limits equal requests', () => {
    const resources = find(
      oneService(
        { resources: { cpu: { request: '250m' }, memory: { request: '512Mi' } } },
        Target.gkeAutopilot({ autopilotBursting: false }),
      ),
      'Deployment',
      'api',
    ).spec.template.spec.containers[0].resources;
    expect(resources.limits).toEqual(resources.requests);
    expect(resources.requests).toEqual({ cpu: '250m', memory: '512Mi', 'ephemeral-storage': '64Mi' });
  });

  test('OpenShift: no fixed user, group or fsGroup; DNS egress to openshift-dns on 5353', () => {
    const objects = oneService({}, Target.openshift());
    const pod = find(objects, 'Deployment', 'api').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext.runAsUser).toBeUndefined();
    expect(pod.containers[0].securityContext.runAsGroup).toBeUndefined();
    expect(find(objects, 'NetworkPolicy', 'allow-dns').spec.egress[0].to[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'openshift-dns',
    });
    expect(find(objects, 'NetworkPolicy', 'allow-dns').spec.egress[0].ports.map((p: any) => p.port)).toEqual([
      5353, 5353,
    ]);
  });

  test.each(Target.BUILT_IN_IDS)('%s: pull policy, spread and node selector follow the profile', (id) => {
    const target = Target.fromId(id);
    const pod = find(oneService({}, target), 'Deployment', 'api').spec.template.spec;
    expect(pod.containers[0].imagePullPolicy).toBe(target.props.local ? 'IfNotPresent' : 'Always');
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(
      target.props.zones ? ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] : ['kubernetes.io/hostname'],
    );
    expect(pod.topologySpreadConstraints.every((c: any) => c.whenUnsatisfiable === 'ScheduleAnyway')).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('architecture pins nodes', () => {
    expect(
      find(oneService({}, Target.eks({ architecture: Architecture.ARM64 })), 'Deployment', 'api').spec.template.spec
        .nodeSelector,
    ).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
  });

  test('cluster domain shapes DNS names', () => {
    const shop = new MicroserviceSystem(new App(), 'shop', { target: Target.kind({ clusterDomain: 'corp.internal' }) });
    expect(shop.addService('api', { image: 'a/api:1', port: 80 }).dnsName).toBe('api.shop.svc.corp.internal');
  });

  test('a custom target is a first-class profile', () => {
    const mine = Target.custom({
      id: 'lab',
      description: 'our lab cluster',
      local: false,
      zones: true,
      storage: { storageClass: 'ceph-rbd', minimumSize: Size.gibibytes(1) },
      loadBalancer: { support: 'available' as any },
      ingress: { className: 'haproxy' },
    });
    const objects = oneService({ ...stateful, replicas: 1, expose: Exposure.ingress() }, mine);
    expect(find(objects, 'PersistentVolumeClaim', 'api-data').spec.storageClassName).toBe('ceph-rbd');
    expect(find(objects, 'Ingress', 'api').spec.ingressClassName).toBe('haproxy');
    expect(() => Target.custom({ ...mine.props, id: 'Lab Cluster' })).toThrow(
      'target id: received "Lab Cluster"; allowed: a DNS-1123 label. Hint: it names the output folder dist/<id>/',
    );
  });
});

describe('load balancer health checks', () => {
  const annotations = (props: Partial<MicroserviceProps>, target: Target) =>
    find(oneService({ expose: Exposure.ingress({ host: 'api.example.com' }), ...props }, target), 'Ingress', 'api')
      .metadata.annotations ?? {};

  test("an ALB checks the HTTP readiness path with kubelet's success codes, on the probed port when it is not the traffic port", () => {
    expect(annotations({ healthCheck: HealthCheck.http('/ready') }, Target.eks())).toMatchObject({
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/success-codes': '200-399',
    });
    expect(
      annotations({ healthCheck: HealthCheck.http('/ready') }, Target.eks())[
        'alb.ingress.kubernetes.io/healthcheck-port'
      ],
    ).toBeUndefined();
    expect(
      annotations(
        { ports: [{ name: 'admin', port: 9000 }], readiness: HealthCheck.http('/ready', { portName: 'admin' }) },
        Target.eksAuto(),
      ),
    ).toMatchObject({
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/healthcheck-port': '9000',
    });
  });

  test('the probed port is admitted like the traffic port where the ALB runs the check, or every target would fail it', () => {
    const policy = (target: Target, expose: Exposure) =>
      find(
        oneService(
          {
            expose,
            ports: [{ name: 'admin', port: 9000 }],
            readiness: HealthCheck.http('/ready', { portName: 'admin' }),
          },
          target,
        ),
        'NetworkPolicy',
        'api',
      ).spec.ingress;
    const route = Exposure.route({
      host: 'api.example.com',
      gateway: GatewayReference.shared({ name: 'edge', namespace: 'gateway-system' }),
    });
    for (const expose of [Exposure.ingress({ host: 'api.example.com' }), route]) {
      expect(policy(Target.eks(), expose)).toEqual([
        { ports: [{ port: 8080, protocol: 'TCP' }] },
        { ports: [{ port: 9000, protocol: 'TCP' }] },
      ]);
    }
    // Where the controller does not run the check itself, the admin port stays closed.
    expect(
      policy(Target.kind({ ingressClass: 'nginx' }), Exposure.ingress({ host: 'api.example.com' })).map(
        (r: any) => r.ports,
      ),
    ).toEqual([[{ port: 8080, protocol: 'TCP' }]]);
  });

  test('nothing without an HTTP readiness check, nor where the controller reads the probe itself (GKE)', () => {
    expect(Object.keys(annotations({}, Target.eks())).filter((k) => k.includes('healthcheck'))).toEqual([]);
    expect(
      Object.keys(annotations({ healthCheck: HealthCheck.http('/ready') }, Target.gke())).filter((k) =>
        k.includes('health'),
      ),
    ).toEqual([]);
  });
});
