/** How a code's message reads, from the facts its check passes. */
export interface Message<F> {
  readonly allowed: (facts: F) => string;
  readonly hint: (facts: F) => string;
}

/** A catalogue entry; `F` is what the check must pass to word it. */
export function message<F = Record<string, never>>(
  allowed: (facts: F) => string,
  hint: (facts: F) => string,
): Message<F> {
  return { allowed, hint };
}

/** A hint or an allowed text the check words itself (from its caller, or several variants). */
export interface Worded {
  readonly hint: string;
}
