import fc from 'fast-check';
import { Problem } from '../../lib/errors';

/** The vocabulary of the rules oracle's rules: what a rule is, and the objects that carry values. */

/** One field rule: a checker, the object that carries the value, and the cases to try. */
export interface Rule<T> {
  readonly name: string;
  /** The Kubernetes source the checker follows. */
  readonly source: string;
  readonly check: (value: T) => Problem | undefined;
  /** API collection path and object carrying the value. */
  readonly object: (value: T) => { readonly path: string; readonly body: object };
  readonly hand: readonly T[];
  readonly generated: fc.Arbitrary<T>;
  /** Why the library rejects a value the server accepts, when that is deliberate; undefined otherwise. */
  readonly policy?: (value: T) => string | undefined;
}

export const meta = (name: string, extra: object = {}) => ({ name, namespace: 'default', ...extra });
export const container = (extra: object = {}) => ({ name: 'app', image: 'registry.example.com/app:1.0.0', ...extra });
export const pod = (spec: object, labels?: { [key: string]: string }) => ({
  path: '/api/v1/namespaces/default/pods',
  body: { apiVersion: 'v1', kind: 'Pod', metadata: meta('oracle', labels ? { labels } : {}), spec },
});
export const cronJob = (schedule: string, timeZone?: string, extra: object = {}) => ({
  path: '/apis/batch/v1/namespaces/default/cronjobs',
  body: {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('oracle'),
    spec: {
      schedule,
      ...(timeZone === undefined ? {} : { timeZone }),
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } },
      ...extra,
    },
  },
});
export const ingress = (host: string, path: string) => ({
  path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
  body: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta('oracle'),
    spec: {
      rules: [
        {
          host,
          http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
        },
      ],
    },
  },
});
export const service = (name: string, ports: object[]) => ({
  path: '/api/v1/namespaces/default/services',
  body: { apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector: { app: 'x' }, ports } },
});

/** Strings over `alphabet`, mostly short, some around `boundary` characters (mostly 'a' so the length decides). */
export function text(alphabet: string, boundary: number): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...alphabet.split(''));
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit, maxLength: 8 }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: boundary - 2, max: boundary + 2 })
        .chain((n) =>
          fc.string({ unit: fc.oneof({ weight: 12, arbitrary: fc.constant('a') }, unit), minLength: n, maxLength: n }),
        ),
    },
  );
}
export const join = (parts: Array<fc.Arbitrary<string>>) => fc.tuple(...parts).map((p) => p.join(''));
