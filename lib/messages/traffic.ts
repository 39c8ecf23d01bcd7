import { message } from './message';

const names = (list: readonly string[]) => list.join(', ') || 'none';

/** Traffic: dependencies, ways in (load balancers, Ingresses, routes and their Gateways). */
export const TRAFFIC_MESSAGES = {
  'dependency.cidr': message(
    () => 'an IPv4 or IPv6 CIDR such as "10.20.0.0/16" or "2001:db8::/32"',
    () => "give the network address and prefix length of the endpoint's subnet",
  ),
  'dependency.other-app': message(
    () => 'a service of this app',
    () =>
      'the provider belongs to another App, whose output is written separately: use Dependency.inNamespace() or Dependency.external()',
  ),
  'dependency.self': message(
    () => 'a service other than the workload itself',
    () =>
      'a process reaches itself without the network; for the pods of a clustered StatefulSet calling each other, list the ports in statefulSet.peerPorts',
  ),
  'dependency.unknown-namespace': message<{ known: string[] }>(
    (f) => `a namespace owned by a MicroserviceSystem of this app (${f.known.join(', ')})`,
    () => 'define that system in this app, or use Dependency.external() for a service managed elsewhere',
  ),
  'dependency.unknown-service': message<{ namespace: string; services: string[]; consumer: string }>(
    (f) => `a service of namespace "${f.namespace}"${f.services.length > 0 ? `: ${f.services.join(', ')}` : ''}`,
    (f) => `"${f.consumer}" depends on a service that does not exist: check the name or add the service`,
  ),
  'dependency.unknown-port': message<{ provider: string; ports: string[]; consumer: string }>(
    (f) => `a port declared by "${f.provider}": ${names(f.ports)}`,
    (f) =>
      `"${f.consumer}" calls "${f.provider}" on a port it does not declare: add it to the provider's ports or fix the name`,
  ),
  'expose.no-ports': message(
    () => 'Exposure.cluster() for a service without ports',
    () => 'declare port: 8080 (or the port it listens on)',
  ),
  'expose.tls-without-host': message<{ hint: string }>(
    () => 'a TLS Secret together with a host (the certificate is for a name)',
    (f) => f.hint,
  ),
  'expose.ingress-to-udp': message(
    () => 'an Ingress to a TCP port (Ingresses route HTTP)',
    () => 'expose a UDP port with Exposure.loadBalancer()',
  ),
  'expose.route-to-udp': message(
    () => 'a route to a TCP port (HTTPRoute and GRPCRoute carry HTTP)',
    () => 'expose a UDP port with Exposure.loadBalancer()',
  ),
  'expose.further-cluster': message<{ prop: string }>(
    () => 'a load balancer, Ingress or route (every port is reachable in the cluster already)',
    (f) => `remove ${f.prop}`,
  ),
  'expose.further-without-port': message<{ ports: string[] }>(
    (f) => `the named port this way in exposes: ${names(f.ports)}`,
    () => 'a further way in names its port, e.g. Exposure.route({ portName: "grpc" })',
  ),
  'expose.port-taken': message<{ taken: string[] }>(
    (f) => `a port no other way in exposes (taken: ${f.taken.join(', ')})`,
    () => 'one way in per port: drop this one or pick another port',
  ),
  'load-balancer.unsupported': message<{ target: string }>(
    (f) => `Exposure.cluster() or Exposure.ingress() on target "${f.target}" (it has no load balancer)`,
    () => 'use an Ingress, or install a load balancer implementation and describe it in a custom target',
  ),
  'load-balancer.pending': message<{ target: string; udp: boolean; route: boolean }>(
    (f) => `a LoadBalancer stays pending on target "${f.target}"`,
    (f) =>
      f.udp
        ? 'emitted as NodePort instead, which carries UDP (reach it on a node address); for a real LoadBalancer install cloud-provider-kind or MetalLB (routes and Ingresses carry HTTP only)'
        : `emitted as NodePort instead; for HTTP use ${f.route ? 'Exposure.route()' : 'Exposure.ingress()'}, or install cloud-provider-kind or MetalLB for a real LoadBalancer`,
  ),
  'load-balancer.no-internal': message<{ target: string }>(
    (f) => `public load balancers only on target "${f.target}"`,
    () => 'drop internal, or use a target with internal load balancers',
  ),
  'route.proxies-unnamed': message<{ target: string }>(
    (f) => `a Gateway implementation whose proxies' namespace NetworkPolicies admit on target "${f.target}"`,
    () =>
      "the port is open to any source in the cluster until you name the proxies' namespace with the Target option gatewayProxyNamespace (Envoy Gateway: envoy-gateway-system)",
  ),
  'route.plain-http-without-tls': message(
    () => 'plainHttp only beside a tlsSecret (a route without TLS is served over plain HTTP anyway)',
    () => 'drop plainHttp, or pass tlsSecret and host',
  ),
  'route.tls-on-shared-gateway': message<{ gateway: string }>(
    () => "TLS on the system's own Gateway only",
    (f) => `the platform-owned Gateway ${f.gateway} holds its certificates: drop tlsSecret`,
  ),
  'route.scheme-on-shared-gateway': message<{ gateway: string }>(
    () => 'no scheme on a route to a platform-owned Gateway (the Gateway decides it)',
    (f) => `drop internal, and attach to the platform's internal or public Gateway instead of ${f.gateway} as needed`,
  ),
  'route.kinds-share-host': message<{
    kind: string;
    otherKind: string;
    gateway: string;
    claimedBy: string;
    otherHost?: string;
    hint: string;
  }>(
    (f) =>
      `a host no ${f.otherKind} on the same listener of Gateway ${f.gateway} serves: Gateway API does not let a GRPCRoute and an HTTPRoute share a hostname on one listener (GEP-1016: the implementation may reject the later route), and ${f.claimedBy} is ${f.otherKind === 'HTTPRoute' ? 'an' : 'a'} ${f.otherKind} for ${f.otherHost ?? 'every host'}`,
    (f) => f.hint,
  ),
  'route.grpc-unsupported': message<{ target: string; why: string }>(
    (f) => `a way in that carries gRPC on target "${f.target}" (${f.why})`,
    () =>
      'expose the gRPC port with Exposure.loadBalancer({ portName }) (a passthrough load balancer carries HTTP/2), or install a Gateway implementation that serves GRPCRoute and name it with the Target options gatewayClass and gatewayProxyNamespace',
  ),
  'route.grpc-path': message(
    () =>
      'a gRPC route path that names a service, "/package.Service" or "/package.Service/Method", which becomes a GRPCRoute method match (a GRPCRoute has no path prefix), or "/" for every method',
    () => 'write the path a gRPC client calls, e.g. "/shop.v1.Catalog", or drop path',
  ),
  'route.no-internal-class': message<{ target: string }>(
    (f) => `a route through a public Gateway on target "${f.target}" (it has no internal GatewayClass)`,
    () =>
      "attach to the platform's internal Gateway with gateway: GatewayReference.shared({ name, namespace }), or name a class with the Target option internalGatewayClass",
  ),
  'route.no-class': message<{ target: string; controller?: string }>(
    (f) =>
      f.controller === undefined
        ? `a route on a target with a Gateway API implementation ("${f.target}" has none out of the box)`
        : `a route to a Gateway of the platform's class on target "${f.target}" (its controller ${f.controller} serves the GatewayClass the platform creates, with the load balancer's settings)`,
    (f) =>
      f.controller === undefined
        ? 'name the GatewayClass you installed (Envoy Gateway, NGINX Gateway Fabric, Traefik) with the Target option gatewayClass, or attach to a platform Gateway with GatewayReference.shared({ name, namespace })'
        : "attach to the platform's Gateway with GatewayReference.shared({ name, namespace }), or name the platform's GatewayClass with the Target option gatewayClass for a Gateway of the system's own",
  ),
  'ingress.host-required': message<{ target: string }>(
    (f) => `a host name on target "${f.target}" (its router needs one)`,
    () => 'pass Exposure.ingress({ host: "shop.apps.example.com" })',
  ),
  'ingress.no-class': message<{ target: string }>(
    (f) => `an Ingress class on target "${f.target}" (it has no ingress controller out of the box)`,
    () =>
      'name the controller you installed with the Target option ingressClass, or expose with Exposure.route() and the option gatewayClass',
  ),
  'ingress.retired-controller': message<{ target: string; replacement: string }>(
    (f) => `an Ingress through a supported controller on target "${f.target}" (this one is retired or losing support)`,
    (f) => `move to ${f.replacement}`,
  ),
  'ingress.support-ended': message<{ target: string; replacement: string; className: string }>(
    (f) => `a supported way in on target "${f.target}" (support for the default Ingress class has ended)`,
    (f) =>
      `move to ${f.replacement}; to keep the Ingress for now, name the class with the Target option ingressClass: "${f.className}" (it draws a warning)`,
  ),
  'ingress.controller-unnamed': message<{ target: string }>(
    (f) => `a controller whose namespace NetworkPolicies admit on target "${f.target}"`,
    () =>
      "the port is open to any source in the cluster until you name the controller's namespace with the Target option ingressControllerNamespace",
  ),
  'ingress.internal-needs-class': message<{ target: string }>(
    (f) =>
      `an internal Ingress class on target "${f.target}" (its IngressClassParams scheme overrides the annotation, so the Ingress would come out internet-facing)`,
    () =>
      'create an IngressClass whose IngressClassParams say scheme: internal and name it with the Target option internalIngressClass, or drop internal',
  ),
} as const;
