import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkLabelMap,
  checkNamespaceNotReserved,
  problems,
  withoutWrongValues,
} from './checks';
import { IEndpoint, isSystem, isWorkload, ISystem, IWorkloadNode, SYSTEM_MARKER } from './contracts';
import { renderDiagram } from './diagram';
import { addChecks, Findings, Problem } from './errors';
import { problem } from './messages';
import { LABEL, MANAGED_BY } from './labels';
import { dnsEgressRules, isolatedPodSelector } from './network/system-policy';
import { clusterScoped, later, newApiObject } from './objects/api-object';
import { ExternalSecret, ExternalSecretProps } from './objects/external-secret';
import { SystemGateway } from './objects/route';
import { PodSecurityLevel } from './pod/pod-security';
import { targetOptionProblems } from './targets/target-checks';
import { Target } from './targets/target';
import { SYSTEM_PROPS } from './system-shape';
import { CronJob, CronJobProps, Job, JobProps } from './workloads/job';
import { Microservice } from './workloads/microservice';
import { MicroserviceProps } from './workloads/microservice-props';
import { routeClaimProblems } from './workloads/route-claims';
import { ScaledJob, ScaledJobProps } from './workloads/scaled-job';

/** Props of a microservice system. */
export interface MicroserviceSystemProps {
  /** Namespace the system owns; created with Pod Security labels. @default - the construct id */
  readonly namespace?: string;
  /** Name of the system (`app.kubernetes.io/part-of`, output file name). @default - the construct id */
  readonly name?: string;
  /** Cluster flavour to synthesize for. @default Target.dockerDesktop() */
  readonly target?: Target;
  /** Pod Security level the namespace enforces, warns and audits. @default PodSecurityLevel.RESTRICTED */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Whether the output creates the namespace: a Namespace object with the Pod Security labels.
   * Set false where the platform creates namespaces and deployers may not, such as an OpenShift
   * project made with `oc new-project` by a user without cluster-admin rights: the deploy
   * command then requires the namespace to exist, and its Pod Security level is the platform's.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Secrets provisioned outside the manifests (External Secrets, Sealed Secrets, `kubectl create
   * secret`) that workloads may reference; a reference to any other Secret is an error. @default - none
   */
  readonly secrets?: string[];
  /**
   * Image pull Secrets (type `kubernetes.io/dockerconfigjson`, provisioned outside the manifests)
   * every workload's pods use, e.g. for ghcr.io. They count as listed in `secrets`. @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * ConfigMaps provisioned outside this app (by the platform or another tool) that workloads
   * reference by name; a reference to any other ConfigMap this app does not write into the
   * namespace is an error (the pod would wait in CreateContainerConfigError). @default - none
   */
  readonly configMaps?: string[];
  /** Labels added to every object of the system (the cdk8s Chart's labels). @default - none */
  readonly labels?: { [key: string]: string };
}

/**
 * A microservice architecture in one namespace: the Namespace (with Pod Security labels), a
 * default-deny NetworkPolicy with DNS egress, the StorageClass the target needs, and the
 * workloads (microservices, Jobs, CronJobs) created anywhere below it. Synthesizes to one
 * manifest file and one Mermaid diagram.
 */
export class MicroserviceSystem extends Chart implements ISystem {
  /** Whether `x` is a MicroserviceSystem, also one from another copy of this package. */
  public static isMicroserviceSystem(x: unknown): x is MicroserviceSystem {
    return isSystem(x);
  }

  /**
   * The system `scope` belongs to; throws outside any system. TypeScript only: jsii forbids a
   * static that narrows `Chart.of`'s return type.
   * @jsii ignore
   */
  public static of(scope: IConstruct): MicroserviceSystem {
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      if (MicroserviceSystem.isMicroserviceSystem(s)) return s;
    }
    throw new Error(`${scope.node.path} is not inside a MicroserviceSystem`);
  }

  /** Name of the system. */
  public readonly systemName: string;
  /**
   * Namespace of the system. Hidden from jsii, which forbids making `Chart#namespace` required:
   * other languages read the Chart's, the same value.
   * @jsii ignore
   */
  public readonly namespace: string;
  /** Target profile. */
  public readonly target: Target;
  /** Pod Security level of the namespace. */
  public readonly podSecurity: PodSecurityLevel;
  /** Externally provisioned Secrets workloads may reference. */
  public readonly secrets: string[];
  /** Image pull Secrets every workload uses. */
  public readonly imagePullSecrets: string[];
  /** Externally provisioned ConfigMaps workloads may reference by name. */
  public readonly configMaps: string[];
  /** The Namespace object; undefined with `createNamespace: false`. */
  public readonly namespaceObject?: ApiObject;
  /** Denies all ingress and egress in the namespace unless another policy allows it. */
  public readonly defaultDenyPolicy: ApiObject;
  /** Allows every pod of the namespace to reach cluster DNS. */
  public readonly dnsPolicy: ApiObject;
  /**
   * The StorageClass the target needs created, once a workload has a persistent volume; undefined
   * where another system of the app writes it (one per app: it is cluster-scoped).
   */
  public storageClass?: ApiObject;

  private readonly systemLabels: { [key: string]: string };
  private readonly propsProblems: Problem[];
  private readonly propsWarnings: Problem[];

  constructor(scope: Construct, id: string, unchecked: MicroserviceSystemProps = {}) {
    // Wrongly typed props (from JavaScript) are left out and reported at synth.
    const { props, problems: typeProblems, unknown } = withoutWrongValues(unchecked, SYSTEM_PROPS);
    const namespace = props.namespace ?? id;
    super(scope, id, { namespace, disableResourceNameHashes: true, labels: props.labels });
    Object.defineProperty(this, SYSTEM_MARKER, { value: true });
    this.systemName = props.name ?? id;
    this.namespace = namespace;
    this.target = props.target ?? Target.dockerDesktop();
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.imagePullSecrets = [...(props.imagePullSecrets ?? [])];
    this.secrets = [...(props.secrets ?? [])];
    this.configMaps = [...(props.configMaps ?? [])];
    this.propsProblems = problems(
      checkDnsLabel('namespace', namespace) ?? checkNamespaceNotReserved('namespace', namespace),
      checkDnsLabel(props.name === undefined ? 'id' : 'name', this.systemName),
      ...this.secrets.map((s, i) => checkDnsSubdomain(`secrets[${i}]`, s)),
      ...this.configMaps.map((c, i) => checkDnsSubdomain(`configMaps[${i}]`, c)),
      ...this.imagePullSecrets.map((s, i) => checkDnsSubdomain(`imagePullSecrets[${i}]`, s)),
    );
    this.propsProblems.unshift(...typeProblems);
    this.propsWarnings = [...unknown, ...this.target._optionWarnings()];
    this.propsProblems.push(...checkLabelMap('labels', props.labels));
    this.propsProblems.push(...targetOptionProblems(this.target));

    this.systemLabels = { [LABEL.PART_OF]: this.systemName, [LABEL.MANAGED_BY]: MANAGED_BY };
    const labels = this.systemLabels;
    if (props.createNamespace !== false) {
      this.namespaceObject = clusterScoped(
        newApiObject(
          this,
          'Namespace',
          { apiVersion: 'v1', kind: 'Namespace' },
          {
            name: namespace,
            labels: {
              ...labels,
              'pod-security.kubernetes.io/enforce': this.podSecurity,
              'pod-security.kubernetes.io/warn': this.podSecurity,
              'pod-security.kubernetes.io/audit': this.podSecurity,
            },
          },
          {},
        ),
      );
    }
    const isolated = later(() => isolatedPodSelector(this.target, SystemGateway.declaredBy(this)));
    this.defaultDenyPolicy = newApiObject(
      this,
      'DefaultDeny',
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
      { name: 'default-deny', labels },
      { spec: { podSelector: isolated, policyTypes: ['Ingress', 'Egress'] } },
    );
    this.dnsPolicy = newApiObject(
      this,
      'AllowDns',
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
      { name: 'allow-dns', labels },
      { spec: { podSelector: isolated, policyTypes: ['Egress'], egress: dnsEgressRules(this.target.clusterDns) } },
    );
    addChecks(this, () => this.checks());
  }

  /** Adds a long-running microservice (a Deployment, or a StatefulSet) to the system. */
  public addService(id: string, props: MicroserviceProps): Microservice {
    return new Microservice(this, id, props);
  }

  /** Adds a Job: one-off work run to completion, such as a migration. */
  public addJob(id: string, props: JobProps): Job {
    return new Job(this, id, props);
  }

  /** Adds a CronJob: a Job run on a schedule. */
  public addCronJob(id: string, props: CronJobProps): CronJob {
    return new CronJob(this, id, props);
  }

  /** Adds a ScaledJob: batch work KEDA starts as Jobs while events wait in a queue. */
  public addScaledJob(id: string, props: ScaledJobProps): ScaledJob {
    return new ScaledJob(this, id, props);
  }

  /**
   * Adds an ExternalSecret: the External Secrets Operator writes Secret `name` (default: `id`)
   * from the platform's secret store, and workloads read it by that name.
   */
  public addExternalSecret(id: string, props: ExternalSecretProps): ExternalSecret {
    return new ExternalSecret(this, id, props);
  }

  /** The microservices of the system, in the order they were created, wherever they sit below it. */
  public get services(): Microservice[] {
    return this.workloads.filter((w): w is Microservice => w instanceof Microservice);
  }

  /** Every workload of the system: microservices, Jobs and CronJobs. */
  public get workloads(): IWorkloadNode[] {
    return this.node
      .findAll()
      .filter(isWorkload)
      .filter((w) => MicroserviceSystem.of(w) === this);
  }

  /** Names of the microservices, each once. */
  public serviceNames(): string[] {
    return [...new Set(this.services.map((s) => s.serviceName))];
  }

  /** Whether a system of this app owns `namespace`. */
  public ownsNamespace(namespace: string): boolean {
    return allSystems(this).some((s) => s.namespace === namespace);
  }

  /** Namespaces owned by the systems of this app. */
  public knownNamespaces(): string[] {
    return allSystems(this).map((s) => s.namespace);
  }

  /** Service `name` of the system of this app owning `namespace`. */
  public findEndpoint(namespace: string, name: string): IEndpoint | undefined {
    return allSystems(this)
      .find((s) => s.namespace === namespace)
      ?.services.find((s) => s.serviceName === name);
  }

  /** A Mermaid flowchart of the workloads, their exposure, volumes and dependency edges. */
  public toMermaid(): string {
    return renderDiagram({
      namespace: this.namespace,
      targetId: this.target.id,
      nodes: this.workloads.map((w) => w.graphNode()),
    });
  }

  /**
   * Creates the StorageClass the target provisions, once per app: a cluster-scoped object that two
   * systems emitting with their own labels would each rewrite on deploy, so the first system that
   * needs it writes it and the others rely on it.
   */
  public useStorageClass(): void {
    const storage = this.target.provisionedStorageClass;
    if (this.storageClass || !storage) return;
    if (allSystems(this).some((s) => s !== this && s.storageClass && s.storageClass.name === storage.name)) return;
    this.storageClass = clusterScoped(
      newApiObject(
        this,
        'StorageClass',
        { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' },
        { name: storage.name, labels: this.systemLabels },
        {
          provisioner: storage.provisioner,
          parameters: storage.parameters,
          volumeBindingMode: 'WaitForFirstConsumer',
          allowVolumeExpansion: true,
          reclaimPolicy: 'Retain',
          ...(storage.allowedTopologies
            ? {
                allowedTopologies: [
                  {
                    matchLabelExpressions: Object.entries(storage.allowedTopologies).map(([key, values]) => ({
                      key,
                      values,
                    })),
                  },
                ],
              }
            : {}),
        },
      ),
    );
  }

  private checks(): Findings {
    const found: Problem[] = [...this.propsProblems];
    const warnings: Problem[] = [...this.propsWarnings];
    const systems = allSystems(this);
    const workloads = this.workloads;
    const services = workloads.filter((w): w is Microservice => w instanceof Microservice);
    const others = systems.filter((s) => s !== this && s.namespace === this.namespace);
    if (others.length > 0) {
      found.push(
        problem('system.shared-namespace', 'namespace', this.namespace, { others: others.map((o) => o.node.path) }),
      );
    }
    const sameName = systems.filter((s) => s !== this && s.systemName === this.systemName);
    if (sameName.length > 0) {
      found.push(
        problem('system.duplicate-name', 'name', this.systemName, { others: sameName.map((o) => o.node.path) }),
      );
    }
    const seen = new Map<string, IWorkloadNode>();
    const sharingName = new Set<IConstruct>();
    for (const workload of workloads) {
      const first = seen.get(workload.serviceName);
      if (first) {
        found.push(
          problem('system.duplicate-workload', 'services', workload.serviceName, {
            first: first.node.path,
            second: workload.node.path,
          }),
        );
        sharingName.add(workload);
      }
      seen.set(workload.serviceName, workload);
    }
    const mine = new Set(services.map((s) => s.node.path));
    for (const { owner, problem } of routeClaimProblems(systems.flatMap((s) => (s === this ? services : s.services)))) {
      if (mine.has(owner))
        found.push({ ...problem, prop: `${owner.slice(this.node.path.length + 1)}.${problem.prop}` });
    }
    const objects = this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const byName = new Map<string, ApiObject>();
    // The objects of a workload sharing another's name clash by construction: reported once, above.
    const reported = new Set(workloads.filter((w) => sharingName.has(w)).flatMap((w) => w.node.findAll()));
    for (const object of objects.filter((o) => !reported.has(o))) {
      // Two objects of one kind and name: the second apply silently replaces the first.
      const key = `${object.apiGroup}/${object.kind}/${object.name}`;
      const first = byName.get(key);
      if (first)
        found.push(
          problem(
            'system.duplicate-object',
            object.node.path.slice(this.node.path.length + 1),
            `${object.kind} ${object.name}`,
            {
              first: first.node.path,
            },
          ),
        );
      else byName.set(key, object);
    }
    const ours = new Set(workloads.flatMap((w) => w.node.findAll()));
    for (const object of objects.filter((c) => POD_KINDS.includes(c.kind) && !ours.has(c))) {
      warnings.push({ ...problem('system.foreign-pods', 'kind', object.kind), at: object });
    }
    return { problems: found, warnings };
  }
}

/** Kinds that run pods. */
const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

/** Every MicroserviceSystem of the app `scope` belongs to. */
function allSystems(scope: IConstruct): MicroserviceSystem[] {
  return scope.node.root.node.findAll().filter(MicroserviceSystem.isMicroserviceSystem);
}
