import { Target } from '../lib';

/**
 * The targets the example apps are synthesized for: the built-in profiles as they are, except
 * kubeadm, which ships no StorageClass, ingress controller or Gateway API implementation, so the
 * examples name what a kubeadm cluster typically gets installed: Rancher's local-path
 * provisioner and Traefik (an Ingress controller and a Gateway API implementation in one); and
 * RKE2, which bundles no StorageClass either: the examples name Rancher's Longhorn. On Docker
 * Desktop, kind and minikube, whose bundled ingress-nginx was retired, they use Envoy Gateway
 * (GatewayClass `eg`, as its quickstart installs it), so every example is exposed through routes.
 */
export function exampleTarget(id: string): Target {
  if (id === 'kubeadm') {
    return Target.kubeadm({ storageClass: 'local-path', ingressClass: 'traefik', ingressControllerNamespace: 'traefik', gatewayClass: 'traefik', gatewayProxyNamespace: 'traefik', gatewayListenerPorts: { http: 8000, https: 8443 } });
  }
  if (['docker-desktop', 'kind', 'minikube'].includes(id)) return Target.fromId(id, { gatewayClass: 'eg', gatewayProxyNamespace: 'envoy-gateway-system' });
  return id === 'rke2' ? Target.rke2({ storageClass: 'longhorn' }) : Target.fromId(id);
}
