import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthNodeArguments } from './synth-flags';

/**
 * `npm run timing:edit-loop`: wall time of the two edit-loop commands, median of RUNS runs each
 * after one warm-up: `npx cdk8s synth --no-check-upgrade` on an unchanged (warm) tree, and
 * edit→`npm run synth`, where the edit is a new mtime on a library and an app source (what an
 * editor's save does; the transpile reads the file either way). Prints numbers only; no limits
 * are asserted, since wall time depends on the machine.
 */
const repo = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.RUNS ?? 5);
const EDITED = ['lib/output/app.ts', 'apps/main.ts'];

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return seconds;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(what: string, before: () => void, run: () => number): void {
  before();
  run();
  const samples = Array.from({ length: RUNS }, () => {
    before();
    return run();
  });
  process.stdout.write(
    `${what}: median ${median(samples).toFixed(2)} s, fastest ${Math.min(...samples).toFixed(2)} s (runs: ${samples.map((s) => s.toFixed(2)).join(', ')})\n`,
  );
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
measure(
  'cdk8s synth, warm tree',
  () => undefined,
  () => timed(npx, ['cdk8s', 'synth', '--no-check-upgrade']),
);
measure(
  'cdk8s synth without npx (node_modules/.bin/cdk8s, as an npm script runs it)',
  () => undefined,
  () => timed(path.join(repo, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade']),
);
measure(
  'edit → npm run synth',
  () => {
    const now = new Date();
    for (const file of EDITED) fs.utimesSync(path.join(repo, file), now, now);
  },
  () => timed(npm, ['run', 'synth']),
);
measure(
  'npm run synth, warm tree',
  () => undefined,
  () => timed(npm, ['run', 'synth']),
);
// What the two commands are made of: the cdk8s CLI's own start-up, and the app run without npm.
measure(
  '  of which cdk8s CLI start-up (cdk8s --version)',
  () => undefined,
  () => timed(process.execPath, ['node_modules/cdk8s-cli/bin/cdk8s', '--version']),
);
// cdk8s-cli's `init` command module requires jsii-pacmak when the CLI starts, whatever the command.
measure(
  '    of which loading jsii-pacmak',
  () => undefined,
  () =>
    timed(process.execPath, [
      '-e',
      "require(require.resolve('jsii-pacmak', { paths: [require.resolve('cdk8s-cli/package.json')] }))",
    ]) - timed(process.execPath, ['-e', '0']),
);
measure(
  `  of which the app (node ${synthNodeArguments(repo).join(' ')})`,
  () => undefined,
  () => timed(process.execPath, synthNodeArguments(repo)),
);
