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
const newline = (level: number) => NEWLINES[level] ?? `\n${'  '.repeat(level)}`;

/**
 * A node in block context, the way js-yaml's writeNode lays it out with `indent: 2`, appended to
 * `out` piece by piece (the pieces are cached scalars and indentation strings, joined once per
 * batch, instead of a new string for every level): non-empty mappings and sequences as blocks
 * (`compact` omits the line break before the first entry, as in a sequence item or the document
 * root), empty ones as `{}`/`[]`.
 */
function blockNode(value: unknown, level: number, compact: boolean, out: string[]): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.push(scalar(value));
    return;
  }
  if (value === null || typeof value !== 'object') throw LEAVE_TO_JS_YAML;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    for (let i = 0; i < value.length; i++) {
      // A sequence item's text never starts on a new line (it is compact), so always `- `.
      if (!compact || i > 0) out.push(newline(level));
      out.push('- ');
      blockNode(value[i], level + 1, true, out);
    }
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw LEAVE_TO_JS_YAML;
  let entries = 0;
  // for-in rather than Object.keys: the same own keys in the same order (a plain object inherits
  // none), without a new array per mapping.
  for (const key in value) {
    if (!compact || entries > 0) out.push(newline(level));
    entries++;
    out.push(scalar(key), ': ');
    const first = out.length;
    blockNode((value as Record<string, unknown>)[key], level + 1, false, out);
    // A block value starts on the next line: `key:` then its first line, as js-yaml writes it.
    if (out[first].charCodeAt(0) === 10) out[first - 1] = ':';
  }
  if (entries === 0) out.push('{}');
}

/**
 * One object as a YAML document appended to `out`: byte for byte what `yaml.dump` writes with the
 * options above (test/yaml-writer.test.ts compares them on every output), but laid out here with
 * each distinct scalar formatted once, since js-yaml's per-scalar style checks are most of its time.
 */
function appendYamlDocument(object: unknown, out: string[]): void {
  const start = out.length;
  try {
    blockNode(object, 0, true, out);
    out.push('\n');
  } catch (e) {
    if (e !== LEAVE_TO_JS_YAML) throw e;
    out.length = start;
    out.push(yaml.dump(object, DUMP_OPTIONS));
  }
}

/** One object as a YAML document (see `appendYamlDocument`). */
export function toYamlDocument(object: unknown): string {
  const out: string[] = [];
  appendYamlDocument(object, out);
  return out.join('');
}

/** Objects as multi-document YAML. */
export function toYaml(objects: unknown[]): string {
  return objects.map(toYamlDocument).join('---\n');
}

/**
 * Objects per write. Small, so that what a batch holds is short-lived: at 250 the documents of a
 * batch outlived young-generation collections and were promoted, which cost 5–8 MB of peak memory
 * at N=1000; 50 objects is still about 50 KB per write.
 */
const BATCH = 50;

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
      const documents: string[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++)
        documents.push(`${i > 0 ? '---\n' : ''}${toYamlDocument(render(i))}`);
      // Encoded once, for the file and for the digest.
      const bytes = Buffer.from(documents.join(''));
      fs.writeSync(fd, bytes);
      written(bytes);
    }
  } finally {
    fs.closeSync(fd);
  }
}
