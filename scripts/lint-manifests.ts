import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * `npm run lint:manifests`: runs the manifest linters over every dist/<target>/ and prints one
 * table, target × linter → findings. Exits non-zero on a finding whose check is not explained in
 * lint-exceptions.tsv. kube-linter and Polaris cannot be installed here (the Go module proxy
 * refuses them); they appear in the table as unavailable rather than silently passing.
 */
const repo = path.resolve(__dirname, '../..');
const dist = path.join(repo, 'dist');

interface Finding { readonly target: string; readonly linter: string; readonly check: string; readonly object: string; readonly message: string }

function exceptions(): Map<string, string> {
  const lines = fs.readFileSync(path.join(repo, 'lint-exceptions.tsv'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  return new Map(lines.map((l) => { const [linter, check, why] = l.split('\t'); return [`${linter}/${check}`, why]; }));
}

function kubeScore(binary: string, target: string, files: string[]): Finding[] {
  const run = spawnSync(binary, ['score', ...files, '--output-format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!run.stdout) throw new Error(`kube-score failed on ${target}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as any[]).flatMap((object) => object.checks
    .filter((c: any) => !c.skipped && c.grade < 10)
    .map((c: any) => ({
      target, linter: 'kube-score', check: c.check.id,
      object: `${object.type_meta.kind}/${object.object_meta.name}`, message: c.comments?.[0]?.summary ?? c.check.name,
    })));
}

function main(): number {
  execFileSync('bash', [path.join(repo, 'scripts/cluster/build-tools.sh'), 'linters'], { stdio: 'inherit' });
  const binDir = execFileSync('bash', [path.join(repo, 'scripts/cluster/build-tools.sh'), '--print-dir', 'linters'], { encoding: 'utf8' }).trim();
  const targets = fs.existsSync(dist) ? fs.readdirSync(dist).filter((d) => fs.statSync(path.join(dist, d)).isDirectory()).sort() : [];
  if (targets.length === 0) { process.stderr.write('dist/ holds no target output: run npm run synth first\n'); return 1; }
  const explained = exceptions();
  if (explained.size > 3) { process.stderr.write(`lint-exceptions.tsv lists ${explained.size} checks; at most 3 are allowed: fix the output instead\n`); return 1; }
  const rows: string[] = ['| target | kube-score (unexplained / excepted) | kube-linter | Polaris |', '|---|---|---|---|'];
  const unexplained: Finding[] = [];
  for (const target of targets) {
    const files = fs.readdirSync(path.join(dist, target)).filter((f) => f.endsWith('.k8s.yaml')).map((f) => path.join(dist, target, f));
    const findings = kubeScore(path.join(binDir, 'kube-score'), target, files);
    const bad = findings.filter((f) => !explained.has(`${f.linter}/${f.check}`));
    unexplained.push(...bad);
    rows.push(`| ${target} | ${bad.length} / ${findings.length - bad.length} | unavailable | unavailable |`);
  }
  process.stdout.write(`${rows.join('\n')}\n\nExceptions (lint-exceptions.tsv):\n${[...explained].map(([k, why]) => `  ${k}: ${why}`).join('\n')}\n`);
  process.stdout.write('kube-linter and Polaris: unavailable (their modules are refused by the Go module proxy).\n');
  if (unexplained.length > 0) {
    process.stderr.write(`\n${unexplained.length} unexplained finding(s):\n${unexplained.map((f) => `  ✗ ${f.target} ${f.linter} ${f.check} ${f.object}: ${f.message}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
