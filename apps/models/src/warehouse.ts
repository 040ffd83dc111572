import type { Logger } from '@sp01/core';
import type { BigQueryAdapterOptions } from '@sp01/modeling-adapter-bigquery';
import { createBigQueryAdapter, placedDialect } from '@sp01/modeling-adapter-bigquery';
import { createPgliteAdapter, createPostgresAdapter } from '@sp01/modeling-adapter-postgres';
import type { Dialect, Target } from '@sp01/modeling-compiler';
import { postgresDialect } from '@sp01/modeling-compiler';
import type { WarehouseAdapter } from '@sp01/modeling-executor';
import type { ModelsSettings } from './settings.js';

/** Clients a caller (a test) may hand in instead of the ones built from settings. */
export interface Clients {
  bigquery?: BigQueryAdapterOptions['bigquery'];
}

/** dbt's `target` for these settings: templates see target.name, target.type and target.schema. */
export function targetOf(settings: ModelsSettings): Target {
  return {
    name: settings.target,
    type: settings.warehouse === 'bigquery' ? 'bigquery' : 'postgres',
    schema: settings.schema,
    database: null,
    threads: settings.threads,
    profile_name: 'sp01',
  };
}

/** The dialect, for commands that render SQL without touching the warehouse (`compile`). */
export function dialectOf(settings: ModelsSettings): Dialect {
  if (settings.warehouse !== 'bigquery') return postgresDialect;
  return placedDialect({ projectId: settings.bigqueryProject as string, datasetPrefix: settings.bigqueryDatasetPrefix ?? '' });
}

export function createAdapter(settings: ModelsSettings, logger: Logger, invocationId: string, clients: Clients = {}): WarehouseAdapter {
  switch (settings.warehouse) {
    case 'pglite':
      return createPgliteAdapter({ dataDir: settings.pgliteDir });
    case 'postgres':
      return createPostgresAdapter({ url: settings.databaseUrl as string, poolSize: settings.threads + 1, logger });
    case 'bigquery':
      return createBigQueryAdapter({
        projectId: settings.bigqueryProject as string,
        location: settings.bigqueryLocation,
        datasetPrefix: settings.bigqueryDatasetPrefix,
        maximumBytesBilled: settings.maxBytesBilled,
        apiEndpoint: settings.bigqueryApiEndpoint,
        bigquery: clients.bigquery,
        logger,
        invocationId,
      });
  }
}
