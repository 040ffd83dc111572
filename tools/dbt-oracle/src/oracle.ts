import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { compareDatabases, type RelationComparison } from './compare.js';
import { connectionOf, databaseUrl, dropDatabase, recreateDatabase } from './databases.js';
import { compareResults, type ResultsComparison } from './results.js';

export interface OracleOptions {
  /** The dbt project (the folder holding dbt_project.yml); it is copied, never written to. */
  projectDir: string;
  /** A PostgreSQL URL whose user may create databases; its database is not touched. */
  serverUrl: string;
  /** Names the databases `<name>_template`, `<name>_dbt`, `<name>_sp01`. */
  name: string;
  /** Fills the template database both builds start from (e.g. the ETL loading raw tables). */
  prepare?: Preparation;
  /**
   * Later days: each is applied to both databases after the previous build, then both build
   * again (incremental models and snapshots meet new data as in production).
   */
  increments?: Preparation[];
  /** Project vars as JSON, passed to both builds. */
  vars?: string;
  /** Columns compared by name and type only: their values are stamped at run time. */
  ignoreColumns?: string[];
  /** The target schema of both builds. */
  schema: string;
  /** dbt-core's `dbt` executable. */
  dbt: string;
  /** The model builder's entry point (apps/models/dist/main.js). */
  models: string;
  /** Where copies, profiles, targets and logs go (a new temp folder by default). */
  workDir?: string;
  /** Keep the databases for inspection. */
  keep?: boolean;
  log?: (line: string) => void;
}

/** A shell command run with DATABASE_URL set, or a function given the database's URL. */
export type Preparation = string | ((databaseUrl: string) => Promise<void>);

export interface BuildOutcome {
  /** The exit code of every build, in order (one, plus one per increment). */
  exitCodes: number[];
  exitCode: number;
  seconds: number;
  log: string;
  targetDir: string;
}

export interface OracleReport {
  project: string;
  dbt: BuildOutcome;
  sp01: BuildOutcome;
  relations: RelationComparison[];
  results: ResultsComparison;
  /** True when the exit codes, every relation, the node lists and every status agree. */
  same: boolean;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }): Promise<{ exitCode: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const out = createWriteStream(options.log, { flags: 'a' });
  out.write(`$ ${[command, ...args].join(' ')}\n`);
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      out.end(() => done({ exitCode: code ?? (signal ? 128 : 1), seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
    });
  });
}

async function apply(preparation: Preparation, databaseUrl: string, env: NodeJS.ProcessEnv, log: string): Promise<void> {
  if (typeof preparation === 'function') return preparation(databaseUrl);
  const prepared = await run('bash', ['-c', preparation], { cwd: process.cwd(), env: { ...env, DATABASE_URL: databaseUrl }, log });
  if (prepared.exitCode !== 0) throw new Error(`preparation exited ${prepared.exitCode}: see ${log}`);
}

/** A copy of the project without the build output of earlier runs. */
function copyProject(from: string, to: string) {
  const skip = new Set(['target', 'dbt_packages', 'logs', 'node_modules']);
  cpSync(from, to, { recursive: true, filter: (source) => source === from || !skip.has(basename(source)) || resolve(source, '..') !== from });
}

function profileName(projectDir: string): string {
  const project = load(readFileSync(join(projectDir, 'dbt_project.yml'), 'utf8')) as { profile?: unknown; name?: unknown } | null;
  const name = project?.profile ?? project?.name;
  if (typeof name !== 'string') throw new Error(`${projectDir}/dbt_project.yml names no profile`);
  return name;
}

function writeProfiles(dir: string, profile: string, url: string, schema: string) {
  const c = connectionOf(url);
  const text = [
    `${JSON.stringify(profile)}:`,
    '  target: dev',
    '  outputs:',
    '    dev:',
    '      type: postgres',
    `      host: ${JSON.stringify(c.host)}`,
    `      port: ${c.port}`,
    `      user: ${JSON.stringify(c.user)}`,
    // The password reaches dbt through the environment, never through a file.
    `      password: "{{ env_var('SP01_ORACLE_PASSWORD', '') }}"`,
    `      dbname: ${JSON.stringify(c.database)}`,
    `      schema: ${JSON.stringify(schema)}`,
    '      threads: 4',
    '',
  ].join('\n');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'profiles.yml'), text);
}

const hasPackages = (dir: string) => existsSync(join(dir, 'packages.yml')) || existsSync(join(dir, 'dependencies.yml'));

/**
 * Builds one dbt project twice on twin databases (copies of one prepared template): once with
 * dbt-core (`dbt build`), once with SP01's model builder (`models build`), then compares every
 * relation, the manifests' node lists and every node's status.
 */
export async function runOracle(options: OracleOptions): Promise<OracleReport> {
  const log = options.log ?? (() => undefined);
  const work = options.workDir ?? mkdtempSync(join(tmpdir(), `dbt-oracle-${options.name}-`));
  mkdirSync(work, { recursive: true });
  const names = { template: `${options.name}_template`, dbt: `${options.name}_dbt`, sp01: `${options.name}_sp01` };
  const urls = {
    template: databaseUrl(options.serverUrl, names.template),
    dbt: databaseUrl(options.serverUrl, names.dbt),
    sp01: databaseUrl(options.serverUrl, names.sp01),
  };
  const password = connectionOf(options.serverUrl).password;
  const baseEnv = { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1', NO_COLOR: '1' };

  log(`template database ${names.template}`);
  await recreateDatabase(options.serverUrl, names.template);
  if (options.prepare) await apply(options.prepare, urls.template, baseEnv, join(work, 'prepare.log'));
  await recreateDatabase(options.serverUrl, names.dbt, names.template);
  await recreateDatabase(options.serverUrl, names.sp01, names.template);

  const vars = options.vars ? ['--vars', options.vars] : [];
  const dbtProject = join(work, 'dbt-project');
  const sp01Project = join(work, 'sp01-project');
  copyProject(resolve(options.projectDir), dbtProject);
  copyProject(resolve(options.projectDir), sp01Project);

  const profiles = join(work, 'profiles');
  writeProfiles(profiles, profileName(dbtProject), urls.dbt, options.schema);
  const dbtEnv = { ...baseEnv, SP01_ORACLE_PASSWORD: password, DBT_PROFILES_DIR: profiles };
  const dbtTarget = join(work, 'dbt-target');
  const dbtLog = join(work, 'dbt.log');
  const sp01Env = { ...baseEnv, DATABASE_URL: urls.sp01 };
  const sp01Target = join(work, 'sp01-target');
  const sp01Log = join(work, 'sp01.log');
  const common = ['--project-dir', sp01Project, '--target-dir', sp01Target, '--warehouse', 'postgres', '--schema', options.schema];
  const dbt = { exitCodes: [] as number[], seconds: 0 };
  const sp01 = { exitCodes: [] as number[], seconds: 0 };

  const build = async () => {
    log(`dbt-core build → ${names.dbt}`);
    const dbtRun = await run(
      options.dbt,
      ['build', '--project-dir', dbtProject, '--profiles-dir', profiles, '--target-path', dbtTarget, '--log-path', join(work, 'dbt-logs'), '--no-version-check', ...vars],
      { cwd: dbtProject, env: dbtEnv, log: dbtLog },
    );
    dbt.exitCodes.push(dbtRun.exitCode);
    dbt.seconds += dbtRun.seconds;
    log(`SP01 build → ${names.sp01}`);
    const sp01Run = await run(process.execPath, [options.models, 'build', ...common, ...vars], { cwd: sp01Project, env: sp01Env, log: sp01Log });
    sp01.exitCodes.push(sp01Run.exitCode);
    sp01.seconds += sp01Run.seconds;
  };

  if (hasPackages(dbtProject)) {
    await run(options.dbt, ['deps', '--project-dir', dbtProject], { cwd: dbtProject, env: dbtEnv, log: dbtLog });
    await run(process.execPath, [options.models, 'deps', ...common], { cwd: sp01Project, env: sp01Env, log: sp01Log });
  }
  await build();
  for (const [i, increment] of (options.increments ?? []).entries()) {
    log(`increment ${i + 1}`);
    await apply(increment, urls.dbt, baseEnv, join(work, `increment-${i + 1}.log`));
    await apply(increment, urls.sp01, baseEnv, join(work, `increment-${i + 1}.log`));
    await build();
  }

  log('comparing');
  const relations = await compareDatabases({ dbtUrl: urls.dbt, sp01Url: urls.sp01, ignoreColumns: options.ignoreColumns ?? [] });
  const results = compareResults(dbtTarget, sp01Target);
  if (!options.keep) for (const name of Object.values(names)) await dropDatabase(options.serverUrl, name);

  const same =
    dbt.exitCodes.join() === sp01.exitCodes.join() &&
    relations.every((r) => r.verdict === 'equal' || r.verdict === 'equal-but-snapshot-times') &&
    results.nodesOnlyDbt.length === 0 &&
    results.nodesOnlySp01.length === 0 &&
    results.statusDifferences.length === 0;
  return {
    project: options.projectDir,
    dbt: { exitCodes: dbt.exitCodes, exitCode: dbt.exitCodes.at(-1) ?? 2, seconds: dbt.seconds, log: dbtLog, targetDir: dbtTarget },
    sp01: { exitCodes: sp01.exitCodes, exitCode: sp01.exitCodes.at(-1) ?? 2, seconds: sp01.seconds, log: sp01Log, targetDir: sp01Target },
    relations,
    results,
    same,
  };
}
