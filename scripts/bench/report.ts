import * as crypto from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { GcShare } from './gc-share';
import { Sample } from './measure';
import { figures, median, RatioResult, WindowFigures } from './pairs';

/** Runs of a generator that is not paired with helm (shown for scale). */
export interface GeneratorResult {
  readonly name: string;
  readonly samples: Sample[];
}

/** One size of the reference system. */
export interface SizeResult {
  readonly services: number;
  readonly objects: number;
  /** The library's commands, each paired with helm template. */
  readonly ratios: RatioResult[];
  /** The other generators, from the run that checked their output. */
  readonly singles: GeneratorResult[];
  /** Output size of each generator, bytes. */
  readonly outputBytes: { readonly [generator: string]: number };
  /** Garbage collection in runs of the synth command (measured from N=1000 up). */
  readonly gc?: GcShare[];
}

/** Everything docs/benchmarks.md shows; it is rendered from this alone, and embeds it. */
export interface BenchData {
  readonly format: 2;
  readonly machine: string;
  /** The command line the synth command's generator ran (`<app>` for the reference app). */
  readonly synthCommand: string;
  readonly pairsPerWindow: { readonly [services: string]: number };
  readonly maxWindows: { readonly [services: string]: number };
  /** The largest spread of a figure's window that `--check` accepts. */
  readonly spreadLimit: number;
  /** Hash of the sources the benchmark ran (see `sourceHash`). */
  readonly sourceHash: string;
  readonly sizes: SizeResult[];
  /** `npm run synth` of the example apps, every target: on a warm tree, and right after an edit. */
  readonly editLoop: { readonly warm: Sample[]; readonly edit: Sample[] };
  /** How long the whole run took, seconds. */
  readonly seconds: number;
}

/** Generator names the tables and goals refer to. */
export const SYNTH = 'cdk8s-msa, the synth command';
export const PLAIN_NODE = 'cdk8s-msa, plain node';
export const L2 = 'cdk8s-plus-27 L2';
export const PLAIN = 'plain cdk8s ApiObjects';
export const HELM = 'helm template';
export const FLOOR = 'floor (JS → js-yaml)';

const DEPENDENCIES = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'js-yaml', 'yaml', 'esbuild'];

/**
 * What "the current code" means for the benchmark: the TypeScript sources of every library and app
 * module the benchmark loads (found by loading them), the synth command's runner and build, the
 * benchmark's own scripts and chart, the package.json lines that run them and the versions of the
 * runtime dependencies. Editing any of them makes the committed numbers stale until `npm run
 * bench` runs again.
 */
export function sourceHash(repo: string, helmPackage: string): string {
  const build = path.join(repo, 'build');
  const load = createRequire(__filename);
  for (const entry of ['build/lib/index.js', 'build/apps/shop.js', 'build/scripts/bench/reference.js'])
    load(path.join(repo, entry));
  const loaded = Object.keys(load.cache)
    .filter((f) => f.startsWith(`${build}/lib/`) || f.startsWith(`${build}/apps/`))
    .map((f) => path.relative(build, f).replace(/\.js$/, '.ts'));
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(path.join(repo, dir), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const files = [
    ...new Set([
      ...loaded,
      'apps/main.ts',
      'cli/bundled-synth.ts',
      'cli/bundle-build.ts',
      'scripts/build-if-stale.mjs',
      ...walk('scripts/bench'),
      ...walk('bench'),
    ]),
  ].sort();
  const hash = crypto.createHash('sha256');
  for (const file of files)
    hash.update(
      `${file}\0${crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(repo, file)))
        .digest('hex')}\n`,
    );
  const scripts = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts;
  hash.update(`scripts\0${scripts.synth}\0${scripts.bench}\n`);
  for (const dep of DEPENDENCIES)
    hash.update(
      `${dep}\0${JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', dep, 'package.json'), 'utf8')).version}\n`,
    );
  hash.update(`helm\0${helmPackage}\n`);
  return `${hash.digest('hex').slice(0, 16)} (${files.length} files)`;
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const loadRange = (f: { loadMin: number; loadMax: number }) => `${f2(f.loadMin)}–${f2(f.loadMax)}`;

/** `5 windows at N=1, 100, 1000; 3 windows at N=5000, 10000`: the window limits by size. */
function windowLimits(data: BenchData): string {
  const sizes = Object.keys(data.maxWindows).map(Number);
  const limits = [...new Set(sizes.map((n) => data.maxWindows[n]))];
  return limits
    .map((limit) => `${limit} windows at N=${sizes.filter((n) => data.maxWindows[n] === limit).join(', ')}`)
    .join('; ');
}

/** The figures of a ratio: its chosen window's. */
export const chosenFigures = (r: RatioResult): WindowFigures => figures(r.windows[r.chosen]);
const ratioOf = (size: SizeResult | undefined, name: string) => size?.ratios.find((r) => r.generator === name);

/** Every ratio whose chosen window is spread over the limit: the page may not stand on them. */
export function overSpread(data: BenchData): string[] {
  return data.sizes.flatMap((size) =>
    size.ratios
      .filter((r) => chosenFigures(r).cpuSpread > data.spreadLimit)
      .map((r) => `N=${size.services} ${r.generator}: spread ${pct(chosenFigures(r).cpuSpread)}`),
  );
}

/** docs/benchmarks.md, rendered from the data alone (the check re-renders it and compares). */
export function renderMarkdown(data: BenchData): string {
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (scripts/bench/). Do not edit: `npm run bench -- --check` (in CI) re-renders this page from the raw samples at its end and fails on any difference, when the sources it was measured from changed, or when a figure was measured with a spread over the limit. -->',
    '',
    `Written by \`npm run bench\` in ${(data.seconds / 60).toFixed(1)} min. Machine: ${data.machine}. Sources: ${data.sourceHash}.`,
    '',
    'The workload is the reference system of scripts/bench/reference.ts: N services, each a Deployment, Service (LoadBalancer), 1Gi PVC, HPA, ' +
      'ServiceAccount, PodDisruptionBudget and NetworkPolicy, plus a Namespace and two NetworkPolicies: 7N + 3 objects. ' +
      "Every generator runs as a whole process, start-up included, and emits the library's exact objects (checked at every size by comparing the parsed output), except the L2 baseline, which emits the same kinds, as many of each.",
    '',
    `- **${SYNTH}**: \`${data.synthCommand}\`, the way \`npm run synth\`, cdk8s.yaml and the app-repo template run an app: the bundled synth path with the synth command's node flags.`,
    `- **${PLAIN_NODE}**: \`node build/scripts/bench/run-ours.js\`, the compiled app under plain \`node\`: no bundle, no flags.`,
    `- **${HELM}**: bench/helm, a chart emitting the library's exact objects.`,
    `- **${L2}**: the same services written with cdk8s-plus-27's L2 constructs, \`app.synth()\` (scripts/bench/run-plus.ts).`,
    `- **${PLAIN}**: the library's exact objects as cdk8s \`ApiObject\`s, \`app.synth()\` with cdk8s's \`yaml\` serializer.`,
    `- **${FLOOR}**: the library's exact objects as plain JS through the library's serializer: no constructs, no validation.`,
    '',
    "**How a ratio is measured.** The machine is shared (2 cores, other builds running), and helm's CPU time moves with the load as much as the library's. " +
      'So each ratio over helm is measured as interleaved pairs — the library, then helm, then the library … — in one window of time: both runs of a pair meet the same load. ' +
      `The figure is the window's median pair ratio; its **spread** is the interquartile range of the pair ratios over their median. A window spread over ${pct(data.spreadLimit)} is measured again, at most ${windowLimits(data)}; ` +
      `the figures come from the first window within ${pct(data.spreadLimit)} (else the least spread, marked). ` +
      "**CPU** is user + system time of the process and its threads (bash `time` around `wait`, 1 ms resolution); **wall** depends on the load, shown as the 1-minute load average over the window; **peak RSS** is the process's VmHWM, sampled every 2 ms.",
    '',
    '| N | objects | generator | CPU s, ours / helm | CPU ratio | spread | pair ratios min–max | wall ratio | peak RSS MB, ours / helm | load avg | window |',
    '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of data.sizes) {
    for (const r of size.ratios) {
      const f = chosenFigures(r);
      const within = f.cpuSpread <= data.spreadLimit;
      lines.push(
        `| ${size.services} | ${size.objects} | ${r.generator} | ${f3(f.oursCpu)} / ${f3(f.helmCpu)} | ${f2(f.cpuRatio)}× | ` +
          `${within ? pct(f.cpuSpread) : `**${pct(f.cpuSpread)}**`} | ${f2(f.cpuRatioMin)}–${f2(f.cpuRatioMax)}× | ${f2(f.wallRatio)}× | ` +
          `${f.oursRss.toFixed(0)} / ${f.helmRss.toFixed(0)} | ${loadRange(f)} | ${r.chosen + 1} of ${r.windows.length}, ${r.windows[r.chosen].pairs.length} pairs${within ? '' : ' (limit not reached)'} |`,
      );
    }
  }
  lines.push(...gcShares(data), ...singles(data), ...goals(data), ...editLoop(data));
  lines.push(
    '',
    '<!-- Raw samples: every number above is computed from them. -->',
    `<!-- bench-data ${JSON.stringify(data)} -->`,
    '',
  );
  return lines.join('\n');
}

/** Garbage collection's share of the synth command's CPU: the run of median share of those with --trace-gc. */
function gcShares(data: BenchData): string[] {
  const measured = data.sizes.filter((s) => s.gc !== undefined && s.gc.length > 0);
  if (measured.length === 0) return [];
  const share = (g: GcShare) => g.gc / g.cpu;
  const medianRun = (runs: GcShare[]) => [...runs].sort((a, b) => share(a) - share(b))[Math.floor(runs.length / 2)];
  return [
    '',
    `Garbage collection in the synth command: the main thread's GC pauses (\`--trace-gc\`) over the CPU time of the same run, in ${measured[0].gc!.length} more runs per size; the run of median share is shown, the range beside it. ` +
      "A pause is wall time, so it grows with the load; collector work on V8's background threads is in the CPU but not in the pauses.",
    '',
    '| N | GC pauses s | of which scavenges s | CPU s | GC share | range of the runs |',
    '|---:|---:|---:|---:|---:|---:|',
    ...measured.map((s) => {
      const m = medianRun(s.gc!);
      const shares = s.gc!.map(share);
      return `| ${s.services} | ${f2(m.gc)} | ${f2(m.scavenge)} | ${f2(m.cpu)} | ${pct(share(m))} | ${pct(Math.min(...shares))}–${pct(Math.max(...shares))} |`;
    }),
  ];
}

/** The generators run once per size, for scale. */
function singles(data: BenchData): string[] {
  const rows = data.sizes.flatMap((size) =>
    size.singles.map((g) => {
      const m = (key: 'cpu' | 'wall') => median(g.samples.map((s) => s[key]));
      const rss = Math.max(...g.samples.map((s) => s.rssMb));
      const loads = g.samples.map((s) => s.load);
      return (
        `| ${size.services} | ${g.name} | ${f2(m('cpu'))} | ${f2(m('wall'))} | ${rss.toFixed(0)} | ` +
        `${(size.outputBytes[g.name] / 1024).toFixed(0)} | ${f2(Math.min(...loads))}–${f2(Math.max(...loads))} |`
      );
    }),
  );
  const bytes = (size: SizeResult, name: string) => `${(size.outputBytes[name] / 1024).toFixed(0)} KB`;
  return [
    '',
    `Other generators, for scale: one run each (the one that checked its output; not paired, so read them with the load beside them). ` +
      `Output sizes: the library ${data.sizes.map((s) => `${bytes(s, SYNTH)} at N=${s.services}`).join(', ')}; helm's is ${data.sizes.map((s) => bytes(s, HELM)).join(', ')} (it quotes more).`,
    '',
    '| N | generator | CPU s | wall s | peak RSS MB | output KB | load avg |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}

/** The goals of issue #29, judged from the figures above. */
function goals(data: BenchData): string[] {
  const at = (services: number) => data.sizes.find((s) => s.services === services);
  const row = (goal: string, value: number | undefined, limit: number, unit: string, note = '') =>
    value === undefined
      ? `| ${goal} | not measured | – |`
      : `| ${goal} | ${f2(value)}${unit}${note} | ${value <= limit ? 'met' : `**missed**: ${f2(value / limit)}× the limit`} |`;
  const ratioGoal = (services: number, limit: number) => {
    const r = ratioOf(at(services), SYNTH);
    const f = r && chosenFigures(r);
    return row(
      `N=${services}: CPU ≤ ${limit}× helm template (${SYNTH})`,
      f?.cpuRatio,
      limit,
      '×',
      f ? ` (spread ${pct(f.cpuSpread)}, load ${loadRange(f)})` : '',
    );
  };
  const peak = (services: number, name: string) => {
    const r = ratioOf(at(services), name);
    return r && Math.max(...r.windows[r.chosen].pairs.map((p) => p.ours.rssMb));
  };
  const big = ratioOf(at(10000), SYNTH);
  const bigFigures = big && chosenFigures(big);
  const editWall = data.editLoop.edit.length ? median(data.editLoop.edit.map((s) => s.wall)) : undefined;
  return [
    '',
    'Goals (issue #29), judged from the figures above:',
    '',
    '| goal | measured | result |',
    '|---|---:|---|',
    ratioGoal(1, 1.5),
    ratioGoal(1000, 0.6),
    ratioGoal(5000, 0.5),
    ratioGoal(10000, 0.5),
    row(
      `N=10000: peak RSS ≤ helm template's (${SYNTH}; median of the window's peaks, over helm's)`,
      bigFigures && bigFigures.oursRss / bigFigures.helmRss,
      1,
      '×',
      bigFigures ? ` (${bigFigures.oursRss.toFixed(0)} MB vs ${bigFigures.helmRss.toFixed(0)} MB)` : '',
    ),
    row(`N=1000: peak RSS ≤ 100 MB (${SYNTH}; highest of the window)`, peak(1000, SYNTH), 100, ' MB'),
    row(`N=1000: peak RSS ≤ 100 MB (${PLAIN_NODE}; highest of the window)`, peak(1000, PLAIN_NODE), 100, ' MB'),
    row('edit → `npm run synth` ≤ 1.0 s (wall, median)', editWall, 1.0, ' s'),
  ];
}

function editLoop(data: BenchData): string[] {
  const row = (label: string, samples: Sample[]) =>
    `| ${label} | ${f2(median(samples.map((s) => s.cpu)))} | ${f2(median(samples.map((s) => s.wall)))} | ` +
    `${f2(Math.min(...samples.map((s) => s.wall)))}–${f2(Math.max(...samples.map((s) => s.wall)))} | ` +
    `${f2(Math.min(...samples.map((s) => s.load)))}–${f2(Math.max(...samples.map((s) => s.load)))} |`;
  return [
    '',
    `\`npm run synth\`: the three example apps for every built-in target (CPU includes npm and every process the command starts), ${data.editLoop.warm.length} runs each, alternating: ` +
      "on a warm tree, and right after an edit (a new mtime on lib/output/app.ts and apps/main.ts, as an editor's save gives), which rebuilds the app's bundle and runs it without its code cache.",
    '',
    '| command | CPU s | wall s | wall min–max s | load avg |',
    '|---|---:|---:|---:|---:|',
    row('`npm run synth`, warm tree', data.editLoop.warm),
    row('edit → `npm run synth`', data.editLoop.edit),
  ];
}

/** The data embedded in a rendered page, or undefined when there is none. */
export function embeddedData(markdown: string): BenchData | undefined {
  const match = /^<!-- bench-data (.*) -->$/m.exec(markdown);
  return match ? JSON.parse(match[1]) : undefined;
}
