import { taipeiLocalToUtc } from '@sp01/core';
import { z } from 'zod';

/**
 * A cell as the workbook reader hands it over. Dates read from real date cells arrive as
 * `Date` objects whose UTC fields hold the *wall-clock* time written in the sheet (the
 * exceljs convention); they are local Asia/Taipei times, converted here.
 */
export type CellValue = string | number | boolean | Date | null;

/** Per-workbook facts that change how a cell is read. */
export interface CellContext {
  /** Workbooks saved with the 1904 date system (old Mac Excel) count serials from 1904-01-01. */
  date1904: boolean;
}

const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const SPACES = /[\s\u00A0\u2007\u202F\u3000\uFEFF]+/g;

/** Full-width ASCII (`１２００`, `，`, `．`) to half-width, trimmed, inner runs of any space collapsed. */
const NEEDS_NORMALIZING = /[\uFF01-\uFF5E\s\u00A0\u2007\u202F\u3000\uFEFF]/;

export function normalizeText(value: string): string {
  // Most cells are clean; one test is far cheaper than two replaces and a trim per cell.
  if (!NEEDS_NORMALIZING.test(value)) return value;
  return value
    .replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(SPACES, ' ')
    .trim();
}

export function cellText(value: CellValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  const text = normalizeText(String(value));
  return text === '' ? undefined : text;
}

const CURRENCY_MARK = /^(NT\$|US\$|HK\$|NTD|TWD|USD|HKD|JPY|MYR|RM|\$|¥|￥)\s*/i;
const CURRENCY_SUFFIX = /\s*(元|NTD|TWD|USD|HKD|JPY|MYR)$/i;
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** Reads `1,200`, `NT$1,200`, `１２００`, `(1,200)`, ` 1200 ` as numbers; undefined when the text is not a number. */
export function parseNumber(value: CellValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let text = normalizeText(value).replace(/\s/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1);
  }
  text = text.replace(CURRENCY_MARK, '').replace(CURRENCY_SUFFIX, '');
  if (GROUPED.test(text)) text = text.replace(/,/g, '');
  else if (!PLAIN.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  return negative ? -n : n;
}

const MS_PER_DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * An Excel serial date-time as wall-clock fields in a UTC Date. In the 1900 system Excel
 * believes 1900 was a leap year: serial 60 is the phantom 1900-02-29 (rejected), and
 * serials below it count from 1899-12-31 instead of 1899-12-30.
 */
export function excelSerialToWallClock(serial: number, date1904: boolean): Date | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2958466) return undefined;
  if (date1904) return new Date(EPOCH_1904 + Math.round(serial * MS_PER_DAY));
  if (serial >= 60 && serial < 61) return undefined;
  const adjusted = serial < 60 ? serial + 1 : serial;
  return new Date(EPOCH_1900 + Math.round(adjusted * MS_PER_DAY));
}

// 2025/03/25 14:03:22, 2025-03-25T14:03:22, 2025-03-25 14:03, 2025/3/5, with optional .sss and offset.
const TEXT_DATETIME =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;

interface WallClock {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  offsetMinutes?: number;
}

function parseTextWallClock(text: string): WallClock | undefined {
  const m = TEXT_DATETIME.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, ms, zone] = m;
    let offsetMinutes: number | undefined;
    if (zone) {
      if (zone.toUpperCase() === 'Z') offsetMinutes = 0;
      else {
        const digits = zone.replace(':', '');
        const sign = digits.startsWith('-') ? -1 : 1;
        offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      }
    }
    return {
      y: Number(y),
      mo: Number(mo),
      d: Number(d),
      h: Number(h ?? 0),
      mi: Number(mi ?? 0),
      s: Number(s ?? 0),
      ms: Number((ms ?? '0').padEnd(3, '0')),
      offsetMinutes,
    };
  }
  const c = COMPACT_DATE.exec(text);
  if (c) {
    const [, y, mo, d, h, mi, s] = c;
    return { y: Number(y), mo: Number(mo), d: Number(d), h: Number(h ?? 0), mi: Number(mi ?? 0), s: Number(s ?? 0), ms: 0 };
  }
  return undefined;
}

function wallClockOf(value: CellValue | undefined, ctx: CellContext): WallClock | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = excelSerialToWallClock(value, ctx.date1904);
  else if (typeof value === 'string') {
    const text = normalizeText(value);
    // A serial number typed as text ("45741.5") is still a serial, but a bare 8-digit
    // number is the compact yyyymmdd layout.
    if (/^\d{1,5}(\.\d+)?$/.test(text)) date = excelSerialToWallClock(Number(text), ctx.date1904);
    else return parseTextWallClock(text);
  }
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return {
    y: date.getUTCFullYear(),
    mo: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    h: date.getUTCHours(),
    mi: date.getUTCMinutes(),
    s: date.getUTCSeconds(),
    ms: date.getUTCMilliseconds(),
  };
}

/** A cell holding a local Asia/Taipei date-time (date cell, serial, or text) as a UTC instant. */
export function parseTimestamp(value: CellValue | undefined, ctx: CellContext): Date | undefined {
  const w = wallClockOf(value, ctx);
  if (!w) return undefined;
  const local = taipeiLocalToUtc(w.y, w.mo, w.d, w.h, w.mi, w.s, w.ms);
  if (!local || w.offsetMinutes === undefined) return local;
  // An explicit offset in the text wins over the Asia/Taipei assumption.
  return new Date(Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms) - w.offsetMinutes * 60_000);
}

/** A cell holding a calendar date as `YYYY-MM-DD`. */
export function parseDate(value: CellValue | undefined, ctx: CellContext): string | undefined {
  const w = wallClockOf(value, ctx);
  if (!w || !taipeiLocalToUtc(w.y, w.mo, w.d)) return undefined;
  return `${String(w.y).padStart(4, '0')}-${String(w.mo).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------
// zod cell types. Each reads a raw CellValue, adds an issue with a human reason when it
// cannot, and outputs the canonical value. `undefined` means the cell was blank.

type Issue = { message: string };
const issue = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message } satisfies Issue & { code: 'custom' });
  return z.NEVER;
};

// z.unknown (not z.custom) so that a column missing from the sheet reads like a blank cell
// instead of failing the object's shape check.
const raw = z.unknown() as unknown as z.ZodType<CellValue | undefined>;

/** A cell's output is `undefined` when blank, unless it is required or has a default. */
interface CellOptions {
  required?: boolean;
  default?: unknown;
}
type Out<T, O> = O extends { required: true } ? T : O extends { default: T } ? T : T | undefined;
type Cell<T, O> = z.ZodType<Out<T, O>, CellValue | undefined>;

/**
 * zod 4 refuses an absent key whose schema *outputs* undefined unless the schema says it is
 * optional; a blank optional cell and an absent optional column must read the same.
 */
function finish(schema: z.ZodType, opts: CellOptions): never {
  if (opts.required) return schema as never;
  // An absent key never reaches the inner transform, so its default is applied here too.
  const fallback = opts.default;
  return (fallback === undefined ? schema.optional() : schema.optional().transform((v) => v ?? fallback)) as never;
}

interface Bounds {
  min?: number;
  max?: number;
}

export const cell = {
  text<const O extends CellOptions & { maxLength?: number } = object>(opts: O = {} as O): Cell<string, O> {
    return finish(raw.transform((v, ctx): string | undefined => {
      const text = cellText(v);
      if (text === undefined) return opts.required ? issue(ctx, 'is required but blank') : undefined;
      if (opts.maxLength !== undefined && text.length > opts.maxLength) {
        return issue(ctx, `is longer than ${opts.maxLength} characters`);
      }
      return text;
    }), opts);
  },

  integer<const O extends Bounds & CellOptions & { default?: number } = object>(opts: O = {} as O): Cell<number, O> {
    return finish(raw.transform((v, ctx): number | undefined => {
      if (cellText(v) === undefined) {
        if (opts.default !== undefined) return opts.default as never;
        return opts.required ? issue(ctx, 'is required but blank') : undefined;
      }
      const n = parseNumber(v);
      if (n === undefined) return issue(ctx, 'is not a number');
      if (!Number.isInteger(n)) return issue(ctx, 'is not a whole number');
      if (!Number.isSafeInteger(n)) return issue(ctx, 'is too large');
      return checkBounds(n, opts, ctx);
    }), opts);
  },

  decimal<const O extends Bounds & CellOptions & { scale: number; precision: number }>(opts: O): Cell<number, O> {
    const limit = 10 ** (opts.precision - opts.scale);
    const factor = 10 ** opts.scale;
    return finish(raw.transform((v, ctx): number | undefined => {
      if (cellText(v) === undefined) return opts.required ? issue(ctx, 'is required but blank') : undefined;
      const n = parseNumber(v);
      if (n === undefined) return issue(ctx, 'is not a number');
      const rounded = Math.round(n * factor) / factor;
      // Binary floats from Excel (0.1 + 0.2) are tolerated; a real third decimal is not.
      if (Math.abs(rounded - n) > 1e-9 * Math.max(1, Math.abs(n))) {
        return issue(ctx, `has more than ${opts.scale} decimal places`);
      }
      if (Math.abs(rounded) >= limit) return issue(ctx, `does not fit numeric(${opts.precision},${opts.scale})`);
      return checkBounds(rounded, opts, ctx);
    }), opts);
  },

  timestamp<const O extends CellOptions = object>(context: CellContext, opts: O = {} as O): Cell<Date, O> {
    return finish(raw.transform((v, ctx): Date | undefined => {
      if (cellText(v) === undefined) return opts.required ? issue(ctx, 'is required but blank') : undefined;
      return parseTimestamp(v, context) ?? issue(ctx, 'is not a valid date-time');
    }), opts);
  },

  date<const O extends CellOptions = object>(context: CellContext, opts: O = {} as O): Cell<string, O> {
    return finish(raw.transform((v, ctx): string | undefined => {
      if (cellText(v) === undefined) return opts.required ? issue(ctx, 'is required but blank') : undefined;
      return parseDate(v, context) ?? issue(ctx, 'is not a valid date');
    }), opts);
  },

  /** An enumeration whose cells may hold the canonical code or any of its source labels (Chinese or English). */
  enumeration<T extends string, const O extends CellOptions & { default?: NoInfer<T> } = object>(
    labels: EnumLabels<T>,
    opts: O = {} as O,
  ): Cell<T, O> {
    const lookup = enumLookup(labels);
    const allowed = Object.keys(labels).join(', ');
    return finish(raw.transform((v, ctx): T | undefined => {
      const text = cellText(v);
      if (text === undefined) {
        if (opts.default !== undefined) return opts.default as never;
        return opts.required ? issue(ctx, 'is required but blank') : undefined;
      }
      return lookup.get(enumKey(text)) ?? issue(ctx, `is not one of ${allowed}`);
    }), opts);
  },
};

function checkBounds(n: number, b: Bounds, ctx: z.RefinementCtx): number {
  if (b.min !== undefined && n < b.min) return issue(ctx, `must be >= ${b.min}`);
  if (b.max !== undefined && n > b.max) return issue(ctx, `must be <= ${b.max}`);
  return n;
}

/** Canonical code → the labels a source may use for it (the code itself is always accepted). */
export type EnumLabels<T extends string> = Record<T, readonly (string | number)[]>;

function enumKey(text: string): string {
  return normalizeText(text).toLowerCase().replace(/[\s_-]+/g, ' ');
}

function enumLookup<T extends string>(labels: EnumLabels<T>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [code, names] of Object.entries(labels) as [T, readonly (string | number)[]][]) {
    map.set(enumKey(code), code);
    for (const name of names) map.set(enumKey(String(name)), code);
  }
  return map;
}
