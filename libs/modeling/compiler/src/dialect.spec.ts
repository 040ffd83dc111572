import { describe, expect, it } from 'vitest';
import { bigqueryDialect } from './bigquery-dialect.js';
import { writeProject } from './__fixtures__/project-files.js';
import { compileNode } from './compile.js';
import type { Dialect } from './dialect.js';
import { dialectFor } from './dialects.js';
import { parseProject } from './parse.js';
import { postgresDialect } from './postgres-dialect.js';

/** Renders `{{ <call> }}` in a one-model project, through the whole compile path. */
function render(dialect: Dialect, call: string): string {
  const dir = writeProject({ 'models/m.sql': `{{ ${call} }}` });
  const target = { name: 'dev', type: dialect.type, schema: 'analytics' };
  return compileNode(parseProject({ projectDir: dir, target }), 'model.demo.m', { dialect, target }).compiled_code;
}

describe('cross-database macros under their dbt names', () => {
  it.each<[string, string, string]>([
    ["dbt.date_trunc('month', 'created_at')", "date_trunc('month', created_at)", 'timestamp_trunc(cast(created_at as timestamp), month)'],
    ["dbt.dateadd('day', 7, 'created_at')", "created_at + ((interval '1 day') * (7))", 'date_add(created_at, interval 7 day)'],
    ["dbt.dateadd(datepart='hour', interval=-2, from_date_or_timestamp='ts')", "ts + ((interval '1 hour') * (-2))", 'date_add(ts, interval -2 hour)'],
    ["dbt.datediff('a', 'b', 'day')", '((b)::date - (a)::date)', 'datetime_diff(cast(b as datetime), cast(a as datetime), day)'],
    [
      "dbt.datediff('a', 'b', 'month')",
      "((date_part('year', (b)::date) - date_part('year', (a)::date)) * 12 + date_part('month', (b)::date) - date_part('month', (a)::date))",
      'datetime_diff(cast(b as datetime), cast(a as datetime), month)',
    ],
    ["dbt.safe_cast('x', dbt.type_int())", 'cast(x as INT)', 'safe_cast(x as INT64)'],
    ['dbt.type_string()', 'TEXT', 'STRING'],
    ['dbt.type_bigint()', 'bigint', 'INT64'],
    ['dbt.type_numeric()', 'numeric(28,6)', 'numeric'],
    ['dbt.type_timestamp()', 'TIMESTAMP', 'TIMESTAMP'],
    ['dbt.type_float()', 'FLOAT', 'FLOAT64'],
    ['dbt.type_boolean()', 'BOOLEAN', 'BOOL'],
    ['dbt.current_timestamp()', 'now()', 'current_timestamp()'],
    ["dbt.concat(['a', \"'-'\", 'b'])", "concat(a, '-', b)", "concat(a, '-', b)"],
    ["dbt.hash('id')", 'md5(cast(id as TEXT))', 'to_hex(md5(cast(id as STRING)))'],
    ["dbt.split_part('path', \"'/'\", 2)", "split_part(path, '/', 2)", "split(path, '/')[safe_offset(1)]"],
    ["dbt.string_literal(\"it's\")", "'it''s'", "'it\\'s'"],
    ["date_trunc('day', 'ts')", "date_trunc('day', ts)", 'timestamp_trunc(cast(ts as timestamp), day)'],
  ])('%s', (call, postgres, bigquery) => {
    expect(render(postgresDialect, call)).toBe(postgres);
    expect(render(bigqueryDialect, call)).toBe(bigquery);
  });

  it('rejects a datediff part PostgreSQL cannot compute, at the line of the call', () => {
    expect(() => render(postgresDialect, "dbt.datediff('a', 'b', 'fortnight')")).toThrow("models/m.sql:1: Unsupported datepart for macro datediff in postgres: 'fortnight'");
  });
});

describe('quoting and literals', () => {
  it.each<[Dialect, { database: string | null; schema: string; identifier: string }, string]>([
    [postgresDialect, { database: null, schema: 'analytics', identifier: 'orders' }, '"analytics"."orders"'],
    [postgresDialect, { database: 'warehouse', schema: 'a"b', identifier: 'orders' }, '"warehouse"."a""b"."orders"'],
    [bigqueryDialect, { database: 'sp01-warehouse', schema: 'analytics', identifier: 'orders' }, '`sp01-warehouse`.`analytics`.`orders`'],
    [bigqueryDialect, { database: null, schema: 'analytics', identifier: 'orders' }, '`analytics`.`orders`'],
  ])('%s renders %j as %s', (dialect, relation, expected) => {
    expect(dialect.renderRelation(relation)).toBe(expected);
  });

  it.each<[Dialect, unknown, string | undefined, string]>([
    [postgresDialect, "O'Brien", undefined, "'O''Brien'"],
    [bigqueryDialect, "O'Brien", undefined, "'O\\'Brien'"],
    [postgresDialect, 12.5, undefined, '12.5'],
    [postgresDialect, null, 'integer', 'cast(null as integer)'],
    [postgresDialect, '2024-01-01', undefined, "date '2024-01-01'"],
    [postgresDialect, '2024-01-01 08:00:00', undefined, "timestamp '2024-01-01 08:00:00'"],
    [postgresDialect, '2024-01-01T08:00:00+08:00', undefined, "timestamptz '2024-01-01T08:00:00+08:00'"],
    [postgresDialect, '2024-01-01', 'text', "cast('2024-01-01' as text)"],
    [bigqueryDialect, '2024-01-01 08:00:00', undefined, "timestamp '2024-01-01 08:00:00'"],
    [bigqueryDialect, true, undefined, 'true'],
  ])('%s writes %j (type %s) as %s', (dialect, value, type, expected) => {
    expect(dialect.literal(value, type)).toBe(expected);
  });

  it('selects literal rows, typed where a type is known, empty sets included', () => {
    const rows = [{ id: 1, name: 'a' }, { id: 2 }];
    expect(postgresDialect.rowsSelect(rows, ['id', 'name'], { id: 'integer' })).toBe(
      `select cast(1 as integer) as "id", 'a' as "name"\nunion all\nselect cast(2 as integer) as "id", null as "name"`,
    );
    expect(bigqueryDialect.rowsSelect([], ['id'], { id: 'INT64' })).toBe('select cast(null as INT64) as `id` where 1 = 0');
  });

  it('finds a dialect by target type', () => {
    expect(dialectFor('postgres')).toBe(postgresDialect);
    expect(dialectFor('pglite')).toBe(postgresDialect);
    expect(dialectFor('BigQuery')).toBe(bigqueryDialect);
    expect(() => dialectFor('snowflake')).toThrow("no SQL dialect for target type 'snowflake'");
  });

  it('lets an adapter extend a dialect', () => {
    const custom: Dialect = { ...postgresDialect, type: 'pglite', literal: (value) => `<${String(value)}>` };
    expect(custom.rowsSelect([{ a: 1 }], ['a'], {})).toBe('select <1> as "a"');
  });
});
