import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { atPath, MsaConfigError, WARNING_METADATA } from './errors';
import { renderApiObject } from './render';
import { MicroserviceSystem } from './system';
import { toYaml, writeYamlFile } from './yaml-writer';

/** Options of synthesis. */
export interface SynthOptions {
  /** Treat warnings as errors. @default false */
  readonly strict?: boolean;
}

/**
 * One system's output. Objects are rendered on demand, so writing a large system streams one
 * object at a time instead of holding every object and the whole YAML text in memory.
 */
export class SystemManifest {
  /** The system. */
  public readonly system: MicroserviceSystem;
  /** Its API objects in apply order: cluster-scoped first, then what others reference. */
  public readonly apiObjects: ApiObject[];

  constructor(system: MicroserviceSystem) {
    this.system = system;
    this.apiObjects = system.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject)
      .map((o, i) => ({ o, rank: kindRank(o.kind), i }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map((entry) => entry.o);
  }

  /** Its objects as plain JSON, in apply order. */
  public get objects(): any[] {
    return this.apiObjects.map((o) => renderApiObject(o));
  }

  /** Its objects as multi-document YAML. */
  public get yaml(): string {
    return toYaml(this.objects);
  }

  /** Its Mermaid diagram (Markdown). */
  public get diagram(): string {
    return `# ${this.system.systemName}\n\n${this.system.toMermaid()}`;
  }
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
    for (const message of child.node.validate()) errors.push(atPath(child, message));
  }
  if (errors.length > 0) throw new MsaConfigError(errors);
}

/** Collects the warnings recorded on constructs, each prefixed with its construct path. */
export function collectWarnings(root: IConstruct): string[] {
  const warnings: string[] = [];
  for (const child of root.node.findAll()) {
    for (const entry of child.node.metadata) {
      if (entry.type === WARNING_METADATA) warnings.push(atPath(child, entry.data));
    }
  }
  return warnings;
}

/** The objects of one system, rendered in apply order. */
export function renderSystem(system: MicroserviceSystem): any[] {
  return new SystemManifest(system).objects;
}

/**
 * Synthesis of an app's systems: validation across the tree (every problem reported at once),
 * rendering in apply order, and output that is never half-written.
 */
export class Manifests {
  /** File in each output directory that marks it complete and produced by this library. */
  public static readonly OUTPUT_MARKER = OUTPUT_MARKER;
  /** Kinds without a namespace, applied before everything else. */
  public static readonly CLUSTER_SCOPED_KINDS = CLUSTER_SCOPED_KINDS;

  /**
   * Validates an app (or any construct tree holding systems) and renders every system. Throws one
   * `MsaConfigError` listing every problem; in strict mode warnings count as problems.
   */
  public static synthesize(root: IConstruct, options: SynthOptions = {}): Synthesis {
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
      systems: systems.map((system) => new SystemManifest(system)),
    };
  }

  /**
   * Writes a synthesis to `outdir` so that it is never half-written: files go to a sibling
   * temporary directory, which replaces `outdir` only once everything is written. Until then
   * the previous output stays intact. Each directory carries `cdk8s-msa.output.json`.
   */
  public static write(synthesis: Synthesis, outdir: string): string[] {
    const staging = `${outdir}.partial-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    const files: string[] = [];
    for (const manifest of synthesis.systems) {
      const name = manifest.system.systemName;
      writeYamlFile(path.join(staging, `${name}.k8s.yaml`), manifest.apiObjects.length, (i) => renderApiObject(manifest.apiObjects[i]));
      fs.writeFileSync(path.join(staging, `${name}.md`), manifest.diagram);
      files.push(`${name}.k8s.yaml`, `${name}.md`);
    }
    const marker = {
      generator: 'cdk8s-msa',
      target: synthesis.targetId,
      systems: synthesis.systems.map((s) => ({ name: s.system.systemName, namespace: s.system.namespace, file: `${s.system.systemName}.k8s.yaml`, objects: s.apiObjects.length })),
    };
    fs.writeFileSync(path.join(staging, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    const previous = `${outdir}.previous-${process.pid}`;
    if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
    fs.renameSync(staging, outdir);
    fs.rmSync(previous, { recursive: true, force: true });
    return files;
  }

  private constructor() {}
}
