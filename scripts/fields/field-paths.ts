/**
 * Field paths of emitted objects, normalized for the coverage table: `Kind:spec.template.spec.containers[].image`.
 * Arrays become `[]`; the keys of maps (labels, annotations, selectors, ConfigMap data) become `{}`.
 */

/** Fields whose keys are data, not schema. */
const MAP_FIELDS = new Set(['labels', 'annotations', 'nodeSelector', 'matchLabels', 'data', 'parameters']);

/** Every normalized leaf path of `object`, with the values seen there. */
export function fieldPaths(object: any): Map<string, unknown[]> {
  const found = new Map<string, unknown[]>();
  const kind = object?.kind ?? '?';
  const walk = (value: unknown, path: string, mapHere: boolean) => {
    if (Array.isArray(value)) {
      if (value.length === 0) add(`${path}[]`, '(empty)');
      value.forEach((v) => walk(v, `${path}[]`, false));
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as object);
      if (entries.length === 0) add(path, '{}');
      for (const [key, v] of entries) {
        const serviceSelector = kind === 'Service' && path === 'spec' && key === 'selector';
        walk(v, path === '' ? key : `${path}.${mapHere ? '{}' : key}`, MAP_FIELDS.has(key) || serviceSelector);
      }
    } else {
      add(path, value);
    }
  };
  const add = (path: string, value: unknown) => {
    // Pod templates are one shape whichever object carries them.
    const template = /^spec\.(jobTemplate\.spec\.)?template\./.exec(path);
    const key = template ? `PodTemplate:${path.slice(template[0].length)}` : `${kind}:${path}`;
    found.set(key, [...(found.get(key) ?? []), value]);
  };
  walk(object, '', false);
  return found;
}
