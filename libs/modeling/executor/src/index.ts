export type {
  AdapterCapabilities,
  AdapterResponse,
  AdapterSession,
  BuildArgs,
  ColumnDef,
  DryRunResult,
  ExecuteOptions,
  ExecuteResult,
  ExistingRelation,
  FreshnessArgs,
  IncrementalArgs,
  InferredType,
  RelationType,
  SchemaChangeArgs,
  SeedArgs,
  SnapshotArgs,
  SqlBatch,
  SqlPlan,
  SqlStatement,
  TableArgs,
  TestQueryItem,
  TestsQueryArgs,
  ViewArgs,
  WarehouseAdapter,
  WarehouseType,
} from './adapter.js';
export { runGraph, describeNode } from './execute.js';
export type { GraphRunOptions, RunCommand, RunEvent } from './execute.js';
export { checkSourceFreshness, freshnessStatus, thresholdSeconds } from './freshness.js';
export type { FreshnessOptions } from './freshness.js';
export { dryRunGraph } from './dry-run.js';
export type { DryRunOptions, DryRunReport, NodeDryRun } from './dry-run.js';
export {
  DBT_VERSION,
  RUN_RESULTS_SCHEMA_VERSION,
  SOURCES_SCHEMA_VERSION,
  freshnessSucceeded,
  runSucceeded,
  writeRunResults,
  writeSourcesArtifact,
} from './run-results.js';
export type {
  ArtifactMetadata,
  FreshnessStatus,
  NodeResult,
  NodeStatus,
  ResultAdapterResponse,
  RunResults,
  SourceFreshnessResult,
  SourcesArtifact,
  TimingInfo,
} from './run-results.js';
export { meetsCondition, testOutcome, storesFailures } from './data-tests.js';
export { isIncrementalRun, shouldFullRefresh, schemaChanges, uniqueKeyList } from './materialize-model.js';
export type { SchemaChanges } from './materialize-model.js';
export { inferSeedType } from './seed-types.js';
export { snapshotColumnNames, snapshotCreateSelect, snapshotHashArguments, snapshotStagingSelect } from './snapshot-sql.js';
export type { SnapshotColumnNames, SnapshotSqlOptions } from './snapshot-sql.js';
export { foldedTestsQuery, TESTED_MODEL_CTE } from './tests-query.js';
export { runDag } from './scheduler.js';
export type { DagJob, DagRunOptions, JobOutcome, SkipReason } from './scheduler.js';
