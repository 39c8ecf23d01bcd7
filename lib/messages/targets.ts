import { message } from './message';

/** What a target says about storage and resources, and about its own options. */
export const TARGET_MESSAGES = {
  'target.kubernetes-version': message(
    () => 'a Kubernetes minor version such as "1.34" (or "v1.34.2")',
    () => 'write the version your cluster runs: kubectl version prints it',
  ),
  'storage.no-read-write-many': message<{ target: string }>(
    (f) => `ReadWriteOnce or ReadWriteOncePod on target "${f.target}" (it has no ReadWriteMany storage)`,
    () =>
      'use ReadWriteOnce with one replica, or pass storageClass / a Target option readWriteManyClass naming a RWX class',
  ),
  'storage.class-required': message<{ target: string; factory: string }>(
    (f) => `a StorageClass on target "${f.target}" (it has no default class, so the claim would stay Pending)`,
    (f) =>
      `pass storageClass to Storage.persistent(), or the Target option storageClass (e.g. Target.${f.factory}({ storageClass: 'local-path' }))`,
  ),
  'storage.below-minimum': message<{ target: string; minimum: string; gibibytes: number }>(
    (f) => `at least ${f.minimum} on target "${f.target}"`,
    (f) => `the storage backend of ${f.target} provisions no smaller volume: ask for Size.gibibytes(${f.gibibytes})`,
  ),
  'resources.cpu-below-minimum': message<{ target: string; millis: number }>(
    (f) => `at least ${f.millis}m on target "${f.target}"`,
    (f) => `Autopilot would silently raise it; request "${f.millis}m" so the manifest says what you get`,
  ),
  'resources.memory-below-minimum': message<{ target: string; mebibytes: number }>(
    (f) => `at least ${f.mebibytes}Mi on target "${f.target}"`,
    (f) => `request "${f.mebibytes}Mi" or more`,
  ),
  'resources.memory-per-cpu': message<{
    target: string;
    min: number;
    max: number;
    cpu: string;
    from: number;
    to: number;
  }>(
    (f) => `between ${f.min} and ${f.max} GiB of memory per vCPU on target "${f.target}"`,
    (f) => `for cpu ${f.cpu} request memory between ${f.from}Mi and ${f.to}Mi`,
  ),
  'resources.limit-forced': message<{ target: string }>(
    (f) => `limits equal to requests on target "${f.target}"`,
    () => 'the limit is set to the request here',
  ),
  'target.unknown-id': message<{ ids: string[] }>(
    (f) => `one of ${f.ids.join(', ')}`,
    () => 'define your own with Target.custom()',
  ),
  'target.id': message(
    () => 'a DNS-1123 label',
    () => 'it names the output folder dist/<id>/',
  ),
} as const;
