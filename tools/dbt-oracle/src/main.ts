#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runOracle } from './oracle.js';
import { formatReport } from './report.js';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const USAGE = `Usage: nx run dbt-oracle:compare -- --project-dir DIR [options]

Builds a dbt project with dbt-core and with SP01's model builder on twin PostgreSQL databases
and compares every table (row counts, EXCEPT ALL both ways), the manifests' node lists and
every node's status. Exit 0 same, 1 different, 2 could not run.

  --project-dir DIR     the dbt project (copied; never written to)           (required)
  --database-url URL    a server URL whose user may create databases          (env DATABASE_URL)
  --name NAME           database names NAME_template, NAME_dbt, NAME_sp01     (default: oracle_<project folder>)
  --prepare CMD         shell command run once on the template database, DATABASE_URL set (e.g. the ETL)
  --vars JSON           project vars for both builds
  --ignore-column C    compare column C by name and type only (run-time stamps); repeatable
  --schema NAME         target schema of both builds                          (default analytics)
  --dbt PATH            dbt-core's executable    (default .venv/dbt/bin/dbt: bash tools/python/venv.sh dbt)
  --json FILE           the full comparison as JSON
  --keep                keep the databases for inspection
  -h, --help`;

const optionsSchema = z.object({
  projectDir: z.string({ error: '--project-dir is required' }).min(1),
  databaseUrl: z.string({ error: '--database-url (or DATABASE_URL) is required' }).regex(/^postgres(ql)?:\/\//, '--database-url must be a postgres:// URL'),
  name: z.string().regex(/^[a-z_][a-z0-9_]{0,40}$/, '--name must be lower-case letters, digits and underscores').optional(),
  prepare: z.string().optional(),
  vars: z.string().optional(),
  ignoreColumns: z.array(z.string()).default([]),
  schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, '--schema must be letters, digits and underscores').default('analytics'),
  dbt: z.string().default(join(workspace, '.venv/dbt/bin/dbt')),
  json: z.string().optional(),
  keep: z.boolean().default(false),
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'project-dir': { type: 'string' },
      'database-url': { type: 'string' },
      name: { type: 'string' },
      prepare: { type: 'string' },
      vars: { type: 'string' },
      schema: { type: 'string' },
      'ignore-column': { type: 'string', multiple: true },
      dbt: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const parsed = optionsSchema.safeParse({
    projectDir: values['project-dir'],
    databaseUrl: values['database-url'] ?? process.env['DATABASE_URL'],
    name: values.name,
    prepare: values.prepare,
    vars: values.vars,
    schema: values.schema,
    ignoreColumns: values['ignore-column'] ?? [],
    dbt: values.dbt,
    json: values.json,
    keep: values.keep,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`dbt-oracle: ${issue.message}`);
    console.error('Run with --help for the options.');
    return 2;
  }
  const o = parsed.data;
  const projectDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), o.projectDir);
  const name = o.name ?? `oracle_${projectDir.split('/').pop()?.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  const report = await runOracle({
    projectDir,
    serverUrl: o.databaseUrl,
    name,
    ...(o.prepare === undefined ? {} : { prepare: o.prepare }),
    ...(o.vars === undefined ? {} : { vars: o.vars }),
    schema: o.schema,
    ignoreColumns: o.ignoreColumns,
    dbt: o.dbt,
    models: join(workspace, 'apps/models/dist/main.js'),
    keep: o.keep,
    log: (line) => console.error(`dbt-oracle: ${line}`),
  });
  console.log(formatReport(report));
  if (o.json) writeFileSync(resolve(process.env['INIT_CWD'] ?? process.cwd(), o.json), `${JSON.stringify(report, null, 2)}\n`);
  return report.same ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`dbt-oracle: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
