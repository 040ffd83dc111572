import { existsSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Lints made-up files placed inside real projects, so the rule sees the real project graph
 * and tags. Each breach below must fail; each allowed import must pass. If the rule or a
 * tag is ever loosened, this suite fails.
 */
const workspaceRoot = path.resolve(import.meta.dirname, '../../..');
let eslint: ESLint;

beforeAll(() => {
  // The rule reads Nx's cached project graph, which any nx command writes.
  expect(existsSync(path.join(workspaceRoot, '.nx/workspace-data/project-graph.json'))).toBe(true);
  eslint = new ESLint({ cwd: workspaceRoot });
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(workspaceRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['a transform imports a loader', 'libs/transform/top-up/src/breach.ts', '@sp01/load-postgres', /type:transform/],
    ['a transform imports an extractor', 'libs/transform/top-up/src/breach.ts', '@sp01/extract-xlsx', /type:transform/],
    ['an extractor imports a transform', 'libs/extract/local/src/breach.ts', '@sp01/transform-top-up', /type:extract/],
    ['a loader imports a transform', 'libs/load/postgres/src/breach.ts', '@sp01/transform-top-up', /type:load/],
    ['an extractor imports a loader', 'libs/extract/xlsx/src/breach.ts', '@sp01/load-postgres', /type:extract/],
    // Every lib depends on core and contracts, so these two are also cycles; either verdict fails lint.
    ['contracts import an extractor', 'libs/contracts/src/breach.ts', '@sp01/extract-local', /type:contracts|Circular dependency/],
    ['core imports contracts', 'libs/core/src/breach.ts', '@sp01/contracts', /type:core|Circular dependency/],
    ['a lib imports an app', 'libs/extract/local/src/breach.ts', '@sp01/etl', /type:extract|apps|Only packages defined/],
    ['a domain transform imports another domain', 'libs/transform/pre-deduction/src/breach.ts', '@sp01/transform-top-up', /type:transform|scope:pre-deduction/],
    ['a settlement transform imports the pre-deduction one', 'libs/transform/post-deduction/src/breach.ts', '@sp01/transform-pre-deduction', /type:transform|scope:post-deduction/],
    ['production code imports test fixtures', 'libs/transform/top-up/src/breach.ts', '@sp01/report-fixtures', /type:transform/],
  ])('fails when %s', async (_name, file, target, message) => {
    const errors = await boundaryErrors(file, `import * as breach from '${target}';\nexport default breach;\n`);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });

  it.each([
    ['a transform imports contracts and core', 'libs/transform/top-up/src/ok.ts', ['@sp01/contracts', '@sp01/core']],
    ['a loader imports contracts', 'libs/load/postgres/src/ok.ts', ['@sp01/contracts']],
    ['the app composes every stage', 'apps/etl/src/ok.ts', ['@sp01/extract-xlsx', '@sp01/transform-top-up', '@sp01/load-postgres']],
    ['a test imports fixtures', 'libs/extract/xlsx/src/ok.spec.ts', ['@sp01/report-fixtures']],
  ])('passes when %s', async (_name, file, targets) => {
    const code = targets.map((t, i) => `import * as m${i} from '${t}';\nexport const x${i} = m${i};\n`).join('');
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
