import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  argvOf,
  containerRoles,
  declaredPorts,
  fullImageName,
  podTemplates,
  probeCommands,
  probedPaths,
  probedPorts,
  writableMounts,
} from './pod-specs';

/** Where the stand-in sits in every image, and its entrypoint. */
export const STANDIN_PATH = '/standin';

/** One entry of a stand-in plan (scripts/node/standin/plan.go). */
export interface PlanEntry {
  readonly name: string;
  readonly argv: string[];
  readonly mode: 'serve' | 'complete';
  readonly tcp: number[];
  readonly udp: number[];
  readonly httpPaths: string[];
  readonly writable: string[];
  readonly connect: string[];
}

/** What a stand-in image holds: its plan's entries and the command words linked to the program. */
export interface StandinPlan {
  readonly image: string;
  readonly entries: PlanEntry[];
  readonly links: string[];
}

/**
 * The plan of each image name the objects use: every container spec naming the image, and every
 * command word they start or probe with (linked to the stand-in).
 */
export function standinPlans(objects: any[]): StandinPlan[] {
  const services = serviceHosts(objects);
  const routePaths = routedPaths(objects);
  const byImage = new Map<string, { entries: PlanEntry[]; links: Set<string> }>();
  for (const template of podTemplates(objects)) {
    for (const role of containerRoles(template)) {
      const { container } = role;
      const image = byImage.get(container.image) ?? { entries: [], links: new Set<string>() };
      byImage.set(container.image, image);
      const argv = argvOf(container, STANDIN_PATH);
      for (const word of [argv[0], ...probeCommands(container)]) if (word !== STANDIN_PATH) image.links.add(word);
      const ports = declaredPorts(container);
      image.entries.push({
        name: `${template.workload}/${container.name}`,
        argv,
        mode: role.mode,
        tcp: unique([...ports.filter((p) => p.protocol === 'TCP').map((p) => p.port), ...probedPorts(container)]),
        udp: unique(ports.filter((p) => p.protocol === 'UDP').map((p) => p.port)),
        httpPaths: unique([...probedPaths(container), ...routePaths]),
        writable: writableMounts(template, container),
        connect: role.mode === 'complete' ? dependencyAddresses(container, services) : [],
      });
    }
  }
  return [...byImage.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([image, { entries, links }]) => ({ image, entries: mergeSameArgv(entries), links: [...links].sort() }));
}

/** Builds one stand-in image per image name the objects use (`standinPlans`); returns the tarballs written into `dir`. */
export function buildStandinImages(objects: any[], standin: string, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return standinPlans(objects).map(({ image, entries, links }, i) => {
    const planFile = path.join(dir, `plan-${i}.json`);
    fs.writeFileSync(planFile, JSON.stringify({ image, entries }, null, 2));
    const tarball = path.join(dir, `image-${i}.tar`);
    execFileSync(standin, [
      'pack',
      `--out=${tarball}`,
      `--name=${fullImageName(image)}`,
      `--plan=${planFile}`,
      `--entrypoint=${STANDIN_PATH}`,
      ...links.map((l) => `--link=${l}`),
    ]);
    return tarball;
  });
}

/**
 * Entries with the same argv are one program to the stand-in (replicas of one template across
 * workloads, or a Job and its CronJob twin): they merge when they agree on the mode.
 */
function mergeSameArgv(entries: PlanEntry[]): PlanEntry[] {
  const merged = new Map<string, PlanEntry>();
  for (const entry of entries) {
    const key = JSON.stringify(entry.argv);
    const seen = merged.get(key);
    if (!seen) merged.set(key, entry);
    else if (seen.mode !== entry.mode)
      throw new Error(
        `${seen.name} and ${entry.name} start the same image with the same argv but one serves and one completes`,
      );
    else
      merged.set(key, {
        ...seen,
        name: `${seen.name},${entry.name}`,
        tcp: unique([...seen.tcp, ...entry.tcp]),
        udp: unique([...seen.udp, ...entry.udp]),
        httpPaths: unique([...seen.httpPaths, ...entry.httpPaths]),
        writable: unique([...seen.writable, ...entry.writable]),
        connect: unique([...seen.connect, ...entry.connect]),
      });
  }
  return [...merged.values()];
}

/** DNS names of the output's Services (`<name>.<namespace>.svc...`), by which env values point at them. */
function serviceHosts(objects: any[]): Set<string> {
  const hosts = new Set<string>();
  for (const o of objects.filter((x) => x.kind === 'Service')) {
    const { name, namespace } = o.metadata;
    for (const host of [
      name,
      `${name}.${namespace}`,
      `${name}.${namespace}.svc`,
      `${name}.${namespace}.svc.cluster.local`,
    ])
      hosts.add(host);
  }
  return hosts;
}

/** `${X_HOST}:${X_PORT}` for every host/port env pair of the container that names a Service of the output. */
export function dependencyAddresses(container: any, services: Set<string>): string[] {
  const env = new Map<string, any>((container.env ?? []).map((e: any) => [e.name, e]));
  return [...env.values()]
    .filter((e) => e.name.endsWith('_HOST') && services.has(e.value) && env.has(`${e.name.slice(0, -5)}_PORT`))
    .map((e) => `\${${e.name}}:\${${e.name.slice(0, -5)}_PORT}`);
}

/** Path prefixes that routes and Ingresses send to any backend (answered by every stand-in). */
function routedPaths(objects: any[]): string[] {
  return objects.flatMap((o) => {
    if (o.kind === 'HTTPRoute')
      return (o.spec?.rules ?? []).flatMap((r: any) => (r.matches ?? []).map((m: any) => m.path?.value ?? '/'));
    if (o.kind === 'Ingress')
      return (o.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.path ?? '/'));
    return [];
  });
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
