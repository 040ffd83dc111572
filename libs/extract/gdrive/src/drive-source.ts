import type { Readable } from 'node:stream';
// The per-API entry point loads Drive alone; `googleapis`' index loads every Google API
// (about a second of start-up) for the same client.
import { auth as googleAuth, drive as driveClient, type drive_v3 } from 'googleapis/build/src/apis/drive/index.js';
import type { Source, SourceFile } from '@sp01/contracts';
import { GOOGLE_RETRY_POLICY, googleErrorReasons, httpStatusOf, silentLogger, Sp01Error, withRetry, type Logger, type RetryPolicy } from '@sp01/core';
import { describeGoogleError, toDriveApiError } from './drive-api-error.js';

export const DRIVE_READONLY_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';
export const DRIVE_FOLDER_MIME = 'application/vnd.google-apps.folder';
export const GOOGLE_SHEET_MIME = 'application/vnd.google-apps.spreadsheet';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What googleapis accepts as credentials: application default credentials or an OAuth2 client. */
export type DriveAuth = InstanceType<typeof googleAuth.GoogleAuth> | InstanceType<typeof googleAuth.OAuth2>;

export interface DriveSourceOptions {
  /** The Drive folder the back office's exports land in (the id in its URL). */
  folderId: string;
  /** Also look in sub-folders (ids are then relative paths such as `2025-03/top_up.xlsx`). */
  recursive?: boolean;
  /**
   * Defaults to application default credentials with the drive.readonly scope: the service
   * account key file named by GOOGLE_APPLICATION_CREDENTIALS, or the runtime's identity.
   */
  auth?: DriveAuth;
  /** Where the Drive API lives; a local fake in tests. */
  rootUrl?: string;
  /** Files per files.list page (Drive allows up to 1000). */
  pageSize?: number;
  /** Overrides of GOOGLE_RETRY_POLICY (429, rate-limit 403 and 5xx are retried with backoff and jitter). */
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
}

const LIST_FIELDS = 'nextPageToken,files(id,name,mimeType,md5Checksum,size,modifiedTime,createdTime,version)';

interface Listed {
  file: drive_v3.Schema$File & { id: string; name: string; mimeType: string };
  /** Folder path of the file relative to the source folder, with a trailing `/` (or empty). */
  folderPath: string;
}

/** Excel leaves `~$name.xlsx` lock files beside open workbooks, and sync clients upload them. */
function isWorkbook(file: Listed['file']): boolean {
  if (file.name.startsWith('~$')) return false;
  if (file.mimeType === GOOGLE_SHEET_MIME || file.mimeType === XLSX_MIME) return true;
  return !file.mimeType.startsWith('application/vnd.google-apps.') && /\.xlsx$/i.test(file.name);
}

/** A native Sheet is exported as .xlsx, so it is shown (and keyed) with that extension. */
function workbookName(file: Listed['file']): string {
  return file.mimeType === GOOGLE_SHEET_MIME && !/\.xlsx$/i.test(file.name) ? `${file.name}.xlsx` : file.name;
}

const attempts = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

/** A Drive call that failed for good: the last error, and how many attempts were made. */
class DriveCallFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly attempts: number,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Why a folder cannot be read, in words that say what to fix. 404 and 403 look alike
 * from Drive: a folder not shared with the service account simply does not exist for it.
 */
function unavailable(folderId: string, error: unknown, tries: number): Sp01Error {
  const status = httpStatusOf(error);
  const detail = describeGoogleError(error);
  const rateLimited = googleErrorReasons(error).some((r) => /RateLimitExceeded$/i.test(r));
  let why: string;
  if (status === undefined && /default credentials/i.test(detail)) {
    why = 'has no credentials to be read with: set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run gcloud auth application-default login';
  } else if (status === 404) why = 'was not found: it does not exist, or it is not shared with the service account (share it as Viewer)';
  else if (status === 401) why = 'refused the credentials: check GOOGLE_APPLICATION_CREDENTIALS or the application default credentials';
  else if (status === 403 && !rateLimited) why = 'denied access: share the folder with the service account as Viewer and enable the Drive API in its project';
  else why = `could not be read after ${attempts(tries)}`;
  return new Sp01Error('source_unavailable', `Drive folder ${folderId} ${why} (${detail})`, { cause: error });
}

/**
 * A Drive folder of `.xlsx` exports (uploaded workbooks, and native Google Sheets exported
 * as .xlsx): each file with its size, modified time and a checksum that changes with it.
 */
export function createDriveSource(options: DriveSourceOptions): Source {
  const { folderId } = options;
  const logger = (options.logger ?? silentLogger).child({ source: 'gdrive', folder: folderId });
  const pageSize = options.pageSize ?? 1000;
  const rootUrl = options.rootUrl === undefined ? undefined : options.rootUrl.endsWith('/') ? options.rootUrl : `${options.rootUrl}/`;
  const drive = driveClient({
    version: 'v3',
    auth: options.auth ?? new googleAuth.GoogleAuth({ scopes: [DRIVE_READONLY_SCOPE] }),
    ...(rootUrl !== undefined ? { rootUrl } : {}),
    // Ours is the only retry: with gaxios retrying too, attempts would multiply and the
    // policy (and its tests) would not be the one in force.
    retry: false,
  });
  const policy: RetryPolicy = {
    ...GOOGLE_RETRY_POLICY,
    ...options.retry,
    onRetry: (info) => {
      logger.warn('Drive request failed, retrying', { attempt: info.attempt, delayMs: info.delayMs, error: describeGoogleError(info.error) });
      options.retry?.onRetry?.(info);
    },
  };

  /** One Drive call under the retry policy. */
  const call = async <T>(operation: () => Promise<T>): Promise<T> => {
    let attempts = 0;
    try {
      return await withRetry(async () => {
        attempts++;
        try {
          return await operation();
        } catch (err) {
          throw toDriveApiError(err);
        }
      }, policy);
    } catch (err) {
      throw new DriveCallFailed(err, attempts);
    }
  };

  const checkFolder = async () => {
    const { data } = await call(() => drive.files.get({ fileId: folderId, fields: 'id,name,mimeType,trashed', supportsAllDrives: true }));
    if (data.mimeType !== DRIVE_FOLDER_MIME) {
      throw new Sp01Error('source_unavailable', `Drive folder ${folderId} is not a folder: it is "${data.name}" (${data.mimeType})`);
    }
    if (data.trashed) throw new Sp01Error('source_unavailable', `Drive folder ${folderId} ("${data.name}") is in the trash`);
  };

  const listChildren = async (parentId: string): Promise<Listed['file'][]> => {
    const children: Listed['file'][] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await call(() =>
        drive.files.list({
          q: `${quote(parentId)} in parents and trashed = false`,
          pageSize,
          fields: LIST_FIELDS,
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
          ...(pageToken ? { pageToken } : {}),
        }),
      );
      for (const f of data.files ?? []) {
        if (f.id && f.name && f.mimeType) children.push(f as Listed['file']);
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return children;
  };

  const walk = async (): Promise<Listed[]> => {
    const found: Listed[] = [];
    const queue = [{ id: folderId, path: '' }];
    // A folder can sit under several parents; each is listed once.
    const seen = new Set([folderId]);
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (const file of await listChildren(next.id)) {
        if (file.mimeType === DRIVE_FOLDER_MIME) {
          if (options.recursive && !seen.has(file.id)) {
            seen.add(file.id);
            queue.push({ id: file.id, path: `${next.path}${file.name}/` });
          }
        } else if (isWorkbook(file)) {
          found.push({ file, folderPath: next.path });
        }
      }
    }
    return found;
  };

  const open = (file: Listed['file']) => async (): Promise<Readable> => {
    try {
      const response =
        file.mimeType === GOOGLE_SHEET_MIME
          ? await call(() => drive.files.export({ fileId: file.id, mimeType: XLSX_MIME }, { responseType: 'stream' }))
          : await call(() => drive.files.get({ fileId: file.id, alt: 'media', supportsAllDrives: true }, { responseType: 'stream' }));
      return response.data;
    } catch (err) {
      if (!(err instanceof DriveCallFailed)) throw err;
      throw new Sp01Error(
        'source_unavailable',
        `Drive file "${file.name}" (${file.id}) in folder ${folderId} could not be downloaded after ${attempts(err.attempts)} (${describeGoogleError(err.error)})`,
        { cause: err.error },
      );
    }
  };

  return {
    description: `Drive folder ${folderId}${options.recursive ? ' (with sub-folders)' : ''}`,
    async list(): Promise<SourceFile[]> {
      let listed: Listed[];
      try {
        await checkFolder();
        listed = await walk();
      } catch (err) {
        if (err instanceof DriveCallFailed) throw unavailable(folderId, err.error, err.attempts);
        throw err;
      }

      // Two files may share a name in one folder. The oldest keeps the plain path as its
      // id, so a newcomer does not change the id (the ledger key) of a file already loaded.
      const byPath = new Map<string, Listed[]>();
      for (const l of listed) {
        const path = l.folderPath + workbookName(l.file);
        byPath.set(path, [...(byPath.get(path) ?? []), l]);
      }
      const files: SourceFile[] = [];
      for (const [path, group] of byPath) {
        group.sort((a, b) => (a.file.createdTime ?? '').localeCompare(b.file.createdTime ?? '') || a.file.id.localeCompare(b.file.id));
        group.forEach(({ file }, i) => {
          const native = file.mimeType === GOOGLE_SHEET_MIME;
          files.push({
            id: i === 0 ? path : `${path}#${file.id}`,
            name: workbookName(file),
            uri: `gdrive://${file.id}`,
            size: Number(file.size ?? 0),
            modifiedAt: new Date(file.modifiedTime ?? 0),
            // A native Sheet has no bytes to hash until exported; its version number grows
            // with every change, so an unchanged Sheet is still skipped.
            checksum: native || !file.md5Checksum ? `drive-version:${file.id}:${file.version ?? '0'}` : `md5:${file.md5Checksum}`,
            open: open(file),
          });
        });
      }
      files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      logger.debug('Drive folder listed', { files: files.length });
      return files;
    },
  };
}
