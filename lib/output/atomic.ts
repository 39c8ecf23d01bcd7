import * as fs from 'fs';
import * as path from 'path';

/**
 * An output directory written next to its final place. Nothing a reader (or `cdk8s-msa deploy`)
 * could pick up exists at `outdir` until `commitAll` swaps every staged directory in, so a failed
 * or interrupted synth leaves the previous output as it was.
 */
export class StagedDirectory {
  /** The temporary sibling directory files are written to. */
  public readonly staging: string;

  constructor(public readonly outdir: string) {
    fs.mkdirSync(path.dirname(path.resolve(outdir)), { recursive: true });
    this.staging = fs.mkdtempSync(`${outdir}.partial-`);
  }

  /** Path of `file` inside the staging directory. */
  public file(file: string): string {
    return path.join(this.staging, file);
  }

  /** Removes the staging directory (after a failure). */
  public discard(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  /**
   * Swaps every staged directory in, each by two renames, then removes the previous outputs.
   * All directories are fully written before the first swap, so a set of environments is
   * replaced together or (on an error before this point) not at all.
   */
  public static commitAll(staged: StagedDirectory[]): void {
    const previous: string[] = [];
    for (const dir of staged) {
      if (fs.existsSync(dir.outdir)) {
        const aside = `${dir.staging}.previous`;
        fs.renameSync(dir.outdir, aside);
        previous.push(aside);
      }
      fs.renameSync(dir.staging, dir.outdir);
    }
    for (const aside of previous) fs.rmSync(aside, { recursive: true, force: true });
  }
}
