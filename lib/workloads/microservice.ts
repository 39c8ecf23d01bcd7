import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GraphNode, IEndpoint } from '../contracts';
import { Findings, Problem } from '../errors';
import { problem } from '../messages';
import { Dependency, IDependency } from '../network/dependency';
import { Exposure, ExposureKind } from '../network/exposure';
import { checkDnsLabel, checkEntry, checkLabelMap } from '../checks';
import { consumerIngressRule, DependencyGraph } from '../network/edges';
import { Direction, namespacePeer, peersRule, policyPort } from '../network/policy';
import { later, newApiObject } from '../objects/api-object';
import { AutoscalingOptions, autoscalerSpec, disruptionBudgetSpec } from '../objects/scaling';
import { ContainerModel, NamedPort } from '../pod/container';
import { AccessMode, StorageKind } from '../pod/storage';
import { EventScalingOptions } from '../objects/keda';
import { derivedNameProblems, healthFindings, microservicePropsProblems } from './microservice-checks';
import { controllerSpec, httpReadiness, withProbesAndShutdown } from './microservice-pods';
import { AllowFromOptions, MicroserviceProps } from './microservice-props';
import { ServiceOperators } from './operators';
import { clusterServiceName, headlessServiceName, newServices } from './services';
import { WaysIn } from './ways-in';
import { Workload } from './workload';

/**
 * One microservice: a Deployment (or a StatefulSet) with a ServiceAccount, a Service, its
 * volumes, and where configured an HPA, a PodDisruptionBudget, an Ingress and a NetworkPolicy
 * derived from its dependencies. Every inner object is a public readonly field.
 */
export class Microservice extends Workload implements IEndpoint, IDependency {
  /** Cluster DNS name, e.g. `catalog.shop.svc.cluster.local`. */
  public readonly dnsName: string;
  /** The Deployment or the StatefulSet that runs the pods. */
  public readonly controller: ApiObject;
  /** The Deployment, unless it is a StatefulSet. */
  public readonly deployment?: ApiObject;
  /** The StatefulSet, with `statefulSet`. */
  public readonly statefulSet?: ApiObject;
  /** The Service; undefined for a worker without ports. A LoadBalancer Service carries the exposed port only. */
  public readonly service?: ApiObject;
  /**
   * The ClusterIP Service `<name>-cluster` carrying the ports the LoadBalancer Service leaves out,
   * so a metrics or admin port is never on the load balancer; undefined otherwise.
   */
  public readonly clusterService?: ApiObject;
  /** The headless Service governing a StatefulSet's pod DNS names. */
  public readonly headlessService?: ApiObject;
  /** The HorizontalPodAutoscaler, with autoscaling. */
  public readonly autoscaler?: ApiObject;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly disruptionBudget?: ApiObject;
  /** The Ingress, with ingress exposure. */
  public readonly ingress?: ApiObject;
  /** The HTTPRoute or GRPCRoute, with route exposure. */
  public readonly route?: ApiObject;
  /**
   * The AWS Load Balancer Controller's TargetGroupConfiguration of the Service, where a route
   * sends traffic to it and the target's Gateway profile asks for one (`eks`).
   */
  public readonly targetGroupConfiguration?: ApiObject;
  /**
   * GKE's HealthCheckPolicy of the Service, carrying the pods' HTTP readiness check to the load
   * balancer, where a route sends traffic to it and the target's Gateway profile asks for one
   * (`gke`, `gke-autopilot`).
   */
  public readonly healthCheckPolicy?: ApiObject;
  /** How the service is exposed. */
  public readonly expose: Exposure;
  /** Further ways in (`alsoExpose`). */
  public readonly alsoExpose: Exposure[];
  /** Fixed replica count; undefined when an HPA owns it. */
  public readonly replicas?: number;
  /** Autoscaling settings, if any. */
  public readonly autoscaling?: AutoscalingOptions;
  /** KEDA's ScaledObject, with `eventScaling`: it replaces the HPA. */
  public readonly scaledObject?: ApiObject;
  /** Event-driven scaling settings, if any. */
  public readonly eventScaling?: EventScalingOptions;
  /** The Prometheus Operator's ServiceMonitor, with `metrics` on a declared port of a Deployment. */
  public readonly serviceMonitor?: ApiObject;
  /** The Prometheus Operator's PodMonitor, with `metrics` on a pod-only port or a StatefulSet. */
  public readonly podMonitor?: ApiObject;

  /** The ports the StatefulSet's pods reach each other on (`statefulSet.peerPorts`); none for a Deployment. */
  public get peerPorts(): NamedPort[] {
    const names = (this.props as MicroserviceProps).statefulSet?.peerPorts ?? [];
    return this.ports.filter((p) => names.includes(p.name));
  }

  private readonly mainPorts: NamedPort[];
  private admittedNamespaces = 0;
  private readonly ownProblems: Problem[];
  /** Its ways in: Ingresses, routes and load balancers, with the traffic they admit. */
  private readonly waysIn: WaysIn;
  /** Its KEDA and Prometheus Operator objects. */
  private readonly operators: ServiceOperators;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id, props, 'service');
    props = this.props as MicroserviceProps; // with wrongly typed values left out
    this.expose = props.expose ?? Exposure.cluster();
    this.alsoExpose = [...(props.alsoExpose ?? [])];
    this.mainPorts = [
      ...(props.port === undefined ? [] : [{ name: props.portName ?? 'http', port: props.port }]),
      ...(props.ports ?? []),
    ];
    const target = this.system.target;
    const stateful = props.statefulSet !== undefined;
    const hasRwoVolume = this.volumes.some(
      (v) => v.kind === StorageKind.PERSISTENT && v.accessMode !== AccessMode.READ_WRITE_MANY,
    );
    // Pods of a Deployment sharing a ReadWriteOnce claim must stay on one node: one by default.
    const defaultReplicas = hasRwoVolume && !stateful ? 1 : 2;
    this.ownProblems = microservicePropsProblems(props, this.ports, this.expose, this.mainPorts, defaultReplicas);
    // KEDA replaces the HPA, never both (a problem when both are asked for).
    this.eventScaling = stateful ? undefined : props.eventScaling;
    this.autoscaling = stateful || this.eventScaling ? undefined : props.autoscaling;
    this.replicas = this.autoscaling || this.eventScaling ? undefined : (props.replicas ?? defaultReplicas);
    this.dnsName = `${this.serviceName}.${this.system.namespace}.svc.${target.clusterDomain}`;

    const workloadKind = stateful ? 'StatefulSet' : 'Deployment';
    const spec = later(() =>
      controllerSpec({
        props,
        serviceName: this.serviceName,
        selectorLabels: this.selectorLabels,
        zones: target.zones,
        replicas: this.replicas,
        hasRwoVolume,
        volumes: this.volumes,
        podTemplate: (pod) => this.podTemplate(this.mainContainer(), pod),
        claimSpec: (volume) => this.claimSpec(volume),
      }),
    );
    const workload = newApiObject(
      this,
      workloadKind,
      { apiVersion: 'apps/v1', kind: workloadKind },
      this.metadata(this.serviceName),
      { spec },
    );
    this.controller = workload;
    if (stateful) this.statefulSet = workload;
    else this.deployment = workload;
    // Read at synth: a peer port may belong to a sidecar added later.
    for (const direction of [Direction.INGRESS, Direction.EGRESS])
      this.policy.allow(direction, () => (this.peerPorts.length > 0 ? [peersRule(this.pods, this.peerPorts)] : []));

    const exposed = this.exposedPort(this.expose);
    const services = newServices({
      scope: this,
      target,
      serviceName: this.serviceName,
      selectorLabels: this.selectorLabels,
      expose: this.expose,
      exposed,
      internal: this.isInternal(this.expose),
      stateful,
      metadata: (name, annotations) => this.metadata(name, annotations),
      ports: () => this.ports,
    });
    this.service = services.service;
    this.clusterService = services.clusterService;
    this.headlessService = services.headlessService;
    if (this.autoscaling) {
      this.autoscaler = newApiObject(
        this,
        'Autoscaler',
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
        this.metadata(this.serviceName),
        { spec: autoscalerSpec(this.autoscaling, workloadKind, this.serviceName) },
      );
    }
    const budget = props.disruptionBudget ?? {};
    if (budget.enabled !== false) {
      this.disruptionBudget = newApiObject(
        this,
        'DisruptionBudget',
        { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
        this.metadata(this.serviceName),
        { spec: disruptionBudgetSpec(budget, this.selectorLabels) },
      );
    }
    this.waysIn = new WaysIn({
      scope: this,
      system: this.system,
      serviceName: this.serviceName,
      selectorLabels: this.selectorLabels,
      policy: this.policy,
      metadata: (name, annotations) => this.metadata(name, annotations),
      serviceNameFor: (port) => this.serviceNameFor(port),
      httpReadiness: () => httpReadiness(props, this.mainPorts, this.ports),
      isInternal: (exposure) => this.isInternal(exposure),
    });
    const primary = exposed ? this.waysIn.add(this.expose, exposed, this.serviceName) : undefined;
    if (this.expose.kind === ExposureKind.INGRESS) this.ingress = primary;
    if (this.expose.kind === ExposureKind.ROUTE) this.route = primary;
    for (const more of this.alsoExpose) {
      const port = this.ports.find((p) => p.name === more.portName);
      // An extra way in without a valid port of its own is reported by its checks, not rendered.
      if (port && port !== exposed) this.waysIn.add(more, port, `${this.serviceName}-${port.name}`);
    }
    const backends = this.waysIn.backendObjects();
    this.targetGroupConfiguration = backends.targetGroupConfiguration;
    this.healthCheckPolicy = backends.healthCheckPolicy;
    // Ingress from its consumers: every workload of the app that declares a dependency on it.
    this.policy.allow(Direction.INGRESS, () =>
      DependencyGraph.of(this)
        .consumersOf(this)
        .map((edge) => consumerIngressRule(edge, this.system.namespace)),
    );
    this.operators = new ServiceOperators(
      {
        scope: this,
        system: this.system,
        serviceName: this.serviceName,
        selectorLabels: this.selectorLabels,
        policy: this.policy,
        controllerKind: workloadKind,
        metadata: (name) => this.metadata(name),
        ports: () => this.ports,
        called: () => this.hasConsumers || !this.expose._clusterOnly,
      },
      props,
    );
    this.scaledObject = this.operators.scaledObject;
    this.serviceMonitor = this.operators.serviceMonitor;
    this.podMonitor = this.operators.podMonitor;
    for (const dependency of props.dependsOn ?? []) this.addDependency(dependency);
  }

  /** Cluster DNS name of the Service carrying `port`: `dnsName`, or the cluster Service's for a port the load balancer leaves out. */
  public hostFor(port: NamedPort): string {
    const name = this.serviceNameFor(port);
    return name === this.serviceName
      ? this.dnsName
      : `${name}.${this.system.namespace}.svc.${this.system.target.clusterDomain}`;
  }

  /** Its named ports: the main port first, then `ports`, then the sidecars'. */
  public get ports(): NamedPort[] {
    return [...this.mainPorts, ...this.sidecarPorts()];
  }

  /** Stable DNS names of a StatefulSet's pods (`db-0.db-headless.shop.svc.cluster.local`, …); none for a Deployment. */
  public get podHostnames(): string[] {
    if (!this.statefulSet) return [];
    const domain = `${headlessServiceName(this.serviceName)}.${this.system.namespace}.svc.${this.system.target.clusterDomain}`;
    return Array.from({ length: this.replicas ?? 0 }, (_, i) => `${this.serviceName}-${i}.${domain}`);
  }

  /**
   * Admits traffic from pods of another namespace that no dependency describes: a monitoring
   * stack scraping a metrics port, a gateway or mesh namespace. The rule names that namespace by
   * its `kubernetes.io/metadata.name` label, and the port.
   */
  public allowFromNamespace(namespace: string, options: AllowFromOptions = {}): void {
    const index = this.admittedNamespaces++;
    const wrong = checkEntry(`allowFromNamespace[${index}]`, options, {
      fields: { portName: 'a string', podLabels: { values: 'a string' } },
    });
    if (wrong.length > 0) {
      this.ownProblems.push(...wrong);
      return;
    }
    this.ownProblems.push(...checkLabelMap(`allowFromNamespace[${index}].podLabels`, options.podLabels));
    const port = options.portName === undefined ? this.ports[0] : this.ports.find((p) => p.name === options.portName);
    const bad = checkDnsLabel(`allowFromNamespace[${index}].namespace`, namespace);
    if (bad) this.ownProblems.push(bad);
    if (!port) {
      this.ownProblems.push(
        problem('service.undeclared-port', `allowFromNamespace[${index}].portName`, options.portName, {
          ports: this.ports.map((p) => p.name),
          hint: 'admit a port the service declares',
        }),
      );
      return;
    }
    this.policy.allow(Direction.INGRESS, {
      peers: [namespacePeer(namespace, options.podLabels)],
      ports: [policyPort(port)],
    });
  }

  /** Returns a dependency on this service's main port. */
  public toDependency(): Dependency {
    return Dependency.on(this);
  }

  /** The service as the system diagram draws it. */
  public graphNode(): GraphNode {
    const scale = this.autoscaling
      ? `${this.autoscaling.minReplicas}-${this.autoscaling.maxReplicas} replicas (HPA)`
      : this.eventScaling
        ? `${this.operators.minReplicas}-${this.eventScaling.maxReplicas} replicas (KEDA)`
        : `${this.replicas} replica(s)`;
    const entry = this.expose._routed
      ? `${this.expose.kind} ${this.expose.host ?? '*'}${this.expose.path ?? '/'}`
      : this.expose._loadBalancer
        ? 'load balancer'
        : undefined;
    return {
      name: this.serviceName,
      detail: `${this.ports.map((p) => `${p.name}:${p.port}`).join(' ') || 'no ports'}${this.statefulSet ? ' (StatefulSet)' : ''}`,
      scale,
      volumes: this.volumes
        .filter((v) => v.kind === StorageKind.PERSISTENT)
        .map((v) => ({
          name: v.name,
          description: `${v.size?.asString()} ${v.accessMode}${this.statefulSet ? ' per pod' : ''}`,
        })),
      entry,
      edges: this.graphEdges(),
    };
  }

  protected claimsPerPod(): boolean {
    // Called by the base constructor for the props' volumes, before this class's fields exist.
    return (this.props as MicroserviceProps).statefulSet !== undefined;
  }

  protected checks(): Findings {
    const base = super.checks();
    const found = [...this.ownProblems, ...base.problems];
    const warnings = [...base.warnings];
    const waysIn = this.waysIn.findings(this.expose, this.alsoExpose, this.ports, (e) => this.exposedPort(e));
    found.push(...waysIn.problems);
    warnings.push(...waysIn.warnings);
    found.push(
      ...this.peerPortProblems(),
      ...derivedNameProblems(this.serviceName, (this.props as MicroserviceProps).name === undefined ? 'id' : 'name', {
        statefulSet: this.statefulSet !== undefined,
        cluster: this.clusterService !== undefined,
      }),
    );
    found.push(...this.operators.findings().problems);
    const peers = (this.props as MicroserviceProps).statefulSet?.peerPorts;
    if (this.statefulSet && peers === undefined && (this.replicas ?? 1) > 1)
      warnings.push(
        problem('stateful.peers-undeclared', 'statefulSet.peerPorts', undefined, { replicas: this.replicas! }),
      );
    if (
      !this.hasConsumers &&
      this.admittedNamespaces === 0 &&
      (this.props as MicroserviceProps).metrics === undefined &&
      this.expose._clusterOnly &&
      this.ports.length > 0
    ) {
      warnings.push(problem('service.unused', 'dependsOn', this.serviceName));
    }
    const health = healthFindings(this.props as MicroserviceProps, this.mainContainer(), this.autoscaling);
    return { problems: [...found, ...health.problems], warnings: [...warnings, ...health.warnings] };
  }

  /** Each name in `statefulSet.peerPorts` must be a port of the service. */
  private peerPortProblems(): Problem[] {
    const names = this.ports.map((p) => p.name);
    return ((this.props as MicroserviceProps).statefulSet?.peerPorts ?? []).flatMap((name, i) =>
      names.includes(name)
        ? []
        : [
            problem('service.undeclared-port', `statefulSet.peerPorts[${i}]`, name, {
              ports: names,
              hint: 'name ports the service declares (the peers call each other on them)',
            }),
          ],
    );
  }

  /** The main container with its probes and graceful shutdown. */
  protected mainContainer(): ContainerModel {
    return withProbesAndShutdown(super.mainContainer(), this.props as MicroserviceProps, {
      mainPorts: this.mainPorts,
      podPorts: this.operators.podPorts(),
      servesPorts: this.ports.length > 0,
    });
  }

  /** Name of the Service carrying `port`. */
  private serviceNameFor(port: NamedPort): string {
    return this.clusterService && port.name !== this.exposedPort(this.expose)?.name
      ? clusterServiceName(this.serviceName)
      : this.serviceName;
  }

  /** The port a way in of this service reaches: its named port, else the service's first port. */
  public exposedPort(exposure: Exposure): NamedPort | undefined {
    return (
      (exposure.portName === undefined ? undefined : this.ports.find((p) => p.name === exposure.portName)) ??
      this.ports[0]
    );
  }

  /** Whether a way in of this service is internal: as the exposure says, else the target's default. */
  public isInternal(exposure: Exposure): boolean {
    return exposure.internal ?? this.system.target.internalByDefault;
  }
}
