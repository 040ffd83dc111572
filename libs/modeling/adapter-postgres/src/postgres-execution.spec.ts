import { describePostgres } from '@sp01/vitest-preset/postgres';
import { createPostgresAdapter } from './postgres-adapter.js';
import { executionSuite } from './__fixtures__/execution-suite.js';

describePostgres('modeling on a PostgreSQL server', (url) => {
  executionSuite('PostgreSQL', () => createPostgresAdapter({ url, poolSize: 4 }), 4);
});
