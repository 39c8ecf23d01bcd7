import * as fs from 'fs';
import { createRequire, isBuiltin } from 'module';
import * as path from 'path';
import type * as esbuild from 'esbuild';
import { BundleFiles, BundleManifest, FileIdentity, fileIdentity, MANIFEST_FORMAT } from './bundled-synth';

/** What `buildBundles` needs to know: the entry, where its bundles go, and which of them are current. */
export interface BuildRequest {
  readonly entry: string;
  readonly files: BundleFiles;
  /** The record of the previous build, if any. */
  readonly previous?: BundleManifest;
  readonly appCurrent: boolean;
  readonly packagesCurrent: boolean;
  /** cli/bundled-synth.js itself: a new version of the runner rebuilds both bundles. */
  readonly runner: string;
}

/** Rebuilds whichever bundle of an entry is not current, and records what each was built from. */
export type BuildBundles = (request: BuildRequest) => Promise<void>;

/**
 * Modules cdk8s requires when it loads but a synth through cdk8s-msa's write path never calls:
 * cdk8s's own YAML reader and writer (`yaml`, the largest of them), JSON patching (needed only
 * once an object has a patch) and child processes (helm charts, includes from URLs). In the
 * bundle each becomes a stand-in that loads the module on first use. A file whose require line
 * does not match (another cdk8s release) keeps its plain require: slower, never wrong.
 */
const LAZY_REQUIRES: ReadonlyArray<{ readonly files: RegExp; readonly modules: readonly string[] }> = [
  {
    files: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/][^\\/]+\.js$/,
    modules: ['yaml', 'fast-json-patch', 'child_process'],
  },
];

/** `const X = require("m");` or `const X = __importStar(require("m"));`, as tsc writes a namespace import. */
const requireLine = (module: string) =>
  new RegExp(`^const (\\w+) = (__importStar\\()?require\\("${module.replace(/[-/]/g, '\\$&')}"\\)(\\))?;$`, 'gm');

/** A source with its namespace requires of `modules` made lazy (a Proxy that requires on first property read). */
export function lazyRequires(source: string, modules: readonly string[]): string {
  let out = source;
  for (const module of modules) {
    out = out.replace(
      requireLine(module),
      (_line, name: string, wrap: string | undefined, close: string | undefined) =>
        `let ${name}__loaded; const ${name} = new Proxy({}, { get: (_, key) => (${name}__loaded ??= ${wrap ?? ''}require("${module}")${close ?? ''})[key] });`,
    );
  }
  // cdk8s's _child_process.js reads spawnSync off the module when it loads; read it when called instead.
  return out.replace(
    'spawnSync: child_process_1.spawnSync',
    'spawnSync: (...args) => child_process_1.spawnSync(...args)',
  );
}

/**
 * A bundled file keeps its own `__dirname` and `__filename` (an app reading a file beside its
 * source still finds it); without this every bundled file would see the bundle's folder.
 */
export function ownFileNames(source: string, file: string): string {
  if (!/\b__(dirname|filename)\b/.test(source) || /\b(var|let|const)\s+__(dirname|filename)\b/.test(source))
    return source;
  return `var __dirname = ${JSON.stringify(path.dirname(file))}, __filename = ${JSON.stringify(file)};${source}`;
}

/**
 * The rewrites above, applied to cdk8s's modules and to TypeScript sources only: a plugin call
 * per file costs esbuild a round trip to node, about a third of the build for all 200 files.
 */
const sourceRewrites: esbuild.Plugin = {
  name: 'cdk8s-msa-source-rewrites',
  setup(build) {
    for (const lazy of LAZY_REQUIRES)
      build.onLoad({ filter: lazy.files }, (args) => ({
        contents: ownFileNames(lazyRequires(fs.readFileSync(args.path, 'utf8'), lazy.modules), args.path),
        loader: 'js',
      }));
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => ({
      contents: ownFileNames(fs.readFileSync(args.path, 'utf8'), args.path),
      loader: 'ts',
    }));
  },
};

/** Leaves every package the app imports to the packages bundle, and records which. */
function packagesOutside(specifiers: Set<string>): esbuild.Plugin {
  return {
    name: 'cdk8s-msa-packages-outside',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || path.isAbsolute(args.path)) return undefined;
        specifiers.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
}

/** esbuild as the app installed it (a devDependency of the app repo), else as this package finds it. */
function loadEsbuild(entry: string): typeof esbuild {
  for (const from of [entry, __filename]) {
    try {
      return createRequire(from)('esbuild');
    } catch {
      // try the next place
    }
  }
  throw new Error(
    'bundling the app needs esbuild: npm install --save-dev esbuild (or run the app without the bundle, as cdk8s init does: npx ts-node main.ts)',
  );
}

/** The nearest `name` in `from` or above it: esbuild reads tsconfig.json and package.json but lists neither as an input. */
function nearest(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Written aside and renamed, so a synth running at the same time reads a whole file. */
function writeWhole(file: string, contents: string | Uint8Array): void {
  fs.writeFileSync(`${file}.${process.pid}`, contents);
  fs.renameSync(`${file}.${process.pid}`, file);
}

/** Writes a bundle and drops the code caches of its earlier builds (keyed by their bundle's identity: orphans now). */
function writeBundle(bundle: string, contents: Uint8Array): void {
  writeWhole(bundle, contents);
  for (const file of fs.readdirSync(path.dirname(bundle)))
    if (file.startsWith(`${path.basename(bundle)}.`) && file.endsWith('.v8cache'))
      fs.rmSync(path.join(path.dirname(bundle), file), { force: true });
}

export const buildBundles: BuildBundles = async (request) => {
  const { entry, files, previous } = request;
  const started = process.hrtime.bigint();
  const esbuild = loadEsbuild(entry);
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'error',
  };
  const identities = (metafile: esbuild.Metafile, extra: Array<string | undefined>): FileIdentity[] =>
    [...Object.keys(metafile.inputs).map((input) => path.resolve(input)), ...extra, request.runner, __filename]
      .filter((file): file is string => file !== undefined && fs.existsSync(file))
      .map((file) => fileIdentity(file)!);
  const configuration = ['tsconfig.json', 'package.json'].map((name) => nearest(path.dirname(entry), name));
  fs.mkdirSync(path.dirname(files.app), { recursive: true });
  const built: string[] = [];

  let appInputs = previous?.appInputs ?? [];
  let packages = previous?.packages ?? [];
  if (!request.appCurrent || previous === undefined) {
    const specifiers = new Set<string>();
    const app = await esbuild.build({
      ...common,
      entryPoints: [entry],
      outfile: files.app,
      plugins: [sourceRewrites, packagesOutside(specifiers)],
    });
    writeBundle(files.app, app.outputFiles![0].contents);
    appInputs = identities(app.metafile!, configuration);
    built.push(`the app (${appInputs.length} files)`);
    packages = [...specifiers].sort();
  }

  let packageInputs = previous?.packageInputs ?? [];
  const samePackages = previous !== undefined && packages.join('\n') === previous.packages.join('\n');
  if (!request.packagesCurrent || !samePackages) {
    // Each package is required on first use, so one the app loads lazily stays unloaded until then.
    const loaders = packages.map((p) => `  ${JSON.stringify(p)}: () => require(${JSON.stringify(p)}),`).join('\n');
    const vendor = await esbuild.build({
      ...common,
      stdin: { contents: `module.exports = {\n${loaders}\n};\n`, resolveDir: path.dirname(entry), loader: 'js' },
      outfile: files.packages,
      plugins: [sourceRewrites],
      // Packages are read on every synth: without their comments and layout the file is about half
      // the size and pure ASCII (their comments hold the only non-ASCII characters, which made V8
      // read the whole text as two-byte), so it loads in a fraction of the time.
      minifyWhitespace: true,
    });
    writeBundle(files.packages, vendor.outputFiles![0].contents);
    packageInputs = identities(vendor.metafile!, configuration);
    built.push(`its packages (${packageInputs.length} files)`);
  }

  // Ends esbuild's service process now, so the synth that follows has the machine to itself.
  await esbuild.stop();
  const manifest: BundleManifest = { format: MANIFEST_FORMAT, appInputs, packageInputs, packages };
  writeWhole(files.manifest, JSON.stringify(manifest));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(
    `bundled ${built.join(' and ')} of ${path.relative(process.cwd(), entry)} in ${seconds.toFixed(2)} s (${path.relative(process.cwd(), path.dirname(files.app))})\n`,
  );
};
