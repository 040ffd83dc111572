import { DOMAINS, REPORT_CONTRACTS, warehouseColumns, type Domain, type SourceFileInfo, type TransformedRow } from '@sp01/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SqlWarehouse } from '../sql-warehouse.js';
import { ok, opStats, postDeduction, preDeduction, rejected, request, sourceFile, stream, TEST_RUN_ID, topUp } from '@sp01/report-fixtures/warehouse-rows';

export interface WarehouseEngine {
  name: string;
  /** A fresh warehouse on an empty database or schema, not yet migrated. */
  open(): SqlWarehouse;
  /** Removes what `open` created (a test schema), before the warehouse is closed. */
  dispose?(warehouse: SqlWarehouse): Promise<void>;
}

const SQL_TYPES = {
  text: 'text',
  integer: 'integer',
  'numeric(12,2)': 'numeric(12,2)',
  'numeric(6,2)': 'numeric(6,2)',
  timestamp: 'timestamp with time zone',
  date: 'date',
} as const;

const TABLES = [...DOMAINS, 'rejected_rows', 'file_ledger'];

/** A raw table as it stands, minus what changes on every load (`_run_id`, `_loaded_at`). */
export async function dump(wh: SqlWarehouse, domain: Domain): Promise<Record<string, unknown>[]> {
  const key = REPORT_CONTRACTS[domain].naturalKey.map((k) => `"${k}"`).join(', ');
  const rows = await wh.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) - '_run_id' - '_loaded_at' AS row FROM "${wh.schema}"."${domain}" t ORDER BY ${key}`,
  );
  return rows.map((r) => r.row);
}

export async function rejectsOf(wh: SqlWarehouse, sourceFile?: string) {
  return wh.query<Record<string, unknown>>(
    `SELECT "domain", "source_file", "sheet", "row_number", "column_name", "raw_value", "reason", "run_id"
     FROM "${wh.schema}"."rejected_rows" ${sourceFile === undefined ? '' : 'WHERE "source_file" = $1'}
     ORDER BY "source_file", "row_number", "column_name"`,
    sourceFile === undefined ? [] : [sourceFile],
  );
}

async function count(wh: SqlWarehouse, table: string): Promise<number> {
  const [row] = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM "${wh.schema}"."${table}"`);
  return row?.n ?? -1;
}

/** Everything a load can change, for "nothing changed" comparisons. */
async function snapshot(wh: SqlWarehouse) {
  const ledger = await wh.query(`SELECT * FROM "${wh.schema}"."file_ledger" ORDER BY "source_file"`);
  return {
    tables: Object.fromEntries(await Promise.all(DOMAINS.map(async (d) => [d, await dump(wh, d)] as const))),
    rejects: await rejectsOf(wh),
    ledger,
  };
}

async function* failingAfter(rows: TransformedRow[], n: number, error: Error): AsyncGenerator<TransformedRow> {
  let i = 0;
  for await (const row of stream(rows)) {
    if (i++ === n) throw error;
    yield row;
  }
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** The behaviour every PostgreSQL-family warehouse must show; run once per engine. */
export function describeWarehouse(engine: WarehouseEngine): void {
  describe(`${engine.name} warehouse`, () => {
    let wh: SqlWarehouse;

    beforeAll(async () => {
      wh = engine.open();
      await wh.migrate();
    });

    afterAll(async () => {
      if (!wh) return;
      try {
        await engine.dispose?.(wh);
      } finally {
        await wh.close();
      }
    });

    beforeEach(async () => {
      await wh.query(`TRUNCATE ${TABLES.map((t) => `"${wh.schema}"."${t}"`).join(', ')}`);
    });

    describe('migrate', () => {
      it('creates the raw tables and the migrations journal in the raw schema', async () => {
        const tables = await wh.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
          [wh.schema],
        );
        expect(tables.map((t) => t.table_name)).toEqual(
          ['__drizzle_migrations', 'file_ledger', 'op_stats', 'post_deduction', 'pre_deduction', 'rejected_rows', 'top_up'],
        );
      });

      it('is a no-op the second time, and keeps the data', async () => {
        await wh.loadFile(request(sourceFile('a.xlsx', '2025-03-25T00:00:00Z'), 'top_up', [ok(2, topUp('T1'))]));
        const journal = await wh.query(`SELECT id, hash, created_at FROM "${wh.schema}"."__drizzle_migrations" ORDER BY id`);
        await wh.migrate();
        await wh.migrate();
        expect(await wh.query(`SELECT id, hash, created_at FROM "${wh.schema}"."__drizzle_migrations" ORDER BY id`)).toEqual(journal);
        expect(journal.length).toBeGreaterThan(0);
        expect(await count(wh, 'top_up')).toBe(1);
      });

      it.each(DOMAINS)('gives %s exactly the contract columns, types, nullability and natural key', async (domain) => {
        const contract = REPORT_CONTRACTS[domain];
        const columns = await wh.query<{ column_name: string; type: string; nullable: boolean }>(
          `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
           FROM pg_attribute a
           WHERE a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attnum`,
          [wh.schema, domain],
        );
        expect(columns).toEqual(
          warehouseColumns(contract).map((c) => ({
            column_name: c.name,
            type: SQL_TYPES[c.type],
            nullable: c.nullable,
          })),
        );
        const key = await wh.query<{ column_name: string }>(
          `SELECT a.attname AS column_name
           FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
           WHERE i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND i.indisprimary
           ORDER BY array_position(i.indkey::int2[], a.attnum)`,
          [wh.schema, domain],
        );
        expect(key.map((k) => k.column_name)).toEqual(contract.naturalKey);
      });
    });

    describe('loadFile', () => {
      it('loads a file of each domain with its lineage', async () => {
        const cases = [
          { domain: 'top_up', record: topUp('T1', { promo_code: 'SPRING' }) },
          { domain: 'pre_deduction', record: preDeduction('D1') },
          { domain: 'post_deduction', record: postDeduction('D1', { status: 'reversed', reason: '重複扣款' }) },
          { domain: 'op_stats', record: opStats('2025-03-25', 'CH01') },
        ] as const;
        for (const [i, { domain, record }] of cases.entries()) {
          const file = sourceFile(`${domain}.xlsx`, `2025-03-2${i}T10:00:00.123Z`);
          const result = await wh.loadFile(request(file, domain, [ok(5, record, '資料')], 'run-7'));
          expect(result).toEqual({ rowsRead: 1, rowsLoaded: 1, rowsRejected: 0 });
          const [row] = await wh.query<Record<string, unknown>>(
            `SELECT * FROM "${wh.schema}"."${domain}"`,
          );
          const expected: Record<string, unknown> = {};
          for (const column of warehouseColumns(REPORT_CONTRACTS[domain])) {
            const value = (record as Record<string, unknown>)[column.name];
            if (column.name.startsWith('_')) continue;
            expected[column.name] =
              value === undefined ? null : column.type.startsWith('numeric') ? Number(value).toFixed(2) : value;
          }
          expect(row).toMatchObject({
            ...expected,
            _source_file: file.id,
            _source_sheet: '資料',
            _source_row: 5,
            _source_modified_at: file.modifiedAt,
            _run_id: 'run-7',
          });
          expect(row?._loaded_at).toBeInstanceOf(Date);
        }
        for (const domain of DOMAINS) expect(await count(wh, domain)).toBe(1);
      });

      it('records every reject with file, sheet, row, column, raw value, reason and run', async () => {
        const file = sourceFile('top/2025-03-25.xlsx', '2025-03-25T12:00:00Z');
        const result = await wh.loadFile(
          request(
            file,
            'top_up',
            [
              ok(4, topUp('T1')),
              rejected(5, [
                { column: 'amount', value: 'NT$-5', reason: 'must be >= 0' },
                { column: 'status', value: '??', reason: 'unknown status' },
              ]),
              rejected(6, [{ column: null, value: null, reason: 'row is empty but for a total' }]),
              ok(7, topUp('T2')),
            ],
            TEST_RUN_ID,
          ),
        );
        expect(result).toEqual({ rowsRead: 4, rowsLoaded: 2, rowsRejected: 2 });
        expect(await rejectsOf(wh)).toEqual([
          { domain: 'top_up', source_file: file.id, sheet: 'Sheet1', row_number: 5, column_name: 'amount', raw_value: 'NT$-5', reason: 'must be >= 0', run_id: TEST_RUN_ID },
          { domain: 'top_up', source_file: file.id, sheet: 'Sheet1', row_number: 5, column_name: 'status', raw_value: '??', reason: 'unknown status', run_id: TEST_RUN_ID },
          { domain: 'top_up', source_file: file.id, sheet: 'Sheet1', row_number: 6, column_name: null, raw_value: null, reason: 'row is empty but for a total', run_id: TEST_RUN_ID },
        ]);
        const [at] = await wh.query<{ rejected_at: Date }>(`SELECT "rejected_at" FROM "${wh.schema}"."rejected_rows" LIMIT 1`);
        expect(at?.rejected_at).toBeInstanceOf(Date);
      });

      it("replaces a file's rejects on reload and leaves other files' rejects alone", async () => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00Z');
        const other = sourceFile('b.xlsx', '2025-03-25T12:00:00Z');
        await wh.loadFile(request(other, 'top_up', [rejected(3, [{ column: 'points', value: 'x', reason: 'not a number' }])]));
        await wh.loadFile(
          request(file, 'top_up', [
            rejected(3, [{ column: 'points', value: 'x', reason: 'not a number' }]),
            rejected(4, [{ column: 'points', value: 'y', reason: 'not a number' }]),
          ]),
        );
        await wh.loadFile(
          request(file, 'top_up', [ok(3, topUp('T3')), rejected(4, [{ column: 'points', value: 'z', reason: 'not a number' }])], 'run-2'),
        );
        expect(await rejectsOf(wh, file.id)).toEqual([
          { domain: 'top_up', source_file: file.id, sheet: 'Sheet1', row_number: 4, column_name: 'points', raw_value: 'z', reason: 'not a number', run_id: 'run-2' },
        ]);
        expect(await rejectsOf(wh, other.id)).toHaveLength(1);
      });

      it('is idempotent: the same file twice gives the same table and rejects', async () => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00Z');
        const rows = [ok(2, topUp('T1')), ok(3, topUp('T2', { amount: 99.99 })), rejected(4, [{ column: 'amount', value: '-', reason: 'bad' }])];
        await wh.loadFile(request(file, 'top_up', rows, 'run-1'));
        const first = await snapshot(wh);
        await wh.loadFile(request(file, 'top_up', rows, 'run-1'));
        const second = await snapshot(wh);
        expect(second.tables).toEqual(first.tables);
        expect(second.rejects).toEqual(first.rejects);
        expect(await count(wh, 'top_up')).toBe(2);
        expect(await count(wh, 'rejected_rows')).toBe(1);
      });

      it('keeps the later row of a key repeated within one file, whatever order the rows come in', async () => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00Z');
        await wh.loadFile(
          request(file, 'top_up', [
            ok(9, topUp('T1', { points: 9 })),
            ok(3, topUp('T1', { points: 3 })),
            ok(5, topUp('T1', { points: 5 })),
            ok(4, topUp('T2', { points: 4 })),
          ]),
        );
        await wh.loadFile(
          request(sourceFile('b.xlsx', '2025-03-25T12:00:00Z'), 'op_stats', [
            ok(2, opStats('2025-03-25', 'CH01', { comments: 1 })),
            ok(3, opStats('2025-03-25', 'CH01', { comments: 2 })),
            ok(4, opStats('2025-03-26', 'CH01', { comments: 3 })),
          ]),
        );
        expect((await dump(wh, 'top_up')).map((r) => [r.order_id, r.points, r._source_row])).toEqual([
          ['T1', 9, 9],
          ['T2', 4, 4],
        ]);
        expect((await dump(wh, 'op_stats')).map((r) => [r.stat_date, r.comments])).toEqual([
          ['2025-03-25', 2],
          ['2025-03-26', 3],
        ]);
      });

      it('round-trips tabs, newlines, carriage returns, backslashes and Chinese text', async () => {
        const awkward = ['tab\there', 'line\nbreak', 'cr\r\nlf', 'back\\slash \\N \\t', '中文頻道 🎤', '\\', ' spaced ', ''];
        const rows = awkward.map((text, i) =>
          ok(i + 2, opStats('2025-03-25', `CH${i}`, { channel_name: text, category: `${text}|cat` }), `工作表\t${i}`),
        );
        await wh.loadFile(
          request(sourceFile('奇怪的\t檔名\\.xlsx', '2025-03-25T12:00:00Z'), 'op_stats', [
            ...rows,
            rejected(20, [{ column: 'channel_name', value: 'a\tb\nc\\d 中', reason: 'why\r\nnot' }]),
          ]),
        );
        const table = await dump(wh, 'op_stats');
        expect(table.map((r) => r.channel_name)).toEqual(awkward);
        expect(table.map((r) => r.category)).toEqual(awkward.map((t) => `${t}|cat`));
        expect(table.map((r) => r._source_sheet)).toEqual(awkward.map((_, i) => `工作表\t${i}`));
        expect(table[0]?._source_file).toBe('奇怪的\t檔名\\.xlsx');
        expect(await rejectsOf(wh)).toMatchObject([{ raw_value: 'a\tb\nc\\d 中', reason: 'why\r\nnot', source_file: '奇怪的\t檔名\\.xlsx' }]);
      });

      it('copies 50k rows, and 12.5k rejects in several batches', async () => {
        const total = 50_000;
        async function* rows(): AsyncGenerator<TransformedRow> {
          for (let i = 0; i < total; i++) {
            const rowNumber = i + 2;
            if (i % 4 === 3) yield rejected(rowNumber, [{ column: 'points', value: `p${i}`, reason: 'not a number' }]);
            else yield ok(rowNumber, topUp(`T${i}`, { points: i, promo_code: i % 7 === 0 ? `P\t${i}` : undefined }));
          }
        }
        const file = sourceFile('big.xlsx', '2025-03-25T12:00:00Z');
        const result = await wh.loadFile(request(file, 'top_up', rows()));
        expect(result).toEqual({ rowsRead: total, rowsLoaded: total * 0.75, rowsRejected: total * 0.25 });
        expect(await count(wh, 'top_up')).toBe(total * 0.75);
        expect(await count(wh, 'rejected_rows')).toBe(total * 0.25);
        const [sums] = await wh.query<{ points: number; rows: number; promos: number }>(
          `SELECT sum("points")::int8 AS points, sum("_source_row")::int8 AS rows, count("promo_code") AS promos FROM "${wh.schema}"."top_up"`,
        );
        const kept = Array.from({ length: total }, (_, i) => i).filter((i) => i % 4 !== 3);
        expect(sums).toEqual({
          points: kept.reduce((a, i) => a + i, 0),
          rows: kept.reduce((a, i) => a + i + 2, 0),
          promos: kept.filter((i) => i % 7 === 0).length,
        });
        expect(await wh.ledgerEntry(file.id)).toMatchObject({ rowsRead: total, rowsLoaded: total * 0.75, rowsRejected: total * 0.25 });
      });
    });

    describe('newest export wins', () => {
      // Three exports overlapping on T2/T3; `tie` has the same modified time as `newest`
      // and a smaller id, so `newest` still wins the keys they share.
      const oldest = sourceFile('exports/a-oldest.xlsx', '2025-03-25T08:00:00Z');
      const middle = sourceFile('exports/c-middle.xlsx', '2025-03-26T08:00:00Z');
      const newest = sourceFile('exports/d-newest.xlsx', '2025-03-27T08:00:00Z');
      const tie = sourceFile('exports/b-tie.xlsx', '2025-03-27T08:00:00Z');
      const files: [SourceFileInfo, TransformedRow[]][] = [
        [oldest, [ok(2, topUp('T1', { points: 1 })), ok(3, topUp('T2', { points: 1 })), ok(4, topUp('T3', { points: 1 }))]],
        [middle, [ok(2, topUp('T2', { points: 2 })), ok(3, topUp('T3', { points: 2 })), ok(4, topUp('T4', { points: 2 }))]],
        [newest, [ok(2, topUp('T3', { points: 3 })), ok(3, topUp('T5', { points: 3 })), ok(4, topUp('T6', { points: 3 }))]],
        [tie, [ok(2, topUp('T6', { points: 9 })), ok(3, topUp('T7', { points: 9 }))]],
      ];
      const expected = [
        ['T1', 1, oldest.id],
        ['T2', 2, middle.id],
        ['T3', 3, newest.id],
        ['T4', 2, middle.id],
        ['T5', 3, newest.id],
        ['T6', 3, newest.id],
        ['T7', 9, tie.id],
      ];
      const loadAll = async (order: number[], runId: string) => {
        for (const i of order) {
          const [file, rows] = files[i] ?? [];
          if (file && rows) await wh.loadFile(request(file, 'top_up', rows, runId));
        }
      };

      it('whatever the order the files are loaded in (all 24 orders)', async () => {
        let reference: Record<string, unknown>[] | undefined;
        for (const [n, order] of permutations([0, 1, 2, 3]).entries()) {
          await wh.query(`TRUNCATE "${wh.schema}"."top_up"`);
          await loadAll(order, `run-${n}`);
          const table = await dump(wh, 'top_up');
          expect(table.map((r) => [r.order_id, r.points, r._source_file]), `order ${order.join(',')}`).toEqual(expected);
          reference ??= table;
          expect(table).toEqual(reference);
        }
      });

      it('when the files load at the same time', async () => {
        await Promise.all(files.map(([file, rows]) => wh.loadFile(request(file, 'top_up', rows))));
        expect((await dump(wh, 'top_up')).map((r) => [r.order_id, r.points, r._source_file])).toEqual(expected);
      });

      it('and an older file reloaded later changes nothing it lost', async () => {
        await loadAll([0, 1, 2, 3], 'run-1');
        const before = await dump(wh, 'top_up');
        await loadAll([0], 'run-2');
        expect(await dump(wh, 'top_up')).toEqual(before);
      });
    });

    describe('atomicity', () => {
      it('leaves table, rejects and ledger untouched when the rows fail mid-stream', async () => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00Z');
        await wh.loadFile(request(file, 'top_up', [ok(2, topUp('T1')), rejected(3, [{ column: 'amount', value: 'x', reason: 'bad' }])]));
        const before = await snapshot(wh);

        const resent = { ...file, checksum: 'sha256:changed', modifiedAt: new Date('2025-03-26T12:00:00Z') };
        const rows = [
          ok(2, topUp('T1', { points: 77 })),
          rejected(3, [{ column: 'amount', value: 'y', reason: 'bad' }]),
          ...Array.from({ length: 30 }, (_, i) => ok(i + 4, topUp(`N${i}`))),
        ];
        const corrupt = new Error('workbook is corrupt at row 25');
        await expect(wh.loadFile({ ...request(resent, 'top_up', []), rows: failingAfter(rows, 25, corrupt) })).rejects.toBe(corrupt);
        expect(await snapshot(wh)).toEqual(before);
      });

      it('rolls back when the database refuses a row, and the next load still works', async () => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00Z');
        const broken = [ok(2, topUp('T1')), rejected(3, [{ column: 'x', value: 'x', reason: 'x' }]), ok(4, topUp('T2', { user_id: undefined }))];
        await expect(wh.loadFile(request(file, 'top_up', broken))).rejects.toThrow(/user_id/);
        expect(await snapshot(wh)).toEqual({ tables: { top_up: [], pre_deduction: [], post_deduction: [], op_stats: [] }, rejects: [], ledger: [] });
        await wh.loadFile(request(file, 'top_up', [ok(2, topUp('T1'))]));
        expect(await count(wh, 'top_up')).toBe(1);
      });

      it('stops reading the source soon after the database refuses a row, and lets it close', async () => {
        const available = 1_000_000;
        let pulled = 0;
        let closed = false;
        async function* source(): AsyncGenerator<TransformedRow> {
          try {
            yield ok(2, topUp('T1', { status: undefined }));
            for (pulled = 1; pulled < available; pulled++) yield ok(pulled + 2, topUp(`T${pulled}`));
          } finally {
            closed = true;
          }
        }
        const file = sourceFile('long.xlsx', '2025-03-25T12:00:00Z');
        await expect(wh.loadFile({ ...request(file, 'top_up', []), rows: source() })).rejects.toThrow(/status/);
        expect(closed).toBe(true);
        expect(pulled).toBeLessThan(available / 10);
        expect(await count(wh, 'top_up')).toBe(0);
      });

      it('serialises two loads of the same file: rejects are never doubled', async () => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00Z');
        const rows = () => [ok(2, topUp('T1')), rejected(3, [{ column: 'amount', value: 'x', reason: 'bad' }])];
        await Promise.all([1, 2, 3].map((n) => wh.loadFile(request(file, 'top_up', rows(), `run-${n}`))));
        expect(await count(wh, 'rejected_rows')).toBe(1);
        expect(await count(wh, 'top_up')).toBe(1);
      });
    });

    describe('ledger', () => {
      it('has no entry for a file never seen', async () => {
        expect(await wh.ledgerEntry('nope.xlsx')).toBeUndefined();
      });

      it('writes a loaded entry, keeping first_seen_at across reloads', async () => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00.5Z', { size: 123_456, checksum: 'sha256:abc' });
        await wh.loadFile(request(file, 'pre_deduction', [ok(2, preDeduction('D1')), rejected(3, [{ column: 'points', value: '', reason: 'required' }])], 'run-1'));
        const first = await wh.ledgerEntry(file.id);
        expect(first).toEqual({
          sourceFile: file.id,
          fileName: 'a.xlsx',
          domain: 'pre_deduction',
          checksum: 'sha256:abc',
          modifiedAt: file.modifiedAt,
          status: 'loaded',
          rowsRead: 2,
          rowsLoaded: 1,
          rowsRejected: 1,
          error: null,
          runId: 'run-1',
          firstSeenAt: expect.any(Date),
          updatedAt: expect.any(Date),
        });
        const [stored] = await wh.query<{ size_bytes: number; source_uri: string }>(
          `SELECT "size_bytes", "source_uri" FROM "${wh.schema}"."file_ledger"`,
        );
        expect(stored).toEqual({ size_bytes: 123_456, source_uri: file.uri });

        await wh.loadFile(request({ ...file, checksum: 'sha256:def' }, 'pre_deduction', [ok(2, preDeduction('D1'))], 'run-2'));
        const second = await wh.ledgerEntry(file.id);
        expect(second).toMatchObject({ checksum: 'sha256:def', rowsRead: 1, rowsRejected: 0, runId: 'run-2' });
        expect(second?.firstSeenAt).toEqual(first?.firstSeenAt);
        expect(second?.updatedAt.getTime()).toBeGreaterThanOrEqual(first?.updatedAt.getTime() ?? Infinity);
      });

      it.each([
        { status: 'rejected', domain: null, error: 'file a.xlsx: no sheet has the headers 訂單編號, 會員ID' },
        { status: 'skipped', domain: 'top_up', error: null },
      ] as const)('records a $status file without touching data or rejects', async ({ status, domain, error }) => {
        const file = sourceFile('a.xlsx', '2025-03-25T12:00:00Z');
        await wh.loadFile(request(file, 'top_up', [ok(2, topUp('T1')), rejected(3, [{ column: 'amount', value: 'x', reason: 'bad' }])]));
        const before = await snapshot(wh);
        const first = await wh.ledgerEntry(file.id);

        await wh.recordFileOutcome(file, { status, domain, error, runId: 'run-9' });
        expect(await wh.ledgerEntry(file.id)).toEqual({
          ...first,
          status,
          domain,
          error,
          runId: 'run-9',
          rowsRead: 0,
          rowsLoaded: 0,
          rowsRejected: 0,
          updatedAt: expect.any(Date),
        });
        const after = await snapshot(wh);
        expect(after.tables).toEqual(before.tables);
        expect(after.rejects).toEqual(before.rejects);
      });

      it('records an outcome for a file never loaded', async () => {
        const file = sourceFile('broken.xlsx', '2025-03-25T12:00:00Z');
        await wh.recordFileOutcome(file, { status: 'rejected', domain: null, error: 'not a workbook', runId: 'run-1' });
        expect(await wh.ledgerEntry(file.id)).toMatchObject({ status: 'rejected', domain: null, error: 'not a workbook', fileName: 'broken.xlsx' });
      });
    });
  });
}
