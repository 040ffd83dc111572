import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMAINS } from '@sp01/contracts';
import { createPgliteWarehouse, createPostgresWarehouse, type SqlWarehouse } from '@sp01/load-postgres';
import { describePostgres, freshSchemaPrefix } from '@sp01/vitest-preset/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpTable, writeReports } from './__fixtures__/report-folder.js';

/**
 * Crash safety: the built CLI is killed with SIGKILL at random moments, then run again to
 * completion. Whatever the moment, the tables must end equal to a clean run's: no file
 * half-loaded, no duplicate row, no reject counted twice.
 */
const cli = path.resolve(import.meta.dirname, '../dist/main.js');
const TRIALS_PER_WAREHOUSE = 10;
const FILES = 9;

let dir: string;

// A small deterministic PRNG, so a failing trial can be replayed.
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
}

/** When to kill: once `afterFiles` files have been reported loaded (0: once the source is listed), plus a delay. */
interface KillPoint {
  afterFiles: number;
  delayMs: number;
}

function runCli(args: string[], kill?: KillPoint): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, '--source-dir', dir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SP01_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let pending = '';
    let loaded = 0;
    let timer: NodeJS.Timeout | undefined;
    const armIfDue = () => {
      if (kill && timer === undefined && loaded >= kill.afterFiles) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    };
    child.stdout.on('data', (c) => (stdout += String(c)));
    // The runner logs JSON lines to stderr when not on a terminal: they tell how far it got.
    child.stderr.on('data', (chunk) => {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('"msg":"source listed"')) armIfDue();
        if (line.includes('"msg":"file loaded"')) {
          loaded += 1;
          armIfDue();
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started, stdout });
    });
  });
}

async function snapshot(warehouse: SqlWarehouse) {
  const tables = await Promise.all(DOMAINS.map((d) => dumpTable(warehouse, d, { lineage: true })));
  const rejects = await warehouse.query(
    `select domain, source_file, sheet, row_number, column_name, raw_value, reason from "${warehouse.schema}".rejected_rows order by source_file, row_number, column_name`,
  );
  const ledger = await warehouse.query(
    `select source_file, domain, checksum, status, rows_read, rows_loaded, rows_rejected from "${warehouse.schema}".file_ledger order by source_file`,
  );
  return { tables, rejects, ledger };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sp01-crash-'));
  const days = ['2025-03-17', '2025-03-18', '2025-03-19', '2025-03-20'];
  await writeReports(dir, [
    ...days.map((date, i) => ({ file: `top_up_${date.replace(/-/g, '')}.xlsx`, options: { domain: 'top_up' as const, seed: 10 + i, date, rows: 2500, badRows: 3 } })),
    ...days.slice(0, 2).map((date, i) => ({ file: `pre_deduction_${date.replace(/-/g, '')}.xlsx`, options: { domain: 'pre_deduction' as const, seed: 20 + i, date, rows: 2000, badRows: 2 } })),
    { file: 'post_deduction_20250320.xlsx', options: { domain: 'post_deduction', seed: 30, date: '2025-03-20', rows: 800, badRows: 1 } },
    { file: 'op_stats_20250317.xlsx', options: { domain: 'op_stats', seed: 40, date: '2025-03-17', rows: 30 } },
    {
      file: 'top_up_20250318_resend.xlsx',
      options: { domain: 'top_up', seed: 11, date: '2025-03-18', rows: 2500, subset: { from: 0, to: 800 }, revision: 1, exportedAt: new Date('2025-03-20T02:00:00Z') },
    },
  ]);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function crashSuite(name: string, target: () => { args: string[]; open: () => SqlWarehouse; drop: () => Promise<void> }, seed: number) {
  describe(name, () => {
    let reference: Awaited<ReturnType<typeof snapshot>>;

    beforeAll(async () => {
      const t = target();
      const clean = await runCli(t.args);
      expect(clean.code, clean.stdout).toBe(0);
      const warehouse = t.open();
      reference = await snapshot(warehouse);
      await warehouse.close();
      await t.drop();
      expect(reference.ledger).toHaveLength(FILES);
    });

    it(`ends equal to a clean run after ${TRIALS_PER_WAREHOUSE} SIGKILLs at random points`, async () => {
      const random = prng(seed);
      const filesLoadedAtKill: number[] = [];
      for (let trial = 0; trial < TRIALS_PER_WAREHOUSE; trial++) {
        const t = target();
        // Kill while some file is mid-load: after a random number of loaded files, a little later.
        const killAt = { afterFiles: Math.floor(random() * FILES), delayMs: Math.round(random() * 400) };
        const killed = await runCli(t.args, killAt);
        const probe = t.open();
        filesLoadedAtKill.push(killed.signal === 'SIGKILL' ? await loadedFiles(probe) : -1);
        await probe.close();
        const rerun = await runCli(t.args);
        expect(rerun.code, `trial ${trial} (killed at ${JSON.stringify(killAt)}): ${rerun.stdout}`).toBe(0);
        const warehouse = t.open();
        expect(await snapshot(warehouse), `trial ${trial} (killed at ${JSON.stringify(killAt)})`).toEqual(reference);
        await warehouse.close();
        await t.drop();
      }
      // The kills really landed at different stages of the run, not all before or after it.
      expect(new Set(filesLoadedAtKill.filter((n) => n >= 0)).size).toBeGreaterThanOrEqual(3);
    });
  });
}

async function loadedFiles(warehouse: SqlWarehouse): Promise<number> {
  try {
    const [row] = await warehouse.query<{ n: number }>(`select count(*)::int as n from "${warehouse.schema}".file_ledger`);
    return row?.n ?? 0;
  } catch {
    return 0; // killed before the schema existed
  }
}

crashSuite(
  'crash safety on PGlite',
  () => {
    const pgliteDir = path.join(dir, `wh-${Math.random().toString(36).slice(2)}`);
    return {
      args: ['--pglite-dir', pgliteDir],
      open: () => createPgliteWarehouse({ dataDir: pgliteDir }),
      drop: () => rm(pgliteDir, { recursive: true, force: true }),
    };
  },
  1,
);

describePostgres('crash safety on PostgreSQL', (url) => {
  crashSuite(
    'killed and rerun',
    () => {
      const schemaPrefix = freshSchemaPrefix();
      const open = () => createPostgresWarehouse({ url, schemaPrefix });
      return {
        args: ['--warehouse', 'postgres', '--database-url', url, '--schema-prefix', schemaPrefix],
        open,
        drop: async () => {
          const w = open();
          await w.query(`drop schema if exists "${w.schema}" cascade`);
          await w.close();
        },
      };
    },
    2,
  );
});
