import { App } from 'cdk8s';
import { Exposure, GatewayReference, Manifests, MicroserviceSystem, Target } from '../lib';
import { intersectHosts } from '../lib/checks';
import { codesOf, find, objectsOf, problemsOf } from './helpers';

const grpcPorts = { port: 8080, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }] };

/** An app with a web service exposed by `web` and a gRPC service exposed by `rpc` (its grpc port). */
function webAndRpc(web: Exposure, rpc: Exposure, target: Target = Target.k3s()): App {
  const app = new App();
  const system = new MicroserviceSystem(app, 'shop', { target });
  system.addService('web', { image: 'a/web:1.0.0', port: 8080, expose: web });
  system.addService('rpc', { image: 'a/rpc:1.0.0', ...grpcPorts, expose: Exposure.cluster(), alsoExpose: [rpc] });
  return app;
}

describe('a GRPCRoute and an HTTPRoute sharing a host on one listener (GEP-1016)', () => {
  test('refused with a message that says so, and a fix that is valid', () => {
    const build = () =>
      webAndRpc(
        Exposure.route({ host: 'shop.example.com' }),
        Exposure.route({ host: 'shop.example.com', portName: 'grpc' }),
      );
    expect(codesOf(build)).toEqual(['route.kinds-share-host']);
    const [message] = problemsOf(build);
    expect(message).toContain('[shop] rpc.alsoExpose[0]: received "GRPCRoute shop.example.com"');
    expect(message).toContain('Gateway API does not let a GRPCRoute and an HTTPRoute share a hostname on one listener');
    expect(message).toContain('shop/web expose is an HTTPRoute for shop.example.com');
    const suggested = /such as "([^"]+)"/.exec(message)![1];
    expect(suggested).toBe('grpc.shop.example.com');
    // The fix the hint names synthesizes.
    const fixed = objectsOf(
      webAndRpc(Exposure.route({ host: 'shop.example.com' }), Exposure.route({ host: suggested, portName: 'grpc' })),
    );
    expect(find(fixed, 'GRPCRoute', 'rpc-grpc').spec.hostnames).toEqual([suggested]);
  });

  test('another path does not separate them: only the host does', () => {
    const build = () =>
      webAndRpc(
        Exposure.route({ host: 'shop.example.com', path: '/api' }),
        Exposure.route({ host: 'shop.example.com', portName: 'grpc' }),
      );
    expect(codesOf(build)).toEqual(['route.kinds-share-host']);
  });

  test('a route without a host claims every host: the hint asks for hosts on both', () => {
    const build = () => webAndRpc(Exposure.route(), Exposure.route({ host: 'rpc.example.com', portName: 'grpc' }));
    expect(codesOf(build)).toEqual(['route.kinds-share-host']);
    expect(problemsOf(build)[0]).toMatch(
      /Hint: a route without a host claims every host of the listener: give shop\/web expose a host/,
    );
  });

  test('a wildcard covering every suggestion: the hint names the wildcard instead of an invalid host', () => {
    const build = () =>
      webAndRpc(
        Exposure.route({ host: '*.example.com' }),
        Exposure.route({ host: 'api.example.com', portName: 'grpc' }),
      );
    expect(problemsOf(build)[0]).toMatch(
      /Hint: give the gRPC route a host outside \*\.example\.com, or attach it to another Gateway$/,
    );
  });

  test('TLS puts routes on the HTTPS listener of their host; the redirect of an HTTPS route is an HTTPRoute on HTTP', () => {
    const tls = (host: string) => ({ host, tlsSecret: `${host.split('.')[0]}-tls` });
    // Both over HTTPS, each host its listener: fine.
    expect(() =>
      objectsOf(
        webAndRpc(
          Exposure.route(tls('shop.example.com')),
          Exposure.route({ ...tls('rpc.example.com'), portName: 'grpc' }),
        ),
      ),
    ).not.toThrow();
    // The same host over HTTPS: one listener.
    expect(
      codesOf(() =>
        webAndRpc(
          Exposure.route(tls('shop.example.com')),
          Exposure.route({ ...tls('shop.example.com'), portName: 'grpc' }),
        ),
      ),
    ).toEqual(['route.kinds-share-host']);
    // An HTTPS web route's redirect shares the HTTP listener with a plain gRPC route of its host.
    const redirect = problemsOf(() =>
      webAndRpc(
        Exposure.route(tls('shop.example.com')),
        Exposure.route({ host: 'shop.example.com', portName: 'grpc' }),
      ),
    );
    // (The gRPC route, without TLS, attaches to the host's HTTPS listener as well: the first clash named.)
    expect(redirect[0]).toContain('shop/web expose is an HTTPRoute for shop.example.com');
  });

  test('on a platform Gateway they conflict unless each names a different listener', () => {
    const shared = (sectionName?: string) =>
      GatewayReference.shared({ name: 'edge', namespace: 'gateways', sectionName });
    const app = (web?: string, rpc?: string) => () =>
      webAndRpc(
        Exposure.route({ host: 'shop.example.com', gateway: shared(web) }),
        Exposure.route({ host: 'shop.example.com', portName: 'grpc', gateway: shared(rpc) }),
        Target.eks(),
      );
    expect(codesOf(app())).toEqual(['route.kinds-share-host']);
    expect(codesOf(app('web', 'web'))).toEqual(['route.kinds-share-host']);
    expect(codesOf(app('web'))).toEqual(['route.kinds-share-host']);
    expect(() => Manifests.synthesize(app('web', 'grpc')())).not.toThrow();
  });

  test('hostnames intersect as Gateway API matches them', () => {
    expect(intersectHosts(undefined, 'a.example.com')).toBe('a.example.com');
    expect(intersectHosts('*.example.com', 'a.b.example.com')).toBe('a.b.example.com');
    expect(intersectHosts('*.example.com', 'example.com')).toBeNull();
    expect(intersectHosts('*.example.com', '*.b.example.com')).toBe('*.b.example.com');
    expect(intersectHosts('a.example.com', 'b.example.com')).toBeNull();
  });
});

describe("a gRPC route's path is its method match", () => {
  const rpc = (path?: string) => () => {
    const app = new App();
    new MicroserviceSystem(app, 'shop', { target: Target.k3s() }).addService('rpc', {
      image: 'a/rpc:1.0.0',
      ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }],
      expose: Exposure.route({ host: 'rpc.example.com', path }),
    });
    return app;
  };
  const rules = (path?: string) => {
    return find(objectsOf(rpc(path)()), 'GRPCRoute', 'rpc').spec.rules;
  };

  test('/package.Service matches every method of the service; /package.Service/Method one method', () => {
    expect(rules('/shop.v1.Catalog')).toEqual([
      {
        matches: [{ method: { type: 'Exact', service: 'shop.v1.Catalog' } }],
        backendRefs: [{ name: 'rpc', port: 9090 }],
      },
    ]);
    expect(rules('/shop.v1.Catalog/List')[0].matches).toEqual([
      { method: { type: 'Exact', service: 'shop.v1.Catalog', method: 'List' } },
    ]);
    expect(rules('/')).toEqual([{ backendRefs: [{ name: 'rpc', port: 9090 }] }]);
    expect(rules(undefined)).toEqual([{ backendRefs: [{ name: 'rpc', port: 9090 }] }]);
  });

  test('any other path is refused, not dropped', () => {
    for (const path of ['/api', '/api/v1', '/shop.v1.Catalog/List/x', '/shop.v1.Catalog/Li-st'])
      expect(codesOf(rpc(path))).toEqual(['route.grpc-path']);
  });
});
