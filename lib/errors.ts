import { IConstruct } from 'constructs';

/**
 * One thing wrong with the input, in the library's single message format:
 * `[construct path] prop: received <value>; allowed: <what is allowed>. Hint: <how to fix>`.
 */
export interface Problem {
  /** The prop (or prop path such as `ports[1].name`) that holds the bad value. */
  readonly prop: string;
  /** The value received, as the user wrote it. */
  readonly received: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
  /** How to fix it. */
  readonly hint: string;
}

/**
 * Renders a value for a message: strings quoted, Sizes and Durations by their text, objects as
 * compact JSON. Never throws, whatever JavaScript hands it (bigint, symbol, cycles, functions).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  try {
    if (hasMethod(value, 'asString')) return JSON.stringify(value.asString());
    if (hasMethod(value, 'toHumanString')) return JSON.stringify(value.toHumanString());
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function hasMethod<M extends string>(value: unknown, method: M): value is { [K in M]: () => string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function'
  );
}

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
  return {
    prop,
    received: value,
    allowed: `${expected} (received ${typeOfValue(value)})`,
    hint: `write it like ${example}`,
  };
}

/** Checks that every value of a record (env vars, config files) has the expected type; one problem per bad entry. */
export function checkRecordValues(prop: string, record: unknown, expected: ExpectedType, example: string): Problem[] {
  if (record === undefined) return [];
  if (!TYPE_TESTS['an object'](record)) {
    return [
      {
        prop,
        received: record,
        allowed: `an object of ${expected} values (received ${typeOfValue(record)})`,
        hint: `write it like { KEY: ${example} }`,
      },
    ];
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

/**
 * Turns a thrown error into problems: an MsaConfigError keeps its messages; anything else is a
 * bug in the library and is re-thrown, so it keeps its stack trace instead of passing as user input.
 */
export function rethrowUnlessConfigError(error: unknown): string[] {
  if (error instanceof MsaConfigError) return error.messages;
  throw error;
}

/** Formats a problem without the construct path (cdk8s validation prefixes the path itself). */
export function formatProblem(problem: Problem): string {
  return `${problem.prop}: received ${describeValue(problem.received)}; allowed: ${problem.allowed}. Hint: ${problem.hint}`;
}

/** Prefixes a message with the construct path it is about, as every error and warning is. */
export function atPath(scope: IConstruct, message: string): string {
  return `[${scope.node.path}] ${message}`;
}

/**
 * Thrown when a construct's own props are invalid, or when synthesis finds problems.
 * `messages` holds each problem on its own, already prefixed with its construct path.
 *
 * TypeScript only: jsii cannot extend `Error`, so other languages see their jsii runtime's error
 * carrying the same message.
 * @jsii ignore
 */
export class MsaConfigError extends Error {
  /** Every problem found, one message each, each prefixed with `[construct path]`. */
  public readonly messages: string[];
  /** The warnings found beside the problems, shown with them so that fixing the problems brings no second round. */
  public readonly warnings: string[];

  constructor(messages: string[], warnings: string[] = []) {
    const problems =
      messages.length === 1 ? messages[0] : `${messages.length} problems:\n${messages.map((m) => `  ${m}`).join('\n')}`;
    super(
      warnings.length === 0
        ? problems
        : `${problems}\n${warnings.length} warning(s) as well:\n${warnings.map((w) => `  ⚠ ${w}`).join('\n')}`,
    );
    this.name = 'MsaConfigError';
    this.messages = messages;
    this.warnings = warnings;
  }
}

/** Throws one error listing every problem when there is at least one. */
export function throwIfProblems(scope: IConstruct, problems: Problem[]): void {
  if (problems.length > 0) {
    throw new MsaConfigError(problems.map((p) => atPath(scope, formatProblem(p))));
  }
}

/** Metadata type under which the library records warnings on constructs. */
export const WARNING_METADATA = 'cdk8s-msa:warning';

/**
 * Records a warning (allowed but risky) on a construct. Synthesis collects and prints them once,
 * or fails on them in strict mode.
 */
export function addWarning(scope: IConstruct, problem: Problem): void {
  const message = formatProblem(problem);
  // Validation may run more than once (a test helper, then synth): record each warning once.
  if (!scope.node.metadata.some((m) => m.type === WARNING_METADATA && m.data === message)) {
    scope.node.addMetadata(WARNING_METADATA, message);
  }
}
