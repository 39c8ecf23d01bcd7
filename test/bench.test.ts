import { chooseWindow, figures, measurePairs, PairWindow, quantile, spread } from '../scripts/bench/pairs';
import { Sample } from '../scripts/bench/measure';
import { BenchData, embeddedData, HELM, overSpread, renderMarkdown, SYNTH } from '../scripts/bench/report';

/** The benchmark's arithmetic and page (scripts/bench/): what --check relies on. No timing is asserted. */
const sample = (cpu: number, load = 1): Sample => ({ wall: cpu, cpu, rssMb: 50, load });
const window = (ratios: number[]): PairWindow => ({
  pairs: ratios.map((r) => ({ ours: sample(r), helm: sample(1) })),
});

describe('pair statistics', () => {
  test('quantiles interpolate between sorted values; the spread is the interquartile range over the median', () => {
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(spread([0.9, 1, 1, 1, 1.1])).toBeCloseTo(0);
    expect(spread([0.8, 0.9, 1, 1.1, 1.2])).toBeCloseTo(0.2);
  });

  test("a window's figures are medians of its pairs, each ratio taken within its pair", () => {
    const f = figures({
      pairs: [
        { ours: sample(1, 2), helm: sample(2, 2) },
        { ours: sample(2, 6), helm: sample(4, 6) },
        { ours: sample(3, 4), helm: sample(6, 4) },
      ],
    });
    expect([f.cpuRatio, f.cpuSpread, f.oursCpu, f.helmCpu, f.loadMin, f.loadMax]).toEqual([0.5, 0, 2, 4, 2, 6]);
  });

  test('the first window within the limit counts, else the least spread', () => {
    expect(chooseWindow([window([1, 2, 3]), window([1, 1, 1]), window([1, 1, 1])], 0.1)).toBe(1);
    expect(chooseWindow([window([1, 3, 5]), window([1, 2, 3])], 0.1)).toBe(1);
  });

  test('windows repeat until one is within the limit, and no more than the maximum', async () => {
    const runs = (values: number[]) => {
      let i = 0;
      return async () => sample(values[i++ % values.length]);
    };
    const settles = await measurePairs(
      'x',
      runs([1, 2, 3, 1, 1, 1]),
      runs([1]),
      {
        pairsPerWindow: 3,
        maxWindows: 3,
        limit: 0.1,
      },
      () => undefined,
    );
    expect([settles.windows.length, settles.chosen]).toEqual([2, 1]);
    const never = await measurePairs(
      'x',
      runs([1, 2, 3]),
      runs([1]),
      { pairsPerWindow: 3, maxWindows: 2, limit: 0.1 },
      () => undefined,
    );
    expect([never.windows.length, figures(never.windows[never.chosen]).cpuSpread]).toEqual([2, 0.5]);
  });
});

describe('the page', () => {
  const data = (ratios: number[]): BenchData => ({
    format: 2,
    machine: 'test machine',
    synthCommand: 'node build/cli/bundled-synth.js <app>',
    pairsPerWindow: { '1': ratios.length },
    maxWindows: { '1': 3 },
    spreadLimit: 0.1,
    sourceHash: 'abc (1 files)',
    sizes: [
      {
        services: 1,
        objects: 10,
        ratios: [{ generator: SYNTH, windows: [window(ratios)], chosen: 0 }],
        singles: [],
        outputBytes: { [SYNTH]: 1024, [HELM]: 2048 },
      },
    ],
    editLoop: { warm: [sample(0.5)], edit: [sample(0.8)] },
    seconds: 60,
  });

  test('is rendered from the samples it embeds', () => {
    const page = renderMarkdown(data([1.4, 1.5, 1.6]));
    expect(embeddedData(page)).toEqual(data([1.4, 1.5, 1.6]));
    expect(renderMarkdown(embeddedData(page)!)).toBe(page);
    expect(page).toContain('| N=1: CPU ≤ 1.5× helm template (cdk8s-msa, the synth command) | 1.50×');
  });

  test('names every figure measured with a spread over the limit, which --check refuses', () => {
    expect(overSpread(data([1.4, 1.5, 1.6]))).toEqual([]);
    expect(overSpread(data([1, 1.5, 2]))).toEqual([`N=1 ${SYNTH}: spread 33 %`]);
  });
});
