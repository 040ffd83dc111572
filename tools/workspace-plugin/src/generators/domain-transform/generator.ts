import {
  addDependenciesToPackageJson,
  generateFiles,
  installPackagesTask,
  joinPathFragments,
  names,
  updateJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import * as path from 'node:path';

export interface DomainTransformSchema {
  domain: string;
  titleZh?: string;
  titleEn?: string;
  key?: string;
  keyZh?: string;
  keyEn?: string;
  skipInstall?: boolean;
}

const CONTRACTS = 'libs/contracts/src';
const ETL_TRANSFORMS = 'apps/etl/src/transforms.ts';

/** `pre_deduction` → the names every generated file uses. */
export function domainNames(domain: string) {
  const kebab = domain.replace(/_/g, '-');
  const { className, propertyName } = names(kebab);
  return { domain, kebab, pascal: className, camel: propertyName };
}

function insertBefore(tree: Tree, file: string, marker: string, text: string): void {
  const content = tree.read(file, 'utf-8');
  if (content === null) throw new Error(`${file} does not exist`);
  if (content.includes(text.trim())) return;
  const at = content.indexOf(marker);
  if (at < 0) throw new Error(`${file} has no "${marker}" marker`);
  const lineStart = content.lastIndexOf('\n', at) + 1;
  tree.write(file, content.slice(0, lineStart) + text + content.slice(lineStart));
}

/**
 * A new domain transform lib: `libs/transform/<domain>` with its tags, transform, tests and
 * README, registered in the ETL runner. When the contract does not exist yet, a contract
 * with the natural-key column is added to `libs/contracts` for the developer to complete.
 */
export async function domainTransformGenerator(tree: Tree, schema: DomainTransformSchema): Promise<GeneratorCallback> {
  if (!/^[a-z][a-z0-9_]*$/.test(schema.domain)) throw new Error(`domain "${schema.domain}" must be snake_case`);
  const n = domainNames(schema.domain);
  const projectRoot = `libs/transform/${n.kebab}`;
  if (tree.exists(projectRoot)) throw new Error(`${projectRoot} already exists`);

  const contractFile = joinPathFragments(CONTRACTS, `${n.kebab}.ts`);
  if (!tree.exists(contractFile)) {
    generateFiles(tree, path.join(__dirname, 'contract-files'), CONTRACTS, {
      ...n,
      titleZh: schema.titleZh ?? n.domain,
      titleEn: schema.titleEn ?? n.pascal,
      key: schema.key ?? 'id',
      keyZh: schema.keyZh ?? '編號',
      keyEn: schema.keyEn ?? 'ID',
      tmpl: '',
    });
    insertBefore(tree, `${CONTRACTS}/report.ts`, '] as const; // domains', `  '${n.domain}',\n`);
    insertBefore(tree, `${CONTRACTS}/registry.ts`, '// generator: contract imports', `import { ${n.camel}Contract } from './${n.kebab}.js';\n`);
    insertBefore(tree, `${CONTRACTS}/registry.ts`, '// generator: contracts', `  ${n.domain}: ${n.camel}Contract as ReportContract<object>,\n`);
    insertBefore(tree, `${CONTRACTS}/index.ts`, "export * from './registry.js';", `export * from './${n.kebab}.js';\n`);
  }

  generateFiles(tree, path.join(__dirname, 'files'), projectRoot, { ...n, tmpl: '' });

  updateJson(tree, 'tsconfig.json', (json) => {
    json.references = [...(json.references ?? []), { path: `./${projectRoot}` }];
    return json;
  });
  if (tree.exists(ETL_TRANSFORMS)) {
    insertBefore(tree, ETL_TRANSFORMS, '// generator: transform imports', `import { ${n.camel}Transform } from '@sp01/transform-${n.kebab}';\n`);
    insertBefore(tree, ETL_TRANSFORMS, '// generator: transforms', `  ${n.domain}: ${n.camel}Transform,\n`);
    addDependenciesToPackageJson(tree, { [`@sp01/transform-${n.kebab}`]: '*' }, {}, 'apps/etl/package.json');
  }
  return () => {
    if (!schema.skipInstall) installPackagesTask(tree, true);
  };
}

export default domainTransformGenerator;
