import { spawnSync } from 'child_process';
import * as path from 'path';
import { CLUSTER_SCOPED_KINDS, OUTPUT_MARKER } from '../../lib/output/contract';
import { toYaml } from '../../lib/yaml-writer';
import { podSelectorOf } from '../../cli/wait';
import { ControlPlane } from './control-plane';
import { checkDeployCommand } from './deploy-command-checks';
import { checkOperatorObjects } from './operator-objects';
import { claimsOf, deleteNamespaces, Failure, findOutputs, log, Output, step, volumesFor } from './outputs';
import { buildTools, controlPlaneTools, kubeVersionsFrom, toolDir } from './tools';

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
const isClusterScoped = (o: any) => CLUSTER_SCOPED_KINDS.includes(o.kind);

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

/** Installs the Gateway API CRDs, the operators' CRDs and our controllers' CRDs, as a platform would, and waits until they serve. */
function installPlatformCrds(cluster: ControlPlane): void {
  const dirs = ['gateway-api', 'operator-crds'].map(toolDir);
  const files = cluster.installCrds(dirs, (file, install) => {
    step('platform', `install CRD ${file}`, install);
  });
  log(`CRDs installed and established: ${files.join(', ')} (${dirs.map((d) => path.basename(d)).join(', ')} and ours)`);
}

async function main(): Promise<number> {
  const versions = kubeVersionsFrom(process.env.CLUSTER_VERSIONS);
  const root = path.resolve(process.env.CLUSTER_DIST ?? path.join(repo, 'dist'));
  const wanted = process.env.CLUSTER_OUTPUTS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const outputs = findOutputs(root).filter((o) => !wanted || wanted.includes(o.name));
  if (outputs.length === 0)
    throw new Failure(
      `${root} holds no complete output${wanted ? ` named ${wanted.join(', ')}` : ''} (a directory with ${OUTPUT_MARKER})`,
    );
  buildTools('etcd', 'kwok', 'gateway-api', 'operator-crds', ...versions);
  for (const version of versions) {
    const cluster = new ControlPlane(controlPlaneTools(version));
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
