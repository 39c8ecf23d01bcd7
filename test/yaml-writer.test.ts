import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { buildShop } from '../apps/shop';
import { exampleTarget } from '../apps/targets';
import { Manifests, Target } from '../lib';
import { toYaml, toYamlDocument, writeYamlFile } from '../lib/yaml-writer';
import { buildReference } from '../scripts/bench/reference';

/** What js-yaml alone writes, with the writer's options (its schema: CORE plus timestamps and merge keys). */
const builtInTypes = (yaml as unknown as { types: { timestamp: yaml.Type; merge: yaml.Type } }).types;
const jsYamlOnly = (object: unknown) =>
  yaml.dump(object, {
    lineWidth: -1,
    noRefs: true,
    schema: yaml.CORE_SCHEMA.extend({ implicit: [builtInTypes.timestamp, builtInTypes.merge] }),
  });

describe('YAML serialization', () => {
  test('quotes strings a YAML 1.1 reader would take for something else', () => {
    const risky = [
      'yes',
      'no',
      'on',
      'off',
      'y',
      '0755',
      '1.0',
      '1e3',
      '0x1F',
      '~',
      'null',
      '.inf',
      '2026-01-01',
      '2026-01-01T10:00:00Z',
      '<<',
      '12:30:00',
    ];
    for (const value of risky) {
      expect(toYamlDocument({ value })).toBe(`value: '${value}'\n`);
    }
    expect(toYamlDocument({ value: 'plain-text' })).toBe('value: plain-text\n');
  });

  test('keeps long lines and multi-line strings readable', () => {
    const long = 'x'.repeat(300);
    expect(toYamlDocument({ long, file: 'a: 1\nb: 2\n' })).toBe(`long: ${long}\nfile: |\n  a: 1\n  b: 2\n`);
  });

  test('the streaming writer produces the same text as toYaml, across batches', () => {
    const objects = Array.from({ length: 600 }, (_, i) => ({
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}` },
      data: { on: 'on' },
    }));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'msa-yaml-')), 'out.yaml');
    writeYamlFile(file, objects.length, (i) => objects[i]);
    expect(fs.readFileSync(file, 'utf8')).toBe(toYaml(objects));
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  test('writes every object of the example shop (all targets) and a benchmark system exactly as js-yaml does', () => {
    const objects: unknown[] = [];
    for (const id of Target.BUILT_IN_IDS) {
      const app = new App();
      buildShop(app, exampleTarget(id));
      objects.push(...Manifests.synthesize(app).systems.flatMap((s) => s.objects));
    }
    const bench = new App();
    buildReference(bench, 20);
    objects.push(...Manifests.synthesize(bench).systems.flatMap((s) => s.objects));
    expect(objects.length).toBeGreaterThan(500);
    for (const object of objects) expect(toYamlDocument(object)).toBe(jsYamlOnly(object));
  });

  test('writes nesting, empty collections, odd keys and scalars exactly as js-yaml does', () => {
    const scalars = [
      '',
      ' lead',
      'trail ',
      'a: b',
      'a #b',
      '- x',
      '[x]',
      '{x}',
      'x,y',
      '*x',
      '&x',
      '!x',
      '%x',
      '@x',
      '`x',
      '"q"',
      "it's",
      '#x',
      'é',
      '\u0007bell',
      '\ttab',
      'on',
      'No',
      '0o17',
      '0b101',
      '+1',
      '-.5',
      '.NaN',
      'TRUE',
      'Null',
      '=',
      '?',
      '? x',
      ':',
      'x:',
      '<<',
      'a'.repeat(1001),
      0,
      -0,
      1.5,
      -2,
      1e21,
      0.1,
      NaN,
      Infinity,
      -Infinity,
      2 ** 53,
      true,
      false,
    ];
    const doc = {
      scalars,
      keys: Object.fromEntries(scalars.filter((s) => typeof s === 'string').map((s, i) => [s, i])),
      nested: [[['deep', []], {}], [{ a: [{ b: { c: [] } }] }], { x: [[1]] }],
      emptyMap: {},
      emptyList: [],
      multiLine: { text: 'line 1\n  line 2\n', crlf: 'a\r\nb' },
      date: new Date(0),
      nothing: null,
      skipped: undefined,
      [`${'k'.repeat(1030)}`]: 'long key',
    };
    for (const value of [
      doc,
      scalars,
      ...scalars,
      ...Object.entries(doc).map(([k, v]) => ({ [k]: v })),
      [[]],
      [{}],
      'x',
      7,
    ]) {
      expect(toYamlDocument(value)).toBe(jsYamlOnly(value));
    }
  });
});
