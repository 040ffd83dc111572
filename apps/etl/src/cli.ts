import { parseArgs } from 'node:util';
import { createRunContext, createLogger, createProgress, errorMessage, ConfigError, redactSettings, settingLabel } from '@sp01/core';
import { createArchive, createSource, createWarehouse, type Clients } from './composition.js';
import { etlSettingSources, resolveEtlSettings, type EtlSettings } from './settings.js';
import { runEtl, runSucceeded } from './run-etl.js';
import { formatSummary } from './summary.js';
import { DOMAIN_TRANSFORMS } from './transforms.js';

const MB = 1024 * 1024;

function usage(): string {
  const rows = Object.values(etlSettingSources).map((s) => `  ${settingLabel(s).padEnd(44)} ${s.description}`);
  return ['Usage: nx run etl:run -- [flags]', '', 'Flags and environment variables:', ...rows, '  --help'.padEnd(46) + ' Show this help'].join('\n');
}

function parseFlags(argv: string[]) {
  const options = Object.fromEntries(
    Object.values(etlSettingSources)
      .filter((s) => s.flag)
      .map((s) => [s.flag as string, { type: ['recursive', 'force', 'json'].includes(s.flag as string) ? 'boolean' : 'string' } as const]),
  );
  return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
}

export interface CliStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Runs the ETL as the command line asks; resolves to the process exit code (0 ok, 1 a file failed, 2 bad usage). */
export async function main(argv: string[], env: NodeJS.ProcessEnv, io: CliStreams = process, clients: Clients = {}): Promise<number> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    io.stderr.write(`${errorMessage(err)}\n\n${usage()}\n`);
    return 2;
  }
  if (flags.help) {
    io.stdout.write(`${usage()}\n`);
    return 0;
  }
  let settings: EtlSettings;
  try {
    settings = resolveEtlSettings({ env, flags });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n\nRun with --help for every setting.\n`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({ level: settings.logLevel, stream: io.stderr });
  const context = createRunContext();
  logger.info('run started', { runId: context.runId, settings: redactSettings(settings, etlSettingSources) });
  const warehouse = await createWarehouse(settings, logger, clients);
  try {
    const summary = await runEtl({
      source: await createSource(settings, logger, clients),
      archive: await createArchive(settings, logger, clients),
      warehouse,
      transforms: DOMAIN_TRANSFORMS,
      domains: settings.domains,
      force: settings.force,
      context,
      logger,
      progress: createProgress(io.stderr),
      readerLimits: {
        maxFileBytes: settings.maxFileMb * MB,
        maxSheetBytes: settings.maxSheetMb * MB,
        maxSharedStringsBytes: settings.maxSharedStringsMb * MB,
      },
    });
    io.stdout.write(settings.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
    return runSucceeded(summary) ? 0 : 1;
  } catch (err) {
    logger.error('run failed', { runId: context.runId, error: errorMessage(err) });
    return 1;
  } finally {
    await warehouse.close();
  }
}


