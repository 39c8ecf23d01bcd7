import { isIP } from 'net';
import { IConstruct } from 'constructs';
import {
  checkAnnotations,
  checkComposedLabelValue,
  checkIdentity,
  checkLabelMap,
  checkQualifiedName,
  checkTolerations,
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
  checkWholeBytes,
  checkWholeSeconds,
  isDnsSubdomain,
  MAX_INT32,
  problems,
  resolveRequestLimit,
} from '../checks';
import { ISystem } from '../contracts';
import { DEFAULT_RESOURCES, TMP_VOLUME } from '../defaults';
import { Findings, Problem } from '../errors';
import { problem } from '../messages';
import { LABEL } from '../labels';
import { DependencyKind, ResolvedEdge } from '../network/dependency';
import { ContainerProps, PortProtocol, RESOURCE_NAMES, Resources } from '../pod/container';
import { EnvFromSource, EnvSource } from '../pod/env';
import { writesNamed, writtenInto } from '../pod/kplus';
import { PodSecurityLevel } from '../pod/pod-security';
import { HealthCheckKind } from '../pod/health-check';
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
    badName || /^[a-z]/.test(name) ? undefined : problem('workload.name-starts-with-digit', nameProp, name, { name }),
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
      found.push(problem('workload.selector-label', `labels.${key}`, props.labels[key]));
    }
  }
  for (const [i, secret] of (props.imagePullSecrets ?? []).entries())
    found.push(...problems(checkDnsSubdomain(`imagePullSecrets[${i}]`, secret)));
  found.push(
    ...checkLabelMap('labels', props.labels),
    ...checkAnnotations('annotations', props.annotations),
    ...checkAnnotations('podAnnotations', props.podAnnotations),
    ...checkLabelMap('nodeSelector', props.nodeSelector),
    ...checkTolerations('tolerations', props.tolerations ?? []),
    ...checkIdentity('identity', props.identity),
    ...problems(
      props.priorityClassName === undefined
        ? undefined
        : checkDnsSubdomain('priorityClassName', props.priorityClassName),
    ),
  );
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
    found.push(problem('container.init-serves', prefix, 'ports or probes'));
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
    if (probe) found.push(...probe._timingProblems(`${prefix}.${role}`));
    if (!probe || probe.kind === HealthCheckKind.COMMAND) continue;
    const port = (container.ports ?? []).find((p) => p.name === (probe.portName ?? container.ports?.[0]?.name));
    if (!port || port.protocol === PortProtocol.UDP) {
      found.push(
        problem('container.probe-port', `${prefix}.${role}.portName`, probe.portName, {
          tcpPorts: (container.ports ?? []).filter((p) => p.protocol !== PortProtocol.UDP).map((p) => p.name),
        }),
      );
    }
  }
  return found;
}

/** Where the problems of port `i` point: its number's prop and its name's prop. */
export type PortProps = (i: number) => { number: string; name: string };

/** Number, name and uniqueness problems of a port list; the same number may serve TCP and UDP. */
export function portProblems(
  ports: Array<{ name: string; port: number; protocol?: PortProtocol; appProtocol?: string }>,
  propsOf: PortProps,
): Problem[] {
  const found: Problem[] = [];
  ports.forEach((p, i) =>
    found.push(
      ...problems(
        checkPortNumber(propsOf(i).number, p.port),
        checkPortName(propsOf(i).name, p.name),
        // A Service port's appProtocol is a qualified name (validateServicePort).
        p.appProtocol === undefined
          ? undefined
          : checkQualifiedName(propsOf(i).number.replace(/port$/, 'appProtocol'), p.appProtocol, 'appProtocol'),
      ),
    ),
  );
  return [...found, ...checkPortList(ports, (i) => propsOf(i).number.replace(/\.port$/, ''))];
}

/** Quantity problems, and a request above its limit. */
export function resourceProblems(prefix: string, resources: Resources): Problem[] {
  return RESOURCE_NAMES.flatMap(([key]) => {
    const { problems: found } = resolveRequestLimit(
      `${prefix}.${key}`,
      resources[key] ?? {},
      DEFAULT_RESOURCES[key],
      key === 'cpu' ? '250m' : '256Mi',
    );
    if (key === 'cpu' || found.length > 0) return found;
    return (['request', 'limit'] as const).flatMap((end) =>
      resources[key]?.[end] === undefined
        ? []
        : problems(checkWholeBytes(`${prefix}.${key}.${end}`, resources[key]![end]!)),
    );
  });
}

function volumeProblems(volumes: Storage[]): Problem[] {
  return [
    ...volumes.flatMap((volume, i) => volume._problems(`volumes[${i}]`)),
    ...checkMountPaths(volumes, (i) => `volumes[${i}]`, ['/tmp']),
  ];
}

/** A volume name already taken in the workload (or the scratch volume's). */
export function duplicateVolumeProblem(index: number, name: string): Problem {
  return problem('volume.duplicate-name', `volumes[${index}].name`, name, { scratch: TMP_VOLUME });
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
        if (!isCidr(cidr)) found.push(problem('dependency.cidr', `${prop}.cidrs[${j}]`, cidr));
      });
      return;
    }
    const received = `${dep.namespace}/${dep.name}`;
    if (edge.provider && edge.provider.node.root !== scope.node.root) {
      found.push(problem('dependency.other-app', prop, received));
    } else if (edge.provider === scope) {
      found.push(problem('dependency.self', prop, received));
    } else if (dep.kind === DependencyKind.NAMESPACED && !system.ownsNamespace(dep.namespace!)) {
      found.push(problem('dependency.unknown-namespace', prop, received, { known: system.knownNamespaces() }));
    } else if (!edge.provider) {
      const names = system.namespace === dep.namespace ? system.serviceNames() : [];
      found.push(
        problem('dependency.unknown-service', prop, received, {
          namespace: dep.namespace!,
          services: names,
          consumer: name,
        }),
      );
    } else if (!edge.port) {
      found.push(
        problem('dependency.unknown-port', `${prop}.portName`, dep.portName, {
          provider: edge.provider.serviceName,
          ports: edge.provider.ports.map((p) => p.name),
          consumer: name,
        }),
      );
    }
  });
  for (const { prop, props } of containers) {
    const own = new Set(Object.keys(props.env ?? {}));
    const seen = new Set<string>();
    for (const variable of [...own, ...dependencyEnv]) {
      if (seen.has(variable)) {
        found.push(
          problem('env.duplicate', prop ? `${prop}.env` : 'env', variable, { injectedOverOwn: own.has(variable) }),
        );
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
  const missing = (prop: string, name: string, list = 'secrets'): Problem =>
    problem('reference.secret-unlisted', prop, `secret ${name}`, {
      listed: [...system.secrets, ...system.imagePullSecrets],
      name,
      list,
    });
  // An invalid name is reported as such already.
  const configMapMissing = (prop: string, name: string, object?: IConstruct): Problem[] =>
    !isDnsSubdomain(name) || system.configMaps.includes(name) || written('ConfigMap', name, object)
      ? []
      : [
          problem('reference.config-map-unknown', prop, `configMap ${name}`, {
            namespace: system.namespace,
            listed: system.configMaps,
            name,
          }),
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
        found.push(
          problem('volume.mount-unknown', at(`volumeMounts[${i}].volume`), mount.volume, {
            volumes: volumes.map((v) => v.name),
          }),
        );
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
    if (names.has(container.name)) found.push(problem('container.duplicate-name', `${prop}.name`, container.name));
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
          found.push(
            problem(
              'security.fixed-id-on-target',
              `${prop ? `${prop}.` : ''}security.${key}`,
              container.security[key],
              {
                target: target.id,
                key,
              },
            ),
          );
        }
      }
    }
  }
  if (props.identity && identityMissing(target, props.identity)) {
    warnings.push(
      problem('identity.missing-for-target', 'identity', props.identity, {
        mechanism: target.identity,
        target: target.id,
      }),
    );
  } else if (
    props.identity &&
    target.identity !== IdentityMechanism.NONE &&
    !edges.some((e) => e.dependency.kind === DependencyKind.EXTERNAL && e.dependency.portNumber === 443)
  ) {
    warnings.push(problem('identity.no-https-egress', 'identity', props.identity, { target: target.id }));
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
