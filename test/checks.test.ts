import { Duration, Size } from 'cdk8s';
import {
  checkComposedLabelValue,
  checkConfigMapKey,
  checkCountOrPercent,
  checkCronSchedule,
  checkDns1035Label,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvName,
  checkExternalHost,
  checkImage,
  checkIngressHost,
  checkIngressPath,
  checkIntegerInRange,
  checkLabelValue,
  checkMountPaths,
  checkNamespaceNotReserved,
  checkPathSegmentName,
  checkPortList,
  checkPortName,
  checkPortNumber,
  checkQuantity,
  checkSize,
  checkStorageClassName,
  checkTimeZone,
  checkUniqueRoutes,
  checkWholeSeconds,
  compareCodeUnits,
  cronScheduleError,
  MAX_STABILIZATION_WINDOW_SECONDS,
  normalizePath,
  parseImage,
  parseQuantity,
  resolveRequestLimit,
  sortedEntries,
  toEnvName,
} from '../lib/checks';
import { DEFAULT_RESOURCES } from '../lib/defaults';
import { describeValue, formatProblem, Problem } from '../lib/errors';
import { checkRecordValues, checkType } from '../lib/checks/types';
import { Target } from '../lib/targets/target';

/** A checker's verdict: true when it passes, false when it returns a complete problem (anything else throws). */
function verdict(problem: Problem | undefined): boolean {
  if (problem === undefined) return true;
  if (!problem.prop || !problem.allowed || !problem.hint)
    throw new Error(`incomplete problem: ${JSON.stringify(problem)}`);
  return false;
}

// k8s.io/apimachinery/pkg/api/validate/content/dns.go: IsDNS1123Label, IsDNS1123Subdomain;
// pkg/util/validation/validation.go: IsDNS1035Label.
describe('names', () => {
  const long = (n: number, c = 'a') => c.repeat(n);
  test.each([
    ['orders-v2', true],
    ['a', true],
    ['0abc', true],
    [long(63), true],
    [long(64), false],
    ['orders-', false],
    ['-orders', false],
    ['Orders', false],
    ['db.credentials', false],
    ['', false],
    ['a_b', false],
  ])('DNS-1123 label %j → %s', (value, valid) => expect(verdict(checkDnsLabel('name', value))).toBe(valid));

  test.each([
    ['db.credentials', true],
    ['a.b.c', true],
    ['tls-cert', true],
    [`${long(63)}.${long(63)}.${long(63)}.${long(61)}`, true],
    [`${long(63)}.${long(63)}.${long(63)}.${long(62)}`, false],
    ['db..credentials', false],
    ['.db', false],
    ['db.', false],
    ['Db.x', false],
    ['a_b', false],
  ])('DNS-1123 subdomain %j → %s', (value, valid) =>
    expect(verdict(checkDnsSubdomain('secrets[0]', value))).toBe(valid),
  );

  test.each([
    ['orders', true],
    ['a1', true],
    ['1password', false],
    ['0', false],
    ['orders-', false],
    [long(64), false],
  ])('DNS-1035 label (Service names) %j → %s', (value, valid) =>
    expect(verdict(checkDns1035Label('name', value))).toBe(valid),
  );

  // k8s.io/apimachinery/pkg/api/validate/content/path.go: IsPathSegmentName.
  test.each([
    ['My Thing', true],
    ['a.b', true],
    ['.', false],
    ['..', false],
    ['a/b', false],
    ['50%', false],
    ['', false],
  ])('path segment name %j → %s', (value, valid) => expect(verdict(checkPathSegmentName('name', value))).toBe(valid));

  test.each([
    ['fast-ssd', true],
    ['gp3.encrypted', true],
    ['Fast_SSD', false],
    ['fast ssd', false],
  ])('StorageClass name (DNS-1123 subdomain) %j → %s', (value, valid) =>
    expect(verdict(checkStorageClassName('storageClass', value))).toBe(valid),
  );

  test('a Secret named db.credentials passes, and a bad name says which rule it broke without contradicting itself', () => {
    expect(checkDnsLabel('secrets[0]', 'db.credentials', 253)).toBeUndefined();
    const problem = checkDnsSubdomain('secrets[0]', 'DB.Credentials')!;
    expect(problem.allowed).toBe(
      "a DNS-1123 subdomain: 1-253 characters, dot-separated parts of lowercase letters, digits or '-', each starting and ending with a letter or digit",
    );
    expect(problem.hint).toBe('try "db.credentials"');
    expect(checkDnsLabel('name', 'db.credentials')?.allowed).toContain(
      "1-63 lowercase letters, digits or '-', starting and ending with a letter or digit (no dots)",
    );
    expect(checkDnsLabel('name', 'orders-')?.hint).toBe('try "orders"');
    expect(checkDns1035Label('name', '1password')?.hint).toBe('try "svc-1password"');
  });

  // IsValidPortName in k8s.io/apimachinery/pkg/util/validation/validation.go.
  test.each([
    ['http-metrics', true],
    ['h2c', true],
    ['a'.repeat(15), true],
    ['a'.repeat(16), false],
    ['8080', false],
    ['a--b', false],
    ['-http', false],
    ['http-', false],
    ['HTTP', false],
  ])('port name %j → %s', (value, valid) => expect(verdict(checkPortName('portName', value))).toBe(valid));
});

// k8s.io/apimachinery/pkg/api/validate/content/kube.go: IsLabelValue (LabelValueMaxLength 63).
describe('label values', () => {
  test.each([
    ['', true],
    ['v1.4.2', true],
    ['my_value', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-v1', false],
    ['v1.', false],
    ['v 1', false],
    ['a/b', false],
  ])('label value %j → %s', (value, valid) => expect(verdict(checkLabelValue('version', value))).toBe(valid));

  test('the instance label <system>-<service> of a 63-character service in "shop" is caught (68 characters)', () => {
    const service = `s${'x'.repeat(62)}`;
    const problem = checkComposedLabelValue('name', service, 'app.kubernetes.io/instance', `shop-${service}`)!;
    expect(problem.received).toBe(service);
    expect(problem.allowed).toContain('(68 characters)');
    expect(problem.hint).toBe('shorten it by at least 5 characters');
    expect(checkComposedLabelValue('name', 'orders', 'app.kubernetes.io/instance', 'shop-orders')).toBeUndefined();
  });
});

// Namespaces Kubernetes creates (pkg/apis/core: NamespaceDefault, NamespaceSystem, NamespacePublic,
// NamespaceNodeLease) and the reserved kube-/openshift- prefixes.
describe('reserved namespaces', () => {
  test.each([
    ['shop', true],
    ['kubernetes-dashboard-x', true],
    ['my-kube-system', true],
    ['openshiftish', true],
    ['default', false],
    ['kube-system', false],
    ['kube-public', false],
    ['kube-node-lease', false],
    ['kube-anything', false],
    ['openshift', false],
    ['openshift-monitoring', false],
  ])('namespace %j → %s', (value, valid) => expect(verdict(checkNamespaceNotReserved('namespace', value))).toBe(valid));
});

// IsConfigMapKey in k8s.io/apimachinery/pkg/util/validation/validation.go (with hasChDirPrefix).
describe('ConfigMap keys and config file names', () => {
  test.each([
    ['app.yaml', true],
    ['.env', true],
    ['KEY_NAME', true],
    ['key-name', true],
    ['a'.repeat(253), true],
    ['a/b', false],
    ['..', false],
    ['.', false],
    ['..data', false],
    ['', false],
    ['a b', false],
    ['a'.repeat(254), false],
  ])('key %j → %s', (value, valid) => expect(verdict(checkConfigMapKey('files', value))).toBe(valid));
});

// IsRelaxedEnvVarName (pkg/apis/core/validation; RelaxedEnvironmentVariableValidation, on by default
// since 1.32): any printable ASCII but '='. A C identifier was the library's rule before issue #27.
describe('environment variable names and prefixes', () => {
  test.each([
    ['DB_HOST', true],
    ['_1PASSWORD', true],
    ['lower_ok', true],
    ['MY-DB', true],
    ['1PASSWORD', true],
    ['A.B', true],
    ['spring.profiles.active', true],
    ['', false],
    ['A=B', false],
    ['tab\there', false],
    ['é', false],
  ])('env name %j → %s', (value, valid) => expect(verdict(checkEnvName('env', value))).toBe(valid));

  test.each([
    ['my-db', 'MY_DB'],
    ['1password', '_1PASSWORD'],
    ['orders.v2', 'ORDERS_V2'],
    ['', '_'],
    ['stripe', 'STRIPE'],
  ])('the env prefix of %j is %j, which the env name check accepts', (name, prefix) => {
    expect(toEnvName(name)).toBe(prefix);
    expect(checkEnvName('env', `${toEnvName(name)}_HOST`)).toBeUndefined();
  });

  test('the hint of a bad env name is the prefix the library would derive', () => {
    expect(checkEnvName('env.my=db', 'my=db')?.hint).toBe('try "MY_DB"');
  });
});

// k8s.io/apimachinery/pkg/api/resource/quantity.go (grammar, parseQuantityString) and suffix.go.
describe('quantities', () => {
  test.each([
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['2k', 2000],
    ['512Mi', 512 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['64Ki', 65536],
    ['1e-1', 0.1],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e+3', 1000],
    ['1E', 1e18],
    ['2.5e2', 250],
    ['500n', 5e-7],
    ['3u', 3e-6],
    ['+1', 1],
    ['-1', -1],
    ['0', 0],
  ])('parses the quantity %s as %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  test.each([
    '',
    '1 Gi',
    '1GB',
    'm',
    '1..5',
    '.',
    '+',
    '1e',
    '1e1.5',
    '1Ki3',
    '1ki',
    '1K',
    '0x10',
    ' 1',
    'NaN',
    'Infinity',
    '1e400',
    '1.5.5',
  ])('rejects the malformed quantity %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test('0.1 and 100m are the same number, so they compare equal', () => {
    expect(parseQuantity('0.1')).toBe(parseQuantity('100m'));
    expect(parseQuantity('1e-1')).toBe(parseQuantity('100m'));
  });

  test.each([
    ['1e-1', true],
    ['1e3', true],
    ['250m', true],
    ['0', true],
    ['-1', false],
    ['-100m', false],
    ['NaN', false],
    ['1 CPU', false],
  ])('resource quantity %j → %s', (value, valid) =>
    expect(verdict(checkQuantity('resources.cpu.request', value, '250m'))).toBe(valid),
  );

  test('a CPU limit with no request is valid: the request becomes the limit, as Kubernetes does', () => {
    expect(resolveRequestLimit('resources.cpu', { limit: '50m' }, DEFAULT_RESOURCES.cpu, '250m')).toEqual({
      request: '50m',
      limit: '50m',
      problems: [],
    });
  });

  test.each([
    [{}, '100m', '500m'],
    [{ request: '200m' }, '200m', '500m'],
    [{ request: '2' }, '2', '2'],
    [{ request: '1e-1', limit: '1e3' }, '1e-1', '1e3'],
  ])('request/limit %j resolve to %s / %s', (given, request, limit) => {
    expect(resolveRequestLimit('resources.cpu', given, DEFAULT_RESOURCES.cpu, '250m')).toEqual({
      request,
      limit,
      problems: [],
    });
  });

  test('a request above the limit the user wrote, or a malformed one, is a problem', () => {
    expect(
      resolveRequestLimit('resources.cpu', { request: '2', limit: '1' }, DEFAULT_RESOURCES.cpu, '250m').problems.map(
        formatProblem,
      ),
    ).toEqual([
      'resources.cpu: received "request 2, limit 1"; allowed: a request no larger than the limit. Hint: raise the limit or lower the request',
    ]);
    expect(
      resolveRequestLimit('resources.cpu', { limit: 'lots' }, DEFAULT_RESOURCES.cpu, '250m').problems[0].prop,
    ).toBe('resources.cpu.limit');
  });

  test.each([
    [Size.gibibytes(10), true],
    [Size.mebibytes(0.5), true],
    [Size.gibibytes(NaN), false],
    [Size.gibibytes(0), false],
    [Size.gibibytes(Infinity), false],
    ['10Gi', false],
    [10, false],
  ])('size %p → %s', (value, valid) =>
    expect(verdict(checkSize('volumes[0].size', value, 'Size.gibibytes(10)'))).toBe(valid),
  );

  test('a string size from JavaScript names the type expected', () => {
    expect(formatProblem(checkSize('volumes[0].size', '10Gi', 'Size.gibibytes(10)')!)).toBe(
      'volumes[0].size: received "10Gi"; allowed: a Size, e.g. Size.gibibytes(10). Hint: write it like Size.gibibytes(10)',
    );
  });
});

// IsInRange / IsValidPortNum / IsValidPercent in k8s.io/apimachinery/pkg/util/validation/validation.go;
// MaxStabilizationWindowSeconds in pkg/apis/autoscaling/validation/validation.go;
// ValidatePositiveIntOrPercent + IsNotMoreThan100Percent in pkg/apis/policy/validation/validation.go.
describe('numbers, ranges and durations', () => {
  test.each([
    [0, true],
    [3600, true],
    [7200, false],
    [-1, false],
    [1.5, false],
    [NaN, false],
    [Infinity, false],
  ])('stabilization window %d s → %s', (value, valid) =>
    expect(
      verdict(
        checkIntegerInRange(
          'autoscaling.scaleDownStabilization',
          value,
          0,
          MAX_STABILIZATION_WINDOW_SECONDS,
          'at most one hour',
        ),
      ),
    ).toBe(valid),
  );

  test.each([
    [1, true],
    [65535, true],
    [0, false],
    [70000, false],
    [80.5, false],
    [NaN, false],
  ])('port %d → %s', (value, valid) => expect(verdict(checkPortNumber('port', value))).toBe(valid));

  test.each([
    [0, true],
    [1, true],
    ['25%', true],
    ['100%', true],
    [-1, false],
    [1.5, false],
    ['5', false],
    ['101%', false],
    ['25 %', false],
    ['-5%', false],
    [NaN, false],
  ])('maxUnavailable %j → %s', (value, valid) =>
    expect(verdict(checkCountOrPercent('disruptionBudget.maxUnavailable', value, 'e.g. 1 or "25%"'))).toBe(valid),
  );

  test.each([
    [Duration.seconds(30), true],
    [Duration.minutes(60), true],
    [Duration.seconds(0), true],
    [Duration.millis(500), false],
    [Duration.hours(2), false],
    [Duration.seconds(NaN), false],
    [30, false],
    ['30s', false],
  ])('whole-seconds duration %p → %s', (value, valid) =>
    expect(
      verdict(checkWholeSeconds('autoscaling.scaleDownStabilization', value, 0, 3600, 'e.g. Duration.minutes(5)')),
    ).toBe(valid),
  );

  test('Duration.millis(500) for rollout.minReady is a problem, not a crash', () => {
    expect(
      formatProblem(
        checkWholeSeconds('rollout.minReady', Duration.millis(500), 0, 2 ** 31 - 1, 'use Duration.seconds(1)')!,
      ),
    ).toBe(
      'rollout.minReady: received "500 millis"; allowed: a whole number of seconds, at least 0 s. Hint: use Duration.seconds(1)',
    );
  });

  test('a probe periodSeconds of NaN is rejected', () => {
    expect(checkIntegerInRange('healthCheck.periodSeconds', NaN, 1, 2 ** 31 - 1, 'e.g. 10')).toBeDefined();
  });
});

// validateServicePort / ports uniqueness in pkg/apis/core/validation/validation.go.
describe('port lists', () => {
  const at = (i: number) => `ports[${i}]`;
  test('53/TCP and 53/UDP on one service are valid', () => {
    expect(
      checkPortList(
        [
          { name: 'dns-tcp', port: 53 },
          { name: 'dns-udp', port: 53, protocol: 'UDP' },
        ],
        at,
      ),
    ).toEqual([]);
  });
  test('the same number and protocol twice, or the same name twice, are each reported', () => {
    expect(
      checkPortList(
        [
          { name: 'http', port: 80 },
          { name: 'http', port: 80, protocol: 'TCP' },
        ],
        at,
      ).map((p) => p.prop),
    ).toEqual(['ports[1].name', 'ports[1].port']);
  });
});

// validateIngressRules / validateHTTPIngressPath in pkg/apis/networking/validation/validation.go.
describe('hosts and paths', () => {
  test.each([
    ['shop.example.com', true],
    ['*.example.com', true],
    ['localhost', true],
    ['a-b.c', true],
    ['Shop.example.com', false],
    ['https://shop.example.com', false],
    ['shop.example.com:443', false],
    ['shop.example.com/api', false],
    ['10.0.0.1', false],
    ['*', false],
    ['*.', false],
    ['a.*.com', false],
    ['**.example.com', false],
    ['shop.example.com.', false],
    ['', false],
  ])('ingress host %j → %s', (value, valid) => expect(verdict(checkIngressHost('expose.host', value))).toBe(valid));

  test.each([
    ['https://shop.example.com', 'a host has no scheme: write "shop.example.com" (TLS comes from tlsSecret)'],
    ['shop.example.com:443', 'a host has no port: write "shop.example.com"; the ingress listens on 80/443'],
    ['Shop.Example.com', 'write it in lower case: "shop.example.com"'],
  ])('the hint for %j says what to drop', (value, hint) => {
    expect(checkIngressHost('expose.host', value)?.hint).toBe(hint);
  });

  test.each([
    ['/', true],
    ['/api', true],
    ['/api/v1/', true],
    ['/a-b_c~d', true],
    ['api', false],
    ['', false],
    ['//api', false],
    ['/a/./b', false],
    ['/a/../b', false],
    ['/a%2fb', false],
    ['/a/.', false],
    ['/a/..', false],
    ['/a b', false],
    ['/a?b', false],
  ])('ingress path %j → %s', (value, valid) => expect(verdict(checkIngressPath('expose.path', value))).toBe(valid));

  test.each([
    ['db.example.com', true],
    ['DB.Example.com', true],
    ['db.example.com.', true],
    ['10.0.0.5', true],
    ['::1', true],
    ['', false],
    ['https://db.example.com', false],
    ['db.example.com:5432', false],
    ['db example', false],
  ])('external host %j → %s', (value, valid) => expect(verdict(checkExternalHost('external.host', value))).toBe(valid));

  test('two services routing the same host and path are caught; another path or host is fine', () => {
    const found = checkUniqueRoutes([
      { owner: 'shop/web', host: 'shop.example.com', path: '/' },
      { owner: 'shop/api', host: 'shop.example.com', path: '/api' },
      { owner: 'shop/api-v2', host: 'Shop.example.com', path: '/api/' },
      { owner: 'shop/admin', host: 'admin.example.com' },
      { owner: 'shop/any', path: '/api' },
      { owner: 'shop/routed', kind: 'route', host: 'shop.example.com', path: '/api' },
    ]);
    expect(found.map((c) => `${c.owner} ${formatProblem(c.problem)}`)).toEqual([
      'shop/api-v2 expose: received "Shop.example.com/api/"; allowed: a host and path no other route claims (shop/api already does). Hint: give shop/api-v2 its own host or path',
    ]);
  });

  test.each([
    ['/data/', '/data'],
    ['/data//x/', '/data/x'],
    ['/data/./x', '/data/x'],
    ['/a/../data', '/data'],
    ['/', '/'],
  ])('mount path %j normalizes to %j', (path, normal) => {
    expect(normalizePath(path)).toBe(normal);
  });

  test('/data and /data/ are the same mount path; /tmp is taken; relative paths are refused', () => {
    const found = checkMountPaths(
      [{ mountPath: '/data' }, { mountPath: '/data/' }, { mountPath: '/tmp/' }, { mountPath: 'cache' }],
      (i) => `volumes[${i}]`,
      ['/tmp'],
    );
    expect(found.map((p) => `${p.prop} ${p.allowed}`)).toEqual([
      'volumes[1].mountPath a mount path used once ("/data" is the same directory)',
      'volumes[2].mountPath a mount path used once ("/tmp" is the same directory)',
      'volumes[3].mountPath an absolute path',
    ]);
  });
});

// validateScheduleFormat + validateTimeZone in pkg/apis/batch/validation/validation.go;
// ParseStandard in github.com/robfig/cron/v3 parser.go (bounds in spec.go).
describe('cron schedules and time zones', () => {
  test.each([
    '*/15 * * * *',
    '0 3 * * *',
    '0 3 * * MON-FRI',
    '0 0 1 JAN,jul *',
    '@hourly',
    '@daily',
    '@midnight',
    '@weekly',
    '@monthly',
    '@yearly',
    '@annually',
    '@every 1h30m',
    '@every 90s',
    '5 4 * * sun',
    '0-59/5 0-23 1-31 1-12 0-6',
    '? * * * *',
    '*-5 * * * *',
    '0 0 1,,15 * *',
    '  0   3  * * *  ',
    '+5 * * * *',
    '*/100 * * * *',
    '0 0 * * Fri',
    '0\t0\t*\t*\t*',
  ])('accepts the schedule %j', (schedule) => {
    expect(cronScheduleError(schedule)).toBeUndefined();
  });

  test.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4'],
    ['0 * * * * *', 'expected exactly 5 fields, found 6'],
    ['60 * * * *', 'minute: end of range (60) above maximum (59): 60'],
    ['0 24 * * *', 'hour: end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'day of month: beginning of range (0) below minimum (1): 0'],
    ['0 0 * 13 *', 'month: end of range (13) above maximum (12): 13'],
    ['0 0 * * 7', 'day of week: end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'minute: beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'minute: step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'minute: too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'minute: too many slashes: */2/3'],
    ['MON * * * *', 'minute: failed to parse int from MON'],
    ['-1 * * * *', 'minute: failed to parse int from '],
    ['@often', 'unrecognized descriptor: @often'],
    ['@hourly ', 'unrecognized descriptor: @hourly '],
    ['TZ=UTC 0 3 * * *', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ['CRON_TZ=Europe/Paris 0 3 * * *', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ['@every 0s', '@every 0s runs every second (robfig/cron rounds anything under 1s up); use at least "@every 1s"'],
    ['@every 1 hour', 'failed to parse duration @every 1 hour'],
  ])('rejects the schedule %j: %s', (schedule, error) => {
    expect(cronScheduleError(schedule)).toBe(error);
  });

  test('a schedule with a time zone points to the timeZone prop, and day 7 gets a reminder', () => {
    expect(checkCronSchedule('schedule', 'CRON_TZ=UTC 0 3 * * *')?.hint).toBe(
      'set the time zone with the timeZone prop (e.g. "Europe/Paris"), not in the schedule',
    );
    expect(checkCronSchedule('schedule', '0 0 * * 7')?.hint).toBe(
      'it does not parse: day of week: end of range (7) above maximum (6): 7 (Sunday is 0 or SUN, not 7)',
    );
  });

  test.each([
    ['Europe/Paris', true],
    ['America/Argentina/Buenos_Aires', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['US/Eastern', true],
    ['Local', false],
    ['local', false],
    ['', false],
    ['Europe/Pariss', false],
    ['europe/paris', false],
    ['Europe//Paris', false],
    ['../etc/passwd', false],
    ['Mars/Olympus_Mons', false],
  ])('time zone %j → %s', (value, valid) => expect(verdict(checkTimeZone('timeZone', value))).toBe(valid));

  test('a time zone with the wrong case gets the right spelling', () => {
    expect(checkTimeZone('timeZone', 'europe/paris')?.hint).toBe('names are case-sensitive: write "Europe/Paris"');
  });
});

describe('images', () => {
  test.each([
    ['nginx:1.27', { repository: 'nginx', tag: '1.27', digest: undefined }],
    ['localhost:5000/acme/api:2.0', { repository: 'localhost:5000/acme/api', tag: '2.0', digest: undefined }],
    ['localhost:5000/acme/api', { repository: 'localhost:5000/acme/api', tag: undefined, digest: undefined }],
    [
      `ghcr.io/acme/api:1.0@sha256:${'b'.repeat(64)}`,
      { repository: 'ghcr.io/acme/api', tag: '1.0', digest: `sha256:${'b'.repeat(64)}` },
    ],
  ])('splits the image %s', (image, parts) => {
    expect(parseImage(image)).toEqual(parts);
  });

  test.each([
    'nginx:1.27.2',
    `nginx@sha256:${'c'.repeat(64)}`,
    'registry.example.com:5000/team/api:v3',
    `nginx:latest@sha256:${'d'.repeat(64)}`,
  ])('accepts the pinned image %s', (image) => {
    expect(checkImage('image', image)).toBeUndefined();
  });

  test('a registry port is not a tag', () => {
    expect(checkImage('image', 'localhost:5000/api')?.hint).toBe(
      'an untagged image means "latest" and changes under you: pin it, e.g. "localhost:5000/api:1.0.0"',
    );
  });
});

describe('JavaScript types', () => {
  test.each([
    ['a Size', Size.gibibytes(1), true],
    ['a Size', '10Gi', false],
    ['a string', 'x', true],
    ['a string', 42, false],
    ['a number', '42', false],
    ['a Duration', Duration.seconds(1), true],
    ['a Duration', 1000, false],
    ['an array', {}, false],
    ['an object', [], false],
    ['an object', null, false],
    ['a string', undefined, true],
  ] as const)('%s given %p → %s', (expected, value, valid) =>
    expect(verdict(checkType('prop', value, expected, 'x'))).toBe(valid),
  );

  test('the message names both the expected and the received type', () => {
    expect(formatProblem(checkType('port', '8080', 'a number', '8080')!)).toBe(
      'port: received "8080"; allowed: a number (received a string). Hint: write it like 8080',
    );
    // The hint writes the value received with the right type, not a generic example.
    expect(formatProblem(checkType('replicas', '3', 'a number', '8080')!)).toMatch(/Hint: write it like 3$/);
    expect(formatProblem(checkType('internal', 'true', 'a boolean', 'false')!)).toMatch(/Hint: write it like true$/);
    expect(formatProblem(checkType('replicas', 'three', 'a number', '8080')!)).toMatch(/Hint: write it like 8080$/);
    expect(checkRecordValues('env', { A: 'x', B: 2, C: null }, 'a string', '"value"').map((p) => p.prop)).toEqual([
      'env.B',
      'env.C',
    ]);
  });

  test('describing a value never throws, whatever JavaScript passes', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect([10n, Symbol('s'), cycle, () => 1, Duration.millis(500), { n: 1n }].map(describeValue)).toEqual([
      '10n',
      'Symbol(s)',
      '[object Object]',
      'a function',
      '"500 millis"',
      '{"n":"1n"}',
    ]);
  });
});

describe('determinism and shared state', () => {
  test('code-unit order does not depend on the locale', () => {
    expect(['y', 'i', 'k', 'Z', 'ä', 'a'].sort(compareCodeUnits)).toEqual(['Z', 'a', 'i', 'k', 'y', 'ä']);
    expect(sortedEntries({ b: 1, a: 2, B: 3 })).toEqual([
      ['B', 3],
      ['a', 2],
      ['b', 1],
    ]);
  });

  test('built-in targets share no nested objects, and the public tables are frozen', () => {
    expect(Target.eks().props.loadBalancer).not.toBe(Target.eks().props.loadBalancer);
    expect(Target.eks().props.storage).not.toBe(Target.eks().props.storage);
    expect(Target.eks().props.loadBalancer).toEqual(Target.eks().props.loadBalancer);
    expect(() => (Target.BUILT_IN_IDS as string[]).push('x')).toThrow(TypeError);
    expect(Object.isFrozen(DEFAULT_RESOURCES) && Object.isFrozen(DEFAULT_RESOURCES.cpu)).toBe(true);
  });
});
