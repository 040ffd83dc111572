import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '@sp01/core';
import { silentLogger } from '@sp01/core';
import type { Dialect, IncrementalStrategy, ModelConfig, Relation } from '@sp01/modeling-compiler';
import { postgresDialect } from '@sp01/modeling-compiler';
import type {
  AdapterCapabilities,
  AdapterResponse,
  AdapterSession,
  ColumnDef,
  DryRunResult,
  ExecuteOptions,
  ExecuteResult,
  ExistingRelation,
  RelationType,
  SqlPlan,
  WarehouseAdapter,
} from '@sp01/modeling-executor';
import type { ConnectionSource, SqlConnection, StatementResult } from './connections.js';
import { pgliteConnections, postgresConnections } from './connections.js';
import * as sql from './postgres-sql.js';

const RELATION_TYPES: Record<string, RelationType> = { r: 'table', p: 'table', v: 'view', m: 'materialized_view', f: 'external' };

/** `-- sp01: <label>` in front of a statement: pg_stat_activity and the server log say which node ran it. */
function labelled(text: string, options?: ExecuteOptions): string {
  if (!options?.label) return text;
  return `/* sp01: ${options.label.replaceAll('*/', '* /')} */ ${text}`;
}

/** Commands whose row count means something; DDL reports none (PGlite says 0, node-postgres null). */
const COUNTING = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

function responseOf(results: readonly StatementResult[]): AdapterResponse {
  const last = results.at(-1);
  const code = last?.command ?? null;
  const rows = code !== null && COUNTING.has(code) ? (last?.rowCount ?? null) : null;
  return { message: code === null ? 'OK' : rows === null ? code : `${code} ${rows}`, code, rows_affected: rows };
}

class PostgresSession implements AdapterSession {
  private describeCounter = 0;

  constructor(private readonly connection: SqlConnection) {}

  async execute<T = Record<string, unknown>>(text: string, options?: ExecuteOptions): Promise<ExecuteResult<T>> {
    const results = await this.connection.run(labelled(text, options));
    return { response: responseOf(results), rows: (results.at(-1)?.rows ?? []) as T[] };
  }

  async query<T = Record<string, unknown>>(text: string, options?: ExecuteOptions): Promise<T[]> {
    return (await this.execute<T>(text, options)).rows;
  }

  async runPlan(plan: SqlPlan, options?: ExecuteOptions): Promise<AdapterResponse> {
    let reported: StatementResult[] = [];
    let last: StatementResult[] = [];
    for (const batch of plan) {
      if (batch.atomic) await this.connection.run('begin');
      try {
        for (const statement of batch.statements) {
          last = await this.connection.run(labelled(statement.sql, options));
          if (statement.reports) reported = [...reported, ...last];
        }
        if (batch.atomic) await this.connection.run('commit');
      } catch (err) {
        if (batch.atomic) await this.connection.run('rollback');
        throw err;
      }
    }
    const counted = reported.filter((r) => r.command !== null && COUNTING.has(r.command) && r.rowCount !== null);
    const response = responseOf(reported.length > 0 ? reported : last);
    if (counted.length > 1) {
      const total = counted.reduce((sum, r) => sum + (r.rowCount ?? 0), 0);
      return { ...response, rows_affected: total, message: `${counted.map((r) => `${r.command} ${r.rowCount}`).join(', ')}` };
    }
    return response;
  }

  async getRelation(relation: Relation): Promise<ExistingRelation | null> {
    const [result] = await this.connection.run(
      `select c.relkind::text as kind
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2`,
      [relation.schema, relation.identifier],
    );
    const kind = result?.rows[0]?.['kind'];
    if (typeof kind !== 'string') return null;
    const type = RELATION_TYPES[kind];
    return type ? { ...relation, type } : null;
  }

  async getColumns(relation: Relation): Promise<ColumnDef[]> {
    const [result] = await this.connection.run(
      `select a.attname::text as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type
         from pg_catalog.pg_attribute a
        where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [postgresDialect.renderRelation({ ...relation, database: null })],
    );
    return (result?.rows ?? []).map((row) => ({ name: String(row['name']), data_type: String(row['data_type']) }));
  }

  async describeQuery(text: string): Promise<ColumnDef[]> {
    // A temporary view plans the select without running it and keeps its column types.
    const view = { database: null, schema: 'pg_temp', identifier: `__dbt_describe_${++this.describeCounter}` };
    await this.connection.run(`create temporary view ${postgresDialect.quoteIdentifier(view.identifier)} as (\n${text}\n)`);
    try {
      return await this.getColumns(view);
    } finally {
      await this.connection.run(`drop view if exists ${postgresDialect.renderRelation(view)}`);
    }
  }
}

export interface PostgresAdapterOptions {
  /** `postgres://…` of the server. */
  url: string;
  /** Connections in the pool; give at least `--threads` (default 4). */
  poolSize?: number;
  logger?: Logger;
  applicationName?: string;
}

export interface PgliteAdapterOptions {
  /** Data folder; omitted: an in-memory database for the life of the process. */
  dataDir?: string;
  /** An open PGlite to use instead (its type parsers are its own). */
  db?: PGlite;
}

const CAPABILITIES: AdapterCapabilities = {
  incremental_strategies: ['merge', 'delete+insert', 'append'],
  transactions: true,
  dry_run_bytes: false,
};

class PostgresAdapter implements WarehouseAdapter {
  readonly type = 'postgres' as const;
  readonly dialect: Dialect = postgresDialect;
  readonly capabilities = CAPABILITIES;

  constructor(private readonly connections: ConnectionSource) {}

  /** `postgres` (a server) or `pglite` (embedded): both speak PostgreSQL. */
  get engine(): 'postgres' | 'pglite' {
    return this.connections.kind;
  }

  async connect(): Promise<void> {
    await this.withSession((session) => session.query('select 1'));
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  async withSession<T>(work: (session: AdapterSession) => Promise<T>): Promise<T> {
    const { connection, release } = await this.connections.acquire();
    let broken: Error | undefined;
    try {
      return await work(new PostgresSession(connection));
    } catch (err) {
      // A session whose transaction could not be closed is not handed out again.
      try {
        await connection.run('rollback');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw err;
    } finally {
      release(broken);
    }
  }

  execute<T = Record<string, unknown>>(text: string, options?: ExecuteOptions): Promise<ExecuteResult<T>> {
    return this.withSession((session) => session.execute<T>(text, options));
  }

  query<T = Record<string, unknown>>(text: string, options?: ExecuteOptions): Promise<T[]> {
    return this.withSession((session) => session.query<T>(text, options));
  }

  runPlan(plan: SqlPlan, options?: ExecuteOptions): Promise<AdapterResponse> {
    return this.withSession((session) => session.runPlan(plan, options));
  }

  getRelation(relation: Relation): Promise<ExistingRelation | null> {
    return this.withSession((session) => session.getRelation(relation));
  }

  getColumns(relation: Relation): Promise<ColumnDef[]> {
    return this.withSession((session) => session.getColumns(relation));
  }

  describeQuery(text: string): Promise<ColumnDef[]> {
    return this.withSession((session) => session.describeQuery(text));
  }

  async ensureSchema(relation: Pick<Relation, 'database' | 'schema'>): Promise<void> {
    await this.execute(`create schema if not exists ${postgresDialect.quoteIdentifier(relation.schema)}`);
  }

  convertType = sql.convertType;

  defaultIncrementalStrategy(config: Pick<ModelConfig, 'unique_key'>): IncrementalStrategy {
    // dbt-postgres's get_incremental_default_sql.
    return config.unique_key === null || (Array.isArray(config.unique_key) && config.unique_key.length === 0) ? 'append' : 'delete+insert';
  }

  derivedRelation = sql.derivedRelation;
  dropRelationSql = sql.dropRelationSql;
  viewPlan = sql.viewPlan;
  tablePlan = sql.tablePlan;
  incrementalPlan = sql.incrementalPlan;
  schemaChangePlan = sql.schemaChangePlan;
  snapshotPlan = sql.snapshotPlan;
  seedPlan = sql.seedPlan;
  testsQuery = sql.testsQuery;
  freshnessQuery = sql.freshnessQuery;

  async dryRun(text: string): Promise<DryRunResult> {
    try {
      const rows = await this.query<{ 'QUERY PLAN': string }>(`explain ${text}`);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      const top = /cost=[\d.]+\.\.([\d.]+) rows=(\d+)/.exec(plan);
      return { ok: true, plan, ...(top ? { estimated_cost: Number(top[1]), estimated_rows: Number(top[2]) } : {}) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  cost(): number | null {
    return null;
  }
}

export type PostgresWarehouseAdapter = WarehouseAdapter & { readonly engine: 'postgres' | 'pglite' };

/** The adapter for a PostgreSQL server: a pool of sessions, one per running node. */
export function createPostgresAdapter(options: PostgresAdapterOptions): PostgresWarehouseAdapter {
  return new PostgresAdapter(
    postgresConnections(options.url, { poolSize: options.poolSize ?? 4, logger: options.logger ?? silentLogger, applicationName: options.applicationName }),
  );
}

/** The adapter for embedded PGlite: one session at a time (nodes queue), no server needed. */
export function createPgliteAdapter(options: PgliteAdapterOptions = {}): PostgresWarehouseAdapter {
  return new PostgresAdapter(pgliteConnections(options));
}
