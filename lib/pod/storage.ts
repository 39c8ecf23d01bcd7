import { Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import {
  checkConfigMapKey,
  checkDnsLabel,
  checkDnsSubdomain,
  checkSize,
  checkStorageClassName,
  problems,
} from '../checks';
import { Problem } from '../errors';
import { problem } from '../messages';
import { namedObject } from './kplus';

/** How a persistent volume may be mounted. */
export enum AccessMode {
  /** Mounted read-write by pods on one node at a time (block storage: EBS, PD, Azure Disk). */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Mounted read-write by exactly one pod (Kubernetes ≥1.29). */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Mounted read-write by many pods on many nodes (file storage: EFS, Filestore, Azure Files). */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/** The kinds of volume a microservice can mount. */
export enum StorageKind {
  /** A PersistentVolumeClaim: survives restarts and rescheduling. */
  PERSISTENT = 'persistent',
  /** An emptyDir: scratch space that lives as long as the pod. */
  EPHEMERAL = 'ephemeral',
  /** Files from a ConfigMap the microservice creates; changing them rolls the pods. */
  CONFIG = 'config',
  /** Keys of a Secret provisioned outside the manifests, mounted read-only as files. */
  SECRET = 'secret',
  /** A PersistentVolumeClaim that already exists (created by hand or by another tool). */
  EXISTING_CLAIM = 'existingClaim',
}

/** Options of a persistent volume. */
export interface PersistentStorageOptions {
  /** Where the volume is mounted in the container. */
  readonly mountPath: string;
  /** Requested size; it must be at least the target's minimum (GKE: 10 GiB), or synth fails with the minimum in the hint. */
  readonly size: Size;
  /** Access mode. @default AccessMode.READ_WRITE_ONCE */
  readonly accessMode?: AccessMode;
  /** StorageClass to use. @default - the target's class for the access mode */
  readonly storageClass?: string;
}

/** Options of an ephemeral volume. */
export interface EphemeralStorageOptions {
  /** Where the volume is mounted in the container. */
  readonly mountPath: string;
  /** Largest size before the pod is evicted. @default Size.mebibytes(256) */
  readonly sizeLimit?: Size;
  /** Back the volume with memory (tmpfs); counts against the memory limit. @default false */
  readonly inMemory?: boolean;
}

/** Options of a config volume. */
export interface ConfigStorageOptions {
  /** Directory the files appear in. */
  readonly mountPath: string;
  /** File name → content. */
  readonly files: { [fileName: string]: string };
}

/** Options of a Secret volume. */
export interface SecretStorageOptions {
  /** Directory the keys appear in, one file per key. */
  readonly mountPath: string;
  /**
   * The Secret, by name or a cdk8s-plus `Secret`; listed in the system's `secrets` unless the app
   * creates it in the system's namespace.
   */
  readonly secretName: string | kplus.ISecret;
}

/** Options of a volume backed by an existing PersistentVolumeClaim. */
export interface ExistingClaimOptions {
  /** Where the volume is mounted in the container. */
  readonly mountPath: string;
  /** Name of the PersistentVolumeClaim in the system's namespace. */
  readonly claimName: string;
  /** Mount it read-only. @default false */
  readonly readOnly?: boolean;
}

/**
 * A volume of a workload's pod. Created with `Storage.persistent()`, `Storage.ephemeral()`,
 * `Storage.config()`, `Storage.secret()` or `Storage.existingClaim()`.
 */
export class Storage {
  /**
   * A PersistentVolumeClaim named `<service>-<name>`, sized and classed by the target. On a
   * StatefulSet it becomes a volume claim template: one claim per pod.
   */
  public static persistent(name: string, options: PersistentStorageOptions): Storage {
    return new Storage(name, StorageKind.PERSISTENT, options.mountPath, {
      size: options.size,
      accessMode: options.accessMode ?? AccessMode.READ_WRITE_ONCE,
      storageClass: options.storageClass,
    });
  }

  /** An emptyDir with a size limit. */
  public static ephemeral(name: string, options: EphemeralStorageOptions): Storage {
    return new Storage(name, StorageKind.EPHEMERAL, options.mountPath, {
      size: options.sizeLimit ?? Size.mebibytes(256),
      inMemory: options.inMemory ?? false,
    });
  }

  /** A ConfigMap named `<service>-<name>` holding `files`, mounted read-only; its checksum rolls the pods on change. */
  public static config(name: string, options: ConfigStorageOptions): Storage {
    return new Storage(name, StorageKind.CONFIG, options.mountPath, { files: options.files, readOnly: true });
  }

  /** Keys of Secret `secretName`, mounted read-only (see `SecretStorageOptions.secretName`). */
  public static secret(name: string, options: SecretStorageOptions): Storage {
    const secret = namedObject(options.secretName);
    return new Storage(name, StorageKind.SECRET, options.mountPath, {
      objectName: secret.name,
      object: secret.object,
      readOnly: true,
    });
  }

  /** A PersistentVolumeClaim that exists already; the library neither creates nor sizes it. */
  public static existingClaim(name: string, options: ExistingClaimOptions): Storage {
    return new Storage(name, StorageKind.EXISTING_CLAIM, options.mountPath, {
      objectName: options.claimName,
      readOnly: options.readOnly ?? false,
    });
  }

  /** Volume name, unique within the microservice. */
  public readonly name: string;
  /** Kind of volume. */
  public readonly kind: StorageKind;
  /** Where the volume is mounted. */
  public readonly mountPath: string;
  /** Size (persistent) or size limit (ephemeral); undefined for config. */
  public readonly size?: Size;
  /** Access mode of a persistent volume. */
  public readonly accessMode?: AccessMode;
  /** StorageClass asked for explicitly. */
  public readonly storageClass?: string;
  /** Whether an ephemeral volume lives in memory. */
  public readonly inMemory?: boolean;
  /** Files of a config volume. */
  public readonly files?: { [fileName: string]: string };
  /** The Secret of a secret volume, or the claim of an existing-claim volume. */
  public readonly objectName?: string;
  /** The cdk8s-plus Secret of a secret volume, when one was given instead of a name. */
  public readonly object?: IConstruct;
  /** Whether the volume is mounted read-only. */
  public readonly readOnly: boolean;

  private constructor(
    name: string,
    kind: StorageKind,
    mountPath: string,
    details: {
      size?: Size;
      accessMode?: AccessMode;
      storageClass?: string;
      inMemory?: boolean;
      files?: { [fileName: string]: string };
      objectName?: string;
      object?: IConstruct;
      readOnly?: boolean;
    },
  ) {
    this.name = name;
    this.kind = kind;
    this.mountPath = mountPath;
    this.size = details.size;
    this.accessMode = details.accessMode;
    this.storageClass = details.storageClass;
    this.inMemory = details.inMemory;
    this.files = details.files;
    this.objectName = details.objectName;
    this.object = details.object;
    this.readOnly = details.readOnly ?? kind === StorageKind.CONFIG;
  }

  /** Problems of its own props, under `prop` (`volumes[0]`): names, sizes, classes, files, references. @internal */
  public _problems(prop: string): Problem[] {
    const found = problems(
      checkDnsLabel(`${prop}.name`, this.name),
      this.size === undefined
        ? undefined
        : checkSize(
            `${prop}.${this.kind === StorageKind.PERSISTENT ? 'size' : 'sizeLimit'}`,
            this.size,
            'Size.gibibytes(10)',
          ),
      this.storageClass === undefined ? undefined : checkStorageClassName(`${prop}.storageClass`, this.storageClass),
    );
    if (this.kind === StorageKind.CONFIG) {
      if (Object.keys(this.files ?? {}).length === 0)
        found.push(problem('volume.no-files', `${prop}.files`, this.files));
      for (const key of Object.keys(this.files ?? {})) found.push(...problems(checkConfigMapKey(`${prop}.files`, key)));
    }
    if (this.kind === StorageKind.SECRET || this.kind === StorageKind.EXISTING_CLAIM) {
      const reference = this.kind === StorageKind.SECRET ? 'secretName' : 'claimName';
      found.push(...problems(checkDnsSubdomain(`${prop}.${reference}`, this.objectName ?? '')));
    }
    return found;
  }

  /**
   * The pod's volume for this storage, as the API takes it; none for a persistent volume whose
   * claims are per-pod templates (`claimsPerPod`). `objectName` names the claim or ConfigMap the
   * workload creates for it. @internal
   */
  public _toPodVolumes(objectName: string, claimsPerPod: boolean): Array<{ [key: string]: unknown }> {
    switch (this.kind) {
      case StorageKind.PERSISTENT:
        return claimsPerPod ? [] : [{ name: this.name, persistentVolumeClaim: { claimName: objectName } }];
      case StorageKind.EPHEMERAL:
        return [
          {
            name: this.name,
            emptyDir: { sizeLimit: this.size?.asString(), ...(this.inMemory ? { medium: 'Memory' } : {}) },
          },
        ];
      case StorageKind.CONFIG:
        return [{ name: this.name, configMap: { name: objectName } }];
      case StorageKind.SECRET:
        return [{ name: this.name, secret: { secretName: this.objectName } }];
      default:
        return [
          {
            name: this.name,
            persistentVolumeClaim: { claimName: this.objectName, ...(this.readOnly ? { readOnly: true } : {}) },
          },
        ];
    }
  }
}
