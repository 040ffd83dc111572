import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFields, FieldSelectionError, parseFields } from './drive-fields.js';
import { storageHashes } from './storage-hashes.js';
import { parseMultipartRelated } from './storage-multipart.js';

/** Which JSON API method a request called, for the request log and failure injection. */
export type StorageRoute =
  | 'buckets.get'
  | 'objects.list'
  | 'objects.get'
  | 'objects.download'
  | 'objects.delete'
  /** POST /upload/…: a media or multipart upload, or the start of a resumable one. */
  | 'objects.insert'
  /** PUT of bytes (or a status query) to a resumable upload session. */
  | 'objects.upload'
  | 'objects.rewrite'
  | 'objects.copy'
  | 'other';

export interface StorageRequest {
  method: string;
  route: StorageRoute;
  bucket?: string;
  object?: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Bytes of the request body (uploads). */
  bodyBytes: number;
  authorization?: string;
}

export interface StorageFailure {
  status: number;
  /** `error.errors[0].reason`; defaults per status (429 → rateLimitExceeded, 403 → forbidden…). */
  reason?: string;
  message?: string;
  /** Only requests to this method fail; any request when omitted. */
  route?: StorageRoute;
  /** Only requests about this object name (the source object for rewrite/copy) fail. */
  object?: string;
}

export interface FakeStorageObject {
  bucket: string;
  name: string;
  data: Buffer;
  generation: string;
  metageneration: string;
  contentType: string;
  timeCreated: string;
  updated: string;
  /** Custom metadata (`metadata` of the object resource). */
  metadata?: Record<string, string>;
  md5Hash: string;
  crc32c: string;
}

export interface PutObjectOptions {
  contentType?: string;
  updated?: Date | string;
  metadata?: Record<string, string>;
}

export interface FakeStorage {
  /** What @google-cloud/storage takes as `apiEndpoint`. */
  readonly apiEndpoint: string;
  /** Every request served, in order. */
  readonly requests: StorageRequest[];
  createBucket(name: string): void;
  putObject(bucket: string, name: string, data: Uint8Array | string, options?: PutObjectOptions): FakeStorageObject;
  getObject(bucket: string, name: string): FakeStorageObject | undefined;
  /** Objects of a bucket by name, optionally under a prefix. */
  listObjects(bucket: string, prefix?: string): FakeStorageObject[];
  /** Replaces the stored bytes but not the recorded hashes: a download then fails its integrity check. */
  corruptObject(bucket: string, name: string, data: Uint8Array | string): void;
  /** The next `count` matching requests answer with the failure instead. */
  failNext(count: number, failure: StorageFailure): void;
  requestsTo(route: StorageRoute): StorageRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

interface ErrorDetail {
  domain: string;
  reason: string;
  message: string;
  locationType?: string;
  location?: string;
}

class StorageHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
  ) {
    super(detail.message);
  }
}

interface Target {
  route: StorageRoute;
  bucket?: string;
  object?: string;
  destBucket?: string;
  destObject?: string;
}

const PERMISSION: Partial<Record<StorageRoute, string>> = {
  'buckets.get': 'storage.buckets.get',
  'objects.list': 'storage.objects.list',
  'objects.get': 'storage.objects.get',
  'objects.download': 'storage.objects.get',
  'objects.delete': 'storage.objects.delete',
  'objects.insert': 'storage.objects.create',
  'objects.upload': 'storage.objects.create',
  'objects.rewrite': 'storage.objects.create',
  'objects.copy': 'storage.objects.create',
};

function failureDetail(failure: StorageFailure, target: Target): ErrorDetail {
  const { status, reason } = failure;
  const detail = (d: ErrorDetail): ErrorDetail => (failure.message ? { ...d, message: failure.message } : d);
  if (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded') {
    return detail({ domain: 'usageLimits', reason, message: 'The rate of requests exceeds the rate limit. Please reduce the rate of requests.' });
  }
  switch (status) {
    case 401:
      return detail({ domain: 'global', reason: reason ?? 'authError', message: 'Invalid Credentials', locationType: 'header', location: 'Authorization' });
    case 403: {
      const permission = PERMISSION[target.route] ?? 'storage.objects.get';
      return detail({
        domain: 'global',
        reason: reason ?? 'forbidden',
        message: `sp01-test@example.iam.gserviceaccount.com does not have ${permission} access to the Google Cloud Storage bucket. Permission '${permission}' denied on resource (or it may not exist).`,
      });
    }
    case 404:
      return detail(
        target.object !== undefined
          ? { domain: 'global', reason: reason ?? 'notFound', message: `No such object: ${target.bucket}/${target.object}` }
          : { domain: 'global', reason: reason ?? 'notFound', message: 'The specified bucket does not exist.' },
      );
    case 412:
      return detail({ domain: 'global', reason: reason ?? 'conditionNotMet', message: 'At least one of the pre-conditions you specified did not hold.', locationType: 'header', location: 'If-Match' });
    case 429:
      return detail({ domain: 'usageLimits', reason: reason ?? 'rateLimitExceeded', message: 'The rate of requests exceeds the rate limit. Please reduce the rate of requests.' });
    case 500:
      return detail({ domain: 'global', reason: reason ?? 'internalError', message: 'Internal Error' });
    default:
      if (status >= 500) return detail({ domain: 'global', reason: reason ?? 'backendError', message: 'Backend Error' });
      return detail({ domain: 'global', reason: reason ?? 'invalid', message: 'Invalid argument.' });
  }
}

function badRequest(message: string, location?: string): StorageHttpError {
  return new StorageHttpError(400, { domain: 'global', reason: 'invalid', message, ...(location ? { locationType: 'parameter', location } : {}) });
}

function route(method: string, url: URL): Target {
  const raw = url.pathname.split('/').slice(1);
  const seg = raw.map((s) => decodeURIComponent(s));
  const is = (...parts: (string | null)[]) => parts.length === seg.length && parts.every((p, i) => p === null || p === seg[i]);
  if (is('storage', 'v1', 'b', null) && method === 'GET') return { route: 'buckets.get', bucket: seg[3] as string };
  if (is('storage', 'v1', 'b', null, 'o') && method === 'GET') return { route: 'objects.list', bucket: seg[3] as string };
  if (is('storage', 'v1', 'b', null, 'o', null)) {
    const t = { bucket: seg[3] as string, object: seg[5] as string };
    if (method === 'GET') return { ...t, route: url.searchParams.get('alt') === 'media' ? 'objects.download' : 'objects.get' };
    if (method === 'DELETE') return { ...t, route: 'objects.delete' };
  }
  if (is('download', 'storage', 'v1', 'b', null, 'o', null) && method === 'GET') {
    return { route: 'objects.download', bucket: seg[4] as string, object: seg[6] as string };
  }
  for (const verb of ['rewriteTo', 'copyTo'] as const) {
    if (is('storage', 'v1', 'b', null, 'o', null, verb, 'b', null, 'o', null) && method === 'POST') {
      return {
        route: verb === 'rewriteTo' ? 'objects.rewrite' : 'objects.copy',
        bucket: seg[3] as string,
        object: seg[5] as string,
        destBucket: seg[8] as string,
        destObject: seg[10] as string,
      };
    }
  }
  if (is('upload', 'storage', 'v1', 'b', null, 'o')) {
    if (method === 'POST') {
      const name = url.searchParams.get('name');
      return { route: 'objects.insert', bucket: seg[4] as string, ...(name !== null ? { object: name } : {}) };
    }
    if (method === 'PUT') return { route: 'objects.upload', bucket: seg[4] as string };
  }
  return { route: 'other' };
}

function toTime(value: Date | string | undefined, fallback: () => Date): string {
  if (value === undefined) return fallback().toISOString();
  return (typeof value === 'string' ? new Date(value) : value).toISOString();
}

interface UploadSession {
  bucket: string;
  name: string;
  contentType: string;
  metadata?: Record<string, string>;
  ifGenerationMatch?: string;
  chunks: Buffer[];
  received: number;
  total?: number;
  result?: Record<string, unknown>;
}

interface ObjectMetadataInput {
  name?: string;
  contentType?: string;
  metadata?: Record<string, string>;
}

type Reply = ServerResponse & { log(status: number): void };

/**
 * A local HTTP server speaking the Cloud Storage JSON API wire format for the calls the
 * @google-cloud/storage client makes to list, read, upload and copy objects. Downloads carry
 * real `x-goog-hash` (CRC32C and MD5) so the client's integrity check runs as in production.
 */
export async function startFakeStorage(): Promise<FakeStorage> {
  const buckets = new Map<string, Map<string, FakeStorageObject>>();
  const sessions = new Map<string, UploadSession>();
  const requests: StorageRequest[] = [];
  const failures: { remaining: number; failure: StorageFailure }[] = [];
  let lastGeneration = 0;
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const tick = () => new Date((clock += 60_000));
  let endpoint = '';

  const bucketOf = (name: string | undefined): Map<string, FakeStorageObject> => {
    const bucket = name === undefined ? undefined : buckets.get(name);
    if (!bucket) throw new StorageHttpError(404, failureDetail({ status: 404 }, { route: 'objects.list' }));
    return bucket;
  };
  const objectOf = (target: Target): FakeStorageObject => {
    const object = bucketOf(target.bucket).get(target.object as string);
    if (!object) throw new StorageHttpError(404, failureDetail({ status: 404 }, target));
    return object;
  };

  const store = (bucket: string, name: string, data: Buffer, fields: { contentType?: string; updated?: Date | string; metadata?: Record<string, string> }) => {
    const objects = bucketOf(bucket);
    const updated = toTime(fields.updated, tick);
    // Generations are microsecond timestamps in Cloud Storage; any increasing number will do.
    lastGeneration = Math.max(lastGeneration + 1, Date.parse(updated) * 1000);
    const object: FakeStorageObject = {
      bucket,
      name,
      data,
      generation: String(lastGeneration),
      metageneration: '1',
      contentType: fields.contentType ?? 'application/octet-stream',
      timeCreated: updated,
      updated,
      ...(fields.metadata ? { metadata: { ...fields.metadata } } : {}),
      ...storageHashes(data),
    };
    objects.set(name, object);
    return object;
  };

  const resource = (o: FakeStorageObject): Record<string, unknown> => {
    const path = `b/${encodeURIComponent(o.bucket)}/o/${encodeURIComponent(o.name)}`;
    return {
      kind: 'storage#object',
      id: `${o.bucket}/${o.name}/${o.generation}`,
      selfLink: `${endpoint}/storage/v1/${path}`,
      mediaLink: `${endpoint}/download/storage/v1/${path}?generation=${o.generation}&alt=media`,
      name: o.name,
      bucket: o.bucket,
      generation: o.generation,
      metageneration: o.metageneration,
      contentType: o.contentType,
      storageClass: 'STANDARD',
      size: String(o.data.length),
      md5Hash: o.md5Hash,
      crc32c: o.crc32c,
      etag: createHash('md5').update(`${o.name}${o.generation}`).digest('base64').slice(0, 14),
      timeCreated: o.timeCreated,
      updated: o.updated,
      timeStorageClassUpdated: o.timeCreated,
      ...(o.metadata ? { metadata: o.metadata } : {}),
    };
  };

  const checkPreconditions = (bucket: string, name: string, ifGenerationMatch: string | undefined, target: Target) => {
    if (ifGenerationMatch === undefined) return;
    const existing = bucketOf(bucket).get(name);
    const current = existing?.generation ?? '0';
    if (current !== ifGenerationMatch) throw new StorageHttpError(412, failureDetail({ status: 412 }, target));
  };

  /** Checks the `x-goog-hash` a client sends with the last bytes of an upload. */
  const checkUploadHashes = (header: string | string[] | undefined, data: Buffer) => {
    if (typeof header !== 'string') return;
    const actual = storageHashes(data);
    for (const pair of header.split(',')) {
      const eq = pair.indexOf('=');
      const kind = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (kind === 'crc32c' && value !== actual.crc32c) throw badRequest(`Provided CRC32C "${value}" doesn't match calculated CRC32C "${actual.crc32c}".`);
      if (kind === 'md5' && value !== actual.md5Hash) throw badRequest(`Provided MD5 hash "${value}" doesn't match calculated MD5 hash "${actual.md5Hash}".`);
    }
  };

  const listObjects = (target: Target, query: Record<string, string>): unknown => {
    const objects = bucketOf(target.bucket);
    for (const unsupported of ['matchGlob', 'startOffset', 'endOffset']) {
      if (query[unsupported] !== undefined) throw badRequest(`${unsupported} is not supported by the fake`, unsupported);
    }
    if (query['versions'] === 'true') throw badRequest('versions=true is not supported by the fake', 'versions');
    const prefix = query['prefix'] ?? '';
    const delimiter = query['delimiter'];
    const maxResults = query['maxResults'] === undefined ? 1000 : Number(query['maxResults']);
    if (!Number.isInteger(maxResults) || maxResults < 0) throw badRequest('Invalid unsigned integer value', 'maxResults');
    const after = query['pageToken'] === undefined ? undefined : Buffer.from(query['pageToken'], 'base64url').toString('utf8');
    // Items and prefixes share one lexicographic sequence; maxResults counts both.
    const entries: { key: string; object?: FakeStorageObject }[] = [];
    const seen = new Set<string>();
    for (const name of [...objects.keys()].sort()) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      if (cut >= 0) {
        const p = prefix + rest.slice(0, cut + (delimiter as string).length);
        if (!seen.has(p)) {
          seen.add(p);
          entries.push({ key: p });
        }
      } else {
        entries.push({ key: name, object: objects.get(name) as FakeStorageObject });
      }
    }
    const remaining = after === undefined ? entries : entries.filter((e) => e.key > after);
    const page = remaining.slice(0, Math.max(maxResults, 1));
    const items = page.flatMap((e) => (e.object ? [resource(e.object)] : []));
    const prefixes = page.flatMap((e) => (e.object ? [] : [e.key]));
    const last = page.at(-1);
    const body = {
      kind: 'storage#objects',
      ...(remaining.length > page.length && last ? { nextPageToken: Buffer.from(last.key, 'utf8').toString('base64url') } : {}),
      ...(prefixes.length ? { prefixes } : {}),
      ...(items.length ? { items } : {}),
    };
    if (query['fields'] === undefined) return body;
    try {
      return applyFields(body, parseFields(query['fields']));
    } catch (err) {
      if (err instanceof FieldSelectionError) throw badRequest(err.message, 'fields');
      throw err;
    }
  };

  const sendJson = (res: Reply, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.log(status);
    res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=UTF-8' } : {}), 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const sendError = (res: Reply, error: StorageHttpError) =>
    sendJson(res, error.status, { error: { code: error.status, message: error.detail.message, errors: [error.detail] } });

  const sendMedia = (res: Reply, o: FakeStorageObject) => {
    res.log(200);
    res.writeHead(200, {
      'content-type': o.contentType,
      'content-length': o.data.length,
      'x-goog-hash': `crc32c=${o.crc32c},md5=${o.md5Hash}`,
      'x-goog-generation': o.generation,
      'x-goog-metageneration': o.metageneration,
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-stored-content-length': String(o.data.length),
      etag: `"${o.md5Hash}"`,
    });
    res.end(o.data);
  };

  const metadataFromBody = (body: Buffer): ObjectMetadataInput => {
    if (body.length === 0) return {};
    try {
      return JSON.parse(body.toString('utf8')) as ObjectMetadataInput;
    } catch {
      throw badRequest('Metadata part is not valid JSON');
    }
  };

  const insert = (req: IncomingMessage, res: Reply, target: Target, query: Record<string, string>, body: Buffer) => {
    bucketOf(target.bucket);
    const bucket = target.bucket as string;
    const uploadType = query['uploadType'];
    if (uploadType === 'media') {
      if (!query['name']) throw badRequest('Required', 'name');
      checkPreconditions(bucket, query['name'], query['ifGenerationMatch'], target);
      checkUploadHashes(req.headers['x-goog-hash'], body);
      const contentType = req.headers['content-type'];
      return sendJson(res, 200, resource(store(bucket, query['name'], body, contentType ? { contentType } : {})));
    }
    if (uploadType === 'multipart') {
      const parts = parseMultipartRelated(req.headers['content-type'] ?? '', body);
      const [meta, media] = parts;
      if (!meta || !media) throw badRequest('A multipart upload needs a metadata part and a media part');
      const metadata = metadataFromBody(meta.body);
      const name = query['name'] ?? metadata.name;
      if (!name) throw badRequest('Required', 'name');
      checkPreconditions(bucket, name, query['ifGenerationMatch'], { ...target, object: name });
      checkUploadHashes(req.headers['x-goog-hash'], media.body);
      const contentType = metadata.contentType ?? media.headers['content-type'];
      return sendJson(res, 200, resource(store(bucket, name, media.body, { ...(contentType ? { contentType } : {}), ...(metadata.metadata ? { metadata: metadata.metadata } : {}) })));
    }
    if (uploadType === 'resumable') {
      const metadata = metadataFromBody(body);
      const name = query['name'] ?? metadata.name;
      if (!name) throw badRequest('Required', 'name');
      const id = randomUUID();
      const declaredType = req.headers['x-upload-content-type'];
      sessions.set(id, {
        bucket,
        name,
        contentType: metadata.contentType ?? (typeof declaredType === 'string' ? declaredType : 'application/octet-stream'),
        ...(metadata.metadata ? { metadata: metadata.metadata } : {}),
        ...(query['ifGenerationMatch'] !== undefined ? { ifGenerationMatch: query['ifGenerationMatch'] } : {}),
        chunks: [],
        received: 0,
      });
      const location = `${endpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      return sendJson(res, 200, undefined, { location });
    }
    throw badRequest(`Invalid upload type ${uploadType ?? '(none)'}`, 'uploadType');
  };

  const upload = (req: IncomingMessage, res: Reply, target: Target, query: Record<string, string>, body: Buffer) => {
    const session = sessions.get(query['upload_id'] ?? '');
    if (!session) throw new StorageHttpError(404, { domain: 'global', reason: 'notFound', message: 'No such upload session.' });
    if (session.result) return sendJson(res, 200, session.result);
    const range = req.headers['content-range'];
    let final = false;
    if (range === undefined) {
      final = true;
    } else {
      const status = /^bytes \*\/(\*|\d+)$/.exec(range);
      const chunk = /^bytes (\d+)-(\d+|\*)\/(\*|\d+)$/.exec(range);
      if (status) {
        if (status[1] !== '*') session.total = Number(status[1]);
        final = session.total !== undefined && session.received === session.total;
      } else if (chunk) {
        const start = Number(chunk[1]);
        if (start > session.received) throw badRequest(`Upload out of order: expected offset ${session.received}, got ${start}`);
        const fresh = body.subarray(session.received - start);
        session.chunks.push(fresh);
        session.received += fresh.length;
        if (chunk[3] !== '*') session.total = Number(chunk[3]);
        // `bytes N-*/…` sends everything that is left in this one request.
        final = chunk[2] === '*' || (session.total !== undefined && session.received >= session.total);
      } else {
        throw badRequest(`Invalid Content-Range ${range}`);
      }
    }
    if (range === undefined) {
      session.chunks.push(body);
      session.received += body.length;
    }
    if (!final) {
      return sendJson(res, 308, undefined, session.received > 0 ? { range: `bytes=0-${session.received - 1}` } : {});
    }
    const data = Buffer.concat(session.chunks);
    const objectTarget = { ...target, object: session.name };
    checkPreconditions(session.bucket, session.name, session.ifGenerationMatch, objectTarget);
    checkUploadHashes(req.headers['x-goog-hash'], data);
    session.result = resource(store(session.bucket, session.name, data, { contentType: session.contentType, ...(session.metadata ? { metadata: session.metadata } : {}) }));
    return sendJson(res, 200, session.result);
  };

  const copy = (res: Reply, target: Target, query: Record<string, string>, body: Buffer) => {
    const source = objectOf(target);
    if (query['sourceGeneration'] !== undefined && query['sourceGeneration'] !== source.generation) {
      throw new StorageHttpError(404, failureDetail({ status: 404 }, target));
    }
    const destBucket = target.destBucket as string;
    const destObject = target.destObject as string;
    bucketOf(destBucket);
    checkPreconditions(destBucket, destObject, query['ifGenerationMatch'], { ...target, bucket: destBucket, object: destObject });
    const metadata = metadataFromBody(body);
    const hasMetadata = body.length > 0 && Object.keys(metadata).length > 0;
    // A request body replaces the destination's metadata; without one the source's is copied.
    const custom = hasMetadata ? metadata.metadata : source.metadata;
    const copied = store(destBucket, destObject, source.data, {
      contentType: metadata.contentType ?? source.contentType,
      ...(custom ? { metadata: custom } : {}),
    });
    if (target.route === 'objects.copy') return sendJson(res, 200, resource(copied));
    const size = String(copied.data.length);
    return sendJson(res, 200, { kind: 'storage#rewriteResponse', totalBytesRewritten: size, objectSize: size, done: true, resource: resource(copied) });
  };

  const handle = (req: IncomingMessage, res: Reply, target: Target, query: Record<string, string>, body: Buffer) => {
    const failure = failures.find(
      (f) => f.remaining > 0 && (f.failure.route === undefined || f.failure.route === target.route) && (f.failure.object === undefined || f.failure.object === target.object),
    );
    if (failure) {
      failure.remaining--;
      throw new StorageHttpError(failure.failure.status, failureDetail(failure.failure, target));
    }
    switch (target.route) {
      case 'buckets.get': {
        bucketOf(target.bucket);
        return sendJson(res, 200, { kind: 'storage#bucket', id: target.bucket, name: target.bucket, location: 'US', storageClass: 'STANDARD', metageneration: '1' });
      }
      case 'objects.list':
        return sendJson(res, 200, listObjects(target, query));
      case 'objects.get': {
        const o = objectOf(target);
        if (query['generation'] !== undefined && query['generation'] !== o.generation) throw new StorageHttpError(404, failureDetail({ status: 404 }, target));
        return sendJson(res, 200, resource(o));
      }
      case 'objects.download': {
        const o = objectOf(target);
        // Without versioning only the live generation exists; asking for another is a 404.
        if (query['generation'] !== undefined && query['generation'] !== o.generation) throw new StorageHttpError(404, failureDetail({ status: 404 }, target));
        return sendMedia(res, o);
      }
      case 'objects.delete': {
        objectOf(target);
        bucketOf(target.bucket).delete(target.object as string);
        return sendJson(res, 204, undefined);
      }
      case 'objects.insert':
        return insert(req, res, target, query, body);
      case 'objects.upload':
        return upload(req, res, target, query, body);
      case 'objects.rewrite':
      case 'objects.copy':
        return copy(res, target, query, body);
      default:
        throw new StorageHttpError(404, { domain: 'global', reason: 'notFound', message: `Not Found: ${req.method} ${req.url}` });
    }
  };

  const server = createServer((req, response) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams.entries());
    const target = route(req.method ?? 'GET', url);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const res: Reply = Object.assign(response, {
        log: (status: number) => {
          requests.push({
            method: req.method ?? 'GET',
            route: target.route,
            ...(target.bucket !== undefined ? { bucket: target.bucket } : {}),
            ...(target.object !== undefined ? { object: target.object } : {}),
            path: url.pathname,
            query,
            status,
            bodyBytes: body.length,
            ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
          });
        },
      });
      try {
        handle(req, res, target, query, body);
      } catch (err) {
        if (err instanceof StorageHttpError) sendError(res, err);
        else sendError(res, new StorageHttpError(500, { domain: 'global', reason: 'internalError', message: String(err) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const toBuffer = (data: Uint8Array | string) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));

  return {
    apiEndpoint: endpoint,
    requests,
    createBucket: (name) => {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    putObject: (bucket, name, data, opts = {}) => store(bucket, name, toBuffer(data), opts),
    getObject: (bucket, name) => buckets.get(bucket)?.get(name),
    listObjects: (bucket, prefix = '') =>
      [...(buckets.get(bucket)?.values() ?? [])].filter((o) => o.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    corruptObject: (bucket, name, data) => {
      const o = buckets.get(bucket)?.get(name);
      if (!o) throw new Error(`fake Storage has no object ${bucket}/${name}`);
      o.data = toBuffer(data);
    },
    failNext: (count, failure) => {
      failures.push({ remaining: count, failure });
    },
    requestsTo: (r) => requests.filter((x) => x.route === r),
    clearRequests: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
