import { App } from 'cdk8s';
import { EXAMPLES } from '../../apps/examples';
import { exampleTarget } from '../../apps/targets';
import { Manifests, Target } from '../../lib';
import { MESSAGES } from '../../lib/messages';
import { fieldPaths } from './field-paths';
import { coverageOf, Coverage } from './field-table';
import { richApp, richTarget, USER_MARK } from './rich-app';

/** One emitted field path, what covers it, and what went wrong. */
export interface FieldRow {
  readonly path: string;
  readonly coverage?: Coverage;
  /** Why the row fails: no entry, a code the catalogue lacks, a user value in a field called the library's. */
  readonly problem?: string;
}

/** Every field path the example apps and the rich app emit on every built-in target, with its coverage. */
export function fieldCoverage(): FieldRow[] {
  const values = new Map<string, unknown[]>();
  for (const id of Target.BUILT_IN_IDS) {
    for (const [build, target] of [
      ...EXAMPLES.map((b) => [b, exampleTarget(id)] as const),
      [richApp, richTarget(id)] as const,
    ]) {
      const app = new App();
      build(app, target);
      for (const object of Manifests.synthesize(app).systems.flatMap((s) => s.objects))
        for (const [path, seen] of fieldPaths(object)) values.set(path, [...(values.get(path) ?? []), ...seen]);
    }
  }
  return [...values.keys()].sort().map((path) => {
    const coverage = coverageOf(path);
    if (!coverage) return { path, problem: 'no rule and not the library’s own: add a rule, or an entry saying why' };
    if ('rules' in coverage) {
      const unknown = coverage.rules.filter((code) => !(code in MESSAGES));
      return unknown.length > 0
        ? { path, coverage, problem: `codes not in the catalogue: ${unknown.join(', ')}` }
        : { path, coverage };
    }
    const userValue = values.get(path)!.find((v) => typeof v === 'string' && v.includes(USER_MARK));
    return userValue === undefined
      ? { path, coverage }
      : {
          path,
          coverage,
          problem: `a user value (${JSON.stringify(userValue)}) reaches a field the table calls the library's`,
        };
  });
}

function main(): number {
  const rows = fieldCoverage();
  const width = Math.max(...rows.map((r) => r.path.length));
  for (const row of rows) {
    const what = !row.coverage
      ? '—'
      : 'rules' in row.coverage
        ? `rules: ${row.coverage.rules.join(', ')}`
        : `library: ${row.coverage.fixed}`;
    process.stdout.write(
      `${row.problem ? '✗' : '✓'} ${row.path.padEnd(width)}  ${what}${row.problem ? `  ← ${row.problem}` : ''}\n`,
    );
  }
  const ruled = rows.filter((r) => r.coverage && 'rules' in r.coverage).length;
  const failing = rows.filter((r) => r.problem);
  process.stdout.write(
    `\n${rows.length} emitted field paths: ${ruled} checked by rules, ${rows.length - ruled - failing.filter((r) => !r.coverage).length} the library's own, ${failing.length} failing\n`,
  );
  return failing.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
