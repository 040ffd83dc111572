import { isUtf8 } from 'node:buffer';
import { excelSerialToWallClock, type CellValue } from '@sp01/contracts';
import type { DateStyles } from './number-formats.js';
import { decodeOoxmlText, type SharedStringTable } from './shared-strings.js';
import { bytesAre, decodeEntities, hasEntity, isSpace, XmlScanner, XmlSyntaxError } from './xml-scanner.js';

/** One `<row>` of a worksheet with its cells already typed. */
export interface SheetRow {
  /** 1-based, as Excel shows it. */
  number: number;
  /** By 0-based column; a hole is a blank cell. */
  values: CellValue[];
  /** 0-based column of the leftmost cell with content (an error counts), or -1 for a blank row. */
  first: number;
  /** Error cells (`#N/A`, `#DIV/0!`…): 0-based column and the error, read as null in `values`. */
  errors: [column: number, error: string][] | undefined;
}

/** What a worksheet's cells refer to elsewhere in the workbook, and the bounds of one sheet. */
export interface SheetContext {
  sharedStrings: SharedStringTable | undefined;
  dateStyles: DateStyles;
  date1904: boolean;
  maxRows: number;
  maxCells: number;
  maxCellBytes: number;
  /** Makes the error for a bound passed (`what` names the limit) or a malformed sheet. */
  fail: (code: 'sheet_too_large' | 'cell_too_large' | 'not_a_workbook', detail: string, row?: number) => Error;
}

function malformed(ctx: SheetContext, error: unknown): unknown {
  if (!(error instanceof XmlSyntaxError)) return error;
  return ctx.fail('not_a_workbook', `not a readable workbook: the sheet's XML is not well-formed: ${error.message}`);
}

/** Excel's last column, XFD. */
const MAX_COLUMNS = 16384;
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

const enum CellType {
  Number,
  Shared,
  Str,
  Inline,
  Boolean,
  Error,
  Date,
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?/;

/** A `t="d"` cell (ISO 8601 text) as wall-clock fields in a UTC Date, like every other date cell. */
function isoWallClock(text: string): Date | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  const date = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0'))),
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A decimal written plainly (`-12.5`, at most 15 digits) straight from its bytes: both the
 * digits and the power of ten are exact doubles, so one division rounds exactly as `Number`
 * does. Anything else (exponents, spaces, hex) returns undefined and goes through `Number`.
 */
function plainNumber(buf: Buffer, start: number, end: number): number | undefined {
  let i = start;
  const negative = buf[i] === 0x2d;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const byte = buf[i]!;
    if (byte >= 0x30 && byte <= 0x39) {
      mantissa = mantissa * 10 + (byte - 0x30);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (byte === 0x2e && fraction < 0) fraction = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa;
  return negative ? -value : value;
}

/** A whole number from ASCII digits, or -1. */
function digitsValue(buf: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    if (byte < 0x30 || byte > 0x39) return -1;
    n = n * 10 + (byte - 0x30);
  }
  return n;
}

function numberAttribute(buf: Buffer, start: number, end: number): number {
  const n = digitsValue(buf, start, end);
  return n >= 0 ? n : Number(buf.toString('utf8', start, end));
}

/**
 * The rows of one worksheet, scanned from the bytes of its XML. This is the hot loop of
 * every load: tags are matched by their bytes, numbers and shared-string indices are parsed
 * from the bytes, and only the text of string cells becomes a string. Each cell is typed
 * from its XML type: a formula's cached result keeps its type (text, boolean, number, date
 * by number format, or the error it evaluated to), inline rich text keeps all its runs,
 * phonetic guides are left out, and cells or rows without an `r` reference follow their
 * predecessor. Rows without a single cell are counted (against `maxRows`) but not emitted.
 */
export class SheetScanner extends XmlScanner {
  /** Rows completed by the writes so far; the caller empties it. */
  readonly ready: SheetRow[] = [];
  private row: SheetRow | undefined;
  private rowNumber = 0;
  private rows = 0;
  private cells = 0;
  private column = -1;
  private type = CellType.Number;
  private style = 0;
  private inCell = false;
  private inInline = false;
  private hasValue = false;
  private phonetic = 0;
  private textBytes = 0;
  // The first text segment of a value stays a byte range; a second one makes it a string.
  private segment: Buffer | undefined;
  private segmentStart = 0;
  private segmentEnd = 0;
  private segmentCdata = false;
  private joined: string | undefined;

  constructor(private readonly ctx: SheetContext) {
    super(ctx.maxCellBytes);
  }

  protected textTooLong(bytes: number): Error {
    return this.cellTooLong(bytes);
  }

  protected open(buf: Buffer, nameStart: number, nameEnd: number, attrEnd: number, selfClosing: boolean): void {
    const length = nameEnd - nameStart;
    const first = buf[nameStart];
    if (length === 1) {
      if (first === 0x63 /* c */) this.openCell(buf, nameEnd, attrEnd, selfClosing);
      else if (first === 0x76 /* v */) {
        if (!this.inCell) return;
        this.hasValue = true;
        this.resetText();
        this.capturing = !selfClosing;
      } else if (first === 0x74 /* t */) {
        if (this.inInline && this.phonetic === 0 && !selfClosing) this.capturing = true;
      }
    } else if (length === 3) {
      if (first === 0x72 && buf[nameStart + 1] === 0x6f && buf[nameStart + 2] === 0x77 /* row */) {
        this.openRow(buf, nameEnd, attrEnd);
        if (selfClosing) this.closeRow();
      } else if (!selfClosing && bytesAre(buf, nameStart, nameEnd, 'rPh')) this.phonetic++;
    } else if (length === 2 && first === 0x69 && buf[nameStart + 1] === 0x73 /* is */) {
      if (!this.inCell) return;
      this.inInline = !selfClosing;
      this.hasValue = true;
      this.resetText();
    }
  }

  protected close(buf: Buffer, nameStart: number, nameEnd: number): void {
    const length = nameEnd - nameStart;
    const first = buf[nameStart];
    if (length === 1) {
      if (first === 0x63 /* c */) this.closeCell();
      else if (first === 0x76 /* v */ || first === 0x74 /* t */) this.capturing = false;
    } else if (length === 3) {
      if (first === 0x72 && buf[nameStart + 1] === 0x6f && buf[nameStart + 2] === 0x77 /* row */) this.closeRow();
      else if (bytesAre(buf, nameStart, nameEnd, 'rPh')) this.phonetic--;
    } else if (length === 2 && first === 0x69 && buf[nameStart + 1] === 0x73 /* is */) this.inInline = false;
  }

  protected text(buf: Buffer, start: number, end: number, cdata: boolean): void {
    this.textBytes += end - start;
    if (this.textBytes > this.ctx.maxCellBytes) throw this.cellTooLong(this.textBytes);
    if (this.segment === undefined && this.joined === undefined) {
      this.segment = buf;
      this.segmentStart = start;
      this.segmentEnd = end;
      this.segmentCdata = cdata;
      return;
    }
    this.joined = this.textString() + decodeText(buf, start, end, cdata);
    this.segment = undefined;
  }

  /** The end of the sheet's XML: it must be complete. */
  finish(): void {
    this.end();
  }

  private openRow(buf: Buffer, attrStart: number, attrEnd: number): void {
    if (++this.rows > this.ctx.maxRows) {
      throw this.ctx.fail('sheet_too_large', `the sheet has more than ${this.ctx.maxRows} rows (limit maxSheetRows)`);
    }
    let number = this.rowNumber + 1;
    let i = attrStart;
    while (i < attrEnd) {
      while (i < attrEnd && isSpace(buf[i])) i++;
      if (i >= attrEnd) break;
      const nameStart = i;
      while (i < attrEnd && buf[i] !== 0x3d) i++;
      let nameEnd = i;
      while (nameEnd > nameStart && isSpace(buf[nameEnd - 1])) nameEnd--;
      const quoteAt = this.valueStart(buf, i, attrEnd);
      const quote = buf[quoteAt];
      let valueEnd = quoteAt + 1;
      while (valueEnd < attrEnd && buf[valueEnd] !== quote) valueEnd++;
      if (nameEnd - nameStart === 1 && buf[nameStart] === 0x72 /* r */) number = numberAttribute(buf, quoteAt + 1, valueEnd);
      i = valueEnd + 1;
    }
    this.rowNumber = number;
    this.row = { number, values: [], first: -1, errors: undefined };
    this.column = -1;
  }

  private closeRow(): void {
    const row = this.row;
    if (row === undefined) return;
    this.row = undefined;
    if (row.values.length > 0 || row.errors !== undefined) this.ready.push(row);
  }

  private openCell(buf: Buffer, attrStart: number, attrEnd: number, selfClosing: boolean): void {
    if (++this.cells > this.ctx.maxCells) {
      throw this.ctx.fail('sheet_too_large', `the sheet has more than ${this.ctx.maxCells} cells (limit maxSheetCells)`, this.rowNumber);
    }
    let column = this.column + 1;
    let type = CellType.Number;
    let style = 0;
    let i = attrStart;
    while (i < attrEnd) {
      while (i < attrEnd && isSpace(buf[i])) i++;
      if (i >= attrEnd) break;
      const nameStart = i;
      while (i < attrEnd && buf[i] !== 0x3d) i++;
      let nameEnd = i;
      while (nameEnd > nameStart && isSpace(buf[nameEnd - 1])) nameEnd--;
      const quoteAt = this.valueStart(buf, i, attrEnd);
      const quote = buf[quoteAt];
      const valueStart = quoteAt + 1;
      let valueEnd = valueStart;
      while (valueEnd < attrEnd && buf[valueEnd] !== quote) valueEnd++;
      if (nameEnd - nameStart === 1) {
        const name = buf[nameStart];
        if (name === 0x72 /* r */) {
          const ref = this.columnOf(buf, valueStart, valueEnd);
          if (ref >= 0) column = ref;
        } else if (name === 0x74 /* t */) type = cellType(buf, valueStart, valueEnd);
        else if (name === 0x73 /* s */) style = numberAttribute(buf, valueStart, valueEnd);
      }
      i = valueEnd + 1;
    }
    this.column = column;
    this.type = type;
    this.style = style;
    this.hasValue = false;
    this.inCell = !selfClosing;
    this.resetText();
  }

  private valueStart(buf: Buffer, from: number, attrEnd: number): number {
    let i = from + 1;
    while (i < attrEnd && isSpace(buf[i])) i++;
    const quote = buf[i];
    if (from >= attrEnd || (quote !== 0x22 && quote !== 0x27)) {
      throw this.ctx.fail('not_a_workbook', 'not a readable workbook: the sheet has a malformed attribute', this.rowNumber);
    }
    return i;
  }

  /** `AB12` → 27 (0-based column); -1 when the reference has no column letters. */
  private columnOf(buf: Buffer, start: number, end: number): number {
    let n = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
      else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
      else break;
      if (n > MAX_COLUMNS) {
        throw this.ctx.fail('not_a_workbook', `not a readable workbook: a cell reference is beyond column XFD (${buf.toString('latin1', start, Math.min(end, start + 16))})`, this.rowNumber);
      }
    }
    return n - 1;
  }

  private resetText(): void {
    this.segment = undefined;
    this.joined = undefined;
    this.textBytes = 0;
  }

  private textString(): string {
    if (this.joined !== undefined) return this.joined;
    if (this.segment === undefined) return '';
    return decodeText(this.segment, this.segmentStart, this.segmentEnd, this.segmentCdata);
  }

  private closeCell(): void {
    this.inCell = false;
    this.inInline = false;
    this.capturing = false;
    const target = this.row;
    if (target === undefined || !this.hasValue) return;
    let value: CellValue = null;
    let error: string | undefined;
    switch (this.type) {
      case CellType.Shared: {
        const index = this.sharedIndex();
        const shared = this.ctx.sharedStrings?.get(index);
        if (shared === undefined) error = `shared string ${this.textString()} is missing`;
        else value = shared;
        break;
      }
      case CellType.Str:
      case CellType.Inline:
        value = decodeOoxmlText(this.textString());
        break;
      case CellType.Boolean: {
        const text = this.textString();
        value = text === '1' || text === 'true';
        break;
      }
      case CellType.Error: {
        const text = this.textString();
        error = text === '' ? '#ERROR' : text;
        break;
      }
      case CellType.Date: {
        const text = this.textString();
        value = isoWallClock(text) ?? text;
        break;
      }
      default: {
        let n: number | undefined;
        let text: string | undefined;
        if (this.segment !== undefined && !this.segmentCdata) n = plainNumber(this.segment, this.segmentStart, this.segmentEnd);
        if (n === undefined) {
          text = this.textString();
          if (text === '') return;
          n = Number(text);
        }
        if (Number.isNaN(n)) value = text!;
        else if (this.ctx.dateStyles.isDate(this.style)) value = excelSerialToWallClock(n, this.ctx.date1904) ?? n;
        else value = n;
      }
    }
    const column = this.column;
    if (error !== undefined) (target.errors ??= []).push([column, error]);
    else target.values[column] = value;
    if ((target.first < 0 || column < target.first) && (typeof value !== 'string' || value.trim() !== '')) target.first = column;
  }

  private sharedIndex(): number {
    if (this.segment !== undefined && !this.segmentCdata) {
      const n = digitsValue(this.segment, this.segmentStart, this.segmentEnd);
      if (n >= 0) return n;
    }
    return Number(this.textString());
  }

  private cellTooLong(bytes: number): Error {
    const where = this.column >= 0 ? ` in column ${columnName(this.column)}` : '';
    return this.ctx.fail(
      'cell_too_large',
      `a cell${where} holds more than ${this.ctx.maxCellBytes} bytes of text (${bytes} read so far; limit maxCellBytes)`,
      this.rowNumber,
    );
  }
}

function cellType(buf: Buffer, start: number, end: number): CellType {
  const length = end - start;
  const first = buf[start];
  if (length === 1) {
    if (first === 0x73) return CellType.Shared;
    if (first === 0x62) return CellType.Boolean;
    if (first === 0x65) return CellType.Error;
    if (first === 0x64) return CellType.Date;
    return CellType.Number;
  }
  if (bytesAre(buf, start, end, 'str')) return CellType.Str;
  if (bytesAre(buf, start, end, 'inlineStr')) return CellType.Inline;
  return CellType.Number;
}

/** Node's Buffer methods behind `toString(encoding, start, end)`, without its argument handling (a hot path). */
export interface SliceBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** Text of the XML as a string: entities decoded, UTF-8 checked (a broken byte sequence refuses the file). */
export function decodeText(buf: Buffer, start: number, end: number, cdata: boolean): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii && !isUtf8(buf.subarray(start, end))) throw new XmlSyntaxError('it has text that is not valid UTF-8');
  const text = ascii ? (buf as SliceBuffer).latin1Slice(start, end) : (buf as SliceBuffer).utf8Slice(start, end);
  return !cdata && hasEntity(buf, start, end) ? decodeEntities(text) : text;
}

/** 0 → A, 27 → AB. */
export function columnName(column: number): string {
  let name = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Streams a worksheet's rows from its inflated XML; the XML must end complete. */
export async function* scanSheetRows(xml: AsyncIterator<Buffer, void, undefined>, ctx: SheetContext): AsyncGenerator<SheetRow, void, undefined> {
  const scanner = new SheetScanner(ctx);
  const { ready } = scanner;
  for (;;) {
    let done: boolean | undefined;
    try {
      const next = await xml.next();
      done = next.done;
      if (next.done) scanner.finish();
      else scanner.write(next.value);
    } catch (error) {
      throw malformed(ctx, error);
    }
    if (ready.length > 0) {
      const rows = ready.splice(0, ready.length);
      for (const row of rows) yield row;
    }
    if (done) return;
  }
}
