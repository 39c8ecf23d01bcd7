import { App, Size } from 'cdk8s';
import { AccessMode, Exposure, MicroserviceSystem, Storage, Target } from '../../lib';

/**
 * The benchmark's reference system: N services, each a Deployment + Service (LoadBalancer) +
 * 1Gi ReadWriteMany PVC + HPA, with what the library adds to every service (ServiceAccount,
 * PodDisruptionBudget, NetworkPolicy), in one namespace on docker-desktop: 7N + 3 objects.
 */
export function buildReference(app: App, services: number): MicroserviceSystem {
  const system = new MicroserviceSystem(app, 'bench', { target: Target.dockerDesktop() });
  for (let i = 0; i < services; i++) {
    system.addService(`svc-${i}`, {
      image: 'ghcr.io/acme/svc:1.0.0',
      port: 8080,
      expose: Exposure.loadBalancer(),
      autoscaling: { minReplicas: 2, maxReplicas: 5 },
      volumes: [
        Storage.persistent('data', {
          mountPath: '/data',
          size: Size.gibibytes(1),
          accessMode: AccessMode.READ_WRITE_MANY,
        }),
      ],
    });
  }
  return system;
}
