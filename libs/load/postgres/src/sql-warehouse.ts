import { errorMessage, type Logger } from '@sp01/core';
import {
  isDomain,
  REPORT_CONTRACTS,
  warehouseColumns,
  type Domain,
  type FileLoadRequest,
  type FileLoadResult,
  type FileOutcome,
  type LedgerEntry,
  type SourceFileInfo,
  type TransformedRow,
  type Warehouse,
} from '@sp01/contracts';
import { copyLine } from './copy-text.js';
import { prepareMigrations } from './migrations.js';
import type { SqlDriver, SqlTransaction } from './sql-driver.js';

/** A warehouse on PostgreSQL or PGlite, with a way to read what it holds. */
export interface SqlWarehouse extends Warehouse {
  readonly kind: 'pglite' | 'postgres';
  /** The raw schema's name: `raw`, or `<prefix>raw`. */
  readonly schema: string;
  /** Runs one statement outside any load, e.g. to read the raw tables. */
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * Rejects are written once this many are waiting (a file whose every row breaks a rule
 * still loads in flat memory); on PostgreSQL that ends one COPY of good rows and starts
 * the next.
 */
const REJECT_FLUSH_LINES = 10_000;

const STAGE = 'sp01_stage';

const REJECT_COLUMNS = ['domain', 'source_file', 'sheet', 'row_number', 'column_name', 'raw_value', 'reason', 'run_id'];

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const list = (names: readonly string[], prefix = '') => names.map((n) => `${prefix}${quoteIdent(n)}`).join(', ');

interface LedgerRow {
  source_file: string;
  file_name: string;
  domain: string | null;
  checksum: string;
  modified_at: Date;
  status: LedgerEntry['status'];
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  error: string | null;
  run_id: string;
  first_seen_at: Date;
  updated_at: Date;
}

/** The SQL a load of one domain runs, built once from its contract. */
interface DomainStatements {
  /** `stage (cols…)`: every column but `_loaded_at`, which the stage fills with now(). */
  copyTarget: string;
  /** Names of the record's own columns (canonical, then derived), in table order. */
  recordColumns: string[];
  upsert: string;
}

function domainStatements(schema: string, domain: Domain): DomainStatements {
  const contract = REPORT_CONTRACTS[domain];
  const columns = warehouseColumns(contract).map((c) => c.name);
  const key = contract.naturalKey;
  const table = `${quoteIdent(schema)}.${quoteIdent(domain)}`;
  const lineage = new Set(['_source_file', '_source_sheet', '_source_row', '_source_modified_at', '_run_id', '_loaded_at']);
  const copied = columns.filter((c) => c !== '_loaded_at');
  const updated = columns.filter((c) => !key.includes(c));
  // Within the file the last row of a key wins; across files the newest export wins
  // whatever the load order: ties on modified time go to the greater file id, compared
  // byte-wise (COLLATE "C") so PostgreSQL and PGlite agree whatever their locale.
  const upsert = `
    INSERT INTO ${table} AS t (${list(columns)})
    SELECT DISTINCT ON (${list(key)}) ${list(columns)}
    FROM ${STAGE}
    ORDER BY ${list(key)}, "_source_row" DESC
    ON CONFLICT (${list(key)}) DO UPDATE SET ${updated.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}
    WHERE (t."_source_modified_at", t."_source_file" COLLATE "C")
       <= (EXCLUDED."_source_modified_at", EXCLUDED."_source_file" COLLATE "C")`;
  return {
    copyTarget: `${STAGE} (${list(copied)})`,
    recordColumns: columns.filter((c) => !lineage.has(c)),
    upsert,
  };
}

function toLedgerEntry(row: LedgerRow): LedgerEntry {
  return {
    sourceFile: row.source_file,
    fileName: row.file_name,
    domain: row.domain !== null && isDomain(row.domain) ? row.domain : null,
    checksum: row.checksum,
    modifiedAt: row.modified_at,
    status: row.status,
    rowsRead: row.rows_read,
    rowsLoaded: row.rows_loaded,
    rowsRejected: row.rows_rejected,
    error: row.error,
    runId: row.run_id,
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
  };
}

export function createSqlWarehouse(driver: SqlDriver, schema: string, logger: Logger): SqlWarehouse {
  const s = quoteIdent(schema);
  const statements = new Map<Domain, DomainStatements>();
  const statementsFor = (domain: Domain) => {
    let found = statements.get(domain);
    if (!found) {
      found = domainStatements(schema, domain);
      statements.set(domain, found);
    }
    return found;
  };

  const upsertLedger = `
    INSERT INTO ${s}."file_ledger" AS l
      ("source_file", "file_name", "source_uri", "domain", "checksum", "size_bytes", "modified_at",
       "status", "rows_read", "rows_loaded", "rows_rejected", "error", "run_id")
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT ("source_file") DO UPDATE SET
      "file_name" = EXCLUDED."file_name", "source_uri" = EXCLUDED."source_uri", "domain" = EXCLUDED."domain",
      "checksum" = EXCLUDED."checksum", "size_bytes" = EXCLUDED."size_bytes", "modified_at" = EXCLUDED."modified_at",
      "status" = EXCLUDED."status", "rows_read" = EXCLUDED."rows_read", "rows_loaded" = EXCLUDED."rows_loaded",
      "rows_rejected" = EXCLUDED."rows_rejected", "error" = EXCLUDED."error", "run_id" = EXCLUDED."run_id",
      "updated_at" = now()`;

  const writeLedger = (
    tx: SqlTransaction,
    file: SourceFileInfo,
    entry: Pick<LedgerEntry, 'domain' | 'status' | 'rowsRead' | 'rowsLoaded' | 'rowsRejected' | 'error' | 'runId'>,
  ) =>
    tx.query(upsertLedger, [
      file.id,
      file.name,
      file.uri,
      entry.domain,
      file.checksum,
      file.size,
      file.modifiedAt,
      entry.status,
      entry.rowsRead,
      entry.rowsLoaded,
      entry.rowsRejected,
      entry.error,
      entry.runId,
    ]);

  // Two runs never interleave one file: the second waits for the first one's transaction.
  const lockFile = (tx: SqlTransaction, file: SourceFileInfo) =>
    tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sp01:${schema}:${file.id}`]);

  async function loadRows(tx: SqlTransaction, request: FileLoadRequest, sql: DomainStatements): Promise<FileLoadResult> {
    const { file, runId, domain } = request;
    const modifiedAt = file.modifiedAt.toISOString();
    const rejects: string[] = [];
    let rowsLoaded = 0;
    let rowsRejected = 0;
    let exhausted = false;
    const rows = request.rows[Symbol.asyncIterator]();

    const rejectLines = (row: Extract<TransformedRow, { ok: false }>) => {
      const sheet = row.sheet || request.sheet;
      const reasons = row.rejects.length > 0 ? row.rejects : [{ column: null, value: null, reason: 'rejected without a reason' }];
      for (const r of reasons) {
        rejects.push(copyLine([domain, file.id, sheet, row.rowNumber, r.column, r.value, r.reason, runId]));
      }
    };

    // Good rows stream into the stage until the file ends or enough rejects wait to be written.
    async function* stageLines(): AsyncGenerator<string> {
      while (rejects.length < REJECT_FLUSH_LINES) {
        const next = await rows.next();
        if (next.done) {
          exhausted = true;
          return;
        }
        const row = next.value;
        if (!row.ok) {
          rowsRejected += 1;
          rejectLines(row);
          continue;
        }
        rowsLoaded += 1;
        const record = row.record as Record<string, unknown>;
        yield copyLine([
          ...sql.recordColumns.map((c) => record[c]),
          file.id,
          row.sheet || request.sheet,
          row.rowNumber,
          modifiedAt,
          runId,
        ]);
      }
    }

    try {
      while (!exhausted) {
        await tx.copyFrom(sql.copyTarget, stageLines());
        if (rejects.length > 0) {
          await tx.copyFrom(`${s}."rejected_rows" (${list(REJECT_COLUMNS)})`, rejects);
          rejects.length = 0;
        }
      }
    } catch (err) {
      // Let the source close its stream (a workbook half read) before the rollback; the
      // error that stopped the load is the one worth reporting.
      try {
        await rows.return?.();
      } catch {
        // already failing
      }
      throw err;
    }
    return { rowsRead: rowsLoaded + rowsRejected, rowsLoaded, rowsRejected };
  }

  return {
    kind: driver.kind,
    schema,

    query: (text, params) => driver.query(text, params),

    async migrate() {
      const migrations = await prepareMigrations(schema);
      try {
        await driver.migrate({ migrationsFolder: migrations.folder, migrationsSchema: schema });
      } finally {
        await migrations.dispose();
      }
      logger.debug('raw schema migrated', { schema });
    },

    async ledgerEntry(sourceFile) {
      const [row] = await driver.query<LedgerRow>(
        `SELECT "source_file", "file_name", "domain", "checksum", "modified_at", "status", "rows_read", "rows_loaded",
                "rows_rejected", "error", "run_id", "first_seen_at", "updated_at"
         FROM ${s}."file_ledger" WHERE "source_file" = $1`,
        [sourceFile],
      );
      return row === undefined ? undefined : toLedgerEntry(row);
    },

    async loadFile(request) {
      if (!isDomain(request.domain)) throw new Error(`unknown domain ${JSON.stringify(request.domain)}`);
      const sql = statementsFor(request.domain);
      const started = Date.now();
      try {
        const result = await driver.transaction(async (tx) => {
          await lockFile(tx, request.file);
          await tx.query(`CREATE TEMP TABLE ${STAGE} (LIKE ${s}.${quoteIdent(request.domain)}) ON COMMIT DROP`);
          // now() is the transaction's start: every row of the file gets the same _loaded_at.
          await tx.query(`ALTER TABLE ${STAGE} ALTER COLUMN "_loaded_at" SET DEFAULT now()`);
          await tx.query(`DELETE FROM ${s}."rejected_rows" WHERE "source_file" = $1`, [request.file.id]);
          const counts = await loadRows(tx, request, sql);
          await tx.query(sql.upsert);
          await writeLedger(tx, request.file, { ...counts, domain: request.domain, status: 'loaded', error: null, runId: request.runId });
          return counts;
        });
        logger.debug('file loaded', { file: request.file.id, domain: request.domain, ...result, ms: Date.now() - started });
        return result;
      } catch (err) {
        logger.debug('file load rolled back', { file: request.file.id, domain: request.domain, error: errorMessage(err) });
        throw err;
      }
    },

    async recordFileOutcome(file, outcome: FileOutcome) {
      await driver.transaction(async (tx) => {
        await lockFile(tx, file);
        await writeLedger(tx, file, { ...outcome, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });
      });
    },

    close: () => driver.close(),
  };
}
