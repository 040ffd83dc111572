import { booleanSetting, resolveSettings, type SettingInputs, type SettingSources } from '@sp01/core';
import { parseByteSize } from '@sp01/modeling-adapter-bigquery';
import { z } from 'zod';

/** `-s a -s b` from flags, or `"a b"` from the environment: a list of dbt selector strings. */
const selectors = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(/\s+/)).filter((s) => s !== ''));

const vars = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be a JSON object, e.g. '{"start_date": "2024-01-01"}'` });
    return z.NEVER;
  }
});

const byteSize = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseByteSize(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    return z.NEVER;
  }
});

/** SP01's own analytics project, built when no --project-dir is given (relative to the workspace root). */
export const DEFAULT_PROJECT_DIR = 'libs/analytics';

const schemaName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and underscores');

export const modelsSettingsSchema = z
  .object({
    projectDir: z.string().min(1).default(DEFAULT_PROJECT_DIR),
    targetDir: z.string().min(1).optional(),
    target: z.string().min(1).default('dev'),
    schema: schemaName.default('analytics'),
    warehouse: z.enum(['pglite', 'postgres', 'bigquery'], { error: 'must be pglite, postgres or bigquery' }).default('pglite'),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    pgliteDir: z.string().min(1).default('.sp01/warehouse'),
    schemaPrefix: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'must be lower-case letters, digits and underscores')
      .optional(),
    bigqueryProject: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a Google Cloud project id').optional(),
    bigqueryDatasetPrefix: z
      .string()
      .regex(/^[a-zA-Z0-9_]*$/, 'must be letters, digits and underscores')
      .optional(),
    bigqueryLocation: z.string().min(2).optional(),
    bigqueryApiEndpoint: z.url().optional(),
    maxBytesBilled: z.coerce.number({ error: 'must be a number of bytes' }).int().positive().optional(),
    select: selectors.default([]),
    exclude: selectors.default([]),
    indirectSelection: z.enum(['eager', 'cautious', 'buildable', 'empty'], { error: 'must be eager, cautious, buildable or empty' }).default('eager'),
    fullRefresh: booleanSetting.default(false),
    failFast: booleanSetting.default(false),
    storeFailures: booleanSetting.default(false),
    threads: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').default(4),
    vars: vars.optional(),
    maxBytes: byteSize.optional(),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
  })
  .superRefine((s, ctx) => {
    if (s.warehouse === 'postgres' && !s.databaseUrl) ctx.addIssue({ code: 'custom', path: ['databaseUrl'], message: 'is required when the warehouse is postgres' });
    if (s.warehouse === 'bigquery' && !s.bigqueryProject) ctx.addIssue({ code: 'custom', path: ['bigqueryProject'], message: 'is required when the warehouse is bigquery' });
  });

export type ModelsSettings = z.output<typeof modelsSettingsSchema>;

export const modelsSettingSources: SettingSources<z.input<typeof modelsSettingsSchema>> = {
  projectDir: { flag: 'project-dir', env: 'SP01_MODELS_PROJECT_DIR', description: `The dbt project: the folder holding dbt_project.yml (default ${DEFAULT_PROJECT_DIR})` },
  targetDir: { flag: 'target-dir', env: 'SP01_MODELS_TARGET_DIR', description: 'Where artifacts go: manifest.json, run_results.json, compiled SQL (default <project-dir>/target)' },
  target: { flag: 'target', env: 'SP01_MODELS_TARGET', description: "dbt's target name, seen by templates as target.name (default dev)" },
  schema: { flag: 'schema', env: 'SP01_MODELS_SCHEMA', description: "The target schema / dataset; custom schemas become <schema>_<custom> (default analytics)" },
  warehouse: { flag: 'warehouse', env: 'SP01_WAREHOUSE', description: '`pglite` (embedded, default), `postgres` or `bigquery`' },
  databaseUrl: { flag: 'database-url', env: 'DATABASE_URL', description: 'PostgreSQL URL (warehouse postgres)', secret: true },
  pgliteDir: { flag: 'pglite-dir', env: 'SP01_PGLITE_DIR', description: 'Data folder of the embedded PGlite warehouse' },
  schemaPrefix: { flag: 'schema-prefix', env: 'SP01_SCHEMA_PREFIX', description: "Prefix of the ETL's schemas, passed to the project as var schema_prefix (`dev_` → `dev_raw`, `dev_marts`)" },
  bigqueryProject: { flag: 'bigquery-project', env: 'BIGQUERY_PROJECT', description: 'Project that holds the datasets and runs the jobs (bigquery)' },
  bigqueryDatasetPrefix: { flag: 'bigquery-dataset-prefix', env: 'BIGQUERY_DATASET_PREFIX', description: 'Prefix of every dataset (`dev_` → `dev_analytics`)' },
  bigqueryLocation: { flag: 'bigquery-location', env: 'BIGQUERY_LOCATION', description: 'Dataset and job location (BigQuery default when unset)' },
  bigqueryApiEndpoint: { env: 'SP01_BIGQUERY_API_ENDPOINT', description: 'BigQuery API endpoint (emulators and tests)' },
  maxBytesBilled: { flag: 'max-bytes-billed', env: 'SP01_BIGQUERY_MAX_BYTES_BILLED', description: 'maximumBytesBilled on every BigQuery job' },
  select: { flag: 'select', env: 'SP01_MODELS_SELECT', description: 'dbt node selection (-s), e.g. `+orders tag:nightly`' },
  exclude: { flag: 'exclude', env: 'SP01_MODELS_EXCLUDE', description: 'Nodes to leave out, same grammar as --select' },
  indirectSelection: { flag: 'indirect-selection', env: 'SP01_MODELS_INDIRECT_SELECTION', description: 'Which tests come with selected models: eager (default), cautious, buildable, empty' },
  fullRefresh: { flag: 'full-refresh', env: 'SP01_MODELS_FULL_REFRESH', description: 'Rebuild incremental models and seeds from scratch' },
  failFast: { flag: 'fail-fast', env: 'SP01_MODELS_FAIL_FAST', description: 'Stop at the first failure (-x)' },
  storeFailures: { flag: 'store-failures', env: 'SP01_MODELS_STORE_FAILURES', description: "Keep every test's failing rows in <schema>_dbt_test__audit" },
  threads: { flag: 'threads', env: 'SP01_MODELS_THREADS', description: 'Nodes built at the same time (default 4)' },
  vars: { flag: 'vars', env: 'SP01_MODELS_VARS', description: `Project vars as a JSON object, e.g. '{"start_date": "2024-01-01"}'` },
  maxBytes: { flag: 'max-bytes', env: 'SP01_MODELS_MAX_BYTES', description: 'BigQuery budget: dry-run the selection first, refuse to run above it (10GB, 500MiB…)' },
  logLevel: { flag: 'log-level', env: 'SP01_LOG_LEVEL', description: 'Structured log on stderr: debug, info, warn (default) or error' },
};

/** Settings as flags and variables give them; `--schema-prefix` reaches templates as `var('schema_prefix')` unless --vars sets it. */
export function resolveModelsSettings(inputs: SettingInputs): ModelsSettings {
  const settings = resolveSettings(modelsSettingsSchema, modelsSettingSources, inputs);
  if (settings.schemaPrefix === undefined) return settings;
  return { ...settings, vars: { schema_prefix: settings.schemaPrefix, ...settings.vars } };
}
