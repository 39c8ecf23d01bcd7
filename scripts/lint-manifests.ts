import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseExceptions } from './lint/exceptions';
import { Finding, LINTERS, parseCheckov, parseKubeScore, parseTrivy } from './lint/findings';
import { report, UnavailableLinter } from './lint/report';
import { buildTools, toolDir } from './cluster/tools';

/**
 * `npm run lint:manifests`: runs kube-score, Trivy and Checkov over every dist/<target>/*.k8s.yaml and
 * prints one table, target × linter → unexplained / excepted findings. Exits non-zero on a
 * finding no line of lint-exceptions.tsv covers, or on an exception that covers nothing.
 * Linters that cannot be installed on this project's machines are listed with the reason
 * rather than silently passing.
 *
 * `LINT_DIST=/path/to/app/dist` lints any app's output instead: one output (a folder holding
 * `*.k8s.yaml`) or a folder of them (environments such as `dev/`, `prod/`); each output's target
 * comes from its `cdk8s-msa.output.json`, so the exceptions apply by target. The outputs are
 * linted from a copy whose folders the linters never skip (Trivy skips `dev`, `proc` and `sys`
 * below its root), and an exception that covers nothing fails only for this repository's dist/.
 */
const repo = path.resolve(__dirname, '../..');
const given = process.env.LINT_DIST;
const source = given ? path.resolve(given) : path.join(repo, 'dist');
/** The copy the linters read: `<target>/` per output (`<target>~<n>` when two outputs share a target). */
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-lint-'));

const UNAVAILABLE: readonly UnavailableLinter[] = [
  { name: 'kube-linter', reason: 'the Go module proxy refuses golang.stackrox.io/kube-linter (403 on every version)' },
  { name: 'Polaris', reason: 'the Go module proxy refuses github.com/fairwindsops/polaris (403 on every version)' },
];

/** Runs a linter and returns its stdout; an exit code outside `exits` or no output is a failure. */
function run(
  binary: string,
  args: string[],
  what: string,
  exits: readonly number[] = [0],
  options: SpawnSyncOptions = {},
): string {
  const result = spawnSync(binary, args, { ...options, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status === null || !exits.includes(result.status) || !result.stdout) {
    throw new Error(`${what} failed (exit ${result.status}): ${result.stderr || result.error}`);
  }
  return result.stdout;
}

function kubeScore(binary: string, target: string, files: string[]): Finding[] {
  // kube-score exits 1 when it grades anything CRITICAL; the JSON on stdout is the result either way.
  return parseKubeScore(
    run(binary, ['score', '--output-format', 'json', ...files], `kube-score on ${target}`, [0, 1]),
    target,
  );
}

/**
 * One Trivy run over all of dist/, Kubernetes checks only. The checks embedded in the binary are
 * used as built (`--skip-check-update`: no checks bundle is pulled), nothing else goes out (no
 * version check, no telemetry), and the cache is a throwaway folder: it runs with no network.
 */
function trivy(binary: string): Finding[] {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-trivy-'));
  try {
    const json = run(
      binary,
      [
        'config',
        '--quiet',
        '--format',
        'json',
        '--misconfig-scanners',
        'kubernetes',
        '--skip-check-update',
        '--skip-version-check',
        '--disable-telemetry',
        '--cache-dir',
        cache,
        dist,
      ],
      'trivy config',
    );
    return parseTrivy(json, (file) => fs.readFileSync(path.join(dist, file), 'utf8'));
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * One Checkov run over all of dist/, Kubernetes checks only (its graph checks included), offline:
 * nothing is downloaded from or uploaded to its platform and no update check runs. It runs inside
 * dist/, so its file paths are `/<target>/<file>`; `--quiet` leaves the passed checks out. Exit 1
 * means it found something.
 */
function checkov(python: string): Finding[] {
  const args = ['-m', 'checkov.main', '--directory', '.', '--framework', 'kubernetes', '--output', 'json', '--quiet'];
  const json = run(python, [...args, '--skip-download', '--skip-results-upload'], 'checkov', [0, 1], {
    cwd: dist,
    env: { ...process.env, CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' },
  });
  return parseCheckov(json, (file) => fs.readFileSync(path.join(dist, file), 'utf8'));
}

function manifests(target: string): string[] {
  return fs
    .readdirSync(path.join(dist, target))
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort()
    .map((f) => path.join(dist, target, f));
}

/** The outputs under `root` (itself, or its folders) copied into `dist`, one folder per output named after its target. */
function copyOutputs(root: string): { targets: string[]; empty: string[] } {
  const holdsManifests = (d: string) => fs.readdirSync(d).some((f) => f.endsWith('.k8s.yaml'));
  const folders = !fs.existsSync(root)
    ? []
    : holdsManifests(root)
      ? [root]
      : fs
          .readdirSync(root)
          .map((d) => path.join(root, d))
          .filter((d) => fs.statSync(d).isDirectory())
          .sort();
  const targets: string[] = [];
  const empty: string[] = [];
  for (const folder of folders) {
    if (!holdsManifests(folder)) {
      empty.push(path.basename(folder));
      continue;
    }
    const marker = path.join(folder, 'cdk8s-msa.output.json');
    const target = fs.existsSync(marker)
      ? String(JSON.parse(fs.readFileSync(marker, 'utf8')).target)
      : path.basename(folder);
    const name = targets.includes(target)
      ? `${target}~${targets.filter((t) => t.startsWith(target)).length + 1}`
      : target;
    fs.mkdirSync(path.join(dist, name));
    for (const f of fs.readdirSync(folder).filter((f) => f.endsWith('.k8s.yaml')))
      fs.copyFileSync(path.join(folder, f), path.join(dist, name, f));
    targets.push(name);
  }
  return { targets: targets.sort(), empty };
}

function main(): number {
  buildTools('linters');
  const { targets, empty } = copyOutputs(source);
  if (targets.length === 0 || empty.length > 0) {
    process.stderr.write(
      `${given ?? 'dist/'} holds no output${empty.length ? ` in ${empty.join(', ')}` : ''}: ${given ? 'synthesize the app first' : 'run npm run synth first'}\n`,
    );
    return 1;
  }
  let exceptions;
  try {
    exceptions = parseExceptions(fs.readFileSync(path.join(repo, 'lint-exceptions.tsv'), 'utf8'), LINTERS);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  const kubeScoreBinary = path.join(toolDir('linters'), 'kube-score');
  const findings = [
    ...targets.flatMap((t) => kubeScore(kubeScoreBinary, t, manifests(t))),
    ...trivy(path.join(toolDir('trivy'), 'trivy')),
    ...checkov(path.join(toolDir('checkov'), 'venv/bin/python')),
  ];
  // A copy named <target>~2 matches the exceptions of <target>.
  const byTarget = findings.map((f) => ({ ...f, target: f.target.replace(/~[0-9]+$/, '') }));
  const result = report(
    [...new Set(targets.map((t) => t.replace(/~[0-9]+$/, '')))],
    LINTERS,
    byTarget,
    exceptions,
    UNAVAILABLE,
  );
  process.stdout.write(result.text);
  // An app's output need not hit every exception this repository's examples do.
  return result.unexplained.length > 0 || (!given && result.unused.length > 0) ? 1 : 0;
}

try {
  process.exitCode = main();
} finally {
  fs.rmSync(dist, { recursive: true, force: true });
}
