import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { findSystem, GraphEdge, GraphNode, ISystem, IWorkloadNode, WORKLOAD_MARKER } from '../contracts';
import type { PodPeer } from '../pod/pods';
import { checkEntry, checkShape, Shape, sortedRecord } from '../checks';
import { addChecks, atPath, Findings, formatProblem, MsaConfigError, Problem } from '../errors';
import { problem } from '../messages';
import { LABEL, MANAGED_BY, selectorLabels, versionLabelValue } from '../labels';
import { DependencyKind, IDependency, ResolvedEdge } from '../network/dependency';
import { DependencyGraph, edgeEgressRule, edgeEnv } from '../network/edges';
import { Direction, WorkloadPolicy } from '../network/policy';
import { identityEgressRules } from '../network/traffic';
import { Json, later, newApiObject, ObjectMeta } from '../objects/api-object';
import {
  ContainerModel,
  ContainerProps,
  ContainerRole,
  imageVersion,
  renderContainer,
  NamedPort,
} from '../pod/container';
import { EnvVar } from '../pod/env';
import { podSelectorConfig } from '../pod/kplus';
import { podSecurityContext } from '../pod/security';
import { Storage, StorageKind } from '../pod/storage';
import { identityAnnotations, identityPodLabels, nodeSelector, storageClassFor } from '../targets/rendering';
import { TMP_VOLUME, TMP_VOLUME_SIZE } from '../defaults';
import { configChecksum } from './config-checksum';
import { containerProblems, duplicateVolumeProblem, workloadPropsProblems } from './workload-checks';
import { targetFindings } from './workload-synth-checks';
import { CONTAINER_SHAPE, DEPENDENCY_SHAPE, ENV_VAR_SHAPE, STORAGE_SHAPE, withCheckedTypes } from './prop-types';
import { WorkloadProps } from './workload-props';

/**
 * `id`, or where a sibling has it already, a free variant (`api~2`): constructs would throw at
 * once, and the duplicate is reported at synth with every other problem instead.
 */
function freeId(scope: Construct, id: string): string {
  let free = id;
  for (let n = 2; scope.node.tryFindChild(free) !== undefined; n++) free = `${id}~${n}`;
  return free;
}

/**
 * What a Microservice, Job and CronJob share: a model of the pod (the main container, init
 * containers, sidecars, env, volumes, dependencies) that the workload kinds render lazily, at
 * synth, so everything added after construction (`addSidecar`, `addInitContainer`, `addEnv`,
 * `addVolume`, `addDependency`) is in the output. It owns the ServiceAccount, the volume objects
 * and the NetworkPolicy that allows exactly its declared edges.
 */
export abstract class Workload
  extends Construct
  implements IWorkloadNode, kplus.IPodSelector, kplus.INetworkPolicyPeer
{
  /** Name of the workload (object names, and a service's DNS name). */
  public readonly serviceName: string;
  /** The system that owns it. */
  public readonly system: ISystem;
  /** Labels that select its pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** Its pods, as NetworkPolicy rules name them. */
  public readonly pods: PodPeer;
  /** `app.kubernetes.io/component`. */
  public readonly component: string;
  /** The ServiceAccount the pods run as (token automount off). */
  public readonly serviceAccount: ApiObject;
  /** PersistentVolumeClaims by volume name (a StatefulSet has claim templates instead). */
  public readonly persistentVolumeClaims: { [volume: string]: ApiObject } = {};
  /** ConfigMaps of config volumes, by volume name. */
  public readonly configMaps: { [volume: string]: ApiObject } = {};
  /** The NetworkPolicy allowing exactly this workload's declared edges. */
  public readonly networkPolicy: ApiObject;

  /** The props it was created with. */
  protected readonly props: WorkloadProps;
  /** Labels of every object of the workload. */
  protected readonly labels: { [key: string]: string };
  /** The rules of its NetworkPolicy, rendered at synth. @jsii ignore */
  protected readonly policy = new WorkloadPolicy();
  private readonly volumeList: Storage[] = [];
  private readonly env: { [name: string]: EnvVar };
  private readonly initContainers: ContainerProps[] = [];
  private readonly sidecars: ContainerProps[] = [];
  private readonly problems: Problem[];
  private readonly unknownProps: Problem[];
  private readonly wronglyTyped: Set<string>;

  constructor(scope: Construct, id: string, unchecked: WorkloadProps, defaultComponent: string) {
    super(scope, freeId(scope, typeof id === 'string' ? id : String(id)));
    const checked = withCheckedTypes(unchecked);
    const props = checked.props;
    const typeProblems = [...checkShape('id', id, 'a string'), ...checked.problems];
    Object.defineProperty(this, WORKLOAD_MARKER, { value: true });
    const system = findSystem(scope);
    if (!system) {
      throw new MsaConfigError([
        atPath(this, formatProblem(problem('workload.outside-system', 'scope', scope.node.path || 'the app'))),
      ]);
    }
    this.system = system;
    this.props = props;
    this.serviceName = props.name ?? id;
    this.component = props.component ?? defaultComponent;
    this.env = { ...(props.env ?? {}) };
    this.problems = [...typeProblems, ...workloadPropsProblems(system.systemName, this.serviceName, props)];
    this.unknownProps = checked.unknown;
    if (this.node.id !== id) {
      this.problems.push(problem('workload.duplicate-id', 'id', id, { scope: scope.node.path }));
    }
    this.wronglyTyped = new Set(typeProblems.map((p) => p.prop));
    this.selectorLabels = selectorLabels(system.systemName, this.serviceName);
    this.pods = { selectorLabels: this.selectorLabels, namespace: system.namespace };
    this.labels = {
      ...props.labels,
      ...this.selectorLabels,
      [LABEL.VERSION]: props.version ?? versionLabelValue(imageVersion(props.image)),
      [LABEL.COMPONENT]: this.component,
      [LABEL.PART_OF]: system.systemName,
      [LABEL.MANAGED_BY]: MANAGED_BY,
    };

    this.serviceAccount = newApiObject(
      this,
      'ServiceAccount',
      { apiVersion: 'v1', kind: 'ServiceAccount' },
      this.metadata(this.serviceName, identityAnnotations(system.target, props.identity)),
      { automountServiceAccountToken: false },
    );
    for (const volume of props.volumes ?? []) this.addVolume(volume);
    (props.initContainers ?? []).forEach((c) => this.addInitContainer(c));
    (props.sidecars ?? []).forEach((c) => this.addSidecar(c));
    // Egress: the declared edges, then the node-local endpoint handing out cloud credentials.
    this.policy.allow(Direction.EGRESS, () =>
      this.edges.flatMap((edge) => edgeEgressRule(edge, this.system.namespace)),
    );
    for (const rule of identityEgressRules(system.target, props.identity)) this.policy.allow(Direction.EGRESS, rule);
    this.networkPolicy = newApiObject(
      this,
      'NetworkPolicy',
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
      this.metadata(this.serviceName),
      {
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Ingress', 'Egress'],
          ingress: later(() => this.policy.render(Direction.INGRESS)),
          egress: later(() => this.policy.render(Direction.EGRESS)),
        },
      },
    );
    addChecks(this, () => this.checks());
  }

  /** Adds a native sidecar: it starts before the main container and runs as long as the pod. */
  public addSidecar(sidecar: ContainerProps): void {
    if (this.wrongEntry(`sidecars[${this.sidecars.length}]`, sidecar, CONTAINER_SHAPE)) return;
    this.problems.push(...containerProblems(`sidecars[${this.sidecars.length}]`, sidecar, true));
    this.sidecars.push(sidecar);
  }

  /** Adds an init container: it runs to completion, after the ones added before, before the others start. */
  public addInitContainer(container: ContainerProps): void {
    if (this.wrongEntry(`initContainers[${this.initContainers.length}]`, container, CONTAINER_SHAPE)) return;
    this.problems.push(...containerProblems(`initContainers[${this.initContainers.length}]`, container, false));
    this.initContainers.push(container);
  }

  /** Adds an env var to the main container. */
  public addEnv(name: string, value: EnvVar): void {
    if (this.wrongEntry('addEnv(name)', name, 'a string') || this.wrongEntry(`env.${name}`, value, ENV_VAR_SHAPE))
      return;
    if (name in this.env) this.problems.push(problem('env.set-twice', `env.${name}`, name));
    this.env[name] = value;
  }

  /** Adds a volume to the pod, mounted into the main container at its mountPath. */
  public addVolume(volume: Storage): void {
    if (this.wrongEntry(`volumes[${this.volumeList.length}]`, volume, STORAGE_SHAPE)) return;
    if (volume.name === TMP_VOLUME || this.volumeList.some((v) => v.name === volume.name)) {
      // Reported at synth; creating its objects would clash with the first volume's.
      this.problems.push(duplicateVolumeProblem(this.volumeList.length, volume.name));
      return;
    }
    this.volumeList.push(volume);
    const name = `${this.serviceName}-${volume.name}`;
    if (volume.kind === StorageKind.PERSISTENT && this.claimsPerPod() === false) {
      this.persistentVolumeClaims[volume.name] = newApiObject(
        this,
        `Volume-${volume.name}`,
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
        this.metadata(name),
        { spec: this.claimSpec(volume) },
      );
      this.system.useStorageClass();
    } else if (volume.kind === StorageKind.PERSISTENT) {
      this.system.useStorageClass();
    } else if (volume.kind === StorageKind.CONFIG) {
      this.configMaps[volume.name] = newApiObject(
        this,
        `Config-${volume.name}`,
        { apiVersion: 'v1', kind: 'ConfigMap' },
        this.metadata(name),
        { data: sortedRecord(volume.files ?? {}) },
      );
    }
  }

  /**
   * Declares that this workload calls `dependency`: wires env vars into every container and allows
   * the network edge at both ends. The provider may be declared before or after.
   */
  public addDependency(dependency: IDependency): void {
    if (this.wrongEntry('addDependency(dependency)', dependency, DEPENDENCY_SHAPE)) return;
    DependencyGraph.of(this).declare(this, this.system, dependency.toDependency());
  }

  /** Records the problems of a value handed to an `add*` method; true when it must not be used. */
  private wrongEntry(prop: string, value: unknown, shape: Shape): boolean {
    const found = checkEntry(prop, value, shape);
    this.problems.push(...found);
    return found.length > 0;
  }

  /** The dependencies declared so far, with the providers and ports they resolve to now. */
  public get edges(): ResolvedEdge[] {
    return DependencyGraph.of(this).edgesFrom(this);
  }

  /** Whether any workload depends on this one. */
  public get hasConsumers(): boolean {
    return DependencyGraph.of(this).consumersOf(this).length > 0;
  }

  /**
   * Its pods as a cdk8s-plus pod selector, so cdk8s-plus constructs can name this workload: a
   * `NetworkPolicy` peer or selector, `connections.allowFrom(service)` of a cdk8s-plus workload.
   */
  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return podSelectorConfig(this.pods);
  }

  /** Its pods as a cdk8s-plus NetworkPolicy peer. */
  public toNetworkPolicyPeerConfig(): kplus.NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** Itself: a workload is the pod selector cdk8s-plus asks a peer for. */
  public toPodSelector(): kplus.IPodSelector | undefined {
    return this;
  }

  /** The volumes of the pod. */
  public get volumes(): Storage[] {
    return [...this.volumeList];
  }

  /** Whether `prop` had the wrong JavaScript type (already reported; later checks skip it). */
  protected hasWrongType(prop: string): boolean {
    return this.wronglyTyped.has(prop);
  }

  /** The workload as the system diagram draws it. */
  public abstract graphNode(): GraphNode;

  /** Whether persistent volumes become per-pod claim templates (StatefulSet) instead of PVCs. */
  protected abstract claimsPerPod(): boolean;

  /** What its checks find at synth: the props-only problems and those needing the target and the app. */
  protected checks(): Findings {
    const found = targetFindings({
      scope: this,
      system: this.system,
      props: this.props,
      containers: this.allContainers(),
      volumes: this.volumeList,
      edges: this.edges,
      dependencyEnv: this.dependencyEnv().map((e) => e.name),
    });
    return { problems: [...this.problems, ...found.problems], warnings: [...this.unknownProps, ...found.warnings] };
  }

  /** Metadata of one of the workload's objects. @jsii ignore */
  protected metadata(name: string, annotations: { [key: string]: string } = {}): ObjectMeta {
    return { name, labels: this.labels, annotations: { ...this.props.annotations, ...annotations } };
  }

  /** The spec of the claim a persistent volume gets. @jsii ignore */
  protected claimSpec(volume: Storage): Json {
    return {
      accessModes: [volume.accessMode],
      storageClassName: volume.storageClass ?? storageClassFor(this.system.target, volume.accessMode!),
      resources: { requests: { storage: volume.size?.asString() } },
    };
  }

  /** The main container's model; kinds add probes and lifecycle. */
  protected mainContainer(): ContainerModel {
    const props = this.props;
    return {
      role: ContainerRole.MAIN,
      props: {
        name: this.serviceName,
        image: props.image,
        command: props.command,
        args: props.args,
        env: this.env,
        envFrom: props.envFrom,
        resources: props.resources,
        security: props.security,
      },
      mounts: this.volumeList.map((v) => ({
        name: v.name,
        mountPath: v.mountPath,
        ...(v.readOnly ? { readOnly: true } : {}),
      })),
    };
  }

  /** Every container's props, main first, for checks. */
  private allContainers(): Array<{ prop: string; props: ContainerProps }> {
    return [
      { prop: '', props: this.mainContainer().props },
      ...this.initContainers.map((props, i) => ({ prop: `initContainers[${i}]`, props })),
      ...this.sidecars.map((props, i) => ({ prop: `sidecars[${i}]`, props })),
    ];
  }

  /** Ports of the sidecars, which join the main container's in the Service. */
  protected sidecarPorts(): NamedPort[] {
    return this.sidecars.flatMap((s) => s.ports ?? []);
  }

  /** The pod template, rendered from the model. @jsii ignore */
  protected podTemplate(main: ContainerModel, pod: Json, extraPodLabels: { [key: string]: string } = {}): Json {
    const props = this.props;
    const target = this.system.target;
    const facts = {
      local: target.local,
      fixedUserIds: target.fixedUserIds,
      limitsEqualRequests: target.limitsEqualRequests,
    };
    const security = props.security ?? {};
    const dependencyEnv = this.dependencyEnv();
    const render = (model: ContainerModel) => renderContainer(model, facts, security, dependencyEnv);
    const side = (props: ContainerProps, role: ContainerRole): ContainerModel => ({
      props,
      role,
      readiness: props.healthCheck,
      startup: (props.liveness ?? props.healthCheck)?._asStartup(),
      mounts: (props.volumeMounts ?? []).map((m) => {
        const volume = this.volumeList.find((v) => v.name === m.volume);
        const readOnly = m.readOnly ?? volume?.readOnly ?? false;
        return {
          name: m.volume,
          mountPath: m.mountPath ?? volume?.mountPath ?? '',
          ...(readOnly ? { readOnly: true } : {}),
        };
      }),
    });
    // Native sidecars start first, so a proxy is up before the app or a migration needs it.
    const initContainers = [
      ...this.sidecars.map((s) => side(s, ContainerRole.SIDECAR)),
      ...this.initContainers.map((c) => side(c, ContainerRole.INIT)),
    ].map(render);
    const pullSecrets = [...new Set([...this.system.imagePullSecrets, ...(props.imagePullSecrets ?? [])])];
    const checksum = configChecksum(
      this.system,
      this.system.namespace,
      this.volumeList,
      this.allContainers().map((c) => c.props),
    );
    const annotations = { ...props.podAnnotations, ...(checksum ? { 'cdk8s-msa.io/config-checksum': checksum } : {}) };
    return {
      metadata: {
        labels: { ...this.labels, ...identityPodLabels(target, props.identity), ...extraPodLabels },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        serviceAccountName: this.serviceName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: podSecurityContext(security, target.fixedUserIds),
        nodeSelector: nodeSelector(target, props.nodeSelector ?? {}),
        ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
        ...(props.tolerations && props.tolerations.length > 0
          ? { tolerations: props.tolerations.map((t) => ({ ...t })) }
          : {}),
        ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
        ...(props.userNamespace ? { hostUsers: false } : {}),
        ...(props.terminationGracePeriod
          ? { terminationGracePeriodSeconds: props.terminationGracePeriod.toSeconds() }
          : {}),
        ...(initContainers.length > 0 ? { initContainers } : {}),
        containers: [render(main)],
        volumes: [
          { name: TMP_VOLUME, emptyDir: { sizeLimit: TMP_VOLUME_SIZE } },
          ...this.volumeList.flatMap((v) => v._toPodVolumes(`${this.serviceName}-${v.name}`, this.claimsPerPod())),
        ],
        ...pod,
      },
    };
  }

  /** The workload's dependency edges as the diagram draws them. */
  protected graphEdges(): GraphEdge[] {
    return this.edges.flatMap((edge): GraphEdge[] => {
      const dep = edge.dependency;
      if (dep.kind === DependencyKind.EXTERNAL)
        return [{ to: dep.name, label: String(dep.portNumber), externalHost: dep.host }];
      if (!edge.provider || !edge.port) return [];
      return [
        {
          to: edge.provider.serviceName,
          namespace: edge.provider.pods.namespace,
          label: `${edge.port.name} ${edge.port.port}`,
        },
      ];
    });
  }

  /** The env vars its dependencies give every container, in the order they were declared. */
  private dependencyEnv(): Array<{ name: string; value: string }> {
    return this.edges.flatMap(edgeEnv);
  }
}
