import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFields, applyFields } from './drive-fields.js';
import { parseDriveQuery, type DriveQueryFile } from './drive-query.js';
import { DRIVE_FOLDER_MIME, GOOGLE_SHEET_MIME, startFakeDrive, XLSX_MIME, type FakeDrive } from './drive-fake.js';

const file = (over: Partial<DriveQueryFile> = {}): DriveQueryFile => ({
  name: 'top_up 2025-03-01.xlsx',
  mimeType: XLSX_MIME,
  parents: ['F1'],
  trashed: false,
  modifiedTime: '2025-03-01T02:00:00.000Z',
  ...over,
});

describe('Drive query language', () => {
  it.each([
    ["'F1' in parents", file(), true],
    ["'F2' in parents", file(), false],
    ["'F1' in parents and trashed = false", file({ trashed: true }), false],
    ["'F1' in parents and trashed=false", file(), true],
    [`mimeType = '${XLSX_MIME}'`, file(), true],
    [`mimeType != '${DRIVE_FOLDER_MIME}'`, file(), true],
    [`'F1' in parents and (mimeType = '${GOOGLE_SHEET_MIME}' or mimeType = '${DRIVE_FOLDER_MIME}')`, file(), false],
    [`'F1' in parents and (mimeType = '${GOOGLE_SHEET_MIME}' or mimeType = '${XLSX_MIME}')`, file(), true],
    ["not trashed = true", file(), true],
    ["name = 'it\\'s.xlsx'", file({ name: "it's.xlsx" }), true],
    ["name contains 'top'", file(), true],
    ["name contains 'op_up'", file(), false],
    ["modifiedTime > '2025-03-01T00:00:00Z'", file(), true],
    ["modifiedTime <= '2025-03-01T00:00:00Z'", file(), false],
    ['', file(), true],
  ])('%s', (q, f, expected) => {
    expect(parseDriveQuery(q)(f)).toBe(expected);
  });

  it.each([["'F1' in owners"], ['starred = true'], ["'F1' in parents and"], ["mimeType contains 'x'"], ["(trashed = false"], ["name = 'open"]])(
    'rejects %s',
    (q) => {
      expect(() => parseDriveQuery(q)).toThrow();
    },
  );
});

describe('partial response fields', () => {
  it.each([
    ['nextPageToken,files(id,name)', { nextPageToken: 't', files: [{ id: '1', name: 'a' }] }],
    ['files/id', { files: [{ id: '1' }] }],
    ['files(id),files(size)', { files: [{ id: '1', size: '3' }] }],
    ['*', { kind: 'k', nextPageToken: 't', files: [{ id: '1', name: 'a', size: '3' }] }],
  ])('%s', (fields, expected) => {
    const body = { kind: 'k', nextPageToken: 't', files: [{ id: '1', name: 'a', size: '3' }] };
    expect(applyFields(body, parseFields(fields))).toEqual(expected);
  });
});

describe('fake Drive over HTTP', () => {
  let drive: FakeDrive;
  beforeEach(async () => {
    drive = await startFakeDrive();
  });
  afterEach(async () => {
    await drive.close();
  });

  const get = async (path: string, params: Record<string, string> = {}) => {
    const res = await fetch(`${drive.rootUrl}${path}?${new URLSearchParams(params)}`);
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, body: type.startsWith('application/json') ? await res.json() : Buffer.from(await res.arrayBuffer()) };
  };

  it('lists a folder page by page with the fields asked for', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    for (let i = 1; i <= 5; i++) drive.addFile({ name: `f${i}.xlsx`, parentId: folder.id, content: `bytes ${i}` });
    drive.addFile({ name: 'gone.xlsx', parentId: folder.id, content: 'x', trashed: true });
    const q = `'${folder.id}' in parents and trashed = false`;
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get('drive/v3/files', {
        q,
        pageSize: '2',
        fields: 'nextPageToken,files(id,name,md5Checksum,size)',
        ...(pageToken ? { pageToken } : {}),
      });
      expect(status).toBe(200);
      const page = body as { nextPageToken?: string; files: { name: string; size: string; md5Checksum: string; mimeType?: string }[] };
      for (const f of page.files) {
        expect(f.mimeType).toBeUndefined();
        expect(f.size).toMatch(/^\d+$/);
        expect(f.md5Checksum).toMatch(/^[0-9a-f]{32}$/);
        names.push(f.name);
      }
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(names).toEqual(['f1.xlsx', 'f2.xlsx', 'f3.xlsx', 'f4.xlsx', 'f5.xlsx']);
  });

  it('answers the default fields when none are asked for', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    drive.addFile({ name: 'a.xlsx', parentId: folder.id, content: 'a' });
    const { body } = await get('drive/v3/files', { q: `'${folder.id}' in parents` });
    expect(body).toEqual({ kind: 'drive#fileList', incompleteSearch: false, files: [{ kind: 'drive#file', id: expect.any(String), name: 'a.xlsx', mimeType: XLSX_MIME }] });
  });

  it.each([
    ['a query it cannot parse', { q: "'x' in owners" }, 'q'],
    ['an unknown field', { fields: 'files(md5checksum)' }, 'fields'],
    ['a page size over 1000', { pageSize: '1001' }, 'pageSize'],
    ['a page token of another query', { q: 'trashed = false', pageToken: 'bm9wZQ' }, 'pageToken'],
  ])('rejects %s with a 400 naming the parameter', async (_what, params, location) => {
    const { status, body } = await get('drive/v3/files', params);
    expect(status).toBe(400);
    expect((body as { error: { errors: { location: string }[] } }).error.errors[0]?.location).toBe(location);
  });

  it('hides shared-drive items unless the client supports all drives', async () => {
    const shared = drive.addSharedDrive({ name: 'Finance' });
    const folder = drive.addFolder({ name: 'exports', parentId: shared.id });
    drive.addFile({ name: 'a.xlsx', parentId: folder.id, content: 'a' });
    const q = `'${folder.id}' in parents`;
    expect((await get('drive/v3/files', { q })).body).toMatchObject({ files: [] });
    expect((await get('drive/v3/files', { q, includeItemsFromAllDrives: 'true', supportsAllDrives: 'true' })).body).toMatchObject({ files: [{ name: 'a.xlsx' }] });
    expect((await get(`drive/v3/files/${folder.id}`)).status).toBe(404);
    expect((await get(`drive/v3/files/${folder.id}`, { supportsAllDrives: 'true', fields: 'id,driveId' })).body).toEqual({ id: folder.id, driveId: shared.id });
  });

  it('downloads binary files and exports native Sheets, never the other way round', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    const xlsx = drive.addFile({ name: 'a.xlsx', parentId: folder.id, content: Buffer.from([0x50, 0x4b, 3, 4]) });
    const sheet = drive.addSheet({ name: 'live sheet', parentId: folder.id, xlsx: Buffer.from([0x50, 0x4b, 9, 9]) });

    const download = await get(`drive/v3/files/${xlsx.id}`, { alt: 'media' });
    expect(download).toMatchObject({ status: 200, type: XLSX_MIME, body: Buffer.from([0x50, 0x4b, 3, 4]) });
    const exported = await get(`drive/v3/files/${sheet.id}/export`, { mimeType: XLSX_MIME });
    expect(exported).toMatchObject({ status: 200, type: XLSX_MIME, body: Buffer.from([0x50, 0x4b, 9, 9]) });

    expect(await get(`drive/v3/files/${sheet.id}`, { alt: 'media' })).toMatchObject({ status: 403, body: { error: { errors: [{ reason: 'fileNotDownloadable' }] } } });
    expect(await get(`drive/v3/files/${xlsx.id}/export`, { mimeType: XLSX_MIME })).toMatchObject({ status: 403, body: { error: { errors: [{ reason: 'fileNotExportable' }] } } });
    expect(await get(`drive/v3/files/${sheet.id}/export`, { mimeType: 'application/pdf' })).toMatchObject({ status: 400 });
    expect(drive.requestsTo('files.export').map((r) => r.status)).toEqual([200, 403, 400]);
  });

  it('answers metadata of a missing file with a 404 in Google error format', async () => {
    const { status, body } = await get('drive/v3/files/nope');
    expect(status).toBe(404);
    expect(body).toEqual({
      error: {
        code: 404,
        message: 'File not found: nope.',
        errors: [{ domain: 'global', reason: 'notFound', message: 'File not found: nope.', locationType: 'parameter', location: 'fileId' }],
      },
    });
  });

  it('fails the next requests of a route as told, then serves again', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    drive.failNext(2, { status: 403, reason: 'userRateLimitExceeded', route: 'files.list' });
    drive.failNext(1, { status: 503 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get('drive/v3/files', { q: `'${folder.id}' in parents` })).status);
    statuses.push((await get(`drive/v3/files/${folder.id}`)).status);
    expect(statuses).toEqual([403, 403, 503, 200]);
    expect(drive.requests[0]).toMatchObject({ route: 'files.list', status: 403 });
  });

  it('bumps version and modified time on an edit', async () => {
    const folder = drive.addFolder({ name: 'exports' });
    const sheet = drive.addSheet({ name: 's', parentId: folder.id, xlsx: Buffer.from('v1'), modifiedTime: '2025-03-01T00:00:00Z' });
    drive.updateFile(sheet.id, { xlsx: Buffer.from('v2'), modifiedTime: '2025-03-02T00:00:00Z' });
    const { body } = await get(`drive/v3/files/${sheet.id}`, { fields: 'version,modifiedTime,md5Checksum' });
    expect(body).toEqual({ version: '2', modifiedTime: '2025-03-02T00:00:00.000Z' });
  });

  it('requires the access token when configured', async () => {
    const secured = await startFakeDrive({ accessToken: 'tok' });
    try {
      const url = `${secured.rootUrl}drive/v3/files`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
      expect(secured.requests.map((r) => r.authorization)).toEqual([undefined, 'Bearer wrong', 'Bearer tok']);
    } finally {
      await secured.close();
    }
  });
});
