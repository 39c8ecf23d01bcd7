import { exceptionFor, LintException } from './exceptions';
import { Finding, LinterId } from './findings';

/** A linter that lint:manifests names in its table but cannot install, with the reason. */
export interface UnavailableLinter {
  readonly name: string;
  readonly reason: string;
}

/** What one lint:manifests run found, split by whether a written exception covers it. */
export interface LintReport {
  readonly text: string;
  readonly unexplained: readonly Finding[];
  /** Exceptions that covered no finding: the output no longer needs them. */
  readonly unused: readonly LintException[];
}

const TITLES: Record<LinterId, string> = { 'kube-score': 'kube-score', trivy: 'Trivy', checkov: 'Checkov' };

/**
 * Renders the target × linter table (unexplained / excepted per cell, `unavailable` for a linter
 * that could not be installed), the exceptions with how many findings each covered, the
 * unavailable linters with their reasons, and every unexplained finding grouped by check and
 * object with the targets it appears on.
 */
export function report(
  targets: readonly string[],
  linters: readonly LinterId[],
  findings: readonly Finding[],
  exceptions: readonly LintException[],
  unavailable: readonly UnavailableLinter[],
): LintReport {
  const covered = new Map<LintException, number>(exceptions.map((e) => [e, 0]));
  const unexplained: Finding[] = [];
  const cells = new Map<string, { bad: number; excepted: number }>();
  for (const f of findings) {
    const cell = cells.get(`${f.target}\t${f.linter}`) ?? { bad: 0, excepted: 0 };
    cells.set(`${f.target}\t${f.linter}`, cell);
    const exception = exceptionFor(f, exceptions);
    if (exception) {
      cell.excepted++;
      covered.set(exception, covered.get(exception)! + 1);
    } else {
      cell.bad++;
      unexplained.push(f);
    }
  }
  const columns = [...linters.map((l) => `${TITLES[l]} (unexplained / excepted)`), ...unavailable.map((u) => u.name)];
  const rows = targets.map((t) => [
    t,
    ...linters.map((l) => {
      const cell = cells.get(`${t}\t${l}`) ?? { bad: 0, excepted: 0 };
      return `${cell.bad} / ${cell.excepted}`;
    }),
    ...unavailable.map(() => 'unavailable'),
  ]);
  const table = [['target', ...columns], ['---', ...columns.map(() => '---')], ...rows].map(
    (r) => `| ${r.join(' | ')} |`,
  );
  const unused = exceptions.filter((e) => covered.get(e) === 0);
  const sections = [
    table.join('\n'),
    `Exceptions (lint-exceptions.tsv):\n${exceptions.map((e) => `  ${e.linter} ${e.check} [${e.targets.join(',') || 'every target'}; ${e.objects.join(',') || 'every object'}] covers ${covered.get(e)}: ${e.reason}`).join('\n') || '  none'}`,
    `Unavailable linters:\n${unavailable.map((u) => `  ${u.name}: ${u.reason}`).join('\n') || '  none'}`,
  ];
  if (unused.length > 0) {
    sections.push(
      `Exceptions that cover no finding (remove them):\n${unused.map((e) => `  ✗ line ${e.line}: ${e.linter} ${e.check}`).join('\n')}`,
    );
  }
  if (unexplained.length > 0)
    sections.push(`${unexplained.length} unexplained finding(s):\n${groupFindings(unexplained, targets).join('\n')}`);
  return { text: `${sections.join('\n\n')}\n`, unexplained, unused };
}

/** One line per linter, check, object and message, with the targets it appears on. */
function groupFindings(findings: readonly Finding[], allTargets: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const f of findings) {
    const key = `${f.linter} ${f.check} ${f.object}: ${f.message}`;
    groups.set(key, [...(groups.get(key) ?? []), f.target]);
  }
  return [...groups].map(
    ([key, targets]) => `  ✗ ${key} [${targets.length === allTargets.length ? 'every target' : targets.join(',')}]`,
  );
}
