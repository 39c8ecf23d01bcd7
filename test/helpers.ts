import { App } from 'cdk8s';
import {
  Exposure,
  Manifests,
  MicroserviceProps,
  MicroserviceSystem,
  MicroserviceSystemProps,
  MsaConfigError,
  HealthCheck,
  Target,
} from '../lib';
import { MESSAGES } from '../lib/messages';

/** A fresh app with one system. */
export function newSystem(props: MicroserviceSystemProps = {}): { app: App; system: MicroserviceSystem } {
  const app = new App();
  const system = new MicroserviceSystem(app, 'shop', props);
  return { app, system };
}

/**
 * The shared small fixture: system "shop" in `app` with one service "api" (HTTP health check,
 * a load balancer, which draws a warning on kind) on `target`.
 */
export function apiShop<T extends App>(app: T, options: { readonly image?: string; readonly target?: Target } = {}): T {
  new MicroserviceSystem(app, 'shop', { target: options.target ?? Target.kind() }).addService('api', {
    image: options.image ?? 'a/api:1.0.0',
    port: 8080,
    healthCheck: HealthCheck.http('/healthz'),
    expose: Exposure.loadBalancer(),
  });
  return app;
}

/** Synthesizes the app and returns every object as JSON. */
export function objectsOf(app: App): any[] {
  return Manifests.synthesize(app).systems.flatMap((s) => s.objects);
}

/** The one object of `kind` named `name`. */
export function find(objects: any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}`);
  return found[0];
}

/** A system with one service on `target`, synthesized. */
export function oneService(
  props: Partial<MicroserviceProps> = {},
  target: Target = Target.dockerDesktop(),
  name = 'api',
): any[] {
  const { app, system } = newSystem({ target });
  system.addService(name, { image: 'ghcr.io/acme/api:1.0.0', port: 8080, ...props });
  return objectsOf(app);
}

/**
 * Runs `build` and returns the messages of the MsaConfigError it (or synthesis) throws, having
 * checked that each carries a code of the message catalogue.
 */
export function problemsOf(build: () => App): string[] {
  try {
    Manifests.synthesize(build());
  } catch (e) {
    if (!(e instanceof MsaConfigError)) throw e;
    expect(e.codes.filter((code) => !(code in MESSAGES))).toEqual([]);
    return e.messages;
  }
  throw new Error('expected a MsaConfigError, but synthesis succeeded');
}

/** Runs `build` and returns the stable code of each problem synthesis reports (what tests should match). */
export function codesOf(build: () => App): string[] {
  try {
    Manifests.synthesize(build());
  } catch (e) {
    if (e instanceof MsaConfigError) return e.codes;
    throw e;
  }
  throw new Error('expected a MsaConfigError, but synthesis succeeded');
}

/** Every leaf difference between two JSON values, as `path: before → after` lines. */
export function jsonDiff(before: unknown, after: unknown, path = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) =>
      jsonDiff(before[k], after[k], Array.isArray(before) ? `${path}[${k}]` : path ? `${path}.${k}` : k),
    );
  }
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  return [`${path}: ${show(before)} → ${show(after)}`];
}

/** Differences between two syntheses' objects, keyed by kind/name. */
export function manifestDiff(base: any[], other: any[]): string[] {
  const key = (o: any) => `${o.kind}/${o.metadata.name}`;
  const byKey = (list: any[]) => new Map(list.map((o) => [key(o), o]));
  const a = byKey(base);
  const b = byKey(other);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.flatMap((k) => jsonDiff(a.get(k), b.get(k)).map((line) => `${k} ${line}`.replace(`${k} : `, `${k}: `)));
}
