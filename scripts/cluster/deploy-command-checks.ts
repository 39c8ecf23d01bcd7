import { spawnSync } from 'child_process';
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
import { toYaml } from '../../lib/yaml-writer';
import { ControlPlane } from './control-plane';
import { deleteNamespaces, Failure, log, Output, volumesFor } from './outputs';

const repo = path.resolve(__dirname, '../../..');

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
export async function checkDeployCommand(cluster: ControlPlane, output: Output): Promise<void> {
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
