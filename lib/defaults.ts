/** What a microservice gets for what its props leave out, in one place (documented on the props). */

/** Name of the writable scratch volume mounted at /tmp (the root filesystem is read-only). */
export const TMP_VOLUME = 'tmp';
/** Size limit of the scratch `/tmp` volume every container mounts. */
export const TMP_VOLUME_SIZE = '64Mi';

/** Requests and limits per resource (frozen, nested objects too: the defaults are shared by every service). */
export const DEFAULT_RESOURCES = Object.freeze({
  cpu: Object.freeze({ request: '100m', limit: '500m' }),
  memory: Object.freeze({ request: '128Mi', limit: '256Mi' }),
  ephemeralStorage: Object.freeze({ request: '64Mi', limit: '512Mi' }),
});

/** User, group and fsGroup id, above 10000 as linters ask, on targets that allow fixed ids. */
export const DEFAULT_USER_ID = 10001;

/** Timing per probe role; the startup probe gives a container two minutes to start. */
export const PROBE_DEFAULTS = Object.freeze({
  startup: Object.freeze({ periodSeconds: 2, failureThreshold: 60 }),
  liveness: Object.freeze({ periodSeconds: 20, failureThreshold: 3 }),
  readiness: Object.freeze({ periodSeconds: 10, failureThreshold: 2 }),
});

/** What a probe is for, which sets its default timing. */
export type ProbeRole = keyof typeof PROBE_DEFAULTS;
