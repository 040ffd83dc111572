import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describePostgres } from '@sp01/vitest-preset/postgres';
import { afterAll, expect, it } from 'vitest';
import { withClient } from './databases.js';
import { runOracle, type OracleOptions } from './oracle.js';
import { formatReport } from './report.js';
import { venvTool } from './__fixtures__/venv.js';

const workspace = resolve(import.meta.dirname, '../../..');
const models = join(workspace, 'apps/models/dist/main.js');
const sql = (file: string) => (url: string) => withClient(url, (client) => client.query(readFileSync(file, 'utf8')).then(() => undefined));

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture project with its `__RAW__` placeholder named. */
function withRawSchema(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'oracle-fixture-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true });
  for (const entry of readdirSync(copy, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(yml|sql)$/.test(entry)) continue;
    const path = join(copy, entry);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('__RAW__', 'raw'));
  }
  return copy;
}

const shopDays = join(workspace, 'libs/modeling/adapter-postgres/src/__fixtures__/shop-days');
const shopDay = (day: number) => (url: string) =>
  withClient(url, (client) => client.query(readFileSync(join(shopDays, `day${day}.sql`), 'utf8').replaceAll('__RAW__', 'raw')).then(() => undefined));

// The model builder's own fixture projects, each built by dbt-core and by SP01: they must
// leave the same tables, the same manifest nodes and the same test verdicts.
const PROJECTS: [string, () => Pick<OracleOptions, 'projectDir' | 'prepare' | 'increments' | 'ignoreColumns'>][] = [
  ['mini', () => ({ projectDir: join(workspace, 'apps/models/src/__fixtures__/mini') })],
  [
    'shop',
    () => ({
      projectDir: withRawSchema(join(workspace, 'libs/modeling/adapter-postgres/src/__fixtures__/shop')),
      prepare: shopDay(1),
      increments: [shopDay(2), shopDay(3)],
      // Days 2 and 3 stamp raw rows with now() on each database.
      ignoreColumns: ['loaded_at'],
    }),
  ],
  [
    'jaffle',
    () => ({
      projectDir: join(workspace, 'libs/modeling/compiler/src/__fixtures__/jaffle'),
      prepare: sql(join(import.meta.dirname, '__fixtures__/jaffle-raw.sql')),
      ignoreColumns: ['_transformed_at'],
    }),
  ],
];

describePostgres('dbt-core and SP01 build the same', (serverUrl) => {
  const dbt = venvTool('dbt', 'dbt');
  it.each(PROJECTS)('%s', async (name, project) => {
    const report = await runOracle({ ...project(), serverUrl, name: `oracle_e2e_${name}`, schema: 'analytics', dbt, models });
    const text = formatReport(report);
    console.log(text);
    expect(report.relations.length, text).toBeGreaterThan(0);
    expect(report.same, text).toBe(true);
  });
});
