import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '@sp01/core';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { parseDate, parseInt8, type MigrationTarget, type SqlDriver, type SqlTransaction } from './sql-driver.js';

const INT8_OID = 20;
const DATE_OID = 1082;

/** COPY data goes to the server in chunks of about this size rather than line by line. */
const COPY_CHUNK_CHARS = 64 * 1024;

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return parseInt8;
    if (oid === DATE_OID) return parseDate;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

async function* chunked(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= COPY_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
      // A source that never waits on I/O (rows already in memory) would otherwise keep the
      // event loop busy until its end: the server's error for a bad row, sent as soon as
      // the row arrives, is only read between turns of the loop.
      await nextTurn();
    }
  }
  if (chunk.length > 0) yield chunk;
}

function transactionOn(client: pg.PoolClient): SqlTransaction {
  return {
    async query<T extends object>(text: string, params?: readonly unknown[]) {
      const result = await client.query<T>(text, params as unknown[] | undefined);
      return result.rows;
    },
    async copyFrom(target, lines) {
      // pipeline() waits for the server's answer to the COPY and honours back-pressure: the
      // next chunk is pulled from `lines` only when the socket has room for it.
      await pipeline(Readable.from(chunked(lines)), client.query(copyFromStdin(`COPY ${target} FROM STDIN`)));
    },
  };
}

export function createPostgresDriver(url: string, logger: Logger): SqlDriver {
  const pool = new pg.Pool({ connectionString: url, types: typeParsers, application_name: 'sp01-load-postgres' });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => logger.warn('idle PostgreSQL connection failed', { error: err }));
  let closed: Promise<void> | undefined;

  return {
    kind: 'postgres',
    async query<T extends object>(text: string, params?: readonly unknown[]) {
      const result = await pool.query<T>(text, params as unknown[] | undefined);
      return result.rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(transactionOn(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back is not given back to the pool.
          broken = rollbackError as Error;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async migrate(target: MigrationTarget) {
      // One connection holds a session lock for the whole migration, so two runs starting
      // together apply each migration once.
      const client = await pool.connect();
      const lockKey = `sp01:migrate:${target.migrationsSchema}`;
      try {
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
        try {
          await migrate(drizzle({ client }), target);
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
        }
      } finally {
        client.release();
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
