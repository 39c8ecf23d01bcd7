/** Exit codes of the `cdk8s-msa` command. */
export enum ExitCode {
  /** Done. */
  OK = 0,
  /** kubectl or the cluster failed; for `diff`: there are differences. */
  FAILED = 1,
  /** Bad arguments, or a refusal (output directory, marker, context). */
  REFUSED = 2,
  /** `--wait` ran out of time before every Deployment and StatefulSet was Available and every Job Complete. */
  TIMEOUT = 3,
  /** `diff` itself failed (kubectl or the cluster): kept apart from 1, which for `diff` means differences, as with kubectl diff. */
  DIFF_FAILED = 4,
}

/** A refusal or failure with the exit code it maps to. */
export class DeployError extends Error {
  constructor(
    message: string,
    public readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'DeployError';
  }
}
