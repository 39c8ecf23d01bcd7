import { Problem } from './errors';
import { APP_MESSAGES } from './messages/apps';
import { FIELD_MESSAGES } from './messages/fields';
import { OPERATOR_MESSAGES } from './messages/operators';
import { SERVICE_MESSAGES } from './messages/services';
import { TARGET_MESSAGES } from './messages/targets';
import { TRAFFIC_MESSAGES } from './messages/traffic';
import { WORKLOAD_MESSAGES } from './messages/workloads';
import { Message } from './messages/message';

/**
 * The message catalogue: every problem and warning the library reports, by stable code, with what
 * is allowed and how to fix it as functions of the facts the check found. Checks build problems
 * with `problem(code, prop, received, facts)`; tests match codes (`MsaConfigError#codes`), so the
 * wording can improve here without breaking them. A new rule is one entry in `lib/messages/<area>.ts`
 * and one check
 * that returns `problem(...)` for it.
 */

/** Every code the library reports, with its wording. */
export const MESSAGES = {
  ...FIELD_MESSAGES,
  ...WORKLOAD_MESSAGES,
  ...SERVICE_MESSAGES,
  ...TRAFFIC_MESSAGES,
  ...TARGET_MESSAGES,
  ...APP_MESSAGES,
  ...OPERATOR_MESSAGES,
} as const;

/** A code of the catalogue. */
export type MessageCode = keyof typeof MESSAGES;
/** What the check of `C` passes to word it. */
export type FactsOf<C extends MessageCode> = Parameters<(typeof MESSAGES)[C]['allowed']>[0];

/** The problem of rule `code` for `prop`, worded by the catalogue. */
export function problem<C extends MessageCode>(
  code: C,
  prop: string,
  received: unknown,
  ...facts: FactsOf<C> extends Record<string, never> ? [] : [FactsOf<C>]
): Problem {
  const entry = MESSAGES[code] as Message<unknown>;
  const given = facts[0] ?? {};
  return { code, prop, received, allowed: entry.allowed(given), hint: entry.hint(given) };
}
