import { TMP_VOLUME_SIZE } from '../defaults';
import { message } from './message';

/** A list for a message: the names, or "none". */
const list = (names: readonly string[]) => names.join(', ') || 'none';

/** What a workload is made of: names, labels, containers, probes, volumes, env, references, security, identity. */
export const WORKLOAD_MESSAGES = {
  'workload.name-starts-with-digit': message<{ name: string }>(
    () => 'a name starting with a letter (Service names are DNS-1035 labels)',
    (f) => `try "svc-${f.name}"`,
  ),
  'workload.selector-label': message(
    () => 'labels other than the selector labels app.kubernetes.io/name and /instance',
    () => 'set `name` to rename the workload; selector labels derive from it',
  ),
  'container.init-serves': message(
    () => 'no ports and no probes on an init container (it runs to completion)',
    () => 'make it a sidecar if it serves, or drop them',
  ),
  'container.probe-port': message<{ tcpPorts: string[] }>(
    (f) => `a TCP port of the container: ${list(f.tcpPorts)}`,
    () => 'probe a declared TCP port, or use HealthCheck.command()',
  ),
  'container.duplicate-name': message(
    () => "container names unique in the pod (the main container takes the workload's name)",
    () => 'rename the container',
  ),
  'probe.failure-threshold': message(
    () => 'a whole number ≥ 1',
    () => 'e.g. 3',
  ),
  'probe.command-empty': message(
    () => 'a command whose first element names the program to run',
    () => 'e.g. HealthCheck.command(["pg_isready", "-U", "postgres"])',
  ),
  'volume.no-files': message(
    () => 'at least one file',
    () => 'pass files: { "app.yaml": "…" }',
  ),
  'volume.duplicate-name': message<{ scratch: string }>(
    (f) => `volume names unique within the workload (and not "${f.scratch}", the scratch volume)`,
    () => 'rename the volume',
  ),
  'volume.size-above-limit': message<{ resource: string; limit: string; needed: string }>(
    (f) =>
      f.resource === 'memory'
        ? `a sizeLimit within the memory limit of a container that mounts it (${f.limit} at most): the files of a memory-backed volume are the memory of the container that writes them, OOM-killed before the volume is full`
        : `disk-backed volumes within the pod's ephemeral-storage limit (${f.limit}, its containers' together): with the ${TMP_VOLUME_SIZE} /tmp they may hold ${f.needed}, and the kubelet evicts the pod before they are full`,
    (f) =>
      f.resource === 'memory'
        ? `raise resources.memory.limit to at least ${f.needed}, or lower sizeLimit`
        : `raise resources.ephemeralStorage.limit so that the pod's reaches ${f.needed}, or lower sizeLimit`,
  ),
  'volume.mount-unknown': message<{ volumes: string[] }>(
    (f) => `a volume of the workload: ${list(f.volumes)}`,
    () => "add the volume to the workload's volumes (or addVolume) and mount it by name",
  ),
  'env.duplicate': message<{ injectedOverOwn: boolean }>(
    () => 'unique env var names',
    (f) =>
      f.injectedOverOwn
        ? "a dependency injects this name: rename your variable or set the dependency's envPrefix"
        : 'two dependencies inject the same name: set envPrefix on one of them',
  ),
  'env.set-twice': message(
    () => 'an env var set once',
    () => 'remove one of the two definitions',
  ),
  'reference.secret-unlisted': message<{ listed: string[]; name: string; list: string }>(
    (f) => `a Secret listed in the system's secrets or imagePullSecrets (${list(f.listed)})`,
    (f) =>
      `add "${f.name}" to MicroserviceSystem ${f.list} and provision it (External Secrets, Sealed Secrets or kubectl create secret)`,
  ),
  'reference.config-map-unknown': message<{ namespace: string; listed: string[]; name: string }>(
    (f) =>
      `a ConfigMap this app writes into namespace "${f.namespace}", or one listed in the system's configMaps (${list(f.listed)})`,
    (f) =>
      `create it in the system (a cdk8s-plus ConfigMap, or Storage.config() for files), or add "${f.name}" to MicroserviceSystem configMaps if something else provisions it`,
  ),
  'security.fixed-id-on-target': message<{ target: string; key: string }>(
    (f) => `no fixed id on target "${f.target}" (it assigns ids from the namespace range)`,
    (f) => `remove security.${f.key}; the image must run as any uid in group 0`,
  ),
  'security.id-range': message(
    () => 'an integer id ≥ 1 (0 is root, which restricted forbids)',
    () => 'use the id the image is built for, e.g. 10001',
  ),
  'security.privilege-escalation': message(
    () => 'false under Pod Security "restricted"',
    () => "rebuild the image without setuid binaries, or lower the system's podSecurity level for this namespace",
  ),
  'security.capability': message(
    () => 'only NET_BIND_SERVICE under Pod Security "restricted"',
    () => "listen on a port above 1024 instead, or lower the system's podSecurity level for this namespace",
  ),
  'identity.missing-for-target': message<{ mechanism: string; target: string }>(
    (f) => `an identity for ${f.mechanism} on target "${f.target}"`,
    () => 'the workload runs without a cloud identity here; add the matching field',
  ),
  'identity.no-https-egress': message<{ target: string }>(
    (f) =>
      `a cloud identity with a way to the cloud's HTTPS APIs on target "${f.target}" (the NetworkPolicy allows only declared egress)`,
    () =>
      'declare the APIs the workload calls, e.g. Dependency.external("sts", { host: "sts.eu-west-1.amazonaws.com", port: 443 }) or Dependency.external("google-apis", { host: "storage.googleapis.com", port: 443 })',
  ),
} as const;
