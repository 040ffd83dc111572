import { silentLogger, type Logger } from '@sp01/core';
import { rawSchemaName } from './migrations.js';
import { createPgliteDriver } from './pglite-driver.js';
import { createPostgresDriver } from './postgres-driver.js';
import { createSqlWarehouse, type SqlWarehouse } from './sql-warehouse.js';

export type { SqlWarehouse } from './sql-warehouse.js';
export { rawSchema, rawTables, topUp, preDeduction, postDeduction, opStats, rejectedRows, fileLedger } from './schema.js';

export interface PostgresWarehouseOptions {
  /** `postgres://user:pass@host:port/db`. */
  url: string;
  /** Tables go to `<prefix>raw` instead of `raw`, e.g. one schema per test or per tenant. */
  schemaPrefix?: string;
  logger?: Logger;
}

export interface PgliteWarehouseOptions {
  /** Folder of the embedded database; undefined keeps it in memory for the process's life. */
  dataDir?: string;
  schemaPrefix?: string;
  logger?: Logger;
}

/** A warehouse on a PostgreSQL server: loads stream through COPY FROM STDIN. */
export function createPostgresWarehouse(options: PostgresWarehouseOptions): SqlWarehouse {
  const schema = rawSchemaName(options.schemaPrefix);
  const logger = (options.logger ?? silentLogger).child({ warehouse: 'postgres', schema });
  return createSqlWarehouse(createPostgresDriver(options.url, logger), schema, logger);
}

/** A warehouse in embedded PGlite (PostgreSQL in WebAssembly): no server needed. */
export function createPgliteWarehouse(options: PgliteWarehouseOptions = {}): SqlWarehouse {
  const schema = rawSchemaName(options.schemaPrefix);
  const logger = (options.logger ?? silentLogger).child({ warehouse: 'pglite', schema });
  return createSqlWarehouse(createPgliteDriver(options.dataDir), schema, logger);
}
