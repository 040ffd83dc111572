import { projectTestConfig } from '@sp01/vitest-preset';

// End-to-end suites run the built CLI as a child process (`nx run etl:e2e` builds it first).
export default projectTestConfig(import.meta.dirname, {
  include: ['src/**/*.e2e.spec.ts'],
  exclude: ['**/node_modules/**'],
  testTimeout: 600_000,
  hookTimeout: 600_000,
  fileParallelism: false,
});
