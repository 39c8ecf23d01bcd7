import * as path from 'path';
import { BUILT_IN_CONTEXTS } from './contexts';
import { DeployError, ExitCode } from './errors';

/** Parsed command line of `cdk8s-msa`. */
export interface DeployOptions {
  /** `deploy` or `diff`. */
  readonly command: 'deploy' | 'diff';
  /** Environment whose output to deploy (`dist/<env>/`). @default - a single-environment output in `dist/` */
  readonly env?: string;
  /** Target id the output must have been synthesized for. @default - the target the marker names */
  readonly target?: string;
  /** kubectl context. @default - the current context */
  readonly context?: string;
  /** Output directory. */
  readonly dir: string;
  /** Validate everything on the server, change nothing. */
  readonly dryRun: boolean;
  /** Follow every Deployment's and StatefulSet's rollout. */
  readonly wait: boolean;
  /** Seconds `--wait` may take. */
  readonly timeoutSeconds: number;
  /** Skip the check that the context looks like the target. */
  readonly allowContextMismatch: boolean;
  /** Prune objects of this system's ApplySet that are no longer in the output. */
  readonly prune: boolean;
  /** Take back fields another field manager changed instead of failing on the conflict. */
  readonly forceConflicts: boolean;
  /** kubectl binary. */
  readonly kubectl: string;
  /** kubeconfig file. @default - kubectl's default */
  readonly kubeconfig?: string;
}

export const USAGE = `Usage: cdk8s-msa <deploy|diff> [--env <name>] [options]

Applies synthesized manifests with kubectl: server-side, Namespaces and other cluster-scoped
objects first, pruning scoped to each system's ApplySet. The output is checked first: its
cdk8s-msa.output.json marker must be valid and every file must match the digest recorded at synth.

Commands:
  deploy                 apply the output to the cluster
  diff                   show what deploy would change (kubectl diff --server-side)

Options:
  --env <name>           deploy environment <name>: the output in dist/<name>/
  --dir <path>           output directory (default: dist/<env>, or dist without --env)
  --target <id>          refuse unless the output was synthesized for target <id> (default: the marker's target)
  --context <name>       kubectl context (default: the current context; required for custom targets)
  --dry-run              server-side dry run: validate everything, change nothing
  --wait                 follow every Deployment and StatefulSet until Available and every Job until
                         Complete, with live progress; a failed Job fails the deploy
  --timeout <seconds>    how long --wait may take (default: 300)
  --no-prune             keep objects that left the output (default: prune within the ApplySet)
  --force-conflicts      set fields another field manager changed (kubectl scale, edit, patch) back to the
                         output's instead of failing on the conflict (deploy and diff)
  --allow-context-mismatch  apply even if the context does not look like the target
  --kubeconfig <path>    kubeconfig file (default: kubectl's)
  --kubectl <path>       kubectl binary (default: $KUBECTL, else kubectl on PATH)
  -h, --help             this text

Context checks for built-in targets: ${Object.keys(BUILT_IN_CONTEXTS).join(', ')}.
Exit codes: 0 done, 1 kubectl/cluster failure (diff: differences found), 2 refused, 3 --wait timed out,
4 diff failed (kubectl/cluster).`;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Parses `cdk8s-msa` arguments; throws DeployError(REFUSED) on bad input. */
export function parseArgs(argv: string[], env: { [key: string]: string | undefined } = {}): DeployOptions | 'help' {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return 'help';
  const [command, ...rest] = argv;
  if (command !== 'deploy' && command !== 'diff')
    throw new DeployError(
      `unknown command ${JSON.stringify(command)}; allowed: deploy, diff. Hint: cdk8s-msa --help`,
      ExitCode.REFUSED,
    );
  const values: { [key: string]: string } = {};
  const flags = new Set<string>();
  const withValue = ['--env', '--target', '--context', '--dir', '--timeout', '--kubectl', '--kubeconfig'];
  const booleans = ['--dry-run', '--wait', '--no-prune', '--force-conflicts', '--allow-context-mismatch'];
  for (let i = 0; i < rest.length; i++) {
    const [name, inline] = rest[i].split(/=(.*)/s, 2);
    if (withValue.includes(name)) {
      const value = inline ?? rest[++i];
      if (value === undefined || value.startsWith('--'))
        throw new DeployError(`${name} needs a value. Hint: cdk8s-msa --help`, ExitCode.REFUSED);
      values[name] = value;
    } else if (booleans.includes(name)) {
      flags.add(name);
    } else {
      throw new DeployError(`unknown option ${JSON.stringify(rest[i])}. Hint: cdk8s-msa --help`, ExitCode.REFUSED);
    }
  }
  for (const name of ['--env', '--target']) {
    const value = values[name];
    if (value !== undefined && !DNS_LABEL.test(value))
      throw new DeployError(
        `${name}: received ${JSON.stringify(value)}; allowed: a DNS-1123 label (the name of an environment or target)`,
        ExitCode.REFUSED,
      );
  }
  const timeoutSeconds = Number(values['--timeout'] ?? 300);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0)
    throw new DeployError(
      `--timeout: received ${JSON.stringify(values['--timeout'])}; allowed: a positive number of seconds`,
      ExitCode.REFUSED,
    );
  return {
    command,
    timeoutSeconds,
    env: values['--env'],
    target: values['--target'],
    context: values['--context'],
    dir: values['--dir'] ?? (values['--env'] ? path.join('dist', values['--env']) : 'dist'),
    dryRun: flags.has('--dry-run'),
    wait: flags.has('--wait'),
    prune: !flags.has('--no-prune'),
    forceConflicts: flags.has('--force-conflicts'),
    allowContextMismatch: flags.has('--allow-context-mismatch'),
    kubectl: values['--kubectl'] ?? env.KUBECTL ?? 'kubectl',
    kubeconfig: values['--kubeconfig'],
  };
}
