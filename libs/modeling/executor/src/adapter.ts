import type {
  Dialect,
  IncrementalStrategy,
  ModelConfig,
  Relation,
  SnapshotConfig,
} from '@sp01/modeling-compiler';

/**
 * One interface per warehouse. The split follows dbt's: the executor owns the ORDER and the
 * SEMANTICS (what runs when, is_incremental(), on_schema_change decisions, fail-fast or
 * continue, run results); the adapter owns the SQL TEXT for its dialect (DDL/DML per
 * materialization, quoting, type mapping) and talking to the warehouse (sessions,
 * transactions, dry run, cost).
 *
 * SQL builders are pure and synchronous: they return a {@link SqlPlan} the executor runs with
 * {@link AdapterSession.runPlan}. That keeps golden tests of generated SQL free of a database.
 * Names are dbt's (materializations, incremental_strategy, unique_key, on_schema_change,
 * adapter_response…) wherever dbt has one.
 */

export type WarehouseType = 'postgres' | 'bigquery';

/** dbt's relation types, as `adapter.get_relation()` reports them. */
export type RelationType = 'table' | 'view' | 'materialized_view' | 'external';

/** A relation that exists in the warehouse. */
export interface ExistingRelation extends Relation {
  type: RelationType;
}

/** A column as the warehouse describes it (`data_type` in the warehouse's own spelling). */
export interface ColumnDef {
  name: string;
  data_type: string;
}

/** dbt's `adapter_response` (run_results.json), snake_case like dbt writes it. */
export interface AdapterResponse {
  /** dbt's `_message`, e.g. `INSERT 0 5`, `CREATE TABLE (5 rows, 1.2 KiB processed)`. */
  message: string;
  /** The statement kind: `INSERT`, `MERGE`, `CREATE`, `SELECT`… */
  code: string | null;
  rows_affected: number | null;
  /** BigQuery: bytes the job processed (and was billed for). */
  bytes_processed?: number;
  bytes_billed?: number;
  job_id?: string;
  slot_ms?: number;
  location?: string;
  project_id?: string;
}

export interface ExecuteOptions {
  /** What the statement is for, e.g. the node's unique_id (BigQuery job label, PostgreSQL application comment). */
  label?: string;
  /** BigQuery: `labels` config of the node, attached to the job. */
  labels?: Readonly<Record<string, string>>;
}

export interface ExecuteResult<T = Record<string, unknown>> {
  response: AdapterResponse;
  rows: T[];
}

/** One statement of a plan. */
export interface SqlStatement {
  sql: string;
  /**
   * This statement's row count is the node's `rows_affected` (the create/insert/merge, not the
   * renames around it). Several reporting statements add up.
   */
  reports?: boolean;
}

/** Statements that run together on one session; `atomic` ones inside one transaction (all or nothing). */
export interface SqlBatch {
  atomic: boolean;
  statements: SqlStatement[];
}

/** The SQL a materialization needs, in order. */
export type SqlPlan = SqlBatch[];

/** What a query would cost before it runs. */
export interface DryRunResult {
  ok: boolean;
  /** BigQuery: bytes the query would process. PostgreSQL: not known (undefined). */
  bytes_processed?: number;
  /** PostgreSQL: the EXPLAIN plan text. */
  plan?: string;
  /** PostgreSQL: the planner's total cost and row estimate. */
  estimated_cost?: number;
  estimated_rows?: number;
  /** The warehouse's error when the query does not plan (`ok: false`). */
  error?: string;
}

/** Type families dbt's seed loader infers from CSV values (agate's types), mapped per warehouse. */
export type InferredType = 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';

/** Which incremental strategies a warehouse implements, and the default per config (dbt's `get_incremental_default_sql`). */
export interface AdapterCapabilities {
  incremental_strategies: readonly IncrementalStrategy[];
  /** Multi-statement transactions (PostgreSQL yes; BigQuery scripts with DDL no). */
  transactions: boolean;
  /** The warehouse can tell bytes before running (BigQuery dry run). */
  dry_run_bytes: boolean;
}

/** What every materialization builder gets. */
export interface BuildArgs {
  relation: Relation;
  /** The relation as it exists now (null when it does not). */
  existing: ExistingRelation | null;
  /** The node's compiled SQL (a select). */
  sql: string;
}

export interface ViewArgs extends BuildArgs {
  config: Partial<ModelConfig>;
}

export interface TableArgs extends BuildArgs {
  /** partition_by, cluster_by, labels… (BigQuery); empty for a store_failures table. */
  config: Partial<ModelConfig>;
}

export interface IncrementalArgs extends BuildArgs {
  existing: ExistingRelation;
  strategy: IncrementalStrategy;
  /** `unique_key`, normalised to a list (empty when none). */
  unique_key: readonly string[];
  incremental_predicates: readonly string[];
  /** dbt's `dest_columns`: the columns the statement writes, in the target's order. */
  columns: readonly ColumnDef[];
  config: Partial<ModelConfig>;
}

export interface SchemaChangeArgs {
  relation: Relation;
  add: readonly ColumnDef[];
  remove: readonly ColumnDef[];
}

export interface SnapshotArgs extends BuildArgs {
  config: SnapshotConfig;
  /** Columns of the snapshot's select (after `describeQuery`). */
  source_columns: readonly ColumnDef[];
  /** Columns of the existing snapshot table (empty on the first run). */
  target_columns: readonly ColumnDef[];
}

export interface SeedArgs {
  relation: Relation;
  existing: ExistingRelation | null;
  full_refresh: boolean;
  /** Final column types (config `column_types` or inferred and mapped with `convertType`). */
  columns: readonly ColumnDef[];
  /** CSV cells, empty cells as null. */
  rows: readonly (readonly (string | null)[])[];
}

/** One data test folded into a model's test query. */
export interface TestQueryItem {
  unique_id: string;
  /** The test's compiled SQL (selects failing rows). */
  sql: string;
  /** dbt's `fail_calc` (default `count(*)`). */
  fail_calc: string;
}

export interface TestsQueryArgs {
  /**
   * The tested model's rendered relation (`"schema"."orders"`) when the tests share one: the
   * adapter reads it once and points every test at that one scan. null: run them as written.
   */
  model: string | null;
  tests: readonly TestQueryItem[];
}

export interface FreshnessArgs {
  relation: Relation;
  loaded_at_field: string;
  filter: string | null;
}

/**
 * A connection (PostgreSQL: one pooled client; PGlite: exclusive use of the database;
 * BigQuery: may be stateless). Temporary tables and transactions live in one session.
 */
export interface AdapterSession {
  execute<T = Record<string, unknown>>(sql: string, options?: ExecuteOptions): Promise<ExecuteResult<T>>;
  query<T = Record<string, unknown>>(sql: string, options?: ExecuteOptions): Promise<T[]>;
  /** Runs a plan batch by batch; an atomic batch rolls back entirely when one statement fails. */
  runPlan(plan: SqlPlan, options?: ExecuteOptions): Promise<AdapterResponse>;
  /** dbt's `adapter.get_relation`: null when it does not exist. */
  getRelation(relation: Relation): Promise<ExistingRelation | null>;
  /** dbt's `adapter.get_columns_in_relation`, in ordinal order. */
  getColumns(relation: Relation): Promise<ColumnDef[]>;
  /** The columns a select would return, without running it. */
  describeQuery(sql: string): Promise<ColumnDef[]>;
}

export interface WarehouseAdapter extends AdapterSession {
  readonly type: WarehouseType;
  readonly dialect: Dialect;
  readonly capabilities: AdapterCapabilities;

  connect(): Promise<void>;
  close(): Promise<void>;
  /** Runs `work` on one session (held for its whole duration). */
  withSession<T>(work: (session: AdapterSession) => Promise<T>): Promise<T>;
  /** `create schema if not exists` (BigQuery: the dataset). */
  ensureSchema(relation: Pick<Relation, 'database' | 'schema'>): Promise<void>;

  // Type mapping
  /** dbt's `convert_*_type`: the warehouse type for a type family inferred from seed CSV. */
  convertType(type: InferredType): string;
  /** dbt's `get_incremental_default_sql`: the strategy when the config names none. */
  defaultIncrementalStrategy(config: Pick<ModelConfig, 'unique_key'>): IncrementalStrategy;

  // SQL builders: pure, synchronous, per dialect.
  /** A relation next to `relation` for staging/backup: `<identifier>__dbt_tmp`, `__dbt_backup`. */
  derivedRelation(relation: Relation, suffix: string): Relation;
  dropRelationSql(relation: Relation, type: RelationType): string;
  /** `materialized: view`, replacing whatever `existing` is. */
  viewPlan(args: ViewArgs): SqlPlan;
  /**
   * `materialized: table`: built under a temporary name and swapped in atomically (PostgreSQL:
   * create tmp, then rename old→backup, tmp→target, drop backup in one transaction; BigQuery:
   * `create or replace table`). A failed build leaves `existing` untouched.
   */
  tablePlan(args: TableArgs): SqlPlan;
  /** `materialized: incremental` on an existing table: merge, delete+insert, append, insert_overwrite. */
  incrementalPlan(args: IncrementalArgs): SqlPlan;
  /** on_schema_change `append_new_columns` / `sync_all_columns`: alter the target's columns. */
  schemaChangePlan(args: SchemaChangeArgs): SqlPlan;
  /** dbt's snapshot: create on first run, else staging (insertions, updates, deletes) and merge. */
  snapshotPlan(args: SnapshotArgs): SqlPlan;
  /** dbt's seed: create (or truncate when it exists and no full refresh) and insert the CSV rows. */
  seedPlan(args: SeedArgs): SqlPlan;
  /** One query returning one row per test: `unique_id`, `failures` (number). */
  testsQuery(args: TestsQueryArgs): string;
  /** A query returning one row: `max_loaded_at`, `snapshotted_at` (timestamps). */
  freshnessQuery(args: FreshnessArgs): string;

  // Dry run and cost
  /** Plans a query without running it (PostgreSQL EXPLAIN; BigQuery dry-run job). */
  dryRun(sql: string): Promise<DryRunResult>;
  /** On-demand price of processing `bytes`, in USD; null where the warehouse does not bill per byte. */
  cost(bytes: number): number | null;
}
