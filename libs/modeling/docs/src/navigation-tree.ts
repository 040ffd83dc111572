import type { DocsNode, DocsProject, DocsResourceType } from './docs-project.js';
import { attributes, escapeHtml, hrefOf, routeOf } from './markup.js';

const GROUPS: [DocsResourceType, string][] = [
  ['source', 'Sources'],
  ['seed', 'Seeds'],
  ['model', 'Models'],
  ['snapshot', 'Snapshots'],
  ['analysis', 'Analyses'],
  ['test', 'Data tests'],
];

interface Folder {
  name: string;
  folders: Map<string, Folder>;
  leaves: DocsNode[];
}

/** What the search box matches against: name, description, tags, columns, relation. */
export function searchText(node: DocsNode): string {
  return [node.label, node.uniqueId, node.description, node.relationName ?? '', node.materialized ?? '', ...node.tags.map((tag) => `tag:${tag}`), ...node.columns.map((c) => c.name)]
    .join(' ')
    .toLowerCase();
}

function leaf(node: DocsNode): string {
  const badge = node.resourceType === 'model' && node.materialized ? `<span class="mat">${escapeHtml(node.materialized)}</span>` : '';
  return `<li><a${attributes({ class: 'leaf', href: hrefOf(routeOf(node.resourceType, node.uniqueId)), 'data-id': node.uniqueId, 'data-search': searchText(node) })}>${escapeHtml(node.name)}${badge}</a></li>`;
}

function renderFolder(folder: Folder, open: boolean): string {
  const folders = [...folder.folders.values()].sort((a, b) => a.name.localeCompare(b.name)).map((child) => renderFolder(child, false));
  const leaves = folder.leaves.map(leaf);
  return `<details class="group"${open ? ' open' : ''}><summary>${escapeHtml(folder.name)}</summary><ul>${folders.map((f) => `<li>${f}</li>`).join('')}${leaves.join('')}</ul></details>`;
}

/** The sidebar: resource type, then folder, then nodes, each a link to its page. */
export function renderNavigationTree(project: DocsProject): string {
  return GROUPS.map(([type, title]) => {
    const nodes = [...project.nodes.values()].filter((node) => node.resourceType === type);
    if (nodes.length === 0) return '';
    const root: Folder = { name: `${title} (${nodes.length})`, folders: new Map(), leaves: [] };
    for (const node of nodes) {
      let folder = root;
      for (const part of node.folder) {
        let next = folder.folders.get(part);
        if (!next) {
          next = { name: part, folders: new Map(), leaves: [] };
          folder.folders.set(part, next);
        }
        folder = next;
      }
      folder.leaves.push(node);
    }
    return renderFolder(root, type !== 'test');
  }).join('\n');
}
