import { GraphNode } from './contracts';

/** What the diagram draws: a system's workloads and their edges, as plain data. */
export interface SystemGraph {
  /** Namespace of the system. */
  readonly namespace: string;
  /** Id of its target. */
  readonly targetId: string;
  /** Its workloads. */
  readonly nodes: GraphNode[];
}

/** Mermaid node id for a name (Mermaid ids cannot hold '-' or '.'). */
function nodeId(...parts: string[]): string {
  return parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Renders a system as a Mermaid flowchart: workloads with their replicas, exposure, volumes and
 * dependency edges labelled with ports. Edges that close a cycle are drawn dotted and listed.
 */
export function renderDiagram(graph: SystemGraph): string {
  const { namespace } = graph;
  const lines = [
    'flowchart LR',
    `  subgraph ${nodeId('ns', namespace)}["namespace ${namespace} (target ${graph.targetId})"]`,
  ];
  for (const node of graph.nodes) {
    lines.push(`    ${nodeId(namespace, node.name)}["<b>${node.name}</b><br/>${node.detail}<br/>${node.scale}"]`);
    for (const volume of node.volumes)
      lines.push(`    ${nodeId(namespace, node.name, volume.name)}[("${volume.name} ${volume.description}")]`);
  }
  lines.push('  end');
  const cycles = cycleEdges(graph);
  // An endpoint outside the cluster is declared once, however many services call it.
  const declared = new Set<string>();
  for (const node of graph.nodes) {
    const id = nodeId(namespace, node.name);
    if (node.entry) lines.push(`  clients((clients)) -->|"${node.entry}"| ${id}`);
    for (const volume of node.volumes) lines.push(`  ${id} --- ${nodeId(namespace, node.name, volume.name)}`);
    for (const edge of node.edges) {
      if (edge.externalHost !== undefined) {
        const ext = nodeId('external', edge.to);
        if (!declared.has(ext)) lines.push(`  ${ext}{{"${edge.to}<br/>${edge.externalHost}"}}`);
        declared.add(ext);
        lines.push(`  ${id} -->|"${edge.label}"| ${ext}`);
      } else {
        const arrow = cycles.some(([a, b]) => a === node.name && b === edge.to && edge.namespace === namespace)
          ? '-.->'
          : '-->';
        lines.push(`  ${id} ${arrow}|"${edge.label}"| ${nodeId(edge.namespace!, edge.to)}`);
      }
    }
  }
  return [
    '```mermaid',
    ...lines,
    '```',
    ...(cycles.length > 0
      ? ['', `Dependency cycles (dotted edges): ${cycles.map(([a, b]) => `${a} → ${b}`).join(', ')}`]
      : []),
    '',
  ].join('\n');
}

/** Edges within the system that close a cycle (back edges of a depth-first search), as name pairs. */
function cycleEdges(graph: SystemGraph): Array<[string, string]> {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'open' | 'done'>();
  const back: Array<[string, string]> = [];
  const visit = (node: GraphNode): void => {
    state.set(node.name, 'open');
    for (const edge of node.edges) {
      const next = edge.namespace === graph.namespace ? byName.get(edge.to) : undefined;
      if (!next) continue;
      if (state.get(next.name) === 'open') back.push([node.name, next.name]);
      else if (!state.has(next.name)) visit(next);
    }
    state.set(node.name, 'done');
  };
  graph.nodes.forEach((n) => {
    if (!state.has(n.name)) visit(n);
  });
  return back;
}
