import { projectTestConfig } from '@sp01/vitest-preset';

// End-to-end suites run the built ETL, model builder and dbt oracle as child processes
// (`nx run analytics:e2e` builds them first).
export default projectTestConfig(import.meta.dirname, {
  include: ['src/**/*.e2e.spec.ts'],
  exclude: ['**/node_modules/**'],
  testTimeout: 900_000,
  hookTimeout: 900_000,
  fileParallelism: false,
});
