import type pg from 'pg';
import { connectionOf, quoteIdent, withClient } from './databases.js';

export type RelationVerdict = 'equal' | 'equal-but-snapshot-times' | 'different' | 'only-dbt' | 'only-sp01';

export interface RelationComparison {
  /** `schema.name` */
  relation: string;
  kind: string;
  dbtRows: number | null;
  sp01Rows: number | null;
  /** Rows of dbt-core's table missing from SP01's (EXCEPT ALL), and the other way round. */
  onlyDbt: number | null;
  onlySp01: number | null;
  /** Columns that differ in name or type, e.g. `amount: numeric ≠ double precision`. */
  columnDifferences: string[];
  verdict: RelationVerdict;
}

interface Column {
  name: string;
  type: string;
}

interface Relation {
  schema: string;
  name: string;
  kind: string;
  columns: Column[];
}

/** Schemas the comparison never looks at: the catalogue and its own foreign copies. */
const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast'];
const FOREIGN_PREFIX = 'dbt_oracle__';

/**
 * dbt-core stamps these with the time of the run (check strategy, `dbt_updated_at` of a
 * check snapshot): two runs a minute apart never agree on them, only on which are null.
 */
const SNAPSHOT_TIMES = new Set(['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to']);

/** Types without an equality operator are compared as text. */
const TEXT_COMPARED = new Set(['json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle']);

async function relationsOf(client: pg.Client): Promise<Map<string, Relation>> {
  const result = await client.query<{ schema: string; name: string; kind: string; column: string; type: string }>(
    `select c.table_schema as schema, c.table_name as name, t.table_type as kind, c.column_name as column,
            case when c.data_type = 'USER-DEFINED' then c.udt_name else c.data_type end as type
       from information_schema.columns c
       join information_schema.tables t using (table_catalog, table_schema, table_name)
      where c.table_schema <> all($1) and c.table_schema not like $2
      order by c.table_schema, c.table_name, c.ordinal_position`,
    [SYSTEM_SCHEMAS, `${FOREIGN_PREFIX}%`],
  );
  const relations = new Map<string, Relation>();
  for (const row of result.rows) {
    const key = `${row.schema}.${row.name}`;
    let relation = relations.get(key);
    if (!relation) {
      relation = { schema: row.schema, name: row.name, kind: row.kind === 'VIEW' ? 'view' : 'table', columns: [] };
      relations.set(key, relation);
    }
    relation.columns.push({ name: row.column, type: row.type });
  }
  return relations;
}

function columnDifferences(dbt: Relation, sp01: Relation): string[] {
  const differences: string[] = [];
  const sp01Types = new Map(sp01.columns.map((c) => [c.name, c.type]));
  const dbtNames = new Set(dbt.columns.map((c) => c.name));
  for (const column of dbt.columns) {
    const type = sp01Types.get(column.name);
    if (type === undefined) differences.push(`${column.name}: only in dbt-core`);
    else if (type !== column.type) differences.push(`${column.name}: ${column.type} (dbt-core) ≠ ${type} (SP01)`);
  }
  for (const column of sp01.columns) if (!dbtNames.has(column.name)) differences.push(`${column.name}: only in SP01`);
  if (differences.length === 0 && dbt.columns.map((c) => c.name).join() !== sp01.columns.map((c) => c.name).join()) {
    differences.push(`column order: ${dbt.columns.map((c) => c.name).join(', ')} (dbt-core) ≠ ${sp01.columns.map((c) => c.name).join(', ')} (SP01)`);
  }
  return differences;
}

/**
 * Compares, in SP01's database, every relation with its twin in dbt-core's database, reached
 * through postgres_fdw (IMPORT FOREIGN SCHEMA): row counts, and EXCEPT ALL both ways so a
 * duplicated row counts too. Columns are compared by name in dbt-core's order; where their
 * types differ the values are compared as text, and the type difference is reported anyway.
 */
export async function compareDatabases(options: { dbtUrl: string; sp01Url: string; ignoreColumns?: readonly string[] }): Promise<RelationComparison[]> {
  const ignored = new Set(options.ignoreColumns ?? []);
  const dbtRelations = await withClient(options.dbtUrl, relationsOf);
  return withClient(options.sp01Url, async (client) => {
    const sp01Relations = await relationsOf(client);
    const remote = connectionOf(options.dbtUrl);
    await client.query('create extension if not exists postgres_fdw');
    await client.query('drop server if exists dbt_oracle cascade');
    await client.query(
      `create server dbt_oracle foreign data wrapper postgres_fdw options (host '${remote.host}', port '${remote.port}', dbname '${remote.database.replaceAll("'", "''")}')`,
    );
    const password = remote.password === '' ? '' : `, password '${remote.password.replaceAll("'", "''")}'`;
    await client.query(`create user mapping for current_user server dbt_oracle options (user '${remote.user.replaceAll("'", "''")}'${password})`);
    const schemas = new Set([...dbtRelations.values()].map((r) => r.schema));
    for (const schema of schemas) {
      const local = quoteIdent(FOREIGN_PREFIX + schema);
      await client.query(`drop schema if exists ${local} cascade`);
      await client.query(`create schema ${local}`);
      await client.query(`import foreign schema ${quoteIdent(schema)} from server dbt_oracle into ${local}`);
    }
    try {
      const keys = [...new Set([...dbtRelations.keys(), ...sp01Relations.keys()])].sort();
      const comparisons: RelationComparison[] = [];
      for (const key of keys) comparisons.push(await compareRelation(client, dbtRelations.get(key), sp01Relations.get(key), ignored));
      return comparisons;
    } finally {
      for (const schema of schemas) await client.query(`drop schema if exists ${quoteIdent(FOREIGN_PREFIX + schema)} cascade`);
      await client.query('drop server if exists dbt_oracle cascade');
    }
  });
}

async function count(client: pg.Client, sql: string): Promise<number> {
  const result = await client.query<{ n: string }>(`select count(*) as n from (${sql}) as rows`);
  return Number(result.rows[0]?.n ?? 0);
}

async function compareRelation(
  client: pg.Client,
  dbt: Relation | undefined,
  sp01: Relation | undefined,
  ignored: ReadonlySet<string>,
): Promise<RelationComparison> {
  const any = (dbt ?? sp01) as Relation;
  const relation = `${any.schema}.${any.name}`;
  const local = `${quoteIdent(any.schema)}.${quoteIdent(any.name)}`;
  const foreign = `${quoteIdent(FOREIGN_PREFIX + any.schema)}.${quoteIdent(any.name)}`;
  if (!dbt || !sp01) {
    const rows = await count(client, `select 1 from ${dbt ? foreign : local}`);
    return {
      relation,
      kind: any.kind,
      dbtRows: dbt ? rows : null,
      sp01Rows: sp01 ? rows : null,
      onlyDbt: null,
      onlySp01: null,
      columnDifferences: [],
      verdict: dbt ? 'only-dbt' : 'only-sp01',
    };
  }
  const differences = columnDifferences(dbt, sp01);
  const sp01Types = new Map(sp01.columns.map((c) => [c.name, c.type]));
  // Ignored columns (run-time stamps such as current_timestamp) still count for the column check.
  const shared = dbt.columns.filter((c) => sp01Types.has(c.name) && !ignored.has(c.name));
  const expression = (column: Column, masked: boolean) => {
    const name = quoteIdent(column.name);
    if (masked && SNAPSHOT_TIMES.has(column.name)) return `(${name} is null)`;
    const asText = column.type !== sp01Types.get(column.name) || TEXT_COMPARED.has(column.type);
    return asText ? `${name}::text` : name;
  };
  const except = async (masked: boolean) => {
    const list = shared.map((c) => expression(c, masked)).join(', ') || '1';
    return {
      onlyDbt: await count(client, `select ${list} from ${foreign} except all select ${list} from ${local}`),
      onlySp01: await count(client, `select ${list} from ${local} except all select ${list} from ${foreign}`),
    };
  };
  const dbtRows = await count(client, `select 1 from ${foreign}`);
  const sp01Rows = await count(client, `select 1 from ${local}`);
  let rows = await except(false);
  let verdict: RelationVerdict = rows.onlyDbt === 0 && rows.onlySp01 === 0 && differences.length === 0 ? 'equal' : 'different';
  if (verdict === 'different' && differences.length === 0 && shared.some((c) => SNAPSHOT_TIMES.has(c.name))) {
    const masked = await except(true);
    if (masked.onlyDbt === 0 && masked.onlySp01 === 0) {
      rows = masked;
      verdict = 'equal-but-snapshot-times';
    }
  }
  return { relation, kind: dbt.kind, dbtRows, sp01Rows, ...rows, columnDifferences: differences, verdict };
}
