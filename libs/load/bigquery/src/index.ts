export {
  createBigQueryWarehouse,
  labelValue,
  type BigQueryWarehouse,
  type BigQueryWarehouseOptions,
  type QueryValue,
} from './bigquery-warehouse.js';
export { BigQueryJobError } from './bigquery-jobs.js';
export { buildLedgerMerge, buildLedgerQuery, buildLoadScript, scriptParameters, type LoadScriptNames } from './load-script.js';
export {
  bigQueryField,
  businessDateColumn,
  domainTableSpec,
  FILE_LEDGER_SPEC,
  rawLayerDdl,
  rawTableSpecs,
  REJECT_STAGE_FIELDS,
  REJECTED_ROWS_SPEC,
  stageFields,
  tableDdl,
  tableResource,
  type BigQueryField,
  type BigQueryType,
  type RawTableSpec,
} from './raw-tables.js';
