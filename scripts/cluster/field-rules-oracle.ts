import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import {
  checkConfigMapKey,
  checkCountOrPercent,
  checkCronSchedule,
  checkDns1035Label,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvName,
  cronScheduleError,
  checkIngressHost,
  checkIngressPath,
  checkIntegerInRange,
  checkLabelValue,
  checkMountPaths,
  checkNamespaceNotReserved,
  checkPathSegmentName,
  checkPortList,
  checkPortNumber,
  checkQuantity,
  checkStorageClassName,
  checkTimeZone,
  isReservedNamespace,
  MAX_STABILIZATION_WINDOW_SECONDS,
  normalizePath,
  PortEntry,
  problems,
  resolveRequestLimit,
} from '../../lib/checks';
import { IANA_TIME_ZONES } from '../../lib/checks/time-zones';
import { ApiOracle as Oracle, pool } from './api-oracle';
import { container, cronJob, ingress, join, meta, pod, Rule, service, text } from './oracle-kit';
import { ISSUE_27_RULES } from './oracle-rules';
import { ControlPlane, ToolDirs } from './control-plane';

/**
 * `npm run test:rules-oracle`: the API server as the oracle for the field rules of lib/checks.
 * Each rule's cases (hand-picked ones, then fast-check generated ones: seeded, bounded) become
 * one object each, server-side dry-run created with strict field validation. Invariants:
 * - every value a checker accepts, the server accepts without a warning (no wrong accepts);
 * - every value a checker rejects, the server rejects, unless the rule's `policy` names the
 *   library's deliberate reason (no wrong rejects).
 * A disagreement among generated values is shrunk by fast-check to a minimal case and printed.
 *
 * Env: ORACLE_VERSIONS (default: every version in versions.sh), ORACLE_SEED (default 16),
 * ORACLE_RUNS (generated cases per rule, default 60).
 */
const repo = path.resolve(__dirname, '../../..');
const buildTools = path.join(repo, 'scripts/cluster/build-tools.sh');
const seed = Number(process.env.ORACLE_SEED ?? 16);
const numRuns = Number(process.env.ORACLE_RUNS ?? 60);
const log = (line: string) => process.stdout.write(`${line}\n`);

const RULES: Array<Rule<any>> = [
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
    name: 'resource quantity (CPU request)',
    source: 'apimachinery pkg/api/resource/quantity.go ParseQuantity; core validation ValidateNonnegativeQuantity',
    check: (v: string) => checkQuantity('resources.cpu.request', v, '250m'),
    object: (v: string) => pod({ containers: [container({ resources: { requests: { cpu: v } } })] }),
    hand: [
      '100m',
      '1e-1',
      '1e3',
      '1E3',
      '1E',
      '1.',
      '.5',
      '500n',
      '-1',
      '.',
      '+',
      '1e',
      '1 ',
      ' 1',
      '1Ki',
      '1ki',
      '1e400',
      '0',
    ],
    generated: join([
      fc.constantFrom('', '+', '-'),
      text('0159.', 3),
      fc.constantFrom('', 'm', 'k', 'Ki', 'e', 'E', 'e3', 'E-2', 'n', 'u', 'K', 'i'),
    ]),
    policy: (v: string) => {
      if (v !== v.trim() && checkQuantity('q', v.trim(), '1') === undefined)
        return 'surrounding spaces (the server trims them) are a typo';
      if (!/[0-9]/.test(v.replace(/[eE][+-]?[0-9]+$/, '')))
        return 'a quantity without a digit ("k", "-E-2", ".") is not a number (the Go scanner reads it as 0)';
      if (/[eE][+-]?[0-9]{3,}$/.test(v))
        return 'a value beyond what a JavaScript number holds (1e400) cannot be compared or checked';
      return undefined;
    },
  },
  {
    name: 'CronJob schedule',
    source: 'pkg/apis/batch/validation/validation.go validateScheduleFormat; robfig/cron/v3 parser.go ParseStandard',
    check: (v: string) => checkCronSchedule('schedule', v),
    object: (v: string) => cronJob(v),
    hand: [
      '*/15 * * * *',
      '0 3 * * MON-FRI',
      '@hourly',
      '@every 1h30m',
      '@every 0s',
      '0 0 * * 7',
      '60 * * * *',
      '*-5 * * * *',
      '0 0 , * *',
      'TZ=UTC 0 3 * * *',
      'CRON_TZ=UTC 0 3 * * *',
      '@hourly ',
      '+5 * * * *',
      '0 0 1 jan,JUL *',
    ],
    generated: fc.oneof(
      fc
        .tuple(
          ...[59, 23, 31, 12, 7].map((max) =>
            fc.oneof(
              fc.constantFrom('*', '?', '*/5', 'MON', 'jan', ',', '1,,2', '*-3', '0/0', '+1'),
              fc
                .tuple(
                  fc.integer({ min: 0, max: max + 1 }),
                  fc.option(fc.integer({ min: 0, max: max + 1 })),
                  fc.option(fc.integer({ min: 0, max: 4 })),
                )
                .map(([a, b, s]) => `${a}${b === null ? '' : `-${b}`}${s === null ? '' : `/${s}`}`),
            ),
          ),
        )
        .map((fields) => fields.join(' ')),
      fc.constantFrom(
        '@daily',
        '@every 5m',
        '@every -1h',
        '@every 1.5h',
        '@every 500ms',
        '@reboot',
        '* * * *',
        '* * * * * *',
      ),
    ),
    policy: (v: string) =>
      cronScheduleError(v)?.includes('runs every second')
        ? 'an @every under one second (zero or negative too) runs every second'
        : undefined,
  },
  {
    name: 'CronJob timeZone',
    source: 'pkg/apis/batch/validation/validation.go validateTimeZone (time.LoadLocation)',
    check: (v: string) => checkTimeZone('timeZone', v),
    object: (v: string) => cronJob('0 3 * * *', v),
    // Every pinned name, then names only a machine's own zoneinfo may have (posix/, right/, localtime).
    hand: [
      ...IANA_TIME_ZONES,
      'Local',
      'local',
      '',
      'europe/paris',
      'Europe/Pariss',
      '../etc/passwd',
      'Europe//Paris',
      'posix/Europe/Paris',
      'right/UTC',
      'posixrules',
      'localtime',
      'Factory',
      'SystemV/EST5',
    ],
    policy: (v: string) =>
      /^(posix|right)\/|^(localtime|posixrules)$/.test(v)
        ? 'a name only the control plane host\'s own zoneinfo has (posix/, right/, localtime: the host\'s zone, i.e. "Local") depends on the machine'
        : undefined,
    generated: fc.oneof(
      fc.constantFrom(...[...IANA_TIME_ZONES]),
      fc.constantFrom(...[...IANA_TIME_ZONES]).map((z) => z.toLowerCase()),
      text('Ea/_+0', 6),
    ),
  },
  {
    name: 'PDB maxUnavailable (int or percent)',
    source: 'pkg/apis/policy/validation/validation.go ValidatePodDisruptionBudgetSpec',
    check: (v: number | string) => checkCountOrPercent('disruptionBudget.maxUnavailable', v, 'e.g. 1'),
    object: (v: number | string) => ({
      path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
      body: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta('oracle'),
        spec: { selector: { matchLabels: { app: 'x' } }, maxUnavailable: v },
      },
    }),
    hand: [0, 1, -1, '25%', '100%', '101%', '5', '-5%', '25 %'],
    generated: fc.oneof(
      fc.integer({ min: -3, max: 200 }),
      fc.integer({ min: -3, max: 120 }).map((n) => `${n}%`),
      text('1%0 -', 4),
    ),
  },
  {
    name: 'HPA stabilization window',
    source: 'pkg/apis/autoscaling/validation/validation.go validateScalingRules (MaxStabilizationWindowSeconds)',
    check: (v: number) =>
      checkIntegerInRange(
        'autoscaling.scaleDownStabilization',
        v,
        0,
        MAX_STABILIZATION_WINDOW_SECONDS,
        'at most an hour',
      ),
    object: (v: number) => ({
      path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers',
      body: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta('oracle'),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' },
          minReplicas: 1,
          maxReplicas: 2,
          behavior: { scaleDown: { stabilizationWindowSeconds: v } },
        },
      },
    }),
    hand: [0, 300, 3600, 3601, 7200, -1],
    generated: fc.integer({ min: -10, max: 4000 }),
  },
  {
    name: 'port number (Service port)',
    source: 'apimachinery pkg/util/validation/validation.go IsValidPortNum',
    check: (v: number) => checkPortNumber('port', v),
    object: (v: number) => service('oracle', [{ port: v }]),
    hand: [1, 80, 65535, 0, 65536, 70000, -1],
    generated: fc.integer({ min: -5, max: 70000 }),
  },
  {
    name: 'port list (Service ports)',
    source: 'pkg/apis/core/validation/validation.go ValidateService (unique names, unique port+protocol)',
    check: (v: PortEntry[]) => checkPortList(v, (i) => `ports[${i}]`)[0],
    object: (v: PortEntry[]) =>
      service(
        'oracle',
        v.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
      ),
    hand: [
      [
        { name: 'dns-tcp', port: 53 },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
      ],
      [
        { name: 'a', port: 80 },
        { name: 'b', port: 80 },
      ],
      [
        { name: 'a', port: 80 },
        { name: 'a', port: 81 },
      ],
    ],
    generated: fc.array(
      fc.record({
        name: fc.constantFrom('a', 'b', 'c'),
        port: fc.constantFrom(53, 80),
        protocol: fc.constantFrom('TCP', 'UDP'),
      }),
      { minLength: 2, maxLength: 3 },
    ),
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
  ...ISSUE_27_RULES,
];

/** One case where the checker and the server disagree. */
interface Disagreement {
  readonly rule: string;
  readonly value: unknown;
  readonly kind: 'wrong accept' | 'wrong reject';
  readonly server: string;
  readonly checker: string;
}

async function judge<T>(
  oracle: Oracle,
  rule: Rule<T>,
  value: T,
): Promise<{ disagreement?: Disagreement; policy?: string }> {
  const problem = rule.check(value);
  const { path: apiPath, body } = rule.object(value);
  const server = await oracle.verdict(apiPath, body);
  const checker = problem ? `${problem.allowed} / ${problem.hint}` : 'accepted';
  if (problem === undefined && !server.accepted)
    return { disagreement: { rule: rule.name, value, kind: 'wrong accept', server: server.message, checker } };
  if (problem !== undefined && server.accepted) {
    const policy = rule.policy?.(value);
    return policy !== undefined
      ? { policy }
      : { disagreement: { rule: rule.name, value, kind: 'wrong reject', server: server.message, checker } };
  }
  return {};
}

/** Every rule's hand and generated cases; returns the disagreements, with a shrunk case per failing rule. */
async function runRules(
  oracle: Oracle,
): Promise<{ cases: number; disagreements: Disagreement[]; policies: Map<string, number> }> {
  let cases = 0;
  const disagreements: Disagreement[] = [];
  const policies = new Map<string, number>();
  for (const [index, rule] of RULES.entries()) {
    const values = [...rule.hand, ...fc.sample(rule.generated, { seed: seed + index, numRuns })];
    const results = await pool(values, 8, (v) => judge(oracle, rule, v));
    cases += values.length;
    const found = results.flatMap((r) => (r.disagreement ? [r.disagreement] : []));
    results.forEach(
      (r) =>
        r.policy && policies.set(`${rule.name}: ${r.policy}`, (policies.get(`${rule.name}: ${r.policy}`) ?? 0) + 1),
    );
    log(
      `${found.length === 0 ? '✓' : '✗'} ${rule.name}: ${values.length} cases, ${found.length} disagreements  (${rule.source})`,
    );
    disagreements.push(...found);
    if (found.some((d) => !rule.hand.includes(d.value as never))) {
      const run = await fc.check(
        fc.asyncProperty(rule.generated, async (v) => (await judge(oracle, rule, v)).disagreement === undefined),
        { seed: seed + index, numRuns },
      );
      if (run.failed) log(`    shrunk to ${JSON.stringify(run.counterexample?.[0])} after ${run.numShrinks} shrinks`);
    }
  }
  return { cases, disagreements, policies };
}

/** A limit with no request: the server must default the request to the limit, as resolveRequestLimit does. */
async function checkRequestDefaulting(oracle: Oracle): Promise<Disagreement[]> {
  const found: Disagreement[] = [];
  for (const limit of ['50m', '1e-1', '2']) {
    const resolved = resolveRequestLimit('resources.cpu', { limit }, { request: '100m', limit: '500m' }, '250m');
    const { path: apiPath, body } = pod({ containers: [container({ resources: { limits: { cpu: limit } } })] });
    const verdict = await oracle.verdict(apiPath, body);
    const serverRequest = verdict.body?.spec?.containers?.[0]?.resources?.requests?.cpu;
    if (!verdict.accepted || serverRequest === undefined || !sameQuantity(serverRequest, resolved.request!)) {
      found.push({
        rule: 'request defaults to the limit',
        value: limit,
        kind: 'wrong accept',
        server: `request ${serverRequest} (${verdict.message})`,
        checker: `request ${resolved.request}`,
      });
    }
  }
  log(
    `${found.length === 0 ? '✓' : '✗'} request defaults to the limit: 3 cases, ${found.length} disagreements  (pkg/apis/core/v1/defaults.go SetDefaults_Pod)`,
  );
  return found;
}

function sameQuantity(a: string, b: string): boolean {
  const value = (q: string) => Number(q.replace(/m$/, 'e-3'));
  return Math.abs(value(a) - value(b)) < 1e-9;
}

function toolDirs(version: string): ToolDirs {
  const dir = (what: string) => execFileSync('bash', [buildTools, '--print-dir', what], { encoding: 'utf8' }).trim();
  return { kube: dir(version), etcd: dir('etcd'), kwok: dir('kwok') };
}

async function main(): Promise<number> {
  const versionsFile = fs.readFileSync(path.join(repo, 'scripts/cluster/versions.sh'), 'utf8');
  const pinned = /KUBE_VERSIONS="([^"]+)"/.exec(versionsFile)![1].split(/\s+/);
  const versions = (process.env.ORACLE_VERSIONS ?? pinned.join(' ')).split(/[\s,]+/).filter(Boolean);
  execFileSync('bash', [buildTools, 'etcd', 'kwok', ...versions], { stdio: 'inherit' });
  let failed = 0;
  for (const version of versions) {
    const cluster = new ControlPlane(toolDirs(version));
    try {
      await cluster.start();
      const oracle = new Oracle(cluster.kubeconfig);
      const { cases, disagreements, policies } = await runRules(oracle);
      disagreements.push(...(await checkRequestDefaulting(oracle)));
      oracle.close();
      log(
        `\n${cluster.version}: ${cases + 3} cases (seed ${seed}, ${numRuns} generated per rule), ${disagreements.length} disagreements`,
      );
      for (const d of disagreements)
        log(`  ${d.kind}: ${d.rule}: ${JSON.stringify(d.value)}\n    server: ${d.server}\n    checker: ${d.checker}`);
      log('Rejected on purpose although the server accepts them:');
      for (const [policy, count] of policies) log(`  ${count}× ${policy}`);
      failed += disagreements.length;
    } finally {
      cluster.stop();
    }
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  },
);
