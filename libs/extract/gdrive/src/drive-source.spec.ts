import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { auth as googleAuth } from 'googleapis/build/src/apis/drive/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceFile } from '@sp01/contracts';
import { Sp01Error } from '@sp01/core';
import { startFakeDrive, XLSX_MIME, type DriveFailure, type FakeDrive } from '@sp01/google-fakes';
import { bigWorkbookBytes, workbookBytes } from '@sp01/report-fixtures';
import { createDriveSource, type DriveSourceOptions } from './drive-source.js';

const TOKEN = 'test-access-token';

/** Static credentials: googleapis sends the bearer token and never calls a token endpoint. */
function staticAuth(token = TOKEN) {
  const client = new googleAuth.OAuth2();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}

async function readAll(stream: Readable): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('Drive source against the fake Drive', () => {
  let drive: FakeDrive;
  let retries: number;
  beforeEach(async () => {
    drive = await startFakeDrive({ accessToken: TOKEN });
    retries = 0;
  });
  afterEach(async () => {
    await drive.close();
  });

  const source = (folderId: string, extra: Partial<DriveSourceOptions> = {}) =>
    createDriveSource({
      folderId,
      auth: staticAuth(),
      rootUrl: drive.rootUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 2, onRetry: () => retries++ },
      ...extra,
    });

  const expectUnavailable = async (promise: Promise<unknown>, ...fragments: string[]) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Sp01Error);
    expect((err as Sp01Error).code).toBe('source_unavailable');
    for (const f of fragments) expect((err as Error).message).toContain(f);
  };

  it('lists the workbooks of a folder across every page, with Drive metadata', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    const bytes = new Map<string, Buffer>();
    for (let i = 1; i <= 5; i++) {
      const name = `top_up 2025-03-0${i}.xlsx`;
      const content = await workbookBytes([['user_id', 'amount'], [`U${i}`, i * 100]]);
      bytes.set(name, content);
      drive.addFile({ name, parentId: folder.id, content, modifiedTime: `2025-03-0${i}T01:00:00Z` });
    }
    drive.addFile({ name: 'notes.txt', parentId: folder.id, content: 'not a workbook', mimeType: 'text/plain' });
    drive.addFile({ name: '~$top_up 2025-03-01.xlsx', parentId: folder.id, content: 'lock file' });
    drive.addFile({ name: 'deleted.xlsx', parentId: folder.id, content: 'x', trashed: true });
    drive.addFile({ name: 'octet.XLSX', parentId: folder.id, content: 'uploaded without a type', mimeType: 'application/octet-stream' });
    drive.addFolder({ name: 'older', parentId: folder.id });

    const files = await source(folder.id, { pageSize: 2 }).list();

    expect(files.map((f) => f.id)).toEqual([...bytes.keys(), 'octet.XLSX'].sort());
    const first = files.find((f) => f.id === 'top_up 2025-03-01.xlsx') as SourceFile;
    const content = bytes.get(first.id) as Buffer;
    const item = [...drive.items.values()].find((i) => i.name === first.id);
    expect(first).toMatchObject({
      name: 'top_up 2025-03-01.xlsx',
      uri: `gdrive://${item?.id}`,
      size: content.length,
      checksum: `md5:${md5(content)}`,
      modifiedAt: new Date('2025-03-01T01:00:00Z'),
    });

    const lists = drive.requestsTo('files.list');
    expect(lists).toHaveLength(5);
    expect(lists.filter((r) => r.query['pageToken'] !== undefined)).toHaveLength(4);
    for (const r of lists) {
      expect(r.query).toMatchObject({
        q: `'${folder.id}' in parents and trashed = false`,
        pageSize: '2',
        supportsAllDrives: 'true',
        includeItemsFromAllDrives: 'true',
      });
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    }
    expect(drive.requestsTo('files.get')).toMatchObject([{ fileId: folder.id, status: 200 }]);
    expect(drive.requestsTo('files.download')).toHaveLength(0);
  });

  it('walks sub-folders when recursive, with relative paths as ids', async () => {
    const root = drive.addFolder({ name: 'exports' });
    const march = drive.addFolder({ name: '2025-03', parentId: root.id });
    const week = drive.addFolder({ name: 'week 1', parentId: march.id });
    const xlsx = await workbookBytes([['a'], [1]]);
    drive.addFile({ name: 'top.xlsx', parentId: root.id, content: xlsx });
    drive.addFile({ name: 'op_stats.xlsx', parentId: march.id, content: xlsx });
    drive.addFile({ name: 'top_up.xlsx', parentId: week.id, content: xlsx });

    expect((await source(root.id).list()).map((f) => f.id)).toEqual(['top.xlsx']);
    const all = await source(root.id, { recursive: true }).list();
    expect(all.map((f) => f.id)).toEqual(['2025-03/op_stats.xlsx', '2025-03/week 1/top_up.xlsx', 'top.xlsx']);
    expect(all.map((f) => f.name)).toEqual(['op_stats.xlsx', 'top_up.xlsx', 'top.xlsx']);
  });

  it('exports native Google Sheets as xlsx instead of downloading them, keyed by version', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    const v1 = await workbookBytes([['channel', 'viewers'], ['C1', 10]]);
    const sheet = drive.addSheet({ name: 'op_stats live', parentId: folder.id, xlsx: v1, modifiedTime: '2025-03-05T00:00:00Z' });
    const src = source(folder.id);

    const [file] = await src.list();
    expect(file).toMatchObject({
      id: 'op_stats live.xlsx',
      name: 'op_stats live.xlsx',
      uri: `gdrive://${sheet.id}`,
      checksum: `drive-version:${sheet.id}:1`,
      modifiedAt: new Date('2025-03-05T00:00:00Z'),
    });
    expect((await readAll(await (file as SourceFile).open())).bytes).toEqual(v1);
    expect(drive.requestsTo('files.export')).toMatchObject([{ fileId: sheet.id, query: { mimeType: XLSX_MIME }, status: 200 }]);
    expect(drive.requestsTo('files.download')).toHaveLength(0);

    // Unchanged: same checksum, so the ETL skips it; edited: a new one.
    expect((await src.list())[0]?.checksum).toBe(file?.checksum);
    const v2 = await workbookBytes([['channel', 'viewers'], ['C1', 11]]);
    drive.updateFile(sheet.id, { xlsx: v2, modifiedTime: '2025-03-06T00:00:00Z' });
    const [edited] = await src.list();
    expect(edited?.checksum).toBe(`drive-version:${sheet.id}:2`);
    expect(edited?.modifiedAt).toEqual(new Date('2025-03-06T00:00:00Z'));
    expect((await readAll(await (edited as SourceFile).open())).bytes).toEqual(v2);
  });

  it('keeps the oldest of two same-named files on the plain id and suffixes the others with their file id', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    const older = drive.addFile({ name: 'top_up.xlsx', parentId: folder.id, content: 'one', createdTime: '2025-03-01T00:00:00Z' });
    const newer = drive.addFile({ name: 'top_up.xlsx', parentId: folder.id, content: 'two', createdTime: '2025-03-02T00:00:00Z' });
    const ids = (await source(folder.id).list()).map((f) => [f.id, f.uri]);
    expect(ids).toEqual([
      ['top_up.xlsx', `gdrive://${older.id}`],
      [`top_up.xlsx#${newer.id}`, `gdrive://${newer.id}`],
    ]);
  });

  it('streams a download, and gives back exactly the bytes Drive holds', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    const content = await bigWorkbookBytes(3000);
    drive.addFile({ name: 'big.xlsx', parentId: folder.id, content });
    const [file] = await source(folder.id).list();
    const stream = await (file as SourceFile).open();
    expect(stream).toBeInstanceOf(Readable);
    const { bytes, chunks } = await readAll(stream);
    expect(bytes.length).toBe(content.length);
    expect(md5(bytes)).toBe(md5(content));
    expect(chunks).toBeGreaterThan(1);
    expect(drive.requestsTo('files.download')).toMatchObject([{ query: { alt: 'media', supportsAllDrives: 'true' }, status: 200 }]);
  });

  it('reads a folder of a shared drive', async () => {
    const shared = drive.addSharedDrive({ name: 'Finance' });
    const folder = drive.addFolder({ name: 'exports', parentId: shared.id });
    drive.addFile({ name: 'a.xlsx', parentId: folder.id, content: 'bytes' });
    const [file] = await source(folder.id).list();
    expect(file?.id).toBe('a.xlsx');
    expect((await readAll(await (file as SourceFile).open())).bytes.toString()).toBe('bytes');
  });

  describe('retries', () => {
    it.each<[string, DriveFailure]>([
      ['429', { status: 429 }],
      ['403 rateLimitExceeded', { status: 403, reason: 'rateLimitExceeded' }],
      ['403 userRateLimitExceeded', { status: 403, reason: 'userRateLimitExceeded' }],
      ['500', { status: 500 }],
      ['503', { status: 503 }],
    ])('retries a listing page answered %s, then carries on', async (_what, failure) => {
      const folder = drive.addFolder({ name: 'exports' });
      for (let i = 0; i < 3; i++) drive.addFile({ name: `f${i}.xlsx`, parentId: folder.id, content: `${i}` });
      drive.failNext(2, { ...failure, route: 'files.list' });
      const files = await source(folder.id, { pageSize: 2 }).list();
      expect(files).toHaveLength(3);
      expect(drive.requestsTo('files.list').map((r) => r.status)).toEqual([failure.status, failure.status, 200, 200]);
      expect(retries).toBe(2);
    });

    it('retries the folder check and downloads too', async () => {
      const folder = drive.addFolder({ name: 'exports' });
      drive.addFile({ name: 'a.xlsx', parentId: folder.id, content: 'payload' });
      drive.failNext(1, { status: 503, route: 'files.get' });
      drive.failNext(2, { status: 403, reason: 'rateLimitExceeded', route: 'files.download' });
      const [file] = await source(folder.id).list();
      expect((await readAll(await (file as SourceFile).open())).bytes.toString()).toBe('payload');
      expect(drive.requestsTo('files.get').map((r) => r.status)).toEqual([503, 200]);
      expect(drive.requestsTo('files.download').map((r) => r.status)).toEqual([403, 403, 200]);
      expect(retries).toBe(3);
    });

    it('gives up after the configured attempts with an error naming the folder', async () => {
      const folder = drive.addFolder({ name: 'exports' });
      drive.failNext(10, { status: 503, route: 'files.list' });
      await expectUnavailable(source(folder.id, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }).list(), `Drive folder ${folder.id}`, 'after 3 attempts', '503 backendError');
      expect(drive.requestsTo('files.list')).toHaveLength(3);
    });

    it('retries a refused connection, then reports it naming the folder', async () => {
      const closed = await startFakeDrive();
      await closed.close();
      const src = createDriveSource({ folderId: '1Gone', auth: staticAuth(), rootUrl: closed.rootUrl, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, onRetry: () => retries++ } });
      await expectUnavailable(src.list(), 'Drive folder 1Gone', 'after 3 attempts', 'ECONNREFUSED');
      expect(retries).toBe(2);
    });

    it.each<[string, DriveFailure, string]>([
      ['401', { status: 401 }, 'refused the credentials'],
      ['403 insufficientFilePermissions', { status: 403 }, 'share the folder with the service account as Viewer'],
      ['403 forbidden', { status: 403, reason: 'forbidden' }, 'denied access'],
      ['404', { status: 404 }, 'was not found'],
    ])('stops at once on %s, naming the folder', async (_what, failure, hint) => {
      const folder = drive.addFolder({ name: 'exports' });
      drive.failNext(1, failure);
      await expectUnavailable(source(folder.id).list(), `Drive folder ${folder.id}`, hint);
      expect(drive.requests).toHaveLength(1);
      expect(retries).toBe(0);
    });

    it('stops at once when a download is refused, naming the file and the folder', async () => {
      const folder = drive.addFolder({ name: 'exports' });
      const item = drive.addFile({ name: 'a.xlsx', parentId: folder.id, content: 'payload' });
      const [file] = await source(folder.id).list();
      drive.failNext(5, { status: 404, route: 'files.download' });
      await expectUnavailable((file as SourceFile).open(), `"a.xlsx" (${item.id})`, `folder ${folder.id}`, '404 notFound');
      expect(drive.requestsTo('files.download')).toHaveLength(1);
    });
  });

  it.each([
    ['a folder that does not exist', () => '1NoSuchFolder', 'was not found'],
    ['a file id that is not a folder', (d: FakeDrive) => d.addFile({ name: 'a.xlsx', parentId: d.addFolder({ name: 'x' }).id, content: 'a' }).id, 'is not a folder'],
  ])('refuses %s with an error naming it', async (_what, id, hint) => {
    const folderId = id(drive);
    await expectUnavailable(source(folderId).list(), `Drive folder ${folderId}`, hint);
  });

  it('sends the credentials it is given: a wrong token is a 401 naming the folder', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    await expectUnavailable(source(folder.id, { auth: staticAuth('stale') }).list(), `Drive folder ${folder.id}`, 'refused the credentials', 'Invalid Credentials');
    expect(drive.requests.map((r) => r.authorization)).toEqual(['Bearer stale']);
  });

  it('describes itself with the folder id', () => {
    expect(source('1AbC').description).toBe('Drive folder 1AbC');
    expect(source('1AbC', { recursive: true }).description).toBe('Drive folder 1AbC (with sub-folders)');
  });
});
