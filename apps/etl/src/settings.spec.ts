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
    ['an unknown warehouse', { 'source-dir': 'x' }, { SP01_WAREHOUSE: 'oracle' }, /^--warehouse \/ SP01_WAREHOUSE: must be pglite or postgres \(got "oracle"\)/],
    ['an unknown domain', { 'source-dir': 'x', domains: 'top_up,refunds' }, {}, /^--domains \/ SP01_DOMAINS: unknown domain refunds/],
    ['a URL that is not PostgreSQL', { 'source-dir': 'x', warehouse: 'postgres' }, { DATABASE_URL: 'mysql://u:secret@h/db' }, /^--database-url \/ DATABASE_URL: must be a postgres:\/\/ URL$/],
    ['a bad size limit', { 'source-dir': 'x' }, { SP01_MAX_FILE_MB: 'lots' }, /^--max-file-mb \/ SP01_MAX_FILE_MB: must be a number of megabytes/],
    ['a bad schema prefix', { 'source-dir': 'x', 'schema-prefix': 'Dev-' }, {}, /^--schema-prefix \/ SP01_SCHEMA_PREFIX: must be lower-case/],
  ])('rejects %s, naming the flag and the variable', (_name, flags, env, message) => {
    const found = problems(flags, env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
    expect(found.join('\n')).not.toContain('secret');
  });
});
