import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '@sp01/core';
import { ConfigError, createLogger, errorMessage, redactSettings, settingLabel } from '@sp01/core';
import type { CompiledNode, ProjectGraph, Target } from '@sp01/modeling-compiler';
import { buildManifest, compileGraph, ModelingError, parseProject, selectNodes, writeManifest } from '@sp01/modeling-compiler';
import { generateDocsSite, readDocsArtifacts } from '@sp01/modeling-docs';
import type { RunCommand, WarehouseAdapter } from '@sp01/modeling-executor';
import { checkSourceFreshness, dryRunGraph, freshnessSucceeded, runGraph, runSucceeded } from '@sp01/modeling-executor';
import { formatDryRun, formatEvent, formatFreshness, formatRunSummary } from './report.js';
import type { ModelsSettings } from './settings.js';
import { modelsSettingSources, resolveModelsSettings } from './settings.js';
import type { Clients } from './warehouse.js';
import { createAdapter, dialectOf, targetOf } from './warehouse.js';

/** dbt's commands, under dbt's names. */
export const COMMANDS = ['compile', 'run', 'test', 'build', 'seed', 'snapshot', 'source-freshness', 'dry-run', 'docs'] as const;
export type Command = (typeof COMMANDS)[number];

const BOOLEAN_FLAGS = new Set(['full-refresh', 'fail-fast', 'store-failures']);
const LIST_FLAGS = new Set(['select', 'exclude']);
const SHORT: Record<string, string> = { select: 's', 'fail-fast': 'x' };

/** Exit codes: 0 ok, 1 a node or error-severity test failed, 2 configuration or compile error. */
export const EXIT = { ok: 0, failed: 1, config: 2 } as const;

function usage(): string {
  const rows = Object.values(modelsSettingSources).map((s) => {
    const short = s.flag && SHORT[s.flag] ? `-${SHORT[s.flag]}, ` : '';
    return `  ${(short + settingLabel(s)).padEnd(52)} ${s.description}`;
  });
  return [
    'Usage: nx run models:<target> -- [flags]',
    '       node apps/models/dist/main.js <command> [flags]',
    '',
    `Commands: ${COMMANDS.join(', ')}`,
    '  (Nx targets: compile, run, seed, snapshot, source-freshness, dry-run, docs, and dbt-test / dbt-build',
    "   for dbt's test and build, whose plain names are Nx's own targets)",
    '',
    'Flags and environment variables:',
    ...rows,
    '  --help'.padEnd(54) + ' Show this help',
  ].join('\n');
}

function parseFlags(argv: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const source of Object.values(modelsSettingSources)) {
    if (!source.flag) continue;
    options[source.flag] = {
      type: BOOLEAN_FLAGS.has(source.flag) ? 'boolean' : 'string',
      ...(LIST_FLAGS.has(source.flag) ? { multiple: true } : {}),
      ...(SHORT[source.flag] ? { short: SHORT[source.flag] } : {}),
    };
  }
  return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
}

export interface CliStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

interface Invocation {
  command: Command;
  settings: ModelsSettings;
  graph: ProjectGraph;
  target: Target;
  targetDir: string;
  invocationId: string;
  logger: Logger;
  io: CliStreams;
  clients: Clients;
  env: Record<string, string | undefined>;
}

function print(io: CliStreams, text: string): void {
  io.stdout.write(`${text}\n`);
}

function foundLine(graph: ProjectGraph): string {
  const counts = new Map<string, number>();
  for (const node of graph.nodes.values()) {
    const kind = node.resource_type === 'test' ? 'data test' : node.resource_type.replace('_', ' ');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  counts.set('source', graph.sources.size);
  const parts = [...counts].filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
  return `Found ${parts.join(', ')}`;
}

/** Writes manifest.json, with the compiled SQL of the selected nodes. */
function writeArtifacts(inv: Invocation, compiled?: ReadonlyMap<string, CompiledNode>): string {
  const manifest = buildManifest(inv.graph, { dialect: dialectOf(inv.settings), target: inv.target, compiled, invocationId: inv.invocationId });
  return writeManifest(inv.targetDir, manifest);
}

function compileSelected(inv: Invocation) {
  const { settings, graph } = inv;
  const selected = selectNodes(graph, { select: settings.select, exclude: settings.exclude, indirectSelection: settings.indirectSelection });
  return compileGraph(graph, { dialect: dialectOf(settings), target: inv.target, vars: settings.vars, env: inv.env, invocationId: inv.invocationId }, selected);
}

/** `target/compiled/<project>/<path>` as dbt lays it out (generic tests under their YAML file). */
function compiledPath(inv: Invocation, node: CompiledNode['node']): string {
  const base = join(inv.targetDir, 'compiled', inv.graph.project.name);
  if (node.resource_type === 'test' && node.test_type === 'generic') return join(base, node.original_file_path, `${node.name}.sql`);
  return join(base, node.original_file_path);
}

function commandCompile(inv: Invocation): number {
  const compiled = compileSelected(inv);
  const sqlNodes = [...compiled.nodes.values()].filter((c) => c.node.resource_type !== 'seed');
  for (const node of sqlNodes) {
    const path = compiledPath(inv, node.node);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${node.compiled_code}\n`);
  }
  const manifest = writeArtifacts(inv, compiled.nodes);
  // dbt prints the SQL when one node is compiled: the quick way to see what would run.
  if (sqlNodes.length === 1) print(inv.io, `Compiled node '${sqlNodes[0]?.node.name}' is:\n${sqlNodes[0]?.compiled_code}`);
  print(inv.io, `Compiled ${sqlNodes.length} nodes and ${compiled.unit_tests.size} unit tests into ${join(inv.targetDir, 'compiled')}; wrote ${manifest}`);
  return EXIT.ok;
}

function commandDocs(inv: Invocation): number {
  const compiled = compileSelected(inv);
  writeArtifacts(inv, compiled.nodes);
  const artifacts = readDocsArtifacts(inv.targetDir);
  const site = generateDocsSite({ ...artifacts, outDir: inv.targetDir });
  print(inv.io, `Wrote the docs site (${site.pages} pages): ${site.indexPath}`);
  return EXIT.ok;
}

async function withAdapter(inv: Invocation, work: (adapter: WarehouseAdapter) => Promise<number>): Promise<number> {
  const adapter = createAdapter(inv.settings, inv.logger, inv.invocationId, inv.clients);
  try {
    return await work(adapter);
  } finally {
    await adapter.close();
  }
}

async function budgetAllows(inv: Invocation, adapter: WarehouseAdapter, command: RunCommand): Promise<boolean> {
  const { settings } = inv;
  if (settings.maxBytes === undefined) return true;
  if (!adapter.capabilities.dry_run_bytes) {
    inv.logger.warn('--max-bytes is ignored: this warehouse does not report bytes before running', { warehouse: settings.warehouse });
    return true;
  }
  const report = await dryRunGraph({
    graph: inv.graph,
    adapter,
    command: command === 'build' ? 'build' : command === 'test' ? 'test' : command === 'snapshot' ? 'snapshot' : 'run',
    select: settings.select,
    exclude: settings.exclude,
    indirectSelection: settings.indirectSelection,
    fullRefresh: settings.fullRefresh,
    threads: settings.threads,
    target: inv.target,
    vars: settings.vars,
    maxBytes: settings.maxBytes,
  });
  if (!report.over_budget) return true;
  print(inv.io, `${formatDryRun(report)}\n\nNothing was run: the selection would process more than --max-bytes.`);
  return false;
}

async function commandRun(inv: Invocation, command: RunCommand): Promise<number> {
  const { settings } = inv;
  print(inv.io, `Concurrency: ${settings.threads} threads (target='${inv.target.name}', warehouse=${settings.warehouse})\n`);
  return withAdapter(inv, async (adapter) => {
    if (!(await budgetAllows(inv, adapter, command))) return EXIT.failed;
    const results = await runGraph({
      graph: inv.graph,
      adapter,
      command,
      select: settings.select,
      exclude: settings.exclude,
      indirectSelection: settings.indirectSelection,
      fullRefresh: settings.fullRefresh,
      threads: settings.threads,
      failFast: settings.failFast,
      storeFailures: settings.storeFailures,
      target: inv.target,
      vars: settings.vars,
      env: inv.env,
      targetDir: inv.targetDir,
      logger: inv.logger,
      invocationId: inv.invocationId,
      args: {
        select: settings.select,
        exclude: settings.exclude,
        full_refresh: settings.fullRefresh,
        threads: settings.threads,
        fail_fast: settings.failFast,
        vars: settings.vars ?? {},
        target: inv.target.name,
        project_dir: settings.projectDir,
        target_path: inv.targetDir,
      },
      onEvent: (event) => print(inv.io, formatEvent(event)),
    });
    writeArtifacts(inv);
    print(inv.io, formatRunSummary(results));
    return runSucceeded(results) ? EXIT.ok : EXIT.failed;
  });
}

async function commandFreshness(inv: Invocation): Promise<number> {
  return withAdapter(inv, async (adapter) => {
    const artifact = await checkSourceFreshness({
      graph: inv.graph,
      adapter,
      select: inv.settings.select,
      exclude: inv.settings.exclude,
      threads: inv.settings.threads,
      target: inv.target,
      targetDir: inv.targetDir,
      invocationId: inv.invocationId,
    });
    print(inv.io, formatFreshness(artifact));
    return freshnessSucceeded(artifact) ? EXIT.ok : EXIT.failed;
  });
}

async function commandDryRun(inv: Invocation): Promise<number> {
  const { settings } = inv;
  return withAdapter(inv, async (adapter) => {
    const report = await dryRunGraph({
      graph: inv.graph,
      adapter,
      command: 'build',
      select: settings.select,
      exclude: settings.exclude,
      indirectSelection: settings.indirectSelection,
      fullRefresh: settings.fullRefresh,
      threads: settings.threads,
      target: inv.target,
      vars: settings.vars,
      maxBytes: settings.maxBytes,
    });
    print(inv.io, formatDryRun(report));
    return report.over_budget || report.results.some((r) => !r.ok) ? EXIT.failed : EXIT.ok;
  });
}

function isConfigError(err: unknown): boolean {
  return err instanceof ModelingError || err instanceof ConfigError;
}

/** Runs one dbt command as the command line asks; resolves to the exit code. */
export async function main(argv: string[], env: Record<string, string | undefined>, io: CliStreams = process, clients: Clients = {}): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    io.stderr.write(`${errorMessage(err)}\n\n${usage()}\n`);
    return EXIT.config;
  }
  if (parsed.values.help) {
    io.stdout.write(`${usage()}\n`);
    return EXIT.ok;
  }
  const [command, ...extra] = parsed.positionals;
  if (!command || !(COMMANDS as readonly string[]).includes(command) || extra.length > 0) {
    io.stderr.write(`${command ? `Unknown command '${[command, ...extra].join(' ')}'` : 'No command given'}.\n\n${usage()}\n`);
    return EXIT.config;
  }
  let settings: ModelsSettings;
  try {
    settings = resolveModelsSettings({ env, flags: parsed.values });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n\nRun with --help for every setting.\n`);
      return EXIT.config;
    }
    throw err;
  }
  const logger = createLogger({ level: settings.logLevel, stream: io.stderr });
  const invocationId = randomUUID();
  logger.info('models started', { command, invocationId, settings: redactSettings(settings, modelsSettingSources) });
  const target = targetOf(settings);
  const projectDir = resolve(settings.projectDir);
  try {
    const graph = parseProject({ projectDir, vars: settings.vars, target, env, logger });
    const inv: Invocation = {
      command: command as Command,
      settings,
      graph,
      target,
      targetDir: resolve(settings.targetDir ?? join(projectDir, 'target')),
      invocationId,
      logger,
      io,
      clients,
      env,
    };
    print(io, `Running ${command} on ${graph.project.name} (dbt-compatible, sp01)\n${foundLine(graph)}`);
    switch (inv.command) {
      case 'compile':
        return commandCompile(inv);
      case 'docs':
        return commandDocs(inv);
      case 'source-freshness':
        return await commandFreshness(inv);
      case 'dry-run':
        return await commandDryRun(inv);
      default:
        return await commandRun(inv, inv.command);
    }
  } catch (err) {
    if (isConfigError(err)) {
      io.stderr.write(`${err instanceof ModelingError ? 'Compilation Error' : 'Configuration Error'}: ${errorMessage(err)}\n`);
      return EXIT.config;
    }
    logger.error('models failed', { command, error: errorMessage(err) });
    io.stderr.write(`Runtime Error: ${errorMessage(err)}\n`);
    return EXIT.failed;
  }
}
