import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { sortedRecord } from '../checks';
import { ContainerProps } from '../pod/container';
import { EnvFromSource, EnvSource } from '../pod/env';
import { Storage, StorageKind } from '../pod/storage';

/**
 * The pod template annotation that rolls the pods when what they read at start-up changes: the
 * files of their config volumes, and the data of each ConfigMap this app writes into their
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
  const readByEnv = [...new Set(containers.flatMap(configMapsReadByEnv))].sort();
  const written = readByEnv.flatMap((name) => {
    const data = writtenConfigMapData(system, name, namespace);
    return data === undefined ? [] : [[name, data] as const];
  });
  if (configs.length === 0 && written.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const volume of configs) hash.update(JSON.stringify([volume.name, sortedRecord(volume.files ?? {})]));
  for (const [name, data] of written) hash.update(JSON.stringify(['configMap', name, data]));
  return hash.digest('hex');
}

/** The ConfigMaps a container's env vars and envFrom read, by name. */
function configMapsReadByEnv(container: ContainerProps): string[] {
  return [
    ...Object.values(container.env ?? {})
      .filter((v) => v.source === EnvSource.CONFIG_MAP && v.objectName !== undefined)
      .map((v) => v.objectName!),
    ...(container.envFrom ?? []).filter((f) => f.source === EnvFromSource.CONFIG_MAP).map((f) => f.objectName),
  ];
}

/** The data of the ConfigMap `name` that `system` writes into `namespace`; undefined where it writes none. */
function writtenConfigMapData(system: IConstruct, name: string, namespace: string): unknown {
  const found = system.node
    .findAll()
    .find(
      (c): c is ApiObject =>
        c instanceof ApiObject && c.kind === 'ConfigMap' && c.name === name && c.metadata.namespace === namespace,
    );
  if (!found) return undefined;
  const json = found.toJson();
  return [sortedRecord(json.data ?? {}), sortedRecord(json.binaryData ?? {})];
}
