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

/** A client error as a GcsApiError; anything without an HTTP answer (resets, timeouts) is kept as is. */
export function toGcsApiError(error: unknown): unknown {
  const status = httpStatusOf(error);
  if (status === undefined || !(error instanceof Error)) return error;
  let errors = (error as { errors?: unknown }).errors;
  let message = error.message;
  if (!Array.isArray(errors) || errors.length === 0) {
    try {
      const body = JSON.parse(error.message) as { error?: { message?: unknown; errors?: unknown } };
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
