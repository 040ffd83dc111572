import type { Readable } from 'node:stream';
import type { File, Storage } from '@google-cloud/storage';
import type { Source, SourceFile } from '@sp01/contracts';
import { googleErrorReasons, httpStatusOf, silentLogger, type Logger, type RetryPolicy } from '@sp01/core';
import { describeGoogleError } from './gcs-api-error.js';
import { asSp01Error, attempts, storageCaller, storageClient, type StorageCallFailed } from './storage-client.js';

export interface GcsSourceOptions {
  bucket: string;
  /** The "folder" of the exports, e.g. `exports/back-office` (a trailing `/` is implied). */
  prefix?: string;
  /** Also take objects below further `/`s (ids are then relative paths such as `2025-03/top_up.xlsx`). */
  recursive?: boolean;
  /** A configured client; otherwise one is built from apiEndpoint/projectId with its own retries off. */
  storage?: Storage;
  apiEndpoint?: string;
  projectId?: string;
  /** Objects per list page (the JSON API allows up to 1000). */
  pageSize?: number;
  /** Overrides of GOOGLE_RETRY_POLICY (429, rate-limit 403 and 5xx are retried with backoff and jitter). */
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
}

/** `reports` and `reports/` both mean the folder `reports/`; the empty prefix is the whole bucket. */
export function folderPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** Excel leaves `~$name.xlsx` lock files beside open workbooks, and sync tools upload them. */
function isWorkbook(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return /\.xlsx$/i.test(base) && !base.startsWith('~$');
}

/** Cloud Storage gives both hashes in base64; SP01 checksums are hex. */
function checksumOf(metadata: File['metadata']): string {
  if (metadata.md5Hash) return `md5:${Buffer.from(metadata.md5Hash, 'base64').toString('hex')}`;
  // Composite objects (parallel uploads) have no MD5, only a CRC32C.
  return `crc32c:${Buffer.from(metadata.crc32c ?? '', 'base64').toString('hex')}`;
}

function unavailable(bucket: string, prefix: string, failure: StorageCallFailed): string {
  const error = failure.error;
  const status = httpStatusOf(error);
  const where = `Cloud Storage bucket ${bucket}${prefix ? ` (prefix ${prefix})` : ''}`;
  const rateLimited = googleErrorReasons(error).some((r) => /RateLimitExceeded$/i.test(r));
  let why: string;
  if (status === undefined && /default credentials/i.test(describeGoogleError(error))) {
    why = 'has no credentials to be read with: set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run gcloud auth application-default login';
  } else if (status === 404) why = 'was not found: check GCS_BUCKET and the project';
  else if (status === 401) why = 'refused the credentials: check GOOGLE_APPLICATION_CREDENTIALS or the application default credentials';
  else if (status === 403 && !rateLimited) why = 'denied access: grant the service account roles/storage.objectViewer on the bucket';
  else why = `could not be listed after ${attempts(failure.attempts)}`;
  return `${where} ${why} (${describeGoogleError(error)})`;
}

/**
 * Waits for the download's answer before handing the stream over, so a refused or
 * throttled download is an error of open() (and retried) rather than of the first read.
 */
function answeredStream(file: File): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const stream = file.createReadStream();
    const onError = (err: Error) => reject(err);
    stream.once('error', onError);
    stream.once('response', (response: { statusCode?: number }) => {
      // Any other answer destroys the stream with an error, which rejects.
      if ((response.statusCode ?? 0) < 300) {
        stream.off('error', onError);
        resolve(stream);
      }
    });
    // The client sends the request on the first read.
    stream.read(0);
  });
}

/**
 * The `.xlsx` exports under a Cloud Storage bucket prefix: each object with its size,
 * update time and MD5, read at the generation that was listed.
 */
export function createGcsSource(options: GcsSourceOptions): Source {
  const prefix = folderPrefix(options.prefix);
  const logger = (options.logger ?? silentLogger).child({ source: 'gcs', bucket: options.bucket, prefix });
  const storage = storageClient(options);
  const bucket = storage.bucket(options.bucket);
  const call = storageCaller(options.retry, logger);
  const pageSize = options.pageSize ?? 1000;

  const open = (name: string, generation: string) => async (): Promise<Readable> => {
    // Pinned to the listed generation: the bytes read are the ones the checksum describes.
    const file = bucket.file(name, { generation });
    try {
      return await call(() => answeredStream(file));
    } catch (err) {
      throw asSp01Error(
        err,
        'source_unavailable',
        (f) => `Cloud Storage object gs://${options.bucket}/${name}#${generation} could not be downloaded after ${attempts(f.attempts)} (${describeGoogleError(f.error)})`,
      );
    }
  };

  return {
    description: `Cloud Storage gs://${options.bucket}/${prefix}${options.recursive ? ' (with sub-folders)' : ''}`,
    async list(): Promise<SourceFile[]> {
      const files: SourceFile[] = [];
      let pageToken: string | undefined;
      try {
        do {
          const [objects, next] = await call(() =>
            bucket.getFiles({
              prefix,
              autoPaginate: false,
              maxResults: pageSize,
              ...(options.recursive ? {} : { delimiter: '/' }),
              ...(pageToken ? { pageToken } : {}),
            }),
          );
          for (const object of objects) {
            const m = object.metadata;
            if (!isWorkbook(object.name) || m.generation === undefined) continue;
            const generation = String(m.generation);
            files.push({
              id: object.name.slice(prefix.length),
              name: object.name.slice(object.name.lastIndexOf('/') + 1),
              uri: `gs://${options.bucket}/${object.name}#${generation}`,
              size: Number(m.size ?? 0),
              modifiedAt: new Date(m.updated ?? 0),
              checksum: checksumOf(m),
              open: open(object.name, generation),
            });
          }
          pageToken = (next as { pageToken?: string } | null)?.pageToken;
        } while (pageToken);
      } catch (err) {
        throw asSp01Error(err, 'source_unavailable', (f) => unavailable(options.bucket, prefix, f));
      }
      logger.debug('Cloud Storage prefix listed', { files: files.length });
      return files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
  };
}
