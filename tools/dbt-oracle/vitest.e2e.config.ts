import { projectTestConfig } from '@sp01/vitest-preset';

// Builds real projects with dbt-core and with the model builder (`nx run dbt-oracle:e2e`
// builds the models app first); one project at a time: both tools are CPU-bound.
export default projectTestConfig(import.meta.dirname, {
  include: ['src/**/*.e2e.spec.ts'],
  exclude: ['**/node_modules/**'],
  testTimeout: 900_000,
  hookTimeout: 900_000,
  fileParallelism: false,
});
