import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@sp01/core';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, prepareMigrations, rawSchemaName, retargetMigrationSql } from './migrations.js';

describe('rawSchemaName', () => {
  it.each([
    { prefix: undefined, schema: 'raw' },
    { prefix: '', schema: 'raw' },
    { prefix: 'staging_', schema: 'staging_raw' },
    { prefix: 't_ab12_', schema: 't_ab12_raw' },
    { prefix: '_x', schema: '_xraw' },
  ])('prefix $prefix gives $schema', ({ prefix, schema }) => {
    expect(rawSchemaName(prefix)).toBe(schema);
  });

  it.each(['Staging_', '1abc', 'a-b', 'a"b', 'a b', 'x'.repeat(61)])('refuses the prefix %j', (prefix) => {
    expect(() => rawSchemaName(prefix)).toThrow(ConfigError);
  });
});

describe('migrations', () => {
  it('are found beside src/ (and dist/), with their journal', async () => {
    const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
      entries: { tag: string }[];
    };
    expect(journal.entries.length).toBeGreaterThan(0);
    for (const { tag } of journal.entries) expect((await stat(join(MIGRATIONS_FOLDER, `${tag}.sql`))).isFile()).toBe(true);
  });

  it('name the schema only as "raw", so retargeting them misses nothing', async () => {
    for (const file of (await readdir(MIGRATIONS_FOLDER)).filter((f) => f.endsWith('.sql'))) {
      const sql = await readFile(join(MIGRATIONS_FOLDER, file), 'utf8');
      expect(sql, file).toContain('"raw".');
      const retargeted = retargetMigrationSql(sql, 't_1_raw');
      expect(retargeted, file).not.toMatch(/\braw\./i);
      expect(retargeted, file).not.toMatch(/"raw"/);
      expect(retargeted.replaceAll('"t_1_raw"', '"raw"'), file).toBe(sql);
    }
  });

  it('are the shipped folder itself for the raw schema', async () => {
    const prepared = await prepareMigrations('raw');
    expect(prepared.folder).toBe(MIGRATIONS_FOLDER);
    await prepared.dispose();
    expect((await stat(MIGRATIONS_FOLDER)).isDirectory()).toBe(true);
  });

  it('are a retargeted copy, with the same journal, for a prefixed schema; the copy is removed after', async () => {
    const prepared = await prepareMigrations('t_9_raw');
    try {
      expect(await readFile(join(prepared.folder, 'meta', '_journal.json'), 'utf8')).toBe(
        await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
      );
      const sqlFiles = (await readdir(MIGRATIONS_FOLDER)).filter((f) => f.endsWith('.sql'));
      expect((await readdir(prepared.folder)).filter((f) => f.endsWith('.sql'))).toEqual(sqlFiles);
      for (const file of sqlFiles) {
        expect(await readFile(join(prepared.folder, file), 'utf8')).toBe(
          retargetMigrationSql(await readFile(join(MIGRATIONS_FOLDER, file), 'utf8'), 't_9_raw'),
        );
      }
    } finally {
      await prepared.dispose();
    }
    await expect(stat(prepared.folder)).rejects.toThrow(/ENOENT/);
  });
});
