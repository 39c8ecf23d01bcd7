import { Sample } from './measure';

/**
 * Ratios that hold under load. A ratio read once, at one load, is not a result: helm's CPU time
 * moves with the load as much as the library's does. So each ratio is measured as interleaved
 * pairs — the library, then helm, then the library again … — in one window of time: the two runs
 * of a pair meet the same load, and the window's median pair ratio is the figure. The window's
 * spread (interquartile range of its pair ratios over their median) says whether the load held
 * still enough; a window spread over the limit is measured again, up to a bounded number of
 * windows, and the page says when the limit could not be reached.
 */

/** One pair: the library's run and helm's right after it. */
export interface Pair {
  readonly ours: Sample;
  readonly helm: Sample;
}

/** Pairs measured back to back. */
export interface PairWindow {
  readonly pairs: Pair[];
}

/** One ratio (a generator over helm at one size): every window measured, and which one counts. */
export interface RatioResult {
  readonly generator: string;
  readonly windows: PairWindow[];
  /** Index of the window the figures come from: the first under the spread limit, else the least spread. */
  readonly chosen: number;
}

export const median = (xs: number[]): number => quantile(xs, 0.5);

/** The q-quantile, linearly interpolated between the sorted values. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const low = Math.floor(at);
  return low + 1 < s.length ? s[low] + (s[low + 1] - s[low]) * (at - low) : s[low];
}

/** Interquartile range over the median: 0.1 means the middle half of the values lies within 10 % of the median. */
export const spread = (xs: number[]): number => (quantile(xs, 0.75) - quantile(xs, 0.25)) / median(xs);

type Key = 'cpu' | 'wall' | 'rssMb';
const ratios = (w: PairWindow, key: Key) => w.pairs.map((p) => p.ours[key] / p.helm[key]);

/** What the page shows of a window. */
export interface WindowFigures {
  readonly cpuRatio: number;
  readonly cpuSpread: number;
  readonly cpuRatioMin: number;
  readonly cpuRatioMax: number;
  readonly wallRatio: number;
  readonly oursCpu: number;
  readonly helmCpu: number;
  readonly oursWall: number;
  readonly helmWall: number;
  readonly oursRss: number;
  readonly helmRss: number;
  readonly loadMin: number;
  readonly loadMax: number;
}

export function figures(w: PairWindow): WindowFigures {
  const cpu = ratios(w, 'cpu');
  const side = (s: 'ours' | 'helm', key: Key) => median(w.pairs.map((p) => p[s][key]));
  const loads = w.pairs.flatMap((p) => [p.ours.load, p.helm.load]);
  return {
    cpuRatio: median(cpu),
    cpuSpread: spread(cpu),
    cpuRatioMin: Math.min(...cpu),
    cpuRatioMax: Math.max(...cpu),
    wallRatio: median(ratios(w, 'wall')),
    oursCpu: side('ours', 'cpu'),
    helmCpu: side('helm', 'cpu'),
    oursWall: side('ours', 'wall'),
    helmWall: side('helm', 'wall'),
    oursRss: side('ours', 'rssMb'),
    helmRss: side('helm', 'rssMb'),
    loadMin: Math.min(...loads),
    loadMax: Math.max(...loads),
  };
}

/** The window the figures come from: the first whose spread is within the limit, else the least spread. */
export function chooseWindow(windows: PairWindow[], limit: number): number {
  const spreads = windows.map((w) => figures(w).cpuSpread);
  const within = spreads.findIndex((s) => s <= limit);
  return within >= 0 ? within : spreads.indexOf(Math.min(...spreads));
}

/**
 * Measures `ours` against `helm` in windows of `pairsPerWindow` pairs until a window's CPU-ratio
 * spread is within `limit`, at most `maxWindows` windows; `progress` hears every pair.
 */
export async function measurePairs(
  generator: string,
  ours: () => Promise<Sample>,
  helm: () => Promise<Sample>,
  options: { pairsPerWindow: number; maxWindows: number; limit: number },
  progress: (window: number, pair: number, p: Pair) => void,
): Promise<RatioResult> {
  const windows: PairWindow[] = [];
  while (windows.length < options.maxWindows) {
    const pairs: Pair[] = [];
    for (let i = 0; i < options.pairsPerWindow; i++) {
      const p = { ours: await ours(), helm: await helm() };
      pairs.push(p);
      progress(windows.length, i, p);
    }
    windows.push({ pairs });
    if (figures(windows[windows.length - 1]).cpuSpread <= options.limit) break;
  }
  return { generator, windows, chosen: chooseWindow(windows, options.limit) };
}
