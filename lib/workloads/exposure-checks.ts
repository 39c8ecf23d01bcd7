import { checkDnsLabel, checkDnsSubdomain, checkIngressHost, checkIngressPath, problems } from '../checks';
import { Problem } from '../errors';
import { Exposure, ExposureKind } from '../network/exposure';
import { routeTargetProblems } from '../objects/route';
import { NamedPort } from '../pod/container';
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
      found.push({
        prop: 'expose',
        received: 'loadBalancer',
        allowed: `Exposure.cluster() or Exposure.ingress() on target "${target.id}" (it has no load balancer)`,
        hint: 'use an Ingress, or install a load balancer implementation and describe it in a custom target',
      });
    } else if (support === LoadBalancerSupport.NODE_PORT_FALLBACK) {
      warnings.push({
        prop: 'expose',
        received: 'loadBalancer',
        allowed: `a LoadBalancer stays pending on target "${target.id}"`,
        hint: 'emitted as NodePort instead; use Exposure.ingress(), or a tunnel/MetalLB for a real LoadBalancer',
      });
    }
    if (internal && support === LoadBalancerSupport.AVAILABLE && !target.internalLoadBalancers) {
      found.push({
        prop: 'expose.internal',
        received: true,
        allowed: `public load balancers only on target "${target.id}"`,
        hint: 'drop internal, or use a target with internal load balancers',
      });
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
      warnings.push({
        prop: 'expose',
        received: `route (class ${target.gatewayClass(false)})`,
        allowed: `a Gateway implementation whose proxies' namespace NetworkPolicies admit on target "${target.id}"`,
        hint: "the port is open to any source in the cluster until you name the proxies' namespace with the Target option gatewayProxyNamespace (Envoy Gateway: envoy-gateway-system)",
      });
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
    found.push({
      prop,
      received: exposure.kind,
      allowed: 'a load balancer, Ingress or route (every port is reachable in the cluster already)',
      hint: `remove ${prop}`,
    });
  }
  if (exposure.portName === undefined) {
    found.push({
      prop: `${prop}.portName`,
      received: undefined,
      allowed: `the named port this way in exposes: ${names.join(', ') || 'none'}`,
      hint: 'a further way in names its port, e.g. Exposure.route({ portName: "grpc" })',
    });
  } else if (!names.includes(exposure.portName)) {
    found.push({
      prop: `${prop}.portName`,
      received: exposure.portName,
      allowed: `a declared port: ${names.join(', ') || 'none'}`,
      hint: 'expose a port the service declares',
    });
  } else if (taken.includes(exposure.portName)) {
    found.push({
      prop: `${prop}.portName`,
      received: exposure.portName,
      allowed: `a port no other way in exposes (taken: ${taken.join(', ')})`,
      hint: 'one way in per port: drop this one or pick another port',
    });
  } else {
    found.push(...problems(checkDnsLabel(`${prop}.portName`, `${serviceName}-${exposure.portName}`)));
  }
  if (exposure.host !== undefined) found.push(...problems(checkIngressHost(`${prop}.host`, exposure.host)));
  if (exposure.path !== undefined) found.push(...problems(checkIngressPath(`${prop}.path`, exposure.path)));
  if (exposure.tlsSecret !== undefined) {
    found.push(...problems(checkDnsSubdomain(`${prop}.tlsSecret`, exposure.tlsSecret)));
    if (exposure.host === undefined)
      found.push({
        prop: `${prop}.tlsSecret`,
        received: exposure.tlsSecret,
        allowed: 'a TLS Secret together with a host (the certificate is for a name)',
        hint: 'pass host as well, or drop tlsSecret',
      });
  }
  return found;
}
