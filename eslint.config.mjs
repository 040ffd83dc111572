import { existsSync, readdirSync, readFileSync } from 'node:fs';
import nx from '@nx/eslint-plugin';

// Every domain transform lib (libs/transform/*) carries `scope:<domain>`; a domain may use
// only itself and shared libs. Read from disk so a generated domain is covered at once.
const transformRoot = new URL('./libs/transform/', import.meta.url);
const domainScopes = readdirSync(transformRoot)
  .map((dir) => new URL(`${dir}/package.json`, transformRoot))
  .filter((file) => existsSync(file))
  .flatMap((file) => JSON.parse(readFileSync(file, 'utf8')).nx?.tags ?? [])
  .filter((tag) => tag.startsWith('scope:') && tag !== 'scope:shared');

// The dependency rules of docs/architecture: who may import whom. Apps compose; libs
// stay in their lane. `type:testing` (fixture builders) is allowed only from tests,
// see the second block below.
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:core', 'type:contracts', 'type:extract', 'type:transform', 'type:load', 'type:modeling'],
  },
  { sourceTag: 'type:extract', onlyDependOnLibsWithTags: ['type:core', 'type:contracts'] },
  { sourceTag: 'type:transform', onlyDependOnLibsWithTags: ['type:core', 'type:contracts'] },
  { sourceTag: 'type:load', onlyDependOnLibsWithTags: ['type:core', 'type:contracts'] },
  { sourceTag: 'type:modeling', onlyDependOnLibsWithTags: ['type:core', 'type:modeling'] },
  // The analytics dbt project's small CLI (the latest KPIs) reads the warehouse through a modeling adapter.
  { sourceTag: 'type:analytics', onlyDependOnLibsWithTags: ['type:core', 'type:modeling'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:contracts'] },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:core', 'type:contracts', 'type:extract', 'type:transform', 'type:load', 'type:modeling', 'type:testing'],
  },
  // A domain transform never reaches into another domain.
  ...domainScopes.map((scope) => ({ sourceTag: scope, onlyDependOnLibsWithTags: [scope, 'scope:shared'] })),
];

const withTesting = depConstraints.map((c) =>
  c.sourceTag.startsWith('type:')
    ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] }
    : c,
);

const testFiles = ['**/*.spec.ts', '**/*.test.ts', '**/__fixtures__/**', '**/vitest*.config.ts', '**/vitest*.config.mts', '**/*.bench.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/.nx', '**/vitest.config.*.timestamp*', '**/sample/**', '**/target/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: [...testFiles, '**/eslint.config.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: [], depConstraints, banTransitiveDependencies: true },
      ],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: withTesting },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
];
