export { createPgliteAdapter, createPostgresAdapter } from './postgres-adapter.js';
export type { PgliteAdapterOptions, PostgresAdapterOptions, PostgresWarehouseAdapter } from './postgres-adapter.js';
export * as postgresSql from './postgres-sql.js';
