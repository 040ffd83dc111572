import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceFile } from '@sp01/contracts';
import { Sp01Error } from '@sp01/core';
import { startFakeStorage, type FakeStorage, type StorageFailure } from '@sp01/google-fakes';
import { bigWorkbookBytes, workbookBytes } from '@sp01/report-fixtures';
import { createGcsSource, folderPrefix, type GcsSourceOptions } from './gcs-source.js';

async function readAll(stream: Readable): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

describe('folderPrefix', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['exports', 'exports/'],
    ['exports/', 'exports/'],
    ['/exports/back-office', 'exports/back-office/'],
  ])('%j → %j', (prefix, expected) => {
    expect(folderPrefix(prefix)).toBe(expected);
  });
});

describe('Cloud Storage source against the fake JSON API', () => {
  let gcs: FakeStorage;
  let retries: number;
  beforeEach(async () => {
    gcs = await startFakeStorage();
    gcs.createBucket('sp01-exports');
    retries = 0;
  });
  afterEach(async () => {
    await gcs.close();
  });

  const source = (extra: Partial<GcsSourceOptions> = {}) =>
    createGcsSource({
      bucket: 'sp01-exports',
      prefix: 'exports',
      apiEndpoint: gcs.apiEndpoint,
      projectId: 'sp01-test',
      retry: { baseDelayMs: 1, maxDelayMs: 2, onRetry: () => retries++ },
      ...extra,
    });

  const expectUnavailable = async (promise: Promise<unknown>, ...fragments: string[]) => {
    const err = await rejectionOf(promise);
    expect(err).toBeInstanceOf(Sp01Error);
    expect((err as Sp01Error).code).toBe('source_unavailable');
    for (const f of fragments) expect(err.message).toContain(f);
  };

  it('lists the workbooks under the prefix across every page, with object metadata', async () => {
    const bytes = new Map<string, Buffer>();
    for (let i = 1; i <= 5; i++) {
      const content = await workbookBytes([['user_id', 'amount'], [`U${i}`, i]]);
      bytes.set(`top_up_0${i}.xlsx`, content);
      gcs.putObject('sp01-exports', `exports/top_up_0${i}.xlsx`, content, { contentType: 'application/octet-stream', updated: `2025-03-0${i}T01:00:00Z` });
    }
    gcs.putObject('sp01-exports', 'exports/notes.csv', 'a,b');
    gcs.putObject('sp01-exports', 'exports/~$top_up_01.xlsx', 'lock');
    gcs.putObject('sp01-exports', 'exports/2025-02/old.xlsx', 'older');
    gcs.putObject('sp01-exports', 'elsewhere/other.xlsx', 'not under the prefix');

    const files = await source({ pageSize: 2 }).list();

    expect(files.map((f) => f.id)).toEqual([...bytes.keys()]);
    const stored = gcs.getObject('sp01-exports', 'exports/top_up_01.xlsx');
    const content = bytes.get('top_up_01.xlsx') as Buffer;
    expect(files[0]).toMatchObject({
      id: 'top_up_01.xlsx',
      name: 'top_up_01.xlsx',
      uri: `gs://sp01-exports/exports/top_up_01.xlsx#${stored?.generation}`,
      size: content.length,
      checksum: `md5:${md5(content)}`,
      modifiedAt: new Date('2025-03-01T01:00:00Z'),
    });
    // 5 workbooks, notes.csv, the 2025-02/ prefix and the lock file: 8 entries, 4 pages.
    const lists = gcs.requestsTo('objects.list');
    expect(lists).toHaveLength(4);
    for (const r of lists) expect(r.query).toMatchObject({ prefix: 'exports/', delimiter: '/', maxResults: '2' });
  });

  it('takes sub-folders when recursive, with relative paths as ids', async () => {
    for (const name of ['exports/a.xlsx', 'exports/2025-03/b.xlsx', 'exports/2025-03/w1/c.xlsx', 'other/d.xlsx']) gcs.putObject('sp01-exports', name, name);
    expect((await source({ recursive: true }).list()).map((f) => f.id)).toEqual(['2025-03/b.xlsx', '2025-03/w1/c.xlsx', 'a.xlsx']);
    expect((await source({ prefix: '' }).list()).map((f) => f.id)).toEqual([]);
    expect((await source({ prefix: '', recursive: true }).list()).map((f) => f.id)).toEqual(['exports/2025-03/b.xlsx', 'exports/2025-03/w1/c.xlsx', 'exports/a.xlsx', 'other/d.xlsx']);
  });

  it('streams a download with its integrity checked, and gives back exactly the stored bytes', async () => {
    const content = await bigWorkbookBytes(3000);
    gcs.putObject('sp01-exports', 'exports/big.xlsx', content);
    const [file] = await source().list();
    const stream = await (file as SourceFile).open();
    expect(stream).toBeInstanceOf(Readable);
    const { bytes, chunks } = await readAll(stream);
    expect(md5(bytes)).toBe(md5(content));
    expect(bytes.length).toBe(content.length);
    expect(chunks).toBeGreaterThan(1);
    const [download] = gcs.requestsTo('objects.download');
    expect(download?.query).toMatchObject({ alt: 'media', generation: gcs.getObject('sp01-exports', 'exports/big.xlsx')?.generation });
  });

  it('fails the read when the bytes do not match the stored hashes', async () => {
    gcs.putObject('sp01-exports', 'exports/a.xlsx', await workbookBytes([['a'], [1]]));
    gcs.corruptObject('sp01-exports', 'exports/a.xlsx', await workbookBytes([['a'], [2]]));
    const [file] = await source().list();
    const err = await rejectionOf(readAll(await (file as SourceFile).open()));
    expect(err.message).toMatch(/did not match/);
  });

  it('reads the generation it listed: an object replaced since is an error naming it, not other bytes', async () => {
    gcs.putObject('sp01-exports', 'exports/a.xlsx', 'first');
    const [file] = await source().list();
    gcs.putObject('sp01-exports', 'exports/a.xlsx', 'second');
    await expectUnavailable((file as SourceFile).open(), `gs://sp01-exports/exports/a.xlsx#`, '404');
    expect(gcs.requestsTo('objects.download')).toHaveLength(1);
  });

  describe('retries', () => {
    it.each<[string, StorageFailure]>([
      ['429', { status: 429 }],
      ['403 rateLimitExceeded', { status: 403, reason: 'rateLimitExceeded' }],
      ['500', { status: 500 }],
      ['503', { status: 503 }],
    ])('retries a listing page answered %s, then carries on', async (_what, failure) => {
      for (let i = 0; i < 3; i++) gcs.putObject('sp01-exports', `exports/f${i}.xlsx`, `${i}`);
      gcs.failNext(2, { ...failure, route: 'objects.list' });
      expect(await source({ pageSize: 2 }).list()).toHaveLength(3);
      expect(gcs.requestsTo('objects.list').map((r) => r.status)).toEqual([failure.status, failure.status, 200, 200]);
      expect(retries).toBe(2);
    });

    it.each<[string, StorageFailure]>([
      ['503', { status: 503 }],
      ['403 rateLimitExceeded', { status: 403, reason: 'rateLimitExceeded' }],
    ])('retries a download answered %s', async (_what, failure) => {
      gcs.putObject('sp01-exports', 'exports/a.xlsx', 'payload');
      const [file] = await source().list();
      gcs.failNext(2, { ...failure, route: 'objects.download' });
      expect((await readAll(await (file as SourceFile).open())).bytes.toString()).toBe('payload');
      expect(gcs.requestsTo('objects.download').map((r) => r.status)).toEqual([failure.status, failure.status, 200]);
    });

    it('gives up after the configured attempts with an error naming the bucket', async () => {
      gcs.failNext(10, { status: 503 });
      await expectUnavailable(source({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }).list(), 'Cloud Storage bucket sp01-exports (prefix exports/)', 'after 3 attempts', '503 backendError');
      expect(gcs.requestsTo('objects.list')).toHaveLength(3);
    });

    it('retries a refused connection, then reports it naming the bucket', async () => {
      const closed = await startFakeStorage();
      await closed.close();
      const src = source({ apiEndpoint: closed.apiEndpoint, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, onRetry: () => retries++ } });
      await expectUnavailable(src.list(), 'Cloud Storage bucket sp01-exports', 'after 3 attempts', 'ECONNREFUSED');
      expect(retries).toBe(2);
    });

    it.each<[string, StorageFailure, string]>([
      ['401', { status: 401 }, 'refused the credentials'],
      ['403 forbidden', { status: 403 }, 'roles/storage.objectViewer'],
      ['404', { status: 404 }, 'was not found'],
    ])('stops at once on %s, naming the bucket', async (_what, failure, hint) => {
      gcs.failNext(1, failure);
      await expectUnavailable(source().list(), 'Cloud Storage bucket sp01-exports', hint);
      expect(gcs.requests).toHaveLength(1);
      expect(retries).toBe(0);
    });

    it('stops at once when a download is forbidden', async () => {
      gcs.putObject('sp01-exports', 'exports/a.xlsx', 'payload');
      const [file] = await source().list();
      gcs.failNext(5, { status: 403, route: 'objects.download' });
      await expectUnavailable((file as SourceFile).open(), 'gs://sp01-exports/exports/a.xlsx', '403 forbidden', 'storage.objects.get');
      expect(gcs.requestsTo('objects.download')).toHaveLength(1);
    });
  });

  it('names a bucket that does not exist', async () => {
    await expectUnavailable(source({ bucket: 'no-such-bucket' }).list(), 'Cloud Storage bucket no-such-bucket', 'was not found', 'The specified bucket does not exist.');
  });

  it('describes itself with the bucket and prefix', () => {
    expect(source().description).toBe('Cloud Storage gs://sp01-exports/exports/');
    expect(source({ recursive: true, prefix: '' }).description).toBe('Cloud Storage gs://sp01-exports/ (with sub-folders)');
  });
});
