import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size } from 'cdk8s';
import {
  Exposure,
  GatewayReference,
  HealthCheck,
  MicroserviceProps,
  MicroserviceSystem,
  MsaApp,
  Storage,
  Target,
} from '../../lib';
import { CLUSTER_SCOPED_KINDS, OUTPUT_MARKER, OutputMarker } from '../../lib/output/contract';
import { toYaml } from '../../lib/yaml-writer';
import { DeployError } from '../../cli/errors';
import { readOutput } from '../../cli/output';
import { podSelectorOf } from '../../cli/wait';
import { ControlPlane, ToolDirs } from './control-plane';
import { checkOperatorObjects } from './operator-objects';

/**
 * `npm run test:cluster`: applies every synthesized output to a real control plane of each pinned
 * Kubernetes version and checks what a schema cannot: strict server validation, Pod Security
 * "restricted" warnings as errors, Deployments reaching Available on kwok nodes, a rolling update
 * within maxUnavailable, idempotent re-apply, that broken manifests are rejected, every shape of
 * the operators' objects (KEDA, Prometheus Operator, External Secrets) against their real CRDs, and the
 * `cdk8s-msa` command itself (deploy, dry run on a fresh cluster, diff, prune, refusals, --wait).
 *
 * Any app's output works: an output is a directory with a cdk8s-msa.output.json marker, verified
 * like deploy verifies it (digests), and its target is read from the marker, never from the
 * directory name.
 *
 * Env: CLUSTER_DIST (default: this repository's dist/; point it at your app's dist/, which may be
 * one output or a folder of environments), CLUSTER_OUTPUTS (comma-separated output names, i.e.
 * directory names; default: all), CLUSTER_VERSIONS (default: every version in versions.sh).
 */
const repo = path.resolve(__dirname, '../../..');
const buildTools = path.join(repo, 'scripts/cluster/build-tools.sh');

/** One verified output directory. */
interface Output {
  /** Directory name: the environment, or the target in this repository's example layout. */
  readonly name: string;
  readonly dir: string;
  readonly marker: OutputMarker;
  /** Every object, systems in apply order. */
  readonly objects: any[];
}

class Failure extends Error {}
const log = (line: string) => process.stdout.write(`${line}\n`);

function toolDirs(version: string): ToolDirs {
  const dir = (what: string) => execFileSync('bash', [buildTools, '--print-dir', what], { encoding: 'utf8' }).trim();
  return { kube: dir(version), etcd: dir('etcd'), kwok: dir('kwok') };
}

/** The outputs under `root`: `root` itself when it holds a marker, else each sub-directory that does. */
function findOutputs(root: string): Output[] {
  if (!fs.existsSync(root))
    throw new Failure(`${root} does not exist: synthesize first (npm run synth, or your app's cdk8s synth)`);
  const dirs = fs.existsSync(path.join(root, OUTPUT_MARKER))
    ? [root]
    : fs
        .readdirSync(root)
        .sort()
        .map((d) => path.join(root, d))
        .filter((d) => fs.existsSync(path.join(d, OUTPUT_MARKER)));
  return dirs.map((dir) => {
    try {
      const { marker, systems } = readOutput(dir);
      return { name: path.basename(dir), dir, marker, objects: systems.flatMap((s) => s.objects) };
    } catch (e) {
      if (e instanceof DeployError) throw new Failure(`✗ ${e.message}`);
      throw e;
    }
  });
}

const isClusterScoped = (o: any) => CLUSTER_SCOPED_KINDS.includes(o.kind);

/** Runs a kubectl step; on failure names the target, step and the server's message. */
function step(target: string, what: string, run: () => string): string {
  try {
    return run();
  } catch (e: any) {
    throw new Failure(`✗ ${target}: ${what} failed:\n${String(e.stderr || e.message).trim()}`);
  }
}

const strictApply = [
  'apply',
  '--server-side',
  '--field-manager=cdk8s-msa',
  '--validate=strict',
  '--warnings-as-errors',
  '-f',
  '-',
];

/**
 * Server warnings a target's output triggers by design, by target id (from the marker). Everything
 * else (Pod Security "restricted" violations above all) fails the run, like --warnings-as-errors.
 */
const EXPECTED_WARNINGS: Array<[RegExp, RegExp, string]> = [
  [
    /^gke/,
    /annotation "kubernetes.io\/ingress.class" is deprecated/,
    'GKE ignores spec.ingressClassName; its controller reads only the annotation',
  ],
];

/** Strict apply (or server dry-run) that fails on any warning not expected for the target. */
function applyStrict(cluster: ControlPlane, output: Output, what: string, objects: any[], dryRun: boolean): void {
  const target = output.name;
  const args = [
    'apply',
    '--server-side',
    '--field-manager=cdk8s-msa',
    '--validate=strict',
    ...(dryRun ? ['--dry-run=server'] : []),
    '-f',
    '-',
  ];
  let warnings: string[];
  try {
    warnings = cluster.kubectlWarnings(args, toYaml(objects)).warnings;
  } catch (e: any) {
    throw new Failure(`✗ ${target}: ${what} failed:\n${String(e.stderr).trim()}`);
  }
  const unexpected = warnings.filter(
    (w) => !EXPECTED_WARNINGS.some(([t, pattern]) => t.test(output.marker.target) && pattern.test(w)),
  );
  if (unexpected.length > 0)
    throw new Failure(`✗ ${target}: ${what} drew warnings from the server:\n${unexpected.join('\n')}`);
}

/** The claims an output makes: its PVCs, and those a StatefulSet's templates make per pod (`<template>-<set>-<ordinal>`). */
function claimsOf(objects: any[]): any[] {
  const templated = objects
    .filter((o) => o.kind === 'StatefulSet')
    .flatMap((set) =>
      (set.spec.volumeClaimTemplates ?? []).flatMap((t: any) =>
        Array.from({ length: set.spec.replicas ?? 1 }, (_, i) => ({
          metadata: { namespace: set.metadata.namespace, name: `${t.metadata.name}-${set.metadata.name}-${i}` },
          spec: t.spec,
        })),
      ),
    );
  return [...objects.filter((o) => o.kind === 'PersistentVolumeClaim'), ...templated];
}

/** Pre-provisioned PersistentVolumes matching each claim (kwok has no storage driver). */
function volumesFor(prefix: string, objects: any[]): any[] {
  return claimsOf(objects).map((pvc) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `${prefix}-${pvc.metadata.namespace}-${pvc.metadata.name}`,
      labels: { 'cdk8s-msa-test': 'true' },
    },
    spec: {
      capacity: { storage: pvc.spec.resources.requests.storage },
      accessModes: pvc.spec.accessModes,
      storageClassName: pvc.spec.storageClassName ?? '',
      persistentVolumeReclaimPolicy: 'Delete',
      hostPath: { path: `/tmp/${prefix}-${pvc.metadata.name}` },
      claimRef: { namespace: pvc.metadata.namespace, name: pvc.metadata.name },
    },
  }));
}

async function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Changes one Deployment's image and samples its ReplicaSets until the rollout is done. */
async function rollingUpdate(cluster: ControlPlane, output: Output, deployment: any): Promise<string> {
  const ns = deployment.metadata.namespace;
  const name = deployment.metadata.name;
  const replicas: number = deployment.spec.replicas;
  const maxUnavailable: number = deployment.spec.strategy.rollingUpdate.maxUnavailable;
  const updated = JSON.parse(JSON.stringify(deployment));
  updated.spec.template.spec.containers[0].image = `${updated.spec.template.spec.containers[0].image}-next`;
  applyStrict(cluster, output, `rolling update of Deployment ${ns}/${name}`, [updated], false);
  const selector = podSelectorOf(deployment);
  let lowest = Infinity;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const sets = JSON.parse(cluster.kubectl(['get', 'replicasets', '-n', ns, '-l', selector, '-o', 'json'])).items;
    const available = sets.reduce((sum: number, rs: any) => sum + (rs.status.availableReplicas ?? 0), 0);
    lowest = Math.min(lowest, available);
    const dep = JSON.parse(cluster.kubectl(['get', 'deployment', name, '-n', ns, '-o', 'json']));
    const done =
      dep.status.observedGeneration >= dep.metadata.generation &&
      dep.status.updatedReplicas === replicas &&
      dep.status.availableReplicas === replicas &&
      (dep.status.replicas ?? 0) === replicas;
    if (done) {
      if (lowest < replicas - maxUnavailable) {
        throw new Failure(
          `✗ ${output.name}: rolling update of ${ns}/${name} dropped to ${lowest} available pods (replicas ${replicas}, maxUnavailable ${maxUnavailable})`,
        );
      }
      return `rolling update of ${name} kept ≥${lowest} pods available (replicas ${replicas}, maxUnavailable ${maxUnavailable}, ${sets.length} ReplicaSets)`;
    }
    await sleep(200);
  }
  throw new Failure(`✗ ${output.name}: rolling update of ${ns}/${name} did not finish in 120s`);
}

/** Deletes the namespaces in one call: the server finalizes them side by side (one at a time took 35 of an output's 45 s). */
function deleteNamespaces(cluster: ControlPlane, label: string, namespaces: string[]): void {
  step(label, `delete namespaces ${namespaces.join(', ')}`, () =>
    cluster.kubectl(['delete', 'namespace', ...namespaces, '--wait=true', '--timeout=120s']),
  );
}

async function checkOutput(cluster: ControlPlane, output: Output): Promise<void> {
  const started = Date.now();
  const { name, objects } = output;
  const clusterScoped = objects.filter(isClusterScoped);
  const namespaced = objects.filter((o) => !isClusterScoped(o));
  const namespaces = clusterScoped.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);

  // 1-2. Cluster-scoped objects (the Namespace with its Pod Security labels) first, dry-run then real.
  applyStrict(cluster, output, 'server dry-run of cluster-scoped objects', clusterScoped, true);
  applyStrict(cluster, output, 'apply of cluster-scoped objects', clusterScoped, false);
  step(name, 'pre-provisioned PersistentVolumes', () => cluster.apply(toYaml(volumesFor(name, objects))));
  applyStrict(cluster, output, 'server dry-run (strict, warnings as errors)', namespaced, true);
  applyStrict(cluster, output, 'server-side apply', namespaced, false);

  // 3. Every Deployment becomes Available and every StatefulSet rolls out on the kwok nodes, its
  // pods with their claims; every Job completes (kwok completes pods that Jobs own).
  const deployments = namespaced.filter((o) => o.kind === 'Deployment');
  const statefulSets = namespaced.filter((o) => o.kind === 'StatefulSet');
  const jobs = namespaced.filter((o) => o.kind === 'Job');
  const waitFor = (o: any, args: string[], what: string) => {
    try {
      cluster.kubectl([...args, '-n', o.metadata.namespace, '--timeout=120s']);
    } catch (e: any) {
      const state = cluster.kubectlQuiet(['get', 'pods,pvc,pv', '-n', o.metadata.namespace, '-o', 'wide']);
      const events = cluster.kubectlQuiet(['get', 'events', '-n', o.metadata.namespace, '--sort-by=.lastTimestamp']);
      throw new Failure(
        `✗ ${name}: ${o.kind} ${o.metadata.namespace}/${o.metadata.name} did not ${what}: ${String(e.stderr).trim()}\n${state}\n${events}`,
      );
    }
  };
  for (const d of deployments) waitFor(d, ['rollout', 'status', `deployment/${d.metadata.name}`], 'become Available');
  for (const set of statefulSets) waitFor(set, ['rollout', 'status', `statefulset/${set.metadata.name}`], 'roll out');
  for (const job of jobs) waitFor(job, ['wait', '--for=condition=Complete', `job/${job.metadata.name}`], 'complete');
  const claims = claimsOf(namespaced);
  for (const c of claims) {
    const phase = cluster.kubectlQuiet([
      'get',
      'pvc',
      c.metadata.name,
      '-n',
      c.metadata.namespace,
      '-o',
      'jsonpath={.status.phase}',
    ]);
    if (phase !== 'Bound')
      throw new Failure(
        `✗ ${name}: PersistentVolumeClaim ${c.metadata.namespace}/${c.metadata.name} is ${phase || 'missing'}, not Bound`,
      );
  }

  // 5. Re-applying the same output changes nothing: `kubectl diff` shows no change, and after a
  // real re-apply no object's generation moved (status updates by controllers don't count).
  const diff = spawnSync(
    cluster.kubectlPath,
    [`--kubeconfig=${cluster.kubeconfig}`, 'diff', '--server-side', '--field-manager=cdk8s-msa', '-f', '-'],
    { input: toYaml(namespaced), encoding: 'utf8', timeout: 150_000 },
  );
  if (diff.status !== 0)
    throw new Failure(`✗ ${name}: re-applying the same output would change objects:\n${diff.stdout}${diff.stderr}`);
  // An HPA scales its Deployment up to minReplicas at its own pace, which bumps that Deployment's
  // generation whether or not anything is re-applied: those are compared by their revision, which
  // only a change of the pod template moves.
  const scaled = new Set(
    namespaced
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((h) => `Deployment/${h.spec.scaleTargetRef.name}`),
  );
  const generations = () =>
    namespaces
      .map((ns) =>
        cluster.kubectl([
          'get',
          'deployment,statefulset,job,cronjob,hpa,pdb,networkpolicy,ingress',
          '-n',
          ns,
          '-o',
          'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.generation} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}{"\\n"}{end}',
        ]),
      )
      .join('')
      .split('\n')
      .map((line) => (scaled.has(line.split('=')[0]) ? line.replace(/=\d+ /, '=* ') : line))
      .join('\n');
  const before = generations();
  applyStrict(cluster, output, 're-apply', namespaced, false);
  const after = generations();
  if (before !== after) {
    const changed = after.split('\n').filter((line) => !before.split('\n').includes(line));
    throw new Failure(`✗ ${name}: re-applying the same output changed ${changed.join(', ')}`);
  }

  // 4. A rolling update stays within maxUnavailable.
  const rolling = deployments.find((d) => d.spec.strategy?.type === 'RollingUpdate' && d.spec.replicas >= 2);
  const update = rolling ? await rollingUpdate(cluster, output, rolling) : 'no rolling Deployment with replicas';

  // Clean up for the next output.
  deleteNamespaces(cluster, name, namespaces);
  cluster.kubectlQuiet(['delete', 'storageclass,persistentvolume', '-l', 'cdk8s-msa-test=true', '--wait=false']);
  cluster.kubectlQuiet(['delete', 'persistentvolume', '--all', '--wait=false']);
  for (const sc of clusterScoped.filter((o) => o.kind === 'StorageClass'))
    cluster.kubectlQuiet(['delete', 'storageclass', sc.metadata.name]);
  log(
    `✓ ${name} (target ${output.marker.target}): ${objects.length} objects, ${deployments.length} Deployments Available, ${statefulSets.length} StatefulSets rolled out, ${jobs.length} Jobs complete, ${claims.length} PVC Bound, re-apply no-op, ${update} (${((Date.now() - started) / 1000).toFixed(1)}s)`,
  );
}

/** Broken variants of a valid output that the server must reject. */
function brokenVariants(objects: any[]): Array<[string, any[], RegExp]> {
  const copy = () => JSON.parse(JSON.stringify(objects.filter((o) => !isClusterScoped(o))));
  const firstDeployment = (list: any[]) => list.find((o) => o.kind === 'Deployment');
  const selector = copy();
  firstDeployment(selector).spec.selector.matchLabels['app.kubernetes.io/name'] = 'something-else';
  const privileged = copy();
  firstDeployment(privileged).spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
  const unknown = copy();
  firstDeployment(unknown).spec.template.spec.containers[0].imagePullPolicyy = 'Always';
  return [
    [
      'a selector that does not match the template labels',
      selector,
      /selector.*does not match template labels|`selector` does not match/,
    ],
    ['a pod template that violates restricted', privileged, /violate PodSecurity "restricted/],
    [
      'an unknown field',
      unknown,
      /imagePullPolicyy: field not declared in schema|unknown field "spec.template.spec.containers\[0\].imagePullPolicyy"/,
    ],
  ];
}

async function checkRejections(cluster: ControlPlane, output: Output): Promise<void> {
  cluster.kubectl(strictApply, toYaml(output.objects.filter(isClusterScoped)));
  for (const [what, broken, expected] of brokenVariants(output.objects)) {
    let message = '';
    try {
      cluster.kubectl([...strictApply, '--dry-run=server'], toYaml(broken));
    } catch (e: any) {
      message = String(e.stderr);
    }
    if (!expected.test(message))
      throw new Failure(`✗ the server accepted ${what} (expected ${expected}); got: ${message || 'success'}`);
    log(
      `✓ rejects ${what}: ${message
        .split('\n')
        .find((l) => expected.test(l))
        ?.trim()
        .slice(0, 160)}`,
    );
  }
  deleteNamespaces(
    cluster,
    output.name,
    output.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  );
}

/** Runs the real `cdk8s-msa` command against the test cluster. */
function deployCli(cluster: ControlPlane, kubeconfig: string, args: string[]): { code: number; output: string } {
  const run = spawnSync(
    process.execPath,
    [
      path.join(repo, 'build/cli/cdk8s-msa.js'),
      ...args,
      `--kubeconfig=${kubeconfig}`,
      `--kubectl=${cluster.kubectlPath}`,
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  return { code: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}

function expectCli(what: string, result: { code: number; output: string }, code: number, ...patterns: RegExp[]): void {
  if (result.code !== code || !patterns.every((p) => p.test(result.output))) {
    throw new Failure(
      `✗ deploy command: ${what}: expected exit ${code} and ${patterns.join(', ')}, got exit ${result.code}:\n${result.output}`,
    );
  }
  log(`✓ deploy command: ${what}`);
}

/** Synthesizes a small system the user's way (MsaApp) into `dir` (for prune, diff and timeout scenarios). */
function synthSmall(
  dir: string,
  services: { [name: string]: Partial<MicroserviceProps> },
  target = Target.kind(),
): void {
  const app = new MsaApp({ outdir: dir, reporter: { warn: () => undefined } });
  const system = new MicroserviceSystem(app, 'lab', { target });
  for (const [name, props] of Object.entries(services)) {
    system.addService(name, {
      image: `ghcr.io/acme/${name}:1.0.0`,
      port: 8080,
      expose: Exposure.ingress({ host: `${name}.lab.example.com` }),
      ...props,
    });
  }
  app.synth();
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The deploy command against the real control plane, on `output` (any app's) and on small systems
 * of its own: dry run on a fresh cluster, deploy with --wait, diff, refusals, prune, --wait timeout.
 */
async function checkDeployCommand(cluster: ControlPlane, output: Output): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-deploy-test-'));
  try {
    const kubeconfig = path.join(work, 'kubeconfig');
    fs.copyFileSync(cluster.kubeconfig, kubeconfig);
    cluster.kubectl(['config', 'rename-context', 'test', 'kind-msa', `--kubeconfig=${kubeconfig}`]);
    const cli = (args: string[]) =>
      deployCli(cluster, kubeconfig, [
        ...args,
        '--context',
        'kind-msa',
        ...(output.marker.target === 'kind' ? [] : ['--allow-context-mismatch']),
      ]);
    const systems = output.marker.systems;
    const namespaces = output.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    const rolledOut = output.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
    const jobs = output.objects.filter((o) => o.kind === 'Job');
    const described = `${systems.map((s) => s.name).join(', ')} \\(target ${escape(output.marker.target)}`;

    expectCli(
      `dry run of ${output.name} on a cluster without its namespaces changes nothing`,
      cli(['deploy', '--dir', output.dir, '--dry-run']),
      0,
      new RegExp(
        `does not exist yet: server dry run[\\s\\S]*server dry run of ${described}.*passed; nothing was changed`,
      ),
    );
    const left = cluster.kubectlQuiet(['get', 'namespaces', '-o', 'name']);
    if (namespaces.some((ns) => left.includes(`namespace/${ns}`)))
      throw new Failure(`✗ deploy command: the dry run created a namespace:\n${left}`);

    cluster.apply(toYaml(volumesFor('deploy', output.objects)));
    expectCli(
      `deploys ${output.name} and waits for every rollout`,
      cli(['deploy', '--dir', output.dir, '--wait', '--timeout', '180']),
      0,
      new RegExp(`prune within ApplySet secret/cdk8s-msa-${escape(systems[0].name)}[\\s\\S]*deployed ${described}`),
      ...rolledOut.map((w) => new RegExp(`✓ ${escape(`${w.metadata.namespace}/${w.metadata.name}`)} is Available`)),
      ...jobs.map((j) => new RegExp(`✓ ${escape(`${j.metadata.namespace}/${j.metadata.name}`)} is Complete`)),
    );
    expectCli('re-deploy is a no-op for kubectl diff', cli(['diff', '--dir', output.dir]), 0, /no differences/);
    expectCli(
      'a dry run where the namespaces exist checks them in place',
      cli(['deploy', '--dir', output.dir, '--dry-run']),
      0,
      /\(server dry run\)[\s\S]*passed; nothing was changed/,
    );
    const edited = path.join(work, 'edited');
    fs.cpSync(output.dir, edited, { recursive: true });
    const file = path.join(edited, systems[0].file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/image: /, 'image: registry.example.com/'));
    expectCli(
      'refuses output edited after synth',
      cli(['deploy', '--dir', edited]),
      2,
      new RegExp(`it changed after synth: ${escape(systems[0].file)} was edited`),
    );
    const empty = path.join(work, 'empty');
    fs.mkdirSync(empty);
    expectCli('refuses an empty directory', cli(['deploy', '--dir', empty]), 2, /it is empty/);
    deleteNamespaces(cluster, 'deploy command', namespaces);
    cluster.kubectlQuiet(['delete', 'persistentvolume', '--all', '--wait=false']);

    const labCli = (args: string[]) => deployCli(cluster, kubeconfig, [...args, '--context', 'kind-msa']);
    const eksLab = path.join(work, 'lab-eks');
    const platformGateway = GatewayReference.shared({ name: 'edge', namespace: 'gateway-system' });
    synthSmall(
      eksLab,
      {
        api: {
          healthCheck: HealthCheck.http('/ready'),
          expose: Exposure.route({ host: 'api.lab.example.com', gateway: platformGateway }),
        },
      },
      Target.eks(),
    );
    expectCli(
      'refuses a context that does not look like the target',
      labCli(['deploy', '--dir', eksLab]),
      2,
      /context "kind-msa" does not look like target "eks"/,
    );
    expectCli(
      'deploys a route on eks with its TargetGroupConfiguration (our CRD)',
      labCli(['deploy', '--dir', eksLab, '--allow-context-mismatch']),
      0,
      /httproute.gateway.networking.k8s.io\/api serverside-applied/,
      /targetgroupconfiguration.gateway.k8s.aws\/api serverside-applied/,
    );
    deleteNamespaces(cluster, 'deploy command', ['lab']);
    cluster.kubectlQuiet(['delete', 'storageclass', 'gp3']);
    const before = path.join(work, 'lab-before');
    const changed = path.join(work, 'lab-changed');
    const after = path.join(work, 'lab-after');
    const withVolume = { volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(1) })] };
    synthSmall(before, { api: {}, worker: withVolume });
    synthSmall(changed, { api: { image: 'ghcr.io/acme/api:1.1.0' }, worker: withVolume });
    synthSmall(after, { api: {} });
    expectCli(
      'deploys a two-service system',
      labCli(['deploy', '--dir', before]),
      0,
      /deployment.apps\/worker serverside-applied/,
    );
    expectCli(
      'diff shows a changed image',
      labCli(['diff', '--dir', changed]),
      1,
      /-\s+(- )?image: ghcr.io\/acme\/api:1.0.0\n\+\s+(- )?image: ghcr.io\/acme\/api:1.1.0/,
    );
    cluster.apply(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hand-made, namespace: lab}\ndata: {owner: someone-else}\n',
    );
    expectCli(
      'diff lists what the prune would delete',
      labCli(['diff', '--dir', after]),
      1,
      /deploy would delete \d+ object\(s\) of system lab[^]*^- deployment\.apps\/worker$/m,
    );
    expectCli(
      'prunes the removed service, only within the ApplySet',
      labCli(['deploy', '--dir', after]),
      0,
      /deployment.apps\/worker pruned/,
    );
    const remaining = cluster.kubectl(['get', 'deployment,service,configmap', '-n', 'lab', '-o', 'name']);
    if (/worker/.test(remaining) || !/configmap\/hand-made/.test(remaining) || !/deployment.apps\/api/.test(remaining))
      throw new Failure(`✗ deploy command: prune left the wrong objects:\n${remaining}`);
    const claims = cluster.kubectl(['get', 'persistentvolumeclaim', '-n', 'lab', '-o', 'name']);
    if (!claims.includes('persistentvolumeclaim/worker-data'))
      throw new Failure(
        `✗ deploy command: pruning the removed service deleted its claim (and its volume's data):\n${claims}`,
      );
    // Server-side apply would reset replicas to 1 when the manifest stops sending them (an HPA took over).
    const scaled = path.join(work, 'lab-scaled');
    const autoscaled = path.join(work, 'lab-autoscaled');
    synthSmall(scaled, { api: { replicas: 3 } });
    synthSmall(autoscaled, { api: { autoscaling: { minReplicas: 2, maxReplicas: 5 } } });
    expectCli('deploys 3 replicas', labCli(['deploy', '--dir', scaled]), 0, /deployment.apps\/api serverside-applied/);
    cluster.kubectl(['scale', 'deployment', 'api', '-n', 'lab', '--replicas=4']);
    expectCli(
      'a field changed by kubectl scale since the last deploy is a conflict, with a hint',
      labCli(['deploy', '--dir', scaled]),
      1,
      /conflict with "kubectl" with subresource "scale"[^]*\nHint: another field manager \("kubectl"[^]*--force-conflicts/,
    );
    expectCli(
      "--force-conflicts sets it back to the output's",
      labCli(['deploy', '--dir', scaled, '--force-conflicts']),
      0,
      /deployment.apps\/api serverside-applied/,
    );
    expectCli(
      'hands the replica count over when an HPA takes over',
      labCli(['deploy', '--dir', autoscaled]),
      0,
      /Deployment api: its HPA takes over the replica count; 3 replica\(s\) kept/,
    );
    const replicas = cluster.kubectl(['get', 'deployment', 'api', '-n', 'lab', '-o', 'jsonpath={.spec.replicas}']);
    if (replicas.trim() !== '3')
      throw new Failure(
        `✗ deploy command: the Deployment an HPA took over has ${replicas} replica(s) instead of the 3 it ran`,
      );
    deleteNamespaces(cluster, 'deploy command', ['lab']);

    const [small, bigger] = [1, 2].map((gibibytes) => {
      const out = path.join(work, `lab-volume-${gibibytes}`);
      synthSmall(out, {
        db: {
          statefulSet: {},
          volumes: [Storage.persistent('data', { mountPath: '/data', size: Size.gibibytes(gibibytes) })],
        },
      });
      return out;
    });
    expectCli(
      'deploys a StatefulSet',
      labCli(['deploy', '--dir', small]),
      0,
      /statefulset.apps\/db serverside-applied/,
    );
    expectCli(
      'a changed volume claim template is refused by the server, with a hint',
      labCli(['deploy', '--dir', bigger]),
      1,
      // 1.37 names spec.volumeClaimTemplates; 1.32 says spec: Forbidden (updates to statefulset spec ...).
      /The StatefulSet "db" is invalid: spec(\.volumeClaimTemplates)?[:[][^]*\nHint: [^\n]*kubectl delete statefulset db --cascade=orphan -n lab/,
    );
    deleteNamespaces(cluster, 'deploy command', ['lab']);

    const stuck = path.join(work, 'lab-stuck');
    synthSmall(stuck, { greedy: { resources: { cpu: { request: '100', limit: '100' } } } });
    expectCli(
      '--wait times out cleanly on a Deployment that cannot become ready',
      labCli(['deploy', '--dir', stuck, '--wait', '--timeout', '8']),
      3,
      /✗ lab\/greedy did not become Available in 8s; its events:[\s\S]*FailedScheduling[\s\S]*Insufficient cpu[\s\S]*timed out after 8s waiting for lab\/greedy/,
    );
    deleteNamespaces(cluster, 'deploy command', ['lab']);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Installs the Gateway API CRDs, the operators' CRDs and our controllers' CRDs, as a platform would, and waits until they serve. */
function installPlatformCrds(cluster: ControlPlane): void {
  const dirs = ['gateway-api', 'operator-crds'].map((what) =>
    execFileSync('bash', [buildTools, '--print-dir', what], { encoding: 'utf8' }).trim(),
  );
  const files = cluster.installCrds(dirs, (file, install) => {
    step('platform', `install CRD ${file}`, install);
  });
  log(`CRDs installed and established: ${files.join(', ')} (${dirs.map((d) => path.basename(d)).join(', ')} and ours)`);
}

async function main(): Promise<number> {
  const versionsFile = fs.readFileSync(path.join(repo, 'scripts/cluster/versions.sh'), 'utf8');
  const pinned = /KUBE_VERSIONS="([^"]+)"/.exec(versionsFile)![1].split(/\s+/);
  const versions = (process.env.CLUSTER_VERSIONS ?? pinned.join(' ')).split(/[\s,]+/).filter(Boolean);
  const root = path.resolve(process.env.CLUSTER_DIST ?? path.join(repo, 'dist'));
  const wanted = process.env.CLUSTER_OUTPUTS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const outputs = findOutputs(root).filter((o) => !wanted || wanted.includes(o.name));
  if (outputs.length === 0)
    throw new Failure(
      `${root} holds no complete output${wanted ? ` named ${wanted.join(', ')}` : ''} (a directory with ${OUTPUT_MARKER})`,
    );
  execFileSync('bash', [buildTools, 'etcd', 'kwok', 'gateway-api', 'operator-crds', ...versions], { stdio: 'inherit' });
  for (const version of versions) {
    const cluster = new ControlPlane(toolDirs(version));
    try {
      await cluster.start();
      installPlatformCrds(cluster);
      for (const output of outputs) await checkOutput(cluster, output);
      const operators = step('operators', 'strict apply of every operator object shape', () =>
        checkOperatorObjects(cluster),
      );
      log(`✓ operators: ${operators} strict-applied against the operators' CRDs, re-apply a no-op`);
      await checkRejections(cluster, outputs[0]);
      // The command's checks need a built-in target with a context pattern, or any target with --context: all qualify.
      if (version === versions[0])
        await checkDeployCommand(cluster, outputs.find((o) => o.marker.target === 'kind') ?? outputs[0]);
    } finally {
      cluster.stop();
    }
    log(`✓ Kubernetes ${version}: ${outputs.length} output(s) passed (${outputs.map((o) => o.name).join(', ')})`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${e instanceof Failure ? e.message : e.stack}\n`);
    process.exitCode = 1;
  },
);
