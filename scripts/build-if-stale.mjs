// The synth path's build: transpiles (no type check) each TypeScript source of lib/, cli/ and apps/
// whose build/…/*.js is missing or older than the source, tsconfig.json or the lockfile. Each
// output's own mtime is its stamp, so a `touch` or a checkout costs one transpile of the touched
// files once, and an unchanged tree costs a directory walk. Type-checking the whole project
// (test/ and scripts/ included) is `npm test`'s and CI's job (`tsc -p .`), not the edit loop's.
// Works because tsconfig.json sets isolatedModules: every file transpiles on its own (here with
// esbuild; `tsc -p .` later overwrites the same files with its own, equivalent output).
//
//   node scripts/build-if-stale.mjs [entry.js [args…]]   (then runs entry.js in this process: one Node start, not two)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const roots = ['lib', 'cli', 'apps'];
const configTime = Math.max(...['tsconfig.json', 'package-lock.json'].map((f) => statSync(f).mtimeMs));
const stale = [];
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const source = join(dir, entry.name);
    if (entry.isDirectory()) walk(source);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const output = join('build', source.replace(/\.ts$/, '.js'));
      const built = existsSync(output) ? statSync(output).mtimeMs : 0;
      const sourceTime = statSync(source).mtimeMs;
      if (built < sourceTime || built < configTime) stale.push([source, output, Math.max(sourceTime, configTime)]);
    }
  }
}
roots.forEach(walk);
if (stale.length > 0) {
  // Loaded only when something changed. esbuild transforms one file in about a millisecond and
  // loads in a few; TypeScript's own transpileModule needs half a second just to load.
  const esbuild = createRequire(import.meta.url)('esbuild');
  const tsconfigRaw = readFileSync('tsconfig.json', 'utf8');
  for (const [source, output, inputTime] of stale) {
    let code;
    try {
      ({ code } = esbuild.transformSync(readFileSync(source, 'utf8'), { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: source, tsconfigRaw }));
    } catch (e) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, code);
    // A source stamped in the future (clock skew, an archive) must not look stale on every run.
    if (statSync(output).mtimeMs < inputTime) utimesSync(output, new Date(), new Date(Math.ceil(inputTime)));
  }
  process.stderr.write(`transpiled ${stale.length} file(s) (no type check: npm test does that)\n`);
}

const entry = process.argv[2];
if (entry) {
  // The entry sees the command line it would see run directly: [node, entry, ...its arguments].
  process.argv.splice(1, 1);
  createRequire(import.meta.url)(resolve(entry));
}
