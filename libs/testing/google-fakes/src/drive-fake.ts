import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFields, FieldSelectionError, parseFields, validateFields, type FieldSelection, type ResourceShape } from './drive-fields.js';
import { DriveQueryError, parseDriveQuery } from './drive-query.js';

export const DRIVE_FOLDER_MIME = 'application/vnd.google-apps.folder';
export const GOOGLE_SHEET_MIME = 'application/vnd.google-apps.spreadsheet';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Which Drive v3 method a request called, for the request log and failure injection. */
export type DriveRoute = 'files.list' | 'files.get' | 'files.download' | 'files.export' | 'other';

export interface DriveRequest {
  method: string;
  route: DriveRoute;
  /** The file id in the path, for files.get/download/export. */
  fileId?: string;
  path: string;
  query: Record<string, string>;
  status: number;
  authorization?: string;
}

/** An error Drive answers with instead of serving a request. */
export interface DriveFailure {
  status: number;
  /** `error.errors[0].reason`; defaults per status (429 → rateLimitExceeded, 403 → insufficientFilePermissions…). */
  reason?: string;
  message?: string;
  /** Only requests to this method fail; any request when omitted. */
  route?: DriveRoute;
  /** Only requests about this file fail. */
  fileId?: string;
}

export interface FakeDriveItem {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  trashed: boolean;
  createdTime: string;
  modifiedTime: string;
  version: number;
  /** The shared drive holding the item, if any. */
  driveId?: string;
  /** Bytes of a binary file (absent for folders and native Google files). */
  content?: Buffer;
  /** What files.export serves for a native Google file, by target mimeType. */
  exports: Map<string, Buffer>;
}

export interface AddDriveItemInput {
  name: string;
  /** The parent folder; a folder without one sits in the root of My Drive. */
  parentId?: string;
  id?: string;
  modifiedTime?: Date | string;
  createdTime?: Date | string;
  trashed?: boolean;
}

export interface FakeDriveOptions {
  /** When set, requests must carry `Authorization: Bearer <accessToken>` or get a 401. */
  accessToken?: string;
  /** Drive may return fewer files than pageSize; the fake caps every page at this. */
  maxPageSize?: number;
}

export interface FakeDrive {
  /** What googleapis takes as `rootUrl` (ends with `/`). */
  readonly rootUrl: string;
  /** Every request served, in order. */
  readonly requests: DriveRequest[];
  readonly items: ReadonlyMap<string, FakeDriveItem>;
  addFolder(input: AddDriveItemInput): FakeDriveItem;
  /** A shared drive; its id is also the id of its root folder. */
  addSharedDrive(input: { name: string; id?: string }): FakeDriveItem;
  /** A binary file such as an uploaded `.xlsx`. */
  addFile(input: AddDriveItemInput & { content: Uint8Array | string; mimeType?: string }): FakeDriveItem;
  /** A native Google Sheet; `xlsx` is what files.export serves as Office Open XML. */
  addSheet(input: AddDriveItemInput & { xlsx: Uint8Array }): FakeDriveItem;
  /** Changes a file as an edit would: new bytes or name, a new modified time, a new version. */
  updateFile(id: string, change: { content?: Uint8Array | string; xlsx?: Uint8Array; name?: string; modifiedTime?: Date | string }): FakeDriveItem;
  /** The next `count` matching requests answer with the failure instead. */
  failNext(count: number, failure: DriveFailure): void;
  requestsTo(route: DriveRoute): DriveRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

const FILE_SHAPE: ResourceShape = new Map(
  [
    'kind',
    'id',
    'name',
    'mimeType',
    'description',
    'starred',
    'trashed',
    'explicitlyTrashed',
    'parents',
    'properties',
    'appProperties',
    'spaces',
    'version',
    'webContentLink',
    'webViewLink',
    'iconLink',
    'hasThumbnail',
    'thumbnailLink',
    'viewedByMe',
    'createdTime',
    'modifiedTime',
    'modifiedByMeTime',
    'modifiedByMe',
    'owners',
    'lastModifyingUser',
    'shared',
    'ownedByMe',
    'capabilities',
    'fileExtension',
    'fullFileExtension',
    'originalFilename',
    'md5Checksum',
    'sha1Checksum',
    'sha256Checksum',
    'size',
    'quotaBytesUsed',
    'headRevisionId',
    'driveId',
    'resourceKey',
  ].map((k) => [k, true as const]),
);
const FILE_LIST_SHAPE: ResourceShape = new Map<string, ResourceShape | true>([
  ['kind', true],
  ['nextPageToken', true],
  ['incompleteSearch', true],
  ['files', FILE_SHAPE],
]);
const DEFAULT_FILE_FIELDS = 'kind,id,name,mimeType';
const DEFAULT_LIST_FIELDS = `kind,incompleteSearch,nextPageToken,files(${DEFAULT_FILE_FIELDS})`;

interface ErrorDetail {
  domain: string;
  reason: string;
  message: string;
  locationType?: string;
  location?: string;
}

class DriveHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
  ) {
    super(detail.message);
  }
}

const RATE_LIMIT_MESSAGES: Record<string, string> = {
  rateLimitExceeded: 'Rate Limit Exceeded',
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  dailyLimitExceeded: 'Daily Limit Exceeded',
};

/** Drive's error body for a status, with the reasons and messages Drive uses for it. */
function failureDetail(failure: DriveFailure, fileId: string | undefined): ErrorDetail {
  const { status, reason } = failure;
  const detail = (d: ErrorDetail): ErrorDetail => (failure.message ? { ...d, message: failure.message } : d);
  if (reason && RATE_LIMIT_MESSAGES[reason]) {
    return detail({ domain: 'usageLimits', reason, message: RATE_LIMIT_MESSAGES[reason] as string });
  }
  switch (status) {
    case 401:
      return detail({ domain: 'global', reason: reason ?? 'authError', message: 'Invalid Credentials', locationType: 'header', location: 'Authorization' });
    case 403:
      return detail({ domain: 'global', reason: reason ?? 'insufficientFilePermissions', message: 'The user does not have sufficient permissions for this file.' });
    case 404:
      return detail({ domain: 'global', reason: reason ?? 'notFound', message: `File not found: ${fileId ?? ''}.`, locationType: 'parameter', location: 'fileId' });
    case 429:
      return detail({ domain: 'usageLimits', reason: reason ?? 'rateLimitExceeded', message: 'Rate Limit Exceeded' });
    case 500:
      return detail({ domain: 'global', reason: reason ?? 'internalError', message: 'Internal Error' });
    default:
      if (status >= 500) return detail({ domain: 'global', reason: reason ?? 'backendError', message: 'Backend Error' });
      return detail({ domain: 'global', reason: reason ?? 'badRequest', message: 'Bad Request' });
  }
}

function notFound(fileId: string): DriveHttpError {
  return new DriveHttpError(404, failureDetail({ status: 404 }, fileId));
}

function invalidParameter(location: string, message: string): DriveHttpError {
  return new DriveHttpError(400, { domain: 'global', reason: 'invalid', message, locationType: 'parameter', location });
}

function toTime(value: Date | string | undefined, fallback: () => Date): string {
  if (value === undefined) return fallback().toISOString();
  return (typeof value === 'string' ? new Date(value) : value).toISOString();
}

function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : undefined;
}

/** The Drive v3 File resource of an item, as files.get/files.list return it with `fields=*`. */
function fileResource(item: FakeDriveItem): Record<string, unknown> {
  const binary = item.content !== undefined;
  const ext = binary ? extensionOf(item.name) : undefined;
  return {
    kind: 'drive#file',
    id: item.id,
    name: item.name,
    mimeType: item.mimeType,
    parents: item.parents,
    trashed: item.trashed,
    explicitlyTrashed: item.trashed,
    spaces: ['drive'],
    version: String(item.version),
    createdTime: item.createdTime,
    modifiedTime: item.modifiedTime,
    webViewLink: `https://drive.google.com/file/d/${item.id}/view`,
    ...(item.driveId ? { driveId: item.driveId } : {}),
    ...(binary
      ? {
          size: String(item.content?.length ?? 0),
          md5Checksum: createHash('md5').update(item.content as Buffer).digest('hex'),
          sha1Checksum: createHash('sha1').update(item.content as Buffer).digest('hex'),
          sha256Checksum: createHash('sha256').update(item.content as Buffer).digest('hex'),
          originalFilename: item.name,
          headRevisionId: `rev${item.version}`,
          ...(ext ? { fileExtension: ext, fullFileExtension: ext } : {}),
        }
      : {}),
  };
}

function queryOf(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}

function flag(value: string | undefined): boolean {
  return value === 'true';
}

type Reply = ServerResponse & { log(status: number): void };

interface PageCursor {
  q: string;
  after: number;
}

/**
 * A local HTTP server speaking the Drive v3 REST wire format for the calls a read-only
 * source makes: files.list (q, paging, fields, shared drives), files.get (metadata and
 * `alt=media`), files.export. State lives in memory; helpers add folders, files and Sheets.
 */
export async function startFakeDrive(options: FakeDriveOptions = {}): Promise<FakeDrive> {
  const items = new Map<string, FakeDriveItem>();
  const requests: DriveRequest[] = [];
  const failures: { remaining: number; failure: DriveFailure }[] = [];
  let sequence = 0;
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const tick = () => new Date((clock += 60_000));
  const nextId = () => `1FakeDrive${String(++sequence).padStart(6, '0')}`;

  const add = (input: AddDriveItemInput, fields: Partial<FakeDriveItem> & { mimeType: string }): FakeDriveItem => {
    const id = input.id ?? nextId();
    if (items.has(id)) throw new Error(`fake Drive already has an item with id ${id}`);
    let driveId: string | undefined;
    if (input.parentId !== undefined) {
      const parent = items.get(input.parentId);
      if (!parent || parent.mimeType !== DRIVE_FOLDER_MIME) throw new Error(`fake Drive has no folder ${input.parentId}`);
      driveId = parent.driveId;
    }
    const createdTime = toTime(input.createdTime, tick);
    const item: FakeDriveItem = {
      id,
      name: input.name,
      parents: input.parentId !== undefined ? [input.parentId] : [],
      trashed: input.trashed ?? false,
      createdTime,
      modifiedTime: toTime(input.modifiedTime, () => new Date(createdTime)),
      version: 1,
      exports: new Map(),
      ...(driveId ? { driveId } : {}),
      ...fields,
    };
    items.set(id, item);
    return item;
  };

  const findFailure = (route: DriveRoute, fileId: string | undefined): DriveFailure | undefined => {
    const entry = failures.find(
      (f) => f.remaining > 0 && (f.failure.route === undefined || f.failure.route === route) && (f.failure.fileId === undefined || f.failure.fileId === fileId),
    );
    if (!entry) return undefined;
    entry.remaining--;
    return entry.failure;
  };

  const visible = (item: FakeDriveItem, query: Record<string, string>): boolean =>
    item.driveId === undefined || flag(query['supportsAllDrives']) || flag(query['supportsTeamDrives']);

  const getItem = (fileId: string, query: Record<string, string>): FakeDriveItem => {
    const item = items.get(fileId);
    // Without supportsAllDrives, Drive answers as if shared-drive items did not exist.
    if (!item || !visible(item, query)) throw notFound(fileId);
    return item;
  };

  const selection = (query: Record<string, string>, fallback: string, shape: ResourceShape): FieldSelection => {
    try {
      const parsed = parseFields(query['fields'] ?? fallback);
      validateFields(parsed, shape);
      return parsed;
    } catch (err) {
      if (err instanceof FieldSelectionError) {
        throw new DriveHttpError(400, { domain: 'global', reason: 'invalidParameter', message: err.message, locationType: 'parameter', location: 'fields' });
      }
      throw err;
    }
  };

  const listFiles = (query: Record<string, string>): unknown => {
    const q = query['q'] ?? '';
    let test;
    try {
      test = parseDriveQuery(q);
    } catch (err) {
      if (err instanceof DriveQueryError) throw invalidParameter('q', `Invalid Value: ${err.message}`);
      throw err;
    }
    if (query['orderBy'] !== undefined) throw invalidParameter('orderBy', 'orderBy is not supported by the fake');
    const pageSize = query['pageSize'] === undefined ? 100 : Number(query['pageSize']);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw invalidParameter('pageSize', 'Invalid Value');
    const corpora = query['corpora'] ?? 'user';
    const allDrives = flag(query['includeItemsFromAllDrives']) || flag(query['includeTeamDriveItems']);
    if ((corpora === 'drive' || corpora === 'allDrives') && !allDrives) {
      throw invalidParameter('includeItemsFromAllDrives', `The includeItemsFromAllDrives parameter must be set to true when corpora is ${corpora}.`);
    }
    if (corpora === 'drive' && !query['driveId']) throw invalidParameter('driveId', 'The driveId parameter must be specified when corpora is drive.');
    let after = -1;
    if (query['pageToken'] !== undefined) {
      let cursor: PageCursor | undefined;
      try {
        cursor = JSON.parse(Buffer.from(query['pageToken'], 'base64url').toString('utf8')) as PageCursor;
      } catch {
        cursor = undefined;
      }
      if (!cursor || cursor.q !== q || typeof cursor.after !== 'number') throw invalidParameter('pageToken', 'Invalid Value');
      after = cursor.after;
    }
    const order = [...items.values()];
    const matching = order
      .map((item, index) => ({ item, index }))
      .filter(({ item, index }) => {
        if (index <= after) return false;
        if (item.driveId !== undefined && !allDrives) return false;
        if (corpora === 'drive' && item.driveId !== query['driveId']) return false;
        return test(item);
      });
    const page = matching.slice(0, Math.min(pageSize, options.maxPageSize ?? Infinity));
    const last = page.at(-1);
    const more = last !== undefined && matching.length > page.length;
    const body = {
      kind: 'drive#fileList',
      incompleteSearch: false,
      ...(more ? { nextPageToken: Buffer.from(JSON.stringify({ q, after: last.index } satisfies PageCursor)).toString('base64url') } : {}),
      files: page.map(({ item }) => fileResource(item)),
    };
    return applyFields(body, selection(query, DEFAULT_LIST_FIELDS, FILE_LIST_SHAPE));
  };

  const route = (method: string, url: URL): { route: DriveRoute; fileId?: string } => {
    const m = /^\/drive\/v3\/files(?:\/([^/]+)(\/export)?)?$/.exec(url.pathname);
    if (method !== 'GET' || !m) return { route: 'other' };
    const fileId = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    if (fileId === undefined) return { route: 'files.list' };
    if (m[2]) return { route: 'files.export', fileId };
    return { route: url.searchParams.get('alt') === 'media' ? 'files.download' : 'files.get', fileId };
  };

  // The request is logged as the answer is written, so a client that got its answer always
  // finds its request in the log.
  const sendJson = (res: Reply, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.log(status);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const sendBytes = (res: Reply, mimeType: string, bytes: Buffer) => {
    res.log(200);
    res.writeHead(200, { 'content-type': mimeType, 'content-length': bytes.length });
    res.end(bytes);
  };
  const sendError = (res: Reply, error: DriveHttpError) =>
    sendJson(res, error.status, { error: { code: error.status, message: error.detail.message, errors: [error.detail] } });

  const handle = (req: IncomingMessage, res: Reply, url: URL, query: Record<string, string>, target: { route: DriveRoute; fileId?: string }) => {
    const authorization = req.headers.authorization;
    if (options.accessToken !== undefined) {
      if (authorization === undefined) {
        throw new DriveHttpError(401, { domain: 'global', reason: 'required', message: 'Login Required.', locationType: 'header', location: 'Authorization' });
      }
      if (authorization !== `Bearer ${options.accessToken}`) throw new DriveHttpError(401, failureDetail({ status: 401 }, undefined));
    }
    const failure = findFailure(target.route, target.fileId);
    if (failure) throw new DriveHttpError(failure.status, failureDetail(failure, target.fileId));
    switch (target.route) {
      case 'files.list':
        return sendJson(res, 200, listFiles(query));
      case 'files.get': {
        const item = getItem(target.fileId as string, query);
        return sendJson(res, 200, applyFields(fileResource(item), selection(query, DEFAULT_FILE_FIELDS, FILE_SHAPE)));
      }
      case 'files.download': {
        const item = getItem(target.fileId as string, query);
        if (item.content === undefined) {
          throw new DriveHttpError(403, {
            domain: 'global',
            reason: 'fileNotDownloadable',
            message: 'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
            locationType: 'parameter',
            location: 'alt',
          });
        }
        return sendBytes(res, item.mimeType, item.content);
      }
      case 'files.export': {
        const item = getItem(target.fileId as string, query);
        const mimeType = query['mimeType'];
        if (!mimeType) throw new DriveHttpError(400, { domain: 'global', reason: 'required', message: 'Required parameter: mimeType', locationType: 'parameter', location: 'mimeType' });
        if (!item.mimeType.startsWith('application/vnd.google-apps.') || item.mimeType === DRIVE_FOLDER_MIME) {
          throw new DriveHttpError(403, { domain: 'global', reason: 'fileNotExportable', message: 'Export only supports Docs Editors files.' });
        }
        const bytes = item.exports.get(mimeType);
        if (!bytes) throw new DriveHttpError(400, { domain: 'global', reason: 'badRequest', message: 'The requested conversion is not supported.', locationType: 'parameter', location: 'convertTo' });
        return sendBytes(res, mimeType, bytes);
      }
      default:
        throw new DriveHttpError(404, { domain: 'global', reason: 'notFound', message: `Not Found: ${req.method} ${url.pathname}` });
    }
  };

  const server = createServer((req, response) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = queryOf(url);
    const target = route(req.method ?? 'GET', url);
    const res: Reply = Object.assign(response, {
      log: (status: number) => {
        requests.push({
          method: req.method ?? 'GET',
          route: target.route,
          ...(target.fileId !== undefined ? { fileId: target.fileId } : {}),
          path: url.pathname,
          query,
          status,
          ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
        });
      },
    });
    // Drain the request body (none is expected) before answering.
    req.resume();
    req.on('end', () => {
      try {
        handle(req, res, url, query, target);
      } catch (err) {
        if (err instanceof DriveHttpError) sendError(res, err);
        else sendError(res, new DriveHttpError(500, { domain: 'global', reason: 'internalError', message: String(err) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const toBuffer = (content: Uint8Array | string) => (typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));

  return {
    rootUrl: `http://127.0.0.1:${port}/`,
    requests,
    items,
    addFolder: (input) => add(input, { mimeType: DRIVE_FOLDER_MIME }),
    addSharedDrive: ({ name, id }) => {
      const driveId = id ?? `0AFakeSharedDrive${String(++sequence).padStart(4, '0')}`;
      return add({ name, id: driveId }, { mimeType: DRIVE_FOLDER_MIME, driveId });
    },
    addFile: (input) => add(input, { mimeType: input.mimeType ?? XLSX_MIME, content: toBuffer(input.content) }),
    addSheet: (input) => add(input, { mimeType: GOOGLE_SHEET_MIME, exports: new Map([[XLSX_MIME, Buffer.from(input.xlsx)]]) }),
    updateFile: (id, change) => {
      const item = items.get(id);
      if (!item) throw new Error(`fake Drive has no item ${id}`);
      if (change.content !== undefined) item.content = toBuffer(change.content);
      if (change.xlsx !== undefined) item.exports.set(XLSX_MIME, Buffer.from(change.xlsx));
      if (change.name !== undefined) item.name = change.name;
      item.modifiedTime = toTime(change.modifiedTime, tick);
      item.version++;
      return item;
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
