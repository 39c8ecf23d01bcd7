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

/** Renders a value for a message: strings quoted, objects as compact JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (hasAsString(value)) return JSON.stringify(value.asString());
  return JSON.stringify(value);
}

function hasAsString(value: unknown): value is { asString(): string } {
  return typeof value === 'object' && value !== null && typeof (value as { asString?: unknown }).asString === 'function';
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
 */
export class MsaConfigError extends Error {
  /** Every problem found, one message each, each prefixed with `[construct path]`. */
  public readonly messages: string[];

  constructor(messages: string[]) {
    super(messages.length === 1
      ? messages[0]
      : `${messages.length} problems:\n${messages.map((m) => `  ${m}`).join('\n')}`);
    this.name = 'MsaConfigError';
    this.messages = messages;
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
