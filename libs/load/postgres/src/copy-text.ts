/**
 * PostgreSQL's COPY text format: one line per row, columns separated by tabs, `\N` for
 * NULL, and backslash escapes for the characters that would otherwise end a field or a
 * line. Binary COPY would skip the escaping but ties every value to its wire type; text
 * lets PostgreSQL parse each value by its column type, exactly as an INSERT would.
 */

const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export const COPY_NULL = '\\N';

/** One value as a COPY text field: Dates as ISO UTC, finite numbers via String, NULL as `\N`. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return COPY_NULL;
  if (typeof value === 'string') return value.replace(SPECIAL, (ch) => ESCAPES[ch] ?? ch);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') {
    // numeric columns would take 'NaN' without complaint; a transform never means it.
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} to a warehouse column`);
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new TypeError(`cannot write a value of type ${typeof value} to a warehouse column`);
}

/** One row as a COPY text line, newline included. */
export function copyLine(values: readonly unknown[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}
