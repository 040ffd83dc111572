import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { parseDate, parseInt8, type MigrationTarget, type SqlDriver, type SqlTransaction } from './sql-driver.js';

/**
 * PGlite reads COPY data from one Blob per statement, so a file is fed as a series of
 * COPYs of at most this many lines (or characters, for wide rows): memory stays flat
 * however long the file is.
 */
export const PGLITE_COPY_BATCH_LINES = 20_000;
const PGLITE_COPY_BATCH_CHARS = 16 * 1024 * 1024;

function transactionOn(tx: Transaction): SqlTransaction {
  const copyBatch = async (target: string, batch: string[]) => {
    await tx.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob(batch) });
  };
  return {
    async query<T extends object>(text: string, params?: readonly unknown[]) {
      const result = await tx.query<T>(text, params as unknown[] | undefined);
      return result.rows;
    },
    async copyFrom(target, lines) {
      let batch: string[] = [];
      let chars = 0;
      for await (const line of lines) {
        batch.push(line);
        chars += line.length;
        if (batch.length >= PGLITE_COPY_BATCH_LINES || chars >= PGLITE_COPY_BATCH_CHARS) {
          await copyBatch(target, batch);
          batch = [];
          chars = 0;
        }
      }
      if (batch.length > 0) await copyBatch(target, batch);
    },
  };
}

/** `dataDir` undefined: an in-memory database that lives as long as the process. */
export function createPgliteDriver(dataDir: string | undefined): SqlDriver {
  // PGlite creates only the last folder of the path; a fresh clone has no `.sp01/` yet.
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({
    ...(dataDir === undefined ? {} : { dataDir }),
    parsers: { [types.INT8]: parseInt8, [types.DATE]: parseDate },
  });
  let closed: Promise<void> | undefined;

  return {
    kind: 'pglite',
    async query<T extends object>(text: string, params?: readonly unknown[]) {
      const result = await db.query<T>(text, params as unknown[] | undefined);
      return result.rows;
    },
    transaction(work) {
      // PGlite serialises transactions itself: a second one waits for the first to end.
      return db.transaction((tx) => work(transactionOn(tx)));
    },
    async migrate(target: MigrationTarget) {
      await migrate(drizzle({ client: db }), target);
    },
    close() {
      closed ??= db.closed ? Promise.resolve() : db.close();
      return closed;
    },
  };
}
