import fc from 'fast-check';
import {
  checkCountOrPercent,
  checkCronSchedule,
  cronScheduleError,
  checkIntegerInRange,
  checkPortList,
  checkPortNumber,
  checkQuantity,
  checkTimeZone,
  MAX_STABILIZATION_WINDOW_SECONDS,
  PortEntry,
} from '../../lib/checks';
import { IANA_TIME_ZONES } from '../../lib/checks/time-zones';
import { container, cronJob, join, meta, pod, Rule, service, text } from './oracle-kit';

/**
 * The rules oracle's rules for values: resource quantities, CronJob schedules and time zones, PDB
 * counts, HPA windows, port numbers and port lists.
 */
export const VALUE_RULES: Array<Rule<any>> = [
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
];
