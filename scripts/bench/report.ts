import * as crypto from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { Sample } from './measure';

/** Every sample of one generator at one size. */
export interface GeneratorResult {
  readonly name: string;
  readonly samples: Sample[];
  /** Size of its output, bytes. */
  readonly outputBytes: number;
}

/** One size of the reference system. */
export interface SizeResult {
  readonly services: number;
  readonly objects: number;
  readonly generators: GeneratorResult[];
}

/** Everything docs/benchmarks.md shows; it is rendered from this alone, and embeds it. */
export interface BenchData {
  readonly runs: number;
  readonly machine: string;
  /** The node flags of `npm run synth` (and cdk8s.yaml's app command) the second row of the library ran with. */
  readonly synthFlags: string[];
  /** Hash of the sources the benchmark ran (see `sourceHash`). */
  readonly sourceHash: string;
  readonly sizes: SizeResult[];
  /** The example shop, all targets: the compiled app under node, and `npm run synth`. */
  readonly shop: { readonly app: Sample[]; readonly npm: Sample[] };
}

/** Generator names the tables and goals refer to. */
export const OURS = 'cdk8s-msa';
export const OURS_FLAG = "cdk8s-msa, npm run synth's node flags";
export const L2 = 'cdk8s-plus-27 L2';
export const PLAIN = 'plain cdk8s ApiObjects';
export const HELM = 'helm template';
export const FLOOR = 'floor (JS → js-yaml)';

const DEPENDENCIES = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'js-yaml', 'yaml'];

/**
 * What "the current code" means for the benchmark: the TypeScript sources of every library and app
 * module the benchmark loads (found by loading them), the benchmark's own scripts and chart, the
 * synth script, the package.json lines that run them and the versions of the runtime dependencies.
 * Editing any of them makes the committed numbers stale until `npm run bench` runs again.
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
    ...new Set([...loaded, 'apps/main.ts', 'scripts/build-if-stale.mjs', ...walk('scripts/bench'), ...walk('bench')]),
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const medianOf = (g: GeneratorResult, key: 'wall' | 'cpu') => median(g.samples.map((s) => s[key]));
const find = (size: SizeResult, name: string) => size.generators.find((g) => g.name === name)!;
const ratio = (size: SizeResult, a: string, b: string, key: 'wall' | 'cpu') =>
  medianOf(find(size, a), key) / medianOf(find(size, b), key);
const peakRss = (g: GeneratorResult) => Math.max(...g.samples.map((s) => s.rssMb));

/** docs/benchmarks.md, rendered from the data alone (the check re-renders it and compares). */
export function renderMarkdown(data: BenchData): string {
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (scripts/bench/). Do not edit: `npm run bench -- --check` (in CI) re-renders this page from the raw samples at its end and fails on any difference, or when the sources it was measured from changed. -->',
    '',
    `Written by \`npm run bench\`. Machine: ${data.machine}. Sources: ${data.sourceHash}.`,
    '',
    `Every generator runs as a whole process (start-up included), ${data.runs} run(s) each, alternating the order every round; the tables show medians. ` +
      "**CPU** is user + system time of the process (from the parent's cutime/cstime, 10 ms ticks); **wall** depends on what else the machine runs, " +
      "so the load average during the runs is shown too. **Peak RSS** is the process's VmHWM.",
    '',
    'The workload is the reference system of scripts/bench/reference.ts: N services, each a Deployment, Service (LoadBalancer), 1Gi PVC, HPA, ' +
      'ServiceAccount, PodDisruptionBudget and NetworkPolicy, plus a Namespace and two NetworkPolicies: 7N + 3 objects.',
    '',
    `- **${OURS}**: the library under plain \`node\`: build, validate, render, write atomically (\`Manifests.synthesize\` + \`Manifests.write\`).`,
    `- **${OURS_FLAG}**: the same, under \`node ${data.synthFlags.join(' ')}\`, as \`npm run synth\` and cdk8s.yaml's app command run it (and examples/app's). ` +
      '`--max-semi-space-size=8` trims peak memory. `--interrupt-budget=300000` makes V8 wait for more feedback before it compiles a function with TurboFan: ' +
      'a synth is a short batch job whose per-service code runs N times, and by default V8 spends more CPU compiling it early (on its background threads) than the compiled code saves.',
    `- **${L2}**: the same services written with cdk8s-plus-27's L2 constructs, as its users write them, \`app.synth()\` (scripts/bench/run-plus.ts). ` +
      "Same kinds and counts (checked); its objects carry fewer fields than the library's (compare the output size).",
    `- **${PLAIN}**: the library's exact objects as cdk8s \`ApiObject\`s, \`app.synth()\` with cdk8s's \`yaml\` serializer.`,
    `- **${HELM}**: bench/helm, a chart emitting the library's exact objects.`,
    `- **${FLOOR}**: the library's exact objects as plain JS, through the library's serializer: no constructs, no validation.`,
    '',
    "Exact objects are checked by comparing the parsed output with the library's at every size.",
    '',
    '| N | objects | generator | CPU s | wall s | wall min–max s | peak RSS MB | output KB |',
    '|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const size of data.sizes) {
    for (const g of size.generators) {
      const walls = g.samples.map((s) => s.wall);
      lines.push(
        `| ${size.services} | ${size.objects} | ${g.name} | ${f2(medianOf(g, 'cpu'))} | ${f2(medianOf(g, 'wall'))} | ` +
          `${f2(Math.min(...walls))}–${f2(Math.max(...walls))} | ${peakRss(g).toFixed(0)} | ${(g.outputBytes / 1024).toFixed(0)} |`,
      );
    }
  }
  lines.push(
    '',
    `Ratios of medians (${OURS}, plain node, over each other generator; below 1 means the library is faster):`,
    '',
    '| N | / helm CPU | / helm wall | / L2 CPU | / L2 wall | / ApiObjects CPU | / floor CPU | load avg (1 min) during runs |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const size of data.sizes) {
    const loads = size.generators.flatMap((g) => g.samples.map((s) => s.load));
    lines.push(
      `| ${size.services} | ${f2(ratio(size, OURS, HELM, 'cpu'))}× | ${f2(ratio(size, OURS, HELM, 'wall'))}× | ${f2(ratio(size, OURS, L2, 'cpu'))}× | ` +
        `${f2(ratio(size, OURS, L2, 'wall'))}× | ${f2(ratio(size, OURS, PLAIN, 'cpu'))}× | ${f2(ratio(size, OURS, FLOOR, 'cpu'))}× | ` +
        `${f2(Math.min(...loads))}–${f2(Math.max(...loads))} |`,
    );
  }
  lines.push(
    ...marginalCost(data),
    ...goals(data),
    ...shop(data),
    '',
    '<!-- Raw samples: every number above is computed from them. -->',
    `<!-- bench-data ${JSON.stringify(data)} -->`,
    '',
  );
  return lines.join('\n');
}

/** CPU per 1,000 additional objects between the two largest sizes: the cost of growth, start-up excluded. */
function marginalCost(data: BenchData): string[] {
  if (data.sizes.length < 2) return [];
  const [a, b] = data.sizes.slice(-2);
  const perThousand = (name: string) =>
    (medianOf(find(b, name), 'cpu') - medianOf(find(a, name), 'cpu')) / ((b.objects - a.objects) / 1000);
  return [
    '',
    `Marginal CPU per 1,000 objects, from N=${a.services} to N=${b.services}:`,
    '',
    '| generator | CPU s per 1,000 objects |',
    '|---|---:|',
    ...a.generators.map((g) => `| ${g.name} | ${f3(perThousand(g.name))} |`),
  ];
}

/** The goals of issue #18, judged from the numbers above. */
function goals(data: BenchData): string[] {
  const at = (services: number) => data.sizes.find((s) => s.services === services);
  const row = (goal: string, value: number, limit: number, unit: string) =>
    `| ${goal} | ${f2(value)}${unit} | ${value <= limit ? 'met' : `**missed**: ${f2(value / limit)}× the limit`} |`;
  const rows: string[] = [
    '',
    'Goals (issue #18), judged from the medians above:',
    '',
    '| goal | measured | result |',
    '|---|---:|---|',
  ];
  for (const [services, limit] of [
    [1000, 0.7],
    [5000, 0.7],
    [1, 2.0],
  ]) {
    const size = at(services);
    if (!size) continue;
    for (const name of [OURS, OURS_FLAG]) {
      for (const key of ['cpu', 'wall'] as const)
        rows.push(
          row(
            `N=${services}: ≤ ${limit}× helm template (${key === 'cpu' ? 'CPU' : 'wall'}; ${name})`,
            ratio(size, name, HELM, key),
            limit,
            '×',
          ),
        );
    }
  }
  const thousand = at(1000);
  if (thousand) {
    for (const name of [OURS, OURS_FLAG])
      rows.push(row(`N=1000: peak RSS ≤ 120 MB (${name})`, peakRss(find(thousand, name)), 120, ' MB'));
  }
  return rows;
}

function shop(data: BenchData): string[] {
  const row = (label: string, samples: Sample[], rss: string) =>
    `| ${label} | ${f2(median(samples.map((s) => s.cpu)))} | ${f2(median(samples.map((s) => s.wall)))} | ${rss} |`;
  return [
    '',
    `\`npm run synth\`: both example apps (the shop and the ledger) for every built-in target, median of ${data.runs} run(s) after a warm-up (CPU includes every process the command starts):`,
    '',
    '| command | CPU s | wall s | peak RSS MB |',
    '|---|---:|---:|---:|',
    row(
      '`node build/apps/main.js` (the compiled app)',
      data.shop.app,
      Math.max(...data.shop.app.map((s) => s.rssMb)).toFixed(0),
    ),
    row('`npm run synth` (npm, the build-is-current check, then the app)', data.shop.npm, '–'),
  ];
}

/** The data embedded in a rendered page, or undefined when there is none. */
export function embeddedData(markdown: string): BenchData | undefined {
  const match = /^<!-- bench-data (.*) -->$/m.exec(markdown);
  return match ? JSON.parse(match[1]) : undefined;
}
