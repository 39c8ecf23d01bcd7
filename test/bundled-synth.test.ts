import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lazyRequires, ownFileNames } from '../cli/bundle-build';
import { cacheDirectory } from '../cli/bundled-synth';

/** The bundled synth path (cli/bundled-synth.ts): what `npm run synth`, cdk8s.yaml and app repos run. */
const repo = path.resolve(__dirname, '..');
const runner = path.join(repo, 'build/cli/bundled-synth.js');
const run = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8', cwd: options.cwd ?? repo, env: options.env });

/** Every file below `dir`, relative, with its bytes. */
function filesIn(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel)));
    }
  };
  walk('');
  return files;
}

describe('the example apps through the bundle', () => {
  test('write the same bytes as the compiled app on every target', () => {
    const [bundled, direct] = ['msa-bundled-', 'msa-direct-'].map((prefix) =>
      fs.mkdtempSync(path.join(os.tmpdir(), prefix)),
    );
    // Every target: whatever CDK8S_MSA_TARGETS the test runner was started with is dropped.
    const env = (outdir: string) => {
      const vars: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir };
      delete vars.CDK8S_MSA_TARGETS;
      return vars;
    };
    const viaBundle = run(['apps/main.ts'], { env: env(bundled) });
    const compiled = spawnSync(process.execPath, [path.join(repo, 'build/apps/main.js')], {
      encoding: 'utf8',
      cwd: repo,
      env: env(direct),
    });
    expect([viaBundle.status, compiled.status]).toEqual([0, 0]);
    const [a, b] = [filesIn(bundled), filesIn(direct)];
    expect(fs.readdirSync(bundled)).toHaveLength(12);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, bytes] of a) expect([file, bytes.equals(b.get(file)!)]).toEqual([file, true]);
    for (const dir of [bundled, direct]) fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the bundle cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-bundle-app-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.writeFileSync(path.join(dir, 'lib', 'a.ts'), 'export const a: number = 1;\n');
    fs.writeFileSync(
      path.join(dir, 'main.ts'),
      [
        "import * as path from 'path';",
        "import { a } from './lib/a';",
        'console.log(`a=${a} args=${process.argv.slice(2).join(",")} main=${require.main === module} dir=${path.basename(__dirname)}`);',
        "if (process.argv[2] === 'fail') throw new Error('the app failed');",
        "class MsaConfigError extends Error { name = 'MsaConfigError'; }",
        "if (process.argv[2] === 'invalid') throw new MsaConfigError('[shop/api] port: received 70000');",
        '',
      ].join('\n'),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const app = (...args: string[]) => run(['main.ts', ...args], { cwd: dir });

  test('is built once, reused, and rebuilt when a source changes', () => {
    const first = app('x', 'y');
    expect([first.status, first.stdout]).toEqual([0, `a=1 args=x,y main=true dir=${path.basename(dir)}\n`]);
    expect(first.stderr).toMatch(
      /^bundled the app \(\d+ files\) and its packages \(\d+ files\) of main\.ts in [\d.]+ s \(node_modules\/\.cache\/cdk8s-msa\)\n$/,
    );
    expect(fs.readdirSync(cacheDirectory(dir)).some((f) => f.endsWith('.v8cache'))).toBe(true);
    const second = app();
    expect([second.status, second.stdout, second.stderr]).toEqual([
      0,
      `a=1 args= main=true dir=${path.basename(dir)}\n`,
      '',
    ]);
    // Same length, so only the file's identity tells the edit apart (V8 checks a cache by length).
    fs.writeFileSync(path.join(dir, 'lib', 'a.ts'), 'export const a: number = 2;\n');
    const edited = app();
    expect([edited.status, edited.stdout]).toEqual([0, `a=2 args= main=true dir=${path.basename(dir)}\n`]);
    // Only the app's part: its packages did not change.
    expect(edited.stderr).toMatch(/^bundled the app \(\d+ files\) of main\.ts/);
  });

  test("an app's error is reported by its stack, without quoting the bundle's line; an MsaConfigError by its message", () => {
    app();
    const failed = app('fail');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^Error: the app failed\n {4}at /);
    // Node's report of an uncaught error would quote the throwing line: here the bundle's, a whole file.
    expect(failed.stderr).not.toContain("process.argv[2] === 'fail'");
    const invalid = app('invalid');
    expect([invalid.status, invalid.stderr]).toEqual([1, 'MsaConfigError: [shop/api] port: received 70000\n']);
  });

  test('a syntax error fails the build and runs nothing', () => {
    fs.writeFileSync(path.join(dir, 'lib', 'a.ts'), 'export const a = ;\n');
    const failed = app();
    expect([failed.status, failed.stdout]).toEqual([1, '']);
    expect(failed.stderr).toContain('lib/a.ts');
  });
});

describe('bundling rules', () => {
  test("cdk8s's namespace requires of modules the write path never calls become lazy", () => {
    const yamlModule = fs.readFileSync(path.join(repo, 'node_modules/cdk8s/lib/yaml.js'), 'utf8');
    const lazy = lazyRequires(yamlModule, ['yaml', 'child_process']);
    expect(lazy).not.toMatch(/^const \w+ = (__importStar\()?require\("(yaml|child_process)"\)\)?;$/m);
    expect(lazy.match(/new Proxy/g)).toHaveLength(2);
    const childProcess = fs.readFileSync(path.join(repo, 'node_modules/cdk8s/lib/_child_process.js'), 'utf8');
    expect(lazyRequires(childProcess, ['child_process'])).toContain('(...args) => child_process_1.spawnSync(...args)');
  });

  test('a lazy module loads on first use and behaves as the module', () => {
    const source = lazyRequires('const path_1 = require("path");\nmodule.exports = () => path_1.join("a", "b");\n', [
      'path',
    ]);
    const module = { exports: undefined as any };
    new Function('module', 'require', source)(module, require);
    expect(module.exports()).toBe(path.join('a', 'b'));
  });

  test('each bundled file keeps its own __dirname, unless it declares one', () => {
    expect(ownFileNames('console.log(__dirname);', '/app/lib/a.ts')).toBe(
      'var __dirname = "/app/lib", __filename = "/app/lib/a.ts";console.log(__dirname);',
    );
    expect(ownFileNames('const __dirname = x; console.log(__dirname);', '/a.ts')).toBe(
      'const __dirname = x; console.log(__dirname);',
    );
    expect(ownFileNames('console.log(1);', '/a.ts')).toBe('console.log(1);');
  });
});
