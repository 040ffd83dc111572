import { bigqueryDialect } from './bigquery-dialect.js';
import type { Dialect } from './dialect.js';
import { ModelingError } from './errors.js';
import { postgresDialect } from './postgres-dialect.js';

const DIALECTS: Record<string, Dialect> = {
  postgres: postgresDialect,
  pglite: postgresDialect,
  bigquery: bigqueryDialect,
};

/** The dialect for a target type (`postgres`, `pglite`, `bigquery`). */
export function dialectFor(type: string, options: { fallback?: boolean } = {}): Dialect {
  const dialect = DIALECTS[type.toLowerCase()];
  if (dialect) return dialect;
  // While parsing, the dialect only decides how captured SQL looks; any will do.
  if (options.fallback) return postgresDialect;
  throw new ModelingError('invalid_config', `no SQL dialect for target type '${type}' (known: ${Object.keys(DIALECTS).join(', ')})`);
}
