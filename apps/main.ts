import { MsaConfigError, MsaEnvironments, Target } from '../lib';
import { EXAMPLES } from './examples';
import { exampleTarget } from './targets';

/**
 * Synthesizes the example apps for every target, one environment per target named after it, into
 * `<outdir>/<target-id>/` (deploy with `cdk8s-msa deploy --env <target-id>`).
 *
 * Targets come from CDK8S_MSA_TARGETS (comma-separated ids; default: every built-in profile);
 * the output folder from CDK8S_OUTDIR (set by `cdk8s synth`; default `dist`). CDK8S_MSA_STRICT=true
 * turns warnings into errors. Every environment is validated before any is written, so a failure
 * leaves the previous output untouched.
 */
function main(): number {
  const ids = (process.env.CDK8S_MSA_TARGETS ?? Target.BUILT_IN_IDS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const environments = new MsaEnvironments({
    outdir: process.env.CDK8S_OUTDIR ?? 'dist',
    strict: process.env.CDK8S_MSA_STRICT === 'true',
    reporter: { warn: (warning) => process.stderr.write(`  ${warning}\n`) },
  });
  const errors: string[] = [];
  for (const id of ids) {
    try {
      const target = exampleTarget(id);
      const app = environments.add(id);
      for (const build of EXAMPLES) build(app, target);
    } catch (e) {
      if (!(e instanceof MsaConfigError)) throw e;
      errors.push(...e.messages.map((m) => `target ${id}: ${m}`));
    }
  }
  const warnings: string[] = [];
  if (errors.length === 0) {
    try {
      environments.synth();
    } catch (e) {
      if (!(e instanceof MsaConfigError)) throw e;
      errors.push(...e.messages);
      warnings.push(...e.warnings);
    }
  }
  if (errors.length > 0) {
    process.stderr.write(`cdk8s-msa: synth failed, ${errors.length} problem(s); nothing was written:\n${[...errors.map((e) => `  ✗ ${e}`), ...warnings.map((w) => `  ⚠ ${w}`)].join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`cdk8s-msa: wrote ${ids.length} environment(s) to ${process.env.CDK8S_OUTDIR ?? 'dist'}/: ${ids.join(', ')}\n`);
  return 0;
}

process.exitCode = main();
