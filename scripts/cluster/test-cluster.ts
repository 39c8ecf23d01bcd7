import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { App } from 'cdk8s';
import { Exposure, Manifests, MicroserviceProps, MicroserviceSystem, Target } from '../../lib';
import { podSelectorOf } from '../../cli/wait';
import { toYaml } from '../../lib/yaml-writer';
import { ControlPlane, ToolDirs } from './control-plane';

/**
 * `npm run test:cluster`: applies every dist/<target>/ to a real control plane of each pinned
 * Kubernetes version and checks what a schema cannot: strict server validation, Pod Security
 * "restricted" warnings as errors, Deployments reaching Available on kwok nodes, a rolling update
 * within maxUnavailable, idempotent re-apply, and that broken manifests are rejected.
 *
 * Env: CLUSTER_VERSIONS (default: every version in versions.sh), CLUSTER_TARGETS (default: all
 * dirs under dist/).
 */
const repo = path.resolve(__dirname, '../../..');
const buildTools = path.join(repo, 'scripts/cluster/build-tools.sh');
const dist = path.join(repo, 'dist');

class Failure extends Error {}
const log = (line: string) => process.stdout.write(`${line}\n`);

function toolDirs(version: string): ToolDirs {
  const dir = (what: string) => execFileSync('bash', [buildTools, '--print-dir', what], { encoding: 'utf8' }).trim();
  return { kube: dir(version), etcd: dir('etcd'), kwok: dir('kwok') };
}

function loadObjects(dir: string): any[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort()
    .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as any[]);
}

/** Runs a kubectl step; on failure names the target, step and the server's message. */
function step(target: string, what: string, run: () => string): string {
  try {
    return run();
  } catch (e: any) {
    throw new Failure(`✗ ${target}: ${what} failed:\n${String(e.stderr || e.message).trim()}`);
  }
}

const strictApply = ['apply', '--server-side', '--field-manager=cdk8s-msa', '--validate=strict', '--warnings-as-errors', '-f', '-'];

/**
 * Server warnings a target's output triggers by design. Everything else (Pod Security
 * "restricted" violations above all) fails the run, like --warnings-as-errors.
 */
const EXPECTED_WARNINGS: Array<[RegExp, RegExp, string]> = [
  [/^gke/, /annotation "kubernetes.io\/ingress.class" is deprecated/, 'GKE ignores spec.ingressClassName; its controller reads only the annotation'],
];

/** Strict apply (or server dry-run) that fails on any warning not expected for the target. */
function applyStrict(cluster: ControlPlane, target: string, what: string, objects: any[], dryRun: boolean): void {
  const args = ['apply', '--server-side', '--field-manager=cdk8s-msa', '--validate=strict', ...(dryRun ? ['--dry-run=server'] : []), '-f', '-'];
  let warnings: string[];
  try {
    warnings = cluster.kubectlWarnings(args, toYaml(objects)).warnings;
  } catch (e: any) {
    throw new Failure(`✗ ${target}: ${what} failed:\n${String(e.stderr).trim()}`);
  }
  const unexpected = warnings.filter((w) => !EXPECTED_WARNINGS.some(([t, pattern]) => t.test(target) && pattern.test(w)));
  if (unexpected.length > 0) throw new Failure(`✗ ${target}: ${what} drew warnings from the server:\n${unexpected.join('\n')}`);
}

/** Pre-provisioned PersistentVolumes matching each claim (kwok has no storage driver). */
function volumesFor(target: string, objects: any[]): any[] {
  return objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((pvc) => ({
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name: `${target}-${pvc.metadata.namespace}-${pvc.metadata.name}`, labels: { 'cdk8s-msa-test': 'true' } },
    spec: {
      capacity: { storage: pvc.spec.resources.requests.storage },
      accessModes: pvc.spec.accessModes,
      storageClassName: pvc.spec.storageClassName ?? '',
      persistentVolumeReclaimPolicy: 'Delete',
      hostPath: { path: `/tmp/${target}-${pvc.metadata.name}` },
      claimRef: { namespace: pvc.metadata.namespace, name: pvc.metadata.name },
    },
  }));
}

async function sleep(ms: number) { return new Promise((r) => setTimeout(r, ms)); }

/** Changes one Deployment's image and samples its ReplicaSets until the rollout is done. */
async function rollingUpdate(cluster: ControlPlane, target: string, deployment: any): Promise<string> {
  const ns = deployment.metadata.namespace;
  const name = deployment.metadata.name;
  const replicas: number = deployment.spec.replicas;
  const maxUnavailable: number = deployment.spec.strategy.rollingUpdate.maxUnavailable;
  const updated = JSON.parse(JSON.stringify(deployment));
  updated.spec.template.spec.containers[0].image = `${updated.spec.template.spec.containers[0].image}-next`;
  applyStrict(cluster, target, `rolling update of Deployment ${ns}/${name}`, [updated], false);
  const selector = podSelectorOf(deployment);
  let lowest = Infinity;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const sets = JSON.parse(cluster.kubectl(['get', 'replicasets', '-n', ns, '-l', selector, '-o', 'json'])).items;
    const available = sets.reduce((sum: number, rs: any) => sum + (rs.status.availableReplicas ?? 0), 0);
    lowest = Math.min(lowest, available);
    const dep = JSON.parse(cluster.kubectl(['get', 'deployment', name, '-n', ns, '-o', 'json']));
    const done = dep.status.observedGeneration >= dep.metadata.generation && dep.status.updatedReplicas === replicas
      && dep.status.availableReplicas === replicas && (dep.status.replicas ?? 0) === replicas;
    if (done) {
      if (lowest < replicas - maxUnavailable) {
        throw new Failure(`✗ ${target}: rolling update of ${ns}/${name} dropped to ${lowest} available pods (replicas ${replicas}, maxUnavailable ${maxUnavailable})`);
      }
      return `rolling update of ${name} kept ≥${lowest} pods available (replicas ${replicas}, maxUnavailable ${maxUnavailable}, ${sets.length} ReplicaSets)`;
    }
    await sleep(200);
  }
  throw new Failure(`✗ ${target}: rolling update of ${ns}/${name} did not finish in 120s`);
}

async function checkTarget(cluster: ControlPlane, target: string): Promise<void> {
  const started = Date.now();
  const dir = path.join(dist, target);
  if (!fs.existsSync(path.join(dir, Manifests.OUTPUT_MARKER))) throw new Failure(`✗ ${target}: ${dir} has no ${Manifests.OUTPUT_MARKER}; run npm run synth first`);
  const objects = loadObjects(dir);
  const clusterScoped = objects.filter((o) => Manifests.CLUSTER_SCOPED_KINDS.includes(o.kind));
  const namespaced = objects.filter((o) => !Manifests.CLUSTER_SCOPED_KINDS.includes(o.kind));
  const namespaces = clusterScoped.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);

  // 1-2. Cluster-scoped objects (the Namespace with its Pod Security labels) first, dry-run then real.
  applyStrict(cluster, target, 'server dry-run of cluster-scoped objects', clusterScoped, true);
  applyStrict(cluster, target, 'apply of cluster-scoped objects', clusterScoped, false);
  step(target, 'pre-provisioned PersistentVolumes', () => cluster.apply(toYaml(volumesFor(target, objects))));
  applyStrict(cluster, target, 'server dry-run (strict, warnings as errors)', namespaced, true);
  applyStrict(cluster, target, 'server-side apply', namespaced, false);

  // 3. Every Deployment becomes Available on the kwok nodes.
  const deployments = namespaced.filter((o) => o.kind === 'Deployment');
  for (const d of deployments) {
    const ns = d.metadata.namespace;
    try {
      cluster.kubectl(['rollout', 'status', `deployment/${d.metadata.name}`, '-n', ns, '--timeout=120s']);
    } catch (e: any) {
      const state = cluster.kubectlQuiet(['get', 'pods,pvc,pv', '-n', ns, '-o', 'wide']);
      const events = cluster.kubectlQuiet(['get', 'events', '-n', ns, '--sort-by=.lastTimestamp']);
      throw new Failure(`✗ ${target}: Deployment ${ns}/${d.metadata.name} did not become Available: ${String(e.stderr).trim()}\n${state}\n${events}`);
    }
  }
  const claims = namespaced.filter((o) => o.kind === 'PersistentVolumeClaim');
  for (const c of claims) {
    const phase = cluster.kubectlQuiet(['get', 'pvc', c.metadata.name, '-n', c.metadata.namespace, '-o', 'jsonpath={.status.phase}']);
    if (phase !== 'Bound') throw new Failure(`✗ ${target}: PersistentVolumeClaim ${c.metadata.namespace}/${c.metadata.name} is ${phase || 'missing'}, not Bound`);
  }

  // 5. Re-applying the same output changes nothing: `kubectl diff` shows no change, and after a
  // real re-apply no object's generation moved (status updates by controllers don't count).
  const diff = spawnSync(cluster.kubectlPath, [`--kubeconfig=${cluster.kubeconfig}`, 'diff', '--server-side', '--field-manager=cdk8s-msa', '-f', '-'], { input: toYaml(namespaced), encoding: 'utf8' });
  if (diff.status !== 0) throw new Failure(`✗ ${target}: re-applying the same output would change objects:\n${diff.stdout}${diff.stderr}`);
  const generations = () => cluster.kubectl(['get', 'deployment,hpa,pdb,networkpolicy,ingress', '-n', namespaces[0], '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.generation}{"\\n"}{end}']);
  const before = generations();
  applyStrict(cluster, target, 're-apply', namespaced, false);
  const after = generations();
  if (before !== after) {
    const changed = after.split('\n').filter((line) => !before.split('\n').includes(line));
    throw new Failure(`✗ ${target}: re-applying the same output changed ${changed.join(', ')}`);
  }

  // 4. A rolling update stays within maxUnavailable.
  const rolling = deployments.find((d) => d.spec.strategy.type === 'RollingUpdate' && d.spec.replicas >= 2);
  const update = rolling ? await rollingUpdate(cluster, target, rolling) : 'no rolling Deployment with replicas';

  // Clean up for the next target.
  for (const ns of namespaces) step(target, `delete namespace ${ns}`, () => cluster.kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s']));
  cluster.kubectlQuiet(['delete', 'storageclass,persistentvolume', '-l', 'cdk8s-msa-test=true', '--wait=false']);
  cluster.kubectlQuiet(['delete', 'persistentvolume', '--all', '--wait=false']);
  for (const sc of clusterScoped.filter((o) => o.kind === 'StorageClass')) cluster.kubectlQuiet(['delete', 'storageclass', sc.metadata.name]);
  log(`✓ ${target}: ${objects.length} objects, ${deployments.length} Deployments Available, ${claims.length} PVC Bound, re-apply no-op, ${update} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

/** Broken variants of a valid output that the server must reject. */
function brokenVariants(objects: any[]): Array<[string, any[], RegExp]> {
  const copy = () => JSON.parse(JSON.stringify(objects.filter((o) => !Manifests.CLUSTER_SCOPED_KINDS.includes(o.kind))));
  const firstDeployment = (list: any[]) => list.find((o) => o.kind === 'Deployment');
  const selector = copy();
  firstDeployment(selector).spec.selector.matchLabels['app.kubernetes.io/name'] = 'something-else';
  const privileged = copy();
  firstDeployment(privileged).spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
  const unknown = copy();
  firstDeployment(unknown).spec.template.spec.containers[0].imagePullPolicyy = 'Always';
  return [
    ['a selector that does not match the template labels', selector, /selector.*does not match template labels|`selector` does not match/],
    ['a pod template that violates restricted', privileged, /violate PodSecurity "restricted/],
    ['an unknown field', unknown, /imagePullPolicyy: field not declared in schema|unknown field "spec.template.spec.containers\[0\].imagePullPolicyy"/],
  ];
}

async function checkRejections(cluster: ControlPlane, target: string): Promise<void> {
  const objects = loadObjects(path.join(dist, target));
  cluster.kubectl(strictApply, toYaml(objects.filter((o) => Manifests.CLUSTER_SCOPED_KINDS.includes(o.kind))));
  for (const [what, broken, expected] of brokenVariants(objects)) {
    let message = '';
    try {
      cluster.kubectl([...strictApply, '--dry-run=server'], toYaml(broken));
    } catch (e: any) {
      message = String(e.stderr);
    }
    if (!expected.test(message)) throw new Failure(`✗ the server accepted ${what} (expected ${expected}); got: ${message || 'success'}`);
    log(`✓ rejects ${what}: ${message.split('\n').find((l) => expected.test(l))?.trim().slice(0, 160)}`);
  }
  for (const ns of objects.filter((o) => o.kind === 'Namespace')) cluster.kubectl(['delete', 'namespace', ns.metadata.name, '--wait=true', '--timeout=120s']);
}

/** Runs the real `cdk8s-msa` command against the test cluster. */
function deployCli(cluster: ControlPlane, kubeconfig: string, args: string[]): { code: number; output: string } {
  const run = spawnSync(process.execPath, [path.join(repo, 'build/bin/cdk8s-msa.js'), ...args, `--kubeconfig=${kubeconfig}`, `--kubectl=${cluster.kubectlPath}`], { encoding: 'utf8' });
  return { code: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}

function expectCli(what: string, result: { code: number; output: string }, code: number, pattern: RegExp): void {
  if (result.code !== code || !pattern.test(result.output)) {
    throw new Failure(`✗ deploy command: ${what}: expected exit ${code} and ${pattern}, got exit ${result.code}:\n${result.output}`);
  }
  log(`✓ deploy command: ${what}`);
}

/** Synthesizes a small system into `dir` (for prune and timeout scenarios). */
function synthSmall(dir: string, services: { [name: string]: Partial<MicroserviceProps> }): void {
  const app = new App();
  const system = new MicroserviceSystem(app, 'lab', { target: Target.kind() });
  for (const [name, props] of Object.entries(services)) system.addService(name, { image: `ghcr.io/acme/${name}:1.0.0`, port: 8080, expose: Exposure.ingress(), ...props });
  Manifests.write(Manifests.synthesize(app), dir);
}

/** The deploy command against the real control plane: deploy, diff, prune, refusals, --wait timeout. */
async function checkDeployCommand(cluster: ControlPlane): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-deploy-test-'));
  try {
    const kubeconfig = path.join(work, 'kubeconfig');
    fs.copyFileSync(cluster.kubeconfig, kubeconfig);
    cluster.kubectl(['config', 'rename-context', 'test', 'kind-msa', `--kubeconfig=${kubeconfig}`]);
    const cli = (args: string[]) => deployCli(cluster, kubeconfig, args);

    cluster.apply(toYaml(volumesFor('deploy', loadObjects(path.join(dist, 'kind')))));
    expectCli('deploys the kind output and waits for every rollout', cli(['deploy', '--target', 'kind', '--context', 'kind-msa', '--wait', '--timeout', '120']), 0,
      /applying 1 cluster-scoped object\(s\) first[\s\S]*prune within ApplySet secret\/cdk8s-msa-shop[\s\S]*pods: 2 created, 2 scheduled, 2 running, 2 ready[\s\S]*✓ shop\/web is Available[\s\S]*deployed shop to kind-msa/);
    expectCli('re-deploy is a no-op for kubectl diff', cli(['diff', '--target', 'kind', '--context', 'kind-msa']), 0, /no differences/);
    const changed = path.join(work, 'kind-changed');
    fs.cpSync(path.join(dist, 'kind'), changed, { recursive: true });
    const file = path.join(changed, 'shop.k8s.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('ghcr.io/acme/web:2.3.0', 'ghcr.io/acme/web:2.4.0'));
    expectCli('diff shows a changed image', cli(['diff', '--target', 'kind', '--context', 'kind-msa', '--dir', changed]), 1, /-\s+image: ghcr.io\/acme\/web:2.3.0\n\+\s+image: ghcr.io\/acme\/web:2.4.0/);
    expectCli('refuses a context that does not look like the target', cli(['deploy', '--target', 'eks', '--context', 'kind-msa']), 2, /context "kind-msa" does not look like target "eks"/);
    const empty = path.join(work, 'empty');
    fs.mkdirSync(empty);
    expectCli('refuses an empty directory', cli(['deploy', '--target', 'kind', '--context', 'kind-msa', '--dir', empty]), 2, /it is empty/);
    cluster.kubectl(['delete', 'namespace', 'shop', '--wait=true', '--timeout=120s']);

    cluster.apply(toYaml(volumesFor('deploy-eks', loadObjects(path.join(dist, 'eks')))));
    expectCli('deploys a cloud target with the context check bypassed explicitly', cli(['deploy', '--target', 'eks', '--context', 'kind-msa', '--allow-context-mismatch', '--wait', '--timeout', '120']), 0,
      /storageclass.storage.k8s.io\/gp3 serverside-applied[\s\S]*✓ shop\/postgres is Available/);
    cluster.kubectl(['delete', 'namespace', 'shop', '--wait=true', '--timeout=120s']);

    const before = path.join(work, 'lab-before');
    const after = path.join(work, 'lab-after');
    synthSmall(before, { api: {}, worker: {} });
    synthSmall(after, { api: {} });
    expectCli('deploys a two-service system', cli(['deploy', '--target', 'kind', '--context', 'kind-msa', '--dir', before]), 0, /deployment.apps\/worker serverside-applied/);
    cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hand-made, namespace: lab}\ndata: {owner: someone-else}\n');
    expectCli('prunes the removed service, only within the ApplySet', cli(['deploy', '--target', 'kind', '--context', 'kind-msa', '--dir', after]), 0, /deployment.apps\/worker pruned/);
    const left = cluster.kubectl(['get', 'deployment,service,configmap', '-n', 'lab', '-o', 'name']);
    if (/worker/.test(left) || !/configmap\/hand-made/.test(left) || !/deployment.apps\/api/.test(left)) throw new Failure(`✗ deploy command: prune left the wrong objects:\n${left}`);
    cluster.kubectl(['delete', 'namespace', 'lab', '--wait=true', '--timeout=120s']);

    const stuck = path.join(work, 'lab-stuck');
    synthSmall(stuck, { greedy: { resources: { cpu: { request: '100', limit: '100' } } } });
    expectCli('--wait times out cleanly on a Deployment that cannot become ready', cli(['deploy', '--target', 'kind', '--context', 'kind-msa', '--dir', stuck, '--wait', '--timeout', '8']), 3,
      /✗ lab\/greedy did not become Available in 8s; its events:[\s\S]*FailedScheduling[\s\S]*Insufficient cpu[\s\S]*timed out after 8s waiting for lab\/greedy/);
    cluster.kubectl(['delete', 'namespace', 'lab', '--wait=true', '--timeout=120s']);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const versionsFile = fs.readFileSync(path.join(repo, 'scripts/cluster/versions.sh'), 'utf8');
  const pinned = /KUBE_VERSIONS="([^"]+)"/.exec(versionsFile)![1].split(/\s+/);
  const versions = (process.env.CLUSTER_VERSIONS ?? pinned.join(' ')).split(/[\s,]+/).filter(Boolean);
  if (!fs.existsSync(dist)) throw new Failure('dist/ does not exist: run npm run synth first');
  const targets = (process.env.CLUSTER_TARGETS?.split(',') ?? fs.readdirSync(dist).filter((d) => fs.existsSync(path.join(dist, d, Manifests.OUTPUT_MARKER)))).sort();
  if (targets.length === 0) throw new Failure('dist/ holds no complete target output');
  execFileSync('bash', [buildTools, 'etcd', 'kwok', ...versions], { stdio: 'inherit' });
  for (const version of versions) {
    const cluster = new ControlPlane(toolDirs(version));
    try {
      await cluster.start();
      for (const target of targets) await checkTarget(cluster, target);
      await checkRejections(cluster, targets[0]);
      if (version === versions[0] && targets.includes('kind') && targets.includes('eks')) await checkDeployCommand(cluster);
    } finally {
      cluster.stop();
    }
    log(`✓ Kubernetes ${version}: ${targets.length} targets passed`);
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`${e instanceof Failure ? e.message : e.stack}\n`);
  process.exitCode = 1;
});
