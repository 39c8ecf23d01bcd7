import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Manifests, MicroserviceSystem, Target } from '../lib';
import { ExitCode, parseArgs, runCli } from '../lib/deploy';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-deploy-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function synthTo(out: string, target = Target.kind()): void {
  const app = new App();
  new MicroserviceSystem(app, 'shop', { target }).addService('api', { image: 'a/api:1.0.0', port: 8080 });
  Manifests.write(Manifests.synthesize(app), out);
}

/** Runs the CLI, returning its exit code and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { ...process.env, KUBECONFIG: path.join(dir, 'none') });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A kubeconfig whose contexts point at a closed port: enough for the checks before the cluster. */
function kubeconfig(current: string): string {
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', `current-context: "${current}"`,
    'clusters:', '- name: c', '  cluster: {server: "https://127.0.0.1:1"}',
    'users:', '- name: u', '  user: {token: x}',
    'contexts:', '- name: kind-shop', '  context: {cluster: c, user: u}',
    '- name: "arn:aws:eks:eu-west-1:123456789012:cluster/shop"', '  context: {cluster: c, user: u}', '',
  ].join('\n'));
  return file;
}

describe('argument parsing', () => {
  test('defaults', () => {
    expect(parseArgs(['deploy', '--target', 'kind'])).toEqual({
      command: 'deploy', target: 'kind', dir: path.join('dist', 'kind'), context: undefined, dryRun: false, wait: false,
      timeoutSeconds: 300, prune: true, allowContextMismatch: false, kubectl: 'kubectl', kubeconfig: undefined,
    });
  });

  test('every option, with = or a separate value', () => {
    expect(parseArgs(['diff', '--target=eks', '--context', 'ctx', '--dir', 'out/eks', '--dry-run', '--wait', '--timeout=60', '--no-prune', '--allow-context-mismatch', '--kubectl', '/bin/k', '--kubeconfig', '/k.yaml'])).toEqual({
      command: 'diff', target: 'eks', context: 'ctx', dir: 'out/eks', dryRun: true, wait: true, timeoutSeconds: 60,
      prune: false, allowContextMismatch: true, kubectl: '/bin/k', kubeconfig: '/k.yaml',
    });
  });

  test('help', async () => {
    expect(parseArgs(['--help'])).toBe('help');
    const { code, out } = await cli();
    expect(code).toBe(ExitCode.OK);
    expect(out).toContain('Usage: cdk8s-msa <deploy|diff> --target <id> [options]');
  });

  test.each([
    [['apply', '--target', 'kind'], 'cdk8s-msa: unknown command "apply"; allowed: deploy, diff. Hint: cdk8s-msa --help'],
    [['deploy'], 'cdk8s-msa: --target is required. Hint: cdk8s-msa deploy --target kind'],
    [['deploy', '--target', 'eks2'], 'cdk8s-msa: --target: received "eks2"; allowed: docker-desktop, kind, minikube, k3s, eks, eks-auto, gke, gke-autopilot, aks, openshift, rke2'],
    [['deploy', '--target', 'kind', '--timeout', '-5'], 'cdk8s-msa: --timeout: received "-5"; allowed: a positive number of seconds'],
    [['deploy', '--target', 'kind', '--context'], 'cdk8s-msa: --context needs a value. Hint: cdk8s-msa --help'],
    [['deploy', '--target', 'kind', '--force'], 'cdk8s-msa: unknown option "--force". Hint: cdk8s-msa --help'],
  ])('refuses %j', async (argv, message) => {
    expect(await cli(...argv)).toEqual({ code: ExitCode.REFUSED, out: '', err: message });
  });
});

describe('refusals before touching a cluster', () => {
  test('a missing output directory', async () => {
    const out = path.join(dir, 'kind');
    expect((await cli('deploy', '--target', 'kind', '--dir', out)).err).toBe(`cdk8s-msa: refusing ${out}: it does not exist. Hint: run \`npm run synth\` (or cdk8s synth) to write ${out}`);
  });

  test('an empty output directory', async () => {
    const out = path.join(dir, 'kind');
    fs.mkdirSync(out);
    expect(await cli('deploy', '--target', 'kind', '--dir', out)).toEqual({ code: ExitCode.REFUSED, out: '', err: `cdk8s-msa: refusing ${out}: it is empty. Hint: an empty apply with pruning would delete everything: synthesize first` });
  });

  test('an incomplete directory (no completion marker)', async () => {
    const out = path.join(dir, 'kind');
    synthTo(out);
    fs.rmSync(path.join(out, Manifests.OUTPUT_MARKER));
    expect((await cli('deploy', '--target', 'kind', '--dir', out)).err).toBe(`cdk8s-msa: refusing ${out}: it has no ${Manifests.OUTPUT_MARKER}, so it is incomplete or not produced by cdk8s-msa. Hint: synthesize again; a failed synth never writes the marker`);
  });

  test('output of another target', async () => {
    const out = path.join(dir, 'eks');
    synthTo(out, Target.eks());
    expect((await cli('deploy', '--target', 'kind', '--dir', out)).err).toBe(`cdk8s-msa: refusing ${out}: it was synthesized for target "eks", not "kind". Hint: use --target eks or --dir dist/kind`);
  });

  test('a manifest edited after synth', async () => {
    const out = path.join(dir, 'kind');
    synthTo(out);
    fs.appendFileSync(path.join(out, 'shop.k8s.yaml'), '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n');
    expect((await cli('deploy', '--target', 'kind', '--dir', out)).err).toBe(`cdk8s-msa: refusing ${out}: shop.k8s.yaml holds 9 objects, ${Manifests.OUTPUT_MARKER} says 8. Hint: synthesize again; the directory was changed after synth`);
  });

  test('a manifest that is not YAML', async () => {
    const out = path.join(dir, 'kind');
    synthTo(out);
    fs.writeFileSync(path.join(out, 'shop.k8s.yaml'), 'kind: [unclosed\n');
    expect((await cli('deploy', '--target', 'kind', '--dir', out)).err).toMatch(/^cdk8s-msa: refusing .*: shop.k8s.yaml is not valid YAML \(.+\)\. Hint: synthesize again; do not edit the output by hand$/);
  });

  test('a context that does not look like the target', async () => {
    const out = path.join(dir, 'eks');
    synthTo(out, Target.eks());
    const result = await cli('deploy', '--target', 'eks', '--dir', out, '--kubeconfig', kubeconfig('kind-shop'));
    expect(result).toEqual({ code: ExitCode.REFUSED, out: '', err: 'cdk8s-msa: context "kind-shop" does not look like target "eks" (expected something like "arn:aws:eks:eu-west-1:123456789012:cluster/shop"). Hint: pick the right context with --context, or pass --allow-context-mismatch if this really is a eks cluster' });
  });

  test('a context that does not exist', async () => {
    const out = path.join(dir, 'kind');
    synthTo(out);
    expect((await cli('deploy', '--target', 'kind', '--dir', out, '--kubeconfig', kubeconfig('kind-shop'), '--context', 'kind-other')).err)
      .toBe('cdk8s-msa: context "kind-other" does not exist; known: arn:aws:eks:eu-west-1:123456789012:cluster/shop, kind-shop');
  });

  test('a cluster that does not answer fails with kubectl\'s message', async () => {
    const out = path.join(dir, 'kind');
    synthTo(out);
    const result = await cli('deploy', '--target', 'kind', '--dir', out, '--kubeconfig', kubeconfig('kind-shop'));
    expect(result.code).toBe(ExitCode.FAILED);
    expect(result.err).toMatch(/^cdk8s-msa: reaching the cluster of context "kind-shop" failed:\n.*(connection refused|127\.0\.0\.1:1)/s);
  });

  test('a missing kubectl', async () => {
    const out = path.join(dir, 'kind');
    synthTo(out);
    expect((await cli('deploy', '--target', 'kind', '--dir', out, '--kubectl', path.join(dir, 'no-kubectl'))).err)
      .toBe(`cdk8s-msa: cannot run kubectl (${path.join(dir, 'no-kubectl')}): spawnSync ${path.join(dir, 'no-kubectl')} ENOENT. Hint: install kubectl or pass --kubectl <path>`);
  });
});
