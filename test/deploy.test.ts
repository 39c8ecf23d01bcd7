import { Size } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Manifests, MicroserviceSystem, MicroserviceSystemProps, MsaApp, Storage, Target } from '../lib';
import { parseArgs } from '../cli/args';
import { ExitCode } from '../cli/errors';
import { withHint } from '../cli/hints';
import { RunProcess, runProcess } from '../cli/kubectl';
import { runCli } from '../cli/main';
import { OUTPUT_MARKER } from '../lib/output/contract';

let dir: string;
/** Every kubectl call of the test so far, across its CLI runs. */
let callLog: Call[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-deploy-'));
  callLog = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Synthesizes a one-service system the user's way (MsaApp.synth) into `out`. */
function synthTo(
  out: string,
  target = Target.kind(),
  environment?: string,
  system: MicroserviceSystemProps = {},
): string {
  const app = new MsaApp({ outdir: out, environment, reporter: { warn: () => undefined } });
  new MicroserviceSystem(app, 'shop', { target, ...system }).addService('api', { image: 'a/api:1.0.0', port: 8080 });
  app.synth();
  return app.outputDirectory;
}

const lab = Target.custom({
  id: 'lab',
  description: 'our lab cluster',
  local: false,
  zones: true,
  storage: {},
  loadBalancer: { support: 'available' as any },
  ingress: { className: 'nginx' },
});

/**
 * How the fake kubectl answers: the first rule whose `match` is part of the command line wins.
 * It records every call: arguments, the applied file, KUBECTL_APPLYSET.
 */
interface Rule {
  readonly match: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly status?: number;
}
const deployment = (ready: boolean) =>
  JSON.stringify({
    metadata: { generation: 1 },
    spec: { replicas: 2 },
    status: ready
      ? { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }
      : { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0 },
  });
const healthyCluster: Rule[] = [
  { match: 'version --client', stdout: '{}' },
  { match: 'config get-contexts', stdout: 'kind-shop\nlab-admin\n' },
  { match: 'config current-context', stdout: 'kind-shop\n' },
  { match: 'version -o json', stdout: '{"serverVersion":{"gitVersion":"v1.33.1"}}' },
  { match: 'get nodes', stdout: 'node/n1\nnode/n2\n' },
  { match: 'get namespace shop', stdout: 'namespace/shop\n' },
  { match: 'apply', stdout: 'applied\n' },
  { match: 'get deployment', stdout: deployment(true) },
  { match: 'get pods', stdout: '{"items":[]}' },
];
interface Call {
  readonly args: string[];
  readonly input?: string;
  readonly applyset?: string;
}

/**
 * An in-process fake of the default `kubectl`: records every call (in the test's log) and answers
 * from the rules, as
 * a kubectl on PATH would, without starting a process per call. Any other binary (`--kubectl
 * <path>`) runs for real.
 */
function fakeKubectl(rules: Rule[]): { start: RunProcess; calls: () => Call[] } {
  const calls = callLog;
  const start: RunProcess = (binary, args, options) => {
    if (binary !== 'kubectl') return runProcess(binary, args, options);
    const f = args.indexOf('-f');
    const input = f < 0 ? undefined : args[f + 1] === '-' ? options.input : fs.readFileSync(args[f + 1], 'utf8');
    calls.push(JSON.parse(JSON.stringify({ args, input, applyset: options.env.KUBECTL_APPLYSET })));
    const rule: Partial<Rule> = rules.find((r) => args.join(' ').includes(r.match)) ?? {};
    return { status: rule.status ?? 0, stdout: rule.stdout ?? '', stderr: rule.stderr ?? '' };
  };
  return { start, calls: () => [...calls] };
}

/** Runs the CLI against a fake kubectl, returning its exit code and what it printed. */
async function cli(
  argv: string[],
  rules: Rule[] = healthyCluster,
): Promise<{ code: number; out: string; err: string; calls: Call[] }> {
  const fake = fakeKubectl(rules);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, {}, fake.start);
  return { code, out: out.join('\n'), err: err.join('\n'), calls: fake.calls() };
}

const refusal = async (argv: string[]) => {
  const result = await cli(argv);
  expect(result.code).toBe(ExitCode.REFUSED);
  return result.err;
};

describe('argument parsing', () => {
  test('defaults: the single-environment output in dist/', () => {
    expect(parseArgs(['deploy'])).toEqual({
      command: 'deploy',
      env: undefined,
      target: undefined,
      dir: 'dist',
      context: undefined,
      dryRun: false,
      wait: false,
      timeoutSeconds: 300,
      prune: true,
      forceConflicts: false,
      allowContextMismatch: false,
      kubectl: 'kubectl',
      kubeconfig: undefined,
    });
  });

  test('--env finds the environment in dist/<env>', () => {
    expect(parseArgs(['deploy', '--env', 'prod'])).toMatchObject({ env: 'prod', dir: path.join('dist', 'prod') });
  });

  test('every option, with = or a separate value', () => {
    expect(
      parseArgs([
        'diff',
        '--env=staging',
        '--target=eks',
        '--context',
        'ctx',
        '--dir',
        'out/eks',
        '--dry-run',
        '--wait',
        '--timeout=60',
        '--no-prune',
        '--force-conflicts',
        '--allow-context-mismatch',
        '--kubectl',
        '/bin/k',
        '--kubeconfig',
        '/k.yaml',
      ]),
    ).toEqual({
      command: 'diff',
      env: 'staging',
      target: 'eks',
      context: 'ctx',
      dir: 'out/eks',
      dryRun: true,
      wait: true,
      timeoutSeconds: 60,
      prune: false,
      forceConflicts: true,
      allowContextMismatch: true,
      kubectl: '/bin/k',
      kubeconfig: '/k.yaml',
    });
  });

  test('help', async () => {
    expect(parseArgs(['--help'])).toBe('help');
    const { code, out } = await cli([]);
    expect(code).toBe(ExitCode.OK);
    expect(out).toContain('Usage: cdk8s-msa <deploy|diff> [--env <name>] [options]');
  });

  test.each([
    [['apply'], 'cdk8s-msa: unknown command "apply"; allowed: deploy, diff. Hint: cdk8s-msa --help'],
    [
      ['deploy', '--env', '../prod'],
      'cdk8s-msa: --env: received "../prod"; allowed: a DNS-1123 label (the name of an environment or target)',
    ],
    [['deploy', '--timeout', '-5'], 'cdk8s-msa: --timeout: received "-5"; allowed: a positive number of seconds'],
    [['deploy', '--context'], 'cdk8s-msa: --context needs a value. Hint: cdk8s-msa --help'],
    [['deploy', '--force'], 'cdk8s-msa: unknown option "--force". Hint: cdk8s-msa --help'],
  ])('refuses %j', async (argv, message) => {
    const result = await cli(argv);
    expect([result.code, result.out, result.err]).toEqual([ExitCode.REFUSED, '', message]);
  });
});

describe('refusals of the output, before any kubectl call', () => {
  const hint = 'Hint: synthesize again (npx cdk8s synth, or npm run synth); change the app, not its output';
  const editMarker = (out: string, edit: (marker: any) => void) => {
    const marker = JSON.parse(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8'));
    edit(marker);
    fs.writeFileSync(path.join(out, OUTPUT_MARKER), JSON.stringify(marker));
  };

  test('a missing output directory', async () => {
    const out = path.join(dir, 'dist');
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it does not exist. Hint: synthesize first (npx cdk8s synth, or npm run synth)`,
    );
  });

  test('an empty output directory', async () => {
    const out = path.join(dir, 'dist');
    fs.mkdirSync(out);
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it is empty. Hint: an empty apply with pruning would delete everything: synthesize first`,
    );
  });

  test('a directory without marker: a plain cdk8s App, or an unfinished synth', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    fs.rmSync(path.join(out, OUTPUT_MARKER));
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it has no ${OUTPUT_MARKER}. Hint: write it with MsaApp (a plain cdk8s App writes no marker) or npm run synth; a synth that failed or did not finish writes none either`,
    );
  });

  test('an environment not synthesized names those that are', async () => {
    const out = path.join(dir, 'dist');
    synthTo(out, Target.kind(), 'dev');
    synthTo(out, Target.eks(), 'prod');
    const staging = path.join(out, 'staging');
    expect(await refusal(['deploy', '--env', 'staging', '--dir', staging])).toBe(
      `cdk8s-msa: refusing ${staging}: it does not exist. Hint: synthesize first (npx cdk8s synth, or npm run synth); environment staging is written to ${staging}; ${out} holds the environments dev, prod`,
    );
  });

  test('a folder of environments without --env', async () => {
    const out = path.join(dir, 'dist');
    synthTo(out, Target.kind(), 'dev');
    synthTo(out, Target.eks(), 'prod');
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it holds the environments dev, prod, not one output. Hint: pick one with --env dev`,
    );
  });

  test('a marker that is not JSON', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(out, OUTPUT_MARKER), '{');
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: ${OUTPUT_MARKER} is not valid JSON. ${hint}`,
    );
  });

  test('a malformed marker is a refusal, not a crash', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    editMarker(out, (m) => {
      m.systems = [{}];
    });
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: ${OUTPUT_MARKER} does not match its schema: systems[0].name undefined is not a DNS-1123 label; systems[0].namespace undefined is not a DNS-1123 label; systems[0].objects undefined is not a positive count; systems[0].file undefined is not a plain file name inside the directory. ${hint}`,
    );
    editMarker(out, (m) => {
      m.version = 0;
      m.files = [];
    });
    expect(await refusal(['deploy', '--dir', out])).toContain(
      'version is 0, not 1; files is not an object of file name → digest;',
    );
  });

  test('a marker path that leaves the directory', async () => {
    const out = synthTo(path.join(dir, 'kind'));
    synthTo(path.join(dir, 'eks'), Target.eks());
    editMarker(out, (m) => {
      m.systems[0].file = '../eks/shop.k8s.yaml';
      m.files['../eks/shop.k8s.yaml'] = m.files['shop.k8s.yaml'];
    });
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: ${OUTPUT_MARKER} does not match its schema: files names "../eks/shop.k8s.yaml", which is not a plain file name inside the directory; systems[0].file "../eks/shop.k8s.yaml" is not a plain file name inside the directory. ${hint}`,
    );
  });

  test('a manifest edited after synth (another registry)', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const file = path.join(out, 'shop.k8s.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('image: a/api:1.0.0', 'image: evil.example.com/api:1.0.0'),
    );
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it changed after synth: shop.k8s.yaml was edited. ${hint}`,
    );
  });

  test('a file added and one removed after synth', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(out, 'extra.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n');
    fs.writeFileSync(path.join(out, 'toString'), '');
    fs.rmSync(path.join(out, 'shop.md'));
    expect(await refusal(['deploy', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it changed after synth: extra.k8s.yaml was added, toString was added, shop.md was removed. ${hint}`,
    );
  });

  test('output of another environment', async () => {
    const out = synthTo(path.join(dir, 'dist'), Target.eks(), 'staging');
    expect(await refusal(['deploy', '--env', 'prod', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it holds environment "staging", not "prod". Hint: use --env staging, or point --dir at environment prod`,
    );
  });

  test('output of another target', async () => {
    const out = synthTo(path.join(dir, 'dist'), Target.eks());
    expect(await refusal(['deploy', '--target', 'kind', '--dir', out])).toBe(
      `cdk8s-msa: refusing ${out}: it was synthesized for target "eks", not "kind". Hint: use --target eks, or drop --target to take the marker's`,
    );
  });

  test('nothing touched kubectl', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    fs.rmSync(path.join(out, 'shop.md'));
    expect((await cli(['deploy', '--dir', out])).calls).toEqual([]);
  });
});

describe('refusals of the context', () => {
  test('a context that does not look like the target', async () => {
    const out = synthTo(path.join(dir, 'dist'), Target.eks());
    expect(await refusal(['deploy', '--dir', out])).toBe(
      'cdk8s-msa: context "kind-shop" does not look like target "eks" (expected something like "arn:aws:eks:eu-west-1:123456789012:cluster/shop"). Hint: pick the right context with --context, or pass --allow-context-mismatch if this really is a eks cluster',
    );
  });

  test('a context that does not exist', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    expect(await refusal(['deploy', '--dir', out, '--context', 'kind-other'])).toBe(
      'cdk8s-msa: context "kind-other" does not exist; known: kind-shop, lab-admin',
    );
  });

  test('a custom target needs the context named explicitly', async () => {
    const out = synthTo(path.join(dir, 'dist'), lab);
    expect(await refusal(['deploy', '--dir', out])).toBe(
      'cdk8s-msa: target "lab" is not a built-in target, so the current context cannot be checked against it. Hint: name the cluster\'s context explicitly with --context <name>',
    );
  });

  test('a missing kubectl', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const missing = path.join(dir, 'no-kubectl');
    expect(await refusal(['deploy', '--dir', out, '--kubectl', missing])).toBe(
      `cdk8s-msa: cannot run kubectl (${missing}): spawnSync ${missing} ENOENT. Hint: install kubectl or pass --kubectl <path>`,
    );
  });

  test("a cluster that does not answer fails with kubectl's message and a hint", async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(
      ['deploy', '--dir', out],
      [
        { match: 'version -o json', stderr: 'dial tcp 127.0.0.1:1: connect: connection refused', status: 1 },
        ...healthyCluster,
      ],
    );
    expect([result.code, result.err]).toEqual([
      ExitCode.FAILED,
      'cdk8s-msa: reaching the cluster of context "kind-shop" failed:\ndial tcp 127.0.0.1:1: connect: connection refused\n' +
        'Hint: the cluster does not answer: check that it runs (kind get clusters, minikube status, the cloud console) and that the context is the one you mean (--context)',
    ]);
  });
});

describe('apply, diff and wait (fake kubectl)', () => {
  const applies = (calls: Call[]) => calls.filter((c) => c.args.includes('apply'));

  test('deploy: cluster-scoped objects first, then the system in its namespace with its ApplySet', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(['deploy', '--dir', out]);
    expect(result.code).toBe(ExitCode.OK);
    const [first, second] = applies(result.calls);
    expect(first.args).toEqual([
      '--context=kind-shop',
      'apply',
      '--server-side',
      '--field-manager=cdk8s-msa',
      '-f',
      expect.any(String),
    ]);
    expect(first.input).toMatch(/^apiVersion: v1\nkind: Namespace\n/);
    expect(second.args).toEqual([
      '--context=kind-shop',
      'apply',
      '--server-side',
      '--field-manager=cdk8s-msa',
      '-n',
      'shop',
      '--prune',
      '--applyset=cdk8s-msa-shop',
      '-f',
      expect.any(String),
    ]);
    expect(second.applyset).toBe('true');
    expect(second.input).not.toContain('kind: Namespace');
    expect(result.out).toContain('deployed shop (target kind) to kind-shop');
  });

  test('claims are applied outside the ApplySet, before the pruning apply, so pruning never deletes a volume', async () => {
    const app = new MsaApp({ outdir: path.join(dir, 'dist'), reporter: { warn: () => undefined } });
    new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addService('api', {
      image: 'a/api:1.0.0',
      port: 8080,
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })],
    });
    app.synth();
    const result = await cli(['deploy', '--dir', app.outputDirectory]);
    expect(result.code).toBe(ExitCode.OK);
    const [, claims, rest] = applies(result.calls);
    expect(claims.args).not.toContain('--prune');
    expect(claims.applyset).toBeUndefined();
    expect(claims.input).toMatch(/^apiVersion: v1\nkind: PersistentVolumeClaim\n/);
    expect(rest.args).toContain('--applyset=cdk8s-msa-shop');
    expect(rest.input).not.toContain('kind: PersistentVolumeClaim');
    // diff labels ApplySet members itself (kubectl diff knows no ApplySets): never the claims.
    const diffed = await cli(['diff', '--dir', app.outputDirectory]);
    const input = diffed.calls.find((c) => c.args.includes('diff'))!.input!;
    const claim = input.split('---\n').find((d) => d.includes('kind: PersistentVolumeClaim'))!;
    expect(claim).not.toContain('applyset.kubernetes.io/part-of');
    expect(input.split('---\n').find((d) => d.includes('kind: Deployment'))).toContain(
      'applyset.kubernetes.io/part-of',
    );
  });

  describe('a Deployment an HPA takes over', () => {
    const synthAutoscaled = () => {
      const app = new MsaApp({ outdir: path.join(dir, 'dist'), reporter: { warn: () => undefined } });
      new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addService('api', {
        image: 'a/api:1.0.0',
        port: 8080,
        autoscaling: { minReplicas: 2, maxReplicas: 6 },
      });
      app.synth();
      return app.outputDirectory;
    };
    const live = (manager: string) => ({
      match: 'get deployment api -n shop -o json --show-managed-fields',
      stdout: JSON.stringify({
        spec: { replicas: 4 },
        metadata: { managedFields: [{ manager, operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] },
      }),
    });

    test('keeps its live replica count under another field manager before the apply that drops replicas', async () => {
      const result = await cli(['deploy', '--dir', synthAutoscaled()], [live('cdk8s-msa'), ...healthyCluster]);
      expect(result.code).toBe(ExitCode.OK);
      const calls = applies(result.calls);
      const handover = calls.findIndex((c) => c.args.includes('--field-manager=cdk8s-msa-handover-to-hpa'));
      expect(handover).toBeGreaterThan(-1);
      expect(calls[handover].input).toMatch(/kind: Deployment\n[^]*name: api\n[^]*replicas: 4\n/);
      expect(calls.findIndex((c) => c.args.includes('--applyset=cdk8s-msa-shop'))).toBeGreaterThan(handover);
      expect(result.out).toContain(
        'Deployment api: its HPA takes over the replica count; 4 replica(s) kept until it scales',
      );
    });

    test('does nothing once the deploy command no longer owns replicas, nor in a dry run', async () => {
      for (const [manager, args] of [
        ['kube-controller-manager', []],
        ['cdk8s-msa', ['--dry-run']],
      ] as const) {
        const result = await cli(['deploy', '--dir', synthAutoscaled(), ...args], [live(manager), ...healthyCluster]);
        expect(result.code).toBe(ExitCode.OK);
        expect(
          applies(result.calls).filter((c) => c.args.includes('--field-manager=cdk8s-msa-handover-to-hpa')),
        ).toEqual([]);
      }
    });
  });

  describe('a system that does not create its namespace (createNamespace: false)', () => {
    const synthWithout = () =>
      synthTo(path.join(dir, 'dist'), Target.openshift(), undefined, { createNamespace: false });

    test('deploys into the existing namespace and applies nothing cluster-scoped', async () => {
      const result = await cli(['deploy', '--dir', synthWithout(), '--allow-context-mismatch']);
      expect(result.code).toBe(ExitCode.OK);
      const calls = applies(result.calls);
      expect(calls).toHaveLength(1);
      expect(calls[0].args).toContain('--applyset=cdk8s-msa-shop');
      expect(calls[0].input).not.toContain('kind: Namespace');
    });

    test('works for an identity that may not list nodes (cluster-scoped, which a RoleBinding cannot grant)', async () => {
      const forbidden = [
        { match: 'get nodes', stderr: 'Error from server (Forbidden): nodes is forbidden', status: 1 },
        ...healthyCluster,
      ];
      const result = await cli(['deploy', '--dir', synthWithout(), '--allow-context-mismatch'], forbidden);
      expect(result.code).toBe(ExitCode.OK);
      expect(result.out).toContain('Kubernetes v1.33.1, nodes not visible to this identity');
    });

    test('is refused, before anything is applied, when the namespace does not exist (a dry run too)', async () => {
      for (const args of [[], ['--dry-run']]) {
        const result = await cli(
          ['deploy', '--dir', synthWithout(), '--allow-context-mismatch', ...args],
          healthyCluster.filter((r) => r.match !== 'get namespace shop'),
        );
        expect([result.code, result.err]).toEqual([
          ExitCode.REFUSED,
          'cdk8s-msa: namespace shop does not exist, and system shop does not create it (createNamespace: false): have it created first (on OpenShift: oc new-project shop)',
        ]);
        expect(applies(result.calls)).toEqual([]);
      }
    });
  });

  test('dry run on a fresh cluster: a missing namespace is stood in for, nothing is pruned', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(
      ['deploy', '--dir', out, '--dry-run'],
      healthyCluster.filter((r) => r.match !== 'get namespace shop'),
    );
    expect(result.code).toBe(ExitCode.OK);
    const [first, second] = applies(result.calls);
    expect(first.args).toContain('--dry-run=server');
    expect(second.args).toEqual([
      '--context=kind-shop',
      'apply',
      '--server-side',
      '--field-manager=cdk8s-msa',
      '--dry-run=server',
      '--force-conflicts',
      '-n',
      'default',
      '-f',
      expect.any(String),
    ]);
    expect(second.input).toContain('namespace: default');
    expect(second.input).not.toContain('namespace: shop');
    expect(result.out).toContain('namespace shop does not exist yet: server dry run of');
    expect(result.out).toContain('server dry run of shop (target kind) passed; nothing was changed');
  });

  test('dry run where the namespace exists: the real namespace, pruning dry-run too', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const [, second] = applies((await cli(['deploy', '--dir', out, '--dry-run'])).calls);
    expect(second.args).toEqual([
      '--context=kind-shop',
      'apply',
      '--server-side',
      '--field-manager=cdk8s-msa',
      '--dry-run=server',
      '-n',
      'shop',
      '--prune',
      '--applyset=cdk8s-msa-shop',
      '-f',
      expect.any(String),
    ]);
  });

  test('a custom target deploys with an explicit context, found by --env', async () => {
    synthTo(path.join(dir, 'dist'), lab, 'lab-prod');
    const previous = process.cwd();
    process.chdir(dir);
    try {
      const result = await cli(['deploy', '--env', 'lab-prod', '--context', 'lab-admin']);
      expect([result.code, result.err]).toEqual([ExitCode.OK, '']);
      expect(result.out).toContain('deployed shop (target lab, environment lab-prod) to lab-admin');
    } finally {
      process.chdir(previous);
    }
  });

  test('diff labels objects with their ApplySet and exits 1 on differences', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(
      ['diff', '--dir', out],
      [{ match: ' diff ', stdout: '-  replicas: 1\n+  replicas: 2\n', status: 1 }, ...healthyCluster],
    );
    expect(result.code).toBe(ExitCode.FAILED);
    const call = result.calls.find((c) => c.args.includes('diff'))!;
    expect(call.input).toContain('applyset.kubernetes.io/part-of: applyset-');
    expect(result.out).toContain('+  replicas: 2');
  });

  test("diff lists what deploy would prune (kubectl diff knows no ApplySets), from kubectl's own server dry run of the pruning apply", async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const rules = [
      {
        match: '--dry-run=server',
        stdout:
          'deployment.apps/api serverside-applied (server dry run)\ndeployment.apps/worker pruned (server dry run)\nservice/worker pruned (server dry run)\n',
      },
      ...healthyCluster,
    ];
    const result = await cli(['diff', '--dir', out], rules);
    expect(result.code).toBe(ExitCode.FAILED);
    const listing = result.calls.find((c) => c.args.includes('--dry-run=server'))!;
    expect(listing.args).toEqual([
      '--context=kind-shop',
      'apply',
      '--server-side',
      '--field-manager=cdk8s-msa',
      '--dry-run=server',
      '-n',
      'shop',
      '--prune',
      '--applyset=cdk8s-msa-shop',
      '-f',
      expect.any(String),
    ]);
    expect(listing.applyset).toBe('true');
    expect(result.out).toContain(
      'deploy would delete 2 object(s) of system shop that left the output (prune within ApplySet secret/cdk8s-msa-shop):\n- deployment.apps/worker\n- service/worker',
    );
    expect(result.out).not.toContain('no differences');
    const unpruned = await cli(['diff', '--dir', out, '--no-prune'], rules);
    expect(unpruned.calls.slice(result.calls.length).filter((c) => c.args.includes('--dry-run=server'))).toEqual([]);
    expect([unpruned.code, unpruned.out]).toEqual([ExitCode.OK, expect.stringContaining('no differences')]);
  });

  test('a field another manager changed fails the apply with a hint; --force-conflicts sets it back, in deploy and in diff', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    // The server's message after a `kubectl scale` (Kubernetes 1.37).
    const conflict =
      'error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas';
    const refused = await cli(
      ['deploy', '--dir', out],
      [{ match: '--applyset', stderr: conflict, status: 1 }, ...healthyCluster],
    );
    expect([refused.code, refused.err]).toEqual([
      ExitCode.FAILED,
      `cdk8s-msa: apply of system shop failed:\n${conflict}\nHint: another field manager ("kubectl": a kubectl scale, edit or patch, or a controller) ` +
        "changed these fields since the last deploy. Put the values in the app and synthesize again, or pass --force-conflicts to set them back to the output's",
    ]);
    const forced = await cli(['deploy', '--dir', out, '--force-conflicts']);
    expect(forced.code).toBe(ExitCode.OK);
    expect(applies(forced.calls.slice(refused.calls.length)).map((c) => c.args.includes('--force-conflicts'))).toEqual([
      true,
      true,
    ]);
    const diffed = await cli(['diff', '--dir', out, '--force-conflicts']);
    expect(
      diffed.calls
        .slice(forced.calls.length)
        .filter((c) => c.args.includes('diff') || c.args.includes('--dry-run=server'))
        .map((c) => c.args.includes('--force-conflicts')),
    ).toEqual([true, true]);
    const plain = await cli(['deploy', '--dir', out]);
    expect(applies(plain.calls.slice(diffed.calls.length)).some((c) => c.args.includes('--force-conflicts'))).toBe(
      false,
    );
  });

  test('known refusals of the server get a hint naming the way out', () => {
    // The server's messages (Kubernetes 1.37): a volume size changed on a StatefulSet, a system renamed in place.
    const claims =
      'The StatefulSet "db" is invalid: spec.volumeClaimTemplates: Invalid value: [{"name":"data","Spec":{"AccessModes":["ReadWriteOnce"]}}]: field is immutable';
    expect(withHint(`apply of system lab failed:\n${claims}`, 'lab')).toMatch(
      /\nHint: a StatefulSet's volume claim templates, [^]*\(kubectl delete statefulset db --cascade=orphan -n lab\), then deploy again/,
    );
    const selector =
      'The Deployment "api" is invalid: spec.selector: Invalid value: {"matchLabels":{"app.kubernetes.io/instance":"lab2-api","app.kubernetes.io/name":"api"}}: field is immutable';
    expect(withHint(selector, 'lab')).toMatch(
      /\nHint: a Deployment's pod selector cannot change, [^]*\(kubectl delete deployment api -n lab\)$/,
    );
    // A StorageClass of the same name made by someone else (EKS's gp3): a conflict, and with --force-conflicts an immutable field.
    for (const storageClass of [
      'error: Apply failed with 1 conflict: conflict with "kubectl": .reclaimPolicy',
      'The StorageClass "gp3" is invalid: parameters: Forbidden: updates to parameters are forbidden.',
    ]) {
      expect(withHint(`apply of cluster-scoped objects failed:\n${storageClass}`)).toMatch(
        /\nHint: a StorageClass of this name exists already [^]*provisionStorageClass: false/,
      );
    }
    // Several conflicts read differently (Kubernetes 1.37, a StorageClass made by someone else, then a Deployment edited by hand).
    const several =
      'error: Apply failed with 2 conflicts: conflicts with "kubectl":\n- .reclaimPolicy\n- .volumeBindingMode';
    expect(withHint(`apply of cluster-scoped objects failed:\n${several}`)).toMatch(
      /\nHint: a StorageClass of this name exists already /,
    );
    const edited =
      'error: Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="api"].image';
    expect(withHint(edited)).toMatch(/\nHint: another field manager \("kubectl-edit": [^]*--force-conflicts/);
    // A webhook's service refusing connections is not the cluster failing to answer.
    const webhook =
      'Error from server (InternalError): Internal error occurred: failed calling webhook "mservice.elbv2.k8s.aws": failed to call webhook: Post "https://aws-load-balancer-webhook-service.kube-system.svc:443/mutate-v1-service?timeout=10s": dial tcp 10.100.12.7:443: connect: connection refused';
    expect(withHint(webhook)).toMatch(/\nHint: the admission webhook mservice.elbv2.k8s.aws did not answer: /);
    const refused =
      'E1127 06:09:57.000673   19605 memcache.go:381] "Couldn\'t get current server API group list" err="Get \\"https://127.0.0.1:1/api?timeout=32s\\": dial tcp 127.0.0.1:1: connect: connection refused"\nThe connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?';
    expect(withHint(`reaching the cluster of context "kind-shop" failed:\n${refused}`)).toMatch(
      /\nHint: the cluster does not answer: /,
    );
    expect(withHint('Error from server (Forbidden): deployments.apps "api" is forbidden')).toBe(
      'Error from server (Forbidden): deployments.apps "api" is forbidden',
    );
  });

  test('diff: an identity that may diff but not deploy gets a note instead of a failed diff; a claim in the output is never listed as pruned', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const forbidden = await cli(
      ['diff', '--dir', out],
      [
        {
          match: '--dry-run=server',
          stderr:
            'Error from server (Forbidden): deployments.apps "worker" is forbidden: User "ci" cannot delete resource "deployments"',
          status: 1,
        },
        ...healthyCluster,
      ],
    );
    expect([forbidden.code, forbidden.err]).toEqual([ExitCode.OK, '']);
    expect(forbidden.out).toContain(
      'note: could not list what deploy\'s prune would delete from system shop (a server dry run of deploy\'s apply, which needs deploy\'s rights): Error from server (Forbidden): deployments.apps "worker" is forbidden: User "ci" cannot delete resource "deployments"',
    );
    const app = new MsaApp({ outdir: path.join(dir, 'claims'), reporter: { warn: () => undefined } });
    new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addService('api', {
      image: 'a/api:1.0.0',
      port: 8080,
      volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })],
    });
    app.synth();
    // An earlier deploy put the claim in the ApplySet; deploy takes it out before pruning.
    const labelled = await cli(
      ['diff', '--dir', app.outputDirectory],
      [
        {
          match: '--dry-run=server',
          stdout: 'persistentvolumeclaim/api-data pruned (server dry run)\nservice/old pruned (server dry run)\n',
        },
        ...healthyCluster,
      ],
    );
    expect(labelled.out).toContain(
      'deploy would delete 1 object(s) of system shop that left the output (prune within ApplySet secret/cdk8s-msa-shop):\n- service/old',
    );
    expect(labelled.out).not.toContain('- persistentvolumeclaim/api-data');
  });

  test('kubectl older than 1.27 (no --applyset) is refused before anything is applied; a version skew over one minor is warned about', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const old = await cli(
      ['deploy', '--dir', out],
      [{ match: 'version --client', stdout: '{"clientVersion":{"major":"1","minor":"26"}}' }, ...healthyCluster],
    );
    expect([old.code, old.err]).toEqual([
      ExitCode.REFUSED,
      'cdk8s-msa: kubectl 1.26 is too old: deploy prunes with ApplySets (--applyset), which kubectl has from 1.27. Hint: install a newer kubectl or pass --kubectl <path>',
    ]);
    expect(applies(old.calls)).toEqual([]);
    const skewed = await cli(
      ['deploy', '--dir', out],
      [
        { match: 'version --client', stdout: '{"clientVersion":{"major":"1","minor":"30"}}' },
        { match: 'version -o json', stdout: '{"serverVersion":{"gitVersion":"v1.33.1","minor":"33+"}}' },
        ...healthyCluster,
      ],
    );
    expect(skewed.code).toBe(ExitCode.OK);
    expect(skewed.out).toContain("warning: kubectl 1.30 and the cluster's 1.33 are more than one minor version apart");
  });

  test('a failing diff exits 4, not 1 (which means differences), so CI can accept differences and still catch failures', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(
      ['diff', '--dir', out],
      [
        { match: ' diff ', stderr: 'Error from server (Forbidden): deployments.apps "api" is forbidden', status: 2 },
        ...healthyCluster,
      ],
    );
    expect([result.code, result.err]).toEqual([
      ExitCode.DIFF_FAILED,
      'cdk8s-msa: kubectl diff failed:\nError from server (Forbidden): deployments.apps "api" is forbidden',
    ]);
    expect(ExitCode.DIFF_FAILED).toBe(4);
  });

  test('diff on a fresh cluster lists the new system instead of failing on its missing namespace', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(
      ['diff', '--dir', out],
      healthyCluster.filter((r) => r.match !== 'get namespace shop'),
    );
    expect(result.code).toBe(ExitCode.FAILED);
    expect(result.out).toContain(
      'namespace shop does not exist yet: all 7 object(s) of system shop are new:\n+ ServiceAccount/api\n',
    );
    const call = result.calls.find((c) => c.args.includes('diff'))!;
    expect(call.input).toMatch(/^apiVersion: v1\nkind: Namespace\n[^]*name: shop\n$/);
  });

  test("a failing apply is exit 1 with kubectl's message", async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(
      ['deploy', '--dir', out],
      [{ match: '-n shop', stderr: 'Error: admission webhook denied', status: 1 }, ...healthyCluster],
    );
    expect([result.code, result.err]).toEqual([
      ExitCode.FAILED,
      'cdk8s-msa: apply of system shop failed:\nError: admission webhook denied',
    ]);
  });

  test('--wait follows each Deployment until Available', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const result = await cli(['deploy', '--dir', out, '--wait']);
    expect(result.code).toBe(ExitCode.OK);
    expect(result.out).toContain(
      'shop/api: 2/2 ready, 2 updated, 2 available (pods: 0 created, 0 scheduled, 0 running, 0 ready)\n✓ shop/api is Available',
    );
  });

  describe('--wait follows a StatefulSet', () => {
    const statefulSet = (currentRevision: string) =>
      JSON.stringify({
        metadata: { generation: 2 },
        spec: { replicas: 1 },
        status: {
          observedGeneration: 2,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          currentRevision,
          updateRevision: 'db-2',
        },
      });
    const synthWithDatabase = () => {
      const app = new MsaApp({ outdir: path.join(dir, 'dist'), reporter: { warn: () => undefined } });
      new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addService('db', {
        image: 'postgres:16.4-alpine',
        port: 5432,
        replicas: 1,
        statefulSet: {},
      });
      app.synth();
      return app.outputDirectory;
    };

    test('until its current revision is the update revision', async () => {
      const result = await cli(
        ['deploy', '--dir', synthWithDatabase(), '--wait'],
        [{ match: 'get statefulset', stdout: statefulSet('db-2') }, ...healthyCluster],
      );
      expect(result.code).toBe(ExitCode.OK);
      expect(result.calls.some((c) => c.args.join(' ').includes('get statefulset db -n shop'))).toBe(true);
      expect(result.out).toContain('shop/db: 1/1 ready, 1 updated, 1 available');
      expect(result.out).toContain('✓ shop/db is Available');
    });

    test('and times out while the controller still runs the old revision', async () => {
      const result = await cli(
        ['deploy', '--dir', synthWithDatabase(), '--wait', '--timeout', '1'],
        [
          { match: 'get statefulset', stdout: statefulSet('db-1') },
          { match: 'get events', stdout: 'LAST TYPE REASON OBJECT MESSAGE\n' },
          ...healthyCluster,
        ],
      );
      expect(result.code).toBe(ExitCode.TIMEOUT);
      expect(result.err).toBe('cdk8s-msa: timed out after 1s waiting for shop/db');
    });
  });

  describe('--wait follows a Job', () => {
    const job = (conditions: object[], status: object = {}) =>
      JSON.stringify({ metadata: { generation: 1 }, spec: {}, status: { ...status, conditions } });
    const synthWithJob = () => {
      const app = new MsaApp({ outdir: path.join(dir, 'dist'), reporter: { warn: () => undefined } });
      new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addJob('migrate', { image: 'a/migrate:1.0.0' });
      app.synth();
      return app.outputDirectory;
    };

    test('until it is Complete, its pods found by the job-name label', async () => {
      const result = await cli(
        ['deploy', '--dir', synthWithJob(), '--wait'],
        [
          { match: 'get job', stdout: job([{ type: 'Complete', status: 'True' }], { succeeded: 1 }) },
          ...healthyCluster,
        ],
      );
      expect(result.code).toBe(ExitCode.OK);
      const read = result.calls.find((c) => c.args.includes('job'))!.args;
      const name = read[read.indexOf('job') + 1];
      expect(name).toMatch(/^migrate-[0-9a-f]{8}$/);
      expect(
        result.calls.some((c) =>
          c.args.join(' ').includes(`get pods -n shop -l batch.kubernetes.io/job-name=${name} -o json`),
        ),
      ).toBe(true);
      expect(result.out).toContain(
        `shop/${name}: 0 active, 1 succeeded, 0 failed (pods: 0 created, 0 scheduled, 0 running, 0 ready)\n✓ shop/${name} is Complete`,
      );
    });

    test('and fails at once, with its events and where its logs are, when it failed', async () => {
      const failed = job(
        [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
        { failed: 4 },
      );
      const result = await cli(
        ['deploy', '--dir', synthWithJob(), '--wait', '--timeout', '300'],
        [
          { match: 'get job', stdout: failed },
          { match: 'get events', stdout: 'LAST TYPE REASON OBJECT MESSAGE\n' },
          ...healthyCluster,
        ],
      );
      expect(result.code).toBe(ExitCode.FAILED);
      expect(result.out).toMatch(
        /✗ shop\/migrate-[0-9a-f]{8} failed \(BackoffLimitExceeded: Job has reached the specified backoff limit\); its events:/,
      );
      expect(result.err).toMatch(
        /^cdk8s-msa: Job shop\/migrate-[0-9a-f]{8} failed: BackoffLimitExceeded: Job has reached the specified backoff limit\. Hint: kubectl logs -n shop -l batch.kubernetes.io\/job-name=migrate-[0-9a-f]{8}$/,
      );
    });
  });

  test('--wait times out with the events of what is stuck', async () => {
    const out = synthTo(path.join(dir, 'dist'));
    const stuck = [
      { match: 'get deployment', stdout: deployment(false) },
      {
        match: 'get events',
        stdout:
          'LAST TYPE REASON OBJECT MESSAGE\nnow Warning FailedScheduling api-1 Insufficient cpu\nnow Normal Other unrelated x\n',
      },
      { match: 'get pods', stdout: '{"items":[]}\n' },
      ...healthyCluster,
    ];
    const result = await cli(['deploy', '--dir', out, '--wait', '--timeout', '1'], stuck);
    expect(result.code).toBe(ExitCode.TIMEOUT);
    expect(result.out).toContain(
      '✗ shop/api did not become Available in 1s; its events:\nLAST TYPE REASON OBJECT MESSAGE\nnow Warning FailedScheduling api-1 Insufficient cpu',
    );
    expect(result.err).toBe('cdk8s-msa: timed out after 1s waiting for shop/api');
  });
});

test('Manifests.write and MsaApp.synth write the same bytes', () => {
  const viaApp = synthTo(path.join(dir, 'app'));
  const app = new MsaApp({ outdir: path.join(dir, 'unused') });
  new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addService('api', {
    image: 'a/api:1.0.0',
    port: 8080,
  });
  Manifests.write(Manifests.synthesize(app), path.join(dir, 'manifests'));
  for (const file of fs.readdirSync(viaApp))
    expect(fs.readFileSync(path.join(dir, 'manifests', file), 'utf8')).toBe(
      fs.readFileSync(path.join(viaApp, file), 'utf8'),
    );
});
