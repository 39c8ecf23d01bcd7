/**
 * A microservice's Services and their names: the main Service (on a load balancer the exposed
 * port only), the ClusterIP `<name>-cluster` for the ports a load balancer leaves out, and a
 * StatefulSet's headless `<name>-headless` that its pods' DNS names hang from.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Exposure, ExposureKind } from '../network/exposure';
import { Json, later, newApiObject, ObjectMeta } from '../objects/api-object';
import { servicePort } from '../objects/service';
import { NamedPort } from '../pod/container';
import { serviceAnnotations, serviceType } from '../targets/rendering';
import type { Target } from '../targets/target';

/** What the Services need of the microservice. */
export interface ServiceHost {
  /** The microservice, which the Services are created in. */
  readonly scope: Construct;
  readonly target: Target;
  readonly serviceName: string;
  readonly selectorLabels: { [key: string]: string };
  /** How it is exposed, the port that reaches, and whether that way in is internal. */
  readonly expose: Exposure;
  readonly exposed?: NamedPort;
  readonly internal: boolean;
  /** Whether it runs as a StatefulSet. */
  readonly stateful: boolean;
  metadata(name: string, annotations?: { [key: string]: string }): ObjectMeta;
  /** Its ports; the Services list them at synth, with the ports of sidecars added later. */
  ports(): NamedPort[];
}

/** The Services created; none for a worker without ports. */
export interface ServiceObjects {
  readonly service?: ApiObject;
  readonly clusterService?: ApiObject;
  readonly headlessService?: ApiObject;
}

/** Name of the ClusterIP Service beside a LoadBalancer one. */
export function clusterServiceName(serviceName: string): string {
  return `${serviceName}-cluster`;
}

/** Name of a StatefulSet's headless Service. */
export function headlessServiceName(serviceName: string): string {
  return `${serviceName}-headless`;
}

/** Creates the microservice's Services in its scope. */
export function newServices(host: ServiceHost): ServiceObjects {
  if (host.ports().length === 0) return {};
  const { scope, target, expose, exposed } = host;
  const loadBalancer = expose._loadBalancer;
  // A load balancer forwards every port of its Service: it gets the exposed port only.
  const onLoadBalancer = (p: NamedPort) => !loadBalancer || !exposed || p.name === exposed.name;
  const offLoadBalancer = (p: NamedPort) => !onLoadBalancer(p);
  const newService = (id: string, metadata: ObjectMeta, spec: Json) =>
    newApiObject(scope, id, { apiVersion: 'v1', kind: 'Service' }, metadata, { spec });
  const service = newService(
    'Service',
    host.metadata(
      host.serviceName,
      serviceAnnotations(target, {
        loadBalancer,
        ingress: expose.kind === ExposureKind.INGRESS,
        internal: host.internal,
      }),
    ),
    {
      ...serviceType(target, loadBalancer),
      selector: host.selectorLabels,
      ports: later(() => host.ports().filter(onLoadBalancer).map(servicePort)),
    },
  );
  const clusterService = host.ports().some(offLoadBalancer)
    ? newService('ClusterService', host.metadata(clusterServiceName(host.serviceName)), {
        ...serviceType(target, false),
        selector: host.selectorLabels,
        ports: later(() => host.ports().filter(offLoadBalancer).map(servicePort)),
      })
    : undefined;
  // Peers find each other before they are ready (replication, cluster bootstrap).
  const headlessService = host.stateful
    ? newService('HeadlessService', host.metadata(headlessServiceName(host.serviceName)), {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: host.selectorLabels,
        ports: later(() => host.ports().map(servicePort)),
      })
    : undefined;
  return { service, clusterService, headlessService };
}
