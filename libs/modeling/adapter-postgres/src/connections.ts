import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Logger } from '@sp01/core';
import pg from 'pg';

/** One statement's outcome, the same from node-postgres and PGlite. */
export interface StatementResult {
  command: string | null;
  rowCount: number | null;
  rows: Record<string, unknown>[];
}

/** A database session: statements on it see its temporary tables and its transaction. */
export interface SqlConnection {
  /** Without params the text may hold several statements (simple protocol); one result each. */
  run(sql: string, params?: readonly unknown[]): Promise<StatementResult[]>;
}

export interface ConnectionSource {
  readonly kind: 'postgres' | 'pglite';
  /** Hands out a session; `release(broken)` returns it (a broken one is discarded). */
  acquire(): Promise<{ connection: SqlConnection; release(broken?: Error): void }>;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
const TIMESTAMP = 1114;

/**
 * Values come back alike from both drivers: int8 as number (counts), numeric as string, date
 * and timestamp-without-time-zone as their text (a naive time is no instant), timestamptz as Date.
 */
const asNumber = (value: string): number => Number(value);
const asText = (value: string): string => value;

const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return asNumber;
    if (oid === DATE || oid === TIMESTAMP) return asText;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function fromPg(result: pg.QueryResult | pg.QueryResult[]): StatementResult[] {
  const list = Array.isArray(result) ? result : [result];
  return list.map((r) => ({ command: r.command ?? null, rowCount: r.rowCount ?? null, rows: r.rows as Record<string, unknown>[] }));
}

export function postgresConnections(url: string, options: { poolSize: number; logger: Logger; applicationName?: string }): ConnectionSource {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    types: pgTypes,
    application_name: options.applicationName ?? 'sp01-models',
    // Naive timestamps (snapshots, freshness) are read and written as UTC, whatever the server's zone.
    options: '-c TimeZone=UTC',
  });
  pool.on('error', (err) => options.logger.warn('idle PostgreSQL connection failed', { error: err }));
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    async acquire() {
      const client = await pool.connect();
      return {
        connection: {
          async run(sql, params) {
            return fromPg(params ? await client.query(sql, params as unknown[]) : await client.query(sql));
          },
        },
        release: (broken) => client.release(broken),
      };
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

/**
 * PGlite is one backend in this process: one session at a time. Sessions queue on a lock so
 * one node's transaction and temporary tables never interleave with another's.
 */
export function pgliteConnections(options: { dataDir?: string; db?: PGlite }): ConnectionSource {
  // PGlite creates only the last folder of the path; a fresh clone has no `.sp01/` yet.
  if (options.db === undefined && options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const db =
    options.db ??
    new PGlite({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      parsers: { [types.INT8]: asNumber, [types.DATE]: asText, [types.TIMESTAMP]: asText },
    });
  let tail: Promise<void> = Promise.resolve();
  let prepared: Promise<void> | undefined;
  const prepare = () => (prepared ??= db.exec(`set TimeZone = 'UTC'`).then(() => undefined));
  const connection: SqlConnection = {
    async run(sql, params) {
      if (params) {
        const result = await db.query<Record<string, unknown>>(sql, params as unknown[]);
        return [{ command: null, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows }];
      }
      const results = await db.exec(sql);
      return results.map((r) => ({
        command: (r as { command?: string }).command ?? null,
        rowCount: (r as { rowCount?: number }).rowCount ?? r.affectedRows ?? null,
        rows: r.rows as Record<string, unknown>[],
      }));
    },
  };
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    async acquire() {
      const previous = tail;
      let unlock!: () => void;
      tail = new Promise((resolve) => (unlock = resolve));
      await previous;
      try {
        await prepare();
      } catch (err) {
        unlock();
        throw err;
      }
      return {
        connection,
        release: () => unlock(),
      };
    },
    close() {
      closed ??= db.closed ? Promise.resolve() : db.close();
      return closed;
    },
  };
}
