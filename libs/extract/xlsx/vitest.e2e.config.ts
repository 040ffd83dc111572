import { projectTestConfig } from '@sp01/vitest-preset';

// Hostile files read by the built reader in child processes (`nx run extract-xlsx:e2e` builds it first).
export default projectTestConfig(import.meta.dirname, {
  include: ['src/**/*.e2e.spec.ts'],
  exclude: ['**/node_modules/**'],
  testTimeout: 600_000,
  hookTimeout: 600_000,
  fileParallelism: false,
});
