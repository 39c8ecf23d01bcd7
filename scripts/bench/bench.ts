import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { GcShare, measureGcShare } from './gc-share';
import { HELM_PACKAGE, helmBinary, measure, Sample } from './measure';
import { figures, measurePairs, RatioResult } from './pairs';
import { synthNodeFlags } from '../synth-flags';
import {
  BenchData,
  embeddedData,
  FLOOR,
  GeneratorResult,
  HELM,
  L2,
  overSpread,
  PLAIN,
  PLAIN_NODE,
  renderMarkdown,
  SizeResult,
  sourceHash,
  SYNTH,
} from './report';

/**
 * `npm run bench`: synthesizes the reference system (scripts/bench/reference.ts) at several sizes
 * with the library through the synth command (the bundled path with its node flags) and under
 * plain node, with `helm template` of an equivalent chart, and — for scale — with cdk8s-plus-27's
 * L2 constructs, plain cdk8s ApiObjects and a plain-JS floor; checks the outputs are equivalent;
 * measures each of the library's commands against helm as interleaved pairs in windows until a
 * window's spread is within the limit (scripts/bench/pairs.ts); times `npm run synth` on a warm
 * tree and right after an edit; then writes docs/benchmarks.md (rendered only from the recorded
 * samples, which it embeds). Prints every pair as it goes.
 *
 * Bounded: at most `maxWindows` windows per ratio, and the L2 and ApiObjects baselines (about 40 s a
 * run at N=10,000) only up to N=5000. A full run takes about 7 minutes on the 2-core machine when
 * every first window holds, and at most about 25 when none does.
 *
 * Options: --sizes 1,100,1000,5000,10000 (default); --check verifies, without timing anything, that
 * docs/benchmarks.md is exactly what the script renders from its embedded samples, that it was
 * measured from the current sources and that no figure's spread is over the limit; --record
 * rewrites the equivalents (bench/reference-service.json and the chart's templates) from the
 * library's output.
 */
const repo = path.resolve(__dirname, '../../..');
const doc = path.join(repo, 'docs/benchmarks.md');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = option('--sizes', '1,100,1000,5000,10000').split(',').map(Number);
const SPREAD_LIMIT = 0.1;
/** Windows per ratio at most: more where a window costs seconds, 3 where it costs minutes. */
const maxWindows = (services: number) => (services <= 1000 ? 5 : 3);
/** Pairs per window: more where a pair costs little. */
const pairsPerWindow = (services: number) => (services <= 100 ? 9 : services <= 1000 ? 7 : 5);
/** The L2 and ApiObjects baselines take about 40 s a run at N=10,000: run only up to here. */
const BASELINES_UP_TO = 5000;
/** The plain-node command is paired with helm up to here (its peak memory at N=1000 is a goal); above, it runs once. */
const PLAIN_NODE_PAIRED_UP_TO = 1000;
/** Garbage collection is measured from this size up, where it is a cost worth reading. */
const GC_FROM = 1000;
/** GC runs per size: one collection more or less (a mark-compact under load) moves a single run's share by half. */
const GC_RUNS = 3;
const RUNNER = 'build/cli/bundled-synth.js';
const REFERENCE_APP = 'scripts/bench/run-ours.ts';

const started = Date.now();
const log = (line: string) => {
  const s = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`[${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] ${line}\n`);
};

interface Generator {
  readonly name: string;
  readonly exact: boolean;
  /** Whether it runs at this size. */
  readonly runsAt: (services: number) => boolean;
  run(services: number, outdir: string): Promise<Sample>;
}

function generators(helm: string): Generator[] {
  const node =
    (argv: string[]): Generator['run'] =>
    (services, outdir) =>
      measure(process.execPath, [...argv, String(services), outdir], { cwd: repo });
  const always = () => true;
  return [
    { name: SYNTH, exact: true, runsAt: always, run: node([...synthNodeFlags(repo), RUNNER, REFERENCE_APP]) },
    { name: PLAIN_NODE, exact: true, runsAt: always, run: node(['build/scripts/bench/run-ours.js']) },
    {
      name: HELM,
      exact: true,
      runsAt: always,
      run: (services, outdir) => {
        fs.mkdirSync(outdir, { recursive: true });
        return measure(helm, ['template', 'bench', path.join(repo, 'bench/helm'), '--set', `services=${services}`], {
          cwd: repo,
          stdoutFile: path.join(outdir, 'bench.k8s.yaml'),
        });
      },
    },
    { name: L2, exact: false, runsAt: (n) => n <= BASELINES_UP_TO, run: node(['build/scripts/bench/run-plus.js']) },
    { name: PLAIN, exact: true, runsAt: (n) => n <= BASELINES_UP_TO, run: node(['build/scripts/bench/run-cdk8s.js']) },
    { name: FLOOR, exact: true, runsAt: always, run: node(['build/scripts/bench/run-floor.js']) },
  ];
}

/** Parsed objects of an output directory. */
function objectsIn(outdir: string): any[] {
  return fs
    .readdirSync(outdir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(outdir, f), 'utf8')) as any[])
    .filter(Boolean);
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  return value;
}

const canonical = (objects: any[]) => JSON.stringify(objects.map((o) => JSON.stringify(sortKeys(o))).sort());
const kindCounts = (objects: any[]) => JSON.stringify(objects.map((o) => o.kind).sort());
const bytesIn = (outdir: string) =>
  fs
    .readdirSync(outdir)
    .filter((f) => f.endsWith('.yaml'))
    .reduce((n, f) => n + fs.statSync(path.join(outdir, f)).size, 0);

/**
 * Fairness: exact generators emit the library's objects; the L2 baseline the same kinds, as many
 * of each. Each generator's checked run is also its warm-up (the synth command's first run builds
 * its bundle), and the one sample of the generators not paired with helm.
 */
async function checkOutputs(gens: Generator[], services: number, work: string) {
  const bytes: { [name: string]: number } = {};
  const samples = new Map<string, Sample>();
  let expected: any[] = [];
  for (const [i, g] of gens.entries()) {
    const dir = path.join(work, `check-${services}-${i}`);
    samples.set(g.name, await g.run(services, dir));
    const objects = objectsIn(dir);
    bytes[g.name] = bytesIn(dir);
    if (i === 0) expected = objects;
    else if (g.exact ? canonical(objects) !== canonical(expected) : kindCounts(objects) !== kindCounts(expected)) {
      throw new Error(
        `${g.name} does not emit ${g.exact ? "the library's objects" : 'the same kinds'} at N=${services} (${objects.length} vs ${expected.length} objects); re-record bench/ with --record`,
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
    log(
      `N=${services}: checked ${g.name} (${samples.get(g.name)!.cpu.toFixed(2)} s CPU, load ${samples.get(g.name)!.load.toFixed(2)})`,
    );
  }
  return { objects: expected.length, bytes, samples };
}

const rounded = (s: Sample): Sample => ({
  wall: +s.wall.toFixed(3),
  cpu: +s.cpu.toFixed(3),
  rssMb: +s.rssMb.toFixed(1),
  load: +s.load.toFixed(2),
});

async function measureSize(gens: Generator[], services: number, work: string): Promise<SizeResult> {
  const present = gens.filter((g) => g.runsAt(services));
  const { objects, bytes, samples } = await checkOutputs(present, services, work);
  const byName = (name: string) => present.find((g) => g.name === name)!;
  const once = (g: Generator) => async () => {
    const dir = path.join(work, `run-${services}-${g.name.replace(/\W+/g, '')}`);
    const sample = rounded(await g.run(services, dir));
    fs.rmSync(dir, { recursive: true, force: true });
    return sample;
  };
  const paired = [SYNTH, ...(services <= PLAIN_NODE_PAIRED_UP_TO ? [PLAIN_NODE] : [])];
  const ratios: RatioResult[] = [];
  for (const name of paired) {
    const options = { pairsPerWindow: pairsPerWindow(services), maxWindows: maxWindows(services), limit: SPREAD_LIMIT };
    const result = await measurePairs(name, once(byName(name)), once(byName(HELM)), options, (w, i, p) =>
      log(
        `N=${services} ${name} / helm, window ${w + 1}, pair ${i + 1}/${options.pairsPerWindow}: ` +
          `${p.ours.cpu.toFixed(3)} / ${p.helm.cpu.toFixed(3)} s CPU = ${(p.ours.cpu / p.helm.cpu).toFixed(2)}×, load ${p.helm.load.toFixed(2)}`,
      ),
    );
    const f = figures(result.windows[result.chosen]);
    log(
      `N=${services} ${name} / helm: ${f.cpuRatio.toFixed(2)}× CPU, spread ${(f.cpuSpread * 100).toFixed(0)} %` +
        `${f.cpuSpread > SPREAD_LIMIT ? ` (over ${SPREAD_LIMIT * 100} % after ${maxWindows(services)} windows)` : ''}`,
    );
    ratios.push(result);
  }
  const gc: GcShare[] = [];
  for (let run = 0; services >= GC_FROM && run < GC_RUNS; run++) {
    gc.push(
      await measureGcShare(
        [...synthNodeFlags(repo), RUNNER, REFERENCE_APP, String(services), path.join(work, 'gc')],
        repo,
      ),
    );
    log(`N=${services} ${SYNTH}: GC pauses ${gc[run].gc.toFixed(2)} s of ${gc[run].cpu.toFixed(2)} s CPU`);
  }
  const singles: GeneratorResult[] = present
    .filter((g) => g.name !== HELM && !paired.includes(g.name))
    .map((g) => ({ name: g.name, samples: [rounded(samples.get(g.name)!)] }));
  return { services, objects, ratios, singles, outputBytes: bytes, ...(gc.length > 0 ? { gc } : {}) };
}

/** `npm run synth` of the example apps on a warm tree and right after an edit, alternating, after a warm-up of each. */
async function measureEditLoop(work: string, runs: number): Promise<BenchData['editLoop']> {
  const env = { ...process.env, CDK8S_OUTDIR: path.join(work, 'synth') };
  const synth = () => measure('npm', ['run', '--silent', 'synth'], { cwd: repo, env });
  const edit = () => {
    const now = new Date();
    for (const file of ['lib/output/app.ts', 'apps/main.ts']) fs.utimesSync(path.join(repo, file), now, now);
    return synth();
  };
  const warm: Sample[] = [];
  const edited: Sample[] = [];
  for (let round = 0; round <= runs; round++) {
    const a = await synth();
    const b = await edit();
    if (round === 0) continue;
    warm.push(rounded(a));
    edited.push(rounded(b));
    log(
      `npm run synth ${round}/${runs}: warm ${a.wall.toFixed(2)} s, after an edit ${b.wall.toFixed(2)} s wall, load ${b.load.toFixed(2)}`,
    );
  }
  return { warm, edit: edited };
}

/** Records the library's output for one service as the equivalents' source. */
async function record(work: string): Promise<void> {
  const dir = path.join(work, 'record');
  await measure(process.execPath, [path.join(repo, 'build/scripts/bench/run-ours.js'), '1', dir], { cwd: repo });
  const text = fs.readFileSync(path.join(dir, 'bench.k8s.yaml'), 'utf8');
  const docs = text.split(/^---\n/m);
  const isService = (d: string) => d.includes('svc-0');
  const objects = yaml.loadAll(text) as any[];
  fs.writeFileSync(
    path.join(repo, 'bench/reference-service.json'),
    `${JSON.stringify(
      {
        system: objects.filter((o) => !isService(JSON.stringify(o))),
        service: objects.filter((o) => isService(JSON.stringify(o))),
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(
    path.join(repo, 'bench/helm/templates/system.yaml'),
    docs.filter((d) => !isService(d)).join('---\n'),
  );
  const body = docs
    .filter(isService)
    .map((d) => d.replace(/svc-0/g, '{{ $name }}'))
    .join('---\n')
    .trimEnd();
  fs.writeFileSync(
    path.join(repo, 'bench/helm/templates/services.yaml'),
    `{{- range $i := until (int .Values.services) }}\n{{- $name := printf "svc-%d" $i }}\n---\n${body}\n{{- end }}\n`,
  );
  process.stdout.write('recorded bench/reference-service.json and bench/helm/templates/\n');
}

/** `--check`: the committed page is the script's rendering of its own samples, measured from the current sources, within the spread limit. */
function check(): void {
  const committed = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
  const data = embeddedData(committed);
  const problems: string[] = [];
  if (!data || data.format !== 2)
    problems.push('it holds no bench-data block of this script, so it was not written by npm run bench');
  else {
    if (renderMarkdown(data) !== committed)
      problems.push(
        'its text differs from what the script renders from its own samples (edited by hand, or written by an older script)',
      );
    const current = sourceHash(repo, HELM_PACKAGE);
    if (data.sourceHash !== current)
      problems.push(`it was measured from other sources (${data.sourceHash}; now ${current})`);
    const spread = overSpread(data);
    if (spread.length > 0)
      problems.push(`figures were measured with a spread over ${data.spreadLimit * 100} %: ${spread.join('; ')}`);
  }
  if (problems.length > 0) {
    process.stderr.write(
      `docs/benchmarks.md is stale: ${problems.join('; ')}. Run npm run bench on the 2-core machine and commit it.\n`,
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(`docs/benchmarks.md is the script's output for the current sources (${data!.sourceHash})\n`);
  }
}

async function main(): Promise<void> {
  if (args.includes('--check')) return check();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-bench-'));
  try {
    if (args.includes('--record')) return await record(work);
    const helm = helmBinary();
    const helmVersion = execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim();
    const gens = generators(helm);
    log(
      `sizes ${sizes.join(', ')}; each ratio over helm in windows of interleaved pairs until the spread is within ${SPREAD_LIMIT * 100} % ` +
        `(at most 5 windows up to N=1000, 3 above): about 7 min on 2 cores, at most about 25`,
    );
    const results: SizeResult[] = [];
    for (const services of sizes) results.push(await measureSize(gens, services, work));
    const editLoop = await measureEditLoop(work, 5);
    const cpu = os.cpus();
    const machine = `${cpu.length} × ${cpu[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, helm ${helmVersion}`;
    const data: BenchData = {
      format: 2,
      machine,
      synthCommand: `node ${[...synthNodeFlags(repo), RUNNER].join(' ')} <app>`,
      pairsPerWindow: Object.fromEntries(sizes.map((n) => [String(n), pairsPerWindow(n)])),
      maxWindows: Object.fromEntries(sizes.map((n) => [String(n), maxWindows(n)])),
      spreadLimit: SPREAD_LIMIT,
      sourceHash: sourceHash(repo, HELM_PACKAGE),
      sizes: results,
      editLoop,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    fs.writeFileSync(doc, renderMarkdown(data));
    process.stdout.write(`${renderMarkdown(data).split('\n<!-- Raw samples')[0]}\nwrote docs/benchmarks.md\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exitCode = 1;
});
