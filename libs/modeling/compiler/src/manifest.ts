import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Dialect } from './dialect.js';
import type {
  ColumnInfo,
  CompiledNode,
  FreshnessRule,
  GraphNode,
  Hook,
  ProjectGraph,
  RelationNode,
  SourceDefinition,
  Target,
  TestNode,
  UniqueId,
  UnitTestNode,
} from './graph.js';
import { resolveRelation } from './relation.js';

export const MANIFEST_SCHEMA_VERSION = 'https://schemas.getdbt.com/dbt/manifest/v12.json';
/** Semver build metadata says who wrote the manifest; the core version says which dbt it mimics. */
export const MANIFEST_DBT_VERSION = '1.9.0+sp01';

export interface ManifestOptions {
  dialect: Dialect;
  /** Defaults to the target the graph was parsed with. */
  target?: Target;
  /** Compiled nodes: their SQL goes into `compiled_code`. */
  compiled?: ReadonlyMap<UniqueId, CompiledNode>;
  invocationId?: string;
  generatedAt?: Date;
}

/** `target/manifest.json`, the subset of dbt's v12 schema that tools reading manifests rely on. */
export interface Manifest {
  metadata: {
    dbt_schema_version: string;
    dbt_version: string;
    generated_at: string;
    invocation_id: string;
    env: Record<string, string>;
    project_name: string;
    project_id: string;
    user_id: null;
    send_anonymous_usage_stats: false;
    adapter_type: string;
  };
  nodes: Record<string, Record<string, unknown>>;
  sources: Record<string, Record<string, unknown>>;
  macros: Record<string, Record<string, unknown>>;
  docs: Record<string, never>;
  exposures: Record<string, never>;
  metrics: Record<string, never>;
  groups: Record<string, never>;
  selectors: Record<string, never>;
  disabled: Record<string, Record<string, unknown>[]>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
  group_map: Record<string, never>;
  saved_queries: Record<string, never>;
  semantic_models: Record<string, never>;
  unit_tests: Record<string, Record<string, unknown>>;
}

function hooks(list: readonly Hook[]): { sql: string; transaction: boolean; index: number }[] {
  return list.map((hook, index) => ({ sql: hook.sql, transaction: hook.transaction, index }));
}

/** Config as dbt writes it: `pre-hook`/`post-hook` objects, test severity in capitals. */
function manifestConfig(config: Record<string, unknown> & { pre_hook?: Hook[]; post_hook?: Hook[] }): Record<string, unknown> {
  const out: Record<string, unknown> = Object.assign({}, config);
  delete out['pre_hook'];
  delete out['post_hook'];
  out['pre-hook'] = hooks(config.pre_hook ?? []);
  out['post-hook'] = hooks(config.post_hook ?? []);
  if (typeof out['severity'] === 'string') out['severity'] = out['severity'].toUpperCase();
  return out;
}

function columns(list: Record<string, ColumnInfo>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(list).map(([name, column]) => [name, Object.assign({}, column, { constraints: [], granularity: null })]),
  );
}

function freshness(rule: FreshnessRule | null): Record<string, unknown> {
  const threshold = (t: FreshnessRule['warn_after']) => t ?? { count: null, period: null };
  return { warn_after: threshold(rule?.warn_after ?? null), error_after: threshold(rule?.error_after ?? null), filter: rule?.filter ?? null };
}

class ManifestWriter {
  private readonly target: Target;
  private readonly createdAt: number;

  constructor(
    private readonly graph: ProjectGraph,
    private readonly options: ManifestOptions,
  ) {
    this.target = options.target ?? graph.target;
    this.createdAt = (options.generatedAt ?? new Date()).getTime() / 1000;
  }

  private relation(node: RelationNode | SourceDefinition | TestNode): { database: string | null; schema: string; identifier: string; relation_name: string | null } {
    // A compiled node knows where it lives (generate_schema_name overrides included).
    const relation = this.options.compiled?.get(node.unique_id)?.relation ?? resolveRelation(node, this.target);
    const ephemeral = node.resource_type === 'model' && node.config.materialized === 'ephemeral';
    const noRelation = ephemeral || (node.resource_type === 'test' && !node.config.store_failures);
    return { database: relation.database, schema: relation.schema, identifier: relation.identifier, relation_name: noRelation ? null : this.options.dialect.renderRelation(relation) };
  }

  private compiledPath(node: GraphNode): string {
    const project = this.graph.project.name;
    if (node.resource_type === 'test' && node.test_type === 'generic') {
      return posix.join(this.graph.project.target_path, 'compiled', project, node.original_file_path, node.path);
    }
    return posix.join(this.graph.project.target_path, 'compiled', project, node.original_file_path);
  }

  node(node: Exclude<GraphNode, UnitTestNode>): Record<string, unknown> {
    const project = this.graph.project.name;
    const { database, schema, identifier, relation_name } = this.relation(node);
    const compiled = this.options.compiled?.get(node.unique_id);
    const out: Record<string, unknown> = {
      database,
      schema,
      name: node.name,
      resource_type: node.resource_type,
      package_name: node.package_name,
      path: node.path,
      original_file_path: node.original_file_path,
      unique_id: node.unique_id,
      fqn: node.fqn,
      alias: identifier,
      checksum: node.checksum,
      config: manifestConfig(node.config),
      tags: node.config.tags,
      description: node.description,
      columns: columns(node.columns),
      meta: node.config.meta,
      group: null,
      docs: { show: true, node_color: null },
      patch_path: node.patch_path ? `${project}://${node.patch_path}` : null,
      build_path: null,
      unrendered_config: node.unrendered_config,
      created_at: this.createdAt,
      relation_name,
      raw_code: node.raw_code,
      language: 'sql',
      refs: node.refs.map((ref) => ({ name: ref.name, package: ref.package, version: ref.version })),
      sources: node.sources.map((source) => [source.source_name, source.table_name]),
      metrics: [],
      depends_on: { macros: node.depends_on.macros, nodes: node.depends_on.nodes },
    };
    if (node.resource_type === 'seed') {
      out['root_path'] = this.graph.project.root;
      return out;
    }
    Object.assign(out, {
      compiled_path: compiled ? this.compiledPath(node) : null,
      compiled: Boolean(compiled),
      contract: { enforced: false, alias_types: true, checksum: null },
    });
    if (compiled) {
      out['compiled_code'] = compiled.compiled_code;
      out['extra_ctes_injected'] = true;
      out['extra_ctes'] = compiled.extra_ctes;
    }
    if (node.resource_type === 'model') {
      Object.assign(out, { access: 'protected', constraints: [], version: null, latest_version: null, deprecation_date: null });
    }
    if (node.resource_type === 'test' && node.test_type === 'generic') {
      Object.assign(out, {
        test_metadata: node.test_metadata,
        column_name: node.column_name,
        file_key_name: node.file_key_name,
        attached_node: node.attached_node,
      });
    }
    return out;
  }

  source(source: SourceDefinition): Record<string, unknown> {
    const { database, relation_name } = this.relation(source);
    return {
      database,
      schema: source.schema,
      name: source.name,
      resource_type: 'source',
      package_name: source.package_name,
      path: source.path,
      original_file_path: source.original_file_path,
      unique_id: source.unique_id,
      fqn: source.fqn,
      source_name: source.source_name,
      source_description: source.source_description,
      loader: source.loader,
      identifier: source.identifier,
      quoting: {},
      loaded_at_field: source.loaded_at_field,
      freshness: freshness(source.freshness),
      external: null,
      description: source.description,
      columns: columns(source.columns),
      meta: source.meta,
      source_meta: {},
      tags: source.tags,
      config: source.config,
      patch_path: null,
      unrendered_config: {},
      relation_name,
      created_at: this.createdAt,
    };
  }

  unitTest(node: UnitTestNode): Record<string, unknown> {
    const fixture = (format: string, rows: unknown, sql: string | null) => ({ rows: sql ?? rows, format, fixture: null });
    return {
      model: node.model,
      given: node.given.map((g) => ({ input: g.input, ...fixture(g.format, g.rows, g.sql) })),
      expect: fixture(node.expect.format, node.expect.rows, node.expect.sql),
      name: node.name,
      resource_type: 'unit_test',
      package_name: node.package_name,
      path: node.path,
      original_file_path: node.original_file_path,
      unique_id: node.unique_id,
      fqn: node.fqn,
      description: node.description,
      overrides: node.overrides,
      depends_on: { macros: [], nodes: node.depends_on.nodes },
      config: node.config,
      checksum: null,
      schema: this.target.schema,
      created_at: this.createdAt,
      versions: null,
      version: null,
    };
  }

  macros(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    const entry = (id: string, name: string, packageName: string, file: string) => ({
      name,
      resource_type: 'macro',
      package_name: packageName,
      path: file,
      original_file_path: file,
      unique_id: id,
      macro_sql: '',
      depends_on: { macros: [] },
      description: '',
      meta: {},
      docs: { show: true, node_color: null },
      patch_path: null,
      arguments: [],
      created_at: this.createdAt,
      supported_languages: null,
    });
    for (const macro of this.graph.macros.values()) out[macro.unique_id] = entry(macro.unique_id, macro.name, macro.package_name, macro.original_file_path);
    for (const node of this.graph.nodes.values()) {
      for (const id of node.depends_on.macros) {
        if (out[id] || !id.startsWith('macro.dbt.')) continue;
        const name = id.slice('macro.dbt.'.length);
        out[id] = entry(id, name, 'dbt', `macros/${name}.sql`);
      }
    }
    return out;
  }
}

/** Builds the manifest for a graph (and, when given, its compiled SQL). */
export function buildManifest(graph: ProjectGraph, options: ManifestOptions): Manifest {
  const writer = new ManifestWriter(graph, options);
  const nodes: Manifest['nodes'] = {};
  const unitTests: Manifest['unit_tests'] = {};
  for (const node of graph.nodes.values()) {
    if (node.resource_type === 'unit_test') unitTests[node.unique_id] = writer.unitTest(node);
    else nodes[node.unique_id] = writer.node(node);
  }
  const sources: Manifest['sources'] = {};
  for (const source of graph.sources.values()) sources[source.unique_id] = writer.source(source);
  const disabled: Manifest['disabled'] = {};
  for (const [id, node] of graph.disabled) {
    disabled[id] = [node.resource_type === 'source' ? writer.source(node) : node.resource_type === 'unit_test' ? writer.unitTest(node) : writer.node(node)];
  }
  const toRecord = (map: ProjectGraph['parent_map']) => Object.fromEntries([...map].map(([id, ids]) => [id, [...ids]]));
  return {
    metadata: {
      dbt_schema_version: MANIFEST_SCHEMA_VERSION,
      dbt_version: MANIFEST_DBT_VERSION,
      generated_at: (options.generatedAt ?? new Date()).toISOString(),
      invocation_id: options.invocationId ?? randomUUID(),
      env: {},
      project_name: graph.project.name,
      project_id: createHash('md5').update(graph.project.name).digest('hex'),
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: options.dialect.type,
    },
    nodes,
    sources,
    macros: writer.macros(),
    docs: {},
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled,
    parent_map: toRecord(graph.parent_map),
    child_map: toRecord(graph.child_map),
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: unitTests,
  };
}

/** Writes `<targetDir>/manifest.json` and returns its path. */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  mkdirSync(targetDir, { recursive: true });
  const path = join(targetDir, 'manifest.json');
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}
