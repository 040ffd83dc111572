import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgliteAdapter } from '@sp01/modeling-adapter-postgres';
import { afterEach, expect, it } from 'vitest';
import { main } from './cli.js';
import type { MiniProject } from './__fixtures__/mini-project.js';
import { captureStreams, miniProject } from './__fixtures__/mini-project.js';

let project: MiniProject | undefined;
afterEach(() => project?.remove());

it('builds on the default embedded PGlite warehouse, kept in --pglite-dir between runs', { timeout: 180_000 }, async () => {
  project = miniProject('');
  const pgliteDir = join(project.root, 'pglite');
  const setup = createPgliteAdapter({ dataDir: pgliteDir });
  await setup.execute(`create schema raw; create table raw.events (id int, occurred_at timestamp, loaded_at timestamptz); insert into raw.events values (1, '2024-01-01 10:00', now())`);
  await setup.close();

  const streams = captureStreams();
  const code = await main(['build', '--project-dir', project.projectDir, '--pglite-dir', pgliteDir, '--threads', '2'], {}, streams.io);
  expect(streams.err()).toBe('');
  expect(code).toBe(0);
  expect(streams.out()).toContain('Done. PASS=9 WARN=0 ERROR=0 SKIP=0 TOTAL=9');
  // Artifacts default to <project-dir>/target, as in dbt.
  expect(existsSync(join(project.projectDir, 'target', 'run_results.json'))).toBe(true);

  const check = createPgliteAdapter({ dataDir: pgliteDir });
  try {
    expect(await check.query('select team, people from analytics.teams order by team')).toEqual([
      { team: 'codes', people: 1 },
      { team: 'engines', people: 2 },
    ]);
  } finally {
    await check.close();
  }
  expect(JSON.parse(readFileSync(join(project.projectDir, 'target', 'run_results.json'), 'utf8')).results).toHaveLength(9);
});
