import { hasMethod, Problem } from '../errors';
import { problem } from '../messages';

/**
 * The JavaScript types a prop can be checked against, by the words the message uses. A Size or
 * Duration is recognised by its methods, not `instanceof`, so one from a second copy of cdk8s passes.
 */
const TYPE_TESTS = {
  'a string': (v: unknown) => typeof v === 'string',
  'a number': (v: unknown) => typeof v === 'number',
  'a boolean': (v: unknown) => typeof v === 'boolean',
  'an object': (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'an array': (v: unknown) => Array.isArray(v),
  'a Size': (v: unknown) => hasMethod(v, 'asString') && hasMethod(v, 'toKibibytes'),
  'a Duration': (v: unknown) => hasMethod(v, 'toMilliseconds') && hasMethod(v, 'toHumanString'),
  // The library's own values, by the hidden methods they render with (a copy of the package passes too).
  'a HealthCheck': (v: unknown) => hasMethod(v, '_toProbe') && hasMethod(v, '_timingProblems'),
  'a Storage': (v: unknown) => hasMethod(v, '_problems') && hasMethod(v, '_toPodVolumes'),
  'an EnvVar': (v: unknown) => hasMethod(v, '_toEnvVar'),
  'an EnvFrom': (v: unknown) => hasMethod(v, '_toEnvFromSource'),
  'a dependency': (v: unknown) => hasMethod(v, 'toDependency'),
  'an Exposure': (v: unknown) =>
    typeof v === 'object' &&
    v !== null &&
    ['cluster', 'loadBalancer', 'ingress', 'route'].includes((v as { kind?: unknown }).kind as string),
  'a PodCount': (v: unknown) => hasMethod(v, 'isZero') && hasMethod(v, 'toJson'),
  'a Target': (v: unknown) => hasMethod(v, 'gatewayClass') && typeof (v as { id?: unknown }).id === 'string',
} as const;

/** How each type is written, for the hints. */
const EXAMPLES: { [type in ExpectedType]: string } = {
  'a string': '"text"',
  'a number': '8080',
  'a boolean': 'true',
  'an object': '{ … }',
  'an array': '[ … ]',
  'a Size': 'Size.gibibytes(10)',
  'a Duration': 'Duration.seconds(30)',
  'a HealthCheck': 'HealthCheck.http("/healthz")',
  'a Storage': 'Storage.ephemeral("cache", { mountPath: "/cache" })',
  'an EnvVar': 'EnvVar.fromValue("x")',
  'an EnvFrom': 'EnvFrom.configMap("settings")',
  'a dependency': 'a service of the app, or Dependency.external("psp", { host: "api.psp.example.com", port: 443 })',
  'an Exposure': 'Exposure.route({ host: "shop.example.com" })',
  'a PodCount': 'PodCount.percent(25)',
  'a Target': 'Target.eks()',
};

/**
 * The shape of a prop, nested as deep as the library reads it: a JavaScript type; an object (of
 * a type, `is`) with typed fields, some required; an array of one shape (no undefined entries);
 * a record of one shape; or one of a set of strings (an enum).
 */
export type Shape = ExpectedType | ObjectShape | ArrayShape | RecordShape | EnumShape;

/** An object with typed fields. */
export interface ObjectShape {
  /** What the object must be. @default 'an object' */
  readonly is?: ExpectedType;
  /** Its fields' shapes; a field absent here is not checked. */
  readonly fields: { readonly [key: string]: Shape };
  /** Fields that must be set, or a function of the value that says which. @default - none */
  readonly required?: readonly string[] | ((value: any) => readonly string[]);
}

/** An array whose every entry has one shape. */
export interface ArrayShape {
  readonly items: Shape;
}

/** An object of named entries of one shape (`env`, `labels`). */
export interface RecordShape {
  readonly values: Shape;
}

/** One of a set of strings, as the enum of the TypeScript API spells them. */
export interface EnumShape {
  readonly oneOf: readonly string[];
  /** The enum to name in the hint, e.g. `RestartPolicy.NEVER`. */
  readonly example: string;
}

/** What a shape expects, in the words of a message. */
function wordsOf(shape: Shape): ExpectedType {
  if (typeof shape === 'string') return shape;
  if ('items' in shape) return 'an array';
  if ('oneOf' in shape) return 'a string';
  if ('values' in shape) return 'an object';
  return shape.is ?? 'an object';
}

/**
 * Checks `value` against `shape` under `prop`, as deep as the shape goes: one problem per wrong
 * value (`autoscaling.minReplicas`, `ports[1]`, `env.MODE`). `undefined` passes where a field is
 * optional, never as an entry of an array or record.
 */
export function checkShape(prop: string, value: unknown, shape: Shape): Problem[] {
  if (value === undefined) return [];
  if (typeof shape === 'string') return problemsOf(checkType(prop, value, shape, EXAMPLES[shape]));
  if ('oneOf' in shape) {
    return typeof value === 'string' && shape.oneOf.includes(value)
      ? []
      : [problem('type.enum', prop, value, { values: shape.oneOf, example: shape.example })];
  }
  const container = checkType(prop, value, wordsOf(shape), EXAMPLES[wordsOf(shape)]);
  if (container) return [container];
  if ('items' in shape) return (value as unknown[]).flatMap((v, i) => checkEntry(`${prop}[${i}]`, v, shape.items));
  if ('values' in shape)
    return Object.entries(value as object).flatMap(([k, v]) => checkEntry(`${prop}.${k}`, v, shape.values));
  const record = value as Record<string, unknown>;
  const required = typeof shape.required === 'function' ? shape.required(value) : (shape.required ?? []);
  return [
    ...required.flatMap((key) =>
      record[key] === undefined ? checkEntry(`${prop}.${key}`, undefined, shape.fields[key]) : [],
    ),
    ...Object.entries(shape.fields).flatMap(([key, field]) => checkShape(`${prop}.${key}`, record[key], field)),
  ];
}

/** Checks a value that must be there (an entry of an array or record, an argument): `undefined` and `null` too. */
export function checkEntry(prop: string, value: unknown, shape: Shape): Problem[] {
  return value === undefined || value === null
    ? [
        problem('type.wrong', prop, value, {
          expected: wordsOf(shape),
          actual: typeOfValue(value),
          example: exampleFor(shape),
        }),
      ]
    : checkShape(prop, value, shape);
}

function exampleFor(shape: Shape): string {
  if (typeof shape === 'object' && 'oneOf' in shape) return shape.example;
  return EXAMPLES[wordsOf(shape)];
}

function problemsOf(found: Problem | undefined): Problem[] {
  return found ? [found] : [];
}

/** A JavaScript type {@link checkType} can check, named as the message says it. */
export type ExpectedType = keyof typeof TYPE_TESTS;

/**
 * Checks the JavaScript type of a prop, so a wrong type from untyped JavaScript (a string where a
 * Size is expected, a number where a string is) becomes a Problem instead of a crash further on.
 * `undefined` passes: whether a prop is required is the caller's question.
 */
export function checkType(prop: string, value: unknown, expected: ExpectedType, example: string): Problem | undefined {
  if (value === undefined || TYPE_TESTS[expected](value)) return undefined;
  return problem('type.wrong', prop, value, {
    expected,
    actual: typeOfValue(value),
    example: sameValueTyped(expected, value) ?? example,
  });
}

/** The value as it should be written, where only its type is wrong (`"3"` for a number: `3`). */
function sameValueTyped(expected: ExpectedType, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (expected === 'a number' && Number.isFinite(Number(value))) return String(Number(value));
  if (expected === 'a boolean' && (value === 'true' || value === 'false')) return value;
  return undefined;
}

/** Checks that every value of a record (env vars, config files) has the expected type; one problem per bad entry. */
export function checkRecordValues(prop: string, record: unknown, expected: ExpectedType, example: string): Problem[] {
  if (record === undefined) return [];
  if (!TYPE_TESTS['an object'](record)) {
    return [problem('type.record-values', prop, record, { expected, actual: typeOfValue(record), example })];
  }
  return Object.entries(record as Record<string, unknown>)
    .map(([key, value]) => checkType(`${prop}.${key}`, value, expected, example))
    .filter((p): p is Problem => p !== undefined);
}

/** The type of a value in words: "a string", "null", "an array", "a Size", "an object". */
export function typeOfValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (TYPE_TESTS['a Size'](value)) return 'a Size';
  if (TYPE_TESTS['a Duration'](value)) return 'a Duration';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * The props with every value that is not of its shape left out, and a problem for each: what a
 * constructor does with props from untyped callers, so construction never trips over one. `prefix`
 * names the props in messages (`target.`); `extra` adds a rule for a value of the right type.
 */
export function withoutWrongValues<T>(
  props: T,
  shapes: { readonly [prop: string]: Shape },
  prefix = '',
  extra: (prop: string, key: string, value: unknown) => Problem[] = () => [],
): { props: T; problems: Problem[]; unknown: Problem[] } {
  if (typeof props !== 'object' || props === null)
    return {
      props: {} as T,
      problems: checkShape(prefix ? prefix.replace(/\.$/, ' options') : 'props', props, { fields: {} }),
      unknown: [],
    };
  const safe: { [key: string]: unknown } = { ...(props as object) };
  const found: Problem[] = [];
  for (const [key, shape] of Object.entries(shapes)) {
    const prop = `${prefix}${key}`;
    const typed = checkShape(prop, safe[key], shape);
    const wrong = typed.length > 0 || safe[key] === undefined ? typed : extra(prop, key, safe[key]);
    found.push(...wrong);
    if (wrong.length > 0) delete safe[key];
  }
  const known = Object.keys(shapes);
  const unknown = Object.keys(safe)
    .filter((key) => !Object.prototype.hasOwnProperty.call(shapes, key) && safe[key] !== undefined)
    .map((key) => problem('type.unknown-prop', `${prefix}${key}`, safe[key], { closest: closestWord(key, known) }));
  return { props: safe as T, problems: found, unknown };
}

/**
 * The word of `words` a misspelling of `word` most likely meant: the same but for case, or at
 * most one edit in four characters away (at least one; a swap of neighbours is one edit);
 * undefined when none is that close.
 */
export function closestWord(word: string, words: readonly string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const candidate of words) {
    const distance =
      candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(1, Math.floor(candidate.length / 4)) && (!best || distance < best.distance))
      best = { word: candidate, distance };
  }
  return best?.word;
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
