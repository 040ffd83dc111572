import { existsSync } from 'node:fs';
import { DOMAINS, type Domain } from '@sp01/contracts';
import { booleanSetting, resolveSettings, type SettingInputs, type SettingSources } from '@sp01/core';
import { z } from 'zod';

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
    source: z.enum(['local', 'gdrive', 'gcs'], { error: 'must be local, gdrive or gcs' }).default('local'),
    sourceDir: z.string().min(1).optional(),
    recursive: booleanSetting.default(false),
    gdriveFolder: z.string().regex(/^[\w-]{10,}$/, 'must be a Drive folder id (the part of its URL after /folders/)').optional(),
    gcsBucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a bucket name (no gs:// prefix)').optional(),
    gcsPrefix: z.string().default(''),
    archiveBucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a bucket name (no gs:// prefix)').optional(),
    archivePrefix: z.string().min(1).default('raw'),
    googleCredentials: z
      .string()
      .refine((file) => existsSync(file), 'names a file that does not exist')
      .optional(),
    warehouse: z.enum(['pglite', 'postgres', 'bigquery'], { error: 'must be pglite, postgres or bigquery' }).default('pglite'),
    bigqueryProject: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a Google Cloud project id').optional(),
    bigqueryDatasetPrefix: z
      .string()
      .regex(/^[a-zA-Z0-9_]*$/, 'must be letters, digits and underscores')
      .optional(),
    bigqueryLocation: z.string().min(2).default('US'),
    gcsStagingBucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a bucket name (no gs:// prefix)').optional(),
    maxBytesBilled: z.coerce.number({ error: 'must be a number of bytes' }).int().positive().optional(),
    driveRootUrl: z.url().optional(),
    gcsApiEndpoint: z.url().optional(),
    bigqueryApiEndpoint: z.url().optional(),
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
    force: booleanSetting.default(false),
    json: booleanSetting.default(false),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    maxFileMb: megabytes.default(512),
    maxSheetMb: megabytes.default(2048),
    maxSharedStringsMb: megabytes.max(4095).default(256),
  })
  .superRefine((s, ctx) => {
    const requireSetting = (key: keyof typeof s, when: string) => {
      if (!s[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required when ${when}` });
    };
    if (s.source === 'local') requireSetting('sourceDir', 'the source is local');
    if (s.source === 'gdrive') requireSetting('gdriveFolder', 'the source is gdrive');
    if (s.source === 'gcs') requireSetting('gcsBucket', 'the source is gcs');
    if (s.warehouse === 'postgres') requireSetting('databaseUrl', 'the warehouse is postgres');
    if (s.warehouse === 'bigquery') requireSetting('bigqueryProject', 'the warehouse is bigquery');
  });

export type EtlSettings = z.output<typeof etlSettingsSchema>;

export const etlSettingSources: SettingSources<z.input<typeof etlSettingsSchema>> = {
  source: { flag: 'source', env: 'SP01_SOURCE', description: 'Where the exports are: `local`, `gdrive` or `gcs`' },
  sourceDir: { flag: 'source-dir', env: 'SP01_SOURCE_DIR', description: 'Folder of .xlsx exports (local source)' },
  recursive: { flag: 'recursive', env: 'SP01_SOURCE_RECURSIVE', description: 'Also read sub-folders (local and Drive) or the whole prefix (gcs)' },
  gdriveFolder: { flag: 'gdrive-folder', env: 'GDRIVE_FOLDER_ID', description: 'Drive folder id (gdrive source)' },
  gcsBucket: { flag: 'gcs-bucket', env: 'GCS_BUCKET', description: 'Cloud Storage bucket (gcs source)' },
  gcsPrefix: { flag: 'gcs-prefix', env: 'GCS_PREFIX', description: 'Object prefix inside the bucket (gcs source)' },
  archiveBucket: { flag: 'archive-bucket', env: 'SP01_ARCHIVE_BUCKET', description: 'Copy each loaded file to gs://BUCKET/PREFIX/<domain>/<date>/<name>' },
  archivePrefix: { flag: 'archive-prefix', env: 'SP01_ARCHIVE_PREFIX', description: 'Prefix of the archive (default raw)' },
  googleCredentials: { env: 'GOOGLE_APPLICATION_CREDENTIALS', description: 'Service account key file (else application default credentials)' },
  warehouse: { flag: 'warehouse', env: 'SP01_WAREHOUSE', description: '`pglite` (embedded, default), `postgres` or `bigquery`' },
  bigqueryProject: { flag: 'bigquery-project', env: 'BIGQUERY_PROJECT', description: 'Project that holds the datasets and runs the jobs (bigquery)' },
  bigqueryDatasetPrefix: { flag: 'bigquery-dataset-prefix', env: 'BIGQUERY_DATASET_PREFIX', description: 'Prefix of the raw dataset (`dev_` → `dev_raw`)' },
  bigqueryLocation: { flag: 'bigquery-location', env: 'BIGQUERY_LOCATION', description: 'Dataset and job location (default US)' },
  gcsStagingBucket: { flag: 'gcs-staging-bucket', env: 'GCS_STAGING_BUCKET', description: 'Stage load files here (else they go as the load job upload)' },
  maxBytesBilled: { flag: 'max-bytes-billed', env: 'SP01_BIGQUERY_MAX_BYTES_BILLED', description: 'maximumBytesBilled on every BigQuery query job' },
  driveRootUrl: { env: 'SP01_DRIVE_ROOT_URL', description: 'Drive API root (emulators and tests)' },
  gcsApiEndpoint: { env: 'SP01_GCS_API_ENDPOINT', description: 'Cloud Storage API endpoint (emulators and tests)' },
  bigqueryApiEndpoint: { env: 'SP01_BIGQUERY_API_ENDPOINT', description: 'BigQuery API endpoint (emulators and tests)' },
  databaseUrl: { flag: 'database-url', env: 'DATABASE_URL', description: 'PostgreSQL URL (warehouse postgres)', secret: true },
  pgliteDir: { flag: 'pglite-dir', env: 'SP01_PGLITE_DIR', description: 'Data folder of the embedded PGlite warehouse' },
  schemaPrefix: { flag: 'schema-prefix', env: 'SP01_SCHEMA_PREFIX', description: 'Prefix of the raw schema (`dev_` → `dev_raw`)' },
  domains: { flag: 'domains', env: 'SP01_DOMAINS', description: 'Comma-separated domains to load (default: all four)' },
  force: { flag: 'force', env: 'SP01_FORCE', description: 'Reload files even when their checksum is unchanged' },
  json: { flag: 'json', env: 'SP01_JSON', description: 'Print the run summary as JSON' },
  logLevel: { flag: 'log-level', env: 'SP01_LOG_LEVEL', description: 'debug, info, warn or error' },
  maxFileMb: { flag: 'max-file-mb', env: 'SP01_MAX_FILE_MB', description: 'Reject source files larger than this' },
  maxSheetMb: { flag: 'max-sheet-mb', env: 'SP01_MAX_SHEET_MB', description: 'Reject sheets that decompress past this (zip bombs)' },
  maxSharedStringsMb: {
    flag: 'max-shared-strings-mb',
    env: 'SP01_MAX_SHARED_STRINGS_MB',
    description: "Reject workbooks whose shared-string table needs more memory than this",
  },
};

export function resolveEtlSettings(inputs: SettingInputs): EtlSettings {
  return resolveSettings(etlSettingsSchema, etlSettingSources, inputs);
}
