/**
 * Locale-independent ordering. Locale-aware comparison (String#locale…Compare, Intl.Collator) orders by the machine's
 * locale (under `lt_LT` "y" sorts between "i" and "k"), so anything that feeds a checksum or a
 * manifest must be ordered by UTF-16 code unit instead — the order of `Array.prototype.sort()`
 * without a comparator, the same on every machine.
 */

/** Compares two strings by UTF-16 code unit: negative, zero or positive, like a sort comparator. */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The entries of a record sorted by key in code-unit order (a new array; the record is untouched). */
export function sortedEntries<T>(record: { readonly [key: string]: T }): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => compareCodeUnits(a, b));
}

/** A copy of a record whose keys are inserted in code-unit order, so it serializes the same everywhere. */
export function sortedRecord<T>(record: { readonly [key: string]: T }): { [key: string]: T } {
  return Object.fromEntries(sortedEntries(record));
}
