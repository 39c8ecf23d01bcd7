/** The `app.kubernetes.io/*` recommended labels, in one place. */
export const LABEL = {
  NAME: 'app.kubernetes.io/name',
  INSTANCE: 'app.kubernetes.io/instance',
  VERSION: 'app.kubernetes.io/version',
  COMPONENT: 'app.kubernetes.io/component',
  PART_OF: 'app.kubernetes.io/part-of',
  MANAGED_BY: 'app.kubernetes.io/managed-by',
} as const;

/** Value of `app.kubernetes.io/managed-by` on everything the library emits. */
export const MANAGED_BY = 'cdk8s-msa';

/**
 * Labels that select a microservice's pods. They derive from the system and service names only,
 * never from construct paths, so renaming a construct id or moving a service keeps `spec.selector`
 * (immutable on Deployments) unchanged.
 */
export function selectorLabels(systemName: string, serviceName: string): { [key: string]: string } {
  return { [LABEL.NAME]: serviceName, [LABEL.INSTANCE]: `${systemName}-${serviceName}` };
}

/** Turns a free-form version (image tag, digest) into a valid label value. */
export function versionLabelValue(version: string): string {
  return version
    .replace(/^sha256:/, 'sha256-')
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
