import { ConfigError } from '@sp01/core';
import { describe, expect, it } from 'vitest';
import { resolveEtlSettings } from './settings.js';

const resolve = (flags: Record<string, string | boolean>, env: Record<string, string> = {}) => resolveEtlSettings({ flags, env });

function problems(flags: Record<string, string | boolean>, env: Record<string, string> = {}): readonly string[] {
  try {
    resolve(flags, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('ETL settings', () => {
  it('defaults to the embedded warehouse, all domains, no force', () => {
    expect(resolve({ 'source-dir': 'reports' })).toMatchObject({
      source: 'local',
      sourceDir: 'reports',
      warehouse: 'pglite',
      pgliteDir: '.sp01/warehouse',
      domains: ['top_up', 'pre_deduction', 'post_deduction', 'op_stats'],
      force: false,
      json: false,
    });
  });

  it('reads the cloud settings', () => {
    expect(
      resolve({ source: 'gcs', warehouse: 'bigquery' }, { GCS_BUCKET: 'sp01-exports', GCS_PREFIX: 'daily/', BIGQUERY_PROJECT: 'sp01-prod', BIGQUERY_LOCATION: 'asia-east1', SP01_BIGQUERY_MAX_BYTES_BILLED: '10000000000' }),
    ).toMatchObject({ source: 'gcs', gcsBucket: 'sp01-exports', gcsPrefix: 'daily/', warehouse: 'bigquery', bigqueryProject: 'sp01-prod', bigqueryLocation: 'asia-east1', maxBytesBilled: 10_000_000_000 });
  });

  it('reads environment variables, flags winning', () => {
    const settings = resolve(
      { warehouse: 'postgres', domains: 'top-up, op_stats' },
      { SP01_SOURCE_DIR: '/in', SP01_WAREHOUSE: 'pglite', DATABASE_URL: 'postgres://u:p@h/db', SP01_FORCE: 'true', SP01_MAX_FILE_MB: '10' },
    );
    expect(settings).toMatchObject({ sourceDir: '/in', warehouse: 'postgres', domains: ['top_up', 'op_stats'], force: true, maxFileMb: 10 });
  });

  it.each<[string, Record<string, string | boolean>, Record<string, string>, RegExp]>([
    ['a missing source folder', {}, {}, /^--source-dir \/ SP01_SOURCE_DIR: is required when the source is local/],
    ['postgres without a URL', { 'source-dir': 'x', warehouse: 'postgres' }, {}, /^--database-url \/ DATABASE_URL: is required when the warehouse is postgres/],
    ['an unknown warehouse', { 'source-dir': 'x' }, { SP01_WAREHOUSE: 'oracle' }, /^--warehouse \/ SP01_WAREHOUSE: must be pglite, postgres or bigquery \(got "oracle"\)/],
    ['an unknown domain', { 'source-dir': 'x', domains: 'top_up,refunds' }, {}, /^--domains \/ SP01_DOMAINS: unknown domain refunds/],
    ['a URL that is not PostgreSQL', { 'source-dir': 'x', warehouse: 'postgres' }, { DATABASE_URL: 'mysql://u:secret@h/db' }, /^--database-url \/ DATABASE_URL: must be a postgres:\/\/ URL$/],
    ['a bad size limit', { 'source-dir': 'x' }, { SP01_MAX_FILE_MB: 'lots' }, /^--max-file-mb \/ SP01_MAX_FILE_MB: must be a number of megabytes/],
    ['a Drive source without a folder', { source: 'gdrive' }, {}, /^--gdrive-folder \/ GDRIVE_FOLDER_ID: is required when the source is gdrive/],
    ['a Cloud Storage source without a bucket', { source: 'gcs' }, {}, /^--gcs-bucket \/ GCS_BUCKET: is required when the source is gcs/],
    ['a bucket given as a URL', { source: 'gcs' }, { GCS_BUCKET: 'gs://exports' }, /^--gcs-bucket \/ GCS_BUCKET: must be a bucket name/],
    ['BigQuery without a project', { 'source-dir': 'x', warehouse: 'bigquery' }, {}, /^--bigquery-project \/ BIGQUERY_PROJECT: is required when the warehouse is bigquery/],
    ['a missing credentials file', { 'source-dir': 'x' }, { GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' }, /^GOOGLE_APPLICATION_CREDENTIALS: names a file that does not exist/],
    ['a bad byte budget', { 'source-dir': 'x' }, { SP01_BIGQUERY_MAX_BYTES_BILLED: '10GB' }, /^--max-bytes-billed \/ SP01_BIGQUERY_MAX_BYTES_BILLED: must be a number of bytes/],
    ['a bad schema prefix', { 'source-dir': 'x', 'schema-prefix': 'Dev-' }, {}, /^--schema-prefix \/ SP01_SCHEMA_PREFIX: must be lower-case/],
  ])('rejects %s, naming the flag and the variable', (_name, flags, env, message) => {
    const found = problems(flags, env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
    expect(found.join('\n')).not.toContain('secret');
  });
});
