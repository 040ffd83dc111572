import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { createPostgresWarehouse } from './index.js';
import { describeWarehouse } from './__fixtures__/warehouse-suite.js';

const url = process.env['DATABASE_URL'];
const ci = Boolean(process.env['CI']);

if (url === undefined && !ci) {
  console.warn(
    '\n[load-postgres] DATABASE_URL is not set: the PostgreSQL warehouse suite is SKIPPED.\n' +
      '  Start a server with `bash .ci/postgres.sh` and export DATABASE_URL=postgres://postgres@127.0.0.1:54329/sp01\n',
  );
}

describe.runIf(url !== undefined || ci)('PostgreSQL', () => {
  if (url === undefined) {
    it('needs DATABASE_URL', () => {
      throw new Error('CI is set but DATABASE_URL is not: the PostgreSQL warehouse suite must run in CI (see .ci/postgres.sh)');
    });
    return;
  }
  // A schema of its own per test file, so parallel test runs never see each other's rows.
  const schemaPrefix = `t_${randomBytes(4).toString('hex')}_`;
  describeWarehouse({
    name: `PostgreSQL (${schemaPrefix}raw)`,
    open: () => createPostgresWarehouse({ url, schemaPrefix }),
    dispose: async (wh) => {
      await wh.query(`DROP SCHEMA IF EXISTS "${wh.schema}" CASCADE`);
    },
  });
});
