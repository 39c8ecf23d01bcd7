import { isIP } from 'net';
import { IConstruct } from 'constructs';
import {
  checkComposedLabelValue,
  checkConfigMapKey,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvName,
  checkImage,
  checkLabelValue,
  checkMountPaths,
  checkExternalHost,
  checkPortList,
  checkPortName,
  checkPortNumber,
  checkSize,
  checkStorageClassName,
  checkWholeSeconds,
  isDnsSubdomain,
  MAX_INT32,
  problems,
  resolveRequestLimit,
} from '../checks';
import { ISystem } from '../contracts';
import { DEFAULT_RESOURCES, TMP_VOLUME } from '../defaults';
import { Findings, Problem } from '../errors';
import { LABEL } from '../labels';
import { DependencyKind, ResolvedEdge } from '../network/dependency';
import { ContainerProps, PortProtocol, RESOURCE_NAMES, Resources } from '../pod/container';
import { EnvFromSource, EnvSource } from '../pod/env';
import { writesNamed, writtenInto } from '../pod/kplus';
import { PodSecurityLevel } from '../pod/pod-security';
import { HealthCheck, HealthCheckKind } from '../pod/health-check';
import { restrictedViolations, securityIdProblems } from '../pod/security';
import { Storage, StorageKind } from '../pod/storage';
import { IdentityMechanism } from '../targets/profile';
import { identityMissing } from '../targets/rendering';
import { resourceRuleProblems, storageTargetProblems } from '../targets/target-checks';
import { WorkloadProps } from './workload-props';

/**
 * The checks every workload shares. Props-only checks run in the constructor (and in
 * addSidecar/addInitContainer); the rest need the target and the whole app and run at synth.
 * Both are reported together at synth, with every other workload's.
 */

/** Props-only problems of a workload's name, image, labels, env, resources, volumes and security. */
export function workloadPropsProblems(systemName: string, name: string, props: WorkloadProps): Problem[] {
  const nameProp = props.name === undefined ? 'id' : 'name';
  const badName = checkDnsLabel(nameProp, name);
  const found = problems(
    badName,
    badName || /^[a-z]/.test(name)
      ? undefined
      : {
          prop: nameProp,
          received: name,
          allowed: 'a name starting with a letter (Service names are DNS-1035 labels)',
          hint: `try "svc-${name}"`,
        },
    badName ? undefined : checkComposedLabelValue(nameProp, name, LABEL.INSTANCE, `${systemName}-${name}`),
    checkImage('image', props.image),
    props.version === undefined ? undefined : checkLabelValue('version', props.version),
    props.component === undefined ? undefined : checkLabelValue('component', props.component),
  );
  found.push(...envProblems('', props));
  found.push(...resourceProblems('resources', props.resources ?? {}));
  found.push(...volumeProblems(props.volumes ?? []));
  found.push(...securityIdProblems(props.security ?? {}));
  for (const key of [LABEL.NAME, LABEL.INSTANCE]) {
    if (props.labels?.[key] !== undefined) {
      found.push({
        prop: `labels.${key}`,
        received: props.labels[key],
        allowed: 'labels other than the selector labels app.kubernetes.io/name and /instance',
        hint: 'set `name` to rename the workload; selector labels derive from it',
      });
    }
  }
  for (const [i, secret] of (props.imagePullSecrets ?? []).entries())
    found.push(...problems(checkDnsSubdomain(`imagePullSecrets[${i}]`, secret)));
  if (props.terminationGracePeriod !== undefined)
    found.push(
      ...problems(
        checkWholeSeconds(
          'terminationGracePeriod',
          props.terminationGracePeriod,
          0,
          MAX_INT32,
          'e.g. Duration.seconds(30)',
        ),
      ),
    );
  return found;
}

/**
 * Problems of a container's env and envFrom, props under `prefix` (`''` or `sidecars[0].`):
 * variable names and prefixes, and the ConfigMap and Secret names and keys they read, which the
 * API server checks as it does a ConfigMap's own (IsConfigMapKey, DNS-1123 subdomain).
 */
function envProblems(prefix: string, container: Pick<ContainerProps, 'env' | 'envFrom'>): Problem[] {
  const found: Problem[] = [];
  for (const [name, value] of Object.entries(container.env ?? {})) {
    const prop = `${prefix}env.${name}`;
    found.push(...problems(checkEnvName(prop, name)));
    if (value?.source === EnvSource.CONFIG_MAP || value?.source === EnvSource.SECRET) {
      const kind = value.source === EnvSource.SECRET ? 'secretName' : 'configMapName';
      found.push(
        ...problems(
          checkDnsSubdomain(`${prop}.${kind}`, value.objectName ?? ''),
          checkConfigMapKey(`${prop}.key`, value.key ?? ''),
        ),
      );
    }
  }
  (container.envFrom ?? []).forEach((from, i) => {
    const prop = `${prefix}envFrom[${i}]`;
    found.push(
      ...problems(
        checkDnsSubdomain(`${prop}.name`, from.objectName),
        from.prefix === undefined ? undefined : checkEnvName(`${prop}.prefix`, from.prefix),
      ),
    );
  });
  return found;
}

/** Props-only problems of an init container (`sidecar` false) or a sidecar. */
export function containerProblems(prefix: string, container: ContainerProps, sidecar: boolean): Problem[] {
  const found = problems(
    checkDnsLabel(`${prefix}.name`, container.name),
    checkImage(`${prefix}.image`, container.image),
  );
  found.push(...envProblems(`${prefix}.`, container));
  found.push(...resourceProblems(`${prefix}.resources`, container.resources ?? {}));
  found.push(...securityIdProblems(container.security ?? {}, `${prefix}.security`));
  if (!sidecar && (container.ports?.length || container.healthCheck || container.liveness)) {
    found.push({
      prop: prefix,
      received: 'ports or probes',
      allowed: 'no ports and no probes on an init container (it runs to completion)',
      hint: 'make it a sidecar if it serves, or drop them',
    });
  }
  found.push(
    ...portProblems(container.ports ?? [], (i) => ({
      number: `${prefix}.ports[${i}].port`,
      name: `${prefix}.ports[${i}].name`,
    })),
  );
  for (const [role, probe] of [
    ['healthCheck', container.healthCheck],
    ['liveness', container.liveness],
  ] as const) {
    if (probe) found.push(...probeTimingProblems(`${prefix}.${role}`, probe));
    if (!probe || probe.kind === HealthCheckKind.COMMAND) continue;
    const port = (container.ports ?? []).find((p) => p.name === (probe.portName ?? container.ports?.[0]?.name));
    if (!port || port.protocol === PortProtocol.UDP) {
      found.push({
        prop: `${prefix}.${role}.portName`,
        received: probe.portName,
        allowed: `a TCP port of the container: ${
          (container.ports ?? [])
            .filter((p) => p.protocol !== PortProtocol.UDP)
            .map((p) => p.name)
            .join(', ') || 'none'
        }`,
        hint: 'probe a declared TCP port, or use HealthCheck.command()',
      });
    }
  }
  return found;
}

/** Timing problems of a probe: whole seconds, a threshold of at least one. */
export function probeTimingProblems(prop: string, probe: HealthCheck): Problem[] {
  const t = probe.timing;
  const found = problems(
    t.period === undefined
      ? undefined
      : checkWholeSeconds(`${prop}.period`, t.period, 1, MAX_INT32, 'e.g. Duration.seconds(10)'),
    t.timeout === undefined
      ? undefined
      : checkWholeSeconds(`${prop}.timeout`, t.timeout, 1, MAX_INT32, 'e.g. Duration.seconds(2)'),
    t.initialDelay === undefined
      ? undefined
      : checkWholeSeconds(`${prop}.initialDelay`, t.initialDelay, 0, MAX_INT32, 'e.g. Duration.seconds(5)'),
  );
  if (t.failureThreshold !== undefined && !(Number.isInteger(t.failureThreshold) && t.failureThreshold >= 1)) {
    found.push({
      prop: `${prop}.failureThreshold`,
      received: t.failureThreshold,
      allowed: 'a whole number ≥ 1',
      hint: 'e.g. 3',
    });
  }
  return found;
}

/** Where the problems of port `i` point: its number's prop and its name's prop. */
export type PortProps = (i: number) => { number: string; name: string };

/** Number, name and uniqueness problems of a port list; the same number may serve TCP and UDP. */
export function portProblems(
  ports: Array<{ name: string; port: number; protocol?: PortProtocol }>,
  propsOf: PortProps,
): Problem[] {
  const found: Problem[] = [];
  ports.forEach((p, i) =>
    found.push(...problems(checkPortNumber(propsOf(i).number, p.port), checkPortName(propsOf(i).name, p.name))),
  );
  return [...found, ...checkPortList(ports, (i) => propsOf(i).number.replace(/\.port$/, ''))];
}

/** Quantity problems, and a request above its limit. */
export function resourceProblems(prefix: string, resources: Resources): Problem[] {
  return RESOURCE_NAMES.flatMap(
    ([key]) =>
      resolveRequestLimit(
        `${prefix}.${key}`,
        resources[key] ?? {},
        DEFAULT_RESOURCES[key],
        key === 'cpu' ? '250m' : '256Mi',
      ).problems,
  );
}

function volumeProblems(volumes: Storage[]): Problem[] {
  const found: Problem[] = [];
  volumes.forEach((v, i) => {
    found.push(...problems(checkDnsLabel(`volumes[${i}].name`, v.name)));
    if (v.size !== undefined)
      found.push(
        ...problems(
          checkSize(
            `volumes[${i}].${v.kind === StorageKind.PERSISTENT ? 'size' : 'sizeLimit'}`,
            v.size,
            'Size.gibibytes(10)',
          ),
        ),
      );
    if (v.storageClass !== undefined)
      found.push(...problems(checkStorageClassName(`volumes[${i}].storageClass`, v.storageClass)));
    if (v.kind === StorageKind.CONFIG) {
      if (Object.keys(v.files ?? {}).length === 0)
        found.push({
          prop: `volumes[${i}].files`,
          received: v.files,
          allowed: 'at least one file',
          hint: 'pass files: { "app.yaml": "…" }',
        });
      for (const key of Object.keys(v.files ?? {}))
        found.push(...problems(checkConfigMapKey(`volumes[${i}].files`, key)));
    }
    if (v.kind === StorageKind.SECRET || v.kind === StorageKind.EXISTING_CLAIM) {
      found.push(
        ...problems(
          checkDnsSubdomain(
            `volumes[${i}].${v.kind === StorageKind.SECRET ? 'secretName' : 'claimName'}`,
            v.objectName ?? '',
          ),
        ),
      );
    }
  });
  found.push(...checkMountPaths(volumes, (i) => `volumes[${i}]`, ['/tmp']));
  return found;
}

/** A volume name already taken in the workload (or the scratch volume's). */
export function duplicateVolumeProblem(index: number, name: string): Problem {
  return {
    prop: `volumes[${index}].name`,
    received: name,
    allowed: `volume names unique within the workload (and not "${TMP_VOLUME}", the scratch volume)`,
    hint: 'rename the volume',
  };
}

/** What the checks at synth see of a workload. */
export interface WorkloadFacts {
  /** The workload construct (warnings are recorded on it). */
  readonly scope: IConstruct;
  /** Its system. */
  readonly system: ISystem;
  /** Its props. */
  readonly props: WorkloadProps;
  /** Every container, main first, with the prop prefix its problems use. */
  readonly containers: Array<{ prop: string; props: ContainerProps }>;
  /** Its volumes, including those added later. */
  readonly volumes: Storage[];
  /** Its resolved dependency edges. */
  readonly edges: ResolvedEdge[];
  /** Env var names the dependencies inject. */
  readonly dependencyEnv: string[];
}

/** Findings that need the target and the whole app: dependencies, env, secrets, storage, security, identity. */
export function targetFindings(facts: WorkloadFacts): Findings {
  const containers = containerTargetFindings(facts);
  return {
    problems: [
      ...dependencyProblems(facts),
      ...referenceProblems(facts),
      ...storageTargetProblems(facts.system.target, facts.volumes),
      ...containers.problems,
    ],
    warnings: containers.warnings,
  };
}

function dependencyProblems({ scope, system, edges, containers, dependencyEnv }: WorkloadFacts): Problem[] {
  const found: Problem[] = [];
  const name = containers[0].props.name;
  edges.forEach((edge, i) => {
    const dep = edge.dependency;
    const prop = `dependsOn[${i}]`;
    if (dep.envPrefix !== undefined) found.push(...problems(checkEnvName(`${prop}.envPrefix`, dep.envPrefix)));
    if (dep.kind === DependencyKind.EXTERNAL) {
      found.push(
        ...problems(checkExternalHost(`${prop}.host`, dep.host!), checkPortNumber(`${prop}.port`, dep.portNumber!)),
      );
      (dep.cidrs ?? []).forEach((cidr, j) => {
        if (!isCidr(cidr))
          found.push({
            prop: `${prop}.cidrs[${j}]`,
            received: cidr,
            allowed: 'an IPv4 or IPv6 CIDR such as "10.20.0.0/16" or "2001:db8::/32"',
            hint: "give the network address and prefix length of the endpoint's subnet",
          });
      });
      return;
    }
    const received = `${dep.namespace}/${dep.name}`;
    if (edge.provider && edge.provider.node.root !== scope.node.root) {
      found.push({
        prop,
        received,
        allowed: 'a service of this app',
        hint: 'the provider belongs to another App, whose output is written separately: use Dependency.inNamespace() or Dependency.external()',
      });
    } else if (dep.kind === DependencyKind.NAMESPACED && !system.ownsNamespace(dep.namespace!)) {
      found.push({
        prop,
        received,
        allowed: `a namespace owned by a MicroserviceSystem of this app (${system.knownNamespaces().join(', ')})`,
        hint: 'define that system in this app, or use Dependency.external() for a service managed elsewhere',
      });
    } else if (!edge.provider) {
      const names = system.namespace === dep.namespace ? system.serviceNames() : [];
      found.push({
        prop,
        received,
        allowed: `a service of namespace "${dep.namespace}"${names.length > 0 ? `: ${names.join(', ')}` : ''}`,
        hint: `"${name}" depends on a service that does not exist: check the name or add the service`,
      });
    } else if (!edge.port) {
      found.push({
        prop: `${prop}.portName`,
        received: dep.portName,
        allowed: `a port declared by "${edge.provider.serviceName}": ${edge.provider.ports.map((p) => p.name).join(', ') || 'none'}`,
        hint: `"${name}" calls "${edge.provider.serviceName}" on a port it does not declare: add it to the provider's ports or fix the name`,
      });
    }
  });
  for (const { prop, props } of containers) {
    const own = new Set(Object.keys(props.env ?? {}));
    const seen = new Set<string>();
    for (const variable of [...own, ...dependencyEnv]) {
      if (seen.has(variable)) {
        found.push({
          prop: prop ? `${prop}.env` : 'env',
          received: variable,
          allowed: 'unique env var names',
          hint: own.has(variable)
            ? "a dependency injects this name: rename your variable or set the dependency's envPrefix"
            : 'two dependencies inject the same name: set envPrefix on one of them',
        });
      }
      seen.add(variable);
    }
  }
  return found;
}

/**
 * The Secrets and ConfigMaps a workload references exist when its pods start: listed as
 * provisioned outside the app, or written by this app into the namespace. Otherwise the pods wait
 * in CreateContainerConfigError.
 */
function referenceProblems({ system, props, containers, volumes }: WorkloadFacts): Problem[] {
  const found: Problem[] = [];
  const written = (kind: string, name: string, object?: IConstruct) =>
    writtenInto(object, system.namespace) || writesNamed(system, kind, name, system.namespace);
  const listed = (name: string, object?: IConstruct) =>
    system.secrets.includes(name) || system.imagePullSecrets.includes(name) || written('Secret', name, object);
  const missing = (prop: string, name: string, list = 'secrets'): Problem => ({
    prop,
    received: `secret ${name}`,
    allowed: `a Secret listed in the system's secrets or imagePullSecrets (${[...system.secrets, ...system.imagePullSecrets].join(', ') || 'none'})`,
    hint: `add "${name}" to MicroserviceSystem ${list} and provision it (External Secrets, Sealed Secrets or kubectl create secret)`,
  });
  // An invalid name is reported as such already.
  const configMapMissing = (prop: string, name: string, object?: IConstruct): Problem[] =>
    !isDnsSubdomain(name) || system.configMaps.includes(name) || written('ConfigMap', name, object)
      ? []
      : [
          {
            prop,
            received: `configMap ${name}`,
            allowed: `a ConfigMap this app writes into namespace "${system.namespace}", or one listed in the system's configMaps (${system.configMaps.join(', ') || 'none'})`,
            hint: `create it in the system (a cdk8s-plus ConfigMap, or Storage.config() for files), or add "${name}" to MicroserviceSystem configMaps if something else provisions it`,
          },
        ];
  for (const { prop, props: container } of containers) {
    const at = (rest: string) => (prop ? `${prop}.${rest}` : rest);
    for (const [name, value] of Object.entries(container.env ?? {})) {
      if (value.source === EnvSource.SECRET && !listed(value.objectName!, value.object))
        found.push(missing(at(`env.${name}`), value.objectName!));
      if (value.source === EnvSource.CONFIG_MAP)
        found.push(...configMapMissing(at(`env.${name}`), value.objectName!, value.object));
    }
    (container.envFrom ?? []).forEach((from, i) => {
      if (from.source === EnvFromSource.SECRET && !listed(from.objectName, from.object))
        found.push(missing(at(`envFrom[${i}]`), from.objectName));
      if (from.source === EnvFromSource.CONFIG_MAP)
        found.push(...configMapMissing(at(`envFrom[${i}]`), from.objectName, from.object));
    });
    (container.volumeMounts ?? []).forEach((mount, i) => {
      if (!volumes.some((v) => v.name === mount.volume)) {
        found.push({
          prop: at(`volumeMounts[${i}].volume`),
          received: mount.volume,
          allowed: `a volume of the workload: ${volumes.map((v) => v.name).join(', ') || 'none'}`,
          hint: "add the volume to the workload's volumes (or addVolume) and mount it by name",
        });
      }
    });
  }
  volumes.forEach((v, i) => {
    if (v.kind === StorageKind.SECRET && !listed(v.objectName!, v.object))
      found.push(missing(`volumes[${i}].secretName`, v.objectName!));
  });
  (props.imagePullSecrets ?? []).forEach((name, i) => {
    if (!listed(name)) found.push(missing(`imagePullSecrets[${i}]`, name, 'imagePullSecrets'));
  });
  const names = new Set<string>();
  for (const { prop, props: container } of containers) {
    if (names.has(container.name))
      found.push({
        prop: `${prop}.name`,
        received: container.name,
        allowed: "container names unique in the pod (the main container takes the workload's name)",
        hint: 'rename the container',
      });
    names.add(container.name);
  }
  return found;
}

function containerTargetFindings({ system, props, containers, edges }: WorkloadFacts): Findings {
  const found: Problem[] = [];
  const warnings: Problem[] = [];
  const target = system.target;
  if (!target.fixedUserIds) {
    for (const { prop, props: container } of [
      { prop: '', props: { security: props.security } },
      ...containers.slice(1),
    ]) {
      for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
        if (container.security?.[key] !== undefined) {
          found.push({
            prop: `${prop ? `${prop}.` : ''}security.${key}`,
            received: container.security[key],
            allowed: `no fixed id on target "${target.id}" (it assigns ids from the namespace range)`,
            hint: `remove security.${key}; the image must run as any uid in group 0`,
          });
        }
      }
    }
  }
  if (props.identity && identityMissing(target, props.identity)) {
    warnings.push({
      prop: 'identity',
      received: props.identity,
      allowed: `an identity for ${target.identity} on target "${target.id}"`,
      hint: 'the workload runs without a cloud identity here; add the matching field',
    });
  } else if (
    props.identity &&
    target.identity !== IdentityMechanism.NONE &&
    !edges.some((e) => e.dependency.kind === DependencyKind.EXTERNAL && e.dependency.portNumber === 443)
  ) {
    warnings.push({
      prop: 'identity',
      received: props.identity,
      allowed: `a cloud identity with a way to the cloud's HTTPS APIs on target "${target.id}" (the NetworkPolicy allows only declared egress)`,
      hint: 'declare the APIs the workload calls, e.g. Dependency.external("sts", { host: "sts.eu-west-1.amazonaws.com", port: 443 }) or Dependency.external("google-apis", { host: "storage.googleapis.com", port: 443 })',
    });
  }
  for (const { prop, props: container } of containers) {
    const prefix = prop ? `${prop}.` : '';
    const rules = resourceRuleProblems(target, `${prefix}resources`, container.resources ?? {});
    found.push(...rules.problems);
    warnings.push(...rules.warnings);
    if (system.podSecurity === PodSecurityLevel.RESTRICTED)
      found.push(
        ...restrictedViolations(container.security ?? (prop ? (props.security ?? {}) : {}), `${prefix}security`),
      );
  }
  return { problems: found, warnings };
}

/** Whether `value` is an IPv4 or IPv6 CIDR (address and prefix length in range), as NetworkPolicy ipBlock takes it. */
function isCidr(value: string): boolean {
  const [address, prefix, extra] = String(value).split('/');
  if (extra !== undefined || !/^[0-9]{1,3}$/.test(prefix ?? '')) return false;
  const bits = Number(prefix);
  if (isIP(address) === 4) return bits <= 32;
  return isIP(address) === 6 && bits <= 128;
}
