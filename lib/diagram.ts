import { DependencyKind } from './dependency';
import { ExposureKind } from './exposure';
import type { Microservice } from './microservice';
import { StorageKind } from './storage';
import type { MicroserviceSystem } from './system';

/** Mermaid node id for a name (Mermaid ids cannot hold '-' or '.'). */
function nodeId(...parts: string[]): string {
  return parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Renders a system as a Mermaid flowchart: services with their replicas, exposure, volumes and
 * dependency edges labelled with ports. Edges that close a cycle are drawn dotted and listed.
 */
export function renderDiagram(system: MicroserviceSystem): string {
  const lines = ['flowchart LR'];
  const services = system.services;
  lines.push(`  subgraph ${nodeId('ns', system.namespace)}["namespace ${system.namespace} (target ${system.target.id})"]`);
  for (const service of services) {
    const replicas = service.autoscaling
      ? `${service.autoscaling.minReplicas}-${service.autoscaling.maxReplicas} replicas (HPA)`
      : `${service.replicas} replica(s)`;
    const ports = service.ports.map((p) => `${p.name}:${p.port}`).join(' ');
    lines.push(`    ${nodeId(system.namespace, service.serviceName)}["<b>${service.serviceName}</b><br/>${ports || 'no ports'}<br/>${replicas}"]`);
    for (const volume of service.volumes.filter((v) => v.kind === StorageKind.PERSISTENT)) {
      lines.push(`    ${nodeId(system.namespace, service.serviceName, volume.name)}[("${volume.name} ${volume.size!.asString()} ${volume.accessMode}")]`);
    }
  }
  lines.push('  end');
  const cycles = cycleEdges(services);
  const closesCycle = (from: Microservice, to: Microservice) => cycles.some(([a, b]) => a === from && b === to);
  for (const service of services) {
    const id = nodeId(system.namespace, service.serviceName);
    if (service.exposure.kind === ExposureKind.INGRESS) {
      lines.push(`  clients((clients)) -->|"ingress ${service.exposure.host ?? '*'}${service.exposure.path ?? '/'}"| ${id}`);
    } else if (service.exposure.kind === ExposureKind.LOAD_BALANCER) {
      lines.push(`  clients((clients)) -->|"load balancer"| ${id}`);
    }
    for (const volume of service.volumes.filter((v) => v.kind === StorageKind.PERSISTENT)) {
      lines.push(`  ${id} --- ${nodeId(system.namespace, service.serviceName, volume.name)}`);
    }
    for (const edge of service.edges) {
      const dep = edge.dependency;
      if (dep.kind === DependencyKind.EXTERNAL) {
        const ext = nodeId('external', dep.name);
        lines.push(`  ${ext}{{"${dep.name}<br/>${dep.host}"}}`);
        lines.push(`  ${id} -->|"${dep.portNumber}"| ${ext}`);
      } else if (edge.provider && edge.port) {
        const to = nodeId(edge.provider.system.namespace, edge.provider.serviceName);
        const arrow = closesCycle(service, edge.provider) ? '-.->' : '-->';
        lines.push(`  ${id} ${arrow}|"${edge.port.name} ${edge.port.port}"| ${to}`);
      }
    }
  }
  return [
    '```mermaid',
    ...lines,
    '```',
    ...(cycles.length > 0 ? ['', `Dependency cycles (dotted edges): ${cycles.map(([a, b]) => `${a.serviceName} → ${b.serviceName}`).join(', ')}`] : []),
    '',
  ].join('\n');
}

/** Edges that close a cycle in the dependency graph (back edges of a depth-first search). */
function cycleEdges(services: Microservice[]): Array<[Microservice, Microservice]> {
  const state = new Map<Microservice, 'open' | 'done'>();
  const back: Array<[Microservice, Microservice]> = [];
  const visit = (s: Microservice): void => {
    state.set(s, 'open');
    for (const edge of s.edges) {
      const p = edge.provider;
      if (!p) continue;
      if (state.get(p) === 'open') back.push([s, p]);
      else if (!state.has(p)) visit(p);
    }
    state.set(s, 'done');
  };
  services.forEach((s) => { if (!state.has(s)) visit(s); });
  return back;
}
