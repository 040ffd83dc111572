export { createBigQueryAdapter, batchScript, labelValue } from './bigquery-adapter.js';
export type { BigQueryAdapter, BigQueryAdapterOptions } from './bigquery-adapter.js';
export { BigQueryJobError } from './bigquery-jobs.js';
export { physicalRelation, placedDialect } from './bigquery-relations.js';
export type { RelationPlacement } from './bigquery-relations.js';
export {
  assertWithinBytesBudget,
  BytesBudgetExceededError,
  checkBytesBudget,
  formatBytes,
  onDemandCost,
  ON_DEMAND_USD_PER_TIB,
  parseByteSize,
} from './bytes-budget.js';
export type { BytesBudgetCheck, BytesEstimate } from './bytes-budget.js';
export { convertType, fieldDataType, loadField } from './type-mapping.js';
export { partitionByClause, partitionExpression, isReplaceable } from './partitioning.js';
export type { SeedLoad, SeedLoadStatement } from './seed-load.js';
