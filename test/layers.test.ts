import * as fs from 'fs';
import * as path from 'path';

/**
 * The layers README's "Project layout" draws: a file of lib/ imports only from its own layer or
 * a lower one, no file takes part in an import circle, and nothing imports a package's private
 * modules (`cdk8s/lib/…`), which a patch release may change.
 */
const LAYERS: Array<[string, string[]]> = [
  [
    'foundation',
    [
      'lib/errors.ts',
      'lib/messages.ts',
      'lib/messages/',
      'lib/order.ts',
      'lib/labels.ts',
      'lib/defaults.ts',
      'lib/checks.ts',
      'lib/checks/',
      'lib/render.ts',
      'lib/yaml-writer.ts',
    ],
  ],
  ['pod', ['lib/pod/']],
  ['targets', ['lib/targets/']],
  ['contracts', ['lib/contracts.ts']],
  ['network', ['lib/network/']],
  ['objects', ['lib/objects/']],
  ['workloads', ['lib/workloads/']],
  ['system', ['lib/system.ts', 'lib/system-shape.ts', 'lib/diagram.ts']],
  ['output', ['lib/output/']],
  ['index', ['lib/index.ts']],
];

const root = path.resolve(__dirname, '..');

function sourcesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourcesUnder(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
    );
}

function layerOf(file: string): number {
  const index = LAYERS.findIndex(([, prefixes]) =>
    prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)),
  );
  if (index < 0) throw new Error(`${file} belongs to no layer: add it to LAYERS and README's Project layout`);
  return index;
}

/** The relative imports of a file, as repository paths, and every module specifier it names. */
function importsOf(file: string): { local: string[]; specifiers: string[] } {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import|require\()\s*'([^']+)'/g)].map((m) => m[1]);
  const local = specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), s));
      return fs.existsSync(path.join(root, `${base}.ts`)) ? `${base}.ts` : `${base}/index.ts`;
    });
  return { local, specifiers };
}

describe('layers', () => {
  const files = sourcesUnder('lib');
  const graph = new Map(files.map((f) => [f, importsOf(f).local]));

  test('a file of lib/ imports only from its own layer or a lower one', () => {
    const upward = files.flatMap((file) =>
      graph
        .get(file)!
        .filter((target) => layerOf(target) > layerOf(file))
        .map((target) => `${file} (${LAYERS[layerOf(file)][0]}) imports ${target} (${LAYERS[layerOf(target)][0]})`),
    );
    expect(upward).toEqual([]);
  });

  test('no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    files.forEach((f) => visit(f, []));
    expect(circles).toEqual([]);
  });

  test("a target's profile (target.props) is read only in lib/targets/: everything else asks the Target", () => {
    const readers = ['lib', 'cli', 'apps']
      .flatMap(sourcesUnder)
      .filter((file) => !file.startsWith('lib/targets/'))
      .filter((file) => /\btarget\.props\b/.test(fs.readFileSync(path.join(root, file), 'utf8')));
    expect(readers).toEqual([]);
  });

  test('nothing imports a private module of cdk8s or cdk8s-plus', () => {
    const all = ['lib', 'cli', 'scripts', 'test', 'apps'].flatMap(sourcesUnder);
    const privateImports = all.flatMap((file) =>
      importsOf(file)
        .specifiers.filter((s) => /^cdk8s(-plus-\d+)?\/lib\//.test(s))
        .map((s) => `${file}: ${s}`),
    );
    expect(privateImports).toEqual([]);
  });
});
