import { googleErrorReasons, httpStatusOf } from '@sp01/core';

export interface GoogleErrorDetail {
  domain?: string;
  reason?: string;
  message?: string;
}

/**
 * A Cloud Storage answer other than 2xx, with its body parsed. On a failed download the
 * client puts the raw JSON body in the error's message and leaves `errors` empty, which
 * hides the `reason` that tells a rate limit (retry) from a permission problem (stop).
 */
export class GcsApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: GoogleErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GcsApiError';
  }
}

/**
 * A chunk answered with a status the resumable uploader would retry (429, 5xx), with its own
 * retries off, fails as a plain Error whose message is all there is:
 * `Retry limit exceeded - status: 503 - {"error":…}`.
 */
const RESUMABLE_FAILURE = /^Retry (?:total time )?limit exceeded - status: (\d{3})(?: - ([\s\S]*))?$/;

/**
 * A client error as a GcsApiError; anything without an HTTP answer (resets, timeouts) is kept
 * as is. The resumable uploader rejects a refused chunk with the bare `error` object of the
 * body (`{ code, message, errors }`, not an Error), which is taken as well.
 */
export function toGcsApiError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const text = (error as { message?: unknown }).message;
  const original = typeof text === 'string' ? text : '';
  const resumable = RESUMABLE_FAILURE.exec(original);
  const status = resumable ? Number(resumable[1]) : httpStatusOf(error);
  if (status === undefined) return error;
  let errors = (error as { errors?: unknown }).errors;
  let message = resumable?.[2] ?? original;
  if (!Array.isArray(errors) || errors.length === 0) {
    try {
      const body = JSON.parse(message) as { error?: { message?: unknown; errors?: unknown } };
      if (Array.isArray(body.error?.errors)) errors = body.error.errors;
      if (typeof body.error?.message === 'string') message = body.error.message;
    } catch {
      // The message was not a JSON body: keep it.
    }
  }
  return new GcsApiError(status, message, Array.isArray(errors) ? (errors as GoogleErrorDetail[]) : [], { cause: error });
}

/** `403 forbidden: … does not have storage.objects.list access …` — status, reasons and Google's message. */
export function describeGoogleError(error: unknown): string {
  const status = httpStatusOf(error);
  const reasons = googleErrorReasons(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === undefined) return message;
  return `${status}${reasons.length ? ` ${reasons.join(',')}` : ''}: ${message}`;
}
