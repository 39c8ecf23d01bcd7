import { podTemplates } from './pod-specs';

/**
 * What a platform team provides before an output is deployed, derived from the output: the
 * Secrets and ConfigMaps it reads but does not write (test values), the StorageClasses it names
 * (a local one, as kind's or k3s' local-path would be), and a local PersistentVolume bound to each
 * claim it will make, since no provisioner runs on the test node.
 */
export function prerequisites(objects: any[], volumeRoot: string, certificate: Certificate): any[] {
  const tls = tlsSecrets(objects, certificate);
  return [...tls, ...secretsAndConfigMaps(objects, tls), ...storageClasses(objects), ...volumes(objects, volumeRoot)];
}

/** Makes a certificate and key (PEM) for hostnames. */
export type Certificate = (hosts: string[]) => { cert: string; key: string };

/** The TLS Secrets Gateways' HTTPS listeners and Ingresses name, each with a certificate for its hosts. */
function tlsSecrets(objects: any[], certificate: Certificate): any[] {
  const hosts = new Map<string, Set<string>>();
  const want = (namespace: string, name: string, host: string | undefined) => {
    const key = `${namespace}/${name}`;
    const set = hosts.get(key) ?? new Set<string>();
    if (host) set.add(host);
    hosts.set(key, set);
  };
  for (const o of objects) {
    if (o.kind === 'Gateway')
      for (const l of o.spec.listeners ?? [])
        for (const ref of l.tls?.certificateRefs ?? [])
          want(ref.namespace ?? o.metadata.namespace, ref.name, l.hostname);
    if (o.kind === 'Ingress')
      for (const tls of o.spec.tls ?? [])
        for (const h of tls.hosts ?? [undefined]) want(o.metadata.namespace, tls.secretName, h);
  }
  return [...hosts.entries()].map(([key, names]) => {
    const [namespace, name] = key.split('/');
    const { cert, key: privateKey } = certificate([...names]);
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name, namespace },
      stringData: { 'tls.crt': cert, 'tls.key': privateKey },
    };
  });
}

function secretsAndConfigMaps(objects: any[], made: any[]): any[] {
  const written = new Set(
    [...objects, ...made]
      .filter((o) => o.kind === 'Secret' || o.kind === 'ConfigMap')
      .map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
  );
  const wanted = new Map<
    string,
    { kind: string; namespace: string; name: string; keys: Set<string>; pullSecret: boolean }
  >();
  const want = (kind: string, namespace: string, name: string, key?: string, pullSecret = false) => {
    const id = `${kind}/${namespace}/${name}`;
    if (written.has(id)) return;
    const entry = wanted.get(id) ?? { kind, namespace, name, keys: new Set<string>(), pullSecret };
    if (key) entry.keys.add(key);
    wanted.set(id, entry);
  };
  for (const t of podTemplates(objects)) {
    for (const s of t.spec.imagePullSecrets ?? []) want('Secret', t.namespace, s.name, undefined, true);
    for (const v of t.spec.volumes ?? []) {
      if (v.secret) want('Secret', t.namespace, v.secret.secretName);
      if (v.configMap) want('ConfigMap', t.namespace, v.configMap.name);
      for (const source of v.projected?.sources ?? []) {
        if (source.secret) want('Secret', t.namespace, source.secret.name);
        if (source.configMap) want('ConfigMap', t.namespace, source.configMap.name);
      }
    }
    for (const c of [...(t.spec.initContainers ?? []), ...(t.spec.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const secretRef = e.valueFrom?.secretKeyRef;
        const configRef = e.valueFrom?.configMapKeyRef;
        if (secretRef && !secretRef.optional) want('Secret', t.namespace, secretRef.name, secretRef.key);
        if (configRef && !configRef.optional) want('ConfigMap', t.namespace, configRef.name, configRef.key);
      }
      for (const e of c.envFrom ?? []) {
        if (e.secretRef && !e.secretRef.optional) want('Secret', t.namespace, e.secretRef.name);
        if (e.configMapRef && !e.configMapRef.optional) want('ConfigMap', t.namespace, e.configMapRef.name);
      }
    }
  }
  return [...wanted.values()].map((w) => {
    const metadata = { name: w.name, namespace: w.namespace };
    if (w.kind === 'ConfigMap')
      return {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata,
        data: Object.fromEntries([...w.keys].map((k) => [k, 'test'])),
      };
    if (w.pullSecret)
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata,
        type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': '{"auths":{}}' },
      };
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata,
      stringData: Object.fromEntries([...w.keys].map((k) => [k, 'test-value'])),
    };
  });
}

/** One claim the output makes: a PVC, or a StatefulSet claim template's per-pod claim. */
interface Claim {
  readonly namespace: string;
  readonly name: string;
  readonly storageClassName?: string;
  readonly accessModes: string[];
  readonly size: string;
}

function claims(objects: any[]): Claim[] {
  return objects.flatMap((o): Claim[] => {
    const claimOf = (spec: any, namespace: string, name: string): Claim => ({
      namespace,
      name,
      storageClassName: spec.storageClassName,
      accessModes: spec.accessModes ?? ['ReadWriteOnce'],
      size: spec.resources?.requests?.storage ?? '1Gi',
    });
    if (o.kind === 'PersistentVolumeClaim') return [claimOf(o.spec, o.metadata.namespace, o.metadata.name)];
    if (o.kind !== 'StatefulSet') return [];
    const replicas = o.spec.replicas ?? 1;
    return (o.spec.volumeClaimTemplates ?? []).flatMap((t: any) =>
      Array.from({ length: replicas }, (_, i) =>
        claimOf(t.spec, o.metadata.namespace, `${t.metadata.name}-${o.metadata.name}-${i}`),
      ),
    );
  });
}

function storageClasses(objects: any[]): any[] {
  const written = new Set(objects.filter((o) => o.kind === 'StorageClass').map((o) => o.metadata.name));
  const named = new Set(claims(objects).flatMap((c) => (c.storageClassName ? [c.storageClassName] : [])));
  return [...named]
    .filter((name) => !written.has(name))
    .map((name) => ({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    }));
}

/** A local volume per claim, bound to it by claimRef, in a directory any pod user may write. */
function volumes(objects: any[], root: string): any[] {
  return claims(objects).map((c) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `test-node-${c.namespace}-${c.name}`.slice(0, 253),
      labels: { 'cdk8s-msa.test/node-volume': 'true' },
    },
    spec: {
      capacity: { storage: c.size },
      accessModes: c.accessModes,
      storageClassName: c.storageClassName ?? '',
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { namespace: c.namespace, name: c.name },
      hostPath: { path: `${root}/${c.namespace}/${c.name}`, type: 'DirectoryOrCreate' },
    },
  }));
}

/** Directories of the volumes `prerequisites` makes, to create with open permissions beforehand. */
export function volumeDirectories(objects: any[], root: string): string[] {
  return claims(objects).map((c) => `${root}/${c.namespace}/${c.name}`);
}
