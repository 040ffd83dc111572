import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@sp01/core';

/** The schema drizzle-kit writes into every migration (see src/schema.ts). */
export const BASE_SCHEMA = 'raw';

/**
 * The migrations drizzle-kit generated, shipped beside src/ and dist/ alike (both sit one
 * level below the package root), so tests and the built package read the same files.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

const PREFIX = /^[a-z_][a-z0-9_]*$/;
const MAX_IDENTIFIER_BYTES = 63;

/** `raw`, or `<prefix>raw`; a prefix is lower-case letters, digits and underscores only. */
export function rawSchemaName(schemaPrefix = ''): string {
  if (schemaPrefix !== '' && !PREFIX.test(schemaPrefix)) {
    throw new ConfigError(
      `schema prefix ${JSON.stringify(schemaPrefix)} is not allowed: use lower-case letters, digits and underscores, not starting with a digit`,
    );
  }
  const name = `${schemaPrefix}${BASE_SCHEMA}`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new ConfigError(`schema prefix ${JSON.stringify(schemaPrefix)} is too long: PostgreSQL names stop at 63 bytes`);
  }
  return name;
}

/** Every migration names its schema as the quoted identifier `"raw"`, nothing else does. */
const QUOTED_BASE_SCHEMA = /"raw"/g;

export function retargetMigrationSql(sql: string, schema: string): string {
  return sql.replace(QUOTED_BASE_SCHEMA, `"${schema}"`);
}

export interface PreparedMigrations {
  folder: string;
  dispose(): Promise<void>;
}

/**
 * The migrations for `schema`. For `raw` they are the shipped folder itself; for a prefixed
 * schema, a temporary copy of it with the schema name substituted. The journal (and so the
 * migrations' timestamps) is copied unchanged, and drizzle records what it applied in
 * `<schema>.__drizzle_migrations`, so each prefixed schema is migrated and tracked on its
 * own, by drizzle's own migrator, from the very same SQL.
 */
export async function prepareMigrations(schema: string, source = MIGRATIONS_FOLDER): Promise<PreparedMigrations> {
  if (schema === BASE_SCHEMA) return { folder: source, dispose: async () => undefined };
  const folder = await mkdtemp(join(tmpdir(), `sp01-migrations-${schema}-`));
  try {
    await mkdir(join(folder, 'meta'));
    await writeFile(join(folder, 'meta', '_journal.json'), await readFile(join(source, 'meta', '_journal.json')));
    for (const entry of await readdir(source)) {
      if (!entry.endsWith('.sql')) continue;
      const sql = await readFile(join(source, entry), 'utf8');
      await writeFile(join(folder, entry), retargetMigrationSql(sql, schema));
    }
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
  return { folder, dispose: () => rm(folder, { recursive: true, force: true }) };
}
