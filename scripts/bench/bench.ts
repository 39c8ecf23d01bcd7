import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { HELM_PACKAGE, helmBinary, measure, Sample } from './measure';
import { synthNodeFlags } from '../synth-flags';
import {
  BenchData,
  embeddedData,
  FLOOR,
  GeneratorResult,
  HELM,
  L2,
  OURS,
  OURS_FLAG,
  PLAIN,
  renderMarkdown,
  SizeResult,
  sourceHash,
} from './report';

/**
 * `npm run bench`: synthesizes the reference system (scripts/bench/reference.ts) at several sizes
 * with the library, the same services written with cdk8s-plus-27's L2 constructs, the library's
 * exact objects as plain cdk8s ApiObjects, `helm template` of an equivalent chart and a plain-JS
 * floor; checks the outputs are equivalent; runs each generator several times, alternating, and
 * records CPU, wall time, peak RSS and the load average; times the example shop; then writes
 * docs/benchmarks.md (rendered only from the recorded samples, which it embeds).
 *
 * Options: --runs <n> (default 5); --sizes 1,100,1000,5000 (default); --check verifies, without
 * timing anything, that docs/benchmarks.md is exactly what the script renders from its embedded
 * samples and that it was measured from the current sources; --record rewrites the equivalents
 * (bench/reference-service.json and the chart's templates) from the library's output.
 */
const repo = path.resolve(__dirname, '../../..');
const doc = path.join(repo, 'docs/benchmarks.md');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option('--runs', '5'));
const sizes = option('--sizes', '1,100,1000,5000').split(',').map(Number);

interface Generator {
  readonly name: string;
  readonly exact: boolean;
  run(services: number, outdir: string): Promise<Sample>;
}

function generators(helm: string): Generator[] {
  const node =
    (script: string, flags: string[] = []): Generator['run'] =>
    (services, outdir) =>
      measure(process.execPath, [...flags, path.join(repo, 'build/scripts/bench', script), String(services), outdir], {
        cwd: repo,
      });
  return [
    { name: OURS, exact: true, run: node('run-ours.js') },
    { name: OURS_FLAG, exact: true, run: node('run-ours.js', synthNodeFlags(repo)) },
    { name: L2, exact: false, run: node('run-plus.js') },
    { name: PLAIN, exact: true, run: node('run-cdk8s.js') },
    {
      name: HELM,
      exact: true,
      run: (services, outdir) => {
        fs.mkdirSync(outdir, { recursive: true });
        return measure(helm, ['template', 'bench', path.join(repo, 'bench/helm'), '--set', `services=${services}`], {
          cwd: repo,
          stdoutFile: path.join(outdir, 'bench.k8s.yaml'),
        });
      },
    },
    { name: FLOOR, exact: true, run: node('run-floor.js') },
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

/** Fairness: exact generators emit the library's objects; the L2 baseline the same kinds, as many of each. */
async function checkOutputs(
  gens: Generator[],
  services: number,
  work: string,
): Promise<{ objects: number; bytes: Map<string, number> }> {
  const bytes = new Map<string, number>();
  let expected: any[] = [];
  for (const [i, g] of gens.entries()) {
    const dir = path.join(work, `check-${services}-${i}`);
    await g.run(services, dir);
    const objects = objectsIn(dir);
    bytes.set(g.name, bytesIn(dir));
    if (i === 0) expected = objects;
    else if (g.exact ? canonical(objects) !== canonical(expected) : kindCounts(objects) !== kindCounts(expected)) {
      throw new Error(
        `${g.name} does not emit ${g.exact ? "the library's objects" : 'the same kinds'} at N=${services} (${objects.length} vs ${expected.length} objects); re-record bench/ with --record`,
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { objects: expected.length, bytes };
}

async function measureSize(gens: Generator[], services: number, work: string): Promise<SizeResult> {
  const { objects, bytes } = await checkOutputs(gens, services, work);
  const samples = new Map<string, Sample[]>(gens.map((g) => [g.name, []]));
  // Alternate the order every round so no generator always runs on a warm or cold machine.
  for (let round = 0; round < runs; round++) {
    for (const g of round % 2 === 0 ? gens : [...gens].reverse()) {
      const dir = path.join(work, `run-${services}-${round}-${g.name.replace(/\W+/g, '')}`);
      samples.get(g.name)!.push(await g.run(services, dir));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const generatorResults: GeneratorResult[] = gens.map((g) => ({
    name: g.name,
    samples: samples.get(g.name)!.map(rounded),
    outputBytes: bytes.get(g.name)!,
  }));
  process.stdout.write(
    `N=${services}: ${generatorResults.map((g) => `${g.name} ${median(g.samples.map((s) => s.cpu)).toFixed(2)} s CPU`).join(', ')}\n`,
  );
  return { services, objects, generators: generatorResults };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rounded = (s: Sample): Sample => ({
  wall: +s.wall.toFixed(4),
  cpu: +s.cpu.toFixed(2),
  rssMb: +s.rssMb.toFixed(1),
  load: +s.load.toFixed(2),
});

/** The example shop, every target: the compiled app, and `npm run synth` the way a developer runs it. */
async function measureShop(work: string): Promise<BenchData['shop']> {
  const env = { ...process.env, CDK8S_OUTDIR: path.join(work, 'synth') };
  const app: Sample[] = [];
  const npm: Sample[] = [];
  for (let round = 0; round <= runs; round++) {
    const a = await measure(process.execPath, [path.join(repo, 'build/apps/main.js')], { cwd: repo, env });
    const b = await measure('npm', ['run', '--silent', 'synth'], { cwd: repo, env });
    if (round > 0) {
      app.push(rounded(a));
      npm.push(rounded(b));
    }
  }
  return { app, npm };
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

/** `--check`: the committed page is the script's rendering of its own samples, measured from the current sources. */
function check(): void {
  const committed = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
  const data = embeddedData(committed);
  const problems: string[] = [];
  if (!data) problems.push('it holds no bench-data block, so it was not written by npm run bench');
  else {
    if (renderMarkdown(data) !== committed)
      problems.push(
        'its text differs from what the script renders from its own samples (edited by hand, or written by an older script)',
      );
    const current = sourceHash(repo, HELM_PACKAGE);
    if (data.sourceHash !== current)
      problems.push(`it was measured from other sources (${data.sourceHash}; now ${current})`);
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
    const results: SizeResult[] = [];
    for (const services of sizes) results.push(await measureSize(gens, services, work));
    const shop = await measureShop(work);
    const cpu = os.cpus();
    const machine = `${cpu.length} × ${cpu[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, helm ${helmVersion}`;
    const data: BenchData = {
      runs,
      machine,
      synthFlags: synthNodeFlags(repo),
      sourceHash: sourceHash(repo, HELM_PACKAGE),
      sizes: results,
      shop,
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
