import { redactValue } from './config.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** `json`: one JSON object per line (for machines, when stderr is not a TTY); `pretty`: for people. */
  format?: 'json' | 'pretty';
  level?: LogLevel;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  fields?: LogFields;
  clock?: () => Date;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|credential|private_?key|api_?key|authorization/i;

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const format = options.format ?? (stream.isTTY ? 'pretty' : 'json');
  const threshold = LEVELS[options.level ?? 'info'];
  const clock = options.clock ?? (() => new Date());

  const make = (base: LogFields): Logger => {
    const write = (level: LogLevel, message: string, fields?: LogFields) => {
      if (LEVELS[level] < threshold) return;
      const all = sanitize({ ...base, ...fields });
      const time = clock().toISOString();
      if (format === 'json') {
        stream.write(`${JSON.stringify({ time, level, msg: message, ...all })}\n`);
      } else {
        const extras = Object.entries(all)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        stream.write(`${time.slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${message}${extras ? `  ${extras}` : ''}\n`);
      }
    };
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/** Secrets never reach a log line, whoever forgot to redact them upstream. */
function sanitize(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) out[key] = redactValue(value.message);
    else if (SECRET_KEY.test(key) && value !== undefined) out[key] = '[redacted]';
    else out[key] = redactValue(value);
  }
  return out;
}

/** A logger that drops everything; for tests and library callers that do not care. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
