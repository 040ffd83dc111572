import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceFile } from '@sp01/contracts';
import { Sp01Error } from '@sp01/core';
import { startFakeStorage, type FakeStorage, type StorageFailure } from '@sp01/google-fakes';
import { workbookBytes } from '@sp01/report-fixtures';
import { ARCHIVE_CHECKSUM_KEY, createGcsArchive, type GcsArchiveOptions } from './gcs-archive.js';
import { createGcsSource } from './gcs-source.js';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file of a local-folder source: no Cloud Storage URI, a SHA-256 checksum; counts its opens. */
function localFile(name: string, bytes: Buffer): SourceFile & { opens: number } {
  const file = {
    id: `2025-03/${name}`,
    name,
    uri: `file:///exports/2025-03/${name}`,
    size: bytes.length,
    modifiedAt: new Date('2025-03-01T02:00:00Z'),
    checksum: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    opens: 0,
    open: async () => {
      file.opens++;
      return Readable.from([bytes]);
    },
  };
  return file;
}

describe('Cloud Storage archive against the fake JSON API', () => {
  let gcs: FakeStorage;
  let report: Buffer;
  beforeEach(async () => {
    gcs = await startFakeStorage();
    gcs.createBucket('sp01-archive');
    gcs.createBucket('sp01-exports');
    report = await workbookBytes([['user_id', 'amount'], ['U1', 100]]);
  });
  afterEach(async () => {
    await gcs.close();
  });

  const archive = (extra: Partial<GcsArchiveOptions> = {}) =>
    createGcsArchive({ bucket: 'sp01-archive', apiEndpoint: gcs.apiEndpoint, projectId: 'sp01-test', retry: { baseDelayMs: 1, maxDelayMs: 2 }, ...extra });

  it('streams a local file up to <prefix>/<domain>/<date>/<name>, once', async () => {
    const file = localFile('top_up 2025-03-01.xlsx', report);
    const result = await archive().archive(file, 'top_up', '2025-03-01');

    expect(result).toEqual({ uri: 'gs://sp01-archive/raw/top_up/2025-03-01/top_up 2025-03-01.xlsx', status: 'uploaded' });
    const stored = gcs.getObject('sp01-archive', 'raw/top_up/2025-03-01/top_up 2025-03-01.xlsx');
    expect(stored?.data).toEqual(report);
    expect(stored?.contentType).toBe(XLSX_MIME);
    expect(stored?.metadata).toEqual({ [ARCHIVE_CHECKSUM_KEY]: file.checksum, 'sp01-source': file.uri });
    expect(gcs.requests.map((r) => [r.route, r.status, r.query['uploadType']])).toEqual([
      ['objects.get', 404, undefined],
      ['objects.insert', 200, 'multipart'],
    ]);
    expect(gcs.requestsTo('objects.insert')[0]?.query['ifGenerationMatch']).toBe('0');

    gcs.clearRequests();
    expect(await archive().archive(file, 'top_up', '2025-03-01')).toMatchObject({ status: 'unchanged' });
    expect(gcs.requests.map((r) => r.route)).toEqual(['objects.get']);
    expect(file.opens).toBe(1);
  });

  it('uploads big files by resumable upload', async () => {
    const file = localFile('op_stats.xlsx', report);
    await archive({ resumableFromBytes: 1 }).archive(file, 'op_stats', '2025-03-02');
    expect(gcs.getObject('sp01-archive', 'raw/op_stats/2025-03-02/op_stats.xlsx')?.data).toEqual(report);
    expect(gcs.requests.map((r) => [r.route, r.query['uploadType']])).toEqual([
      ['objects.get', undefined],
      ['objects.insert', 'resumable'],
      ['objects.upload', 'resumable'],
    ]);
  });

  it('copies a Cloud Storage source file server-side, and skips it when the MD5 matches', async () => {
    gcs.putObject('sp01-exports', 'exports/pre_deduction.xlsx', report);
    const [file] = await createGcsSource({ bucket: 'sp01-exports', prefix: 'exports', apiEndpoint: gcs.apiEndpoint }).list();
    gcs.clearRequests();

    expect(await archive({ prefix: 'archive/raw/' }).archive(file as SourceFile, 'pre_deduction', '2025-03-03')).toEqual({
      uri: 'gs://sp01-archive/archive/raw/pre_deduction/2025-03-03/pre_deduction.xlsx',
      status: 'copied',
    });
    expect(gcs.requests.map((r) => r.route)).toEqual(['objects.get', 'objects.rewrite']);
    expect(gcs.requestsTo('objects.rewrite')[0]?.query).toMatchObject({ sourceGeneration: gcs.getObject('sp01-exports', 'exports/pre_deduction.xlsx')?.generation, ifGenerationMatch: '0' });
    expect(gcs.getObject('sp01-archive', 'archive/raw/pre_deduction/2025-03-03/pre_deduction.xlsx')?.data).toEqual(report);
    expect(gcs.requestsTo('objects.download')).toHaveLength(0);

    gcs.clearRequests();
    expect(await archive({ prefix: 'archive/raw' }).archive(file as SourceFile, 'pre_deduction', '2025-03-03')).toMatchObject({ status: 'unchanged' });
    expect(gcs.requests.map((r) => r.route)).toEqual(['objects.get']);
  });

  it('replaces an archived file when a different export of the same name arrives, over the generation it saw', async () => {
    await archive().archive(localFile('top_up.xlsx', report), 'top_up', '2025-03-01');
    const before = gcs.getObject('sp01-archive', 'raw/top_up/2025-03-01/top_up.xlsx');
    const corrected = await workbookBytes([['user_id', 'amount'], ['U1', 150]]);
    gcs.clearRequests();
    expect(await archive().archive(localFile('top_up.xlsx', corrected), 'top_up', '2025-03-01')).toMatchObject({ status: 'uploaded' });
    expect(gcs.getObject('sp01-archive', 'raw/top_up/2025-03-01/top_up.xlsx')?.data).toEqual(corrected);
    expect(gcs.requestsTo('objects.insert')[0]?.query['ifGenerationMatch']).toBe(before?.generation);
  });

  it('files a Date under its Asia/Taipei business date', async () => {
    const result = await archive().archive(localFile('a.xlsx', report), 'top_up', new Date('2025-03-01T17:30:00Z'));
    expect(result.uri).toBe('gs://sp01-archive/raw/top_up/2025-03-02/a.xlsx');
  });

  it('retries a failed upload by reading the source again', async () => {
    const file = localFile('a.xlsx', report);
    gcs.failNext(1, { status: 503, route: 'objects.insert' });
    expect(await archive().archive(file, 'top_up', '2025-03-01')).toMatchObject({ status: 'uploaded' });
    expect(gcs.requestsTo('objects.insert').map((r) => r.status)).toEqual([503, 200]);
    expect(file.opens).toBe(2);
    expect(gcs.getObject('sp01-archive', 'raw/top_up/2025-03-01/a.xlsx')?.data).toEqual(report);
  });

  it.each<[string, StorageFailure]>([
    ['503', { status: 503 }],
    ['403 rateLimitExceeded', { status: 403, reason: 'rateLimitExceeded' }],
  ])('restarts a resumable upload whose bytes were refused with %s', async (_what, failure) => {
    const file = localFile('a.xlsx', report);
    gcs.failNext(1, { ...failure, route: 'objects.upload' });
    expect(await archive({ resumableFromBytes: 1 }).archive(file, 'top_up', '2025-03-01')).toMatchObject({ status: 'uploaded' });
    expect(gcs.requests.filter((r) => r.route !== 'objects.get').map((r) => [r.route, r.status])).toEqual([
      ['objects.insert', 200],
      ['objects.upload', failure.status],
      ['objects.insert', 200],
      ['objects.upload', 200],
    ]);
    expect(file.opens).toBe(2);
    expect(gcs.getObject('sp01-archive', 'raw/top_up/2025-03-01/a.xlsx')?.data).toEqual(report);
  });

  it.each([
    ['multipart', 'objects.insert' as const, undefined],
    ['resumable', 'objects.upload' as const, 1],
  ])('stops at once when the archive bucket refuses a %s upload, saying which role is missing', async (_kind, route, resumableFromBytes) => {
    gcs.failNext(5, { status: 403, route });
    const err = await archive(resumableFromBytes ? { resumableFromBytes } : {})
      .archive(localFile('a.xlsx', report), 'top_up', '2025-03-01')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Sp01Error);
    expect((err as Sp01Error).code).toBe('archive_failed');
    expect((err as Error).message).toContain('gs://sp01-archive/raw/top_up/2025-03-01/a.xlsx');
    expect((err as Error).message).toContain('roles/storage.objectCreator');
    expect((err as Error).message).toContain("403 forbidden: sp01-test@example.iam.gserviceaccount.com does not have storage.objects.create access");
    expect(gcs.requestsTo(route)).toHaveLength(1);
  });

  it('refuses a business date that is not YYYY-MM-DD', async () => {
    await expect(archive().archive(localFile('a.xlsx', report), 'top_up', '2025/03/01')).rejects.toThrow('YYYY-MM-DD');
  });
});
