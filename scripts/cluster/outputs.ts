import * as fs from 'fs';
import * as path from 'path';
import { OUTPUT_MARKER, OutputMarker } from '../../lib/output/contract';
import { DeployError } from '../../cli/errors';
import { environmentsIn, readOutput } from '../../cli/output';
import type { ControlPlane } from './control-plane';

/**
 * What test:cluster's checks share: the outputs they read (any app's, verified by digest), how a
 * failed step is reported, the volumes kwok's nodes need, and deleting an output's namespaces.
 */

/** One verified output directory. */
export interface Output {
  /** Directory name: the environment, or the target in this repository's example layout. */
  readonly name: string;
  readonly dir: string;
  readonly marker: OutputMarker;
  /** Every object, systems in apply order. */
  readonly objects: any[];
}

export class Failure extends Error {}
export const log = (line: string) => process.stdout.write(`${line}\n`);

/** The outputs under `root`: `root` itself when it holds a marker, else each sub-directory that does. */
export function findOutputs(root: string): Output[] {
  if (!fs.existsSync(root))
    throw new Failure(`${root} does not exist: synthesize first (npm run synth, or your app's cdk8s synth)`);
  const dirs = fs.existsSync(path.join(root, OUTPUT_MARKER))
    ? [root]
    : environmentsIn(root).map((d) => path.join(root, d));
  return dirs.map((dir) => {
    try {
      const { marker, systems } = readOutput(dir);
      return { name: path.basename(dir), dir, marker, objects: systems.flatMap((s) => s.objects) };
    } catch (e) {
      if (e instanceof DeployError) throw new Failure(`✗ ${e.message}`);
      throw e;
    }
  });
}

/** Runs a kubectl step; on failure names the target, step and the server's message. */
export function step(target: string, what: string, run: () => string): string {
  try {
    return run();
  } catch (e: any) {
    throw new Failure(`✗ ${target}: ${what} failed:\n${String(e.stderr || e.message).trim()}`);
  }
}

/** The claims an output makes: its PVCs, and those a StatefulSet's templates make per pod (`<template>-<set>-<ordinal>`). */
export function claimsOf(objects: any[]): any[] {
  const templated = objects
    .filter((o) => o.kind === 'StatefulSet')
    .flatMap((set) =>
      (set.spec.volumeClaimTemplates ?? []).flatMap((t: any) =>
        Array.from({ length: set.spec.replicas ?? 1 }, (_, i) => ({
          metadata: { namespace: set.metadata.namespace, name: `${t.metadata.name}-${set.metadata.name}-${i}` },
          spec: t.spec,
        })),
      ),
    );
  return [...objects.filter((o) => o.kind === 'PersistentVolumeClaim'), ...templated];
}

/** Pre-provisioned PersistentVolumes matching each claim (kwok has no storage driver). */
export function volumesFor(prefix: string, objects: any[]): any[] {
  return claimsOf(objects).map((pvc) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `${prefix}-${pvc.metadata.namespace}-${pvc.metadata.name}`,
      labels: { 'cdk8s-msa-test': 'true' },
    },
    spec: {
      capacity: { storage: pvc.spec.resources.requests.storage },
      accessModes: pvc.spec.accessModes,
      storageClassName: pvc.spec.storageClassName ?? '',
      persistentVolumeReclaimPolicy: 'Delete',
      hostPath: { path: `/tmp/${prefix}-${pvc.metadata.name}` },
      claimRef: { namespace: pvc.metadata.namespace, name: pvc.metadata.name },
    },
  }));
}

/** Deletes the namespaces in one call: the server finalizes them side by side (one at a time took 35 of an output's 45 s). */
export function deleteNamespaces(cluster: ControlPlane, label: string, namespaces: string[]): void {
  step(label, `delete namespaces ${namespaces.join(', ')}`, () =>
    cluster.kubectl(['delete', 'namespace', ...namespaces, '--wait=true', '--timeout=120s']),
  );
}
