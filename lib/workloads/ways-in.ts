import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ISystem } from '../contracts';
import { allFindings, Findings, Problem } from '../errors';
import { Exposure, ExposureKind } from '../network/exposure';
import { cidrPeer, Direction, PolicyRule, tcpPorts, WorkloadPolicy } from '../network/policy';
import { exposedTrafficRule, healthCheckRule, routedTrafficRule, RouteParent } from '../network/traffic';
import { newApiObject, ObjectMeta } from '../objects/api-object';
import { ingressObject, LoadBalancerCheck } from '../objects/ingress';
import { GATEWAY_API, httpsRedirectSpec, routeBackendObject, routeObject, SystemGateway } from '../objects/route';
import { servicePort } from '../objects/service';
import { NamedPort } from '../pod/container';
import { RouteBackendObject } from '../targets/profile';
import { serviceAnnotations, serviceType } from '../targets/rendering';
import { additionalExposureProblems, exposureTargetProblems } from './exposure-checks';

/** What a service's ways in need of it. */
export interface WayInHost {
  /** The microservice, which the objects are created in. */
  readonly scope: Construct;
  readonly system: ISystem;
  readonly serviceName: string;
  readonly selectorLabels: { [key: string]: string };
  /** Its NetworkPolicy, which admits each way in's traffic. */
  readonly policy: WorkloadPolicy;
  metadata(name: string, annotations?: { [key: string]: string }): ObjectMeta;
  /** Name of the Service carrying `port`. */
  serviceNameFor(port: NamedPort): string;
  /** The pods' readiness check if it is HTTP, with the port it probes. */
  httpReadiness(): LoadBalancerCheck | undefined;
  /** Whether a way in is internal. */
  isInternal(exposure: Exposure): boolean;
}

/**
 * The ways into one service, each rendered for the target by its kind, in one place: an Ingress,
 * a route (with its Gateway and the object each routed Service gets) or a load balancer, and the
 * traffic each admits in the service's NetworkPolicy.
 */
export class WaysIn {
  /** The ports routes send traffic to, by the name of the Service carrying them. */
  private readonly routedPorts = new Map<string, NamedPort[]>();

  constructor(private readonly host: WayInHost) {}

  /**
   * The Gateway the route attaches to: the platform's, or the system's own of the target's class
   * for the scheme (not created when the target has no class: validation reports that).
   */
  private routeParent(exposure: Exposure): RouteParent {
    const shared = exposure.gateway;
    if (shared) return { name: shared.name, namespace: shared.namespace, sectionName: shared.sectionName };
    const internal = this.host.isInternal(exposure);
    const gatewayClass = this.host.system.target.gatewayClass(internal);
    if (!gatewayClass)
      return { name: SystemGateway.nameFor(this.host.system, internal), namespace: this.host.system.namespace };
    const gateway = SystemGateway.of(this.host.system, internal);
    if (!exposure.tlsSecret || !exposure.host) return { name: gateway.gatewayName, namespace: gateway.namespace };
    const listener = gateway.addTlsHost(exposure.host, exposure.tlsSecret);
    // HTTPS only unless asked: attached to every listener, the route would answer plain HTTP too.
    return {
      name: gateway.gatewayName,
      namespace: gateway.namespace,
      ...(exposure.plainHttp ? {} : { sectionName: listener }),
    };
  }

  /**
   * Renders one way in to `port` (objects named `name`) and admits its traffic in the
   * NetworkPolicy; returns the Ingress or route, if it made one.
   */
  public add(exposure: Exposure, port: NamedPort, name: string): ApiObject | undefined {
    const target = this.host.system.target;
    const internal = this.host.isInternal(exposure);
    const id = name === this.host.serviceName ? '' : `-${port.name}`;
    switch (exposure.kind) {
      case ExposureKind.INGRESS: {
        this.admitWayIn(
          exposedTrafficRule(target, true, port),
          port,
          target.ingressHealthCheckAnnotations !== undefined,
        );
        const ingress = ingressObject(
          target,
          exposure,
          internal,
          this.host.serviceNameFor(port),
          port,
          this.host.httpReadiness(),
        );
        return newApiObject(
          this.host.scope,
          `Ingress${id}`,
          { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
          this.host.metadata(name, ingress.annotations),
          { spec: ingress.spec },
        );
      }
      case ExposureKind.ROUTE: {
        const parent = this.routeParent(exposure);
        const backend = this.host.serviceNameFor(port);
        this.host.policy.allow(Direction.INGRESS, routedTrafficRule(target, parent, this.host.system.namespace, port));
        this.routedPorts.set(backend, [...(this.routedPorts.get(backend) ?? []), port]);
        const route = routeObject(exposure, parent, this.host.system.namespace, backend, port);
        const object = newApiObject(
          this.host.scope,
          `Route${id}`,
          { apiVersion: GATEWAY_API, kind: route.kind },
          this.host.metadata(name),
          { spec: route.spec },
        );
        if (parent.sectionName && !exposure.gateway && route.kind === 'HTTPRoute')
          newApiObject(
            this.host.scope,
            `HttpsRedirect${id}`,
            { apiVersion: GATEWAY_API, kind: 'HTTPRoute' },
            this.host.metadata(`${name}-https-redirect`),
            { spec: httpsRedirectSpec(exposure, parent.name) },
          );
        return object;
      }
      case ExposureKind.LOAD_BALANCER:
        this.host.policy.allow(Direction.INGRESS, exposedTrafficRule(target, false, port));
        // The main Service carries the primary load balancer; a further one gets a Service of its own with only its port.
        if (id) {
          newApiObject(
            this.host.scope,
            `Service${id}`,
            { apiVersion: 'v1', kind: 'Service' },
            this.host.metadata(name, serviceAnnotations(target, { loadBalancer: true, ingress: false, internal })),
            { spec: { ...serviceType(target, true), selector: this.host.selectorLabels, ports: [servicePort(port)] } },
          );
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * Admits a way in's traffic to `port`, and the port of the HTTP readiness check where the load
   * balancer runs that check itself from the same sources (the ALB, given the check by Ingress
   * annotations): otherwise every target would fail it. Routes admit theirs with the object that
   * carries the check (`backendObjects`).
   */
  private admitWayIn(rule: PolicyRule, port: NamedPort, loadBalancerChecks: boolean): void {
    this.host.policy.allow(Direction.INGRESS, rule);
    const check = loadBalancerChecks ? this.host.httpReadiness() : undefined;
    if (check && check.port !== port.port) this.host.policy.allow(Direction.INGRESS, healthCheckRule(rule, check.port));
  }

  /**
   * What the target and the service's ports say about its ways in: `expose`, then each of
   * `alsoExpose` (a named port no other way in takes). `exposedPort` is the port a way in reaches.
   */
  public findings(
    expose: Exposure,
    alsoExpose: Exposure[],
    ports: NamedPort[],
    exposedPort: (exposure: Exposure) => NamedPort | undefined,
  ): Findings {
    const target = this.host.system.target;
    const problems: Problem[] = [];
    const found = [exposureTargetProblems(target, expose, exposedPort(expose), this.host.isInternal(expose), 'expose')];
    const taken = expose._clusterOnly ? [] : [exposedPort(expose)?.name].filter((n): n is string => n !== undefined);
    alsoExpose.forEach((more, i) => {
      const prop = `alsoExpose[${i}]`;
      problems.push(...additionalExposureProblems(more, prop, this.host.serviceName, ports, [...taken]));
      if (more.portName) taken.push(more.portName);
      const port = ports.find((p) => p.name === more.portName);
      found.push(exposureTargetProblems(target, more, port, this.host.isInternal(more), prop));
    });
    return allFindings({ problems, warnings: [] }, ...found);
  }

  /**
   * The object each Service a route sends traffic to gets on the target (a TargetGroupConfiguration,
   * a HealthCheckPolicy), admitting the load balancer's health check where it probes another port;
   * returns those of the main Service.
   */
  public backendObjects(): { targetGroupConfiguration?: ApiObject; healthCheckPolicy?: ApiObject } {
    const kind = this.host.system.target.routeBackendObject;
    const found: { targetGroupConfiguration?: ApiObject; healthCheckPolicy?: ApiObject } = {};
    for (const [service, routed] of this.routedPorts) {
      const object = routeBackendObject(kind, service, routed, this.host.httpReadiness());
      if (!object) continue;
      // The load balancer checks from where its traffic comes (any source: it sends straight to pod IPs).
      // A port only the check probes is admitted from the checker's addresses, where the target knows them.
      const checkers = this.host.system.target.loadBalancerHealthCheckSources;
      if (object.check && !routed.some((p) => p.port === object.check!.port))
        this.host.policy.allow(Direction.INGRESS, {
          ...(checkers ? { peers: checkers.map(cidrPeer) } : {}),
          ports: tcpPorts(object.check.port),
        });
      const id = service === this.host.serviceName ? '' : '-cluster';
      const created = newApiObject(
        this.host.scope,
        `${object.kind}${id}`,
        { apiVersion: object.apiVersion, kind: object.kind },
        this.host.metadata(service),
        { spec: object.spec },
      );
      if (id) continue;
      if (kind === RouteBackendObject.AWS_TARGET_GROUP_CONFIGURATION) found.targetGroupConfiguration = created;
      else found.healthCheckPolicy = created;
    }
    return found;
  }
}
