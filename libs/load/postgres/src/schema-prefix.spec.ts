import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteWarehouse, createPostgresWarehouse, type SqlWarehouse } from './index.js';
import { ok, request, sourceFile, topUp } from '@sp01/report-fixtures/warehouse-rows';
import { describePostgres, freshSchemaPrefix } from '@sp01/vitest-preset/postgres';

const journalOf = (wh: SqlWarehouse) =>
  wh.query<{ hash: string; created_at: string }>(`SELECT hash, created_at FROM "${wh.schema}"."__drizzle_migrations" ORDER BY id`);

const orderIds = async (wh: SqlWarehouse) =>
  (await wh.query<{ order_id: string }>(`SELECT "order_id" FROM "${wh.schema}"."top_up" ORDER BY 1`)).map((r) => r.order_id);

describe('PGlite on disk', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // One test, because every PGlite opened on disk costs seconds.
  it('keeps tables, ledger and journal across reopening, and each schema prefix apart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp01-pglite-'));
    const first = createPgliteWarehouse({ dataDir: dir });
    await first.migrate();
    await first.loadFile(request(sourceFile('a.xlsx', '2025-03-25T00:00:00Z'), 'top_up', [ok(2, topUp('PLAIN'))]));
    const journal = await journalOf(first);
    await first.close();

    const reopened = createPgliteWarehouse({ dataDir: dir });
    try {
      await reopened.migrate();
      expect(await journalOf(reopened)).toEqual(journal);
      expect(await orderIds(reopened)).toEqual(['PLAIN']);
      expect(await reopened.ledgerEntry('a.xlsx')).toMatchObject({ status: 'loaded', rowsLoaded: 1 });
    } finally {
      await reopened.close();
    }

    const prefixed = createPgliteWarehouse({ dataDir: dir, schemaPrefix: 'tenant_b_' });
    try {
      expect(prefixed.schema).toBe('tenant_b_raw');
      await prefixed.migrate();
      await prefixed.migrate();
      await prefixed.loadFile(request(sourceFile('a.xlsx', '2025-03-25T00:00:00Z'), 'top_up', [ok(2, topUp('PREFIXED'))]));
      expect(await orderIds(prefixed)).toEqual(['PREFIXED']);
      expect(await prefixed.query('SELECT "order_id" FROM "raw"."top_up"')).toEqual([{ order_id: 'PLAIN' }]);
      expect((await journalOf(prefixed)).map((j) => j.created_at)).toEqual(journal.map((j) => j.created_at));
    } finally {
      await prefixed.close();
    }
  }, 180_000); // three PGlite instances on disk: initdb alone takes seconds on a busy machine
});

describePostgres('PostgreSQL schema prefixes', (url) => {
  const prefixes = [freshSchemaPrefix(), freshSchemaPrefix()];
  const opened: SqlWarehouse[] = [];
  const open = (schemaPrefix: string) => {
    const wh = createPostgresWarehouse({ url, schemaPrefix });
    opened.push(wh);
    return wh;
  };
  afterAll(async () => {
    const [first] = opened;
    if (first) for (const prefix of prefixes) await first.query(`DROP SCHEMA IF EXISTS "${prefix}raw" CASCADE`);
    await Promise.all(opened.map((wh) => wh.close()));
  });

  it('applies each migration once when several runs migrate the same schema at the same time', async () => {
    const [prefix = ''] = prefixes;
    const runs = [open(prefix), open(prefix), open(prefix)];
    await Promise.all(runs.map((wh) => wh.migrate()));
    const [first] = runs;
    if (!first) throw new Error('no warehouse');
    const journal = await journalOf(first);
    expect(journal.length).toBeGreaterThan(0);
    expect(new Set(journal.map((j) => j.created_at)).size).toBe(journal.length);
  });

  it('keeps two prefixed schemas of one database apart', async () => {
    const [a, b] = prefixes.map(open);
    if (!a || !b) throw new Error('no warehouse');
    await Promise.all([a.migrate(), b.migrate()]);
    await a.loadFile(request(sourceFile('same.xlsx', '2025-03-25T00:00:00Z'), 'top_up', [ok(2, topUp('A'))]));
    await b.loadFile(request(sourceFile('same.xlsx', '2025-03-25T00:00:00Z'), 'top_up', [ok(2, topUp('B'))]));
    expect(await orderIds(a)).toEqual(['A']);
    expect(await orderIds(b)).toEqual(['B']);
    // Same migrations, tracked per schema (the hashes differ: the SQL names its schema).
    const createdAt = async (wh: SqlWarehouse) => (await journalOf(wh)).map((j) => j.created_at);
    expect(await createdAt(a)).toEqual(await createdAt(b));
  });
});
