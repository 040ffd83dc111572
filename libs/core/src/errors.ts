/** Where in a source workbook something went wrong; every field that is known is named. */
export interface SourceLocation {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
  value?: unknown;
}

/** Base of every error SP01 raises on purpose; `code` is stable for machines, `message` for people. */
export class Sp01Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration that does not validate: the message names each offending variable or flag. */
export class ConfigError extends Sp01Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super('config', message);
  }
}

/** A source file that cannot be read as a report at all (not a workbook, no header, too big). */
export class SourceFileError extends Sp01Error {
  constructor(
    code: string,
    readonly location: SourceLocation,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${describeLocation(location)}: ${detail}`, options);
  }
}

export function describeLocation(loc: SourceLocation): string {
  const parts = [`file ${loc.file}`];
  if (loc.sheet !== undefined) parts.push(`sheet "${loc.sheet}"`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  if (loc.value !== undefined) parts.push(`value ${JSON.stringify(loc.value)}`);
  return parts.join(', ');
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
