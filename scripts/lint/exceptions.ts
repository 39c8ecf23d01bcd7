import { Finding, LinterId } from './findings';

/** Written exceptions allowed per linter: more means the output, not the file, needs fixing. */
export const MAX_EXCEPTIONS_PER_LINTER = 3;

/**
 * One line of lint-exceptions.tsv: a check of one linter that does not apply to some of the
 * output, with the reason. `targets` and `objects` narrow it, so an exception written for one
 * object (the stateful service's single replica) cannot silently hide the same check elsewhere.
 */
export interface LintException {
  /** 1-based line in the file, for messages. */
  readonly line: number;
  readonly linter: LinterId;
  /** The linter's own check id (kube-score `pod-probes`, Trivy `KSV-0011`). */
  readonly check: string;
  /** Target names (dist/ folder names) it covers; empty means every target. */
  readonly targets: readonly string[];
  /** `namespace/Kind/name` objects it covers; empty means every object. */
  readonly objects: readonly string[];
  readonly reason: string;
}

const COLUMNS = ['linter', 'check', 'targets', 'objects', 'reason'];

/**
 * Parses lint-exceptions.tsv: tab-separated `linter check targets objects reason`, `*` for every
 * target or object, comma-separated lists otherwise; `#` starts a comment line. Throws one error
 * listing every malformed line, duplicate, and linter over {@link MAX_EXCEPTIONS_PER_LINTER}.
 */
export function parseExceptions(text: string, linters: readonly LinterId[]): LintException[] {
  const problems: string[] = [];
  const parsed: LintException[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim() || raw.startsWith('#')) return;
    const cells = raw.split('\t').map((c) => c.trim());
    if (cells.length !== COLUMNS.length) {
      problems.push(
        `line ${line}: expected ${COLUMNS.length} tab-separated columns (${COLUMNS.join(', ')}); got ${cells.length}`,
      );
      return;
    }
    const blank = COLUMNS.filter((_, i) => !cells[i]);
    if (blank.length > 0) {
      problems.push(`line ${line}: empty ${blank.join(', ')}`);
      return;
    }
    const [linter, check, targets, objects, reason] = cells;
    if (!(linters as readonly string[]).includes(linter)) {
      problems.push(`line ${line}: unknown linter "${linter}"; allowed: ${linters.join(', ')}`);
      return;
    }
    parsed.push({ line, linter: linter as LinterId, check, targets: scope(targets), objects: scope(objects), reason });
  });
  const seen = new Map<string, number>();
  for (const e of parsed) {
    const key = `${e.linter}\t${e.check}\t${e.targets.join(',')}\t${e.objects.join(',')}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`line ${e.line}: repeats line ${first} (${e.linter} ${e.check})`);
    else seen.set(key, e.line);
  }
  for (const linter of linters) {
    const count = parsed.filter((e) => e.linter === linter).length;
    if (count > MAX_EXCEPTIONS_PER_LINTER) {
      problems.push(
        `${linter}: ${count} exceptions; at most ${MAX_EXCEPTIONS_PER_LINTER} per linter are allowed: fix the output instead`,
      );
    }
  }
  if (problems.length > 0) throw new Error(`lint-exceptions.tsv:\n  ${problems.join('\n  ')}`);
  return parsed;
}

function scope(cell: string): string[] {
  return cell === '*'
    ? []
    : cell
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** The exception that covers a finding, if any. */
export function exceptionFor(finding: Finding, exceptions: readonly LintException[]): LintException | undefined {
  return exceptions.find(
    (e) =>
      e.linter === finding.linter &&
      e.check === finding.check &&
      (e.targets.length === 0 || e.targets.includes(finding.target)) &&
      (e.objects.length === 0 || e.objects.includes(finding.object)),
  );
}
