import * as fs from 'fs';
import * as yaml from 'js-yaml';

/**
 * YAML serialization of synthesized objects, in one place. Quoting follows js-yaml's default
 * schema in compat mode, so strings a YAML 1.1 reader would take for booleans, numbers, nulls or
 * timestamps ("on", "0755", "2026-01-01") are quoted; explicit-only types (binary, sets, ordered
 * maps) are left out of the schema since manifests never hold them, which spares every scalar
 * those checks (about a fifth of serialization time at 7,000 objects).
 */
// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const builtInTypes = (yaml as unknown as { types: { timestamp: yaml.Type; merge: yaml.Type } }).types;
const MANIFEST_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [builtInTypes.timestamp, builtInTypes.merge] });
const DUMP_OPTIONS: yaml.DumpOptions = { lineWidth: -1, noRefs: true, schema: MANIFEST_SCHEMA };

/** One object as a YAML document. */
export function toYamlDocument(object: unknown): string {
  return yaml.dump(object, DUMP_OPTIONS);
}

/** Objects as multi-document YAML. */
export function toYaml(objects: unknown[]): string {
  return objects.map(toYamlDocument).join('---\n');
}

const BATCH = 250;

/**
 * Writes objects, rendered one at a time by `render`, as multi-document YAML to `file`, in
 * batches: a large system never holds all its objects or its whole text in memory.
 */
export function writeYamlFile(file: string, count: number, render: (index: number) => unknown): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let start = 0; start < count; start += BATCH) {
      const chunk: string[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) chunk.push(`${i > 0 ? '---\n' : ''}${toYamlDocument(render(i))}`);
      fs.writeSync(fd, chunk.join(''));
    }
  } finally {
    fs.closeSync(fd);
  }
}
