import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * Numbers, ranges, durations and ports. The ranges come from Kubernetes:
 * ports and IsInRange from k8s.io/apimachinery/pkg/util/validation/validation.go, percent strings
 * from IsValidPercent there, HPA stabilization windows (0..3600 s) from
 * pkg/apis/autoscaling/validation/validation.go, int32 fields from the API types.
 */

/** Largest value of an int32 API field (probe periods, replicas, seconds fields). */
export const MAX_INT32 = 2 ** 31 - 1;
/** Longest HPA stabilization window, in seconds (MaxStabilizationWindowSeconds). */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** Checks that a value is an integer from `min` to `max` inclusive (NaN, Infinity and fractions fail). */
export function checkIntegerInRange(
  prop: string,
  value: number,
  min: number,
  max: number,
  hint: string,
): Problem | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return problem('number.integer-range', prop, value, { min, max, hint });
}

/** Checks a count such as replicas: an integer ≥ `minimum` that fits the int32 field it is written to. */
export function checkCount(prop: string, value: number, minimum: number, hint: string): Problem | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= MAX_INT32) return undefined;
  return problem('number.count', prop, value, { minimum, hint });
}

/** Checks a TCP/UDP port number: an integer from 1 to 65535 (IsValidPortNum). */
export function checkPortNumber(prop: string, value: number): Problem | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return undefined;
  return problem('number.port', prop, value);
}

/**
 * Checks an int-or-percent field such as a PodDisruptionBudget's maxUnavailable or a rollout's
 * maxSurge: an integer ≥ 0, or a string of digits followed by '%' (IsValidPercent) of at most
 * `maxPercent` (100 for a PDB). `"5"` (a number as a string) and `1.5` are rejected.
 */
export function checkCountOrPercent(
  prop: string,
  value: number | string,
  hint: string,
  maxPercent = 100,
): Problem | undefined {
  if (
    typeof value === 'number'
      ? Number.isInteger(value) && value >= 0 && value <= MAX_INT32
      : typeof value === 'string' && /^[0-9]+%$/.test(value) && Number(value.slice(0, -1)) <= maxPercent
  ) {
    return undefined;
  }
  return problem('number.count-or-percent', prop, value, { maxPercent, hint });
}

/** The part of cdk8s `Duration` the checks use (duck-typed, so a second copy of cdk8s still passes). */
interface DurationLike {
  toMilliseconds(opts?: { integral?: boolean }): number;
  toHumanString(): string;
}

function isDurationLike(value: unknown): value is DurationLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DurationLike).toMilliseconds === 'function' &&
    typeof (value as DurationLike).toHumanString === 'function'
  );
}

/**
 * Checks a cdk8s `Duration` written to a whole-seconds field (minReadySeconds, a stabilization
 * window, a probe period): a Duration, a whole number of seconds, from `minSeconds` to `maxSeconds`.
 * `Duration.millis(500)` becomes this problem instead of cdk8s' "cannot be converted" crash.
 */
export function checkWholeSeconds(
  prop: string,
  value: unknown,
  minSeconds: number,
  maxSeconds: number,
  hint: string,
): Problem | undefined {
  if (!isDurationLike(value)) return problem('duration.type', prop, value, { hint });
  const millis = value.toMilliseconds({ integral: false });
  if (Number.isFinite(millis) && millis % 1000 === 0 && millis / 1000 >= minSeconds && millis / 1000 <= maxSeconds)
    return undefined;
  const range = maxSeconds >= MAX_INT32 ? `at least ${minSeconds} s` : `from ${minSeconds} s to ${maxSeconds} s`;
  return problem('duration.whole-seconds', prop, value.toHumanString() || `${millis / 1000} s`, { range, hint });
}

/** Converts a Duration that passed {@link checkWholeSeconds} to its seconds. */
export function wholeSeconds(value: DurationLike): number {
  return value.toMilliseconds({ integral: false }) / 1000;
}

/** One port of a container or Service, as the uniqueness check sees it. */
export interface PortEntry {
  /** Port name. */
  readonly name: string;
  /** Port number. */
  readonly port: number;
  /** PortProtocol. @default 'TCP' */
  readonly protocol?: string;
}

/**
 * Checks a list of ports for duplicates the way Kubernetes does (pkg/apis/core/validation: a
 * Service's ports must be unique by name and by (port, protocol)): 53/TCP with 53/UDP is valid,
 * two ports named `dns` are not. `propOf(i)` names the i-th port in messages (`ports[1]`).
 */
export function checkPortList(ports: readonly PortEntry[], propOf: (index: number) => string): Problem[] {
  const found: Problem[] = [];
  const names = new Set<string>();
  const numbers = new Set<string>();
  ports.forEach((p, i) => {
    const protocol = p.protocol ?? 'TCP';
    const key = `${p.port}/${protocol}`;
    if (names.has(p.name)) {
      found.push(problem('port.duplicate-name', `${propOf(i)}.name`, p.name));
    }
    if (numbers.has(key)) {
      found.push(problem('port.duplicate-number', `${propOf(i)}.port`, key));
    }
    names.add(p.name);
    numbers.add(key);
  });
  return found;
}
