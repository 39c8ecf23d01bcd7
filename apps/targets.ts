import { Target } from '../lib';

/**
 * The targets the example apps are synthesized for: the built-in profiles as they are, except
 * kubeadm, which ships no StorageClass, ingress controller or Gateway API implementation, so the
 * examples name what a kubeadm cluster typically gets installed: Rancher's local-path
 * provisioner and Traefik (an Ingress controller and a Gateway API implementation in one).
 */
export function exampleTarget(id: string): Target {
  return id === 'kubeadm'
    ? Target.kubeadm({ storageClass: 'local-path', ingressClass: 'traefik', ingressControllerNamespace: 'traefik', gatewayClass: 'traefik', gatewayProxyNamespace: 'traefik' })
    : Target.fromId(id);
}
