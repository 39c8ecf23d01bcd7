import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readOutput } from '../../cli/output';
import { COREDNS_IMAGE, TRAEFIK_IMAGE, coreDns, traefik } from './addons';
import { Outcome, connectivity, runningPods, servicesByHost } from './checks';
import { controls } from './controls';
import { buildStandinImages } from './images';
import { AppModel, exampleModel } from './model';
import { prerequisites, volumeDirectories } from './prerequisites';
import { CLUSTER_DNS, NodeToolDirs, RealNode, SANDBOX_IMAGE } from './real-node';
import { exampleTarget } from '../../apps/targets';
import { routeOutcomes, rollingUpdate } from './traffic';
import { Workloads } from './workloads';
import { controlPlaneTools, pinnedKubeVersions, toolDir } from '../cluster/tools';

/**
 * `npm run test:node`, inside the namespaces scripts/node/test-node.sh makes: runs each example
 * output (NODE_OUTPUTS, default kind,kubeadm) on a real node and proves that it works: pods become
 * Ready through their real probes and are not restarted, Jobs complete, each CronJob fires, every
 * dependency env var resolves and connects to its provider, every declared edge connects and every
 * undeclared pod-to-pod pair on a declared port is blocked, routes serve (where Traefik is the
 * Gateway implementation) and a rolling update keeps a service available. Prints per output and
 * in total: `test:node: P pods ready, E declared edges connect, B undeclared pairs blocked, M mismatches`.
 */
const repo = path.resolve(__dirname, '../../..');
const log = (line: string) => process.stdout.write(`${line}\n`);

/** Counts for the summary line. */
interface Tally {
  pods: number;
  declared: number;
  blocked: number;
  mismatches: string[];
}

function toolDirs(): NodeToolDirs & { gatewayApi: string; operatorCrds: string } {
  return {
    ...controlPlaneTools(pinnedKubeVersions()[0]),
    nodeKube: toolDir('node-kube'),
    addons: toolDir('node-addons'),
    gatewayApi: toolDir('gateway-api'),
    operatorCrds: toolDir('operator-crds'),
  };
}

/** Builds the stand-in (a static Go program) into build/node/. */
function buildStandin(): string {
  const out = path.join(repo, 'build/node/standin');
  execFileSync('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', out, '.'], {
    cwd: path.join(repo, 'scripts/node/standin'),
    env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
}

const toYamlStream = (objects: any[]) => objects.map((o) => JSON.stringify(o)).join('\n---\n');

async function main(): Promise<number> {
  const [run, nodeAddress] = process.argv.slice(2);
  const tools = toolDirs();
  const standin = buildStandin();
  const node = new RealNode(tools, nodeAddress, `/${run}`);
  const total: Tally = { pods: 0, declared: 0, blocked: 0, mismatches: [] };
  try {
    await node.start();
    node.installCrds([tools.gatewayApi, tools.operatorCrds]);
    const images = node.file('images');
    fs.mkdirSync(images, { recursive: true });
    const system = (name: string, args: string[]) => {
      const tarball = path.join(images, `${name}.tar`);
      execFileSync(standin, ['pack', `--out=${tarball}`, ...args]);
      node.importImage(tarball);
    };
    fs.writeFileSync(
      path.join(images, 'pause.json'),
      JSON.stringify({ image: 'pause', entries: [{ name: 'pause', argv: ['/standin'], mode: 'serve' }] }),
    );
    system('pause', [`--name=${SANDBOX_IMAGE}`, `--plan=${path.join(images, 'pause.json')}`]);
    system('coredns', [
      `--name=${COREDNS_IMAGE}`,
      `--binary=${path.join(tools.addons, 'coredns')}`,
      '--entrypoint=/coredns',
      '--user=0:0',
    ]);
    system('traefik', [
      `--name=${TRAEFIK_IMAGE}`,
      `--binary=${path.join(tools.addons, 'traefik')}`,
      '--entrypoint=/traefik',
    ]);
    node.apply(toYamlStream(coreDns(CLUSTER_DNS)));
    const workloads = new Workloads(node);
    await workloads.waitReady(['kube-system'], 120_000);
    log('CoreDNS ready');

    const names = (process.env.NODE_OUTPUTS ?? 'kind,kubeadm')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const name of names) {
      const tally = await testOutput(node, standin, path.join(repo, 'dist', name), workloads);
      total.pods += tally.pods;
      total.declared += tally.declared;
      total.blocked += tally.blocked;
      total.mismatches.push(...tally.mismatches);
    }
  } catch (e: any) {
    total.mismatches.push(`the run failed: ${e.message}`);
  } finally {
    const keep = process.env.NODE_KEEP_LOGS;
    if (keep) {
      fs.mkdirSync(keep, { recursive: true });
      for (const f of fs.readdirSync(node.file('.')).filter((n) => n.endsWith('.log')))
        fs.copyFileSync(node.file(f), path.join(keep, f));
    }
    node.stop();
  }
  for (const m of total.mismatches) log(`✗ ${m}`);
  log(summary('test:node', total));
  return total.mismatches.length === 0 ? 0 : 1;
}

/** A self-signed certificate for hosts, made with openssl in `dir`. */
function selfSigned(dir: string, hosts: string[]): { cert: string; key: string } {
  fs.mkdirSync(dir, { recursive: true });
  const [cert, key] = [path.join(dir, 'tls.crt'), path.join(dir, 'tls.key')];
  const names = hosts.length > 0 ? hosts : ['example.com'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((h) => `DNS:${h}`).join(',')}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
}

function summary(label: string, t: Tally): string {
  return `${label}: ${t.pods} pods ready, ${t.declared} declared edges connect, ${t.blocked} undeclared pairs blocked, ${t.mismatches.length} mismatches`;
}

/**
 * Runs an output app by app: the systems of one app (those its dependencies join) are applied,
 * checked and deleted before the next, so that two cores hold their requests.
 */
async function testOutput(node: RealNode, standin: string, dir: string, workloads: Workloads): Promise<Tally> {
  const { marker, systems } = readOutput(dir);
  const output = path.basename(dir);
  log(`== ${output} (target ${marker.target}): ${systems.map((s) => s.name).join(', ')}`);
  const model: AppModel = exampleModel(marker.target);
  const total: Tally = { pods: 0, declared: 0, blocked: 0, mismatches: [] };
  const traefikNamespace = traefikNamespaceOf(
    marker.target,
    systems.flatMap((s) => s.objects),
  );
  if (traefikNamespace) {
    node.apply(toYamlStream(traefik(traefikNamespace)));
    total.mismatches.push(...(await workloads.waitReady([traefikNamespace], 120_000)));
  }
  try {
    for (const app of apps(systems, model)) {
      const label = `${output}/${app.map((s) => s.name).join('+')}`;
      const started = Date.now();
      const tally = await testApp(node, standin, label, app, model, workloads, traefikNamespace);
      log(`  ${label} took ${Math.round((Date.now() - started) / 1000)}s`);
      log(summary(`test:node ${label}`, tally));
      total.pods += tally.pods;
      total.declared += tally.declared;
      total.blocked += tally.blocked;
      total.mismatches.push(...tally.mismatches.map((m) => `${label}: ${m}`));
    }
  } finally {
    if (traefikNamespace && traefikNamespace !== 'kube-system')
      node.kubectlQuiet(['delete', 'namespace', traefikNamespace, '--timeout=60s']);
  }
  return total;
}

/** The output's systems grouped into apps: systems joined by a dependency edge run together. */
function apps<S extends { readonly namespace: string }>(systems: S[], model: AppModel): S[][] {
  const group = new Map<string, number>(systems.map((s, i) => [s.namespace, i]));
  const find = (ns: string): number => group.get(ns) ?? -1;
  for (const edge of model.edges) {
    const [a, b] = [find(edge.from.namespace), find(edge.to.namespace)];
    if (a >= 0 && b >= 0 && a !== b) for (const [ns, g] of group) if (g === b) group.set(ns, a);
  }
  const byGroup = new Map<number, S[]>();
  for (const s of systems) byGroup.set(find(s.namespace), [...(byGroup.get(find(s.namespace)) ?? []), s]);
  return [...byGroup.values()];
}

async function testApp(
  node: RealNode,
  standin: string,
  label: string,
  systems: Array<{ readonly namespace: string; readonly objects: any[] }>,
  model: AppModel,
  workloads: Workloads,
  traefikNamespace: string | undefined,
): Promise<Tally> {
  const objects = systems.flatMap((s) => s.objects);
  const namespaces = systems.map((s) => s.namespace);
  log(`-- ${label}: ${objects.length} objects`);
  const tally: Tally = { pods: 0, declared: 0, blocked: 0, mismatches: [] };
  const volumeRoot = node.file(`volumes/${label}`);
  for (const d of volumeDirectories(objects, volumeRoot)) {
    fs.mkdirSync(d, { recursive: true });
    fs.chmodSync(d, 0o777);
  }
  for (const tarball of buildStandinImages(objects, standin, node.file(`images/${label}`))) node.importImage(tarball);
  node.apply(toYamlStream(objects.filter((o) => o.kind === 'Namespace')));
  node.apply(toYamlStream(prerequisites(objects, volumeRoot, (hosts) => selfSigned(node.file('tls'), hosts))));
  node.kubectl(['apply', '--server-side', '--field-manager=cdk8s-msa', '-f', '-'], toYamlStream(objects));
  try {
    tally.mismatches.push(...(await workloads.waitReady(namespaces, 300_000)));
    tally.mismatches.push(...(await workloads.fireCronJobs(namespaces, 180_000)));
    tally.pods = workloads.readyPods(namespaces);
    const pods = runningPods(node, namespaces, model);
    const services = servicesByHost(objects, model);
    count(tally, await connectivity(node, pods, model, services));
    if (traefikNamespace) count(tally, routeOutcomes(node, standin, objects, traefikNamespace, pods, model));
    const watch = await rollingUpdate(node, pods, model, workloads, services);
    if (watch) count(tally, [watch.outcome]);
    count(tally, await controls(node, objects, runningPods(node, namespaces, model), model));
    tally.mismatches.push(...workloads.restarts(namespaces));
  } finally {
    node.kubectlQuiet(['delete', 'namespace', ...namespaces, '--wait=true', '--timeout=120s']);
    node.kubectlQuiet(['delete', 'persistentvolume', '-l', 'cdk8s-msa.test/node-volume=true', '--wait=false']);
  }
  return tally;
}

/**
 * Where Traefik runs for an output whose Gateways use its class: the namespace the target says its
 * Gateway proxies run in (whose pods the routes' NetworkPolicies admit); none for other classes.
 */
function traefikNamespaceOf(targetId: string, objects: any[]): string | undefined {
  if (!objects.some((o) => o.kind === 'Gateway' && o.spec.gatewayClassName === 'traefik')) return undefined;
  return (
    exampleTarget(targetId).props.gateway?.proxies?.namespaceLabels['kubernetes.io/metadata.name'] ?? 'kube-system'
  );
}

function count(tally: Tally, outcomes: Outcome[]): void {
  for (const o of outcomes) {
    if (o.expected !== o.actual) {
      tally.mismatches.push(
        `${o.what}: expected ${o.expected ? 'to connect' : 'blocked'}, ${o.actual ? 'connected' : 'did not connect'} (${o.detail})`,
      );
      continue;
    }
    if (o.category === 'declared') tally.declared++;
    if (o.category === 'undeclared') tally.blocked++;
  }
  const matrix = outcomes.filter((o) => ['dns', 'dependency', 'declared', 'undeclared'].includes(o.category));
  if (matrix.length > 0)
    log(
      `  connectivity: ${matrix.length - matrix.filter((o) => o.expected !== o.actual).length}/${matrix.length} checks as expected`,
    );
  for (const o of outcomes.filter((x) => !matrix.includes(x)))
    log(`  ${o.expected === o.actual ? '✓' : '✗'} ${o.what}: ${o.detail}`);
}

main().then(
  (status) => process.exit(status),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  },
);
