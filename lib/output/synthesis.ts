import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isSystem } from '../contracts';
import { atPath, checksOf, collectingFindings, formatProblem, MsaConfigError, Problem } from '../errors';
import { MESSAGES, problem } from '../messages';
import { renderApiObject } from '../render';
import { MicroserviceSystem } from '../system';
import { toYaml, writeYamlFile } from '../yaml-writer';
import { StagedDirectory } from './atomic';
import {
  CLUSTER_SCOPED_KINDS,
  digestOf,
  FileDigest,
  kindRank,
  MARKER_VERSION,
  OUTPUT_MARKER,
  OutputMarker,
} from './contract';

/** Options of synthesis. */
export interface SynthOptions {
  /** Treat warnings as errors. @default false */
  readonly strict?: boolean;
  /**
   * Name of the environment the app describes, recorded in the output marker so that
   * `cdk8s-msa deploy --env <name>` can check it. @default - a single-environment output
   */
  readonly environment?: string;
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
    this.apiObjects = system.node
      .findAll()
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
  /** Name of the environment. @default - a single-environment output */
  readonly environment?: string;
  /** One entry per system. */
  readonly systems: SystemManifest[];
  /** Warnings (allowed but risky), each prefixed with its construct path. */
  readonly warnings: string[];
}

/** A finding with the construct it is about, as synth reports it. */
interface Reported {
  readonly message: string;
  readonly code: string;
  /** Position of the construct in the tree: warnings are listed in tree order. */
  readonly order: number;
}

/**
 * Runs every check in the tree and reports all problems at once, each prefixed with its
 * construct path, with the warnings (in tree order); returns the warnings when there is no
 * problem. Constructs with registered checks are asked for their findings, and every construct
 * for the cdk8s validations the app registered. `constructs` is every construct of the tree under
 * `root`, in tree order (the walk `synthesize` made once for this and for the systems).
 */
function validateTree(root: IConstruct, constructs: IConstruct[]): Array<{ message: string; code: string }> {
  const order = new Map<IConstruct, number>(constructs.map((c, i) => [c, i]));
  const problems: Reported[] = [];
  const warnings: Reported[] = [];
  const report = (scope: IConstruct, problem: Problem): Reported => {
    const at = problem.at ?? scope;
    return { message: atPath(at, formatProblem(problem)), code: problem.code ?? '', order: order.get(at) ?? 0 };
  };
  collectingFindings(root, () => {
    for (const child of constructs) {
      const found = checksOf(child)?.() ?? { problems: [], warnings: [] };
      problems.push(...found.problems.map((p) => report(child, p)));
      warnings.push(...found.warnings.map((w) => report(child, w)));
      // What the app itself registered with cdk8s.
      for (const message of child.node.validate())
        problems.push({ message: atPath(child, message), code: '', order: order.get(child)! });
    }
  });
  const codes = new Map(warnings.sort((a, b) => a.order - b.order).map((w) => [w.message, w.code]));
  if (problems.length > 0)
    throw new MsaConfigError(
      problems.map((p) => p.message),
      [...codes.keys()],
      problems.map((p) => p.code),
    );
  return [...codes].map(([message, code]) => ({ message, code }));
}

/**
 * The one synth path: validates the tree (every problem at once, each prefixed with its construct
 * path; in strict mode warnings count as problems; one target per app) and renders every system
 * in apply order. `MsaApp`, `MsaEnvironments`, `ManifestTesting` and `Manifests` all go through it.
 */
export function synthesize(root: IConstruct, options: SynthOptions = {}): Synthesis {
  // One walk of the whole tree serves both the systems and the validation (root first).
  const constructs = root.node.findAll();
  const systems = constructs.filter((c): c is MicroserviceSystem => isSystem(c));
  const targets = [...new Set(systems.map((s) => s.target.id))];
  if (targets.length > 1) {
    // The targets are listed bare, not quoted as one value.
    const oneTarget = MESSAGES['app.one-target'];
    throw new MsaConfigError([
      `[${root.node.path || 'app'}] target: received ${targets.join(', ')}; allowed: ${oneTarget.allowed({})}. Hint: ${oneTarget.hint({})}`,
    ]);
  }
  if (options.environment !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.environment)) {
    throw new MsaConfigError([
      `[${root.node.path || 'app'}] ${formatProblem(problem('app.environment-name', 'environment', options.environment))}`,
    ]);
  }
  const warnings = validateTree(root, constructs);
  if (options.strict && warnings.length > 0)
    throw new MsaConfigError(
      warnings.map((w) => `${w.message} (strict mode: warnings are errors)`),
      [],
      warnings.map((w) => w.code),
    );
  return {
    targetId: targets[0] ?? 'none',
    environment: options.environment,
    warnings: warnings.map((w) => w.message),
    systems: systems.map((system) => new SystemManifest(system)),
  };
}

/**
 * The synth path for a tree that is not an `MsaApp` (a plain cdk8s `App`, a script writing
 * elsewhere): validation across the tree (every problem reported at once), rendering in apply
 * order, and output that is never half-written. `MsaApp#synth()` and `ManifestTesting` are the
 * same path with less to write.
 */
export class Manifests {
  /** File in each output directory that marks it complete and produced by this library. */
  public static readonly OUTPUT_MARKER = OUTPUT_MARKER;
  /** Kinds without a namespace, applied before everything else. */
  public static readonly CLUSTER_SCOPED_KINDS = CLUSTER_SCOPED_KINDS;

  /**
   * Validates an app (or any construct tree holding systems) and renders every system, as
   * `MsaApp#synthesizeManifests()` does. Throws one `MsaConfigError` listing every problem; in
   * strict mode warnings count as problems.
   */
  public static synthesize(root: IConstruct, options: SynthOptions = {}): Synthesis {
    return synthesize(root, options);
  }

  /**
   * Writes a synthesis to `outdir` so that it is never half-written: files go to a sibling
   * temporary directory, which replaces `outdir` only once everything is written. Until then
   * the previous output stays intact. Each directory carries `cdk8s-msa.output.json`, which
   * records the target, the systems and a digest of every file. Returns the files written.
   */
  public static write(synthesis: Synthesis, outdir: string): string[] {
    const staged = stageSynthesis(synthesis, outdir);
    StagedDirectory.commitAll([staged]);
    return fileNamesOf(synthesis);
  }

  private constructor() {}
}

/** The files a system is written to: its manifests and its diagram. */
function filesOf(manifest: SystemManifest): { readonly yaml: string; readonly diagram: string } {
  return { yaml: `${manifest.system.systemName}.k8s.yaml`, diagram: `${manifest.system.systemName}.md` };
}

function fileNamesOf(synthesis: Synthesis): string[] {
  return synthesis.systems.flatMap((s) => Object.values(filesOf(s)));
}

/**
 * Writes a synthesis into a staging directory beside `outdir`, marker last; the caller commits it
 * (together with other environments) or discards it.
 */
export function stageSynthesis(synthesis: Synthesis, outdir: string): StagedDirectory {
  const staged = new StagedDirectory(outdir);
  try {
    const files: { [file: string]: string } = {};
    for (const manifest of synthesis.systems) {
      const { yaml, diagram } = filesOf(manifest);
      const digest = new FileDigest();
      writeYamlFile(
        staged.file(yaml),
        manifest.apiObjects.length,
        (i) => renderApiObject(manifest.apiObjects[i]),
        (bytes) => digest.update(bytes),
      );
      files[yaml] = digest.digest();
      fs.writeFileSync(staged.file(diagram), manifest.diagram);
      files[diagram] = digestOf(manifest.diagram);
    }
    const marker: OutputMarker = {
      generator: 'cdk8s-msa',
      version: MARKER_VERSION,
      target: synthesis.targetId,
      ...(synthesis.environment === undefined ? {} : { environment: synthesis.environment }),
      systems: synthesis.systems.map((s) => ({
        name: s.system.systemName,
        namespace: s.system.namespace,
        file: filesOf(s).yaml,
        objects: s.apiObjects.length,
      })),
      files,
    };
    fs.writeFileSync(staged.file(OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    return staged;
  } catch (e) {
    staged.discard();
    throw e;
  }
}
