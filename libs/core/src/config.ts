import { z } from 'zod';
import { ConfigError } from './errors.js';

/** How one setting reaches the program: a command-line flag, an environment variable, or both. */
export interface SettingSource {
  /** Long flag name without dashes, e.g. `source-dir`. */
  flag?: string;
  env?: string;
  description: string;
  /** Secrets are masked by {@link redactSettings} and never printed. */
  secret?: boolean;
}

export type SettingSources<T> = { [K in keyof T]-?: SettingSource };

export interface SettingInputs {
  env: Record<string, string | undefined>;
  flags: Record<string, string | boolean | string[] | undefined>;
}

/**
 * A yes/no setting: `true` from a bare command-line flag, or `true|false|1|0|yes|no` from an
 * environment variable.
 */
export const booleanSetting = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

export function settingLabel(source: SettingSource): string {
  return [source.flag && `--${source.flag}`, source.env].filter(Boolean).join(' / ');
}

/**
 * Gathers each setting from its flag (which wins) or its environment variable, then
 * validates the lot with zod. Every problem is reported at once, each naming the flag and
 * variable a user would set to fix it.
 */
export function resolveSettings<S extends z.ZodType<object>>(
  schema: S,
  sources: SettingSources<z.input<S>>,
  inputs: SettingInputs,
): z.output<S> {
  const raw: Record<string, unknown> = {};
  for (const [key, source] of Object.entries(sources) as [string, SettingSource][]) {
    const fromFlag = source.flag === undefined ? undefined : inputs.flags[source.flag];
    const fromEnv = source.env === undefined ? undefined : inputs.env[source.env];
    const value = fromFlag ?? (fromEnv === '' ? undefined : fromEnv);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const source = (sources as Record<string, SettingSource | undefined>)[key];
    const label = source ? settingLabel(source) : key || 'configuration';
    const shown = source?.secret ? '' : formatReceived(raw[key]);
    return `${label}: ${issue.message}${shown}`;
  });
  return fail(problems);
}

function fail(problems: string[]): never {
  throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`, problems);
}

function formatReceived(value: unknown): string {
  return value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
}

/** A copy of the settings that is safe to log: secrets masked, passwords cut out of URLs. */
export function redactSettings<T extends object>(settings: T, sources: SettingSources<T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const source = (sources as Record<string, SettingSource | undefined>)[key];
    out[key] = source?.secret && value !== undefined ? '[redacted]' : redactValue(value);
  }
  return out;
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s]*:)([^@/\s]+)@/gi;

/** Masks the password of any URL inside a string (`postgres://u:secret@h` → `postgres://u:***@h`). */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return value.replace(URL_CREDENTIALS, '$1***@') as T;
  return value;
}
