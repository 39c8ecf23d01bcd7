/**
 * Input checks shared by the constructs. Each returns a `Problem` describing what is wrong,
 * or `undefined` when the value is fine, so callers can collect every problem before throwing.
 * The rules live in lib/checks/, one module per kind of field, each citing the Kubernetes
 * source it follows; this module is the one place the constructs import them from.
 */
import { Problem } from './errors';

export * from './checks/names';
export * from './checks/numbers';
export * from './checks/quantity';
export * from './checks/hosts';
export * from './checks/route-kinds';
export * from './checks/metadata';
export * from './checks/identity';
export * from './checks/cron';
export * from './checks/image';
export * from './checks/types';
export { compareCodeUnits, sortedEntries, sortedRecord } from './order';

/** Keeps the problems that are defined. */
export function problems(...found: Array<Problem | undefined>): Problem[] {
  return found.filter((p): p is Problem => p !== undefined);
}
