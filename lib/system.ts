import { Chart, JsonPatch } from 'cdk8s';
import { k8s } from './k8s';
import { Construct } from 'constructs';
import { checkDnsLabel, problems } from './checks';
import { renderDiagram } from './diagram';
import { addWarning, formatProblem, Problem, throwIfProblems } from './errors';
import { ExposureKind } from './exposure';
import { LABEL, MANAGED_BY } from './labels';
import { Microservice, MicroserviceProps } from './microservice';
import { dnsEgressRule } from './network';
import { PodSecurityLevel } from './pod-security';
import { Target } from './targets/target';

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
   * Secrets provisioned outside the manifests (External Secrets, Sealed Secrets, `kubectl create
   * secret`) that services may reference; a reference to any other Secret is an error. @default - none
   */
  readonly secrets?: string[];
}

/**
 * A microservice architecture in one namespace: the Namespace (with Pod Security labels), a
 * default-deny NetworkPolicy with DNS egress, the StorageClass the target needs, and the
 * microservices. Synthesizes to one manifest file and one Mermaid diagram.
 */
export class MicroserviceSystem extends Chart {
  /** Name of the system. */
  public readonly systemName: string;
  /** Namespace of the system. */
  public readonly namespace: string;
  /** Target profile. */
  public readonly target: Target;
  /** Pod Security level of the namespace. */
  public readonly podSecurity: PodSecurityLevel;
  /** Externally provisioned Secrets services may reference. */
  public readonly secrets: string[];
  /** The Namespace object. */
  public readonly namespaceObject: k8s.KubeNamespace;
  /** Denies all ingress and egress in the namespace unless another policy allows it. */
  public readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
  /** Allows every pod of the namespace to reach cluster DNS. */
  public readonly dnsPolicy: k8s.KubeNetworkPolicy;
  /** The StorageClass the target needs created, when a service has a persistent volume. */
  public storageClass?: k8s.KubeStorageClass;

  /** Labels of the system's own objects (Namespace, policies, StorageClass). */
  private get systemLabels(): { [key: string]: string } {
    return { [LABEL.PART_OF]: this.systemName, [LABEL.MANAGED_BY]: MANAGED_BY };
  }

  constructor(scope: Construct, id: string, props: MicroserviceSystemProps = {}) {
    const namespace = props.namespace ?? id;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    this.systemName = props.name ?? id;
    this.namespace = namespace;
    this.target = props.target ?? Target.dockerDesktop();
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.secrets = props.secrets ?? [];
    throwIfProblems(this, problems(
      checkDnsLabel('namespace', namespace),
      checkDnsLabel(props.name === undefined ? 'id' : 'name', this.systemName),
      ...this.secrets.map((s, i) => checkDnsLabel(`secrets[${i}]`, s, 253)),
    ));

    const labels = this.systemLabels;
    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': this.podSecurity,
          'pod-security.kubernetes.io/warn': this.podSecurity,
          'pod-security.kubernetes.io/audit': this.podSecurity,
        },
      },
    });
    // The chart stamps its namespace on every object; a Namespace is cluster-scoped.
    this.namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    this.defaultDenyPolicy = new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.dnsPolicy = new k8s.KubeNetworkPolicy(this, 'AllowDns', {
      metadata: { name: 'allow-dns', labels },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(this.target.clusterDns)] },
    });
    this.node.addValidation({ validate: () => this.validateSystem() });
  }

  /** Adds a microservice to the system. */
  public addService(id: string, props: MicroserviceProps): Microservice {
    const service = new Microservice(this, id, props);
    if (Object.keys(service.persistentVolumeClaims).length > 0) this.ensureStorageClass();
    return service;
  }

  /** The microservices of the system, in the order they were added. */
  public get services(): Microservice[] {
    return this.node.children.filter((c): c is Microservice => c instanceof Microservice);
  }

  /** Names of the microservices. */
  public serviceNames(): string[] {
    return this.services.map((s) => s.serviceName);
  }

  /** The system of this app that owns `namespace`. */
  public findSystem(namespace: string): MicroserviceSystem | undefined {
    return allSystems(this).find((s) => s.namespace === namespace);
  }

  /** Namespaces owned by the systems of this app. */
  public knownNamespaces(): string[] {
    return allSystems(this).map((s) => s.namespace);
  }

  /** Service `name` of the system owning `namespace`. */
  public findService(namespace: string, name: string): Microservice | undefined {
    return this.findSystem(namespace)?.services.find((s) => s.serviceName === name);
  }

  /** A Mermaid flowchart of the services, their exposure, volumes and dependency edges. */
  public toMermaid(): string {
    return renderDiagram(this);
  }

  /** Creates the StorageClass the target provisions, once. */
  private ensureStorageClass(): void {
    const storage = this.target.props.storage;
    if (this.storageClass || !storage.provision || !storage.storageClass) return;
    this.storageClass = new k8s.KubeStorageClass(this, 'StorageClass', {
      metadata: { name: storage.storageClass, labels: this.systemLabels },
      provisioner: storage.provision.provisioner,
      parameters: storage.provision.parameters,
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Retain',
    });
    this.storageClass.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }

  private validateSystem(): string[] {
    const found: Problem[] = [];
    const others = allSystems(this).filter((s) => s !== this && s.namespace === this.namespace);
    if (others.length > 0) {
      found.push({ prop: 'namespace', received: this.namespace, allowed: 'a namespace owned by one system only', hint: `also owned by ${others.map((o) => o.node.path).join(', ')}: give each system its own namespace` });
    }
    const seen = new Map<string, Microservice>();
    for (const service of this.services) {
      const first = seen.get(service.serviceName);
      if (first) {
        found.push({ prop: 'services', received: service.serviceName, allowed: 'service names unique within a system', hint: `${first.node.path} and ${service.node.path} share it: rename one` });
      }
      seen.set(service.serviceName, service);
      if (!service.hasConsumers && service.exposure.kind === ExposureKind.CLUSTER && service.ports.length > 0) {
        addWarning(service, { prop: 'dependsOn', received: service.serviceName, allowed: 'a service some other service depends on, or one that is exposed', hint: 'nobody calls it and its NetworkPolicy admits no one: declare the dependency, expose it, or remove it' });
      }
    }
    return found.map(formatProblem);
  }
}

/** Every MicroserviceSystem of the app `scope` belongs to. */
function allSystems(scope: Construct): MicroserviceSystem[] {
  return scope.node.root.node.findAll().filter((c): c is MicroserviceSystem => c instanceof MicroserviceSystem);
}
