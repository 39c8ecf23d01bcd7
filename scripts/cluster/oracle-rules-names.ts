import fc from 'fast-check';
import {
  checkConfigMapKey,
  checkDns1035Label,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvName,
  checkIngressHost,
  checkIngressPath,
  checkLabelValue,
  checkMountPaths,
  checkNamespaceNotReserved,
  checkPathSegmentName,
  checkStorageClassName,
  isReservedNamespace,
  normalizePath,
  problems,
} from '../../lib/checks';
import { container, ingress, join, meta, pod, Rule, service, text } from './oracle-kit';

/**
 * The rules oracle's rules for names, keys, hosts and paths: object names, label values, ConfigMap
 * keys, Ingress hosts and paths, env var names and mount paths.
 */
export const NAME_RULES: Array<Rule<any>> = [
  {
    name: 'DNS-1123 label (Namespace name)',
    source: 'apimachinery pkg/api/validate/content/dns.go IsDNS1123Label',
    check: (v: string) => checkDnsLabel('name', v),
    object: (v: string) => ({
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: v } },
    }),
    hand: ['orders', 'a', '0abc', 'a'.repeat(63), 'a'.repeat(64), 'orders-', 'Orders', 'db.credentials', 'a_b'],
    generated: text('abz09-.A_', 63),
  },
  {
    name: 'reserved namespace',
    source: 'pkg/apis/core (NamespaceSystem, NamespacePublic, NamespaceNodeLease, NamespaceDefault)',
    check: (v: string) => problems(checkDnsLabel('namespace', v), checkNamespaceNotReserved('namespace', v))[0],
    object: (v: string) => ({
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: v } },
    }),
    hand: [
      'shop',
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'kube-x',
      'openshift',
      'openshift-x',
      'my-kube-system',
    ],
    generated: join([fc.constantFrom('', 'kube-', 'openshift', 'openshift-', 'default'), text('ab-', 6)]),
    policy: (v: string) =>
      isReservedNamespace(v)
        ? 'the namespace belongs to the cluster; a system must not apply its policies there'
        : undefined,
  },
  {
    name: 'DNS-1123 subdomain (Secret name)',
    source: 'apimachinery pkg/api/validate/content/dns.go IsDNS1123Subdomain',
    check: (v: string) => checkDnsSubdomain('secrets[0]', v),
    object: (v: string) => ({
      path: '/api/v1/namespaces/default/secrets',
      body: { apiVersion: 'v1', kind: 'Secret', metadata: meta(v) },
    }),
    hand: [
      'db.credentials',
      'a.b.c',
      'db..credentials',
      '.db',
      'db.',
      'Db',
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
    ],
    generated: text('ab09-.A_', 253),
  },
  {
    name: 'StorageClass name',
    source: 'pkg/apis/storage/validation (ValidateClassName = NameIsDNSSubdomain)',
    check: (v: string) => checkStorageClassName('storageClass', v),
    object: (v: string) => ({
      path: '/apis/storage.k8s.io/v1/storageclasses',
      body: {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: v },
        provisioner: 'example.com/disk',
      },
    }),
    hand: ['fast-ssd', 'gp3.encrypted', 'Fast_SSD', 'fast ssd'],
    generated: text('ab0-._S', 12),
  },
  {
    name: 'DNS-1035 label (Service name)',
    source: 'apimachinery pkg/util/validation/validation.go IsDNS1035Label',
    check: (v: string) => checkDns1035Label('name', v),
    object: (v: string) => service(v, [{ port: 80 }]),
    hand: ['orders', '1password', 'a1', 'orders-', 'a'.repeat(63), 'a'.repeat(64)],
    generated: text('ab09-', 63),
    policy: (v: string) =>
      /^[0-9]/.test(v) && checkDnsLabel('name', v) === undefined
        ? 'a Service name that starts with a digit is a DNS-1123 label only with the RelaxedServiceNameValidation gate; clusters without it refuse it'
        : undefined,
  },
  {
    name: 'path segment name (ClusterRole name)',
    source: 'apimachinery pkg/api/validate/content/path.go IsPathSegmentName (ValidateRBACName)',
    check: (v: string) => checkPathSegmentName('name', v),
    object: (v: string) => ({
      path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: v } },
    }),
    hand: ['My Thing', 'a:b', '.', '..', 'a/b', '50%', '...'],
    generated: text('aZ ./%:-', 6),
  },
  {
    name: 'label value',
    source: 'apimachinery pkg/api/validate/content/kube.go IsLabelValue',
    check: (v: string) => checkLabelValue('version', v),
    object: (v: string) => ({
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('oracle', { labels: { version: v } }) },
    }),
    hand: ['', 'v1.4.2', 'a'.repeat(63), 'a'.repeat(64), '-v1', 'v1.', 'v 1', 'a/b'],
    generated: text('aZ09-_. /', 63),
  },
  {
    name: 'ConfigMap key',
    source: 'apimachinery pkg/util/validation/validation.go IsConfigMapKey',
    check: (v: string) => checkConfigMapKey('files', v),
    object: (v: string) => ({
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('oracle'), data: { [v]: 'x' } },
    }),
    hand: ['app.yaml', '.env', 'a/b', '..', '.', '..data', 'a b', 'a'.repeat(253), 'a'.repeat(254)],
    generated: text('aZ0._-/ ', 253),
  },
  {
    name: 'Ingress host',
    source: 'pkg/apis/networking/validation/validation.go validateIngressRules',
    check: (v: string) => checkIngressHost('expose.host', v),
    object: (v: string) => ingress(v, '/'),
    hand: [
      'shop.example.com',
      '*.example.com',
      'Shop.example.com',
      'https://shop.example.com',
      'shop.example.com:443',
      '10.0.0.1',
      '010.0.0.1',
      '256.0.0.1',
      '*',
      'a.*.com',
      'shop.example.com.',
    ],
    generated: join([
      fc.constantFrom('', '*.', '*', 'https://'),
      text('ab0-.S:*', 10),
      fc.constantFrom('', ':443', '.com', '/x'),
    ]),
  },
  {
    name: 'Ingress path (Prefix)',
    source: 'pkg/apis/networking/validation/validation.go validateHTTPIngressPath',
    check: (v: string) => checkIngressPath('expose.path', v),
    object: (v: string) => ingress('shop.example.com', v),
    hand: [
      '/',
      '/api',
      '/api/',
      'api',
      '//api',
      '/a/./b',
      '/a/../b',
      '/a%2fb',
      '/a/.',
      '/a/..',
      '/a b',
      '/a?b',
      '/a#b',
    ],
    generated: text('/a.%2f ?', 8),
    policy: (v: string) =>
      v.startsWith('/') && /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/.test(v)
        ? 'a path with characters outside RFC 3986 (space, ?, #) can never match a request path as written'
        : undefined,
  },
  {
    name: 'env var name',
    source: 'pkg/apis/core/validation/validation.go IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation)',
    check: (v: string) => checkEnvName('env', v),
    object: (v: string) => pod({ containers: [container({ env: [{ name: v, value: 'x' }] })] }),
    hand: ['DB_HOST', '_1PASSWORD', 'MY-DB', '1PASSWORD', 'A.B', 'spring.profiles.active', ' ', '', 'A=B', 'é', 'a\tb'],
    generated: text('aZ09_-.= é~', 6),
  },
  {
    name: 'mount paths (two emptyDir mounts)',
    source: 'pkg/apis/core/validation/validation.go ValidateVolumeMounts (unique mountPath)',
    check: (v: string[]) =>
      checkMountPaths(
        v.map((mountPath) => ({ mountPath })),
        (i) => `volumes[${i}]`,
      )[0],
    object: (v: string[]) =>
      pod({
        volumes: v.map((_, i) => ({ name: `v${i}`, emptyDir: {} })),
        containers: [container({ volumeMounts: v.map((mountPath, i) => ({ name: `v${i}`, mountPath })) })],
      }),
    hand: [
      ['/data', '/data/'],
      ['/data', '/cache'],
      ['/data', '/data'],
    ],
    generated: fc.tuple(
      fc.constantFrom('/data', '/data/', '/data//', '/data/.', '/x'),
      fc.constantFrom('/data', '/x/', '/x/../data', '/y'),
    ),
    policy: (v: string[]) =>
      v[0] !== v[1] && normalizePath(v[0]) === normalizePath(v[1])
        ? 'two spellings of one directory are one mount point'
        : undefined,
  },
];
