export { generateDocsSite, renderDocsHtml } from './docs-site.js';
export type { DocsSite, DocsSiteOptions } from './docs-site.js';
export { readDocsArtifacts } from './artifacts.js';
export type {
  CatalogArtifact,
  CatalogTable,
  DocsArtifacts,
  RunResultEntry,
  RunResultsArtifact,
  SourceFreshnessArtifact,
  SourceFreshnessEntry,
} from './artifacts.js';
export { buildDocsProject } from './docs-project.js';
export type { DocsColumn, DocsNode, DocsProject, DocsResourceType, DocsTest } from './docs-project.js';
export { layoutLineage } from './lineage-layout.js';
export type { LayoutOptions, LineageEdge, LineageLayout, PlacedEdge, PlacedNode } from './lineage-layout.js';
