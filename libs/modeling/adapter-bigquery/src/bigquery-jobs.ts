import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { BigQuery, JobMetadata } from '@google-cloud/bigquery';
import type { Logger, RetryPolicy } from '@sp01/core';
import { httpStatusOf, withRetry } from '@sp01/core';

/**
 * Jobs run to completion exactly once each. A job id is chosen before the first insert, so
 * a retried insert whose first try reached BigQuery meets its own job (409) and waits for it
 * rather than running the statement twice. A job that finished with a passing failure
 * (backendError, rateLimitExceeded…) runs again under `<id>_r<attempt>`. Everything else —
 * invalid SQL, an exceeded byte limit, access denied — fails at once.
 */

export type JobConfiguration = NonNullable<JobMetadata['configuration']>;

interface ErrorProto {
  reason?: string | null;
  message?: string | null;
}

const TRANSIENT_JOB_REASONS = new Set(['backendError', 'internalError', 'rateLimitExceeded', 'jobBackendError', 'jobInternalError']);

/** A job that finished with an error: the SQL, the data, a limit or the service refused it. */
export class BigQueryJobError extends Error {
  readonly reason: string | undefined;

  constructor(
    readonly jobId: string,
    readonly errorResult: ErrorProto,
    readonly errors: readonly ErrorProto[],
  ) {
    const more = errors
      .filter((e) => e.message && e.message !== errorResult.message)
      .slice(0, 3)
      .map((e) => `; ${e.message}`)
      .join('');
    super(`${errorResult.message ?? 'BigQuery job failed'}${more} (job ${jobId}, ${errorResult.reason ?? 'unknown reason'})`);
    this.name = 'BigQueryJobError';
    this.reason = errorResult.reason ?? undefined;
  }

  get transient(): boolean {
    if (this.reason && TRANSIENT_JOB_REASONS.has(this.reason)) return true;
    return /concurrent update|aborted due to concurrent/i.test(this.errorResult.message ?? '');
  }
}

export interface JobRequest {
  /** Readable part of the job id, e.g. the node: `model_jaffle_orders`. */
  name: string;
  configuration: JobConfiguration;
  /** Data sent with a load job (a seed's NDJSON). */
  media?: Buffer;
}

export interface JobRunnerOptions {
  bigquery: BigQuery;
  projectId: string;
  location: string | undefined;
  retry: RetryPolicy;
  poll: { initialMs: number; maxMs: number };
  logger: Logger;
  /** Runs of one job in all when it keeps failing transiently (default 3). */
  jobAttempts?: number;
}

export interface JobRunner {
  run(request: JobRequest): Promise<JobMetadata>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A job id BigQuery accepts (letters, digits, `_`, `-`), unique per run. */
export function newJobId(name: string): string {
  const readable = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120);
  return `sp01_${readable}_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
}

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
        // The id is new and ours: a job already there was inserted by an earlier try whose answer was lost.
        if (httpStatusOf(err) === 409) {
          logger.debug('BigQuery job already inserted by an earlier try; waiting for it', { jobId });
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
      const jobId = newJobId(request.name);
      return withRetry(
        async (attempt) => {
          const id = attempt === 1 ? jobId : `${jobId}_r${attempt}`;
          await insert(id, request);
          return wait(id);
        },
        {
          ...retry,
          maxAttempts: options.jobAttempts ?? 3,
          retryable: (err) => err instanceof BigQueryJobError && err.transient,
          onRetry: (info) => logger.warn('BigQuery job failed transiently; running it again', { jobId, attempt: info.attempt, error: (info.error as Error).message }),
        },
      );
    },
  };
}

/** An error shaped like the Google clients' ApiError, so the retry policy reads its status and reasons. */
function googleApiError(status: number, body: unknown): Error {
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
 * jobs.insert with its data in one multipart/related request. The client's own load helpers
 * cannot put labels on the job, so this request is made here, with the client's auth.
 */
async function uploadJob(
  bigquery: BigQuery,
  projectId: string,
  job: { jobReference: { projectId: string; jobId: string; location: string | undefined }; configuration: JobConfiguration },
  media: Buffer,
): Promise<void> {
  const url = new URL(`${bigquery.apiEndpoint}/upload/bigquery/v2/projects/${encodeURIComponent(projectId)}/jobs`);
  url.searchParams.set('uploadType', 'multipart');
  const auth = plainHeaders(await bigquery.authClient.getRequestHeaders(url.toString()));
  const boundary = `sp01-${randomBytes(12).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(job)}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n`),
    media,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const headers = { ...auth, 'Content-Type': `multipart/related; boundary=${boundary}`, 'Content-Length': String(body.length), 'User-Agent': 'sp01-modeling-adapter-bigquery' };
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  if (status >= 400 || status === 0) {
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the text goes into the message
    }
    throw googleApiError(status, parsed);
  }
}
