import { googleErrorReasons, httpStatusOf } from '@sp01/core';

export interface GoogleErrorDetail {
  domain?: string;
  reason?: string;
  message?: string;
}

/**
 * A Drive answer other than 2xx, with its body parsed. gaxios leaves the body of a failed
 * streaming request (a download) as raw text in the message, which hides the `reason` that
 * tells a rate limit (retry) from a permission problem (stop); this puts every failure in
 * one shape.
 */
export class DriveApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: GoogleErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DriveApiError';
  }
}

/** A gaxios error as a DriveApiError; anything without an HTTP answer (resets, timeouts) is kept as is. */
export function toDriveApiError(error: unknown): unknown {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  if (typeof response?.status !== 'number') return error;
  let data = response.data;
  // For a streamed request gaxios reads the error body into the error's message instead.
  if (data === undefined && error instanceof Error) data = error.message;
  if (Buffer.isBuffer(data)) data = data.toString('utf8');
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      // Not JSON (a proxy's HTML page, say): the status alone has to do.
    }
  }
  const body = (data as { error?: { message?: unknown; errors?: unknown } } | undefined)?.error;
  const errors = Array.isArray(body?.errors) ? (body.errors as GoogleErrorDetail[]) : [];
  const message = typeof body?.message === 'string' ? body.message : error instanceof Error ? error.message : `HTTP ${response.status}`;
  return new DriveApiError(response.status, message, errors, { cause: error });
}

/** `404 notFound: File not found: 1AbC.` — status, reasons and Google's own message. */
export function describeGoogleError(error: unknown): string {
  const status = httpStatusOf(error);
  const reasons = googleErrorReasons(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === undefined) return message;
  return `${status}${reasons.length ? ` ${reasons.join(',')}` : ''}: ${message}`;
}
