import { DOMAINS, type Domain } from '@sp01/contracts';
import { resolveSettings, type SettingInputs, type SettingSources } from '@sp01/core';
import { z } from 'zod';

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const megabytes = z.coerce.number({ error: 'must be a number of megabytes' }).positive('must be positive');

const domainList = z
  .string()
  .transform((v, ctx) => {
    const names = v.split(',').map((d) => d.trim().replace(/-/g, '_')).filter(Boolean);
    const unknown = names.filter((d) => !(DOMAINS as readonly string[]).includes(d));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown domain ${unknown.join(', ')} (known: ${DOMAINS.join(', ')})` });
      return z.NEVER;
    }
    return names as Domain[];
  });

export const etlSettingsSchema = z
  .object({
    source: z.enum(['local'], { error: 'must be local' }).default('local'),
    sourceDir: z.string().min(1).optional(),
    recursive: flag.default(false),
    warehouse: z.enum(['pglite', 'postgres'], { error: 'must be pglite or postgres' }).default('pglite'),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    pgliteDir: z.string().min(1).default('.sp01/warehouse'),
    schemaPrefix: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'must be lower-case letters, digits and underscores')
      .optional(),
    domains: domainList.default([...DOMAINS]),
    force: flag.default(false),
    json: flag.default(false),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    maxFileMb: megabytes.default(512),
    maxSheetMb: megabytes.default(2048),
  })
  .superRefine((s, ctx) => {
    if (s.source === 'local' && !s.sourceDir) {
      ctx.addIssue({ code: 'custom', path: ['sourceDir'], message: 'is required when the source is local' });
    }
    if (s.warehouse === 'postgres' && !s.databaseUrl) {
      ctx.addIssue({ code: 'custom', path: ['databaseUrl'], message: 'is required when the warehouse is postgres' });
    }
  });

export type EtlSettings = z.output<typeof etlSettingsSchema>;

export const etlSettingSources: SettingSources<z.input<typeof etlSettingsSchema>> = {
  source: { flag: 'source', env: 'SP01_SOURCE', description: 'Where the exports are: `local` (more sources come with their libs)' },
  sourceDir: { flag: 'source-dir', env: 'SP01_SOURCE_DIR', description: 'Folder of .xlsx exports (local source)' },
  recursive: { flag: 'recursive', env: 'SP01_SOURCE_RECURSIVE', description: 'Also read sub-folders of the source folder' },
  warehouse: { flag: 'warehouse', env: 'SP01_WAREHOUSE', description: '`pglite` (embedded, default) or `postgres`' },
  databaseUrl: { flag: 'database-url', env: 'DATABASE_URL', description: 'PostgreSQL URL (warehouse postgres)', secret: true },
  pgliteDir: { flag: 'pglite-dir', env: 'SP01_PGLITE_DIR', description: 'Data folder of the embedded PGlite warehouse' },
  schemaPrefix: { flag: 'schema-prefix', env: 'SP01_SCHEMA_PREFIX', description: 'Prefix of the raw schema (`dev_` → `dev_raw`)' },
  domains: { flag: 'domains', env: 'SP01_DOMAINS', description: 'Comma-separated domains to load (default: all four)' },
  force: { flag: 'force', env: 'SP01_FORCE', description: 'Reload files even when their checksum is unchanged' },
  json: { flag: 'json', env: 'SP01_JSON', description: 'Print the run summary as JSON' },
  logLevel: { flag: 'log-level', env: 'SP01_LOG_LEVEL', description: 'debug, info, warn or error' },
  maxFileMb: { flag: 'max-file-mb', env: 'SP01_MAX_FILE_MB', description: 'Reject source files larger than this' },
  maxSheetMb: { flag: 'max-sheet-mb', env: 'SP01_MAX_SHEET_MB', description: 'Reject sheets that decompress past this (zip bombs)' },
};

export function resolveEtlSettings(inputs: SettingInputs): EtlSettings {
  return resolveSettings(etlSettingsSchema, etlSettingSources, inputs);
}
