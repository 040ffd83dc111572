import { posix } from 'node:path';
import type { Manifest } from '@sp01/modeling-compiler';
import type { CatalogArtifact, CatalogTable, RunResultEntry, RunResultsArtifact, SourceFreshnessArtifact, SourceFreshnessEntry } from './artifacts.js';

/** Resource types the site has pages for; anything else in a manifest is left out. */
export type DocsResourceType = 'model' | 'seed' | 'snapshot' | 'test' | 'source' | 'analysis';

/** Resource types drawn in the lineage graph (dbt docs leaves tests out by default, so do we). */
export const LINEAGE_TYPES: ReadonlySet<string> = new Set(['source', 'seed', 'model', 'snapshot']);

export interface DocsTest {
  uniqueId: string;
  name: string;
  /** `unique`, `not_null`, `relationships`… or `singular`. */
  testName: string;
  columnName: string | null;
  severity: string;
}

export interface DocsColumn {
  name: string;
  description: string;
  /** Declared in YAML (`data_type`). */
  dataType: string | null;
  /** What the warehouse reported (catalog.json). */
  catalogType: string | null;
  tests: DocsTest[];
}

export interface FreshnessThresholdView {
  count: number;
  period: string;
}

export interface DocsSourceDetails {
  sourceName: string;
  sourceDescription: string;
  loader: string;
  identifier: string;
  loadedAtField: string | null;
  freshness: { warnAfter: FreshnessThresholdView | null; errorAfter: FreshnessThresholdView | null; filter: string | null } | null;
  freshnessResult: SourceFreshnessEntry | null;
}

export interface DocsTestDetails {
  testName: string;
  kwargs: Record<string, unknown>;
  attachedNode: string | null;
  columnName: string | null;
  severity: string;
}

export interface DocsUnitTest {
  uniqueId: string;
  name: string;
  description: string;
}

export interface DocsNode {
  uniqueId: string;
  resourceType: DocsResourceType;
  name: string;
  /** What the list and the graph show: `raw.customers` for a source, the name otherwise. */
  label: string;
  packageName: string;
  /** Where the node sits in the navigation tree, e.g. `['marts', 'finance']`. */
  folder: string[];
  originalFilePath: string;
  description: string;
  rawCode: string | null;
  compiledCode: string | null;
  relationName: string | null;
  materialized: string | null;
  tags: string[];
  config: Record<string, unknown>;
  columns: DocsColumn[];
  parents: string[];
  children: string[];
  /** Tests on the node as a whole (and singular tests reading it). */
  tests: DocsTest[];
  unitTests: DocsUnitTest[];
  run: RunResultEntry | null;
  catalog: CatalogTable | null;
  source: DocsSourceDetails | null;
  test: DocsTestDetails | null;
}

export interface DocsProject {
  name: string;
  adapterType: string;
  generatedAt: string;
  invocationId: string;
  nodes: ReadonlyMap<string, DocsNode>;
  runResults: RunResultsArtifact | null;
}

export interface DocsInput {
  manifest: Manifest;
  runResults?: RunResultsArtifact | undefined;
  catalog?: CatalogArtifact | undefined;
  sourceFreshness?: SourceFreshnessArtifact | undefined;
}

type Json = Record<string, unknown>;

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const record = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function threshold(value: unknown): FreshnessThresholdView | null {
  const t = record(value);
  return typeof t['count'] === 'number' && typeof t['period'] === 'string' ? { count: t['count'], period: t['period'] } : null;
}

function severityOf(config: Json): string {
  return text(config['severity'], 'ERROR').toLowerCase();
}

function folderOf(path: string): string[] {
  const dir = posix.dirname(path);
  return dir === '.' || dir === '' ? [] : dir.split('/');
}

function declaredColumns(node: Json): DocsColumn[] {
  return Object.entries(record(node['columns'])).map(([key, value]) => {
    const column = record(value);
    return { name: text(column['name'], key), description: text(column['description']), dataType: textOrNull(column['data_type']), catalogType: null, tests: [] };
  });
}

/** Columns as the warehouse has them (catalog order) with YAML descriptions; undocumented YAML columns last. */
function mergeCatalog(columns: DocsColumn[], catalog: CatalogTable | null): DocsColumn[] {
  if (!catalog) return columns;
  const byName = new Map(columns.map((column) => [column.name.toLowerCase(), column]));
  const fromCatalog = Object.entries(catalog.columns)
    .sort(([, a], [, b]) => (a.index ?? 0) - (b.index ?? 0))
    .map(([key, value]) => {
      const name = value.name ?? key;
      const declared = byName.get(name.toLowerCase());
      byName.delete(name.toLowerCase());
      return declared
        ? { ...declared, catalogType: value.type }
        : { name, description: text(value.comment), dataType: null, catalogType: value.type, tests: [] };
    });
  return [...fromCatalog, ...byName.values()];
}

const TYPE_ORDER: Record<DocsResourceType, number> = { source: 0, seed: 1, model: 2, snapshot: 3, analysis: 4, test: 5 };

/** Turns a manifest (plus run results, catalog and freshness results) into what the pages show. */
export function buildDocsProject(input: DocsInput): DocsProject {
  const { manifest } = input;
  const runs = new Map((input.runResults?.results ?? []).map((result) => [result.unique_id, result]));
  const freshness = new Map((input.sourceFreshness?.results ?? []).map((result) => [result.unique_id, result]));
  const catalogOf = (id: string) => input.catalog?.nodes[id] ?? input.catalog?.sources?.[id] ?? null;
  const parentMap = manifest.parent_map ?? {};
  const childMap = manifest.child_map ?? {};
  const nodes = new Map<string, DocsNode>();

  const base = (id: string, raw: Json, resourceType: DocsResourceType): DocsNode => {
    const config = record(raw['config']);
    const run = runs.get(id) ?? null;
    const catalog = catalogOf(id);
    const dependsOn = strings(record(raw['depends_on'])['nodes']);
    return {
      uniqueId: id,
      resourceType,
      name: text(raw['name'], id),
      label: text(raw['name'], id),
      packageName: text(raw['package_name']),
      folder: folderOf(text(raw['path'])),
      originalFilePath: text(raw['original_file_path']),
      description: text(raw['description']),
      rawCode: textOrNull(raw['raw_code']),
      compiledCode: textOrNull(raw['compiled_code']) ?? run?.compiled_code ?? null,
      relationName: textOrNull(raw['relation_name']),
      materialized: textOrNull(config['materialized']),
      tags: strings(raw['tags'] ?? config['tags']),
      config,
      columns: mergeCatalog(declaredColumns(raw), catalog),
      parents: [...(parentMap[id] ?? dependsOn)],
      children: [...(childMap[id] ?? [])],
      tests: [],
      unitTests: [],
      run,
      catalog,
      source: null,
      test: null,
    };
  };

  for (const [id, raw] of Object.entries(manifest.nodes)) {
    const type = text(raw['resource_type']);
    if (type !== 'model' && type !== 'seed' && type !== 'snapshot' && type !== 'test' && type !== 'analysis') continue;
    const node = base(id, raw, type);
    if (type === 'test') {
      const metadata = record(raw['test_metadata']);
      const attached = textOrNull(raw['attached_node']);
      node.test = {
        testName: text(metadata['name'], 'singular'),
        kwargs: record(metadata['kwargs']),
        attachedNode: attached,
        columnName: textOrNull(raw['column_name']),
        severity: severityOf(node.config),
      };
      const owner = attached ? manifest.nodes[attached] ?? manifest.sources[attached] : undefined;
      node.folder = owner ? [text(owner['name'], attached ?? '')] : node.folder;
    }
    nodes.set(id, node);
  }

  for (const [id, raw] of Object.entries(manifest.sources)) {
    const node = base(id, raw, 'source');
    const sourceName = text(raw['source_name']);
    const rule = record(raw['freshness']);
    const warnAfter = threshold(rule['warn_after']);
    const errorAfter = threshold(rule['error_after']);
    node.label = `${sourceName}.${node.name}`;
    node.folder = [sourceName];
    node.source = {
      sourceName,
      sourceDescription: text(raw['source_description']),
      loader: text(raw['loader']),
      identifier: text(raw['identifier'], node.name),
      loadedAtField: textOrNull(raw['loaded_at_field']),
      freshness: warnAfter || errorAfter ? { warnAfter, errorAfter, filter: textOrNull(rule['filter']) } : null,
      freshnessResult: freshness.get(id) ?? null,
    };
    nodes.set(id, node);
  }

  for (const node of nodes.values()) {
    if (!node.test) continue;
    const entry: DocsTest = { uniqueId: node.uniqueId, name: node.name, testName: node.test.testName, columnName: node.test.columnName, severity: node.test.severity };
    const owners = node.test.attachedNode ? [node.test.attachedNode] : node.parents;
    for (const ownerId of owners) {
      const owner = nodes.get(ownerId);
      if (!owner) continue;
      if (entry.columnName && ownerId === node.test.attachedNode) {
        let column = owner.columns.find((c) => c.name.toLowerCase() === entry.columnName?.toLowerCase());
        if (!column) {
          column = { name: entry.columnName, description: '', dataType: null, catalogType: null, tests: [] };
          owner.columns.push(column);
        }
        column.tests.push(entry);
      } else {
        owner.tests.push(entry);
      }
    }
  }

  const modelsByName = new Map([...nodes.values()].filter((node) => node.resourceType === 'model').map((node) => [node.name, node]));
  for (const [id, raw] of Object.entries(manifest.unit_tests ?? {})) {
    modelsByName.get(text(raw['model']))?.unitTests.push({ uniqueId: id, name: text(raw['name'], id), description: text(raw['description']) });
  }

  const sorted = [...nodes.values()].sort(
    (a, b) => TYPE_ORDER[a.resourceType] - TYPE_ORDER[b.resourceType] || a.folder.join('/').localeCompare(b.folder.join('/')) || a.label.localeCompare(b.label),
  );
  return {
    name: manifest.metadata.project_name,
    adapterType: manifest.metadata.adapter_type,
    generatedAt: manifest.metadata.generated_at,
    invocationId: manifest.metadata.invocation_id,
    nodes: new Map(sorted.map((node) => [node.uniqueId, node])),
    runResults: input.runResults ?? null,
  };
}
