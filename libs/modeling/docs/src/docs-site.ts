import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '@sp01/modeling-compiler';
import type { CatalogArtifact, RunResultsArtifact, SourceFreshnessArtifact } from './artifacts.js';
import type { DocsProject } from './docs-project.js';
import { buildDocsProject, LINEAGE_TYPES } from './docs-project.js';
import { escapeHtml, hrefOf, jsonForScript } from './markup.js';
import { renderNavigationTree } from './navigation-tree.js';
import { renderLineagePage, renderNodePage, renderNotFoundPage, renderOverviewPage } from './node-pages.js';
import { SITE_SCRIPT } from './site-script.js';
import { SITE_STYLE } from './site-style.js';

export interface DocsSiteOptions {
  manifest: Manifest;
  runResults?: RunResultsArtifact;
  catalog?: CatalogArtifact;
  /** `sources.json` from `source-freshness`: shows each source's last check. */
  sourceFreshness?: SourceFreshnessArtifact;
  outDir: string;
  /** How far a page's own lineage graph reaches up and down (the full graph has everything). Default 2. */
  lineageDepth?: number;
}

export interface DocsSite {
  indexPath: string;
  /** Every file written, absolute. */
  files: string[];
  /** Pages generated, one per source, seed, model, snapshot and data test. */
  pages: number;
}

/** The ids the page script needs for highlighting: parents and children among lineage nodes. */
function scriptData(project: DocsProject): Record<string, unknown> {
  const parents: Record<string, string[]> = {};
  const children: Record<string, string[]> = {};
  const drawn = (id: string) => LINEAGE_TYPES.has(project.nodes.get(id)?.resourceType ?? '');
  for (const node of project.nodes.values()) {
    if (!drawn(node.uniqueId)) continue;
    parents[node.uniqueId] = node.parents.filter(drawn);
    children[node.uniqueId] = node.children.filter(drawn);
  }
  return { project: project.name, parents, children };
}

export function renderDocsHtml(project: DocsProject, lineageDepth = 2): string {
  const pages = [...project.nodes.values()].map((node) => renderNodePage(project, node, { lineageDepth }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@sp01/modeling-docs">
<title>${escapeHtml(project.name)} docs</title>
<link rel="stylesheet" href="assets/docs.css">
</head>
<body>
<header class="top"><a class="brand" href="${hrefOf('overview')}">${escapeHtml(project.name)}</a><span class="kind">${escapeHtml(project.adapterType)} · generated ${escapeHtml(project.generatedAt)}</span>
<nav><a href="${hrefOf('overview')}">Overview</a><a href="${hrefOf('lineage')}">Lineage</a></nav></header>
<div class="layout">
<aside class="sidebar"><input id="search" type="search" placeholder="Search (press /)" aria-label="Search models, sources, columns and tags"><p id="search-count"></p>
<nav id="tree">
${renderNavigationTree(project)}
</nav></aside>
<main id="pages">
${renderOverviewPage(project)}
${renderLineagePage(project)}
${pages.join('\n')}
${renderNotFoundPage()}
</main>
</div>
<script type="application/json" id="docs-data">${jsonForScript(scriptData(project))}</script>
<script src="assets/docs.js"></script>
</body>
</html>
`;
}

/**
 * Writes the documentation site (like `dbt docs generate`): `index.html` with every page
 * pre-rendered, and `assets/docs.css` + `assets/docs.js`. Nothing is fetched at view time,
 * so it opens from a file:// URL and needs no network or CDN.
 */
export function generateDocsSite(options: DocsSiteOptions): DocsSite {
  const project = buildDocsProject(options);
  const html = renderDocsHtml(project, options.lineageDepth ?? 2);
  const assets = join(options.outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  const files: [string, string][] = [
    [join(options.outDir, 'index.html'), html],
    [join(assets, 'docs.css'), SITE_STYLE],
    [join(assets, 'docs.js'), SITE_SCRIPT],
  ];
  for (const [path, content] of files) writeFileSync(path, content);
  return { indexPath: files[0]?.[0] as string, files: files.map(([path]) => path), pages: project.nodes.size };
}
