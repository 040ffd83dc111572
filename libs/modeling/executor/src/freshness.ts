import { randomUUID } from 'node:crypto';
import type { FreshnessRule, FreshnessThreshold, ProjectGraph, SourceDefinition, Target } from '@sp01/modeling-compiler';
import { createCompiler, selectNodes } from '@sp01/modeling-compiler';
import type { WarehouseAdapter } from './adapter.js';
import { errorText } from './materialize-model.js';
import type { FreshnessStatus, SourceFreshnessResult, SourcesArtifact } from './run-results.js';
import { artifactMetadata, SOURCES_SCHEMA_VERSION, writeSourcesArtifact } from './run-results.js';
import { NodeClock, responseForResults } from './run-context.js';
import { runDag } from './scheduler.js';

const SECONDS: Record<FreshnessThreshold['period'], number> = { minute: 60, hour: 3600, day: 86_400 };

export function thresholdSeconds(threshold: FreshnessThreshold): number {
  return threshold.count * SECONDS[threshold.period];
}

/** dbt's freshness status: error past error_after, else warn past warn_after, else pass. */
export function freshnessStatus(rule: FreshnessRule, ageSeconds: number): Exclude<FreshnessStatus, 'runtime error'> {
  if (rule.error_after && ageSeconds > thresholdSeconds(rule.error_after)) return 'error';
  if (rule.warn_after && ageSeconds > thresholdSeconds(rule.warn_after)) return 'warn';
  return 'pass';
}

function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const date = new Date(typeof value === 'string' && !/[zZ]|[+-]\d{2}(:?\d{2})?$/.test(value) ? `${value.replace(' ', 'T')}Z` : String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface FreshnessOptions {
  graph: ProjectGraph;
  adapter: WarehouseAdapter;
  /** `--select` / `--exclude`, e.g. `source:raw` or `source:raw.orders`. */
  select?: readonly string[];
  exclude?: readonly string[];
  threads?: number;
  target?: Target;
  targetDir?: string;
  invocationId?: string;
}

/**
 * `dbt source freshness`: for each selected source with a freshness rule and a
 * loaded_at_field, reads `max(loaded_at_field)` and judges its age; writes sources.json.
 * Sources without either are left out, as dbt does.
 */
export async function checkSourceFreshness(options: FreshnessOptions): Promise<SourcesArtifact> {
  const started = Date.now();
  const { graph, adapter } = options;
  const compiler = createCompiler(graph, { dialect: adapter.dialect, target: options.target });
  const selected = selectNodes(graph, { select: options.select, exclude: options.exclude });
  const sources = [...graph.sources.values()].filter(
    (source): source is SourceDefinition & { freshness: FreshnessRule; loaded_at_field: string } =>
      selected.has(source.unique_id) && source.freshness !== null && source.loaded_at_field !== null,
  );
  const jobs = sources.map((source) => ({ id: source.unique_id, deps: [], source }));
  const results = await runDag(jobs, {
    threads: options.threads ?? 1,
    skip: () => {
      throw new Error('freshness checks do not depend on each other');
    },
    run: async ({ source }, threadId): Promise<{ result: SourceFreshnessResult; failed: boolean }> => {
      const clock = new NodeClock();
      clock.compiled();
      const criteria = {
        warn_after: source.freshness.warn_after ?? {},
        error_after: source.freshness.error_after ?? {},
        filter: source.freshness.filter,
      };
      const base = { unique_id: source.unique_id, criteria, thread_id: threadId };
      try {
        const sql = adapter.freshnessQuery({ relation: compiler.relationOf(source), loaded_at_field: source.loaded_at_field, filter: source.freshness.filter });
        const { rows, response } = await adapter.execute<{ max_loaded_at: unknown; snapshotted_at: unknown }>(sql, { label: source.unique_id });
        const maxLoadedAt = asDate(rows[0]?.max_loaded_at);
        const snapshottedAt = asDate(rows[0]?.snapshotted_at) ?? new Date();
        if (maxLoadedAt === null) {
          return {
            failed: true,
            result: {
              ...base,
              status: 'runtime error',
              max_loaded_at: null,
              snapshotted_at: snapshottedAt.toISOString(),
              max_loaded_at_time_ago_in_s: null,
              adapter_response: responseForResults(response),
              timing: clock.timing(),
              execution_time: clock.seconds(),
              error: `source ${source.source_name}.${source.name}: max(${source.loaded_at_field}) is null (no rows${source.freshness.filter ? ' match the filter' : ''})`,
            },
          };
        }
        const age = (snapshottedAt.getTime() - maxLoadedAt.getTime()) / 1000;
        const status = freshnessStatus(source.freshness, age);
        return {
          failed: status === 'error',
          result: {
            ...base,
            status,
            max_loaded_at: maxLoadedAt.toISOString(),
            snapshotted_at: snapshottedAt.toISOString(),
            max_loaded_at_time_ago_in_s: age,
            adapter_response: responseForResults(response),
            timing: clock.timing(),
            execution_time: clock.seconds(),
          },
        };
      } catch (err) {
        return {
          failed: true,
          result: {
            ...base,
            status: 'runtime error',
            max_loaded_at: null,
            snapshotted_at: null,
            max_loaded_at_time_ago_in_s: null,
            adapter_response: {},
            timing: clock.timing(),
            execution_time: clock.seconds(),
            error: errorText(err),
          },
        };
      }
    },
  });
  const artifact: SourcesArtifact = {
    metadata: artifactMetadata(SOURCES_SCHEMA_VERSION, options.invocationId ?? randomUUID()),
    results: jobs.map((job) => results.get(job.id) as SourceFreshnessResult),
    elapsed_time: (Date.now() - started) / 1000,
  };
  if (options.targetDir) writeSourcesArtifact(options.targetDir, artifact);
  return artifact;
}
