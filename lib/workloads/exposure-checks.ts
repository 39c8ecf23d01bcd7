import { checkDerivedName, checkDnsSubdomain, checkIngressHost, checkIngressPath, problems } from '../checks';
import { Problem } from '../errors';
import { problem } from '../messages';
import { Exposure, ExposureKind } from '../network/exposure';
import { routeTargetProblems } from '../objects/route';
import { NamedPort, PortProtocol } from '../pod/container';
import { LoadBalancerSupport } from '../targets/profile';
import { ingressTargetProblems } from '../targets/target-checks';
import { Target } from '../targets/target';

/** Problems, and warnings to record on the construct. */
export interface ExposureFindings {
  /** Errors. */
  readonly problems: Problem[];
  /** Warnings (errors in strict mode). */
  readonly warnings: Problem[];
}

/**
 * What the target says about one way in, reported under `prop` (`expose`, `alsoExpose[1]`):
 * load balancer support, the Ingress class and scheme, the route's Gateway.
 */
export function exposureTargetProblems(
  target: Target,
  exposure: Exposure,
  port: NamedPort | undefined,
  internal: boolean,
  prop: string,
): ExposureFindings {
  const found: Problem[] = [];
  const warnings: Problem[] = [];
  if (exposure.kind === ExposureKind.LOAD_BALANCER) {
    const support = target.loadBalancerSupport;
    if (support === LoadBalancerSupport.UNSUPPORTED) {
      found.push(problem('load-balancer.unsupported', 'expose', 'loadBalancer', { target: target.id }));
    } else if (support === LoadBalancerSupport.NODE_PORT_FALLBACK) {
      warnings.push(
        problem('load-balancer.pending', 'expose', 'loadBalancer', {
          target: target.id,
          // Only a fix that carries this port: routes and Ingresses carry HTTP over TCP.
          udp: port?.protocol === PortProtocol.UDP,
          route: target.gatewayClass(false) !== undefined,
        }),
      );
    }
    if (internal && support === LoadBalancerSupport.AVAILABLE && !target.internalLoadBalancers) {
      found.push(problem('load-balancer.no-internal', 'expose.internal', true, { target: target.id }));
    }
  }
  if (exposure.kind === ExposureKind.INGRESS) {
    const ingress = ingressTargetProblems(target, exposure.host, internal);
    found.push(...ingress.problems);
    warnings.push(...ingress.warnings);
  }
  if (exposure.kind === ExposureKind.ROUTE) {
    found.push(...routeTargetProblems(target, exposure, port, internal));
    if (target.gatewayProxiesUnnamed) {
      warnings.push(
        problem('route.proxies-unnamed', 'expose', `route (class ${target.gatewayClass(false)})`, {
          target: target.id,
        }),
      );
    }
  }
  const at = (p: Problem): Problem => ({ ...p, prop: p.prop.replace(/^expose/, prop) });
  return { problems: found.map(at), warnings: warnings.map(at) };
}

/**
 * The props checks of a further way in (`alsoExpose[i]`): a named port of the service that no
 * other way in exposes, a kind other than cluster, valid host, path and TLS Secret, and an object
 * name (`<service>-<port>`) that fits a DNS label.
 */
export function additionalExposureProblems(
  exposure: Exposure,
  prop: string,
  serviceName: string,
  ports: NamedPort[],
  taken: string[],
): Problem[] {
  const found: Problem[] = [];
  const names = ports.map((p) => p.name);
  if (exposure.kind === ExposureKind.CLUSTER) {
    found.push(problem('expose.further-cluster', prop, exposure.kind, { prop }));
  }
  if (exposure.portName === undefined) {
    found.push(problem('expose.further-without-port', `${prop}.portName`, undefined, { ports: names }));
  } else if (!names.includes(exposure.portName)) {
    found.push(
      problem('service.undeclared-port', `${prop}.portName`, exposure.portName, {
        ports: names,
        hint: 'expose a port the service declares',
      }),
    );
  } else if (taken.includes(exposure.portName)) {
    found.push(problem('expose.port-taken', `${prop}.portName`, exposure.portName, { taken }));
  } else {
    found.push(
      ...problems(
        checkDerivedName(
          `${prop}.portName`,
          exposure.portName,
          `${serviceName}-${exposure.portName}`,
          `objects of this way in (the service's name + "-${exposure.portName}")`,
          'shorten the port name or the service name',
        ),
      ),
    );
  }
  if (exposure.host !== undefined) found.push(...problems(checkIngressHost(`${prop}.host`, exposure.host)));
  if (exposure.path !== undefined) found.push(...problems(checkIngressPath(`${prop}.path`, exposure.path)));
  if (exposure.tlsSecret !== undefined) {
    found.push(...problems(checkDnsSubdomain(`${prop}.tlsSecret`, exposure.tlsSecret)));
    if (exposure.host === undefined)
      found.push(
        problem('expose.tls-without-host', `${prop}.tlsSecret`, exposure.tlsSecret, {
          hint: 'pass host as well, or drop tlsSecret',
        }),
      );
  }
  return found;
}
