/**
 * The checks of a workload that need the target and the whole app, run at synth: its
 * dependencies, the Secrets and ConfigMaps it references, and what the target decides of its
 * containers (user IDs, identity, resources, Pod Security).
 */
import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { checkEnvName, checkExternalHost, checkPortNumber, isDnsSubdomain, parseQuantity, problems } from '../checks';
import { ISystem } from '../contracts';
import { Findings, Problem } from '../errors';
import { problem } from '../messages';
import { DependencyKind, ResolvedEdge } from '../network/dependency';
import { TMP_VOLUME_SIZE } from '../defaults';
import { ContainerProps, resolveResources } from '../pod/container';
import { EnvFromSource, EnvSource } from '../pod/env';
import { writesNamed, writtenInto } from '../pod/kplus';
import { PodSecurityLevel } from '../pod/pod-security';
import { restrictedViolations } from '../pod/security';
import { Storage, StorageKind } from '../pod/storage';
import { IdentityMechanism } from '../targets/profile';
import { identityMissing } from '../targets/rendering';
import { resourceRuleProblems, storageTargetProblems } from '../targets/target-checks';
import { WorkloadProps } from './workload-props';

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
    warnings: [...containers.warnings, ...volumeSizeWarnings(facts)],
  };
}

/**
 * emptyDirs larger than the pod may grow. Disk-backed ones count, with the scratch `/tmp`, toward
 * the pod's ephemeral-storage limit (its running containers' together; init containers run
 * before them): past it the kubelet evicts the pod. A memory-backed one's files are memory of the
 * container that writes them, OOM-killed past its own limit: it must fit the largest limit of the
 * containers that mount it (the main container mounts every volume).
 */
function volumeSizeWarnings({ system, containers, volumes }: WorkloadFacts): Problem[] {
  const running = containers.filter((c) => !c.prop.startsWith('initContainers'));
  const limitOf = (container: ContainerProps, resource: 'memory' | 'ephemeral-storage') =>
    parseQuantity(resolveResources(container.resources ?? {}, system.target.limitsEqualRequests).limits[resource]) ?? 0;
  const emptyDirs = volumes.flatMap((volume, index) =>
    volume.kind === StorageKind.EPHEMERAL && volume.size !== undefined
      ? [{ volume, index, size: volume.size.asString(), bytes: parseQuantity(volume.size.asString()) ?? 0 }]
      : [],
  );
  const found: Problem[] = [];
  const onDisk = emptyDirs.filter((e) => !e.volume.inMemory);
  const podLimit = running.reduce((sum, c) => sum + limitOf(c.props, 'ephemeral-storage'), 0);
  const total = onDisk.reduce((sum, e) => sum + e.bytes, parseQuantity(TMP_VOLUME_SIZE)!);
  if (onDisk.length > 0 && total > podLimit) {
    const largest = onDisk.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    found.push(
      problem('volume.size-above-limit', `volumes[${largest.index}].sizeLimit`, largest.size, {
        resource: 'ephemeral-storage',
        limit: mebibytes(podLimit),
        needed: mebibytes(total),
      }),
    );
  }
  for (const { volume, index, size, bytes } of emptyDirs.filter((e) => e.volume.inMemory)) {
    const mounting = running.filter(
      (c) => c.prop === '' || (c.props.volumeMounts ?? []).some((m) => m.volume === volume.name),
    );
    const limit = Math.max(...mounting.map((c) => limitOf(c.props, 'memory')));
    if (bytes > limit)
      found.push(
        problem('volume.size-above-limit', `volumes[${index}].sizeLimit`, size, {
          resource: 'memory',
          limit: mebibytes(limit),
          needed: size,
        }),
      );
  }
  return found;
}

/** Bytes as mebibytes, to a tenth. */
function mebibytes(bytes: number): string {
  const value = bytes / 2 ** 20;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}Mi`;
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
