import * as fs from 'fs';
import * as path from 'path';

/** The node flags at the start of a `node --flag … script` command line, if it has any. */
export function nodeFlagsOf(command: string): string[] | undefined {
  return /^node ((?:--\S+ )+)/.exec(command)?.[1].split(' ').filter(Boolean);
}

/**
 * The node flags of package.json's synth script (cdk8s.yaml's app command runs the same line), so
 * the benchmark and the edit-loop timing run the app exactly as `npm run synth` does.
 */
export function synthNodeFlags(repo: string): string[] {
  const script: string = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts.synth;
  const flags = nodeFlagsOf(script);
  if (!flags) throw new Error(`package.json synth script has no node flags to measure: ${script}`);
  return flags;
}

/** package.json's synth script after `node`: its node flags, the script it runs and that script's arguments. */
export function synthNodeArguments(repo: string): string[] {
  const script: string = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts.synth;
  const [node, ...rest] = script.split(' ');
  if (node !== 'node') throw new Error(`package.json synth script does not start with node: ${script}`);
  return rest;
}
