import { hasMethod, Problem } from '../errors';
import { problem } from '../messages';

/**
 * The JavaScript types a prop can be checked against, by the words the message uses. A Size or
 * Duration is recognised by its methods, not `instanceof`, so one from a second copy of cdk8s passes.
 */
const TYPE_TESTS = {
  'a string': (v: unknown) => typeof v === 'string',
  'a number': (v: unknown) => typeof v === 'number',
  'a boolean': (v: unknown) => typeof v === 'boolean',
  'an object': (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'an array': (v: unknown) => Array.isArray(v),
  'a Size': (v: unknown) => hasMethod(v, 'asString') && hasMethod(v, 'toKibibytes'),
  'a Duration': (v: unknown) => hasMethod(v, 'toMilliseconds') && hasMethod(v, 'toHumanString'),
} as const;

/** A JavaScript type {@link checkType} can check, named as the message says it. */
export type ExpectedType = keyof typeof TYPE_TESTS;

/**
 * Checks the JavaScript type of a prop, so a wrong type from untyped JavaScript (a string where a
 * Size is expected, a number where a string is) becomes a Problem instead of a crash further on.
 * `undefined` passes: whether a prop is required is the caller's question.
 */
export function checkType(prop: string, value: unknown, expected: ExpectedType, example: string): Problem | undefined {
  if (value === undefined || TYPE_TESTS[expected](value)) return undefined;
  return problem('type.wrong', prop, value, { expected, actual: typeOfValue(value), example });
}

/** Checks that every value of a record (env vars, config files) has the expected type; one problem per bad entry. */
export function checkRecordValues(prop: string, record: unknown, expected: ExpectedType, example: string): Problem[] {
  if (record === undefined) return [];
  if (!TYPE_TESTS['an object'](record)) {
    return [problem('type.record-values', prop, record, { expected, actual: typeOfValue(record), example })];
  }
  return Object.entries(record as Record<string, unknown>)
    .map(([key, value]) => checkType(`${prop}.${key}`, value, expected, example))
    .filter((p): p is Problem => p !== undefined);
}

/** The type of a value in words: "a string", "null", "an array", "a Size", "an object". */
export function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (TYPE_TESTS['a Size'](value)) return 'a Size';
  if (TYPE_TESTS['a Duration'](value)) return 'a Duration';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
