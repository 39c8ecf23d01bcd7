import { parseArgs, USAGE } from './args';
import { apply, diff } from './apply';
import { DeployError, ExitCode } from './errors';
import { Kubectl, preflight, RunProcess, runProcess } from './kubectl';
import { readOutput } from './output';
import { waitForRollouts } from './wait';

/** Where the command writes: progress to `out`, refusals and failures to `err`. */
export interface CliOutput {
  /** Progress lines. */
  out(line: string): void;
  /** Error lines. */
  err(line: string): void;
}

/**
 * Runs the command line and returns the exit code. Plain lines only: no spinner, fit for CI logs.
 * The environment is passed in (cli/cdk8s-msa.ts passes the process's), and so is how kubectl
 * runs (tests answer in-process). Anything unexpected thrown below is a bug, reported as exit 1
 * by the entry point; every refusal is a DeployError.
 */
export async function runCli(
  argv: string[],
  io: CliOutput,
  env: NodeJS.ProcessEnv,
  start: RunProcess = runProcess,
): Promise<number> {
  let command: string | undefined;
  try {
    const options = parseArgs(argv, env);
    if (options !== 'help') command = options.command;
    if (options === 'help') {
      io.out(USAGE);
      return ExitCode.OK;
    }
    const { marker, systems } = readOutput(options.dir, { env: options.env, target: options.target });
    const context = preflight(options, marker.target, env, io.out, start);
    const kubectl = new Kubectl(options.kubectl, env, context, options.kubeconfig, start);
    const what = `${systems.map((s) => s.name).join(', ')} (target ${marker.target}${marker.environment ? `, environment ${marker.environment}` : ''})`;
    if (options.command === 'diff') return diff(kubectl, systems, options, io.out) ? ExitCode.FAILED : ExitCode.OK;
    apply(kubectl, systems, options, io.out);
    if (options.wait && !options.dryRun) await waitForRollouts(kubectl, systems, options.timeoutSeconds, io.out);
    io.out(options.dryRun ? `server dry run of ${what} passed; nothing was changed` : `deployed ${what} to ${context}`);
    return ExitCode.OK;
  } catch (e) {
    if (!(e instanceof DeployError)) throw e;
    io.err(`cdk8s-msa: ${e.message}`);
    // A failing diff must not read as "differences found" to a CI step that accepts exit 1.
    return command === 'diff' && e.exitCode === ExitCode.FAILED ? ExitCode.DIFF_FAILED : e.exitCode;
  }
}
