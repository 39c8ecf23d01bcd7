import { Problem } from '../errors';
import { problem } from '../messages';
import { checkLabelValue, isDnsSubdomain } from './names';

/**
 * Label and annotation keys, label maps, tolerations, each as the API server checks them:
 * IsQualifiedName (k8s.io/apimachinery/pkg/util/validation/validation.go), ValidateLabels and
 * ValidateAnnotations (apimachinery/pkg/api/validation/objectmeta.go: keys lowercased, 256 KiB in
 * all), ValidateTolerations (pkg/apis/core/validation/validation.go).
 */

const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUALIFIED_NAME_MAX_LENGTH = 63;
/** TotalAnnotationSizeLimitB: keys and values of one object's annotations together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Whether `value` is a qualified name: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function isQualifiedName(value: string): boolean {
  if (typeof value !== 'string') return false;
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0] === '' || !isDnsSubdomain(parts[0]))) return false;
  return name.length <= QUALIFIED_NAME_MAX_LENGTH && QUALIFIED_NAME_RE.test(name);
}

/** Checks a label key (or a nodeSelector key, a toleration key): a qualified name such as `app.kubernetes.io/name`. */
export function checkQualifiedName(prop: string, value: string, what = 'label key'): Problem | undefined {
  if (isQualifiedName(value)) return undefined;
  const [prefix, name] = String(value).includes('/') ? String(value).split(/\/(.*)/s) : ['', String(value)];
  const clean = (s: string) =>
    s
      .replace(/[^-A-Za-z0-9_.]+/g, '-')
      .replace(/^[-_.]+|[-_.]+$/g, '')
      .slice(0, QUALIFIED_NAME_MAX_LENGTH)
      .replace(/[-_.]+$/, '') || 'key';
  const suggestion = prefix ? `${prefix.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}/${clean(name)}` : clean(name);
  return problem('name.qualified-name', prop, value, { what, suggestion });
}

/** Checks a label map (labels, a nodeSelector, a pod selector): every key a qualified name, every value a label value. */
export function checkLabelMap(prop: string, labels: { [key: string]: string } | undefined): Problem[] {
  return Object.entries(labels ?? {}).flatMap(([key, value]) =>
    [checkQualifiedName(`${prop}.${key}`, key), checkLabelValue(`${prop}.${key}`, value)].filter(
      (p): p is Problem => p !== undefined,
    ),
  );
}

/** Checks annotations: every key a qualified name (read in lower case), at most 256 KiB of keys and values in all. */
export function checkAnnotations(prop: string, annotations: { [key: string]: string } | undefined): Problem[] {
  const entries = Object.entries(annotations ?? {});
  const found = entries
    .map(([key]) =>
      isQualifiedName(key.toLowerCase()) ? undefined : checkQualifiedName(`${prop}.${key}`, key, 'annotation key'),
    )
    .filter((p): p is Problem => p !== undefined);
  const size = entries.reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)),
    0,
  );
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT)
    found.push(
      problem('metadata.annotations-too-large', prop, `${size} bytes`, { limit: TOTAL_ANNOTATION_SIZE_LIMIT }),
    );
  return found;
}

/** A toleration as the check sees it. */
export interface TolerationEntry {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/**
 * Checks tolerations: a key is a qualified name; without a key the operator must be Exists (it
 * tolerates every taint); `Equal` (the default) takes a label value, `Exists` no value.
 */
export function checkTolerations(prop: string, tolerations: readonly TolerationEntry[]): Problem[] {
  return tolerations.flatMap((t, i) => {
    const at = `${prop}[${i}]`;
    const exists = t.operator === 'Exists';
    return [
      t.key ? checkQualifiedName(`${at}.key`, t.key, 'taint key') : undefined,
      !t.key && !exists ? problem('toleration.key-without-exists', `${at}.operator`, t.operator ?? 'Equal') : undefined,
      exists && t.value ? problem('toleration.value-with-exists', `${at}.value`, t.value) : undefined,
      !exists && t.value !== undefined ? checkLabelValue(`${at}.value`, t.value) : undefined,
    ].filter((p): p is Problem => p !== undefined);
  });
}
