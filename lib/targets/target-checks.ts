import { checkIntegerInRange, parseQuantity, problems } from '../checks';
import { DEFAULT_RESOURCES } from '../defaults';
import { Problem } from '../errors';
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
    problems.push({
      prop: 'expose.host',
      received: undefined,
      allowed: `a host name on target "${target.id}" (its router needs one)`,
      hint: 'pass Exposure.ingress({ host: "shop.apps.example.com" })',
    });
  }
  if (ingress.className === undefined && ingress.classAnnotation === undefined) {
    problems.push({
      prop: 'expose',
      received: 'ingress',
      allowed: `an Ingress class on target "${target.id}" (it has no ingress controller out of the box)`,
      hint: 'name the controller you installed with the Target option ingressClass, or expose with Exposure.route() and the option gatewayClass',
    });
  } else if (ingress.retiredInFavourOf) {
    warnings.push({
      prop: 'expose',
      received: `ingress (class ${ingress.className})`,
      allowed: `an Ingress through a supported controller on target "${target.id}" (this one is retired or losing support)`,
      hint: `move to ${ingress.retiredInFavourOf}`,
    });
  }
  if (ingress.controllerUnnamed) {
    warnings.push({
      prop: 'expose',
      received: `ingress (class ${ingress.classAnnotation ?? ingress.className})`,
      allowed: `a controller whose namespace NetworkPolicies admit on target "${target.id}"`,
      hint: "the port is open to any source in the cluster until you name the controller's namespace with the Target option ingressControllerNamespace",
    });
  }
  if (internal && ingress.schemeFromClass && !ingress.internalClassName) {
    problems.push({
      prop: 'expose.internal',
      received: true,
      allowed: `an internal Ingress class on target "${target.id}" (its IngressClassParams scheme overrides the annotation, so the Ingress would come out internet-facing)`,
      hint: 'create an IngressClass whose IngressClassParams say scheme: internal and name it with the Target option internalIngressClass, or drop internal',
    });
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
      found.push({
        prop: `volumes[${i}].accessMode`,
        received: volume.accessMode,
        allowed: `ReadWriteOnce or ReadWriteOncePod on target "${target.id}" (it has no ReadWriteMany storage)`,
        hint: 'use ReadWriteOnce with one replica, or pass storageClass / a Target option readWriteManyClass naming a RWX class',
      });
    }
    if (!rwx && storage.classRequired && !volume.storageClass && !storage.storageClass) {
      found.push({
        prop: `volumes[${i}].storageClass`,
        received: undefined,
        allowed: `a StorageClass on target "${target.id}" (it has no default class, so the claim would stay Pending)`,
        hint: `pass storageClass to Storage.persistent(), or the Target option storageClass (e.g. Target.${target.id === 'kubeadm' ? 'kubeadm' : 'rke2'}({ storageClass: 'local-path' }))`,
      });
    }
    const minimum = rwx ? (storage.readWriteManyMinimumSize ?? storage.minimumSize) : storage.minimumSize;
    if (minimum && volume.size!.toMebibytes() < minimum.toMebibytes()) {
      found.push({
        prop: `volumes[${i}].size`,
        received: volume.size,
        allowed: `at least ${minimum.asString()} on target "${target.id}"`,
        hint: `the storage backend of ${target.id} provisions no smaller volume: ask for Size.gibibytes(${minimum.toGibibytes({ rounding: 1 })})`,
      });
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
    found.push({
      prop: `${prop}.cpu.request`,
      received: cpuRequest,
      allowed: `at least ${rules.minCpuMillis}m on target "${id}"`,
      hint: `Autopilot would silently raise it; request "${rules.minCpuMillis}m" so the manifest says what you get`,
    });
  }
  if (memory / 2 ** 20 < rules.minMemoryMebibytes) {
    found.push({
      prop: `${prop}.memory.request`,
      received: memoryRequest,
      allowed: `at least ${rules.minMemoryMebibytes}Mi on target "${id}"`,
      hint: `request "${rules.minMemoryMebibytes}Mi" or more`,
    });
  }
  const perCpu = memory / 2 ** 30 / cpu;
  if (perCpu < rules.minMemoryPerCpuGibibytes || perCpu > rules.maxMemoryPerCpuGibibytes) {
    found.push({
      prop,
      received: `cpu ${cpuRequest}, memory ${memoryRequest}`,
      allowed: `between ${rules.minMemoryPerCpuGibibytes} and ${rules.maxMemoryPerCpuGibibytes} GiB of memory per vCPU on target "${id}"`,
      hint: `for cpu ${cpuRequest} request memory between ${Math.ceil(cpu * rules.minMemoryPerCpuGibibytes * 1024)}Mi and ${Math.floor(cpu * rules.maxMemoryPerCpuGibibytes * 1024)}Mi`,
    });
  }
  if (rules.limitsEqualRequests) {
    for (const key of ['cpu', 'memory', 'ephemeralStorage'] as const) {
      const given = resources[key];
      if (given?.limit !== undefined && given.request !== undefined && given.limit !== given.request) {
        warnings.push({
          prop: `${prop}.${key}.limit`,
          received: given.limit,
          allowed: `limits equal to requests on target "${id}"`,
          hint: 'the limit is set to the request here',
        });
      }
    }
  }
  return { problems: found, warnings };
}
