import {
  checkCount, checkDnsLabel, checkEnvName, checkImage, checkLabelValue, checkPortName, checkPortNumber,
  checkQuantity, parseQuantity, problems,
} from './checks';
import { DEFAULT_RESOURCES, TMP_VOLUME } from './defaults';
import { Problem } from './errors';
import { Exposure, ExposureKind } from './exposure';
import type { MicroserviceProps, Resources, SecurityOptions, ServicePort } from './microservice';
import { Probe, ProbeKind } from './probe';
import { AccessMode, StorageKind } from './storage';

/**
 * The checks of a microservice's props that need nothing but the props: they run in the
 * constructor, before anything is created, and all of a service's problems throw together.
 */

/** Every props-only problem of a microservice, found before anything is created. */
export function validateProps(name: string, props: MicroserviceProps, ports: ServicePort[], exposure: Exposure): Problem[] {
  const nameProp = props.name === undefined ? 'id' : 'name';
  const badName = checkDnsLabel(nameProp, name);
  const found = problems(
    badName,
    badName || /^[a-z]/.test(name) ? undefined : { prop: nameProp, received: name, allowed: 'a name starting with a letter (Service names are DNS-1035 labels)', hint: `try "svc-${name}"` },
    checkImage('image', props.image),
    props.replicas === undefined ? undefined : checkCount('replicas', props.replicas, 0, 'use 0 to scale the service down, 2 or more for availability'),
    props.version === undefined ? undefined : checkLabelValue('version', props.version),
    props.component === undefined ? undefined : checkLabelValue('component', props.component),
  );
  const portNames = new Set<string>();
  const portNumbers = new Set<number>();
  ports.forEach((p, i) => {
    const prop = props.port !== undefined && i === 0 ? 'port' : `ports[${props.port !== undefined ? i - 1 : i}]`;
    found.push(...problems(checkPortNumber(`${prop}${prop === 'port' ? '' : '.port'}`, p.port), checkPortName(prop === 'port' ? 'portName' : `${prop}.name`, p.name)));
    if (portNames.has(p.name)) found.push({ prop: `${prop}.name`, received: p.name, allowed: 'port names unique within the service', hint: 'give each port its own name' });
    if (portNumbers.has(p.port)) found.push({ prop: `${prop}.port`, received: p.port, allowed: 'port numbers unique within the service', hint: 'a container port can be declared once; remove the duplicate' });
    portNames.add(p.name);
    portNumbers.add(p.port);
  });
  const probeChecks: Array<[string, Probe | undefined]> = [['healthCheck', props.healthCheck], ['liveness', props.liveness], ['readiness', props.readiness], ['startup', props.startup]];
  for (const [prop, probe] of probeChecks) {
    if (!probe || probe.kind === ProbeKind.COMMAND) continue;
    if (probe.port === undefined ? ports.length === 0 : !portNames.has(probe.port)) {
      found.push({ prop: `${prop}.port`, received: probe.port, allowed: `a declared port: ${[...portNames].join(', ') || 'none (the service has no ports)'}`, hint: 'declare the port in port/ports, or use Probe.command() for a worker' });
    }
  }
  if (exposure.port !== undefined && !portNames.has(exposure.port)) {
    found.push({ prop: 'expose.port', received: exposure.port, allowed: `a declared port: ${[...portNames].join(', ') || 'none'}`, hint: 'expose a port the service declares' });
  }
  if (exposure.kind !== ExposureKind.CLUSTER && ports.length === 0) {
    found.push({ prop: 'expose', received: exposure.kind, allowed: 'Exposure.cluster() for a service without ports', hint: 'declare port: 8080 (or the port it listens on)' });
  }
  const env = props.env ?? {};
  for (const key of Object.keys(env)) {
    const problem = checkEnvName(`env.${key}`, key);
    if (problem) found.push(problem);
  }
  found.push(...validateResources(props.resources ?? {}));
  found.push(...validateScaling(props));
  found.push(...validateVolumes(props));
  found.push(...validateSecurity(props.security ?? {}));
  return found;
}

function validateResources(resources: Resources): Problem[] {
  const found: Problem[] = [];
  for (const key of ['cpu', 'memory', 'ephemeralStorage'] as const) {
    const given = resources[key] ?? {};
    const example = key === 'cpu' ? '250m' : '256Mi';
    const request = given.request ?? DEFAULT_RESOURCES[key].request;
    const limit = given.limit ?? request;
    const bad = problems(
      given.request === undefined ? undefined : checkQuantity(`resources.${key}.request`, given.request, example),
      given.limit === undefined ? undefined : checkQuantity(`resources.${key}.limit`, given.limit, example),
    );
    found.push(...bad);
    if (bad.length === 0 && parseQuantity(request)! > parseQuantity(limit)!) {
      found.push({ prop: `resources.${key}`, received: `request ${request}, limit ${limit}`, allowed: 'a request no larger than the limit', hint: 'raise the limit or lower the request' });
    }
  }
  return found;
}

function validateScaling(props: MicroserviceProps): Problem[] {
  const found: Problem[] = [];
  const a = props.autoscaling;
  if (a) {
    found.push(...problems(
      checkCount('autoscaling.minReplicas', a.minReplicas, 1, 'an HPA keeps at least one pod; use 2 or more for availability'),
      checkCount('autoscaling.maxReplicas', a.maxReplicas, 1, 'set the most pods the service may need'),
    ));
    if (a.minReplicas > a.maxReplicas) {
      found.push({ prop: 'autoscaling', received: `minReplicas ${a.minReplicas}, maxReplicas ${a.maxReplicas}`, allowed: 'minReplicas ≤ maxReplicas', hint: 'swap them or raise maxReplicas' });
    }
    for (const key of ['cpuUtilization', 'memoryUtilization'] as const) {
      const value = a[key];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= 100)) {
        found.push({ prop: `autoscaling.${key}`, received: value, allowed: 'an integer percentage from 1 to 100', hint: 'e.g. 70' });
      }
    }
    if (props.replicas !== undefined) {
      found.push({ prop: 'replicas', received: props.replicas, allowed: 'no replicas when autoscaling is set (the HPA owns the count)', hint: 'remove replicas and use autoscaling.minReplicas' });
    }
  }
  const r = props.rollout;
  if (r) {
    found.push(...problems(
      r.maxSurge === undefined ? undefined : checkCount('rollout.maxSurge', r.maxSurge, 0, 'extra pods during a rollout, e.g. 1'),
      r.maxUnavailable === undefined ? undefined : checkCount('rollout.maxUnavailable', r.maxUnavailable, 0, 'pods allowed down during a rollout, e.g. 0'),
    ));
    if (r.maxSurge === 0 && (r.maxUnavailable ?? 0) === 0) {
      found.push({ prop: 'rollout', received: 'maxSurge 0, maxUnavailable 0', allowed: 'maxSurge or maxUnavailable above 0', hint: 'a rollout could never start: allow one extra pod (maxSurge: 1)' });
    }
    const minReady = r.minReady?.toSeconds() ?? 0;
    const deadline = r.progressDeadline?.toSeconds() ?? 600;
    if (deadline <= minReady) {
      found.push({ prop: 'rollout.progressDeadline', received: `${deadline}s`, allowed: `more than minReady (${minReady}s)`, hint: 'otherwise every rollout is marked failed before a pod can count as available' });
    }
  }
  const budget = props.disruptionBudget;
  if (budget && budget.enabled !== false) {
    const replicas = a ? a.minReplicas : props.replicas ?? 2;
    if (budget.maxUnavailable === 0 || (budget.minAvailable !== undefined && budget.minAvailable >= replicas)) {
      found.push({ prop: 'disruptionBudget', received: budget, allowed: `a budget that lets at least one of ${replicas} pods be evicted`, hint: 'this budget blocks every node drain and cluster upgrade: use maxUnavailable: 1' });
    }
  }
  return found;
}

function validateVolumes(props: MicroserviceProps): Problem[] {
  const found: Problem[] = [];
  const names = new Set<string>();
  const paths = new Set<string>(['/tmp']);
  (props.volumes ?? []).forEach((v, i) => {
    const bad = checkDnsLabel(`volumes[${i}].name`, v.name);
    if (bad) found.push(bad);
    if (names.has(v.name) || v.name === TMP_VOLUME) found.push({ prop: `volumes[${i}].name`, received: v.name, allowed: `volume names unique within the service (and not "${TMP_VOLUME}", the scratch volume)`, hint: 'rename the volume' });
    if (paths.has(v.mountPath)) found.push({ prop: `volumes[${i}].mountPath`, received: v.mountPath, allowed: 'a mount path used once (/tmp is the scratch volume)', hint: 'mount each volume at its own directory' });
    if (!v.mountPath.startsWith('/')) found.push({ prop: `volumes[${i}].mountPath`, received: v.mountPath, allowed: 'an absolute path', hint: `use "/${v.mountPath}"` });
    names.add(v.name);
    paths.add(v.mountPath);
    const single = v.kind === StorageKind.PERSISTENT && v.accessMode !== AccessMode.READ_WRITE_MANY;
    if (single && ((props.replicas ?? 1) > 1 || props.autoscaling)) {
      found.push({ prop: `volumes[${i}].accessMode`, received: v.accessMode, allowed: `ReadWriteMany when the service runs more than one pod (replicas ${props.replicas ?? `up to ${props.autoscaling?.maxReplicas}`})`, hint: 'a ReadWriteOnce volume attaches to one node: use replicas: 1, or AccessMode.READ_WRITE_MANY' });
    }
    if (v.size && v.size.toMebibytes({ rounding: 1 }) <= 0) {
      found.push({ prop: `volumes[${i}].size`, received: v.size, allowed: 'a positive size', hint: 'e.g. Size.gibibytes(10)' });
    }
    if (v.kind === StorageKind.CONFIG && Object.keys(v.files ?? {}).length === 0) {
      found.push({ prop: `volumes[${i}].files`, received: v.files, allowed: 'at least one file', hint: 'pass files: { "app.yaml": "…" }' });
    }
  });
  return found;
}

function validateSecurity(security: SecurityOptions): Problem[] {
  const found: Problem[] = [];
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const value = security[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      found.push({ prop: `security.${key}`, received: value, allowed: 'an integer id ≥ 1 (0 is root, which restricted forbids)', hint: 'use the id the image is built for, e.g. 10001' });
    }
  }
  return found;
}

/** Relaxations the system's Pod Security level "restricted" does not admit. */
export function restrictedViolations(security: SecurityOptions): Problem[] {
  const found: Problem[] = [];
  const hint = 'or lower the system\'s podSecurity level for this namespace';
  if (security.allowPrivilegeEscalation) {
    found.push({ prop: 'security.allowPrivilegeEscalation', received: true, allowed: 'false under Pod Security "restricted"', hint: `rebuild the image without setuid binaries, ${hint}` });
  }
  for (const cap of security.addCapabilities ?? []) {
    if (cap !== 'NET_BIND_SERVICE') {
      found.push({ prop: 'security.addCapabilities', received: cap, allowed: 'only NET_BIND_SERVICE under Pod Security "restricted"', hint: `listen on a port above 1024 instead, ${hint}` });
    }
  }
  return found;
}
