import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { domainTransformGenerator } from './generator';

const root = path.resolve(__dirname, '../../../../..');
const copy = (tree: Tree, file: string) => tree.write(file, readFileSync(path.join(root, file), 'utf-8'));

describe('domain-transform generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    for (const f of ['report.ts', 'registry.ts', 'index.ts', 'pre-deduction.ts']) copy(tree, `libs/contracts/src/${f}`);
    // The runner's registry as it was before any generated domain, with its markers.
    tree.write(
      'apps/etl/src/transforms.ts',
      [
        "import type { Domain, DomainTransform } from '@sp01/contracts';",
        "import { topUpTransform } from '@sp01/transform-top-up';",
        '// generator: transform imports',
        '',
        'export const DOMAIN_TRANSFORMS: Readonly<Partial<Record<Domain, DomainTransform>>> = {',
        '  top_up: topUpTransform,',
        '  // generator: transforms',
        '};',
        '',
      ].join('\n'),
    );
    tree.write('apps/etl/package.json', JSON.stringify({ name: '@sp01/etl', dependencies: {} }));
    tree.write('tsconfig.json', JSON.stringify({ files: [], references: [] }));
  });

  it('scaffolds a tagged transform lib for an existing contract and wires it into the ETL', async () => {
    await domainTransformGenerator(tree, { domain: 'pre_deduction', skipInstall: true });
    const pkg = readJson(tree, 'libs/transform/pre-deduction/package.json');
    expect(pkg.name).toBe('@sp01/transform-pre-deduction');
    expect(pkg.nx.tags).toEqual(['type:transform', 'scope:pre-deduction']);
    expect(tree.read('libs/transform/pre-deduction/src/pre-deduction-transform.ts', 'utf-8')).toContain(
      'defineDomainTransform(preDeductionContract, derivePreDeduction)',
    );
    expect(tree.exists('libs/transform/pre-deduction/src/pre-deduction-transform.spec.ts')).toBe(true);
    expect(tree.exists('libs/transform/pre-deduction/README.md')).toBe(true);
    const etl = tree.read('apps/etl/src/transforms.ts', 'utf-8') ?? '';
    expect(etl).toContain("import { preDeductionTransform } from '@sp01/transform-pre-deduction';");
    expect(etl).toContain('  pre_deduction: preDeductionTransform,\n  // generator: transforms');
    expect(readJson(tree, 'apps/etl/package.json').dependencies['@sp01/transform-pre-deduction']).toBe('*');
    expect(readJson(tree, 'tsconfig.json').references).toEqual([{ path: './libs/transform/pre-deduction' }]);
    // the existing contract is left alone
    expect(tree.read('libs/contracts/src/report.ts', 'utf-8')).not.toContain("'pre_deduction',\n  'pre_deduction'");
  });

  it('adds a contract for a new domain and registers it', async () => {
    await domainTransformGenerator(tree, { domain: 'gift_refund', titleZh: '禮物退款', key: 'refund_id', keyZh: '退款編號', keyEn: 'Refund ID', skipInstall: true });
    const contract = tree.read('libs/contracts/src/gift-refund.ts', 'utf-8') ?? '';
    expect(contract).toContain("domain: 'gift_refund'");
    expect(contract).toContain("col('refund_id', '退款編號', 'Refund ID', 'text', true)");
    expect(tree.read('libs/contracts/src/report.ts', 'utf-8')).toContain("  'op_stats',\n  'gift_refund',\n] as const; // domains");
    expect(tree.read('libs/contracts/src/registry.ts', 'utf-8')).toContain('  gift_refund: giftRefundContract as ReportContract<object>,');
    expect(tree.read('libs/contracts/src/index.ts', 'utf-8')).toContain("export * from './gift-refund.js';");
  });

  it('refuses a name that is not snake_case and a lib that exists', async () => {
    await expect(domainTransformGenerator(tree, { domain: 'Pre-Deduction', skipInstall: true })).rejects.toThrow(/snake_case/);
    await domainTransformGenerator(tree, { domain: 'pre_deduction', skipInstall: true });
    await expect(domainTransformGenerator(tree, { domain: 'pre_deduction', skipInstall: true })).rejects.toThrow(/already exists/);
  });
});
