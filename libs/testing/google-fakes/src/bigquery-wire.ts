import { parseMultipartRelated as parseMultipart, type MultipartPart } from './storage-multipart.js';

/**
 * BigQuery v2 REST shapes as the fake speaks them: resources, error bodies, the `{f:[{v}]}`
 * row format of getQueryResults, and multipart/related upload bodies. Only the fields the
 * clients read are modelled; everything else a request sends is kept as it came.
 */

export interface TableFieldSchema {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: TableFieldSchema[];
  precision?: string;
  scale?: string;
  description?: string;
  defaultValueExpression?: string;
}

export interface TableSchema {
  fields: TableFieldSchema[];
}

export interface DatasetReference {
  projectId: string;
  datasetId: string;
}

export interface TableReference extends DatasetReference {
  tableId: string;
}

export interface JobReference {
  projectId: string;
  jobId: string;
  location?: string;
}

export interface ErrorProto {
  reason: string;
  message: string;
  location?: string;
  domain?: string;
}

export interface QueryParameter {
  name?: string;
  parameterType: { type: string; arrayType?: { type: string } };
  parameterValue?: { value?: string | null; arrayValues?: { value?: string | null }[] };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
};

const DEFAULT_REASONS: Record<number, string> = {
  400: 'invalid',
  403: 'accessDenied',
  404: 'notFound',
  409: 'duplicate',
  429: 'rateLimitExceeded',
  500: 'backendError',
  502: 'backendError',
  503: 'backendError',
};

/** The error body every Google JSON API answers with (`error.errors[].reason` drives retries). */
export function googleErrorBody(status: number, message: string, reason = DEFAULT_REASONS[status] ?? 'invalid') {
  return {
    error: {
      code: status,
      message,
      errors: [{ message, domain: 'global', reason }],
      status: STATUS_NAMES[status] ?? 'UNKNOWN',
    },
  };
}

export function defaultReason(status: number): string {
  return DEFAULT_REASONS[status] ?? 'invalid';
}

/** An HTTP answer the router turns into a response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason = defaultReason(status),
  ) {
    super(message);
  }
}

/**
 * A cell as getQueryResults returns it: every scalar is a string; TIMESTAMP is int64
 * microseconds when the client asks for `formatOptions.useInt64Timestamp` (the Node client
 * always does), float seconds otherwise.
 */
export function encodeCell(field: TableFieldSchema, value: unknown, useInt64Timestamp: boolean): { v: unknown } {
  if (value === null || value === undefined) return { v: null };
  if (field.mode === 'REPEATED') {
    const items = Array.isArray(value) ? value : [value];
    return { v: items.map((item) => encodeCell({ ...field, mode: 'NULLABLE' }, item, useInt64Timestamp)) };
  }
  const type = field.type.toUpperCase();
  if (type === 'RECORD' || type === 'STRUCT') {
    const record = value as Record<string, unknown>;
    return { v: { f: (field.fields ?? []).map((f) => encodeCell(f, record[f.name], useInt64Timestamp)) } };
  }
  if (type === 'TIMESTAMP') {
    const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
    if (Number.isNaN(ms)) throw new Error(`cannot encode ${String(value)} as TIMESTAMP`);
    return { v: useInt64Timestamp ? String(BigInt(ms) * 1000n) : (ms / 1000).toExponential() };
  }
  if (type === 'DATE' && value instanceof Date) return { v: value.toISOString().slice(0, 10) };
  if (type === 'BOOL' || type === 'BOOLEAN') return { v: value ? 'true' : 'false' };
  return { v: String(value) };
}

export function encodeRows(schema: TableSchema, rows: readonly Record<string, unknown>[], useInt64Timestamp: boolean) {
  return rows.map((row) => ({ f: schema.fields.map((field) => encodeCell(field, row[field.name], useInt64Timestamp)) }));
}

/** Named query parameters as plain values: scalars as their wire strings, arrays as lists, NULL as null. */
export function decodeQueryParameters(parameters: readonly QueryParameter[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of parameters ?? []) {
    if (!p.name) continue;
    const v = p.parameterValue;
    if (p.parameterType.type === 'ARRAY') out[p.name] = (v?.arrayValues ?? []).map((x) => x.value ?? null);
    else out[p.name] = v?.value ?? null;
  }
  return out;
}

export type { MultipartPart } from './storage-multipart.js';

/** The Cloud Storage fake's multipart reader, with a malformed body answered as a 400. */
export function parseMultipartRelated(contentType: string, body: Buffer): MultipartPart[] {
  try {
    return parseMultipart(contentType, body);
  } catch (err) {
    throw new HttpError(400, `multipart body: ${(err as Error).message}`);
  }
}
