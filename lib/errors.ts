import { IConstruct } from 'constructs';

/**
 * One thing wrong with the input, in the library's single message format:
 * `[construct path] prop: received <value>; allowed: <what is allowed>. Hint: <how to fix>`.
 */
export interface Problem {
  /**
   * Stable code of the rule (`name.dns-label`, `dependency.unknown-port`), from the message
   * catalogue (lib/messages.ts): what tests and tools match on, while the wording may improve.
   */
  readonly code: string;
  /** The construct the problem is about, where it is not the one whose checks found it. @default - the checked construct */
  readonly at?: IConstruct;
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

export function hasMethod<M extends string>(value: unknown, method: M): value is { [K in M]: () => string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function'
  );
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
  /** The stable code of each problem, in the order of `messages` (an empty string where a message has none). */
  public readonly codes: string[];

  constructor(messages: string[], warnings: string[] = [], codes: string[] = []) {
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
    this.codes = messages.map((_, i) => codes[i] ?? '');
  }
}

/** Throws one error listing every problem when there is at least one. */
export function throwIfProblems(scope: IConstruct, problems: Problem[]): void {
  if (problems.length > 0) {
    throw new MsaConfigError(problems.map((p) => atPath(scope, formatProblem(p))));
  }
}

/** What checks find: problems (errors) and warnings (allowed but risky, errors in strict mode). */
export interface Findings {
  /** Errors: synth fails with every one of them. */
  readonly problems: Problem[];
  /** Allowed but risky: printed once per synth. */
  readonly warnings: Problem[];
}

/** Findings of several checks, in order. */
export function allFindings(...found: Findings[]): Findings {
  return { problems: found.flatMap((f) => f.problems), warnings: found.flatMap((f) => f.warnings) };
}

/** Key of a construct's checks: `Symbol.for`, so a second copy of the package finds them too. */
const CHECKS = Symbol.for('cdk8s-msa.checks');
/** Set on the root while the synth path collects findings itself. */
const COLLECTING = Symbol.for('cdk8s-msa.collecting-findings');

/**
 * Registers a construct's checks, pure functions of the tree asked at synth. The synth path reads
 * their findings (codes and warnings included); cdk8s's own `validate()` (a plain `App.synth()`)
 * gets the problems as messages.
 */
export function addChecks(scope: IConstruct, check: () => Findings): void {
  Object.defineProperty(scope, CHECKS, { value: check });
  const collecting = () => (scope.node.root as unknown as { [COLLECTING]?: boolean })[COLLECTING] === true;
  scope.node.addValidation({ validate: () => (collecting() ? [] : check().problems.map(formatProblem)) });
}

/**
 * Runs `collect` while the synth path reads the checks' findings itself: their cdk8s validations
 * then answer nothing, so `node.validate()` gives only what the app registered.
 */
export function collectingFindings<T>(root: IConstruct, collect: () => T): T {
  Object.defineProperty(root, COLLECTING, { value: true, configurable: true });
  try {
    return collect();
  } finally {
    delete (root as unknown as { [COLLECTING]?: boolean })[COLLECTING];
  }
}

/** The checks registered on `scope`, if any. */
export function checksOf(scope: IConstruct): (() => Findings) | undefined {
  return (scope as unknown as { [CHECKS]?: () => Findings })[CHECKS];
}
