// Compiles with tsc only when a TypeScript source, tsconfig.json or the lockfile is newer than the
// last build, so `npm run synth` on an unchanged tree costs a directory walk instead of a compile.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const stamp = 'build/.tsbuildinfo';
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}
const sources = Math.max(...['lib', 'bin', 'apps', 'scripts', 'test'].map(newest), ...['tsconfig.json', 'package-lock.json'].map((f) => statSync(f).mtimeMs));
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { stdio: 'inherit' });
}
