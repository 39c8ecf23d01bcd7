import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CLUSTER_SCOPED_KINDS, OUTPUT_MARKER } from './synth';
import { toYaml } from './yaml-writer';
import { Target } from './targets/target';

/** Field manager of every apply the deploy command makes. */
export const FIELD_MANAGER = 'cdk8s-msa';

/** Exit codes of the `cdk8s-msa` command. */
export enum ExitCode {
  /** Done. */
  OK = 0,
  /** kubectl or the cluster failed; for `diff`: there are differences. */
  FAILED = 1,
  /** Bad arguments, or a refusal (output directory, context). */
  REFUSED = 2,
  /** `--wait` ran out of time before every Deployment was Available. */
  TIMEOUT = 3,
}

/** Parsed command line of `cdk8s-msa`. */
export interface DeployOptions {
  /** `deploy` or `diff`. */
  readonly command: 'deploy' | 'diff';
  /** Target id. */
  readonly target: string;
  /** kubectl context. @default - the current context */
  readonly context?: string;
  /** Output directory. @default dist/<target> */
  readonly dir: string;
  /** Server-side dry run only. */
  readonly dryRun: boolean;
  /** Follow every Deployment's rollout. */
  readonly wait: boolean;
  /** Seconds `--wait` may take. */
  readonly timeoutSeconds: number;
  /** Skip the check that the context looks like the target. */
  readonly allowContextMismatch: boolean;
  /** Prune objects of this system's ApplySet that are no longer in the output. */
  readonly prune: boolean;
  /** kubectl binary. */
  readonly kubectl: string;
  /** kubeconfig file. @default - kubectl's default */
  readonly kubeconfig?: string;
}

/** A refusal or failure with the exit code it maps to. */
export class DeployError extends Error {
  constructor(message: string, public readonly exitCode: ExitCode) {
    super(message);
    this.name = 'DeployError';
  }
}

export const USAGE = `Usage: cdk8s-msa <deploy|diff> --target <id> [options]

Applies a target's synthesized manifests with kubectl: server-side, Namespaces and other
cluster-scoped objects first, pruning scoped to this system's ApplySet.

Commands:
  deploy                 apply dist/<target>/ to the cluster
  diff                   show what deploy would change (kubectl diff --server-side)

Options:
  --target <id>          target profile id (${Target.BUILT_IN_IDS.join(', ')})
  --context <name>       kubectl context (default: the current context)
  --dir <path>           output directory (default: dist/<target>)
  --dry-run              server-side dry run: validate everything, change nothing
  --wait                 follow every Deployment until Available, with live progress
  --timeout <seconds>    how long --wait may take (default: 300)
  --no-prune             keep objects that left the output (default: prune within the ApplySet)
  --allow-context-mismatch  apply even if the context does not look like the target
  --kubeconfig <path>    kubeconfig file (default: kubectl's)
  --kubectl <path>       kubectl binary (default: kubectl on PATH)
  -h, --help             this text

Exit codes: 0 done, 1 kubectl/cluster failure (diff: differences found), 2 refused, 3 --wait timed out.`;

/** Parses `cdk8s-msa` arguments; throws DeployError(REFUSED) on bad input. */
export function parseArgs(argv: string[], env: { [key: string]: string | undefined } = {}): DeployOptions | 'help' {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return 'help';
  const [command, ...rest] = argv;
  if (command !== 'deploy' && command !== 'diff') throw new DeployError(`unknown command ${JSON.stringify(command)}; allowed: deploy, diff. Hint: cdk8s-msa --help`, ExitCode.REFUSED);
  const values: { [key: string]: string } = {};
  const flags = new Set<string>();
  const withValue = ['--target', '--context', '--dir', '--timeout', '--kubectl', '--kubeconfig'];
  const booleans = ['--dry-run', '--wait', '--no-prune', '--allow-context-mismatch'];
  for (let i = 0; i < rest.length; i++) {
    const [name, inline] = rest[i].split(/=(.*)/s, 2);
    if (withValue.includes(name)) {
      const value = inline ?? rest[++i];
      if (value === undefined || value.startsWith('--')) throw new DeployError(`${name} needs a value. Hint: cdk8s-msa --help`, ExitCode.REFUSED);
      values[name] = value;
    } else if (booleans.includes(name)) {
      flags.add(name);
    } else {
      throw new DeployError(`unknown option ${JSON.stringify(rest[i])}. Hint: cdk8s-msa --help`, ExitCode.REFUSED);
    }
  }
  const target = values['--target'];
  if (!target) throw new DeployError('--target is required. Hint: cdk8s-msa deploy --target kind', ExitCode.REFUSED);
  if (!Target.BUILT_IN_IDS.includes(target)) throw new DeployError(`--target: received ${JSON.stringify(target)}; allowed: ${Target.BUILT_IN_IDS.join(', ')}`, ExitCode.REFUSED);
  const timeoutSeconds = Number(values['--timeout'] ?? 300);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new DeployError(`--timeout: received ${JSON.stringify(values['--timeout'])}; allowed: a positive number of seconds`, ExitCode.REFUSED);
  return {
    command, target, timeoutSeconds,
    context: values['--context'],
    dir: values['--dir'] ?? path.join('dist', target),
    dryRun: flags.has('--dry-run'),
    wait: flags.has('--wait'),
    prune: !flags.has('--no-prune'),
    allowContextMismatch: flags.has('--allow-context-mismatch'),
    kubectl: values['--kubectl'] ?? env.KUBECTL ?? 'kubectl',
    kubeconfig: values['--kubeconfig'],
  };
}

/** One system's objects from an output directory. */
export interface OutputSystem {
  /** System name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its objects, in file order. */
  readonly objects: any[];
}

/**
 * Reads an output directory, refusing anything that is missing, empty, incomplete (no completion
 * marker, as after a failed or interrupted synth), produced for another target or not by this
 * library, or holding a document that is not a Kubernetes object.
 */
export function readOutput(dir: string, target: string): OutputSystem[] {
  const refuse = (why: string, hint: string) => new DeployError(`refusing ${dir}: ${why}. Hint: ${hint}`, ExitCode.REFUSED);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw refuse('it does not exist', `run \`npm run synth\` (or cdk8s synth) to write ${dir}`);
  if (fs.readdirSync(dir).length === 0) throw refuse('it is empty', 'an empty apply with pruning would delete everything: synthesize first');
  const markerPath = path.join(dir, OUTPUT_MARKER);
  if (!fs.existsSync(markerPath)) throw refuse(`it has no ${OUTPUT_MARKER}, so it is incomplete or not produced by cdk8s-msa`, 'synthesize again; a failed synth never writes the marker');
  let marker: any;
  try { marker = JSON.parse(fs.readFileSync(markerPath, 'utf8')); } catch { throw refuse(`${OUTPUT_MARKER} is not valid JSON`, 'synthesize again'); }
  if (marker.generator !== 'cdk8s-msa') throw refuse(`${OUTPUT_MARKER} names generator ${JSON.stringify(marker.generator)}`, 'point --dir at cdk8s-msa output');
  if (marker.target !== target) throw refuse(`it was synthesized for target "${marker.target}", not "${target}"`, `use --target ${marker.target} or --dir dist/${target}`);
  if (!Array.isArray(marker.systems) || marker.systems.length === 0) throw refuse('it holds no system', 'synthesize an app with at least one MicroserviceSystem');
  return marker.systems.map((system: any) => {
    const file = path.join(dir, system.file);
    if (!fs.existsSync(file)) throw refuse(`${system.file} listed in ${OUTPUT_MARKER} is missing`, 'synthesize again');
    let objects: any[];
    try { objects = (yaml.loadAll(fs.readFileSync(file, 'utf8')) as any[]).filter((o) => o !== null && o !== undefined); } catch (e: any) {
      throw refuse(`${system.file} is not valid YAML (${e.message.split('\n')[0]})`, 'synthesize again; do not edit the output by hand');
    }
    const bad = objects.findIndex((o) => typeof o !== 'object' || !o.apiVersion || !o.kind || !o.metadata?.name);
    if (bad >= 0) throw refuse(`document ${bad + 1} of ${system.file} is not a Kubernetes object`, 'synthesize again; do not edit the output by hand');
    if (objects.length !== system.objects) throw refuse(`${system.file} holds ${objects.length} objects, ${OUTPUT_MARKER} says ${system.objects}`, 'synthesize again; the directory was changed after synth');
    return { name: system.name, namespace: system.namespace, objects };
  });
}

/** A Deployment's pod selector as a kubectl `-l` argument. */
export function podSelectorOf(deployment: any): string {
  return Object.entries(deployment.spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Runs kubectl; returns status and output. */
export interface KubectlResult { readonly status: number; readonly stdout: string; readonly stderr: string }

/** Runs the real kubectl with the chosen context and kubeconfig. */
export class Kubectl {
  constructor(private readonly binary: string, private readonly env: NodeJS.ProcessEnv, private readonly context?: string, private readonly kubeconfig?: string) {}

  /** Runs `kubectl args`, with `input` on stdin. */
  public run(args: string[], input?: string, extraEnv: { [key: string]: string } = {}): KubectlResult {
    const global = [...(this.kubeconfig ? [`--kubeconfig=${this.kubeconfig}`] : []), ...(this.context ? [`--context=${this.context}`] : [])];
    const result = spawnSync(this.binary, [...global, ...args], { input, encoding: 'utf8', env: { ...this.env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw new DeployError(`cannot run kubectl (${this.binary}): ${result.error.message}. Hint: install kubectl or pass --kubectl <path>`, ExitCode.REFUSED);
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Runs kubectl and throws DeployError(FAILED) with its stderr when it fails. */
  public check(what: string, args: string[], input?: string, extraEnv: { [key: string]: string } = {}): string {
    const result = this.run(args, input, extraEnv);
    if (result.status !== 0) throw new DeployError(`${what} failed:\n${result.stderr.trim()}`, ExitCode.FAILED);
    return result.stdout;
  }
}

/** Checks kubectl, the context and that the cluster answers; returns the context used. */
export function preflight(options: DeployOptions, env: NodeJS.ProcessEnv, log: (line: string) => void): string {
  const plain = new Kubectl(options.kubectl, env, undefined, options.kubeconfig);
  plain.check('kubectl version --client', ['version', '--client', '-o', 'json']);
  const contexts = plain.check('listing kubectl contexts', ['config', 'get-contexts', '-o', 'name']).split('\n').filter(Boolean);
  const context = options.context ?? plain.run(['config', 'current-context']).stdout.trim();
  if (!context) throw new DeployError('no kubectl context is selected. Hint: pass --context or run `kubectl config use-context <name>`', ExitCode.REFUSED);
  if (!contexts.includes(context)) throw new DeployError(`context "${context}" does not exist; known: ${contexts.join(', ') || 'none'}`, ExitCode.REFUSED);
  const target = Target.fromId(options.target);
  if (!new RegExp(target.props.contextPattern).test(context) && !options.allowContextMismatch) {
    throw new DeployError(`context "${context}" does not look like target "${target.id}" (expected something like "${target.props.contextExample}"). Hint: pick the right context with --context, or pass --allow-context-mismatch if this really is a ${target.id} cluster`, ExitCode.REFUSED);
  }
  const kubectl = new Kubectl(options.kubectl, env, context, options.kubeconfig);
  const version = JSON.parse(kubectl.check(`reaching the cluster of context "${context}"`, ['version', '-o', 'json', '--request-timeout=15s'])).serverVersion?.gitVersion;
  const nodes = kubectl.check('listing nodes', ['get', 'nodes', '-o', 'name', '--request-timeout=15s']).split('\n').filter(Boolean).length;
  log(`context ${context}: Kubernetes ${version}, ${nodes} node(s)`);
  return context;
}

function withTempFile<T>(text: string, run: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-deploy-'));
  try {
    const file = path.join(dir, 'objects.yaml');
    fs.writeFileSync(file, text);
    return run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Name of the ApplySet (a Secret in the system's namespace) that scopes pruning to one system. */
export function applySetName(system: OutputSystem): string {
  return `cdk8s-msa-${system.name}`;
}

/**
 * The `applyset.kubernetes.io/part-of` value kubectl stamps on members of this system's ApplySet
 * (KEP-3659: base64url of sha256("<name>.<namespace>.Secret.")). `kubectl diff` knows no
 * ApplySets, so diff adds the label itself; otherwise every object would show it as removed.
 */
export function applySetId(system: OutputSystem): string {
  const digest = createHash('sha256').update(`${applySetName(system)}.${system.namespace}.Secret.`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** Applies an output: cluster-scoped objects first, then each system's namespace with its ApplySet. */
export function apply(kubectl: Kubectl, systems: OutputSystem[], options: DeployOptions, log: (line: string) => void): void {
  const dryRun = options.dryRun ? ['--dry-run=server'] : [];
  const base = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...dryRun];
  const clusterScoped = systems.flatMap((s) => s.objects.filter((o) => CLUSTER_SCOPED_KINDS.includes(o.kind)));
  log(`applying ${clusterScoped.length} cluster-scoped object(s) first${options.dryRun ? ' (server dry run)' : ''}`);
  log(withTempFile(toYaml(clusterScoped), (file) => kubectl.check('apply of cluster-scoped objects', [...base, '-f', file])).trim());
  for (const system of systems) {
    const namespaced = system.objects.filter((o) => !CLUSTER_SCOPED_KINDS.includes(o.kind));
    const prune = options.prune ? ['--prune', `--applyset=${applySetName(system)}`] : [];
    log(`applying ${namespaced.length} object(s) of system ${system.name} to namespace ${system.namespace}${options.prune ? ` (prune within ApplySet secret/${applySetName(system)})` : ''}`);
    const out = withTempFile(toYaml(namespaced), (file) => kubectl.check(`apply of system ${system.name}`, [...base, '-n', system.namespace, ...prune, '-f', file], undefined, { KUBECTL_APPLYSET: 'true' }));
    log(out.trim());
  }
}

/** Shows what deploy would change; returns true when there are differences. */
export function diff(kubectl: Kubectl, systems: OutputSystem[], prune: boolean, log: (line: string) => void): boolean {
  const withApplySetLabel = (system: OutputSystem, o: any) => (!prune || CLUSTER_SCOPED_KINDS.includes(o.kind) ? o
    : { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, 'applyset.kubernetes.io/part-of': applySetId(system) } } });
  const all = systems.flatMap((s) => s.objects.map((o) => withApplySetLabel(s, o)));
  const result = withTempFile(toYaml(all), (file) => kubectl.run(['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', file]));
  if (result.status > 1) throw new DeployError(`kubectl diff failed:\n${result.stderr.trim()}`, ExitCode.FAILED);
  log(result.status === 0 ? 'no differences' : result.stdout.trimEnd());
  return result.status === 1;
}

interface Progress { readonly desired: number; readonly updated: number; readonly ready: number; readonly available: number; readonly pods: string }

function progressOf(kubectl: Kubectl, namespace: string, deployment: any): Progress {
  const live = JSON.parse(kubectl.check(`reading Deployment ${deployment.metadata.name}`, ['get', 'deployment', deployment.metadata.name, '-n', namespace, '-o', 'json']));
  const pods = JSON.parse(kubectl.check('listing pods', ['get', 'pods', '-n', namespace, '-l', podSelectorOf(deployment), '-o', 'json'])).items as any[];
  const count = (test: (p: any) => boolean) => pods.filter(test).length;
  const ready = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  const upToDate = live.status?.observedGeneration >= live.metadata.generation;
  return {
    desired: live.spec.replicas ?? 1,
    updated: upToDate ? live.status?.updatedReplicas ?? 0 : 0,
    ready: live.status?.readyReplicas ?? 0,
    available: upToDate ? live.status?.availableReplicas ?? 0 : 0,
    pods: `pods: ${pods.length} created, ${count((p) => !!p.spec.nodeName)} scheduled, ${count((p) => p.status?.phase === 'Running')} running, ${count(ready)} ready`,
  };
}

/**
 * Follows every Deployment until its updated replicas are all Available, printing a line
 * whenever a service's progress changes (the pod lifecycle: created, scheduled, running, ready).
 * On timeout prints the events of the services still rolling out and throws TIMEOUT.
 */
export async function waitForRollouts(kubectl: Kubectl, systems: OutputSystem[], timeoutSeconds: number, log: (line: string) => void, pollMs = 1000): Promise<void> {
  const pending = new Map(systems.flatMap((s) => s.objects.filter((o) => o.kind === 'Deployment').map((d) => [`${s.namespace}/${d.metadata.name}`, { namespace: s.namespace, deployment: d }])));
  const last = new Map<string, string>();
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (pending.size > 0) {
    for (const [key, { namespace, deployment }] of pending) {
      const p = progressOf(kubectl, namespace, deployment);
      const line = `${key}: ${p.ready}/${p.desired} ready, ${p.updated} updated, ${p.available} available (${p.pods})`;
      if (last.get(key) !== line) log(line);
      last.set(key, line);
      if (p.updated === p.desired && p.available === p.desired) {
        log(`✓ ${key} is Available`);
        pending.delete(key);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      for (const [key, { namespace, deployment }] of pending) {
        const pods = kubectl.run(['get', 'pods', '-n', namespace, '-l', podSelectorOf(deployment), '-o', 'name']).stdout.split('\n').filter(Boolean).map((p) => p.replace('pod/', ''));
        const events = kubectl.run(['get', 'events', '-n', namespace, '--sort-by=.lastTimestamp', '-o', 'custom-columns=LAST:.lastTimestamp,TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message']).stdout
          .split('\n').filter((l, i) => i === 0 || [deployment.metadata.name, ...pods].some((n) => l.includes(n))).join('\n');
        log(`✗ ${key} did not become Available in ${timeoutSeconds}s; its events:\n${events}`);
      }
      throw new DeployError(`timed out after ${timeoutSeconds}s waiting for ${[...pending.keys()].join(', ')}`, ExitCode.TIMEOUT);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Where the command writes: progress to `out`, refusals and failures to `err`. */
export interface CliOutput {
  /** Progress lines. */
  out(line: string): void;
  /** Error lines. */
  err(line: string): void;
}

/**
 * Runs the command line and returns the exit code. Plain lines only: no spinner, fit for CI logs.
 * The environment is passed in (bin/cdk8s-msa.ts passes the process's); the library reads none.
 */
export async function runCli(argv: string[], io: CliOutput, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const options = parseArgs(argv, env);
    if (options === 'help') { io.out(USAGE); return ExitCode.OK; }
    const systems = readOutput(options.dir, options.target);
    const context = preflight(options, env, io.out);
    const kubectl = new Kubectl(options.kubectl, env, context, options.kubeconfig);
    if (options.command === 'diff') return diff(kubectl, systems, options.prune, io.out) ? ExitCode.FAILED : ExitCode.OK;
    apply(kubectl, systems, options, io.out);
    if (options.wait && !options.dryRun) await waitForRollouts(kubectl, systems, options.timeoutSeconds, io.out);
    io.out(options.dryRun ? 'server dry run passed; nothing was changed' : `deployed ${systems.map((s) => s.name).join(', ')} to ${context}`);
    return ExitCode.OK;
  } catch (e) {
    if (!(e instanceof DeployError)) throw e;
    io.err(`cdk8s-msa: ${e.message}`);
    return e.exitCode;
  }
}
