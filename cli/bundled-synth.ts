#!/usr/bin/env node
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import type { BuildBundles } from './bundle-build';

/**
 * The bundled synth path: `node [flags] bundled-synth.js <app entry, .ts or .js> [args…]` runs the
 * app from two cached files instead of resolving and compiling some 200 modules on every synth:
 * the app's own sources in one bundle, and every package they import (cdk8s-msa, cdk8s,
 * constructs…) in another, so an edit rebuilds and recompiles only the app's part. Each bundle is
 * rebuilt (with esbuild, loaded only then) when a file it was built from changes, and V8's code
 * cache of each is kept beside it, so an unchanged app neither parses nor compiles its code again.
 * Output is the same bytes as running the app directly (test/bundled-synth.test.ts).
 *
 * Cache: `node_modules/.cache/cdk8s-msa/` nearest the entry; delete it to start afresh.
 * This file is the synth command's start-up: it imports only node's own modules.
 */

/** [absolute path, mtime ms, size, inode]: a file as it was when a bundle was built from it. */
export type FileIdentity = [string, number, number, number];

/** What the bundles of one entry were built from. */
export interface BundleManifest {
  /** Format of this record; bundles recorded in another format are rebuilt. */
  readonly format: number;
  /** Every file the app bundle was built from. */
  readonly appInputs: FileIdentity[];
  /** Every file the packages bundle was built from. */
  readonly packageInputs: FileIdentity[];
  /** The package specifiers the app imports (`cdk8s`, `cdk8s-msa`…), each served by the packages bundle. */
  readonly packages: string[];
}

export const MANIFEST_FORMAT = 2;

/** Where the bundles of one entry and their record live. */
export interface BundleFiles {
  readonly app: string;
  readonly packages: string;
  readonly manifest: string;
}

/** The folder bundles are cached in: `.cache/cdk8s-msa` of the nearest node_modules above `from`. */
export function cacheDirectory(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'cdk8s-msa');
    if (path.dirname(dir) === dir) return path.join(from, '.cdk8s-msa-cache');
  }
}

/** A short, stable name for a string (FNV-1a): cache file names without loading node's crypto. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

/** The identity of a file as the manifest records it, or undefined when it is gone. */
export function fileIdentity(file: string): FileIdentity | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat && [file, stat.mtimeMs, stat.size, stat.ino];
}

/** Whether every file is still the one recorded. */
export function unchanged(inputs: FileIdentity[]): boolean {
  for (const [file, mtime, size, inode] of inputs) {
    const now = fileIdentity(file);
    if (!now || now[1] !== mtime || now[2] !== size || now[3] !== inode) return false;
  }
  return true;
}

function readManifest(file: string): BundleManifest | undefined {
  try {
    const manifest: BundleManifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    return manifest.format === MANIFEST_FORMAT ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function bundleFiles(entry: string): BundleFiles {
  // One set per entry and Node major (the bundles' syntax target).
  const base = `${path.basename(entry).replace(/\.[^.]+$/, '')}-${shortHash(`${entry}\0${process.versions.node.split('.')[0]}`)}`;
  const dir = cacheDirectory(path.dirname(entry));
  return {
    app: path.join(dir, `${base}.app.js`),
    packages: path.join(dir, `${base}.packages.js`),
    manifest: path.join(dir, `${base}.inputs.json`),
  };
}

/**
 * Compiles a bundle with its code cache and runs it as a CommonJS module. The cache is keyed by
 * Node version, flags (V8 rejects a cache made under other flags) and the bundle's identity (V8
 * checks a cache against the source's length only), and written when the process exits, so it
 * holds the functions this run compiled too.
 */
function runCached(bundle: string, module: { exports: unknown }, require: NodeJS.Require, filename: string): void {
  const source = fs.readFileSync(bundle, 'utf8');
  const { mtimeMs, size } = fs.statSync(bundle);
  const cacheFile = `${bundle}.${shortHash(`${process.version}\0${process.execArgv.join(' ')}\0${mtimeMs}\0${size}`)}.v8cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The same wrapper node puts around a CommonJS module.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        fs.writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
        fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
      } catch {
        // A cache that cannot be written costs the next run its compile time, nothing more.
      }
    });
  }
  script.runInThisContext()(module.exports, require, module, filename, path.dirname(filename));
}

/**
 * Runs the app bundle as the entry module would run: `module`, `__filename` and `require.main`
 * are the entry's, `process.argv` is `[node, entry, …args]`, and `require` serves each package
 * the app imports from the packages bundle (loaded on first use) and anything else as the entry
 * would require it.
 */
function runBundles(files: BundleFiles, entry: string, args: string[]): void {
  const requireFromEntry = createRequire(entry);
  const packagesModule = { exports: {} as { [specifier: string]: () => unknown } };
  runCached(files.packages, packagesModule, requireFromEntry, files.packages);
  const loaders = packagesModule.exports;
  const require = ((specifier: string) =>
    Object.prototype.hasOwnProperty.call(loaders, specifier)
      ? loaders[specifier]()
      : requireFromEntry(specifier)) as NodeJS.Require;
  Object.assign(require, { resolve: requireFromEntry.resolve, cache: requireFromEntry.cache });
  const entryModule = { exports: {}, filename: entry, id: '.', loaded: false, require };
  require.main = entryModule as unknown as NodeJS.Module;
  process.argv = [process.argv[0], entry, ...args];
  try {
    runCached(files.app, entryModule, require, entry);
  } catch (e) {
    return reportAppError(e);
  }
  entryModule.loaded = true;
}

/**
 * Reports what the app threw. Node's own report of an uncaught error quotes the line that threw,
 * and a bundle's line holds a whole file (whitespace minified): the stack alone, then, and for
 * the library's MsaConfigError only its message, which lists every problem with its construct path.
 */
function reportAppError(e: unknown): void {
  const report = !(e instanceof Error) ? String(e) : e.name === 'MsaConfigError' ? `${e.name}: ${e.message}` : e.stack;
  process.stderr.write(`${report}\n`);
  process.exitCode = 1;
}

/**
 * Runs `entry` from its bundles, rebuilding first whichever has a changed input. An error the app
 * throws is reported with its stack (its message alone for an MsaConfigError) and exit status 1.
 */
export function runBundled(entryArgument: string, args: string[]): void {
  const entry = path.resolve(entryArgument);
  const files = bundleFiles(entry);
  const manifest = readManifest(files.manifest);
  const appCurrent = manifest !== undefined && unchanged(manifest.appInputs) && fs.existsSync(files.app);
  const packagesCurrent = manifest !== undefined && unchanged(manifest.packageInputs) && fs.existsSync(files.packages);
  if (appCurrent && packagesCurrent) return runBundles(files, entry, args);
  if (!fs.existsSync(entry)) return fail(`no such app entry: ${entryArgument}`);
  // Loaded only when something changed: esbuild and the bundling rules.
  const { buildBundles } = createRequire(__filename)('./bundle-build') as { buildBundles: BuildBundles };
  buildBundles({ entry, files, previous: manifest, appCurrent, packagesCurrent, runner: __filename }).then(
    () => setImmediate(() => runBundles(files, entry, args)),
    (e: Error) => fail(e.message),
  );
}

function fail(message: string): void {
  process.stderr.write(`cdk8s-msa bundled synth: ${message}\n`);
  process.exitCode = 1;
}

const invokedAs = process.argv[1] && fs.realpathSync(path.resolve(process.argv[1]));
if (invokedAs === __filename) {
  const [entry, ...args] = process.argv.slice(2);
  if (entry) runBundled(entry, args);
  else {
    process.stderr.write('usage: node [node flags] bundled-synth.js <app entry (.ts or .js)> [app arguments]\n');
    process.exitCode = 2;
  }
}
