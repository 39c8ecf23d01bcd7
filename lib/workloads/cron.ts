import { Problem } from '../errors';

/**
 * CronJob schedules as the CronJob controller reads them: robfig/cron's standard parser (five
 * fields, names, ranges, steps, lists, `?`, and the `@daily`-style descriptors including
 * `@every <duration>`), with `TZ=`/`CRON_TZ=` prefixes refused as API validation refuses them
 * (the `timeZone` field replaces them).
 */

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], offset: 1 },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], offset: 0 },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function fieldError(expression: string, field: typeof FIELDS[number]): string | undefined {
  for (const part of expression.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !/^[0-9]+$/.test(step)) || step === '0') return `bad step in "${part}"`;
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `bad range "${range}"`;
    const values = bounds.map((b) => {
      const named = field.names?.indexOf(b.toLowerCase()) ?? -1;
      if (named >= 0) return named + (field.offset ?? 0);
      return /^[0-9]+$/.test(b) ? Number(b) : NaN;
    });
    if (values.some((v) => Number.isNaN(v) || v < field.min || v > field.max)) return `"${range}" is outside ${field.min}-${field.max}`;
    if (values.length === 2 && values[0] > values[1]) return `range "${range}" runs backwards`;
  }
  return undefined;
}

/** Checks a CronJob schedule; a problem names the field that does not parse. */
export function checkCronSchedule(prop: string, schedule: string): Problem | undefined {
  const trimmed = schedule.trim();
  const problem = (why: string): Problem => ({ prop, received: schedule, allowed: 'a cron schedule: five fields "minute hour day-of-month month day-of-week" or @hourly/@daily/@weekly/@monthly/@yearly/@every <duration>', hint: `${why}; e.g. "30 2 * * *" for 02:30 every day` });
  if (/^(CRON_)?TZ=/.test(trimmed)) return problem('a time zone in the schedule is rejected by the API: use the timeZone prop');
  if (trimmed.startsWith('@')) {
    if (DESCRIPTORS.includes(trimmed)) return undefined;
    if (/^@every ([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(trimmed)) return undefined;
    return problem(`unknown descriptor "${trimmed}"`);
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5) return problem(`it has ${parts.length} field(s)`);
  for (const [i, field] of FIELDS.entries()) {
    const why = fieldError(parts[i], field);
    if (why) return problem(`${field.name}: ${why}`);
  }
  return undefined;
}

/** Checks the shape of an IANA time zone name (`Europe/Berlin`, `UTC`); the server checks it exists. */
export function checkTimeZone(prop: string, zone: string): Problem | undefined {
  if (/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone) && !zone.includes('..')) return undefined;
  return { prop, received: zone, allowed: 'an IANA time zone name such as "Europe/Berlin" or "Etc/UTC"', hint: 'offsets like "+02:00" and abbreviations like "CEST" are not time zones' };
}
