import { pipeline } from 'node:stream/promises';
import type { Storage } from '@google-cloud/storage';
import type { Domain, SourceFile } from '@sp01/contracts';
import { businessDate, httpStatusOf, silentLogger, Sp01Error, type Logger, type RetryPolicy } from '@sp01/core';
import { describeGoogleError } from './gcs-api-error.js';
import { asSp01Error, attempts, storageCaller, storageClient, StorageCallFailed } from './storage-client.js';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Custom metadata that makes re-archiving idempotent for sources whose checksum is not an MD5. */
export const ARCHIVE_CHECKSUM_KEY = 'sp01-checksum';
export const ARCHIVE_SOURCE_KEY = 'sp01-source';

export interface GcsArchiveOptions {
  bucket: string;
  /** Top folder of the archive: objects land at `<prefix>/<domain>/<YYYY-MM-DD>/<name>`. */
  prefix?: string;
  storage?: Storage;
  apiEndpoint?: string;
  projectId?: string;
  /** Files from this size up go by resumable upload (restartable, one more request); smaller ones in one multipart request. */
  resumableFromBytes?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
}

export interface ArchivedFile {
  /** `gs://<bucket>/<prefix>/<domain>/<date>/<name>` */
  uri: string;
  /** `unchanged`: the same bytes were archived there before, nothing was sent. */
  status: 'uploaded' | 'copied' | 'unchanged';
}

export interface GcsArchive {
  readonly description: string;
  /**
   * Keeps a copy of a loaded source file. A file from Cloud Storage is copied server-side
   * (no bytes through this process); any other is streamed up.
   */
  archive(file: SourceFile, domain: Domain, businessDay: string | Date): Promise<ArchivedFile>;
}

/** `gs://bucket/name#generation` → its parts, or undefined for any other URI. */
function parseGsUri(uri: string): { bucket: string; name: string; generation?: string } | undefined {
  const m = /^gs:\/\/([^/]+)\/(.+?)(?:#(\d+))?$/.exec(uri);
  if (!m) return undefined;
  return { bucket: m[1] as string, name: m[2] as string, ...(m[3] ? { generation: m[3] } : {}) };
}

function md5Hex(base64: string | undefined): string | undefined {
  return base64 ? Buffer.from(base64, 'base64').toString('hex') : undefined;
}

/** The raw archive of loaded exports in Cloud Storage, one object per file and business date. */
export function createGcsArchive(options: GcsArchiveOptions): GcsArchive {
  const prefix = (options.prefix ?? 'raw').replace(/^\/+|\/+$/g, '');
  const logger = (options.logger ?? silentLogger).child({ archive: 'gcs', bucket: options.bucket, prefix });
  const storage = storageClient(options);
  const bucket = storage.bucket(options.bucket);
  const call = storageCaller(options.retry, logger);
  const resumableFromBytes = options.resumableFromBytes ?? 8 * 1024 * 1024;

  return {
    description: `Cloud Storage archive gs://${options.bucket}/${prefix}`,
    async archive(file, domain, businessDay) {
      const day = businessDay instanceof Date ? businessDate(businessDay) : businessDay;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Sp01Error('config', `Archive business date must be YYYY-MM-DD, got "${day}"`);
      const objectName = [prefix, domain, day, file.name].filter((p) => p !== '').join('/');
      const uri = `gs://${options.bucket}/${objectName}`;
      const target = bucket.file(objectName);
      const metadata = { [ARCHIVE_CHECKSUM_KEY]: file.checksum, [ARCHIVE_SOURCE_KEY]: file.uri };

      try {
        const existing = await call(async () => {
          try {
            return (await target.getMetadata())[0];
          } catch (err) {
            if (httpStatusOf(err) === 404) return undefined;
            throw err;
          }
        });
        if (existing) {
          const sameMd5 = file.checksum.startsWith('md5:') && md5Hex(existing.md5Hash) === file.checksum.slice(4);
          if (sameMd5 || existing.metadata?.[ARCHIVE_CHECKSUM_KEY] === file.checksum) {
            logger.debug('already archived', { object: objectName });
            return { uri, status: 'unchanged' };
          }
          // Same name and day, other bytes: a re-export replaces the archived one (keep
          // object versioning on the bucket to also keep the old bytes).
          logger.warn('archived file replaced by a different export of the same name', { object: objectName, checksum: file.checksum });
        }
        // Written only over the generation seen, so two runs archiving at once cannot
        // silently overwrite each other.
        const preconditionOpts = { ifGenerationMatch: existing?.generation ?? 0 };

        const source = parseGsUri(file.uri);
        if (source) {
          const from = storage.bucket(source.bucket).file(source.name, source.generation ? { generation: source.generation } : {});
          await call(() => from.copy(target, { contentType: XLSX_MIME, metadata, preconditionOpts }));
          return { uri, status: 'copied' };
        }
        await call(async () =>
          pipeline(
            await file.open(),
            target.createWriteStream({
              resumable: file.size >= resumableFromBytes,
              contentType: XLSX_MIME,
              metadata: { metadata },
              preconditionOpts,
            }),
          ),
        );
        return { uri, status: 'uploaded' };
      } catch (err) {
        if (err instanceof StorageCallFailed) {
          const status = httpStatusOf(err.error);
          const hint =
            status === 403
              ? ': grant the service account roles/storage.objectCreator (and objectViewer) on the archive bucket'
              : status === 412
                ? ': another run archived it at the same time'
                : '';
          throw asSp01Error(err, 'archive_failed', (f) => `Archiving ${file.id} to ${uri} failed after ${attempts(f.attempts)}${hint} (${describeGoogleError(f.error)})`);
        }
        throw err;
      }
    },
  };
}
