import { isUtf8 } from 'node:buffer';
import { bytesAre, decodeEntities, hasEntity, XmlScanner, XmlSyntaxError } from './xml-scanner.js';

const ESCAPED_CHAR = /_x([0-9A-Fa-f]{4})_/g;

/**
 * OOXML strings escape characters XML cannot hold (a carriage return is `_x000D_`); a
 * literal `_x000D_` is itself escaped as `_x005F_x000D_`, which one left-to-right pass undoes.
 */
export function decodeOoxmlText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(ESCAPED_CHAR, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export interface SharedStringLimits {
  /** Bytes the table may hold: its UTF-8 text plus 8 bytes of index per string. */
  maxBytes: number;
  /** Longest string, in bytes. */
  maxStringBytes: number;
  /** The error for a bound passed. */
  fail: (code: 'shared_strings_too_large' | 'cell_too_large', detail: string) => Error;
}

const MiB = 1024 * 1024;

/**
 * The shared-string table (`xl/sharedStrings.xml`) held as UTF-8 bytes in 1 MiB blocks
 * outside the JavaScript heap, with two offsets per string: a cell's string is decoded
 * only when a row asks for it. Its size is counted as it is read, against `maxBytes`: a
 * workbook with tens of millions of strings is refused instead of exhausting memory.
 */
export class SharedStringTable {
  private readonly blockSize: number;
  private readonly blocks: Buffer[] = [];
  private block: Buffer | undefined;
  private used = 0;
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  /** Strings in the table. */
  count = 0;
  private openStart = -1;

  constructor(private readonly limits: SharedStringLimits) {
    this.blockSize = Math.max(MiB, limits.maxStringBytes);
  }

  /** Bytes held: blocks allocated and index arrays. */
  get bytes(): number {
    return this.blocks.length * this.blockSize + this.starts.byteLength + this.lengths.byteLength;
  }

  /** The string at `index`, or undefined when the table has no such string. */
  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    const start = this.starts[index]!;
    const block = this.blocks[Math.floor(start / this.blockSize)]!;
    const offset = start % this.blockSize;
    return decodeOoxmlText((block as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(offset, offset + this.lengths[index]!));
  }

  begin(): void {
    if (this.block === undefined) this.newBlock();
    this.openStart = this.used;
  }

  append(bytes: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length === 0) return;
    const soFar = this.used - this.openStart;
    if (soFar + length > this.limits.maxStringBytes) {
      throw this.limits.fail(
        'cell_too_large',
        `a shared string holds more than ${this.limits.maxStringBytes} bytes (limit maxCellBytes)`,
      );
    }
    if (this.used + length > this.blockSize) {
      // The string moves whole to a fresh block, so every string is one slice of one block.
      const previous = this.block!;
      const from = this.openStart;
      this.newBlock();
      previous.copy(this.block!, 0, from, from + soFar);
      this.openStart = 0;
      this.used = soFar;
    }
    bytes.copy(this.block!, this.used, start, end);
    this.used += length;
  }

  commit(): void {
    if (this.count === this.starts.length) {
      this.grow();
    }
    const base = (this.blocks.length - 1) * this.blockSize;
    this.starts[this.count] = base + this.openStart;
    this.lengths[this.count] = this.used - this.openStart;
    this.count++;
    this.openStart = -1;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    this.check(this.blocks.length * this.blockSize + size * 8);
    const starts = new Uint32Array(size);
    starts.set(this.starts);
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    this.starts = starts;
    this.lengths = lengths;
  }

  private newBlock(): void {
    this.check((this.blocks.length + 1) * this.blockSize + this.starts.byteLength + this.lengths.byteLength);
    // The block's offsets are stored in 32 bits.
    if ((this.blocks.length + 1) * this.blockSize > 0xffffffff) this.check(Number.POSITIVE_INFINITY);
    this.block = Buffer.allocUnsafeSlow(this.blockSize);
    this.blocks.push(this.block);
    this.used = 0;
  }

  private check(bytes: number): void {
    if (bytes <= this.limits.maxBytes) return;
    throw this.limits.fail(
      'shared_strings_too_large',
      `the shared strings need more than ${Math.round(this.limits.maxBytes / MiB)} MiB (${this.count} strings read so far; limit maxSharedStringsBytes, --max-shared-strings-mb)`,
    );
  }
}

/**
 * Reads `xl/sharedStrings.xml` into a table: rich-text runs are joined, phonetic guides
 * (`<rPh>`, East Asian ruby text) are left out. exceljs's own parser keeps the formatting
 * of every run and lets a phonetic guide replace the text.
 */
class SharedStringsScanner extends XmlScanner {
  private phonetic = 0;
  private inItem = false;

  constructor(
    readonly table: SharedStringTable,
    private readonly limits: SharedStringLimits,
  ) {
    super(limits.maxStringBytes);
  }

  protected textTooLong(bytes: number): Error {
    return this.limits.fail('cell_too_large', `a shared string holds more than ${this.limits.maxStringBytes} bytes (${bytes} read so far; limit maxCellBytes)`);
  }

  protected open(buf: Buffer, nameStart: number, nameEnd: number, _attrEnd: number, selfClosing: boolean): void {
    if (bytesAre(buf, nameStart, nameEnd, 't')) {
      if (this.inItem && this.phonetic === 0 && !selfClosing) this.capturing = true;
    } else if (bytesAre(buf, nameStart, nameEnd, 'si')) {
      this.table.begin();
      this.inItem = true;
      if (selfClosing) this.closeItem();
    } else if (!selfClosing && bytesAre(buf, nameStart, nameEnd, 'rPh')) this.phonetic++;
  }

  protected close(buf: Buffer, nameStart: number, nameEnd: number): void {
    if (bytesAre(buf, nameStart, nameEnd, 't')) this.capturing = false;
    else if (bytesAre(buf, nameStart, nameEnd, 'si')) this.closeItem();
    else if (bytesAre(buf, nameStart, nameEnd, 'rPh')) this.phonetic--;
  }

  protected text(buf: Buffer, start: number, end: number, cdata: boolean): void {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii && !isUtf8(buf.subarray(start, end))) throw new XmlSyntaxError('its shared strings have text that is not valid UTF-8');
    if (cdata || !hasEntity(buf, start, end)) {
      this.table.append(buf, start, end);
      return;
    }
    const decoded = Buffer.from(decodeEntities(buf.toString('utf8', start, end)));
    this.table.append(decoded, 0, decoded.length);
  }

  private closeItem(): void {
    if (!this.inItem) return;
    this.inItem = false;
    this.capturing = false;
    this.table.commit();
  }
}

/** Reads the shared-string table from the inflated bytes of `xl/sharedStrings.xml`. */
export async function readSharedStrings(xml: AsyncIterable<Buffer>, limits: SharedStringLimits): Promise<SharedStringTable> {
  const table = new SharedStringTable(limits);
  const scanner = new SharedStringsScanner(table, limits);
  for await (const chunk of xml) scanner.write(chunk);
  scanner.end();
  return table;
}
