import { App } from 'cdk8s';
import { ExposureKind, MicroserviceSystem } from '../../lib';
import { EXAMPLES } from '../../apps/examples';
import { exampleTarget } from '../../apps/targets';

/**
 * What the app declares, read from its constructs (not from the NetworkPolicies it renders): the
 * workloads and the dependency edges between them. The real-node test expects exactly these
 * edges to connect and every other pod-to-pod pair to be blocked.
 */
export interface ModelWorkload {
  readonly namespace: string;
  readonly name: string;
  /** Labels that select its pods. */
  readonly selector: { readonly [key: string]: string };
}

/** A declared call from one workload's pods to another's port. */
export interface ModelEdge {
  readonly from: ModelWorkload;
  readonly to: ModelWorkload;
  readonly port: number;
  readonly protocol: string;
}

/** The declared model of an app. */
export interface AppModel {
  readonly workloads: ModelWorkload[];
  readonly edges: ModelEdge[];
  /**
   * Ports exposed through a load balancer, as `<namespace>/<name>:<port>`: public by declaration,
   * and where the target cannot tell the balancer's traffic from other sources, open to pods too.
   */
  readonly publicPorts: Set<string>;
}

/** The model of this repository's example apps on a target, as `npm run synth` builds them. */
export function exampleModel(targetId: string): AppModel {
  const app = new App();
  const systems = EXAMPLES.map((build) => build(app, exampleTarget(targetId)));
  return modelOf(systems);
}

/** The workloads and dependency edges of systems. */
export function modelOf(systems: MicroserviceSystem[]): AppModel {
  const workloads = new Map<string, ModelWorkload>();
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  for (const system of systems)
    for (const w of system.workloads)
      workloads.set(key(w.pods.namespace, w.serviceName), {
        namespace: w.pods.namespace,
        name: w.serviceName,
        selector: w.pods.selectorLabels,
      });
  const edges = systems.flatMap((system) =>
    system.workloads.flatMap((w: any) =>
      (w.edges ?? []).flatMap((edge: any): ModelEdge[] => {
        if (!edge.provider || !edge.port) return []; // outside the cluster
        const to = workloads.get(key(edge.provider.pods.namespace, edge.provider.serviceName));
        if (!to) throw new Error(`${w.serviceName} depends on ${edge.provider.serviceName}, which no system holds`);
        return [
          {
            from: workloads.get(key(w.pods.namespace, w.serviceName))!,
            to,
            port: edge.port.port,
            protocol: edge.port.protocol ?? 'TCP',
          },
        ];
      }),
    ),
  );
  // A clustered StatefulSet's pods call each other on its peer ports.
  const peers = systems.flatMap((system) =>
    system.workloads.flatMap((w: any): ModelEdge[] => {
      const self = workloads.get(key(w.pods.namespace, w.serviceName))!;
      return (w.peerPorts ?? []).map((p: any) => ({
        from: self,
        to: self,
        port: p.port,
        protocol: p.protocol ?? 'TCP',
      }));
    }),
  );
  const publicPorts = new Set<string>();
  for (const system of systems)
    for (const w of system.services)
      for (const exposure of [w.expose, ...w.alsoExpose].filter((e) => e.kind === ExposureKind.LOAD_BALANCER)) {
        const port = exposure.portName ? w.ports.find((p) => p.name === exposure.portName) : w.ports[0];
        if (port) publicPorts.add(`${w.pods.namespace}/${w.serviceName}:${port.port}`);
      }
  return { workloads: [...workloads.values()], edges: [...edges, ...peers], publicPorts };
}

/** The model workload whose selector matches a pod's labels and namespace. */
export function workloadOf(
  model: AppModel,
  namespace: string,
  labels: { [key: string]: string },
): ModelWorkload | undefined {
  return model.workloads.find(
    (w) => w.namespace === namespace && Object.entries(w.selector).every(([k, v]) => labels[k] === v),
  );
}

/** Whether a workload's port is exposed through a load balancer. */
export function isPublic(model: AppModel, w: ModelWorkload, port: number): boolean {
  return model.publicPorts.has(`${w.namespace}/${w.name}:${port}`);
}

/** Whether the model lets `from`'s pods reach `to`'s pods on a port. */
export function declared(
  model: AppModel,
  from: ModelWorkload,
  to: ModelWorkload,
  port: number,
  protocol: string,
): boolean {
  return model.edges.some((e) => e.from === from && e.to === to && e.port === port && e.protocol === protocol);
}
