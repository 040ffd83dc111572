import { Storage } from '@google-cloud/storage';
import { GOOGLE_RETRY_POLICY, silentLogger, Sp01Error, withRetry, type Logger, type RetryPolicy } from '@sp01/core';
import { describeGoogleError, toGcsApiError } from './gcs-api-error.js';

export interface StorageClientOptions {
  /** A configured client; its own retry settings are then the caller's business. */
  storage?: Storage;
  /** Where the JSON API lives; a local fake in tests. */
  apiEndpoint?: string;
  projectId?: string;
}

/**
 * The client SP01 builds when none is given: credentials from GOOGLE_APPLICATION_CREDENTIALS
 * or application default credentials, and the client's own retries off. Ours (withRetry)
 * is the one in force, so attempts do not multiply and the policy is the one tested.
 */
export function storageClient(options: StorageClientOptions): Storage {
  if (options.storage) return options.storage;
  return new Storage({
    ...(options.apiEndpoint !== undefined ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.projectId !== undefined ? { projectId: options.projectId } : {}),
    retryOptions: { autoRetry: false },
  });
}

/** A Storage call that failed for good: the last error, and how many attempts were made. */
export class StorageCallFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly attempts: number,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

export const attempts = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

/** Runs Storage calls under GOOGLE_RETRY_POLICY (with the caller's overrides), logging each retry. */
export function storageCaller(retry: Partial<RetryPolicy> | undefined, logger: Logger = silentLogger) {
  const policy: RetryPolicy = {
    ...GOOGLE_RETRY_POLICY,
    ...retry,
    onRetry: (info) => {
      logger.warn('Cloud Storage request failed, retrying', { attempt: info.attempt, delayMs: info.delayMs, error: describeGoogleError(info.error) });
      retry?.onRetry?.(info);
    },
  };
  return async <T>(operation: () => Promise<T>): Promise<T> => {
    let tries = 0;
    try {
      return await withRetry(async () => {
        tries++;
        try {
          return await operation();
        } catch (err) {
          throw toGcsApiError(err);
        }
      }, policy);
    } catch (err) {
      throw new StorageCallFailed(err, tries);
    }
  };
}

/** Keeps SP01 errors as they are and wraps anything else under `code`. */
export function asSp01Error(err: unknown, code: string, describe: (failure: StorageCallFailed) => string): unknown {
  if (err instanceof StorageCallFailed) return new Sp01Error(code, describe(err), { cause: err.error });
  return err;
}
