import type { DocsNode, DocsProject } from './docs-project.js';
import { LINEAGE_TYPES } from './docs-project.js';
import type { LayoutOptions, LineageEdge } from './lineage-layout.js';
import { layoutLineage } from './lineage-layout.js';
import { attributes, escapeHtml, hrefOf, routeOf } from './markup.js';

export interface LineageGraph {
  nodes: string[];
  edges: LineageEdge[];
}

/** Every source, seed, model and snapshot, with the parent_map edges between them. */
export function projectLineage(project: DocsProject): LineageGraph {
  const nodes = [...project.nodes.values()].filter((node) => LINEAGE_TYPES.has(node.resourceType)).map((node) => node.uniqueId);
  return { nodes, edges: edgesAmong(project, nodes) };
}

/** A node with its ancestors and descendants up to `depth` steps away. */
export function neighbourhoodLineage(project: DocsProject, focus: string, depth: number): LineageGraph {
  const keep = new Set([focus]);
  const walk = (next: (node: DocsNode) => string[]) => {
    let frontier = [focus];
    for (let step = 0; step < depth && frontier.length; step++) {
      const found: string[] = [];
      for (const id of frontier) {
        const node = project.nodes.get(id);
        for (const other of node ? next(node) : []) {
          const candidate = project.nodes.get(other);
          if (!candidate || !LINEAGE_TYPES.has(candidate.resourceType) || keep.has(other)) continue;
          keep.add(other);
          found.push(other);
        }
      }
      frontier = found;
    }
  };
  walk((node) => node.parents);
  walk((node) => node.children);
  const nodes = [...project.nodes.keys()].filter((id) => keep.has(id));
  return { nodes, edges: edgesAmong(project, nodes) };
}

function edgesAmong(project: DocsProject, ids: readonly string[]): LineageEdge[] {
  const inside = new Set(ids);
  return ids.flatMap((id) => (project.nodes.get(id)?.parents ?? []).filter((parent) => inside.has(parent)).map((parent) => ({ from: parent, to: id })));
}

function fit(label: string, width: number): string {
  const room = Math.floor((width - 22) / 7.2);
  return label.length <= room ? label : `${label.slice(0, Math.max(1, room - 1))}…`;
}

/**
 * The graph as SVG. Every box is a link to its page (`#!/model/…`), edges carry
 * `data-from`/`data-to` so the page script can highlight upstream and downstream.
 */
export function renderLineageSvg(project: DocsProject, graph: LineageGraph, options: LayoutOptions & { id: string; focus?: string }): string {
  const layout = layoutLineage(graph.nodes, graph.edges, options);
  const marker = `${options.id}-arrow`;
  const edges = layout.edges
    .map((edge) => `<path${attributes({ class: 'le', 'data-from': edge.from, 'data-to': edge.to, d: edge.path, 'marker-end': `url(#${marker})` })}/>`)
    .join('\n');
  const boxes = layout.nodes
    .map((placed) => {
      const node = project.nodes.get(placed.id) as DocsNode;
      const classes = ['ln', `ln-${node.resourceType}`, node.materialized === 'ephemeral' ? 'ln-ephemeral' : null, placed.id === options.focus ? 'focus' : null]
        .filter(Boolean)
        .join(' ');
      return (
        `<g${attributes({ class: classes, 'data-id': node.uniqueId, transform: `translate(${placed.x} ${placed.y})` })}>` +
        `<a${attributes({ href: hrefOf(routeOf(node.resourceType, node.uniqueId)) })}>` +
        `<title>${escapeHtml(`${node.resourceType}: ${node.uniqueId}`)}</title>` +
        `<rect${attributes({ width: layout.nodeWidth, height: layout.nodeHeight, rx: 6 })}/>` +
        `<text${attributes({ x: 10, y: layout.nodeHeight / 2 + 4 })}>${escapeHtml(fit(node.label, layout.nodeWidth))}</text>` +
        `</a></g>`
      );
    })
    .join('\n');
  return (
    `<svg${attributes({ class: 'lineage', id: options.id, xmlns: 'http://www.w3.org/2000/svg', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'img', 'aria-label': 'Lineage graph', 'data-focus': options.focus })}>` +
    `<defs><marker${attributes({ id: marker, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' })}><path d="M0 0 L10 5 L0 10 z"/></marker></defs>` +
    `<g class="edges">${edges}</g><g class="nodes">${boxes}</g></svg>`
  );
}
