/**
 * The little a warehouse needs from a PostgreSQL connection, so one implementation serves
 * both a PostgreSQL server (node-postgres) and embedded PGlite. Results come back with the
 * same JavaScript types from both: int4/int8 as numbers, numeric as strings, date as
 * `YYYY-MM-DD` strings, timestamptz as Dates.
 */
export interface SqlSession {
  query<T extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface SqlTransaction extends SqlSession {
  /**
   * Runs `COPY <target> FROM …` in text format, fed from `lines` (each a complete COPY text
   * line, newline included). Lines are pulled as the database takes them, so a source that
   * yields a million rows never sits in memory at once.
   */
  copyFrom(target: string, lines: AsyncIterable<string> | Iterable<string>): Promise<void>;
}

export interface MigrationTarget {
  migrationsFolder: string;
  /** Where drizzle keeps its journal of applied migrations. */
  migrationsSchema: string;
}

export interface SqlDriver extends SqlSession {
  readonly kind: 'pglite' | 'postgres';
  /** Commits when `work` resolves, rolls back when it throws (and rethrows). */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Applies the drizzle migrations not yet recorded in the journal. */
  migrate(target: MigrationTarget): Promise<void>;
  close(): Promise<void>;
}

/** int8 as number: ids and counts stay far below 2^53, and `count(*)` reads naturally. */
export const parseInt8 = (value: string): number => Number(value);
/** A calendar date is a date, not midnight UTC of some Date object. */
export const parseDate = (value: string): string => value;
