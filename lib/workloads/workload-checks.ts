/**
 * The props-only checks every workload shares, run in the constructor (and in
 * addSidecar/addInitContainer); those that need the target and the whole app run at synth
 * (`workload-synth-checks.ts`). Both are reported together at synth, with every other workload's.
 */
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
  checkPortList,
  checkPortName,
  checkPortNumber,
  checkWholeBytes,
  checkWholeSeconds,
  MAX_INT32,
  problems,
  resolveRequestLimit,
} from '../checks';
import { DEFAULT_RESOURCES, TMP_VOLUME } from '../defaults';
import { Problem } from '../errors';
import { problem } from '../messages';
import { LABEL } from '../labels';
import { ContainerProps, PortProtocol, RESOURCE_NAMES, Resources } from '../pod/container';
import { EnvSource } from '../pod/env';
import { HealthCheckKind } from '../pod/health-check';
import { securityIdProblems } from '../pod/security';
import { Storage } from '../pod/storage';
import { WorkloadProps } from './workload-props';

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
