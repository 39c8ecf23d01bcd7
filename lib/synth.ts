import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as yaml from 'js-yaml';
import { IConstruct } from 'constructs';
import { MsaConfigError, WARNING_METADATA } from './errors';
import { MicroserviceSystem } from './system';

/** Options of synthesis. */
export interface SynthOptions {
  /** Treat warnings as errors. @default false */
  readonly strict?: boolean;
}

/** One system's synthesized output. */
export interface SystemManifest {
  /** The system. */
  readonly system: MicroserviceSystem;
  /** Its objects as plain JSON, Namespace first, in apply order. */
  readonly objects: any[];
  /** The objects as multi-document YAML. */
  readonly yaml: string;
  /** Its Mermaid diagram (Markdown). */
  readonly diagram: string;
}

/** The synthesized output of one app (one target). */
export interface Synthesis {
  /** Id of the target the systems were synthesized for. */
  readonly targetId: string;
  /** One entry per system. */
  readonly systems: SystemManifest[];
  /** Warnings (allowed but risky), each prefixed with its construct path. */
  readonly warnings: string[];
}

/** Kinds in the order they are applied: cluster-scoped first, then what others reference. */
const KIND_ORDER = [
  'Namespace', 'StorageClass', 'ServiceAccount', 'ConfigMap', 'PersistentVolumeClaim', 'Service',
  'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'Ingress',
];

/** Kinds without a namespace. */
export const CLUSTER_SCOPED_KINDS = ['Namespace', 'StorageClass'];

/** File in each output directory that marks it complete and produced by this library. */
export const OUTPUT_MARKER = 'cdk8s-msa.output.json';

function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank < 0 ? KIND_ORDER.length : rank;
}

/** Runs every validation in the tree and reports all problems at once, each prefixed with its construct path. */
export function validateTree(root: IConstruct): void {
  const errors: string[] = [];
  for (const child of root.node.findAll()) {
    for (const message of child.node.validate()) errors.push(`[${child.node.path}] ${message}`);
  }
  if (errors.length > 0) throw new MsaConfigError(errors);
}

/** Collects the warnings recorded on constructs, each prefixed with its construct path. */
export function collectWarnings(root: IConstruct): string[] {
  const warnings: string[] = [];
  for (const child of root.node.findAll()) {
    for (const entry of child.node.metadata) {
      if (entry.type === WARNING_METADATA) warnings.push(`[${child.node.path}] ${entry.data}`);
    }
  }
  return warnings;
}

/** Serializes objects as multi-document YAML (YAML 1.1-safe quoting, no line folding, no anchors). */
export function toYaml(objects: any[]): string {
  return objects.map((o) => yaml.dump(o, { lineWidth: -1, noRefs: true })).join('---\n');
}

/** The objects of one system, rendered and sorted in apply order. */
export function renderSystem(system: MicroserviceSystem): any[] {
  const apiObjects = system.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  return apiObjects
    .map((o, i) => ({ json: o.toJson(), rank: kindRank(o.kind), i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((entry) => entry.json);
}

/**
 * Validates an app (or any construct tree holding systems) and renders every system. Throws one
 * `MsaConfigError` listing every problem; in strict mode warnings count as problems.
 */
export function synthesize(root: IConstruct, options: SynthOptions = {}): Synthesis {
  const systems = root.node.findAll().filter((c): c is MicroserviceSystem => c instanceof MicroserviceSystem);
  const targets = [...new Set(systems.map((s) => s.target.id))];
  if (targets.length > 1) {
    throw new MsaConfigError([`[${root.node.path || 'app'}] target: received ${targets.join(', ')}; allowed: one target per app. Hint: synthesize one App per target`]);
  }
  validateTree(root);
  const warnings = collectWarnings(root);
  if (options.strict && warnings.length > 0) throw new MsaConfigError(warnings.map((w) => `${w} (strict mode: warnings are errors)`));
  return {
    targetId: targets[0] ?? 'none',
    warnings,
    systems: systems.map((system) => {
      const objects = renderSystem(system);
      return { system, objects, yaml: toYaml(objects), diagram: `# ${system.systemName}\n\n${system.toMermaid()}` };
    }),
  };
}

/**
 * Writes a synthesis to `outdir` so that it is never half-written: files go to a sibling
 * temporary directory, which replaces `outdir` only once everything is written. Until then
 * the previous output stays intact. Each directory carries `cdk8s-msa.output.json`.
 */
export function writeSynthesis(synthesis: Synthesis, outdir: string): string[] {
  const staging = `${outdir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const files: string[] = [];
  for (const { system, yaml: text, diagram } of synthesis.systems) {
    fs.writeFileSync(path.join(staging, `${system.systemName}.k8s.yaml`), text);
    fs.writeFileSync(path.join(staging, `${system.systemName}.md`), diagram);
    files.push(`${system.systemName}.k8s.yaml`, `${system.systemName}.md`);
  }
  const marker = {
    generator: 'cdk8s-msa',
    target: synthesis.targetId,
    systems: synthesis.systems.map((s) => ({ name: s.system.systemName, namespace: s.system.namespace, file: `${s.system.systemName}.k8s.yaml`, objects: s.objects.length })),
  };
  fs.writeFileSync(path.join(staging, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  const previous = `${outdir}.previous-${process.pid}`;
  if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
  fs.renameSync(staging, outdir);
  fs.rmSync(previous, { recursive: true, force: true });
  return files;
}
