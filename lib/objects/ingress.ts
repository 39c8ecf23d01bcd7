import { Exposure } from '../network/exposure';
import { PolicyRule, portRule } from '../network/policy';
import { Protocol, ServicePort } from '../pod/container';
import { ingressClass, trafficPeer } from '../targets/rendering';
import { Target } from '../targets/target';
import { Json } from './api-object';

/** Annotations and spec of the Ingress routing `exposure` to `service`'s `port`. */
export function ingressObject(target: Target, exposure: Exposure, internal: boolean, service: string, port: ServicePort): { annotations: { [key: string]: string }; spec: Json } {
  const { className, annotations } = ingressClass(target, internal);
  return {
    annotations,
    spec: {
      ...(className ? { ingressClassName: className } : {}),
      ...(exposure.tlsSecret && exposure.host ? { tls: [{ hosts: [exposure.host], secretName: exposure.tlsSecret }] } : {}),
      rules: [{
        ...(exposure.host ? { host: exposure.host } : {}),
        http: { paths: [{ path: exposure.path ?? '/', pathType: 'Prefix', backend: { service: { name: service, port: { name: port.name } } } }] },
      }],
    },
  };
}

/**
 * The ingress rule admitting outside traffic to an exposed port: from the in-cluster ingress
 * controller's namespace, or from any source where the load balancer sends traffic straight to
 * pod IPs.
 */
export function exposedTrafficRule(target: Target, viaIngress: boolean, port: ServicePort): PolicyRule {
  const controller = viaIngress ? target.props.ingress.controller : undefined;
  return {
    ...(controller ? { from: [trafficPeer(controller)] } : {}),
    ports: [portRule(port.port, port.protocol ?? Protocol.TCP)],
  };
}
