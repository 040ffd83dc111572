import { ModelingError } from './errors.js';
import type {
  BaseConfig,
  Hook,
  IncrementalStrategy,
  ModelConfig,
  ModelMaterialization,
  OnSchemaChange,
  PartitionBy,
  SeedConfig,
  SnapshotConfig,
  SourceConfig,
  SourcePosition,
  TestConfig,
  UnitTestConfig,
} from './graph.js';
import { isPlainObject } from './template/python-values.js';

/** A config layer as written somewhere: keys as the user spelled them (`pre-hook`, `+tags`…). */
export type ConfigLayer = Record<string, unknown>;

// dbt's merge behaviours: these append, these update (dict merge), everything else is replaced.
const APPEND_KEYS = new Set(['tags', 'pre_hook', 'post_hook']);
const UPDATE_KEYS = new Set(['meta', 'column_types', 'persist_docs', 'docs', 'grants', 'labels', 'quoting', 'contract']);

/** Config keys that may be written without `+` in dbt_project.yml (dbt's own list, abridged). */
const KNOWN_KEYS = new Set([
  'enabled', 'materialized', 'schema', 'database', 'alias', 'tags', 'meta', 'pre_hook', 'post_hook', 'pre-hook', 'post-hook',
  'full_refresh', 'unique_key', 'incremental_strategy', 'incremental_predicates', 'on_schema_change', 'partition_by',
  'cluster_by', 'require_partition_filter', 'partition_expiration_days', 'labels', 'persist_docs', 'grants', 'docs',
  'column_types', 'delimiter', 'quote_columns', 'strategy', 'updated_at', 'check_cols', 'hard_deletes',
  'invalidate_hard_deletes', 'target_schema', 'target_database', 'severity', 'warn_if', 'error_if', 'fail_calc',
  'store_failures', 'store_failures_as', 'where', 'limit', 'contract', 'access', 'group', 'quoting', 'sql_header',
  'on_configuration_change', 'snapshot_meta_column_names', 'dbt_valid_to_current', 'freshness', 'loaded_at_field',
]);
const DICT_VALUED = new Set(['meta', 'partition_by', 'labels', 'persist_docs', 'grants', 'docs', 'column_types', 'quoting', 'contract', 'freshness', 'snapshot_meta_column_names']);

export function canonicalKey(key: string): string {
  const bare = key.startsWith('+') ? key.slice(1) : key;
  return bare === 'pre-hook' ? 'pre_hook' : bare === 'post-hook' ? 'post_hook' : bare;
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Lays `layer` over `base` with dbt's merge behaviour (tags and hooks append, meta merges). */
export function mergeConfig(base: ConfigLayer, layer: ConfigLayer): ConfigLayer {
  const out: ConfigLayer = Object.assign({}, base);
  for (const [rawKey, value] of Object.entries(layer)) {
    const key = canonicalKey(rawKey);
    if (APPEND_KEYS.has(key)) {
      const merged = [...asList(out[key]), ...asList(value)];
      out[key] = key === 'tags' ? [...new Set(merged.map(String))] : merged;
    } else if (UPDATE_KEYS.has(key) && isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = Object.assign({}, out[key] as ConfigLayer, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The dbt_project.yml layers that apply to a resource, least specific first: the tree is
 * walked along the fqn (`<project>/<folder>/…/<name>`), collecting configs at each level.
 */
export function projectLayers(tree: Record<string, unknown>, fqn: readonly string[]): ConfigLayer[] {
  const layers: ConfigLayer[] = [];
  let level: Record<string, unknown> | null = tree;
  // Configs at the very top (`models: {+materialized: view}`) apply to every package.
  for (let depth = 0; level; depth++) {
    const layer: ConfigLayer = {};
    for (const [key, value] of Object.entries(level)) {
      if (isConfigKey(key, value)) layer[canonicalKey(key)] = value;
    }
    if (Object.keys(layer).length > 0) layers.push(layer);
    const segment = fqn[depth];
    if (segment === undefined) break;
    const next: unknown = level[segment];
    level = isPlainObject(next) && !isConfigKey(segment, next) ? next : null;
  }
  return layers;
}

function isConfigKey(key: string, value: unknown): boolean {
  if (key.startsWith('+')) return true;
  if (!KNOWN_KEYS.has(key)) return false;
  return !isPlainObject(value) || DICT_VALUED.has(key);
}

function invalid(position: SourcePosition, detail: string): ModelingError {
  return new ModelingError('invalid_config', detail, position);
}

function optionalString(config: ConfigLayer, key: string, position: SourcePosition): string | null {
  const value = config[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalid(position, `config '${key}' must be a string, got ${JSON.stringify(value)}`);
}

function oneOf<T extends string>(config: ConfigLayer, key: string, allowed: readonly T[], fallback: T, position: SourcePosition): T {
  const value = config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(position, `config '${key}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
}

function optionalBoolean(config: ConfigLayer, key: string, position: SourcePosition): boolean | null {
  const value = config[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalid(position, `config '${key}' must be true or false, got ${JSON.stringify(value)}`);
}

function stringArray(config: ConfigLayer, key: string, position: SourcePosition): string[] {
  const value = config[key];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw invalid(position, `config '${key}' must be a string or a list of strings`);
  return list as string[];
}

function dict(config: ConfigLayer, key: string, position: SourcePosition): Record<string, unknown> {
  const value = config[key];
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw invalid(position, `config '${key}' must be a mapping`);
  return value;
}

function hooks(config: ConfigLayer, key: string, position: SourcePosition): Hook[] {
  return asList(config[key]).map((hook) => {
    if (typeof hook === 'string') return { sql: hook, transaction: true };
    if (isPlainObject(hook) && typeof hook['sql'] === 'string') return { sql: hook['sql'], transaction: hook['transaction'] !== false };
    throw invalid(position, `config '${key}' entries must be SQL strings`);
  });
}

/**
 * Keys nobody interprets pass through, as in dbt. Copied after the typed ones rather than
 * spread before them: object literals keep a fast shape (this runs for every node).
 */
function withExtras<T extends object>(typed: T, config: ConfigLayer): T {
  for (const key in config) {
    if (!(key in typed)) (typed as Record<string, unknown>)[key] = config[key];
  }
  return typed;
}

function base(config: ConfigLayer, position: SourcePosition): BaseConfig {
  const enabled = optionalBoolean(config, 'enabled', position);
  return {
    enabled: enabled ?? true,
    tags: stringArray(config, 'tags', position),
    meta: dict(config, 'meta', position),
    schema: optionalString(config, 'schema', position),
    database: optionalString(config, 'database', position),
    alias: optionalString(config, 'alias', position),
    pre_hook: hooks(config, 'pre_hook', position),
    post_hook: hooks(config, 'post_hook', position),
  };
}

const MATERIALIZATIONS: readonly ModelMaterialization[] = ['view', 'table', 'incremental', 'ephemeral'];
const STRATEGIES: readonly IncrementalStrategy[] = ['merge', 'delete+insert', 'append', 'insert_overwrite'];
const SCHEMA_CHANGES: readonly OnSchemaChange[] = ['ignore', 'append_new_columns', 'fail', 'sync_all_columns'];

function partitionBy(config: ConfigLayer, position: SourcePosition): PartitionBy | null {
  const value = config['partition_by'];
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value) || typeof value['field'] !== 'string') {
    throw invalid(position, `config 'partition_by' must be a mapping with a 'field', e.g. {field: created_at, data_type: timestamp}`);
  }
  const dataType = String(value['data_type'] ?? 'date').toLowerCase();
  if (!['timestamp', 'date', 'datetime', 'int64'].includes(dataType)) {
    throw invalid(position, `partition_by.data_type must be one of timestamp, date, datetime, int64, got ${JSON.stringify(value['data_type'])}`);
  }
  const granularity = String(value['granularity'] ?? 'day').toLowerCase();
  if (!['hour', 'day', 'month', 'year'].includes(granularity)) {
    throw invalid(position, `partition_by.granularity must be one of hour, day, month, year, got ${JSON.stringify(value['granularity'])}`);
  }
  const out: PartitionBy = Object.assign({}, value, {
    field: value['field'],
    data_type: dataType as PartitionBy['data_type'],
    granularity: granularity as PartitionBy['granularity'],
  });
  if (dataType === 'int64') {
    const range = value['range'];
    if (!isPlainObject(range)) throw invalid(position, `partition_by with data_type int64 needs a range {start, end, interval}`);
    out.range = { start: Number(range['start']), end: Number(range['end']), interval: Number(range['interval']) };
  }
  return out;
}

function uniqueKey(config: ConfigLayer, position: SourcePosition): string | string[] | null {
  const value = config['unique_key'];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw invalid(position, `config 'unique_key' must be a column name or a list of column names`);
}

export function modelConfig(config: ConfigLayer, position: SourcePosition): ModelConfig {
  const materialized = oneOf(config, 'materialized', MATERIALIZATIONS, 'view', position);
  const strategy = config['incremental_strategy'] === undefined || config['incremental_strategy'] === null
    ? null
    : oneOf(config, 'incremental_strategy', STRATEGIES, 'merge', position);
  const clusterBy = config['cluster_by'];
  const expiration = config['partition_expiration_days'];
  const b = base(config, position);
  return withExtras<ModelConfig>({
    enabled: b.enabled,
    tags: b.tags,
    meta: b.meta,
    schema: b.schema,
    database: b.database,
    alias: b.alias,
    pre_hook: b.pre_hook,
    post_hook: b.post_hook,
    materialized,
    incremental_strategy: strategy,
    unique_key: uniqueKey(config, position),
    incremental_predicates: stringArray(config, 'incremental_predicates', position),
    on_schema_change: oneOf(config, 'on_schema_change', SCHEMA_CHANGES, 'ignore', position),
    full_refresh: optionalBoolean(config, 'full_refresh', position),
    partition_by: partitionBy(config, position),
    cluster_by: clusterBy === undefined || clusterBy === null ? null : stringArray(config, 'cluster_by', position),
    require_partition_filter: optionalBoolean(config, 'require_partition_filter', position),
    partition_expiration_days: typeof expiration === 'number' ? expiration : null,
    labels: Object.fromEntries(Object.entries(dict(config, 'labels', position)).map(([k, v]) => [k, String(v)])),
    persist_docs: dict(config, 'persist_docs', position) as ModelConfig['persist_docs'],
    grants: dict(config, 'grants', position) as ModelConfig['grants'],
  }, config);
}

export function seedConfig(config: ConfigLayer, position: SourcePosition): SeedConfig {
  const b = base(config, position);
  return withExtras<SeedConfig>({
    enabled: b.enabled,
    tags: b.tags,
    meta: b.meta,
    schema: b.schema,
    database: b.database,
    alias: b.alias,
    pre_hook: b.pre_hook,
    post_hook: b.post_hook,
    materialized: 'seed',
    column_types: Object.fromEntries(Object.entries(dict(config, 'column_types', position)).map(([k, v]) => [k, String(v)])),
    delimiter: optionalString(config, 'delimiter', position) ?? ',',
    quote_columns: optionalBoolean(config, 'quote_columns', position),
    full_refresh: optionalBoolean(config, 'full_refresh', position),
  }, config);
}

export function snapshotConfig(config: ConfigLayer, position: SourcePosition, name: string): SnapshotConfig {
  const strategy = config['strategy'];
  if (strategy !== 'timestamp' && strategy !== 'check') {
    throw invalid(position, `snapshot '${name}' needs config strategy 'timestamp' or 'check', got ${JSON.stringify(strategy ?? null)}`);
  }
  const key = uniqueKey(config, position);
  if (key === null) throw invalid(position, `snapshot '${name}' needs config unique_key`);
  const updatedAt = optionalString(config, 'updated_at', position);
  if (strategy === 'timestamp' && !updatedAt) throw invalid(position, `snapshot '${name}' with strategy 'timestamp' needs config updated_at`);
  let checkCols: SnapshotConfig['check_cols'] = null;
  if (strategy === 'check') {
    const value = config['check_cols'];
    if (value === 'all') checkCols = 'all';
    else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) checkCols = value as string[];
    else throw invalid(position, `snapshot '${name}' with strategy 'check' needs check_cols: 'all' or a list of columns`);
  }
  // `invalidate_hard_deletes: true` is the pre-1.9 spelling of `hard_deletes: invalidate`.
  const legacyInvalidate = optionalBoolean(config, 'invalidate_hard_deletes', position) === true;
  const b = base(config, position);
  return withExtras<SnapshotConfig>({
    enabled: b.enabled,
    tags: b.tags,
    meta: b.meta,
    schema: b.schema,
    database: b.database,
    alias: b.alias,
    pre_hook: b.pre_hook,
    post_hook: b.post_hook,
    materialized: 'snapshot',
    strategy,
    unique_key: key,
    updated_at: updatedAt,
    check_cols: checkCols,
    hard_deletes: oneOf(config, 'hard_deletes', ['ignore', 'invalidate', 'new_record'] as const, legacyInvalidate ? 'invalidate' : 'ignore', position),
    target_schema: optionalString(config, 'target_schema', position),
    target_database: optionalString(config, 'target_database', position),
    dbt_valid_to_current: optionalString(config, 'dbt_valid_to_current', position),
  }, config);
}

export function testConfig(config: ConfigLayer, position: SourcePosition): TestConfig {
  const severity = String(config['severity'] ?? 'error').toLowerCase();
  if (severity !== 'error' && severity !== 'warn') throw invalid(position, `test severity must be 'error' or 'warn', got ${JSON.stringify(config['severity'])}`);
  const limit = config['limit'];
  const storeAs = config['store_failures_as'];
  const b = base(config, position);
  return withExtras<TestConfig>({
    enabled: b.enabled,
    tags: b.tags,
    meta: b.meta,
    schema: b.schema,
    database: b.database,
    alias: b.alias,
    pre_hook: b.pre_hook,
    post_hook: b.post_hook,
    materialized: 'test',
    severity,
    warn_if: optionalString(config, 'warn_if', position) ?? '!= 0',
    error_if: optionalString(config, 'error_if', position) ?? '!= 0',
    fail_calc: optionalString(config, 'fail_calc', position) ?? 'count(*)',
    store_failures: optionalBoolean(config, 'store_failures', position),
    store_failures_as: storeAs === 'table' || storeAs === 'view' ? storeAs : null,
    where: optionalString(config, 'where', position),
    limit: typeof limit === 'number' ? limit : null,
  }, config);
}

export function unitTestConfig(config: ConfigLayer, position: SourcePosition): UnitTestConfig {
  const b = base(config, position);
  return { enabled: b.enabled, tags: b.tags, meta: b.meta };
}

export function sourceConfig(config: ConfigLayer, position: SourcePosition): SourceConfig {
  const b = base(config, position);
  return withExtras({ enabled: b.enabled, tags: b.tags, meta: b.meta }, config);
}

/** Keys of a generic test's arguments that are really config (dbt moves them the same way). */
export const TEST_CONFIG_KEYS = new Set([
  'severity', 'warn_if', 'error_if', 'fail_calc', 'store_failures', 'store_failures_as', 'where', 'limit', 'enabled',
  'tags', 'meta', 'alias', 'schema', 'database',
]);
