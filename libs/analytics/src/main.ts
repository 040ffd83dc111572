#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, errorMessage, resolveSettings, type SettingSources } from '@sp01/core';
import { createPgliteAdapter, createPostgresAdapter } from '@sp01/modeling-adapter-postgres';
import { z } from 'zod';
import { formatKpis, nextSteps, readLatestKpis } from './latest-kpis.js';

// The same warehouse flags, variables and defaults as the ETL and the model builder.
const schema = z
  .object({
    warehouse: z.enum(['pglite', 'postgres', 'bigquery'], { error: 'must be pglite, postgres or bigquery' }).default('pglite'),
    databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
    pgliteDir: z.string().min(1).default('.sp01/warehouse'),
    schemaPrefix: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be lower-case letters, digits and underscores').default(''),
  })
  .superRefine((s, ctx) => {
    if (s.warehouse === 'postgres' && !s.databaseUrl) ctx.addIssue({ code: 'custom', path: ['databaseUrl'], message: 'is required when the warehouse is postgres' });
  });

const sources: SettingSources<z.input<typeof schema>> = {
  warehouse: { flag: 'warehouse', env: 'SP01_WAREHOUSE', description: '`pglite` (default), `postgres` or `bigquery`' },
  databaseUrl: { flag: 'database-url', env: 'DATABASE_URL', description: 'PostgreSQL URL (warehouse postgres)', secret: true },
  pgliteDir: { flag: 'pglite-dir', env: 'SP01_PGLITE_DIR', description: 'Data folder of the embedded PGlite warehouse' },
  schemaPrefix: { flag: 'schema-prefix', env: 'SP01_SCHEMA_PREFIX', description: 'Prefix of the schemas (`dev_` → `dev_marts`)' },
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { warehouse: { type: 'string' }, 'database-url': { type: 'string' }, 'pglite-dir': { type: 'string' }, 'schema-prefix': { type: 'string' } },
    strict: true,
  });
  const settings = resolveSettings(schema, sources, { env: process.env, flags: values });
  if (settings.warehouse === 'bigquery') {
    process.stdout.write(`${nextSteps(settings.schemaPrefix)}\n`);
    return 0;
  }
  const adapter =
    settings.warehouse === 'postgres' ? createPostgresAdapter({ url: settings.databaseUrl as string, poolSize: 1 }) : createPgliteAdapter({ dataDir: settings.pgliteDir });
  try {
    const kpis = await readLatestKpis(adapter, settings.schemaPrefix);
    const table = kpis ? formatKpis(kpis, settings.schemaPrefix) : `${settings.schemaPrefix}marts.mart_daily_kpis is empty: no report has been loaded yet.`;
    process.stdout.write(`\n${table}\n\n${nextSteps(settings.schemaPrefix)}\n`);
    return 0;
  } finally {
    await adapter.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `Could not read the latest KPIs: ${errorMessage(err)}`}\n`);
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  },
);
