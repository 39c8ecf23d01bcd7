import * as fs from 'fs';
import * as path from 'path';

/**
 * The node flags of package.json's synth script (cdk8s.yaml's app command runs the same line), so
 * the benchmark and the edit-loop timing run the app exactly as `npm run synth` does.
 */
export function synthNodeFlags(repo: string): string[] {
  const script: string = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts.synth;
  const flags = /^node ((?:--\S+ )*)/.exec(script)?.[1];
  if (!flags) throw new Error(`package.json synth script has no node flags to measure: ${script}`);
  return flags.split(' ').filter(Boolean);
}
