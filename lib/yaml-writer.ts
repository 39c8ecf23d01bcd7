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

/** Thrown by the block writer for a value it leaves to js-yaml. */
const LEAVE_TO_JS_YAML = new Error('cdk8s-msa yaml: left to js-yaml');
const scalars = new Map<unknown, string>();
const SCALAR_CACHE_LIMIT = 100_000;

/**
 * A string, number or boolean as js-yaml writes it, asked of js-yaml once per distinct value. For
 * a value without line breaks js-yaml's choice (plain, quoted, escaped) depends on the value alone
 * and is the same for keys and values at any depth; multi-line strings depend on the indentation
 * and are left to js-yaml with the whole document, as are keys long enough to become explicit.
 */
function scalar(value: string | number | boolean): string {
  // -0 shares a map key with 0 but is written as -0.0.
  if (Object.is(value, -0)) throw LEAVE_TO_JS_YAML;
  let text = scalars.get(value);
  if (text === undefined) {
    if (typeof value === 'string' && (value.includes('\n') || value.length > 1000)) throw LEAVE_TO_JS_YAML;
    text = yaml.dump(value, DUMP_OPTIONS).slice(0, -1);
    if (text.includes('\n')) throw LEAVE_TO_JS_YAML;
    if (scalars.size >= SCALAR_CACHE_LIMIT) scalars.clear();
    scalars.set(value, text);
  }
  return text;
}

const NEWLINES = Array.from({ length: 16 }, (_, level) => `\n${'  '.repeat(level)}`);

/**
 * A node in block context, the way js-yaml's writeNode lays it out with `indent: 2`: non-empty
 * mappings and sequences as blocks (`compact` omits the line break before the first entry, as in a
 * sequence item or the document root), empty ones as `{}`/`[]`.
 */
function blockNode(value: unknown, level: number, compact: boolean): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return scalar(value);
  if (value === null || typeof value !== 'object') throw LEAVE_TO_JS_YAML;
  const newline = NEWLINES[level] ?? `\n${'  '.repeat(level)}`;
  let out = '';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    for (const item of value) {
      const text = blockNode(item, level + 1, true);
      out += `${!compact || out !== '' ? newline : ''}${text.startsWith('\n') ? '-' : '- '}${text}`;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw LEAVE_TO_JS_YAML;
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  for (const key of keys) {
    const text = blockNode((value as Record<string, unknown>)[key], level + 1, false);
    out += `${!compact || out !== '' ? newline : ''}${scalar(key)}${text.startsWith('\n') ? ':' : ': '}${text}`;
  }
  return out;
}

/**
 * One object as a YAML document: byte for byte what `yaml.dump` writes with the options above
 * (test/yaml-writer.test.ts compares them on every output), but laid out here with each distinct
 * scalar formatted once, since js-yaml's per-scalar style checks are most of its time.
 */
export function toYamlDocument(object: unknown): string {
  try {
    return `${blockNode(object, 0, true)}\n`;
  } catch (e) {
    if (e !== LEAVE_TO_JS_YAML) throw e;
    return yaml.dump(object, DUMP_OPTIONS);
  }
}

/** Objects as multi-document YAML. */
export function toYaml(objects: unknown[]): string {
  return objects.map(toYamlDocument).join('---\n');
}

const BATCH = 250;

/**
 * Writes objects, rendered one at a time by `render`, as multi-document YAML to `file`, in
 * batches, handing each batch to `written` too (for a digest): a large system never holds all its
 * objects or its whole text in memory, nor reads the file back.
 */
export function writeYamlFile(
  file: string,
  count: number,
  render: (index: number) => unknown,
  written: (bytes: Uint8Array) => void = () => undefined,
): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let start = 0; start < count; start += BATCH) {
      const chunk: string[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++)
        chunk.push(`${i > 0 ? '---\n' : ''}${toYamlDocument(render(i))}`);
      // Encoded once, for the file and for the digest.
      const bytes = Buffer.from(chunk.join(''));
      fs.writeSync(fd, bytes);
      written(bytes);
    }
  } finally {
    fs.closeSync(fd);
  }
}
