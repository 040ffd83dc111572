import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FreshnessThreshold } from '@sp01/modeling-compiler';

export const RUN_RESULTS_SCHEMA_VERSION = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
export const SOURCES_SCHEMA_VERSION = 'https://schemas.getdbt.com/dbt/sources/v3.json';
/** The dbt-core version whose artifacts these mimic; the build metadata names the writer. */
export const DBT_VERSION = '1.9.0+sp01';

/** dbt's node statuses: models, seeds, snapshots `success|error|skipped`; tests `pass|fail|warn|error|skipped`. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn';

export interface TimingInfo {
  name: 'compile' | 'execute';
  started_at: string;
  completed_at: string;
}

/** dbt's `adapter_response` as run_results.json holds it: `_message` plus what the warehouse told. */
export interface ResultAdapterResponse {
  _message?: string;
  code?: string | null;
  rows_affected?: number | null;
  bytes_processed?: number;
  bytes_billed?: number;
  job_id?: string;
  slot_ms?: number;
  location?: string;
  project_id?: string;
}

/** One entry of `run_results.json` `results`. */
export interface NodeResult {
  unique_id: string;
  status: NodeStatus;
  timing: TimingInfo[];
  thread_id: string;
  execution_time: number;
  adapter_response: ResultAdapterResponse;
  message: string | null;
  failures: number | null;
  compiled: boolean;
  compiled_code: string | null;
  relation_name: string | null;
  batch_results: null;
}

export interface ArtifactMetadata {
  dbt_schema_version: string;
  dbt_version: string;
  generated_at: string;
  invocation_id: string;
  env: Record<string, string>;
}

/** `target/run_results.json`, the subset of dbt's v6 schema. */
export interface RunResults {
  metadata: ArtifactMetadata;
  results: NodeResult[];
  elapsed_time: number;
  args: Record<string, unknown>;
}

export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

/** One entry of `target/sources.json` `results`. */
export interface SourceFreshnessResult {
  unique_id: string;
  status: FreshnessStatus;
  max_loaded_at: string | null;
  snapshotted_at: string | null;
  max_loaded_at_time_ago_in_s: number | null;
  criteria: { warn_after: FreshnessThreshold | Record<string, never>; error_after: FreshnessThreshold | Record<string, never>; filter: string | null };
  adapter_response: ResultAdapterResponse;
  timing: TimingInfo[];
  thread_id: string;
  execution_time: number;
  /** Set for `runtime error`. */
  error?: string;
}

/** `target/sources.json`, as `dbt source freshness` writes it. */
export interface SourcesArtifact {
  metadata: ArtifactMetadata;
  results: SourceFreshnessResult[];
  elapsed_time: number;
}

export function artifactMetadata(schemaVersion: string, invocationId: string, generatedAt = new Date()): ArtifactMetadata {
  return { dbt_schema_version: schemaVersion, dbt_version: DBT_VERSION, generated_at: generatedAt.toISOString(), invocation_id: invocationId, env: {} };
}

function writeArtifact(targetDir: string, name: string, artifact: unknown): string {
  mkdirSync(targetDir, { recursive: true });
  const path = join(targetDir, name);
  writeFileSync(path, `${JSON.stringify(artifact, null, 2)}\n`);
  return path;
}

/** Writes `<targetDir>/run_results.json`; returns its path. */
export function writeRunResults(targetDir: string, results: RunResults): string {
  return writeArtifact(targetDir, 'run_results.json', results);
}

/** Writes `<targetDir>/sources.json`; returns its path. */
export function writeSourcesArtifact(targetDir: string, artifact: SourcesArtifact): string {
  return writeArtifact(targetDir, 'sources.json', artifact);
}

/** dbt's exit rule: a node error or a failing error-severity test fails the invocation. */
export function runSucceeded(results: Pick<RunResults, 'results'>): boolean {
  return results.results.every((result) => result.status !== 'error' && result.status !== 'fail');
}

export function freshnessSucceeded(artifact: Pick<SourcesArtifact, 'results'>): boolean {
  return artifact.results.every((result) => result.status === 'pass' || result.status === 'warn');
}
