import {
  DOMAINS,
  LINEAGE_COLUMNS,
  REPORT_CONTRACTS,
  warehouseColumns,
  type ColumnType,
  type Domain,
  type ReportContract,
  type WarehouseColumn,
} from '@sp01/contracts';
import { ident, stringLiteral, tablePath } from './googlesql.js';

/**
 * The raw layer on BigQuery, from the contracts: one table per domain (canonical, derived
 * and lineage columns, as `warehouseColumns` orders them), `rejected_rows` and
 * `file_ledger` with the columns of their PostgreSQL twins, and the per-file staging
 * tables a load goes through. Pure: the same specs give the REST resources `migrate()`
 * sends and the DDL a person can read or run by hand.
 */

export type BigQueryType = 'STRING' | 'INT64' | 'NUMERIC' | 'TIMESTAMP' | 'DATE';

/** A column as BigQuery's REST `TableFieldSchema` has it. */
export interface BigQueryField {
  name: string;
  type: BigQueryType;
  mode: 'REQUIRED' | 'NULLABLE';
  precision?: string;
  scale?: string;
  description?: string;
  defaultValueExpression?: string;
}

export interface RawTableSpec {
  tableId: string;
  description: string;
  fields: BigQueryField[];
  /** Daily partitions on this column: a DATE as it is, a TIMESTAMP by its UTC date. */
  partitionField?: string;
  clustering: string[];
}

// Record<ColumnType, …>: a new contract type fails to compile here until it has a mapping.
const TYPES: Record<ColumnType, Pick<BigQueryField, 'type' | 'precision' | 'scale'>> = {
  text: { type: 'STRING' },
  integer: { type: 'INT64' },
  'numeric(12,2)': { type: 'NUMERIC', precision: '12', scale: '2' },
  'numeric(6,2)': { type: 'NUMERIC', precision: '6', scale: '2' },
  timestamp: { type: 'TIMESTAMP' },
  date: { type: 'DATE' },
};

const LINEAGE_DESCRIPTIONS: Record<string, string> = {
  _source_file: 'Id of the source file (ledger key) this row was last loaded from',
  _source_sheet: 'Sheet of the source file',
  _source_row: 'Row number in the sheet, as Excel shows it',
  _source_modified_at: 'Modified time of the source file: the newest export of a key wins',
  _run_id: 'ETL run that loaded this row',
  _loaded_at: 'Time of the load (its transaction)',
};

export const LINEAGE_NAMES: ReadonlySet<string> = new Set(LINEAGE_COLUMNS.map((c) => c.name));

export function bigQueryField(column: WarehouseColumn, description?: string): BigQueryField {
  const mapped = TYPES[column.type];
  if (!mapped) throw new Error(`no BigQuery type for column type ${column.type}`);
  return {
    name: column.name,
    ...mapped,
    mode: column.nullable ? 'NULLABLE' : 'REQUIRED',
    ...(description ? { description } : {}),
  };
}

/**
 * The business date a domain's rows are partitioned by: its first non-null DATE column
 * (topup_date, deducted_date, settled_date, stat_date). A domain without one is not
 * partitioned.
 */
export function businessDateColumn(contract: ReportContract<object>): string | undefined {
  return warehouseColumns(contract).find((c) => c.type === 'date' && !c.nullable)?.name;
}

function describe(contract: ReportContract<object>): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of contract.columns) out.set(c.name, `${c.zh} / ${c.en}`);
  for (const d of contract.derived) out.set(d.name, d.description);
  for (const [name, text] of Object.entries(LINEAGE_DESCRIPTIONS)) out.set(name, text);
  return out;
}

export function domainTableSpec(domain: Domain): RawTableSpec {
  const contract = REPORT_CONTRACTS[domain];
  const descriptions = describe(contract);
  const partitionField = businessDateColumn(contract);
  return {
    tableId: domain,
    description: `${contract.title.en} (${contract.title.zh}): one row per ${contract.naturalKey.join(' + ')}, newest export wins`,
    fields: warehouseColumns(contract).map((c) => bigQueryField(c, descriptions.get(c.name))),
    ...(partitionField ? { partitionField } : {}),
    // Inside a daily partition the date is constant: clustering on it would sort nothing.
    // BigQuery takes at most four clustering columns.
    clustering: contract.naturalKey.filter((k) => k !== partitionField).slice(0, 4),
  };
}

const field = (name: string, type: BigQueryType, mode: BigQueryField['mode'], description: string, extra: Partial<BigQueryField> = {}): BigQueryField => ({
  name,
  type,
  mode,
  description,
  ...extra,
});

export const REJECTED_ROWS_SPEC: RawTableSpec = {
  tableId: 'rejected_rows',
  description: 'Rows that broke a rule, one per failing column; a file\'s rejects are replaced when it is loaded again',
  fields: [
    field('id', 'INT64', 'REQUIRED', 'FARM_FINGERPRINT of the source file and the reject\'s position in it: stable across reloads'),
    field('domain', 'STRING', 'REQUIRED', 'Report domain of the file'),
    field('source_file', 'STRING', 'REQUIRED', 'Id of the source file (ledger key)'),
    field('sheet', 'STRING', 'REQUIRED', 'Sheet of the source file'),
    field('row_number', 'INT64', 'REQUIRED', 'Row number in the sheet, as Excel shows it'),
    field('column_name', 'STRING', 'NULLABLE', 'Canonical column, null when the row as a whole is wrong'),
    field('raw_value', 'STRING', 'NULLABLE', 'The cell as text, as the file had it'),
    field('reason', 'STRING', 'REQUIRED', 'Why the value was rejected'),
    field('run_id', 'STRING', 'REQUIRED', 'ETL run that read the file'),
    field('rejected_at', 'TIMESTAMP', 'REQUIRED', 'Time of the load', { defaultValueExpression: 'CURRENT_TIMESTAMP()' }),
  ],
  partitionField: 'rejected_at',
  clustering: ['source_file'],
};

export const FILE_LEDGER_SPEC: RawTableSpec = {
  tableId: 'file_ledger',
  description: 'One row per source file ever seen: what happened to it the last time',
  fields: [
    field('source_file', 'STRING', 'REQUIRED', 'Stable id of the file within its source'),
    field('file_name', 'STRING', 'REQUIRED', 'File name'),
    field('source_uri', 'STRING', 'REQUIRED', 'Where the file lives (file://, gdrive://, gs://)'),
    field('domain', 'STRING', 'NULLABLE', 'Report domain, null for a file rejected before its kind was known'),
    field('checksum', 'STRING', 'REQUIRED', 'sha256:<hex> or md5:<hex>; an unchanged file is skipped'),
    field('size_bytes', 'INT64', 'REQUIRED', 'Size of the file'),
    field('modified_at', 'TIMESTAMP', 'REQUIRED', 'Modified time at the source'),
    field('status', 'STRING', 'REQUIRED', 'loaded | rejected | skipped'),
    field('rows_read', 'INT64', 'REQUIRED', 'Data rows read (loaded + rejected)', { defaultValueExpression: '0' }),
    field('rows_loaded', 'INT64', 'REQUIRED', 'Good rows, duplicates and rows that lost to a newer export included', { defaultValueExpression: '0' }),
    field('rows_rejected', 'INT64', 'REQUIRED', 'Rejected rows', { defaultValueExpression: '0' }),
    field('error', 'STRING', 'NULLABLE', 'Why the file was rejected or skipped'),
    field('run_id', 'STRING', 'REQUIRED', 'Run that last touched the file'),
    field('first_seen_at', 'TIMESTAMP', 'REQUIRED', 'When a run first recorded the file', { defaultValueExpression: 'CURRENT_TIMESTAMP()' }),
    field('updated_at', 'TIMESTAMP', 'REQUIRED', 'When a run last recorded the file', { defaultValueExpression: 'CURRENT_TIMESTAMP()' }),
  ],
  clustering: ['source_file'],
};

/** Every table of the raw dataset, domains first, in the order `migrate()` creates them. */
export function rawTableSpecs(): RawTableSpec[] {
  return [...DOMAINS.map(domainTableSpec), REJECTED_ROWS_SPEC, FILE_LEDGER_SPEC];
}

// ---------------------------------------------------------------------------------------
// Staging

/** The record's own columns of a domain (canonical, then derived): what a stage row carries. */
export function recordColumns(domain: Domain): WarehouseColumn[] {
  return warehouseColumns(REPORT_CONTRACTS[domain]).filter((c) => !LINEAGE_NAMES.has(c.name));
}

/**
 * A stage row: the record plus where it came from in the file. File id, modified time and
 * run are the same for every row of a file and travel as script parameters instead.
 */
export function stageFields(domain: Domain): BigQueryField[] {
  return [
    ...recordColumns(domain).map((c) => bigQueryField(c)),
    { name: '_source_sheet', type: 'STRING', mode: 'REQUIRED' },
    { name: '_source_row', type: 'INT64', mode: 'REQUIRED' },
  ];
}

export const REJECT_STAGE_FIELDS: readonly BigQueryField[] = [
  { name: '_reject_seq', type: 'INT64', mode: 'REQUIRED' },
  { name: 'sheet', type: 'STRING', mode: 'REQUIRED' },
  { name: 'row_number', type: 'INT64', mode: 'REQUIRED' },
  { name: 'column_name', type: 'STRING', mode: 'NULLABLE' },
  { name: 'raw_value', type: 'STRING', mode: 'NULLABLE' },
  { name: 'reason', type: 'STRING', mode: 'REQUIRED' },
];

// ---------------------------------------------------------------------------------------
// Renderings

/** The body of tables.insert for a spec (the client adds `tableReference`). */
export function tableResource(spec: RawTableSpec, labels: Record<string, string>) {
  return {
    description: spec.description,
    schema: { fields: spec.fields },
    ...(spec.partitionField ? { timePartitioning: { type: 'DAY', field: spec.partitionField } } : {}),
    ...(spec.clustering.length > 0 ? { clustering: { fields: spec.clustering } } : {}),
    labels,
  };
}

function columnDdl(f: BigQueryField): string {
  const type = f.precision ? `${f.type}(${f.precision}, ${f.scale ?? '0'})` : f.type;
  const parts = [ident(f.name), type];
  if (f.defaultValueExpression) parts.push(`DEFAULT ${f.defaultValueExpression}`);
  if (f.mode === 'REQUIRED') parts.push('NOT NULL');
  if (f.description) parts.push(`OPTIONS (description = ${stringLiteral(f.description)})`);
  return parts.join(' ');
}

/** `CREATE TABLE IF NOT EXISTS` for a spec: the same table `migrate()` creates through the API. */
export function tableDdl(spec: RawTableSpec, dataset: string, labels: Record<string, string>): string {
  const lines = [`CREATE TABLE IF NOT EXISTS ${tablePath(dataset, spec.tableId)} (`];
  lines.push(spec.fields.map((f) => `  ${columnDdl(f)}`).join(',\n'));
  lines.push(')');
  if (spec.partitionField) {
    const type = spec.fields.find((f) => f.name === spec.partitionField)?.type;
    lines.push(`PARTITION BY ${type === 'TIMESTAMP' ? `DATE(${ident(spec.partitionField)})` : ident(spec.partitionField)}`);
  }
  if (spec.clustering.length > 0) lines.push(`CLUSTER BY ${spec.clustering.map(ident).join(', ')}`);
  const labelList = Object.entries(labels)
    .map(([k, v]) => `(${stringLiteral(k)}, ${stringLiteral(v)})`)
    .join(', ');
  lines.push(`OPTIONS (description = ${stringLiteral(spec.description)}, labels = [${labelList}]);`);
  return lines.join('\n');
}

/** The whole raw layer as DDL, e.g. for a person setting BigQuery up by hand. */
export function rawLayerDdl(dataset: string, labels: Record<string, string> = { app: 'sp01' }): string {
  return `${rawTableSpecs()
    .map((spec) => tableDdl(spec, dataset, labels))
    .join('\n\n')}\n`;
}
