import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeStorage, type FakeStorage } from './storage-fake.js';
import { crc32c, storageHashes } from './storage-hashes.js';
import { parseMultipartRelated } from './storage-multipart.js';

describe('Cloud Storage hashes', () => {
  it.each([
    ['', 0x00000000],
    ['123456789', 0xe3069283],
    ['a', 0xc1d04330],
  ])('crc32c(%j)', (text, expected) => {
    expect(crc32c(Buffer.from(text))).toBe(expected);
  });

  it('encodes both as base64 of the big-endian digest', () => {
    expect(storageHashes(Buffer.from('123456789'))).toEqual({
      crc32c: Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'),
      md5Hash: createHash('md5').update('123456789').digest('base64'),
    });
  });
});

describe('multipart/related', () => {
  it('splits metadata and binary media', () => {
    const media = Buffer.from([0, 1, 13, 10, 45, 45, 255]);
    const body = Buffer.concat([
      Buffer.from('--b0undary\r\nContent-Type: application/json\r\n\r\n{"name":"x"}\r\n--b0undary\r\nContent-Type: application/octet-stream\r\n\r\n'),
      media,
      Buffer.from('\r\n--b0undary--'),
    ]);
    const parts = parseMultipartRelated('multipart/related; boundary=b0undary', body);
    expect(parts.map((p) => p.headers['content-type'])).toEqual(['application/json', 'application/octet-stream']);
    expect(parts[0]?.body.toString()).toBe('{"name":"x"}');
    expect(parts[1]?.body).toEqual(media);
  });
});

describe('fake Cloud Storage over HTTP', () => {
  let gcs: FakeStorage;
  beforeEach(async () => {
    gcs = await startFakeStorage();
    gcs.createBucket('bkt');
  });
  afterEach(async () => {
    await gcs.close();
  });

  const call = async (method: string, path: string, params: Record<string, string> = {}, init: RequestInit = {}) => {
    const res = await fetch(`${gcs.apiEndpoint}${path}?${new URLSearchParams(params)}`, { method, ...init });
    const text = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: type.startsWith('application/json') ? JSON.parse(text.toString()) : text };
  };

  it('lists in name order, page by page, with folders as prefixes', async () => {
    for (const name of ['in/c.xlsx', 'in/a.xlsx', 'in/sub/x.xlsx', 'in/b.xlsx', 'out/z.xlsx']) gcs.putObject('bkt', name, name);
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { body } = await call('GET', '/storage/v1/b/bkt/o', { prefix: 'in/', delimiter: '/', maxResults: '2', ...(pageToken ? { pageToken } : {}) });
      const page = body as { items?: { name: string }[]; prefixes?: string[]; nextPageToken?: string };
      seen.push(...(page.items ?? []).map((i) => i.name), ...(page.prefixes ?? []));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBe(2);
    expect(seen).toEqual(['in/a.xlsx', 'in/b.xlsx', 'in/c.xlsx', 'in/sub/']);
  });

  it('describes objects as the JSON API does', async () => {
    const o = gcs.putObject('bkt', 'in/a.xlsx', 'hello', { contentType: 'text/plain', updated: '2025-03-01T01:02:03Z' });
    const { status, body } = await call('GET', `/storage/v1/b/bkt/o/${encodeURIComponent('in/a.xlsx')}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'storage#object',
      name: 'in/a.xlsx',
      bucket: 'bkt',
      size: '5',
      md5Hash: createHash('md5').update('hello').digest('base64'),
      generation: o.generation,
      updated: '2025-03-01T01:02:03.000Z',
      contentType: 'text/plain',
    });
  });

  it('serves media with x-goog-hash, on both download paths, and pins generations', async () => {
    const o = gcs.putObject('bkt', 'a b.xlsx', 'payload');
    for (const path of ['/download/storage/v1/b/bkt/o/a%20b.xlsx', '/storage/v1/b/bkt/o/a%20b.xlsx']) {
      const res = await call('GET', path, { alt: 'media' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(Buffer.from('payload'));
      expect(res.headers.get('x-goog-hash')).toBe(`crc32c=${o.crc32c},md5=${o.md5Hash}`);
    }
    expect((await call('GET', '/storage/v1/b/bkt/o/a%20b.xlsx', { alt: 'media', generation: '1' })).status).toBe(404);
  });

  it.each([
    ['an unknown bucket', '/storage/v1/b/nope/o', 'The specified bucket does not exist.'],
    ['an unknown object', '/storage/v1/b/bkt/o/nope.xlsx', 'No such object: bkt/nope.xlsx'],
  ])('answers %s with a 404 in Google error format', async (_what, path, message) => {
    const { status, body } = await call('GET', path);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 404, message, errors: [{ domain: 'global', reason: 'notFound', message }] } });
  });

  it('takes media, multipart and resumable uploads', async () => {
    await call('POST', '/upload/storage/v1/b/bkt/o', { uploadType: 'media', name: 'm.bin' }, { body: 'media', headers: { 'content-type': 'text/plain' } });
    const boundary = 'xyz';
    const multipart = `--${boundary}\r\nContent-Type: application/json\r\n\r\n{"name":"mp.bin","contentType":"text/csv","metadata":{"k":"v"}}\r\n--${boundary}\r\nContent-Type: text/csv\r\n\r\nmulti\r\n--${boundary}--`;
    await call('POST', '/upload/storage/v1/b/bkt/o', { uploadType: 'multipart' }, { body: multipart, headers: { 'content-type': `multipart/related; boundary=${boundary}` } });
    const start = await call('POST', '/upload/storage/v1/b/bkt/o', { uploadType: 'resumable', name: 'r.bin' }, { body: '{}', headers: { 'content-type': 'application/json' } });
    const session = start.headers.get('location') as string;
    expect(session).toMatch(/upload_id=/);
    const first = await fetch(session, { method: 'PUT', body: 'resu', headers: { 'content-range': 'bytes 0-3/*' } });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-3');
    const last = await fetch(session, { method: 'PUT', body: 'mable', headers: { 'content-range': 'bytes 4-8/9' } });
    expect(last.status).toBe(200);
    expect(await last.json()).toMatchObject({ name: 'r.bin', size: '9' });

    expect(gcs.getObject('bkt', 'm.bin')).toMatchObject({ data: Buffer.from('media'), contentType: 'text/plain' });
    expect(gcs.getObject('bkt', 'mp.bin')).toMatchObject({ data: Buffer.from('multi'), contentType: 'text/csv', metadata: { k: 'v' } });
    expect(gcs.getObject('bkt', 'r.bin')?.data.toString()).toBe('resumable');
    expect(gcs.requests.map((r) => r.route)).toEqual(['objects.insert', 'objects.insert', 'objects.insert', 'objects.upload', 'objects.upload']);
  });

  it('refuses an upload whose x-goog-hash does not match the bytes', async () => {
    const res = await call('POST', '/upload/storage/v1/b/bkt/o', { uploadType: 'media', name: 'm.bin' }, { body: 'media', headers: { 'x-goog-hash': `md5=${storageHashes(Buffer.from('other')).md5Hash}` } });
    expect(res.status).toBe(400);
    expect(gcs.getObject('bkt', 'm.bin')).toBeUndefined();
  });

  it('honours ifGenerationMatch on uploads and copies', async () => {
    const existing = gcs.putObject('bkt', 'x', 'one');
    const upload = (ifGenerationMatch: string) => call('POST', '/upload/storage/v1/b/bkt/o', { uploadType: 'media', name: 'x', ifGenerationMatch }, { body: 'two' });
    expect((await upload('0')).status).toBe(412);
    expect((await upload(existing.generation)).status).toBe(200);
    expect(gcs.getObject('bkt', 'x')?.data.toString()).toBe('two');
    expect((await call('POST', '/storage/v1/b/bkt/o/x/rewriteTo/b/bkt/o/y', { ifGenerationMatch: '0' })).status).toBe(200);
    expect((await call('POST', '/storage/v1/b/bkt/o/x/rewriteTo/b/bkt/o/y', { ifGenerationMatch: '0' })).status).toBe(412);
  });

  it('copies server-side with rewriteTo and copyTo', async () => {
    gcs.createBucket('archive');
    gcs.putObject('bkt', 'in/a.xlsx', 'abc', { metadata: { from: 'src' } });
    const rewrite = await call('POST', `/storage/v1/b/bkt/o/${encodeURIComponent('in/a.xlsx')}/rewriteTo/b/archive/o/${encodeURIComponent('raw/a.xlsx')}`);
    expect(rewrite.body).toMatchObject({ kind: 'storage#rewriteResponse', done: true, objectSize: '3', resource: { bucket: 'archive', name: 'raw/a.xlsx', metadata: { from: 'src' } } });
    const copy = await call('POST', `/storage/v1/b/bkt/o/${encodeURIComponent('in/a.xlsx')}/copyTo/b/archive/o/b.xlsx`, {}, {
      body: JSON.stringify({ metadata: { new: 'meta' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(copy.body).toMatchObject({ kind: 'storage#object', name: 'b.xlsx', metadata: { new: 'meta' } });
    expect(gcs.listObjects('archive').map((o) => o.data.toString())).toEqual(['abc', 'abc']);
  });

  it('fails the next requests of a route as told', async () => {
    gcs.failNext(1, { status: 429, route: 'objects.list' });
    gcs.failNext(1, { status: 403, route: 'objects.list' });
    const first = await call('GET', '/storage/v1/b/bkt/o');
    const second = await call('GET', '/storage/v1/b/bkt/o');
    const third = await call('GET', '/storage/v1/b/bkt/o');
    expect([first.status, second.status, third.status]).toEqual([429, 403, 200]);
    expect(first.body).toMatchObject({ error: { errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] } });
    expect(second.body).toMatchObject({ error: { errors: [{ reason: 'forbidden', message: expect.stringContaining('storage.objects.list') }] } });
  });
});
