// Plain JavaScript on purpose: Vitest loads this while reading a project's config, before
// anything is built, so it must run as it is.
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Tests resolve workspace packages to their TypeScript sources (the `@sp01/source` export
 * condition), so `nx test <lib>` never needs its dependencies built first.
 *
 * @param {string} projectDir the project's folder (`import.meta.dirname`)
 * @param {import('vitest/config').ViteUserConfig['test']} [overrides]
 */
export function projectTestConfig(projectDir, overrides = {}) {
  const name = projectDir.split('/').slice(-2).join('/');
  return defineConfig({
    root: projectDir,
    resolve: { conditions: ['@sp01/source'] },
    ssr: { resolve: { conditions: ['@sp01/source', ...defaultServerConditions] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.spec.ts'],
      exclude: ['src/**/*.e2e.spec.ts', '**/node_modules/**'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
