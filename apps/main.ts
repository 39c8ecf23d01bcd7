import { App } from 'cdk8s';
import { Manifests, MsaConfigError, Synthesis, Target } from '../lib';
import { buildLedger } from './ledger';
import { buildShop } from './shop';

/**
 * Synthesizes the example apps for every target into `<outdir>/<target-id>/`.
 *
 * Targets come from CDK8S_MSA_TARGETS (comma-separated ids; default: every built-in profile);
 * the output folder from CDK8S_OUTDIR (set by `cdk8s synth`; default `dist`). CDK8S_MSA_STRICT=true
 * turns warnings into errors. Every target is validated before any is written, so a failure
 * leaves the previous output untouched.
 */
function main(): number {
  const ids = (process.env.CDK8S_MSA_TARGETS ?? Target.BUILT_IN_IDS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const strict = process.env.CDK8S_MSA_STRICT === 'true';
  const syntheses: Synthesis[] = [];
  const errors: string[] = [];
  for (const id of ids) {
    try {
      const app = new App({ outdir });
      const target = Target.fromId(id);
      buildShop(app, target);
      buildLedger(app, target);
      syntheses.push(Manifests.synthesize(app, { strict }));
    } catch (e) {
      if (!(e instanceof MsaConfigError) && !(e instanceof Error)) throw e;
      const messages = e instanceof MsaConfigError ? e.messages : [e.message];
      errors.push(...messages.map((m) => `target ${id}: ${m}`));
    }
  }
  if (errors.length > 0) {
    process.stderr.write(`cdk8s-msa: synth failed, ${errors.length} problem(s); nothing was written:\n${errors.map((e) => `  ✗ ${e}`).join('\n')}\n`);
    return 1;
  }
  for (const synthesis of syntheses) {
    for (const warning of synthesis.warnings) process.stderr.write(`  ⚠ target ${synthesis.targetId}: ${warning}\n`);
    Manifests.write(synthesis, `${outdir}/${synthesis.targetId}`);
  }
  process.stdout.write(`cdk8s-msa: wrote ${syntheses.length} target(s) to ${outdir}/: ${syntheses.map((s) => s.targetId).join(', ')}\n`);
  return 0;
}

process.exitCode = main();
