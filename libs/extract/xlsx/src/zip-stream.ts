import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/*
 * A forward-only reader of a zip archive's local entries, as an .xlsx arrives from a
 * stream (a Drive download cannot seek to the central directory at the end). Each entry's
 * data is inflated as it flows, counted, and checked against its CRC-32 and size, given
 * in the local header or, when the writer streamed it (exceljs and most libraries do),
 * in the data descriptor after it: the deflate stream itself says where it ends.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;
const OLE_SIGNATURE = 0xe011cfd0;
/** Compressed bytes handed to zlib at once: bounds what one write can inflate (deflate tops out near 1:1032). */
// Two writes are in flight (one inflating while the other's output is scanned), so a bomb
// holds at most about 2 × 8 KiB × 1032 = 17 MB of inflated bytes at once.
const FEED_BYTES = 8 * 1024;

/** What went wrong with the archive, said for people (the caller names the file). */
export class ZipFormatError extends Error {}

/** The bytes of the input, pulled on demand; what a reader did not use goes back in front. */
export class ByteSource {
  private readonly iterator: AsyncIterator<Buffer | string>;
  private front: Buffer | undefined;
  /** Bytes taken from the input so far. */
  bytes = 0;
  /** An error of the input stream itself (not of the file): passed on as it is. */
  inputError: unknown;

  constructor(
    input: AsyncIterable<Buffer | string>,
    private readonly onBytes: (total: number) => void,
  ) {
    this.iterator = input[Symbol.asyncIterator]();
  }

  /** The next bytes, or undefined at the end of the input. */
  async next(): Promise<Buffer | undefined> {
    if (this.front) {
      const chunk = this.front;
      this.front = undefined;
      return chunk;
    }
    for (;;) {
      let result: IteratorResult<Buffer | string>;
      try {
        result = await this.iterator.next();
      } catch (error) {
        this.inputError ??= error;
        throw error;
      }
      if (result.done) return undefined;
      const chunk = typeof result.value === 'string' ? Buffer.from(result.value) : result.value;
      if (chunk.length === 0) continue;
      this.bytes += chunk.length;
      this.onBytes(this.bytes);
      return chunk;
    }
  }

  unshift(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.front = this.front ? Buffer.concat([chunk, this.front]) : chunk;
  }

  /** Exactly `n` bytes, or fewer when the input ends first. */
  async take(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const chunk = await this.next();
      if (!chunk) break;
      const want = n - have;
      if (chunk.length > want) {
        this.unshift(chunk.subarray(want));
        parts.push(chunk.subarray(0, want));
        have = n;
      } else {
        parts.push(chunk);
        have += chunk.length;
      }
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

export interface ZipEntryHeader {
  /** The part's name as stored (`xl/worksheets/sheet1.xml`). */
  name: string;
  method: number;
  /** Sizes and CRC come after the data (general purpose flag bit 3). */
  streamed: boolean;
  zip64: boolean;
  crc: number;
  compressedSize: number;
  size: number;
}

export interface InflateOptions {
  /** Inflated bytes allowed for this entry; `onLimit` makes the error once it is passed. */
  limit: number;
  onLimit: (inflated: number) => Error;
  /** Sees each compressed chunk as it passes (a spool of the raw entry). */
  onCompressed?: (chunk: Buffer) => void;
}

/** Reads the entries of one zip archive in order; each entry's data must be read (or skipped) before the next. */
export class ZipStream {
  private pendingData = false;
  private ended = false;
  /** CRC-32 and size of the last entry read through, as checked. */
  verified = { crc: 0, size: 0 };

  constructor(private readonly source: ByteSource) {}

  /** The next entry's header, or undefined once the central directory (the archive's end) is reached. */
  async nextEntry(): Promise<ZipEntryHeader | undefined> {
    if (this.pendingData) throw new Error('the previous zip entry was not read');
    if (this.ended) return undefined;
    const first = this.source.bytes === 0;
    const fixed = await this.source.take(30);
    if (fixed.length < 4) {
      if (first && fixed.length === 0) throw new ZipFormatError('the file is empty');
      throw new ZipFormatError(first ? 'it is not a zip archive, as every .xlsx file is' : 'its zip archive ends early (the file is truncated)');
    }
    const signature = fixed.readUInt32LE(0);
    if (signature === CENTRAL_HEADER || signature === END_OF_CENTRAL) {
      if (first) throw new ZipFormatError('its zip archive has no entries');
      this.ended = true;
      return undefined;
    }
    if (signature !== LOCAL_HEADER) {
      if (first && signature === OLE_SIGNATURE) {
        throw new ZipFormatError('it is a legacy .xls workbook or a password-protected .xlsx, not an .xlsx zip archive');
      }
      if (first) throw new ZipFormatError('it is not a zip archive, as every .xlsx file is');
      throw new ZipFormatError(`its zip archive is damaged (unexpected signature 0x${signature.toString(16)} after ${this.source.bytes - fixed.length} bytes)`);
    }
    if (fixed.length < 30) throw new ZipFormatError('its zip archive ends early (the file is truncated)');
    const flags = fixed.readUInt16LE(6);
    const method = fixed.readUInt16LE(8);
    let crc = fixed.readUInt32LE(14);
    let compressedSize = fixed.readUInt32LE(18);
    let size = fixed.readUInt32LE(22);
    const nameLength = fixed.readUInt16LE(26);
    const extraLength = fixed.readUInt16LE(28);
    const rest = await this.source.take(nameLength + extraLength);
    if (rest.length < nameLength + extraLength) throw new ZipFormatError('its zip archive ends early (the file is truncated)');
    // Bit 11: the name is UTF-8; otherwise CP437, which matches ASCII for every OOXML part name.
    const name = rest.toString(flags & 0x800 ? 'utf8' : 'latin1', 0, nameLength);
    let zip64 = false;
    for (let at = nameLength; at + 4 <= rest.length; ) {
      const id = rest.readUInt16LE(at);
      const length = rest.readUInt16LE(at + 2);
      if (id === 0x0001) {
        zip64 = true;
        let field = at + 4;
        const end = field + length;
        if (size === 0xffffffff && field + 8 <= end) {
          size = Number(rest.readBigUInt64LE(field));
          field += 8;
        }
        if (compressedSize === 0xffffffff && field + 8 <= end) compressedSize = Number(rest.readBigUInt64LE(field));
      }
      at += 4 + length;
    }
    if (flags & 0x1) throw new ZipFormatError(`its zip entry ${name} is encrypted (a password-protected workbook)`);
    if (method !== 0 && method !== 8) throw new ZipFormatError(`its zip entry ${name} uses compression method ${method}; only stored and deflated entries are read`);
    const streamed = (flags & 0x8) !== 0;
    if (streamed && method === 0) {
      throw new ZipFormatError(`its zip entry ${name} is stored uncompressed with its size after the data, which cannot be read as a stream`);
    }
    if (streamed) crc = compressedSize = size = 0;
    this.pendingData = true;
    return { name, method, streamed, zip64, crc, compressedSize, size };
  }

  /**
   * The entry's inflated bytes, in chunks; checked against the entry's CRC-32 and size at
   * its end (a mismatch throws). Stopping early leaves the archive unusable: read to the end.
   */
  async *inflate(entry: ZipEntryHeader, options: InflateOptions): AsyncGenerator<Buffer, void, undefined> {
    let crc = 0;
    let inflated = 0;
    const count = (chunk: Buffer): void => {
      inflated += chunk.length;
      if (inflated > options.limit) throw options.onLimit(inflated);
      crc = crc32(chunk, crc);
    };
    if (entry.method === 0) {
      for (let remaining = entry.compressedSize; remaining > 0; ) {
        const chunk = await this.chunkOf(remaining);
        remaining -= chunk.length;
        options.onCompressed?.(chunk);
        count(chunk);
        yield chunk;
      }
    } else {
      const inflater = new Inflater();
      try {
        let remaining = entry.streamed ? Number.POSITIVE_INFINITY : entry.compressedSize;
        // zlib inflates on the thread pool: the next chunk is inflating while this one is scanned.
        let chunk = remaining > 0 ? await this.chunkOf(remaining) : undefined;
        let writing = chunk ? guarded(inflater.write(chunk)) : undefined;
        while (chunk && writing) {
          const consumed = await writing;
          if (consumed < chunk.length) this.source.unshift(chunk.subarray(consumed));
          remaining -= consumed;
          if (consumed > 0) options.onCompressed?.(consumed < chunk.length ? chunk.subarray(0, consumed) : chunk);
          const produced = inflater.take();
          chunk = undefined;
          writing = undefined;
          if (remaining > 0 && !inflater.ended) {
            chunk = await this.chunkOf(remaining);
            writing = guarded(inflater.write(chunk));
          }
          for (const out of produced) {
            count(out);
            yield out;
          }
        }
        for (const out of await inflater.finish()) {
          count(out);
          yield out;
        }
        // A deflate stream that ends before the size its header gives: the rest is not data.
        if (Number.isFinite(remaining) && remaining > 0) await this.source.take(remaining);
      } catch (error) {
        if (error instanceof InflateError) throw new ZipFormatError(`its zip entry ${entry.name} is damaged (${error.message})`);
        throw error;
      } finally {
        inflater.destroy();
      }
    }
    let { crc: expectedCrc, size: expectedSize } = entry;
    if (entry.streamed) ({ crc: expectedCrc, size: expectedSize } = await this.descriptor(entry));
    this.pendingData = false;
    if (crc !== expectedCrc) {
      throw new ZipFormatError(
        `its zip entry ${entry.name} fails its CRC-32 check (0x${crc.toString(16).padStart(8, '0')}, expected 0x${expectedCrc.toString(16).padStart(8, '0')}): the file is damaged`,
      );
    }
    if (inflated !== expectedSize) {
      throw new ZipFormatError(`its zip entry ${entry.name} inflates to ${inflated} bytes, not the ${expectedSize} its header gives: the file is damaged`);
    }
    this.verified = { crc, size: inflated };
  }

  /** Reads (and checks) an entry nobody needs. */
  async skip(entry: ZipEntryHeader, options: InflateOptions): Promise<void> {
    for await (const chunk of this.inflate(entry, options)) void chunk;
  }

  private async chunkOf(remaining: number): Promise<Buffer> {
    const chunk = await this.source.next();
    if (!chunk) throw new ZipFormatError('its zip archive ends early (the file is truncated)');
    const want = Math.min(remaining, FEED_BYTES);
    if (chunk.length <= want) return chunk;
    this.source.unshift(chunk.subarray(want));
    return chunk.subarray(0, want);
  }

  private async descriptor(entry: ZipEntryHeader): Promise<{ crc: number; size: number }> {
    const sizeBytes = entry.zip64 ? 8 : 4;
    let head = await this.source.take(4);
    if (head.length === 4 && head.readUInt32LE(0) === DATA_DESCRIPTOR) head = await this.source.take(4);
    if (head.length < 4) throw new ZipFormatError('its zip archive ends early (the file is truncated)');
    const sizes = await this.source.take(2 * sizeBytes);
    if (sizes.length < 2 * sizeBytes) throw new ZipFormatError('its zip archive ends early (the file is truncated)');
    const size = entry.zip64 ? Number(sizes.readBigUInt64LE(8)) : sizes.readUInt32LE(4);
    return { crc: head.readUInt32LE(0), size };
  }
}

class InflateError extends Error {}

/** A promise awaited later: its rejection must not count as unhandled while the scan runs (or if the reader stops). */
function guarded<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** zlib's raw inflate driven chunk by chunk: what each write produced, and where the deflate stream ended. */
class Inflater {
  private readonly zlib: InflateRaw = createInflateRaw({ chunkSize: 64 * 1024 });
  private readonly out: Buffer[] = [];
  private error: Error | undefined;
  private wake: (() => void) | undefined;
  private endSeen = false;
  private readonly endPromise: Promise<void>;
  ended = false;

  constructor() {
    this.zlib.on('data', (chunk: Buffer) => this.out.push(chunk));
    this.endPromise = new Promise<void>((resolve) => {
      this.zlib.once('end', () => {
        this.endSeen = true;
        resolve();
      });
      this.zlib.once('close', () => resolve());
    });
    this.zlib.on('error', (error: Error) => {
      this.error ??= error;
      this.wake?.();
    });
  }

  /** Feeds compressed bytes; resolves with how many of them belonged to the deflate stream. */
  async write(chunk: Buffer): Promise<number> {
    const before = this.zlib.bytesWritten;
    await new Promise<void>((resolve) => {
      // A zlib error ends the stream without calling back: the error listener resolves then.
      this.wake = resolve;
      this.zlib.write(chunk, () => resolve());
    });
    this.wake = undefined;
    if (this.error) throw new InflateError(this.error.message);
    const consumed = this.zlib.bytesWritten - before;
    // zlib refuses input past the end of the deflate stream: that is where the entry's data ends.
    if (consumed < chunk.length) this.ended = true;
    return consumed;
  }

  take(): Buffer[] {
    return this.out.splice(0, this.out.length);
  }

  /** The rest of the output once the input is all written; a deflate stream cut short throws. */
  async finish(): Promise<Buffer[]> {
    if (!this.ended) this.zlib.end();
    await this.endPromise;
    if (this.error) throw new InflateError(this.error.message);
    if (!this.endSeen) throw new InflateError('the deflate stream does not end');
    return this.take();
  }

  destroy(): void {
    this.zlib.removeAllListeners('data');
    this.zlib.on('error', () => undefined);
    this.zlib.destroy();
  }
}
