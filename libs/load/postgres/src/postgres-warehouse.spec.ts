import { createPostgresWarehouse } from './index.js';
import { describePostgres, freshSchemaPrefix } from '@sp01/vitest-preset/postgres';
import { describeWarehouse } from './__fixtures__/warehouse-suite.js';

describePostgres('PostgreSQL', (url) => {
  // A schema of its own per test file, so parallel test runs never see each other's rows.
  const schemaPrefix = freshSchemaPrefix();
  describeWarehouse({
    name: `PostgreSQL (${schemaPrefix}raw)`,
    open: () => createPostgresWarehouse({ url, schemaPrefix }),
    dispose: async (wh) => {
      await wh.query(`DROP SCHEMA IF EXISTS "${wh.schema}" CASCADE`);
    },
  });
});
