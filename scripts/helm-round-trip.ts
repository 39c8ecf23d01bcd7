import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HealthCheck, MicroserviceSystem, MsaEnvironments, Storage, Target } from '../lib';
import { environmentsIn } from '../cli/output';
import { EXAMPLES } from '../apps/examples';
import { exampleTarget } from '../apps/targets';
import { helmBinary } from './bench/measure';

/**
 * `npm run test:helm`: the Helm chart output (`helmChart`) round trip. Synthesizes the example apps
 * for every built-in target with a chart per environment, plus a system whose config file and env
 * hold Go template text (`{{ .Values.x }}`, which Helm would otherwise evaluate), then for each
 * environment runs `helm lint --strict` on the chart and `helm template` on it, and compares what
 * Helm renders with the manifests object by object, byte for byte (Helm prints each object as its
 * template holds it, trimmed, ordered by its install order). helm is the benchmark's, from the npm
 * package that ships it (scripts/bench/measure.ts).
 */
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The documents of a multi-document YAML text, trimmed as Helm trims them. */
function documents(text: string): string[] {
  return text
    .split(/^---$/m)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

/** The objects `helm template` printed, without its `# Source:` lines. */
function rendered(text: string): string[] {
  return documents(text).map((d) => d.replace(/^# Source: [^\n]*\n/, '').trim());
}

/** A system whose text Helm would read as template actions, were it not escaped. */
function templating(app: MsaEnvironments): void {
  const system = new MicroserviceSystem(app.add('templating'), 'templating', { target: Target.kind() });
  system.addService('render', {
    image: 'ghcr.io/acme/render:1.0.0',
    port: 8080,
    healthCheck: HealthCheck.http('/healthz'),
    volumes: [
      Storage.config('templates', {
        mountPath: '/etc/render',
        files: { 'page.tmpl': '{{ .Values.title }} {{- if .Ok }}yes{{ end }}\n{{"{{"}} }}}} {{{{' },
      }),
    ],
    args: ['--greeting={{ .Name }}'],
  });
}

function main(): number {
  const helm = helmBinary();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-helm-'));
  const mismatches: string[] = [];
  let objects = 0;
  try {
    const environments = new MsaEnvironments({
      outdir: path.join(work, 'dist'),
      reporter: { warn: () => undefined },
      helmChart: { name: 'examples', version: '0.1.0', appVersion: '1.0.0', outdir: path.join(work, 'charts') },
    });
    for (const id of Target.BUILT_IN_IDS) {
      const app = environments.add(id);
      for (const build of EXAMPLES) build(app, exampleTarget(id));
    }
    templating(environments);
    environments.synth();
    const names = environmentsIn(path.join(work, 'dist'));
    for (const name of names) {
      const chart = path.join(work, 'charts', name);
      execFileSync(helm, ['lint', '--strict', chart], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const output = execFileSync(helm, ['template', name, chart], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
      const dir = path.join(work, 'dist', name);
      const expected = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.k8s.yaml'))
        .sort()
        .flatMap((f) => documents(fs.readFileSync(path.join(dir, f), 'utf8')));
      const got = rendered(output);
      const missing = expected.filter((d) => !got.includes(d));
      const extra = got.filter((d) => !expected.includes(d));
      if (got.length !== expected.length || missing.length > 0 || extra.length > 0) {
        mismatches.push(
          `${name}: helm template rendered ${got.length} object(s), the manifests hold ${expected.length}; ` +
            `first differing:\n--- manifest\n${missing[0] ?? '(none)'}\n--- helm\n${extra[0] ?? '(none)'}`,
        );
      } else {
        objects += got.length;
        log(`✓ ${name}: helm lint --strict passed; helm template renders its ${got.length} objects byte for byte`);
      }
    }
    for (const m of mismatches) log(`✗ ${m}`);
    log(
      `test:helm: ${names.length} charts, ${objects} objects byte for byte, ${mismatches.length} mismatches (helm ${execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim()})`,
    );
    return mismatches.length === 0 ? 0 : 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (e: any) {
  process.stderr.write(`test:helm failed: ${e.stderr || e.stdout || e.message}\n`);
  process.exitCode = 1;
}
