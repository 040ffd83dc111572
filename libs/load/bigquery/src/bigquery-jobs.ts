import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { BigQuery, JobMetadata } from '@google-cloud/bigquery';
import { httpStatusOf, withRetry, type Logger, type RetryPolicy } from '@sp01/core';

/**
 * BigQuery jobs run to completion, exactly once each. Every job has an id chosen before
 * its first insert, so a retried insert whose first try did reach BigQuery meets its own
 * job (409) and waits for it instead of starting a second one. A job that ends in a
 * passing failure (backend error, rate limit, a transaction aborted by a concurrent
 * update) runs again under a new id, `<id>_r<attempt>`; every job a load runs is
 * idempotent, so that is safe.
 */

export type JobConfiguration = NonNullable<JobMetadata['configuration']>;

interface ErrorProto {
  reason?: string | null;
  message?: string | null;
  location?: string | null;
}

const TRANSIENT_JOB_REASONS = new Set(['backendError', 'internalError', 'rateLimitExceeded', 'jobBackendError', 'jobInternalError']);

/** A job that finished with an error: its SQL, its data or the service refused it. */
export class BigQueryJobError extends Error {
  readonly reason: string | undefined;

  constructor(
    readonly jobId: string,
    readonly errorResult: ErrorProto,
    readonly errors: readonly ErrorProto[],
  ) {
    const details = errors
      .filter((e) => e.message && e.message !== errorResult.message)
      .slice(0, 5)
      .map((e) => `; ${e.message}`)
      .join('');
    super(`BigQuery job ${jobId} failed (${errorResult.reason ?? 'unknown'}): ${errorResult.message ?? 'no message'}${details}`);
    this.name = 'BigQueryJobError';
    this.reason = errorResult.reason ?? undefined;
  }

  /** Worth running again under a new job id. */
  get transient(): boolean {
    if (this.reason && TRANSIENT_JOB_REASONS.has(this.reason)) return true;
    // A transaction that lost to another one touching the same table.
    return /concurrent update|aborted due to concurrent/i.test(this.errorResult.message ?? '');
  }
}

export interface JobRequest {
  jobId: string;
  configuration: JobConfiguration;
  /** The data of a load job sent with it (a file on local disk); none for gs:// sources and queries. */
  media?: { path: string; bytes: number };
}

export interface JobRunnerOptions {
  bigquery: BigQuery;
  projectId: string;
  location: string | undefined;
  retry: RetryPolicy;
  /** First wait between polls of a running job and the longest one, in ms. */
  poll: { initialMs: number; maxMs: number };
  logger: Logger;
  /** Runs of one job in all when it keeps failing transiently. */
  jobAttempts?: number;
}

export interface JobRunner {
  /** Inserts a job (or finds it inserted), waits until it is DONE; throws BigQueryJobError if it failed. */
  run(request: JobRequest): Promise<JobMetadata>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { bigquery, location, retry, logger } = options;
  const sleep = retry.sleep ?? defaultSleep;

  async function insert(jobId: string, request: JobRequest): Promise<void> {
    await withRetry(async () => {
      try {
        if (request.media) {
          await uploadJob(bigquery, options.projectId, { jobReference: { projectId: options.projectId, jobId, location }, configuration: request.configuration }, request.media);
        } else {
          await bigquery.createJob({ jobId, ...(location ? { location } : {}), configuration: request.configuration });
        }
      } catch (err) {
        // The id is new and ours: a job already there is one an earlier try (ours, or the
        // client's own retry) inserted before its answer was lost.
        if (httpStatusOf(err) === 409) {
          logger.debug('job already inserted by an earlier try; waiting for it', { jobId });
          return;
        }
        throw err;
      }
    }, retry);
  }

  async function wait(jobId: string): Promise<JobMetadata> {
    const job = bigquery.job(jobId, location ? { location } : {});
    let delay = options.poll.initialMs;
    for (;;) {
      const [metadata] = await withRetry(() => job.getMetadata(), retry);
      const status = metadata.status;
      if (status?.state === 'DONE') {
        if (status.errorResult) throw new BigQueryJobError(jobId, status.errorResult, status.errors ?? []);
        return metadata;
      }
      await sleep(delay);
      delay = Math.min(options.poll.maxMs, delay * 2);
    }
  }

  return {
    run(request) {
      return withRetry(
        async (attempt) => {
          const jobId = attempt === 1 ? request.jobId : `${request.jobId}_r${attempt}`;
          await insert(jobId, request);
          return wait(jobId);
        },
        {
          ...retry,
          maxAttempts: options.jobAttempts ?? 3,
          retryable: (err) => err instanceof BigQueryJobError && err.transient,
          onRetry: (info) => logger.warn('BigQuery job failed transiently; running it again', { jobId: request.jobId, attempt: info.attempt, error: (info.error as Error).message }),
        },
      );
    },
  };
}

/** An error shaped like the Google clients' ApiError, so the retry policy reads it the same way. */
export function googleApiError(status: number, body: unknown): Error {
  const error = (body as { error?: { message?: string; errors?: { reason?: string; message?: string }[] } } | undefined)?.error;
  const message = error?.message ?? (typeof body === 'string' && body ? body : `HTTP ${status}`);
  return Object.assign(new Error(message), { code: status, errors: error?.errors ?? [], response: { status, data: body } });
}

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof (headers as Headers).forEach === 'function') {
    (headers as Headers).forEach((value, key) => {
      out[key] = value;
    });
  } else if (headers && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * jobs.insert with its data: the multipart upload protocol (JSON metadata, then the file),
 * streamed from disk with a known length. The client's own upload stream cannot carry
 * job-level labels, so this one request is made here, authorised by the client's auth.
 */
export async function uploadJob(
  bigquery: BigQuery,
  projectId: string,
  job: { jobReference: { projectId: string; jobId: string; location: string | undefined }; configuration: JobConfiguration },
  media: { path: string; bytes: number },
): Promise<JobMetadata> {
  const url = new URL(`${bigquery.apiEndpoint}/upload/bigquery/v2/projects/${encodeURIComponent(projectId)}/jobs`);
  url.searchParams.set('uploadType', 'multipart');
  const auth = plainHeaders(await bigquery.authClient.getRequestHeaders(url.toString()));
  const boundary = `sp01-${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(job)}\r\n` +
      `--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const headers = {
    ...auth,
    'Content-Type': `multipart/related; boundary=${boundary}`,
    'Content-Length': String(head.length + media.bytes + tail.length),
    'User-Agent': 'sp01-load-bigquery',
  };
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(media.path);
    file.on('error', (err) => req.destroy(err));
    file.on('end', () => req.end(tail));
    // pipe() waits for the socket: the file is read only as fast as it is sent.
    file.pipe(req, { end: false });
  });
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error message
  }
  if (status >= 400 || status === 0) throw googleApiError(status, body);
  return body as JobMetadata;
}
