import { createHash } from 'crypto';

/**
 * The output contract between synthesis and the `cdk8s-msa` command, in one place: where the
 * completion marker lives, what it holds and how it is checked, how files are fingerprinted, and
 * the order objects are applied in. The synth writes what this module describes; the command
 * trusts nothing in an output directory that this module has not accepted.
 */

/** File in each output directory that marks it complete and produced by this library. */
export const OUTPUT_MARKER = 'cdk8s-msa.output.json';

/** Version of the marker format; a command refuses markers of another version. */
export const MARKER_VERSION = 1;

/**
 * Kinds in the order they are applied: cluster-scoped first, then what others reference
 * (identities, configuration, storage, Services), then workloads, then what acts on workloads.
 * Kinds not listed come last, in construct order.
 */
export const KIND_ORDER = [
  'Namespace',
  'StorageClass',
  'ServiceAccount',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  // A target group's type is fixed when the controller creates it: its configuration goes before the
  // route, as does the health check policy, so the load balancer never starts on the default check.
  'NetworkPolicy',
  'Ingress',
  'TargetGroupConfiguration',
  'HealthCheckPolicy',
  'Gateway',
  'ReferenceGrant',
  'HTTPRoute',
  'GRPCRoute',
];

/** Kinds without a namespace, applied before everything else. */
export const CLUSTER_SCOPED_KINDS = ['Namespace', 'StorageClass'];

/** Position of a kind in the apply order. */
export function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank < 0 ? KIND_ORDER.length : rank;
}

/** One system in an output directory, as the marker records it. */
export interface MarkerSystem {
  /** System name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its manifest file, relative to the output directory. */
  readonly file: string;
  /** Number of objects in the file. */
  readonly objects: number;
}

/** Content of `cdk8s-msa.output.json`. */
export interface OutputMarker {
  /** Always `cdk8s-msa`. */
  readonly generator: string;
  /** Marker format version. */
  readonly version: number;
  /** Id of the target the output was synthesized for. */
  readonly target: string;
  /** Environment name. @default - a single-environment output */
  readonly environment?: string;
  /** The systems, in apply order. */
  readonly systems: MarkerSystem[];
  /** Every file of the directory besides the marker, with its `sha256:<hex>` digest. */
  readonly files: { [file: string]: string };
}

/** Whether the marker's `files` lists `file` (its own key, not an inherited one such as `toString`). */
export function listsFile(files: object, file: string): boolean {
  return Object.prototype.hasOwnProperty.call(files, file);
}

/** A file's `sha256:<hex>` digest, accumulated chunk by chunk as the file is written. */
export class FileDigest {
  private readonly hash = createHash('sha256');

  /** Adds the next chunk of the file (a string counts as its UTF-8 bytes, as fs writes it). */
  public update(chunk: string | Uint8Array): this {
    this.hash.update(chunk);
    return this;
  }

  /** The digest of everything added. */
  public digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** `sha256:<hex>` digest of a file's bytes. */
export function digestOf(content: string | Uint8Array): string {
  return new FileDigest().update(content).digest();
}

/**
 * A file name the marker may list: one plain name inside the output directory. Anything with a
 * separator, `..`, a drive or a leading dot could point outside it (or hide inside it).
 */
export function isPlainFileName(name: unknown): boolean {
  return (
    typeof name === 'string' &&
    /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name) &&
    !name.includes('..') &&
    name !== OUTPUT_MARKER
  );
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const isObject = (v: unknown): v is { [key: string]: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks parsed marker JSON against the schema; returns every problem found (empty when the
 * marker is valid). Checked by hand so that the command needs no schema library.
 */
export function markerProblems(marker: unknown): string[] {
  if (!isObject(marker)) return ['it is not a JSON object'];
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  expect(marker.generator === 'cdk8s-msa', `generator is ${JSON.stringify(marker.generator)}, not "cdk8s-msa"`);
  expect(marker.version === MARKER_VERSION, `version is ${JSON.stringify(marker.version)}, not ${MARKER_VERSION}`);
  expect(
    typeof marker.target === 'string' && DNS_LABEL.test(marker.target),
    `target ${JSON.stringify(marker.target)} is not a DNS-1123 label`,
  );
  expect(
    marker.environment === undefined || (typeof marker.environment === 'string' && DNS_LABEL.test(marker.environment)),
    `environment ${JSON.stringify(marker.environment)} is not a DNS-1123 label`,
  );
  const files = marker.files;
  if (!isObject(files)) {
    problems.push('files is not an object of file name → digest');
  } else {
    for (const [name, digest] of Object.entries(files)) {
      expect(
        isPlainFileName(name),
        `files names ${JSON.stringify(name)}, which is not a plain file name inside the directory`,
      );
      expect(
        typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest),
        `files.${name} is not a sha256 digest`,
      );
    }
  }
  if (!Array.isArray(marker.systems) || marker.systems.length === 0) {
    problems.push('systems is not a non-empty list');
    return problems;
  }
  marker.systems.forEach((system: unknown, i) => {
    const at = `systems[${i}]`;
    if (!isObject(system)) {
      problems.push(`${at} is not an object`);
      return;
    }
    expect(
      typeof system.name === 'string' && DNS_LABEL.test(system.name),
      `${at}.name ${JSON.stringify(system.name)} is not a DNS-1123 label`,
    );
    expect(
      typeof system.namespace === 'string' && DNS_LABEL.test(system.namespace),
      `${at}.namespace ${JSON.stringify(system.namespace)} is not a DNS-1123 label`,
    );
    expect(
      Number.isInteger(system.objects) && (system.objects as number) > 0,
      `${at}.objects ${JSON.stringify(system.objects)} is not a positive count`,
    );
    if (!isPlainFileName(system.file)) {
      problems.push(`${at}.file ${JSON.stringify(system.file)} is not a plain file name inside the directory`);
    } else if (isObject(files) && !listsFile(files, system.file as string)) {
      problems.push(`${at}.file ${JSON.stringify(system.file)} is not listed in files`);
    }
  });
  return problems;
}
