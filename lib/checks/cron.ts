import { Problem } from '../errors';
import { problem } from '../messages';
import { IANA_TIME_ZONES, IANA_TZDATA_VERSION } from './time-zones';

/**
 * CronJob schedules and time zones, as the API server validates them
 * (pkg/apis/batch/validation/validation.go: validateScheduleFormat, validateTimeZone) with the
 * parser the CronJob controller uses: github.com/robfig/cron/v3 ParseStandard (parser.go, spec.go).
 *
 * - five fields split on white space: minute 0-59, hour 0-23, day of month 1-31, month 1-12
 *   (or JAN-DEC), day of week 0-6 (or SUN-SAT; 7 is not Sunday here);
 * - each field a comma-separated list of `*`, `?`, `n`, `a-b`, each optionally `/step`;
 * - or a whole-string descriptor: @yearly @annually @monthly @weekly @daily @midnight @hourly, `@every <duration>`;
 * - any `TZ` in the schedule is refused on create ("use timeZone field instead"), so `TZ=`/`CRON_TZ=` prefixes are rejected.
 */

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: ReadonlyArray<readonly [string, Bounds]> = [
  ['minute', { min: 0, max: 59 }],
  ['hour', { min: 0, max: 23 }],
  ['day of month', { min: 1, max: 31 }],
  ['month', { min: 1, max: 12, names: MONTH_NAMES }],
  ['day of week', { min: 0, max: 6, names: DAY_NAMES }],
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** Go's unicode.IsSpace, which strings.Fields splits on (JavaScript's \s differs: it has U+FEFF, lacks U+0085). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const INT64_MAX = 9223372036854775807n;

/**
 * Why a schedule does not parse, in robfig/cron's words, or undefined when the CronJob
 * controller accepts it. Exposed for the differential test; constructs use {@link checkCronSchedule}.
 */
export function cronScheduleError(schedule: string): string | undefined {
  if (schedule === '') return 'empty spec string';
  if (schedule.includes('TZ')) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (schedule.startsWith('@')) {
    if (DESCRIPTORS.has(schedule)) return undefined;
    if (schedule.startsWith('@every ')) return everyError(schedule.slice('@every '.length));
    return `unrecognized descriptor: ${schedule}`;
  }
  const fields = schedule.split(GO_SPACE).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const [name, bounds] = FIELDS[i];
    // strings.FieldsFunc on ',' drops empty pieces: "1,,2" is "1,2", and "," selects nothing but parses.
    for (const expr of fields[i].split(',').filter((e) => e !== '')) {
      const error = rangeError(expr, bounds);
      if (error !== undefined) return `${name}: ${error}`;
    }
  }
  return undefined;
}

function rangeError(expr: string, r: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: bigint;
  let end: bigint;
  let step = 1n;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // robfig/cron ignores whatever follows "*-": "*-5" is "*".
    start = BigInt(r.min);
    end = BigInt(r.max);
  } else {
    const low = intOrName(lowAndHigh[0], r);
    if (typeof low === 'string') return low;
    start = low;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1], r);
      if (typeof high === 'string') return high;
      end = high;
    } else return `too many hyphens: ${expr}`;
  }
  if (rangeAndStep.length === 2) {
    const parsed = nonNegativeInt(rangeAndStep[1]);
    if (typeof parsed === 'string') return parsed;
    step = parsed;
    if (lowAndHigh.length === 1) end = BigInt(r.max);
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < BigInt(r.min)) return `beginning of range (${start}) below minimum (${r.min}): ${expr}`;
  if (end > BigInt(r.max)) return `end of range (${end}) above maximum (${r.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0n) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

function intOrName(expr: string, r: Bounds): bigint | string {
  // Go's strings.ToLower: ASCII, plus U+0130 (İ) which lowers to a plain 'i'.
  const lower = expr.replace(/[A-Z\u0130]/g, (c) => (c === '\u0130' ? 'i' : c.toLowerCase()));
  if (r.names && Object.prototype.hasOwnProperty.call(r.names, lower)) return BigInt(r.names[lower]);
  return nonNegativeInt(expr);
}

/** strconv.Atoi (optional sign, ASCII digits, int64 range), then robfig/cron's "not negative". */
function nonNegativeInt(expr: string): bigint | string {
  if (!/^[+-]?[0-9]+$/.test(expr)) return `failed to parse int from ${expr}`;
  const value = BigInt(expr);
  if (value > INT64_MAX || value < -INT64_MAX - 1n) return `failed to parse int from ${expr}: value out of range`;
  if (value < 0n) return `negative number (${value}) not allowed: ${expr}`;
  return value;
}

const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * `@every <duration>` takes a Go duration (time.ParseDuration: "1h30m", "90s", "1.5h"). Go also
 * accepts zero and negative durations, which robfig/cron turns into "every second"; the library
 * refuses anything under one second instead.
 */
function everyError(text: string): string | undefined {
  const match = /^([+-]?)((?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text);
  if (!match) return `failed to parse duration @every ${text}`;
  let seconds = 0;
  for (const [, number, unit] of match[2].matchAll(/([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/g)) {
    seconds += Number(number) * GO_DURATION_UNITS[unit];
  }
  if (seconds > 9223372036.854775807) return `failed to parse duration @every ${text}: invalid duration`;
  if (match[1] === '-' || seconds < 1)
    return `@every ${text} runs every second (robfig/cron rounds anything under 1s up); use at least "@every 1s"`;
  return undefined;
}

/** Checks a CronJob schedule the way the API server and the CronJob controller parse it. */
export function checkCronSchedule(prop: string, value: string): Problem | undefined {
  const error = typeof value === 'string' ? cronScheduleError(value) : 'not a string';
  if (error === undefined) return undefined;
  return problem('cron.schedule', prop, value, {
    hint: error.includes('TZ')
      ? 'set the time zone with the timeZone prop (e.g. "Europe/Paris"), not in the schedule'
      : `it does not parse: ${error}${/\b7\b/.test(String(value)) ? ' (Sunday is 0 or SUN, not 7)' : ''}`,
  });
}

/** Why a time zone name would be refused, or undefined if the API server accepts it. */
export function timeZoneError(value: string): string | undefined {
  if (value === '') return 'timeZone must be nil or non-empty string';
  const badPart = value
    .split('/')
    .some((part) => part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part));
  if (badPart) return `unknown time zone ${value}`;
  if (value.toLowerCase() === 'local')
    return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  if (!IANA_TIME_ZONES.has(value)) return `unknown time zone ${value}`;
  return undefined;
}

/**
 * Checks a CronJob timeZone: an IANA name such as `Europe/Paris` or `UTC` (case-sensitive),
 * not `Local`. Names are looked up in a list pinned to one tzdata release, the same on every
 * machine; a zone newer than that release is refused until the list is regenerated.
 */
export function checkTimeZone(prop: string, value: string): Problem | undefined {
  const error = typeof value === 'string' ? timeZoneError(value) : 'not a string';
  if (error === undefined) return undefined;
  const caseFix =
    typeof value === 'string' ? [...IANA_TIME_ZONES].find((z) => z.toLowerCase() === value.toLowerCase()) : undefined;
  return problem('cron.time-zone', prop, value, {
    tzdata: IANA_TZDATA_VERSION,
    hint:
      caseFix !== undefined
        ? `names are case-sensitive: write ${JSON.stringify(caseFix)}`
        : 'see the "TZ identifier" column of https://en.wikipedia.org/wiki/List_of_tz_database_time_zones',
  });
}
