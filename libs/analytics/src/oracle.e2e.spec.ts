import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describePostgres } from '@sp01/vitest-preset/postgres';
import { expect, it } from 'vitest';

const workspace = resolve(import.meta.dirname, '../../..');

// dbt-core is the oracle: the sample week loaded by the ETL into twin PostgreSQL databases,
// built once by `dbt build` and once by SP01's builder, every table compared both ways.
describePostgres('libs/analytics under dbt-core and SP01', (url) => {
  it('builds the same tables, nodes and test verdicts from the sample week', () => {
    const venv = execFileSync('bash', [join(workspace, 'tools/python/venv.sh'), 'dbt'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    const run = spawnSync(
      process.execPath,
      [
        join(workspace, 'tools/dbt-oracle/dist/main.js'),
        '--project-dir', join(workspace, 'libs/analytics'),
        '--name', 'oracle_analytics',
        '--dbt', join(venv, 'bin', 'dbt'),
        '--prepare', `node ${join(workspace, 'apps/etl/dist/main.js')} --source-dir ${join(workspace, 'tools/sample-reports/sample')} --warehouse postgres`,
      ],
      { cwd: workspace, encoding: 'utf8', env: { ...process.env, DATABASE_URL: url } },
    );
    process.stdout.write(run.stdout);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('SAME: SP01 built what dbt-core built.');
    expect(run.stdout).toMatch(/marts\.mart_daily_kpis\s+table\s+7\s+7\s+0\s+0\s+same/);
  });
});
