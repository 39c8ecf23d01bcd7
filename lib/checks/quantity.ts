import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * Resource quantities per k8s.io/apimachinery/pkg/api/resource/quantity.go:
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E      (n and u: suffix.go)
 *   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 *
 * `1E` is 10^18 (the decimalSI suffix E), `1E3` is 1000 (an exponent). The Go scanner also
 * lets through the degenerate `.`, `+` and `-` (read as 0); they follow the grammar here and are
 * rejected. Values JavaScript cannot hold (beyond ±1.8e308) are rejected too.
 */
const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;

const DECIMAL_EXPONENT: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * Parses a Kubernetes quantity ("250m", "1.5", "512Mi", "1e3", "-2") into a number, or
 * `undefined` if it does not follow the grammar. Decimal forms are converted by one correctly
 * rounded decimal-to-double step, so "0.1" and "100m" give the same number.
 */
export function parseQuantity(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, sign, whole, fraction, suffix, exponent] = match;
  if (whole === '' && (fraction === undefined || fraction === '')) return undefined;
  const digits = `${whole}${fraction ?? ''}` || '0';
  const scale = -(fraction ?? '').length;
  let result: number;
  if (suffix !== undefined && suffix in BINARY_EXPONENT) {
    result = Number(`${digits}e${scale}`) * 2 ** BINARY_EXPONENT[suffix];
  } else {
    const decimalExponent = exponent !== undefined ? Number(exponent) : DECIMAL_EXPONENT[suffix ?? ''];
    result = Number(`${digits}e${scale + decimalExponent}`);
  }
  if (!Number.isFinite(result)) return undefined;
  return sign === '-' ? -result : result;
}

/** Checks a resource quantity (a request or limit): the full grammar, and not negative. */
export function checkQuantity(prop: string, value: string, example: string): Problem | undefined {
  const parsed = parseQuantity(value);
  if (parsed !== undefined && parsed >= 0) return undefined;
  return problem(parsed === undefined ? 'quantity.syntax' : 'quantity.negative', prop, value, { example });
}

/**
 * Checks a quantity of bytes (memory, ephemeral storage): a whole number of bytes. The API
 * server takes `128m` (0.128 bytes) and rounds it up to one byte; it is nearly always `128Mi`
 * mistyped, so the library refuses it (a policy, README "Validation and safe output").
 */
export function checkWholeBytes(prop: string, value: string): Problem | undefined {
  const parsed = parseQuantity(value);
  if (parsed === undefined || Number.isInteger(parsed)) return undefined;
  const suggestion = /^[0-9.]+m$/.test(value) ? value.replace(/m$/, 'Mi') : `${Math.ceil(parsed)}`;
  return problem('quantity.fractional-bytes', prop, value, { suggestion });
}

/** A request and limit pair, either of which may be left out. */
export interface RequestLimit {
  /** The request, as a quantity string. */
  readonly request?: string;
  /** The limit, as a quantity string. */
  readonly limit?: string;
}

/** A request and limit after defaults, with the problems found on the way. */
export interface ResolvedRequestLimit {
  /** The request to emit; undefined only when a given value is malformed. */
  readonly request?: string;
  /** The limit to emit; undefined only when a given value is malformed. */
  readonly limit?: string;
  /** Malformed quantities, or a request above the limit the user wrote. */
  readonly problems: Problem[];
}

/**
 * Resolves a request/limit pair the way Kubernetes would, then the library's defaults:
 * - both given: kept; a request above the limit is a problem;
 * - only the limit: the request is the limit (Kubernetes defaults a missing request to the limit,
 *   pkg/apis/core/v1/defaults.go), so `limit: 50m` is valid even though the default request is 100m;
 * - only the request: the default limit, or the request when that is larger (no invented conflict);
 * - neither: the defaults.
 * `prop` is the prefix of the problems (`resources.cpu`), `example` a well-formed value for the hint.
 */
export function resolveRequestLimit(
  prop: string,
  given: RequestLimit,
  defaults: Required<RequestLimit>,
  example: string,
): ResolvedRequestLimit {
  const problems = [
    given.request === undefined ? undefined : checkQuantity(`${prop}.request`, given.request, example),
    given.limit === undefined ? undefined : checkQuantity(`${prop}.limit`, given.limit, example),
  ].filter((p): p is Problem => p !== undefined);
  if (problems.length > 0) return { problems };
  if (given.request !== undefined && given.limit !== undefined) {
    if (parseQuantity(given.request)! > parseQuantity(given.limit)!) {
      problems.push(problem('quantity.request-above-limit', prop, `request ${given.request}, limit ${given.limit}`));
    }
    return { request: given.request, limit: given.limit, problems };
  }
  if (given.limit !== undefined) return { request: given.limit, limit: given.limit, problems };
  if (given.request !== undefined) {
    const limit = parseQuantity(given.request)! > parseQuantity(defaults.limit)! ? given.request : defaults.limit;
    return { request: given.request, limit, problems };
  }
  return { request: defaults.request, limit: defaults.limit, problems };
}

/** The part of cdk8s `Size` the checks use (duck-typed, so a second copy of cdk8s still passes). */
interface SizeLike {
  asString(): string;
  toKibibytes(opts?: { rounding?: number }): number;
}

function isSizeLike(value: unknown): value is SizeLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SizeLike).asString === 'function' &&
    typeof (value as SizeLike).toKibibytes === 'function'
  );
}

/**
 * Checks a cdk8s `Size`: a Size object (not a string or number from JavaScript) whose amount is
 * a finite number above zero. `Size.gibibytes(NaN)` would otherwise be emitted as `NaNGi`.
 */
export function checkSize(prop: string, value: unknown, example: string): Problem | undefined {
  // Rounding NONE (2 in cdk8s' SizeRoundingBehavior) converts without throwing on fractions.
  const kibibytes = isSizeLike(value) ? value.toKibibytes({ rounding: 2 }) : Number.NaN;
  if (Number.isFinite(kibibytes) && kibibytes > 0) return undefined;
  return problem(isSizeLike(value) ? 'size.not-positive' : 'size.type', prop, value, { example });
}
