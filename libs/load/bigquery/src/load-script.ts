import { REPORT_CONTRACTS, warehouseColumns, type Domain } from '@sp01/contracts';
import { ident, tablePath } from './googlesql.js';
import { businessDateColumn, FILE_LEDGER_SPEC, recordColumns, REJECTED_ROWS_SPEC } from './raw-tables.js';

/**
 * The SQL a file load runs: one multi-statement query per file whose transaction upserts
 * the staged rows (newest export wins), replaces the file's rejects and writes its ledger
 * row. Pure functions of the contract and the table names, golden-tested.
 *
 * Parameters every script takes: @source_file, @source_modified_at, @run_id, @domain and
 * the ledger's @file_name, @source_uri, @checksum, @size_bytes, @status, @rows_read,
 * @rows_loaded, @rows_rejected, @error; @partition_min/@partition_max where a domain's
 * business date is part of its key. `scriptParameters` lists the ones a text uses.
 */

export interface LoadScriptNames {
  /** The raw dataset, e.g. `sp01_raw`. */
  dataset: string;
  /** Stage table holding the file's good rows; absent when it has none. */
  stageTable?: string;
  /** Stage table holding the file's rejects; absent when it has none. */
  rejectStageTable?: string;
}

const LEDGER_VALUES: readonly [string, string][] = [
  ['source_file', '@source_file'],
  ['file_name', '@file_name'],
  ['source_uri', '@source_uri'],
  ['domain', '@domain'],
  ['checksum', '@checksum'],
  ['size_bytes', '@size_bytes'],
  ['modified_at', '@source_modified_at'],
  ['status', '@status'],
  ['rows_read', '@rows_read'],
  ['rows_loaded', '@rows_loaded'],
  ['rows_rejected', '@rows_rejected'],
  ['error', '@error'],
  ['run_id', '@run_id'],
];

const indent = (lines: readonly string[], by: string) => lines.map((l) => `${by}${l}`);

/**
 * The ledger upsert: `first_seen_at` is written once, `updated_at` moves. `now` is the
 * script's `loaded_at` inside a load, CURRENT_TIMESTAMP() on its own.
 */
export function buildLedgerMerge(dataset: string, now = 'CURRENT_TIMESTAMP()'): string {
  const names = FILE_LEDGER_SPEC.fields.map((f) => f.name);
  for (const [column] of LEDGER_VALUES) if (!names.includes(column)) throw new Error(`file_ledger has no column ${column}`);
  const set = LEDGER_VALUES.filter(([c]) => c !== 'source_file').map(([c, v]) => `${ident(c)} = ${v}`);
  const insertColumns = [...LEDGER_VALUES.map(([c]) => ident(c)), 'first_seen_at', 'updated_at'];
  const insertValues = [...LEDGER_VALUES.map(([, v]) => v), now, now];
  return [
    `MERGE ${tablePath(dataset, FILE_LEDGER_SPEC.tableId)} AS l`,
    'USING (SELECT @source_file AS source_file) AS f',
    'ON l.source_file = f.source_file',
    'WHEN MATCHED THEN UPDATE SET',
    ...indent([...set, `updated_at = ${now}`].map((s, i, all) => (i < all.length - 1 ? `${s},` : s)), '  '),
    'WHEN NOT MATCHED THEN INSERT (',
    ...indent([insertColumns.join(', ')], '  '),
    ') VALUES (',
    ...indent([insertValues.join(', ')], '  '),
    ');',
  ].join('\n');
}

/** The ledger row of one file, by @source_file. */
export function buildLedgerQuery(dataset: string): string {
  const columns = FILE_LEDGER_SPEC.fields.map((f) => ident(f.name)).filter((c) => c !== 'source_uri' && c !== 'size_bytes');
  return [`SELECT ${columns.join(', ')}`, `FROM ${tablePath(dataset, FILE_LEDGER_SPEC.tableId)}`, 'WHERE source_file = @source_file'].join('\n');
}

function mergeStatements(domain: Domain, dataset: string, stageTable: string): string[] {
  const contract = REPORT_CONTRACTS[domain];
  const key = [...contract.naturalKey];
  const partition = businessDateColumn(contract);
  const target = tablePath(dataset, domain);
  const stage = tablePath(dataset, stageTable);
  const record = recordColumns(domain).map((c) => c.name);
  const staged = [...record, '_source_sheet', '_source_row'];
  const all = warehouseColumns(contract).map((c) => c.name);
  // What each target column gets from a staged row; lineage constants come as parameters.
  const incoming = new Map<string, string>([
    ...record.map((c): [string, string] => [c, `s.${ident(c)}`]),
    ['_source_file', '@source_file'],
    ['_source_sheet', 's._source_sheet'],
    ['_source_row', 's._source_row'],
    ['_source_modified_at', '@source_modified_at'],
    ['_run_id', '@run_id'],
    ['_loaded_at', 'loaded_at'],
  ]);
  for (const c of all) if (!incoming.has(c)) throw new Error(`no value for ${domain}.${c}`);
  const keyMatch = key.map((k) => `t.${ident(k)} = s.${ident(k)}`).join(' AND ');

  const statements: string[] = [];
  let prune: string | undefined;
  if (partition && key.includes(partition)) {
    // The date is part of the key: the staged date range is exactly the partitions to read.
    prune = `t.${ident(partition)} BETWEEN @partition_min AND @partition_max`;
  } else if (partition) {
    // The date is derived from the record and may change between exports, so the staged
    // dates are not enough: look up the partitions that hold these keys now (a scan of
    // the key and date columns only), and let the MERGE read just those.
    prune = `t.${ident(partition)} IN UNNEST(key_dates)`;
    statements.push(
      [
        '-- Partitions that hold a key of this file now, whichever date it had before.',
        'SET key_dates = IFNULL((',
        `  SELECT ARRAY_AGG(DISTINCT t.${ident(partition)})`,
        `  FROM ${target} AS t`,
        `  JOIN (SELECT DISTINCT ${key.map(ident).join(', ')} FROM ${stage}) AS s`,
        `    ON ${keyMatch}`,
        '), []);',
      ].join('\n'),
    );
  }

  const set = all.filter((c) => !key.includes(c)).map((c) => `${ident(c)} = ${incoming.get(c)}`);
  statements.push(
    [
      '-- Last row of a key within the file; across files the newest export wins, ties to the',
      '-- greater file id, whatever order files are loaded in.',
      `MERGE ${target} AS t`,
      'USING (',
      `  SELECT ${staged.map(ident).join(', ')}`,
      `  FROM ${stage}`,
      '  WHERE TRUE',
      `  QUALIFY ROW_NUMBER() OVER (PARTITION BY ${key.map(ident).join(', ')} ORDER BY _source_row DESC) = 1`,
      ') AS s',
      `ON ${keyMatch}`,
      ...(prune ? [`  AND ${prune}`] : []),
      'WHEN MATCHED AND (',
      '  t._source_modified_at < @source_modified_at',
      '  OR (t._source_modified_at = @source_modified_at AND t._source_file <= @source_file)',
      ') THEN UPDATE SET',
      ...indent(set.map((s, i) => (i < set.length - 1 ? `${s},` : s)), '  '),
      'WHEN NOT MATCHED THEN INSERT (',
      `  ${all.map(ident).join(', ')}`,
      ') VALUES (',
      `  ${all.map((c) => incoming.get(c)).join(', ')}`,
      ');',
    ].join('\n'),
  );
  return statements;
}

function rejectStatements(dataset: string, rejectStageTable: string | undefined): string[] {
  const table = tablePath(dataset, REJECTED_ROWS_SPEC.tableId);
  const statements = [`-- A file's rejects are replaced, never added to.\nDELETE FROM ${table} WHERE source_file = @source_file;`];
  if (rejectStageTable) {
    const values: [string, string][] = [
      ['id', "FARM_FINGERPRINT(CONCAT(@source_file, ':', CAST(_reject_seq AS STRING)))"],
      ['domain', '@domain'],
      ['source_file', '@source_file'],
      ['sheet', 'sheet'],
      ['row_number', 'row_number'],
      ['column_name', 'column_name'],
      ['raw_value', 'raw_value'],
      ['reason', 'reason'],
      ['run_id', '@run_id'],
      ['rejected_at', 'loaded_at'],
    ];
    const names = REJECTED_ROWS_SPEC.fields.map((f) => f.name);
    if (values.map(([c]) => c).join() !== names.join()) throw new Error('rejected_rows columns and their values disagree');
    statements.push(
      [
        `INSERT INTO ${table} (${values.map(([c]) => ident(c)).join(', ')})`,
        `SELECT ${values.map(([, v]) => v).join(', ')}`,
        `FROM ${tablePath(dataset, rejectStageTable)};`,
      ].join('\n'),
    );
  }
  return statements;
}

/**
 * The script that makes one staged file part of the raw layer, all or nothing. Without a
 * stage table (a file with no good rows) it only replaces rejects and writes the ledger.
 */
export function buildLoadScript(domain: Domain, names: LoadScriptNames): string {
  const contract = REPORT_CONTRACTS[domain];
  const partition = businessDateColumn(contract);
  const needsKeyDates = names.stageTable !== undefined && partition !== undefined && !contract.naturalKey.includes(partition);
  const parts = [
    `-- SP01: load one ${domain} file into ${names.dataset}, all or nothing (generated by @sp01/load-bigquery).`,
    ['DECLARE loaded_at TIMESTAMP;', ...(needsKeyDates ? ['DECLARE key_dates ARRAY<DATE>;'] : [])].join('\n'),
    'BEGIN TRANSACTION;',
    '-- One time for every row, reject and ledger entry the file writes.\nSET loaded_at = CURRENT_TIMESTAMP();',
    ...(names.stageTable ? mergeStatements(domain, names.dataset, names.stageTable) : []),
    ...rejectStatements(names.dataset, names.rejectStageTable),
    buildLedgerMerge(names.dataset, 'loaded_at'),
    'COMMIT TRANSACTION;',
  ];
  return `${parts.join('\n\n')}\n`;
}

/** The named parameters a statement refers to, in order of first use. */
export function scriptParameters(sql: string): string[] {
  const text = sql.replace(/--[^\n]*/g, '').replace(/'(?:[^'\\]|\\.)*'/g, "''");
  return [...new Set([...text.matchAll(/@(\w+)/g)].map((m) => m[1] as string))];
}
