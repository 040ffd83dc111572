import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { booleanSetting, redactSettings, redactValue, resolveSettings, type SettingSources } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';

const schema = z.object({
  sourceDir: z.string({ error: 'is required' }).min(1),
  warehouse: z.enum(['pglite', 'postgres']).default('pglite'),
  databaseUrl: z.url().optional(),
  batchSize: z.coerce.number().int().positive().default(1000),
});
const sources: SettingSources<z.input<typeof schema>> = {
  sourceDir: { flag: 'source-dir', env: 'SP01_SOURCE_DIR', description: 'folder' },
  warehouse: { flag: 'warehouse', env: 'SP01_WAREHOUSE', description: 'warehouse' },
  databaseUrl: { flag: 'database-url', env: 'DATABASE_URL', description: 'url', secret: true },
  batchSize: { env: 'SP01_BATCH_SIZE', description: 'rows' },
};

describe('resolveSettings', () => {
  it('takes flags over environment variables and applies defaults', () => {
    const settings = resolveSettings(schema, sources, {
      env: { SP01_SOURCE_DIR: '/env', SP01_BATCH_SIZE: '50' },
      flags: { 'source-dir': '/flag' },
    });
    expect(settings).toEqual({ sourceDir: '/flag', warehouse: 'pglite', batchSize: 50 });
  });

  it('names the flag and the variable of every invalid setting, without echoing secrets', () => {
    let error: unknown;
    try {
      resolveSettings(schema, sources, {
        env: { SP01_WAREHOUSE: 'oracle', DATABASE_URL: 'not a url secret' },
        flags: {},
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^--source-dir \/ SP01_SOURCE_DIR: is required/);
    expect(problems[1]).toMatch(/^--warehouse \/ SP01_WAREHOUSE: .*"oracle"/);
    expect(problems[2]).toMatch(/^--database-url \/ DATABASE_URL: /);
    expect((error as Error).message).not.toContain('secret');
  });

  it('treats an empty environment variable as unset', () => {
    expect(() => resolveSettings(schema, sources, { env: { SP01_SOURCE_DIR: '' }, flags: {} })).toThrow(/SP01_SOURCE_DIR/);
  });
});

describe('secrets', () => {
  it('masks URL passwords and secret settings', () => {
    expect(redactValue('postgres://sp01:hunter2@db:5432/x')).toBe('postgres://sp01:***@db:5432/x');
    expect(redactSettings({ databaseUrl: 'postgres://a:b@c/d', sourceDir: '/x' }, sources as never)).toEqual({
      databaseUrl: '[redacted]',
      sourceDir: '/x',
    });
  });

  it('never lets a secret reach a log line', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'json', stream: { write: (s: string) => lines.push(s) } as never });
    log.info('connecting', { url: 'postgres://u:topsecret@h/db', password: 'topsecret', apiKey: 'k' });
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(lines[0]).not.toContain('topsecret');
    expect(entry).toMatchObject({ level: 'info', msg: 'connecting', url: 'postgres://u:***@h/db', password: '[redacted]' });
  });
});

describe('booleanSetting', () => {
  it.each([
    [true, true],
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ] as const)('reads %j as %s', (input, expected) => {
    expect(booleanSetting.parse(input)).toBe(expected);
  });

  it('refuses anything else', () => {
    expect(booleanSetting.safeParse('maybe').success).toBe(false);
  });
});
