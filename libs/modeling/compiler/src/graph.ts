/**
 * The typed contract between the compiler and whoever executes its output (executor,
 * adapters, the `models` app). Field names follow dbt's manifest (snake_case) so a dbt
 * user recognises every one of them; anything that is ours alone is camelCase.
 */

import type { Logger } from '@sp01/core';
import type { Dialect } from './dialect.js';

export type UniqueId = string;

export type ResourceType = 'model' | 'seed' | 'snapshot' | 'test' | 'unit_test' | 'source';

export type ModelMaterialization = 'view' | 'table' | 'incremental' | 'ephemeral';
export type Materialization = ModelMaterialization | 'seed' | 'snapshot' | 'test' | 'unit';

export type IncrementalStrategy = 'merge' | 'delete+insert' | 'append' | 'insert_overwrite';
export type OnSchemaChange = 'ignore' | 'append_new_columns' | 'fail' | 'sync_all_columns';
export type Severity = 'error' | 'warn';
export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';
export type SnapshotStrategy = 'timestamp' | 'check';

/** Where something was written: project-relative path and 1-based line. */
export interface SourcePosition {
  file: string;
  line: number;
}

/** A warehouse relation. `database` is the BigQuery project / PostgreSQL database, `schema` the dataset / schema. */
export interface Relation {
  database: string | null;
  schema: string;
  identifier: string;
}

/** dbt's `target`: which profile output the run uses. `type` names the dialect. */
export interface Target {
  name: string;
  type: string;
  schema: string;
  database?: string | null;
  threads?: number;
  profile_name?: string;
}

export interface Hook {
  sql: string;
  transaction: boolean;
}

/** BigQuery `partition_by`, normalised as dbt-bigquery does (data_type defaults to date, granularity to day). */
export interface PartitionBy {
  field: string;
  data_type: 'timestamp' | 'date' | 'datetime' | 'int64';
  granularity: 'hour' | 'day' | 'month' | 'year';
  range?: { start: number; end: number; interval: number };
  time_ingestion_partitioning?: boolean;
  copy_partitions?: boolean;
}

/** Config every resource shares. Unknown keys pass through untouched (dbt does the same). */
export interface BaseConfig {
  enabled: boolean;
  tags: string[];
  meta: Record<string, unknown>;
  /** Custom schema (dbt `+schema`); the final schema comes from {@link resolveRelation}. */
  schema: string | null;
  database: string | null;
  alias: string | null;
  pre_hook: Hook[];
  post_hook: Hook[];
  [key: string]: unknown;
}

export interface ModelConfig extends BaseConfig {
  materialized: ModelMaterialization;
  incremental_strategy: IncrementalStrategy | null;
  unique_key: string | string[] | null;
  incremental_predicates: string[];
  on_schema_change: OnSchemaChange;
  full_refresh: boolean | null;
  partition_by: PartitionBy | null;
  cluster_by: string[] | null;
  require_partition_filter: boolean | null;
  partition_expiration_days: number | null;
  labels: Record<string, string>;
  persist_docs: { relation?: boolean; columns?: boolean };
  grants: Record<string, string[]>;
}

export interface SeedConfig extends BaseConfig {
  materialized: 'seed';
  column_types: Record<string, string>;
  delimiter: string;
  quote_columns: boolean | null;
  full_refresh: boolean | null;
}

export interface SnapshotConfig extends BaseConfig {
  materialized: 'snapshot';
  strategy: SnapshotStrategy;
  unique_key: string | string[];
  updated_at: string | null;
  check_cols: 'all' | string[] | null;
  hard_deletes: HardDeletes;
  /** Legacy `target_schema`/`target_database`: used verbatim, without the target schema prefix. */
  target_schema: string | null;
  target_database: string | null;
  dbt_valid_to_current: string | null;
}

export interface TestConfig extends BaseConfig {
  materialized: 'test';
  severity: Severity;
  warn_if: string;
  error_if: string;
  fail_calc: string;
  store_failures: boolean | null;
  store_failures_as: 'table' | 'view' | null;
  where: string | null;
  limit: number | null;
}

export interface UnitTestConfig {
  enabled: boolean;
  tags: string[];
  meta: Record<string, unknown>;
}

export interface SourceConfig {
  enabled: boolean;
  tags: string[];
  meta: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ColumnInfo {
  name: string;
  description: string;
  data_type: string | null;
  meta: Record<string, unknown>;
  tags: string[];
  quote: boolean | null;
}

/** A `ref()` call as written, with where it was written (for errors naming file and line). */
export interface RefCall {
  name: string;
  package: string | null;
  version: string | null;
  position: SourcePosition;
}

export interface SourceCall {
  source_name: string;
  table_name: string;
  position: SourcePosition;
}

export interface DependsOn {
  nodes: UniqueId[];
  macros: string[];
}

interface NodeBase {
  unique_id: UniqueId;
  name: string;
  package_name: string;
  /** Path relative to the resource folder (e.g. `staging/stg_orders.sql`), as dbt's `path`. */
  path: string;
  /** Path relative to the project root (e.g. `models/staging/stg_orders.sql`). */
  original_file_path: string;
  /** The YAML file that described this node, if any. */
  patch_path: string | null;
  fqn: string[];
  description: string;
  columns: Record<string, ColumnInfo>;
  /** The template source (for snapshots, the body of the `{% snapshot %}` block). */
  raw_code: string;
  /** 1-based line in `original_file_path` where `raw_code` starts. */
  raw_code_line: number;
  checksum: { name: 'sha256'; checksum: string };
  refs: RefCall[];
  sources: SourceCall[];
  depends_on: DependsOn;
  /** Configuration after dbt's precedence: dbt_project.yml < properties YAML < in-file `config()`. */
  unrendered_config: Record<string, unknown>;
}

export interface ModelNode extends NodeBase {
  resource_type: 'model';
  config: ModelConfig;
}

export interface SeedNode extends NodeBase {
  resource_type: 'seed';
  config: SeedConfig;
  /** Absolute path of the CSV file. */
  seed_file_path: string;
}

export interface SnapshotNode extends NodeBase {
  resource_type: 'snapshot';
  config: SnapshotConfig;
}

/** Which built-in generic test, and its arguments, as dbt's `test_metadata`. */
export interface TestMetadata {
  name: string;
  namespace: string | null;
  kwargs: Record<string, unknown>;
}

export interface GenericTestNode extends NodeBase {
  resource_type: 'test';
  test_type: 'generic';
  config: TestConfig;
  test_metadata: TestMetadata;
  column_name: string | null;
  /** The model, seed, snapshot or source the test is declared on. */
  attached_node: UniqueId;
  /** `models.<name>` or `sources.<source_name>`: where in YAML the test was declared. */
  file_key_name: string;
}

export interface SingularTestNode extends NodeBase {
  resource_type: 'test';
  test_type: 'singular';
  config: TestConfig;
}

export type TestNode = GenericTestNode | SingularTestNode;

/** One `given` of a unit test: rows standing in for a ref or source. */
export interface UnitTestInput {
  /** As written, e.g. `ref('stg_orders')`. */
  input: string;
  /** The node or source it replaces. */
  unique_id: UniqueId;
  format: 'dict' | 'csv' | 'sql';
  /** For `dict`/`csv`: rows (csv values are strings, empty cells null). For `sql`: null. */
  rows: Record<string, unknown>[] | null;
  /** For `sql`: the select statement. */
  sql: string | null;
  /** Column types known from YAML (`data_type`) or seed `column_types` of the replaced node. */
  column_types: Record<string, string>;
}

export interface UnitTestNode {
  unique_id: UniqueId;
  resource_type: 'unit_test';
  name: string;
  package_name: string;
  path: string;
  original_file_path: string;
  fqn: string[];
  description: string;
  /** Name of the tested model. */
  model: string;
  given: UnitTestInput[];
  expect: { format: 'dict' | 'csv' | 'sql'; rows: Record<string, unknown>[] | null; sql: string | null };
  overrides: { macros: Record<string, unknown>; vars: Record<string, unknown>; env_vars: Record<string, string> };
  config: UnitTestConfig;
  depends_on: DependsOn;
}

export interface FreshnessThreshold {
  count: number;
  period: 'minute' | 'hour' | 'day';
}

export interface FreshnessRule {
  warn_after: FreshnessThreshold | null;
  error_after: FreshnessThreshold | null;
  filter: string | null;
}

export interface SourceDefinition {
  unique_id: UniqueId;
  resource_type: 'source';
  name: string;
  source_name: string;
  source_description: string;
  description: string;
  package_name: string;
  path: string;
  original_file_path: string;
  fqn: string[];
  database: string | null;
  schema: string;
  identifier: string;
  loader: string;
  loaded_at_field: string | null;
  /** null when no freshness is declared, or it is switched off with `freshness: null`. */
  freshness: FreshnessRule | null;
  columns: Record<string, ColumnInfo>;
  tags: string[];
  meta: Record<string, unknown>;
  config: SourceConfig;
}

/** Nodes that become warehouse relations and can be `ref`ed. */
export type RelationNode = ModelNode | SeedNode | SnapshotNode;
/** Nodes that carry a SQL template. */
export type SqlNode = ModelNode | SnapshotNode | TestNode;
export type GraphNode = ModelNode | SeedNode | SnapshotNode | TestNode | UnitTestNode;
export type AnyNode = GraphNode | SourceDefinition;

export interface MacroDefinition {
  unique_id: string;
  name: string;
  package_name: string;
  original_file_path: string;
  line: number;
}

/** What dbt_project.yml said, normalised. */
export interface ProjectConfig {
  name: string;
  version: string | null;
  profile: string | null;
  /** Absolute path of the project directory. */
  root: string;
  model_paths: string[];
  seed_paths: string[];
  snapshot_paths: string[];
  test_paths: string[];
  macro_paths: string[];
  target_path: string;
  /** Project vars (global and `<project>:` scoped, merged). */
  vars: Record<string, unknown>;
}

/** The parsed project: every enabled node, its dependencies and a valid (acyclic) DAG. */
export interface ProjectGraph {
  project: ProjectConfig;
  /** Vars the graph was parsed with: project vars overlaid with `--vars`. */
  vars: Record<string, unknown>;
  target: Target;
  nodes: ReadonlyMap<UniqueId, GraphNode>;
  sources: ReadonlyMap<UniqueId, SourceDefinition>;
  macros: ReadonlyMap<string, MacroDefinition>;
  /** Disabled nodes (`enabled: false`), kept so a ref to one gets a clear error. */
  disabled: ReadonlyMap<UniqueId, GraphNode | SourceDefinition>;
  parent_map: ReadonlyMap<UniqueId, readonly UniqueId[]>;
  child_map: ReadonlyMap<UniqueId, readonly UniqueId[]>;
  /** Nodes and sources in dependency order (parents first, stable by unique_id). */
  order: readonly UniqueId[];
}

/** Whether `is_incremental()` is true for a node; the executor knows (relation exists, no full refresh). */
export type IncrementalState = boolean | ((node: ModelNode) => boolean);

/** Everything that changes the rendered SQL of a node between runs. */
export interface CompileContext {
  dialect: Dialect;
  /** Defaults to the target the graph was parsed with. */
  target?: Target;
  /** Overrides on top of the graph's vars. */
  vars?: Record<string, unknown>;
  isIncremental?: IncrementalState;
  /** Where a node or source lives; defaults to dbt's generate_schema_name/alias rules ({@link resolveRelation}). */
  resolveRelation?: (node: RelationNode | SourceDefinition | TestNode) => Relation;
  env?: Record<string, string | undefined>;
  /** `run_started_at` / `invocation_id` visible to templates. */
  runStartedAt?: Date;
  invocationId?: string;
  /** `flags.FULL_REFRESH` in templates (`is_incremental()` is the executor's to decide). */
  fullRefresh?: boolean;
  /** Where `log()` and `exceptions.warn()` go. */
  logger?: Logger;
}

/** An ephemeral model inlined into its consumer as `__dbt__cte__<name>`. */
export interface InjectedCte {
  id: UniqueId;
  sql: string;
}

/** One node rendered for one context: the SQL the executor runs. */
export interface CompiledNode {
  unique_id: UniqueId;
  node: ModelNode | SnapshotNode | TestNode | SeedNode;
  /** Where the node lives, or null for ephemeral models and tests without store_failures. */
  relation: Relation | null;
  /** The relation rendered with the dialect's quoting. */
  relation_name: string | null;
  /** Final SQL, ephemeral CTEs injected. For snapshots: the select inside the block. For seeds: ''. */
  compiled_code: string;
  extra_ctes: InjectedCte[];
  pre_hooks: string[];
  post_hooks: string[];
  /** The value `is_incremental()` had while rendering. */
  is_incremental: boolean;
  /**
   * For generic tests: the arguments as rendered (`to` as a quoted relation name, `where`
   * rendered), so an executor can fold every column test of a model into one scan.
   */
  generic_test?: RenderedGenericTest;
}

export interface RenderedGenericTest {
  /** `unique`, `not_null`, `accepted_values`, `relationships`, or a project test's name. */
  name: string;
  built_in: boolean;
  column_name: string | null;
  /** The tested relation, rendered, before any `where`. */
  model: string;
  where: string | null;
  /** Every other argument; relations (`to`) rendered to their quoted names. */
  kwargs: Record<string, unknown>;
}

export interface CompiledGraph {
  graph: ProjectGraph;
  target: Target;
  dialect: string;
  /** Models, seeds, snapshots and tests (ephemeral models included, with their own SQL). */
  nodes: ReadonlyMap<UniqueId, CompiledNode>;
  unit_tests: ReadonlyMap<UniqueId, CompiledUnitTest>;
}

/** A unit test made runnable: fixture rows as CTEs and the model's SQL reading them. */
export interface CompiledUnitTest {
  unique_id: UniqueId;
  node: UnitTestNode;
  model: ModelNode;
  /** The model's SQL with each given ref/source replaced by its fixture CTE name. */
  model_sql: string;
  fixtures: { unique_id: UniqueId; cte_name: string; input: UnitTestInput; sql: string }[];
  /** `with <fixtures> <model_sql>`: runnable as is. */
  actual_sql: string;
  /** The expected rows as a select (same column typing as the fixtures). */
  expected_sql: string;
  expected_columns: string[];
}
