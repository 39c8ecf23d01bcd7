import { checkIntegerInRange, parseQuantity, problems } from '../checks';
import { DEFAULT_RESOURCES } from '../defaults';
import { Problem } from '../errors';
import { problem } from '../messages';
import { Resources } from '../pod/container';
import { AccessMode, Storage, StorageKind } from '../pod/storage';
import { Target } from './target';

/**
 * What a target says about the input: its own options, and the volumes, resources and Ingresses
 * of the workloads synthesized for it. Each check reads the profile here, so the workloads ask
 * instead of reading it.
 */

/** Problems of a target's own options: Gateway listener ports in range. */
export function targetOptionProblems(target: Target): Problem[] {
  return [...target._optionProblems(), ...optionValueProblems(target)];
}

function optionValueProblems(target: Target): Problem[] {
  return problems(
    ...Object.entries(target.props.gateway?.listenerPorts ?? {}).map(([scheme, port]) =>
      checkIntegerInRange(
        `target.gatewayListenerPorts.${scheme}`,
        port,
        1,
        65535,
        'use a port your Gateway implementation serves (Traefik: its entry points, 8000 and 8443 in its chart)',
      ),
    ),
  );
}

/**
 * What the target says about an Ingress: a host where the router needs one, a class where the
 * cluster has no controller, a class per scheme where the class fixes it, and a warning where
 * the controller is retired.
 */
export function ingressTargetProblems(
  target: Target,
  host: string | undefined,
  internal: boolean,
): { problems: Problem[]; warnings: Problem[] } {
  const ingress = target.props.ingress;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (ingress.hostRequired && !host) {
    problems.push(problem('ingress.host-required', 'expose.host', undefined, { target: target.id }));
  }
  if (ingress.className === undefined && ingress.classAnnotation === undefined) {
    problems.push(problem('ingress.no-class', 'expose', 'ingress', { target: target.id }));
  } else if (ingress.onRequestOnly) {
    problems.push(
      problem('ingress.support-ended', 'expose', `ingress (class ${ingress.className})`, {
        target: target.id,
        replacement: ingress.retiredInFavourOf ?? 'a route',
        className: ingress.className!,
      }),
    );
  } else if (ingress.retiredInFavourOf) {
    warnings.push(
      problem('ingress.retired-controller', 'expose', `ingress (class ${ingress.className})`, {
        target: target.id,
        replacement: ingress.retiredInFavourOf,
      }),
    );
  }
  if (ingress.controllerUnnamed) {
    warnings.push(
      problem(
        'ingress.controller-unnamed',
        'expose',
        `ingress (class ${ingress.classAnnotation ?? ingress.className})`,
        { target: target.id },
      ),
    );
  }
  if (internal && ingress.schemeFromClass && !ingress.internalClassName) {
    problems.push(problem('ingress.internal-needs-class', 'expose.internal', true, { target: target.id }));
  }
  return { problems, warnings };
}

/** What the target says about a workload's persistent volumes: RWX storage, a class where none is the default, a minimum size. */
export function storageTargetProblems(target: Target, volumes: Storage[]): Problem[] {
  const found: Problem[] = [];
  const storage = target.props.storage;
  volumes.forEach((volume, i) => {
    if (volume.kind !== StorageKind.PERSISTENT) return;
    const rwx = volume.accessMode === AccessMode.READ_WRITE_MANY;
    if (rwx && !volume.storageClass && !storage.readWriteManyClass) {
      found.push(
        problem('storage.no-read-write-many', `volumes[${i}].accessMode`, volume.accessMode, { target: target.id }),
      );
    }
    if (!rwx && storage.classRequired && !volume.storageClass && !storage.storageClass) {
      found.push(
        problem('storage.class-required', `volumes[${i}].storageClass`, undefined, {
          target: target.id,
          factory: target.id === 'kubeadm' ? 'kubeadm' : 'rke2',
        }),
      );
    }
    const minimum = rwx ? (storage.readWriteManyMinimumSize ?? storage.minimumSize) : storage.minimumSize;
    if (minimum && volume.size!.toMebibytes() < minimum.toMebibytes()) {
      found.push(
        problem('storage.below-minimum', `volumes[${i}].size`, volume.size, {
          target: target.id,
          minimum: minimum.asString(),
          gibibytes: minimum.toGibibytes({ rounding: 1 }),
        }),
      );
    }
  });
  return found;
}

/** What the target's resource rules (GKE Autopilot) say about one container's requests and limits. */
export function resourceRuleProblems(
  target: Target,
  prop: string,
  resources: Resources,
): { problems: Problem[]; warnings: Problem[] } {
  const rules = target.props.resourceRules;
  const found: Problem[] = [];
  const warnings: Problem[] = [];
  if (!rules) return { problems: found, warnings };
  const id = target.id;
  const cpuRequest = resources.cpu?.request ?? resources.cpu?.limit ?? DEFAULT_RESOURCES.cpu.request;
  const memoryRequest = resources.memory?.request ?? resources.memory?.limit ?? DEFAULT_RESOURCES.memory.request;
  const cpu = parseQuantity(cpuRequest);
  const memory = parseQuantity(memoryRequest);
  if (cpu === undefined || memory === undefined) return { problems: found, warnings };
  if (cpu * 1000 < rules.minCpuMillis) {
    found.push(
      problem('resources.cpu-below-minimum', `${prop}.cpu.request`, cpuRequest, {
        target: id,
        millis: rules.minCpuMillis,
      }),
    );
  }
  if (memory / 2 ** 20 < rules.minMemoryMebibytes) {
    found.push(
      problem('resources.memory-below-minimum', `${prop}.memory.request`, memoryRequest, {
        target: id,
        mebibytes: rules.minMemoryMebibytes,
      }),
    );
  }
  const perCpu = memory / 2 ** 30 / cpu;
  if (perCpu < rules.minMemoryPerCpuGibibytes || perCpu > rules.maxMemoryPerCpuGibibytes) {
    found.push(
      problem('resources.memory-per-cpu', prop, `cpu ${cpuRequest}, memory ${memoryRequest}`, {
        target: id,
        min: rules.minMemoryPerCpuGibibytes,
        max: rules.maxMemoryPerCpuGibibytes,
        cpu: cpuRequest,
        from: Math.ceil(cpu * rules.minMemoryPerCpuGibibytes * 1024),
        to: Math.floor(cpu * rules.maxMemoryPerCpuGibibytes * 1024),
      }),
    );
  }
  if (rules.limitsEqualRequests) {
    for (const key of ['cpu', 'memory', 'ephemeralStorage'] as const) {
      const given = resources[key];
      if (given?.limit !== undefined && given.request !== undefined && given.limit !== given.request) {
        warnings.push(problem('resources.limit-forced', `${prop}.${key}.limit`, given.limit, { target: id }));
      }
    }
  }
  return { problems: found, warnings };
}
