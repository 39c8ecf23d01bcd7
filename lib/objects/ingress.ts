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
  const names = target.ingressHealthCheckAnnotations;
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
