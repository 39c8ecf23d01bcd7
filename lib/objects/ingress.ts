import { Problem } from '../errors';
import { Exposure } from '../network/exposure';
import { NamedPort } from '../pod/container';
import { ingressClass } from '../targets/rendering';
import { Target } from '../targets/target';
import { Json } from './api-object';

/** The HTTP codes an HTTP probe passes with (kubelet: 200 to 399), for a load balancer checking the same path. */
export const KUBELET_HTTP_SUCCESS = '200-399';

/** An HTTP readiness check as the load balancer should run it: its path, and the port number it probes. */
export interface LoadBalancerCheck {
  readonly path: string;
  readonly port: number;
}

/**
 * Annotations and spec of the Ingress routing `exposure` to `service`'s `port`; `check`, the
 * pods' HTTP readiness check, goes to the load balancer where the target's controller needs it.
 */
export function ingressObject(
  target: Target,
  exposure: Exposure,
  internal: boolean,
  service: string,
  port: NamedPort,
  check?: LoadBalancerCheck,
): { annotations: { [key: string]: string }; spec: Json } {
  const { className, annotations } = ingressClass(target, internal);
  const names = target.props.ingress.healthCheckAnnotations;
  return {
    annotations:
      names && check
        ? {
            ...annotations,
            [names.path]: check.path,
            [names.successCodes]: KUBELET_HTTP_SUCCESS,
            ...(check.port === port.port ? {} : { [names.port]: String(check.port) }),
          }
        : annotations,
    spec: {
      ...(className ? { ingressClassName: className } : {}),
      ...(exposure.tlsSecret && exposure.host
        ? { tls: [{ hosts: [exposure.host], secretName: exposure.tlsSecret }] }
        : {}),
      rules: [
        {
          ...(exposure.host ? { host: exposure.host } : {}),
          http: {
            paths: [
              {
                path: exposure.path ?? '/',
                pathType: 'Prefix',
                backend: { service: { name: service, port: { name: port.name } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/**
 * What the target says about an Ingress: a host where the router needs one, a class where the
 * cluster has no controller, a class per scheme where the class fixes it, and a warning where
 * the controller is retired.
 */
export function ingressTargetProblems(
  target: Target,
  exposure: Exposure,
  internal: boolean,
): { problems: Problem[]; warnings: Problem[] } {
  const ingress = target.props.ingress;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (ingress.hostRequired && !exposure.host) {
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
