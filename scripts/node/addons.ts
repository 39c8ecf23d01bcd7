/**
 * The cluster add-ons the outputs rely on, as a kubeadm/kind/k3s cluster has them: CoreDNS
 * (labelled `k8s-app: kube-dns` in kube-system, which the outputs' DNS egress policies name) and,
 * where the output's Gateway class is `traefik`, Traefik as the Gateway API implementation. Their
 * images are packaged from binaries built from their Go modules.
 */

/** The image CoreDNS runs from (the name kubeadm uses; imported, never pulled). */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.15.0';
/** The image Traefik runs from. */
export const TRAEFIK_IMAGE = 'docker.io/library/traefik:v3';
/** Traefik's entry points: the ports a Gateway's listeners must use (the kubeadm example's http/https ports). */
export const TRAEFIK_PORTS = { http: 8000, https: 8443 } as const;

const clusterRole = (name: string, rules: any[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name },
  rules,
});
const clusterRoleBinding = (name: string, namespace: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
  subjects: [{ kind: 'ServiceAccount', name, namespace }],
});
const read = ['get', 'list', 'watch'];

/** CoreDNS answering for cluster.local only: there is nothing outside to forward to. */
export function coreDns(clusterIp: string): any[] {
  const labels = { 'k8s-app': 'kube-dns' };
  const corefile = [
    '.:53 {',
    '    errors',
    '    health :8080',
    '    ready :8181',
    '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
    '        pods insecure',
    '        fallthrough in-addr.arpa ip6.arpa',
    '    }',
    '    cache 30',
    '}',
    '',
  ].join('\n');
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    clusterRole('coredns', [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]),
    clusterRoleBinding('coredns', 'kube-system'),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: 'kube-system' },
      data: { Corefile: corefile },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns',
            containers: [
              {
                name: 'coredns',
                image: COREDNS_IMAGE,
                imagePullPolicy: 'Never',
                args: ['-conf', '/etc/coredns/Corefile'],
                // Port 53 needs root or a capability a non-root process cannot use without ambient capabilities.
                securityContext: { runAsUser: 0, readOnlyRootFilesystem: true },
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
                livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10 },
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
      spec: {
        clusterIP: clusterIp,
        selector: labels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    },
  ];
}

/** Traefik with its Kubernetes Gateway provider, serving GatewayClass `traefik`, in `namespace`. */
export function traefik(namespace: string): any[] {
  const labels = { 'app.kubernetes.io/name': 'traefik' };
  const gatewayResources = [
    'gatewayclasses',
    'gateways',
    'httproutes',
    'grpcroutes',
    'tcproutes',
    'tlsroutes',
    'referencegrants',
    'backendtlspolicies',
  ];
  return [
    ...(namespace === 'kube-system' ? [] : [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }]),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'traefik', namespace } },
    clusterRole('traefik', [
      { apiGroups: [''], resources: ['namespaces', 'services', 'secrets', 'configmaps', 'nodes'], verbs: read },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
      { apiGroups: ['gateway.networking.k8s.io'], resources: gatewayResources, verbs: read },
      {
        apiGroups: ['gateway.networking.k8s.io'],
        resources: gatewayResources.map((r) => `${r}/status`),
        verbs: ['update', 'patch'],
      },
    ]),
    clusterRoleBinding('traefik', namespace),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'traefik' },
      spec: { controllerName: 'traefik.io/gateway-controller' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'traefik', namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'traefik',
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'traefik',
                image: TRAEFIK_IMAGE,
                imagePullPolicy: 'Never',
                args: [
                  `--entryPoints.web.address=:${TRAEFIK_PORTS.http}`,
                  `--entryPoints.websecure.address=:${TRAEFIK_PORTS.https}`,
                  '--entryPoints.traefik.address=:9000',
                  '--ping=true',
                  '--providers.kubernetesgateway=true',
                  '--log.level=INFO',
                ],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                ports: [
                  { name: 'web', containerPort: TRAEFIK_PORTS.http },
                  { name: 'websecure', containerPort: TRAEFIK_PORTS.https },
                ],
                readinessProbe: { httpGet: { path: '/ping', port: 9000 }, periodSeconds: 2 },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
  ];
}
