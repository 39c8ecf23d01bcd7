import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measure } from './measure';

/** How much of a run's CPU time went to garbage collection on the main thread. */
export interface GcShare {
  /** Main-thread GC pauses (scavenges and mark-compacts), seconds. */
  readonly gc: number;
  /** Of which scavenges (the young generation), seconds. */
  readonly scavenge: number;
  /** CPU time of the whole process, seconds. */
  readonly cpu: number;
}

/**
 * Runs node with `--trace-gc` and adds up the pause of every collection it reports (`…, 3.18 / 0.00
 * ms …`): the time the main thread stood still for the collector. Collector work on V8's
 * background threads is in the CPU time but not in the pauses, so the share is a floor.
 */
export async function measureGcShare(nodeArguments: string[], cwd: string): Promise<GcShare> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-gc-'));
  try {
    const trace = path.join(dir, 'trace');
    const sample = await measure(process.execPath, ['--trace-gc', ...nodeArguments], { cwd, stdoutFile: trace });
    let gc = 0;
    let scavenge = 0;
    for (const line of fs.readFileSync(trace, 'utf8').split('\n')) {
      const pause = /, ([\d.]+) \/ [\d.]+ ms /.exec(line);
      if (!pause) continue;
      gc += Number(pause[1]) / 1000;
      if (line.includes('Scavenge')) scavenge += Number(pause[1]) / 1000;
    }
    return { gc: +gc.toFixed(3), scavenge: +scavenge.toFixed(3), cpu: +sample.cpu.toFixed(3) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
