import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { sortedRecord } from '../checks';
import { ContainerProps } from '../pod/container';
import { EnvFromSource, EnvSource } from '../pod/env';
import { Storage, StorageKind } from '../pod/storage';

/**
 * The pod template annotation that rolls the pods when what they read at start-up changes: the
 * files of their config volumes, and the data of each ConfigMap their system writes into their
 * namespace that an env var or envFrom reads (env is read only when a container starts, so a
 * changed ConfigMap alone would leave the pods on the old values). Undefined when they read none.
 */
export function configChecksum(
  system: IConstruct,
  namespace: string,
  volumes: readonly Storage[],
  containers: readonly ContainerProps[],
): string | undefined {
  const configs = volumes.filter((v) => v.kind === StorageKind.CONFIG);
  const read = new Map<string, IConstruct | undefined>();
  for (const { name, object } of containers.flatMap(configMapsReadByEnv)) if (!read.get(name)) read.set(name, object);
  // A ConfigMap passed by name is looked up once among the system's objects, not once per name.
  const byName = [...read.values()].some((object) => object === undefined) ? configMapsOf(system, namespace) : [];
  const written = [...read.keys()].sort().flatMap((name) => {
    const found = apiObjectIn(read.get(name), namespace) ?? byName.find((c) => c.name === name);
    return found ? [[name, configMapData(found)] as const] : [];
  });
  if (configs.length === 0 && written.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const volume of configs) hash.update(JSON.stringify([volume.name, sortedRecord(volume.files ?? {})]));
  for (const [name, data] of written) hash.update(JSON.stringify(['configMap', name, data]));
  return hash.digest('hex');
}

/** The ConfigMaps a container's env vars and envFrom read: their names, and the constructs where given. */
function configMapsReadByEnv(container: ContainerProps): Array<{ name: string; object?: IConstruct }> {
  return [
    ...Object.values(container.env ?? {}).flatMap((v) =>
      v.source === EnvSource.CONFIG_MAP && v.objectName !== undefined ? [{ name: v.objectName, object: v.object }] : [],
    ),
    ...(container.envFrom ?? []).flatMap((f) =>
      f.source === EnvFromSource.CONFIG_MAP ? [{ name: f.objectName, object: f.object }] : [],
    ),
  ];
}

/** The ConfigMap object `construct` renders in `namespace` (a cdk8s-plus ConfigMap holds one). */
function apiObjectIn(construct: IConstruct | undefined, namespace: string): ApiObject | undefined {
  return construct?.node
    .findAll()
    .find(
      (c): c is ApiObject => c instanceof ApiObject && c.kind === 'ConfigMap' && c.metadata.namespace === namespace,
    );
}

/** Every ConfigMap `system` writes into `namespace`. */
function configMapsOf(system: IConstruct, namespace: string): ApiObject[] {
  return system.node
    .findAll()
    .filter(
      (c): c is ApiObject => c instanceof ApiObject && c.kind === 'ConfigMap' && c.metadata.namespace === namespace,
    );
}

function configMapData(configMap: ApiObject): unknown {
  const json = configMap.toJson();
  return [sortedRecord(json.data ?? {}), sortedRecord(json.binaryData ?? {})];
}
