import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import {
  digestOf,
  isPlainFileName,
  listsFile,
  markerProblems,
  OUTPUT_MARKER,
  OutputMarker,
} from '../lib/output/contract';
import { DeployError, ExitCode } from './errors';

/** One system's objects from an output directory. */
export interface OutputSystem {
  /** System name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its objects, in file order. */
  readonly objects: any[];
}

/** A verified output directory. */
export interface Output {
  /** The marker, checked against its schema. */
  readonly marker: OutputMarker;
  /** Its systems, in apply order. */
  readonly systems: OutputSystem[];
}

/** What the command line expects of the output. */
export interface Expectations {
  /** Environment named with `--env`. @default - any */
  readonly env?: string;
  /** Target named with `--target`. @default - any */
  readonly target?: string;
}

const SYNTH_HINT = 'synthesize again (npx cdk8s synth, or npm run synth); change the app, not its output';

/** The environments synthesized into `dir`: its sub-directories that hold an output marker. */
export function environmentsIn(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .filter((e) => fs.existsSync(path.join(dir, e, OUTPUT_MARKER)));
}

/**
 * Reads an output directory and verifies it by content before anything touches a cluster.
 * Refuses a directory that is missing or empty; one without a marker (a plain cdk8s App, or a
 * synth that did not finish); a marker that does not match its schema or names a path outside
 * the directory; output of another environment or target; and any file added, removed or edited
 * since synth (each file's sha256 against the marker). Never throws anything but DeployError.
 */
export function readOutput(dir: string, expected: Expectations = {}): Output {
  const refuse = (why: string, hint: string) =>
    new DeployError(`refusing ${dir}: ${why}. Hint: ${hint}`, ExitCode.REFUSED);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    const parent = path.dirname(dir);
    const synthesized = expected.env === undefined ? [] : environmentsIn(parent);
    throw refuse(
      'it does not exist',
      `synthesize first (npx cdk8s synth, or npm run synth)${expected.env ? `; environment ${expected.env} is written to ${dir}` : ''}` +
        (synthesized.length > 0 ? `; ${parent} holds the environments ${synthesized.join(', ')}` : ''),
    );
  }
  const entries = fs.readdirSync(dir).sort();
  if (entries.length === 0)
    throw refuse('it is empty', 'an empty apply with pruning would delete everything: synthesize first');
  const markerPath = path.join(dir, OUTPUT_MARKER);
  if (!fs.existsSync(markerPath)) {
    const environments = environmentsIn(dir);
    if (environments.length > 0)
      throw refuse(
        `it holds the environments ${environments.join(', ')}, not one output`,
        `pick one with --env ${environments[0]}`,
      );
    throw refuse(
      `it has no ${OUTPUT_MARKER}`,
      'write it with MsaApp (a plain cdk8s App writes no marker) or npm run synth; a synth that failed or did not finish writes none either',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(markerPath, 'utf8'));
  } catch {
    throw refuse(`${OUTPUT_MARKER} is not valid JSON`, SYNTH_HINT);
  }
  const problems = markerProblems(parsed);
  if (problems.length > 0)
    throw refuse(`${OUTPUT_MARKER} does not match its schema: ${problems.join('; ')}`, SYNTH_HINT);
  const marker = parsed as OutputMarker;
  if (expected.env !== undefined && marker.environment !== expected.env) {
    throw refuse(
      marker.environment === undefined
        ? `it is a single-environment output, not environment "${expected.env}"`
        : `it holds environment "${marker.environment}", not "${expected.env}"`,
      marker.environment === undefined
        ? `drop --env, or synthesize environment ${expected.env} with MsaEnvironments`
        : `use --env ${marker.environment}, or point --dir at environment ${expected.env}`,
    );
  }
  if (expected.target !== undefined && marker.target !== expected.target) {
    throw refuse(
      `it was synthesized for target "${marker.target}", not "${expected.target}"`,
      `use --target ${marker.target}, or drop --target to take the marker's`,
    );
  }
  const changes = [
    ...entries.filter((e) => e !== OUTPUT_MARKER && !listsFile(marker.files, e)).map((e) => `${e} was added`),
    ...Object.keys(marker.files)
      .filter((f) => !entries.includes(f))
      .map((f) => `${f} was removed`),
    ...Object.entries(marker.files)
      .filter(([f, digest]) => entries.includes(f) && isPlainFileName(f) && !sameDigest(path.join(dir, f), digest))
      .map(([f]) => `${f} was edited`),
  ];
  if (changes.length > 0) throw refuse(`it changed after synth: ${changes.join(', ')}`, SYNTH_HINT);
  return {
    marker,
    systems: marker.systems.map((system) => ({
      name: system.name,
      namespace: system.namespace,
      objects: objectsOf(dir, system.file, system.objects, refuse),
    })),
  };
}

function sameDigest(file: string, digest: string): boolean {
  return fs.statSync(file).isFile() && digestOf(fs.readFileSync(file)) === digest;
}

function objectsOf(
  dir: string,
  file: string,
  count: number,
  refuse: (why: string, hint: string) => DeployError,
): any[] {
  let objects: any[];
  try {
    objects = (yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as any[]).filter(
      (o) => o !== null && o !== undefined,
    );
  } catch (e) {
    throw refuse(`${file} is not valid YAML (${String((e as Error).message).split('\n')[0]})`, SYNTH_HINT);
  }
  const bad = objects.findIndex((o) => typeof o !== 'object' || !o.apiVersion || !o.kind || !o.metadata?.name);
  if (bad >= 0) throw refuse(`document ${bad + 1} of ${file} is not a Kubernetes object`, SYNTH_HINT);
  if (objects.length !== count)
    throw refuse(`${file} holds ${objects.length} objects, ${OUTPUT_MARKER} says ${count}`, SYNTH_HINT);
  return objects;
}
