import { spawnSync } from 'child_process';
import { DeployOptions } from './args';
import { BUILT_IN_CONTEXTS } from './contexts';
import { DeployError, ExitCode } from './errors';
import { withHint } from './hints';

/** What one kubectl call returned. */
export interface KubectlResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How long one kubectl call may take before it is killed: a hung call must not outlive --timeout. */
const CALL_TIMEOUT_MS = 300_000;

/** What running one process returned: `error` when it could not start or was killed. */
export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: Error;
}

/** Runs one kubectl process to its end; the tests pass an in-process fake instead of a real binary. */
export type RunProcess = (
  binary: string,
  args: string[],
  options: { readonly input?: string; readonly env: NodeJS.ProcessEnv; readonly timeoutMs: number },
) => ProcessResult;

/** Runs a real kubectl process. */
export const runProcess: RunProcess = (binary, args, options) =>
  spawnSync(binary, args, {
    input: options.input,
    encoding: 'utf8',
    env: options.env,
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
  });

/** Runs kubectl with the chosen context and kubeconfig, each call bounded in time. */
export class Kubectl {
  constructor(
    private readonly binary: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly context?: string,
    private readonly kubeconfig?: string,
    private readonly start: RunProcess = runProcess,
  ) {}

  /** Runs `kubectl args`, with `input` on stdin. */
  public run(args: string[], input?: string, extraEnv: { [key: string]: string } = {}): KubectlResult {
    const global = [
      ...(this.kubeconfig ? [`--kubeconfig=${this.kubeconfig}`] : []),
      ...(this.context ? [`--context=${this.context}`] : []),
    ];
    const result = this.start(this.binary, [...global, ...args], {
      input,
      env: { ...this.env, ...extraEnv },
      timeoutMs: CALL_TIMEOUT_MS,
    });
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
      throw new DeployError(
        `kubectl ${args.slice(0, 2).join(' ')} did not answer within ${CALL_TIMEOUT_MS / 1000}s`,
        ExitCode.FAILED,
      );
    }
    if (result.error)
      throw new DeployError(
        `cannot run kubectl (${this.binary}): ${result.error.message}. Hint: install kubectl or pass --kubectl <path>`,
        ExitCode.REFUSED,
      );
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Runs kubectl and throws DeployError(FAILED) with its stderr when it fails. */
  public check(what: string, args: string[], input?: string, extraEnv: { [key: string]: string } = {}): string {
    const result = this.run(args, input, extraEnv);
    if (result.status !== 0)
      throw new DeployError(
        withHint(
          `${what} failed:\n${result.stderr.trim()}`,
          args.includes('-n') ? args[args.indexOf('-n') + 1] : undefined,
        ),
        ExitCode.FAILED,
      );
    return result.stdout;
  }
}

/** Oldest kubectl with `apply --prune --applyset` (alpha in 1.27). */
const MIN_KUBECTL_MINOR = 27;

/** The minor version of a `kubectl version -o json` entry ("27", "27+" on some clouds), if it says. */
function minorVersion(info: { minor?: string } | undefined): number | undefined {
  const minor = Number.parseInt(info?.minor ?? '', 10);
  return Number.isNaN(minor) ? undefined : minor;
}

/**
 * Checks kubectl, the context and that the cluster answers; returns the context used. A built-in
 * target's context must look like it (kind-*, an EKS ARN, …) unless --allow-context-mismatch; a
 * custom target has no known pattern, so the context must be named with --context.
 */
export function preflight(
  options: DeployOptions,
  targetId: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  start: RunProcess = runProcess,
): string {
  const plain = new Kubectl(options.kubectl, env, undefined, options.kubeconfig, start);
  const client = minorVersion(
    JSON.parse(plain.check('kubectl version --client', ['version', '--client', '-o', 'json'])).clientVersion,
  );
  if (client !== undefined && client < MIN_KUBECTL_MINOR) {
    throw new DeployError(
      `kubectl 1.${client} is too old: deploy prunes with ApplySets (--applyset), which kubectl has from 1.${MIN_KUBECTL_MINOR}. Hint: install a newer kubectl or pass --kubectl <path>`,
      ExitCode.REFUSED,
    );
  }
  const contexts = plain
    .check('listing kubectl contexts', ['config', 'get-contexts', '-o', 'name'])
    .split('\n')
    .filter(Boolean);
  const known = BUILT_IN_CONTEXTS[targetId];
  if (!known && !options.context) {
    throw new DeployError(
      `target "${targetId}" is not a built-in target, so the current context cannot be checked against it. Hint: name the cluster's context explicitly with --context <name>`,
      ExitCode.REFUSED,
    );
  }
  const context = options.context ?? plain.run(['config', 'current-context']).stdout.trim();
  if (!context)
    throw new DeployError(
      'no kubectl context is selected. Hint: pass --context or run `kubectl config use-context <name>`',
      ExitCode.REFUSED,
    );
  if (!contexts.includes(context))
    throw new DeployError(
      `context "${context}" does not exist; known: ${contexts.join(', ') || 'none'}`,
      ExitCode.REFUSED,
    );
  if (known && !known.pattern.test(context) && !options.allowContextMismatch) {
    throw new DeployError(
      `context "${context}" does not look like target "${targetId}" (expected something like "${known.example}"). Hint: pick the right context with --context, or pass --allow-context-mismatch if this really is a ${targetId} cluster`,
      ExitCode.REFUSED,
    );
  }
  const kubectl = new Kubectl(options.kubectl, env, context, options.kubeconfig, start);
  const serverVersion = JSON.parse(
    kubectl.check(`reaching the cluster of context "${context}"`, ['version', '-o', 'json', '--request-timeout=15s']),
  ).serverVersion;
  const version = serverVersion?.gitVersion;
  const server = minorVersion(serverVersion);
  if (client !== undefined && server !== undefined && Math.abs(client - server) > 1) {
    log(
      `warning: kubectl 1.${client} and the cluster's 1.${server} are more than one minor version apart, which kubectl does not support`,
    );
  }
  // Nodes are cluster-scoped: a namespace-bound identity (an OpenShift project user, a CI account) may not list them.
  const listed = kubectl.run(['get', 'nodes', '-o', 'name', '--request-timeout=15s']);
  const nodes =
    listed.status === 0
      ? `${listed.stdout.split('\n').filter(Boolean).length} node(s)`
      : 'nodes not visible to this identity';
  log(`context ${context}: Kubernetes ${version}, ${nodes}`);
  return context;
}
