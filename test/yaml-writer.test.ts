import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toYaml, toYamlDocument, writeYamlFile } from '../lib/yaml-writer';

describe('YAML serialization', () => {
  test('quotes strings a YAML 1.1 reader would take for something else', () => {
    const risky = ['yes', 'no', 'on', 'off', 'y', '0755', '1.0', '1e3', '0x1F', '~', 'null', '.inf', '2026-01-01', '2026-01-01T10:00:00Z', '<<', '12:30:00'];
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
    const objects = Array.from({ length: 600 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { on: 'on' } }));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'msa-yaml-')), 'out.yaml');
    writeYamlFile(file, objects.length, (i) => objects[i]);
    expect(fs.readFileSync(file, 'utf8')).toBe(toYaml(objects));
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
