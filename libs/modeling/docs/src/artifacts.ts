import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '@sp01/modeling-compiler';

/**
 * The parts of dbt's `run_results.json` the site shows. Typed structurally so the file
 * written by the executor, or by dbt-core itself, can be passed as read from disk.
 */
export interface RunResultsArtifact {
  metadata?: { generated_at?: string; invocation_id?: string };
  elapsed_time?: number;
  args?: Record<string, unknown>;
  results: RunResultEntry[];
}

export interface RunResultEntry {
  unique_id: string;
  status: string;
  execution_time?: number;
  message?: string | null;
  failures?: number | null;
  /** dbt-bigquery puts `bytes_processed`/`bytes_billed` here, dbt-postgres `rows_affected`. */
  adapter_response?: {
    rows_affected?: number | null;
    bytes_processed?: number | null;
    bytes_billed?: number | null;
    code?: string | null;
    [key: string]: unknown;
  };
  compiled_code?: string | null;
  relation_name?: string | null;
}

/** dbt's `catalog.json`: what the warehouse says about each relation. */
export interface CatalogArtifact {
  metadata?: { generated_at?: string };
  nodes: Record<string, CatalogTable>;
  sources?: Record<string, CatalogTable>;
}

export interface CatalogTable {
  metadata: { type?: string; schema?: string; name?: string; database?: string | null; comment?: string | null; owner?: string | null };
  columns: Record<string, { type: string; index?: number; name?: string; comment?: string | null }>;
  stats?: Record<string, { id: string; label: string; value: unknown; include: boolean; description?: string }>;
  unique_id?: string;
}

/** dbt's `sources.json`, written by `source freshness`. */
export interface SourceFreshnessArtifact {
  metadata?: { generated_at?: string };
  results: SourceFreshnessEntry[];
}

export interface SourceFreshnessEntry {
  unique_id: string;
  status: string;
  max_loaded_at?: string | null;
  snapshotted_at?: string | null;
  max_loaded_at_time_ago_in_s?: number | null;
  error?: string | null;
}

export interface DocsArtifacts {
  manifest: Manifest;
  runResults?: RunResultsArtifact;
  catalog?: CatalogArtifact;
  sourceFreshness?: SourceFreshnessArtifact;
}

/** Reads `manifest.json` and, when present, `run_results.json`, `catalog.json` and `sources.json` from a target folder. */
export function readDocsArtifacts(targetDir: string): DocsArtifacts {
  const read = <T>(name: string): T | undefined => {
    const path = join(targetDir, name);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
  };
  const manifest = read<Manifest>('manifest.json');
  if (!manifest) throw new Error(`No manifest.json in ${targetDir}: compile the project first`);
  const artifacts: DocsArtifacts = { manifest };
  const runResults = read<RunResultsArtifact>('run_results.json');
  const catalog = read<CatalogArtifact>('catalog.json');
  const sourceFreshness = read<SourceFreshnessArtifact>('sources.json');
  if (runResults) artifacts.runResults = runResults;
  if (catalog) artifacts.catalog = catalog;
  if (sourceFreshness) artifacts.sourceFreshness = sourceFreshness;
  return artifacts;
}
