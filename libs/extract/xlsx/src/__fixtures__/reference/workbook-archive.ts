import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage, SourceFileError } from '@sp01/core';
import { workbookPartParsers, zipEntryParser, type WorkbookPartParsers, type ZipEntry } from '../../exceljs-parts.js';
import type { ReaderLimits } from '../../limits.js';
import { DateStyles } from '../../number-formats.js';
import { readSharedStrings } from './shared-strings.js';
import { readSheetRows, type SheetRow } from './sheet-rows.js';

/** A worksheet of the workbook, its rows ready to be read from the top, once. */
export interface ArchiveSheet {
  name: string;
  rows: AsyncGenerator<SheetRow, void, undefined>;
}

export interface ArchiveOptions {
  fileName: string;
  limits: ReaderLimits;
  /** Where worksheets that arrive before the shared strings wait; default the OS temp dir. */
  tempDir?: string;
}

/*
 * The workbook-level parts are small, so they are read whole before exceljs parses them;
 * this cap (below maxSheetBytes) keeps a bomb hidden in one of them out of memory.
 */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;

const WORKSHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/;
const DATE_1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/;

interface PendingSheet {
  part: string;
  path: string;
}

interface Meter {
  bytes: number;
}

/*
 * Spool folders of readers not closed yet. A caller that drops an opened report without
 * reading it to the end or closing it would leave its sheets on disk; like exceljs's `tmp`,
 * the folders still there when the process exits are removed then.
 */
const openSpoolDirs = new Set<string>();
let exitHookInstalled = false;

/** Removes the spool folders of readers that were never closed (runs at process exit). */
export function removeAbandonedSpoolDirs(): void {
  for (const dir of openSpoolDirs) rmSync(dir, { recursive: true, force: true });
  openSpoolDirs.clear();
}

async function createSpoolDir(parent: string): Promise<string> {
  const dir = await mkdtemp(join(parent, 'sp01-xlsx-'));
  openSpoolDirs.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeAbandonedSpoolDirs);
  }
  return dir;
}

function describeBytes(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes >= MiB ? `${+(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * One .xlsx file read as a stream of zip entries: the workbook-level parts (relationships,
 * workbook, styles, shared strings) are parsed as they pass, worksheets are handed out in
 * tab order. A worksheet can only be parsed once the shared strings and styles are known;
 * Excel (and exceljs) write those after the sheets, so such sheets are spooled to a temp
 * file first, as exceljs does. Inflated bytes are counted as they flow, so a zip bomb stops
 * at the limit, in memory and on disk alike. Any failure of the input, the zip or a limit
 * destroys the streams in flight, so nothing waits forever; `close()` always cleans up.
 */
export class WorkbookArchive {
  private readonly zip: Duplex;
  private readonly parts: WorkbookPartParsers = workbookPartParsers();
  private readonly seen = { rels: false, workbook: false, sharedStrings: false, styles: false };
  private sharedStrings: string[] | undefined;
  private date1904Flag = false;
  private readonly pending: PendingSheet[] = [];
  private spoolDir: Promise<string> | undefined;
  private readonly openFiles = new Set<Readable>();
  private current: ZipEntry | undefined;
  private failure: Error | undefined;
  private compressedBytes = 0;
  private started = false;
  private zipDone = false;
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly options: ArchiveOptions,
  ) {
    this.zip = zipEntryParser();
    // Errors reach the readers through `fail`; these listeners only keep a late error
    // event (unzipper emits some after it is destroyed) from crashing the process.
    this.zip.on('error', (error: Error) => this.fail(this.zipError(error)));
    this.input.on('error', (error: Error) => this.fail(error));
  }

  /** The workbook counts dates from 1904 (known once `xl/workbook.xml` has been read). */
  get date1904(): boolean {
    return this.date1904Flag;
  }

  /** The worksheets in tab order; each must be done with before the next is asked for. */
  async *worksheets(): AsyncGenerator<ArchiveSheet, void, undefined> {
    try {
      let sheets = 0;
      for await (const entry of this.entries()) {
        const part = entry.path.toLowerCase();
        if (part === 'xl/_rels/workbook.xml.rels') {
          await this.parts._parseRels(Readable.from([await this.collect(entry)]));
          this.seen.rels = true;
        } else if (part === 'xl/workbook.xml') {
          const xml = await this.collect(entry);
          await this.parts._parseWorkbook(Readable.from([xml]));
          this.date1904Flag = this.parts.properties?.model?.date1904 === true || DATE_1904.test(xml.toString('utf8', 0, 65536));
          this.seen.workbook = true;
        } else if (part === 'xl/styles.xml') {
          await this.parts._parseStyles(Readable.from([await this.collect(entry)]));
          this.seen.styles = true;
        } else if (part === 'xl/sharedstrings.xml') {
          this.sharedStrings = await readSharedStrings(this.inflate(entry, { bytes: 0 }));
          this.seen.sharedStrings = true;
        } else if (WORKSHEET_PART.test(part) && entry.type === 'File') {
          sheets++;
          if (this.canParseSheets()) {
            const meter = { bytes: 0 };
            const sheet = this.sheet(part, this.inflate(entry, meter));
            yield sheet;
            await sheet.rows.return();
            await this.drain(entry, meter);
          } else {
            this.pending.push({ part, path: await this.spool(entry) });
          }
        } else {
          await this.drain(entry, { bytes: 0 });
        }
      }
      if (!this.seen.workbook) throw this.notAWorkbook('it has no xl/workbook.xml part');
      if (sheets === 0) throw this.notAWorkbook('it has no worksheets');

      this.pending.sort((a, b) => this.tabOf(a.part) - this.tabOf(b.part));
      for (const { part, path } of this.pending) {
        const file = createReadStream(path);
        this.openFiles.add(file);
        const sheet = this.sheet(part, file);
        yield sheet;
        await sheet.rows.return();
        file.destroy();
        this.openFiles.delete(file);
        await rm(path, { force: true });
      }
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * The error to report for anything that went wrong while reading: the first failure of
   * the input or the zip wins; our own errors pass; anything else (malformed XML, a part
   * exceljs cannot parse) means the file is not a readable workbook.
   */
  explain(error: unknown): Error {
    if (this.failure) return this.failure;
    if (error instanceof SourceFileError) return error;
    return this.notAWorkbook(`it cannot be read as an .xlsx workbook (${errorMessage(error)})`, error);
  }

  /** Stops reading, releases the input and the zip, removes spooled sheets. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.unpipe(this.zip);
    this.input.destroy();
    this.current?.destroy();
    this.zip.destroy();
    for (const file of this.openFiles) file.destroy();
    this.openFiles.clear();
    if (this.spoolDir) {
      const dir = await this.spoolDir.catch(() => undefined);
      if (dir) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        openSpoolDirs.delete(dir);
      }
    }
  }

  private async *entries(): AsyncGenerator<ZipEntry, void, undefined> {
    if (this.started) throw new Error('a workbook archive is read once');
    this.started = true;
    const { maxFileBytes } = this.options.limits;
    this.input.pipe(this.zip);
    this.input.on('data', (chunk: Buffer | string) => {
      this.compressedBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (this.compressedBytes > maxFileBytes) {
        this.fail(
          new SourceFileError(
            'file_too_large',
            { file: this.options.fileName },
            `the file is larger than the ${describeBytes(maxFileBytes)} limit (maxFileBytes)`,
          ),
        );
      }
    });
    for await (const entry of this.zip as AsyncIterable<ZipEntry>) {
      entry.on('error', () => undefined);
      if (this.failure) entry.destroy(this.failure);
      this.current = entry;
      yield entry;
      this.current = undefined;
    }
    this.zipDone = true;
    if (this.failure) throw this.failure;
  }

  private fail(error: Error): void {
    if (this.failure || this.closed || this.zipDone) return;
    this.failure = error;
    this.current?.destroy(error);
    this.zip.destroy(error);
  }

  /** Inflated bytes of one entry, counted against the limit as they flow. */
  private async *inflate(entry: ZipEntry, meter: Meter, limit = this.options.limits.maxSheetBytes): AsyncGenerator<Buffer> {
    // Not destroyed when a reader stops early: the rest is drained so the zip moves on.
    for await (const chunk of entry.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      meter.bytes += chunk.length;
      if (meter.bytes > limit) {
        throw new SourceFileError(
          'sheet_too_large',
          { file: this.options.fileName },
          `${entry.path} inflates to more than ${describeBytes(limit)} (limit ${limit === this.options.limits.maxSheetBytes ? 'maxSheetBytes' : 'for workbook metadata'}); the file is damaged or a zip bomb`,
        );
      }
      yield chunk;
    }
  }

  private async drain(entry: ZipEntry, meter: Meter): Promise<void> {
    for await (const chunk of this.inflate(entry, meter)) void chunk;
  }

  private async collect(entry: ZipEntry): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const limit = Math.min(this.options.limits.maxSheetBytes, MAX_METADATA_BYTES);
    for await (const chunk of this.inflate(entry, { bytes: 0 }, limit)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  private async spool(entry: ZipEntry): Promise<string> {
    this.spoolDir ??= createSpoolDir(this.options.tempDir ?? tmpdir());
    const path = join(await this.spoolDir, `sheet-${this.pending.length + 1}.xml`);
    await pipeline(this.inflate(entry, { bytes: 0 }), createWriteStream(path));
    return path;
  }

  /** A sheet can be parsed straight from the zip once everything its cells refer to is known. */
  private canParseSheets(): boolean {
    // Once one sheet waits on disk, the rest wait too, so sheets still come in tab order.
    if (this.pending.length > 0 || !this.seen.workbook || !this.seen.rels) return false;
    const expects = (kind: string) => (this.parts.workbookRels ?? []).some((rel) => rel.Type.endsWith(`/${kind}`));
    if (!this.seen.sharedStrings && expects('sharedStrings')) return false;
    if (!this.seen.styles && expects('styles')) return false;
    return true;
  }

  private sheet(part: string, xml: AsyncIterable<Buffer | string>): ArchiveSheet {
    const { name } = this.sheetModel(part);
    const rows = readSheetRows(xml, {
      sharedStrings: this.sharedStrings,
      dateStyles: new DateStyles(this.parts),
      date1904: this.date1904Flag,
    });
    return { name, rows };
  }

  private sheetModel(part: string): { name: string; tab: number } {
    const sheets = this.parts.model?.sheets ?? [];
    const target = part.replace(/^xl\//, '');
    const rel = (this.parts.workbookRels ?? []).find(
      (r) => r.Target.toLowerCase().replace(/^\//, '').replace(/^xl\//, '') === target,
    );
    const tab = rel ? sheets.findIndex((s) => s.rId === rel.Id) : -1;
    const model = sheets[tab];
    if (model) return { name: model.name, tab };
    return { name: part.replace(/^.*\//, '').replace(/\.xml$/, ''), tab: Number.MAX_SAFE_INTEGER };
  }

  private tabOf(part: string): number {
    return this.sheetModel(part).tab;
  }

  private zipError(error: Error): Error {
    if (error instanceof SourceFileError) return error;
    const message = errorMessage(error);
    // An OLE compound file (D0 CF 11 E0) is a legacy .xls, or an .xlsx saved with a password.
    if (/invalid signature: 0xe011cfd0/i.test(message)) {
      return this.notAWorkbook('it is a legacy .xls workbook or a password-protected .xlsx, not an .xlsx zip archive', error);
    }
    if (/invalid signature/i.test(message)) return this.notAWorkbook('it is not a zip archive, as every .xlsx file is', error);
    if (/FILE_ENDED/.test(message)) {
      return this.compressedBytes === 0
        ? this.notAWorkbook('the file is empty', error)
        : this.notAWorkbook('its zip archive ends early (the file is truncated)', error);
    }
    return this.notAWorkbook(`its zip archive is damaged (${message})`, error);
  }

  private notAWorkbook(why: string, cause?: unknown): SourceFileError {
    return new SourceFileError('not_a_workbook', { file: this.options.fileName }, `not a readable workbook: ${why}`, { cause });
  }
}
