import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSource } from './local-source.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sp01-local-'));
  await writeFile(path.join(dir, 'top_up_20250325.xlsx'), 'first');
  await writeFile(path.join(dir, '儲值紀錄_20250326.XLSX'), 'second');
  await writeFile(path.join(dir, '~$top_up_20250325.xlsx'), 'lock file');
  await writeFile(path.join(dir, '.hidden.xlsx'), 'hidden');
  await writeFile(path.join(dir, 'notes.txt'), 'not a report');
  await mkdir(path.join(dir, '2025-03'));
  await writeFile(path.join(dir, '2025-03', 'op_stats.xlsx'), 'nested');
  await utimes(path.join(dir, 'top_up_20250325.xlsx'), new Date('2025-03-26T01:00:00Z'), new Date('2025-03-26T01:00:00Z'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local folder source', () => {
  it('lists the .xlsx exports with size, modified time and SHA-256, skipping lock and hidden files', async () => {
    const files = await createLocalSource({ dir }).list();
    expect(files.map((f) => f.id)).toEqual(['top_up_20250325.xlsx', '儲值紀錄_20250326.XLSX']);
    const first = files[0];
    if (!first) throw new Error('no file listed');
    expect(first).toMatchObject({
      name: 'top_up_20250325.xlsx',
      size: 5,
      modifiedAt: new Date('2025-03-26T01:00:00Z'),
      // sha256("first")
      checksum: 'sha256:a7937b64b8caa58f03721bb6bacf5c78cb235febe0e70b1b84cd99541461a08e',
    });
    expect(first.uri).toMatch(/^file:\/\/.*top_up_20250325\.xlsx$/);
    expect(await text(await first.open())).toBe('first');
  });

  it('recurses into sub-folders when asked, with posix relative ids', async () => {
    const files = await createLocalSource({ dir, recursive: true }).list();
    expect(files.map((f) => f.id)).toContain('2025-03/op_stats.xlsx');
  });

  it('names the folder when it does not exist', async () => {
    await expect(createLocalSource({ dir: path.join(dir, 'missing') }).list()).rejects.toThrow(/missing does not exist/);
  });
});
