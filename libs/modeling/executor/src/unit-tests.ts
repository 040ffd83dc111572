import type { UnitTestNode } from '@sp01/modeling-compiler';
import type { NodeResult } from './run-results.js';
import type { RunContext } from './run-context.js';
import { NodeClock, nodeResult } from './run-context.js';
import { errorText } from './materialize-model.js';

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * One cell as a comparable string: numbers by value (`15`, `15.0` and `15.000000` agree,
 * as they do for dbt's `except`), dates and timestamps by their ISO text.
 */
export function canonicalCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return `n:${Number(value)}`;
  if (typeof value === 'boolean') return `b:${value}`;
  if (value instanceof Date) return `t:${value.toISOString()}`;
  if (typeof value === 'string') {
    if (NUMERIC.test(value.trim())) return `n:${Number(value)}`;
    return `s:${value}`;
  }
  return `j:${JSON.stringify(value)}`;
}

function rowKey(row: Record<string, unknown>, columns: readonly string[]): string {
  return JSON.stringify(columns.map((column) => canonicalCell(lookup(row, column))));
}

function lookup(row: Record<string, unknown>, column: string): unknown {
  if (column in row) return row[column];
  const lower = column.toLowerCase();
  const key = Object.keys(row).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : row[key];
}

function display(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Rows in one list but not the other (multiset difference), as dbt's unit-test diff shows them. */
export function diffRows(actual: readonly Record<string, unknown>[], expected: readonly Record<string, unknown>[], columns: readonly string[]) {
  const pending = new Map<string, Record<string, unknown>[]>();
  for (const row of expected) {
    const key = rowKey(row, columns);
    pending.set(key, [...(pending.get(key) ?? []), row]);
  }
  const unexpected: Record<string, unknown>[] = [];
  for (const row of actual) {
    const key = rowKey(row, columns);
    const waiting = pending.get(key);
    if (waiting && waiting.length > 0) waiting.pop();
    else unexpected.push(row);
  }
  const missing = [...pending.values()].flat();
  return { missing, unexpected };
}

function diffTable(columns: readonly string[], missing: readonly Record<string, unknown>[], unexpected: readonly Record<string, unknown>[]): string {
  const rows = [
    ['', ...columns],
    ...missing.map((row) => ['-', ...columns.map((c) => display(lookup(row, c)))]),
    ...unexpected.map((row) => ['+', ...columns.map((c) => display(lookup(row, c)))]),
  ];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => (r[i + 1] ?? '').length)));
  return rows.map((r) => [r[0], ...r.slice(1).map((cell, i) => cell.padEnd(widths[i] ?? 0))].join(' | ')).join('\n');
}

/**
 * dbt's unit test: the model's SQL runs over literal CTEs standing in for every ref and
 * source (no upstream table needs to exist) and its rows are compared, as a multiset on the
 * expected columns, with the `expect` rows.
 */
export async function runUnitTest(ctx: RunContext, node: UnitTestNode, threadId: string): Promise<NodeResult> {
  const clock = new NodeClock();
  let compiledCode: string | null = null;
  try {
    const compiled = ctx.compiler.compileUnitTest(node.unique_id);
    compiledCode = compiled.actual_sql;
    clock.compiled();
    return await ctx.adapter.withSession(async (session) => {
      const actual = await session.query(compiled.actual_sql, { label: node.unique_id });
      const expected = await session.query(compiled.expected_sql, { label: node.unique_id });
      const columns = compiled.expected_columns.length > 0 ? compiled.expected_columns : Object.keys(expected[0] ?? actual[0] ?? {});
      const { missing, unexpected } = diffRows(actual, expected, columns);
      const failures = missing.length + unexpected.length;
      const message =
        failures === 0
          ? null
          : `actual differs from expected:\n\n${diffTable(columns, missing, unexpected)}\n\n(- expected but missing, + returned but not expected)`;
      return nodeResult(clock, {
        unique_id: node.unique_id,
        status: failures === 0 ? 'pass' : 'fail',
        thread_id: threadId,
        message,
        failures,
        compiled_code: compiled.actual_sql,
      });
    });
  } catch (err) {
    return nodeResult(clock, { unique_id: node.unique_id, status: 'error', thread_id: threadId, message: errorText(err), compiled_code: compiledCode });
  }
}
