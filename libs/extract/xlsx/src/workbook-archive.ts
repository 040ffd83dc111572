import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { errorMessage, SourceFileError } from '@sp01/core';
import { workbookPartParsers, type WorkbookPartParsers } from './exceljs-parts.js';
import type { ReaderLimits } from './limits.js';
import { DateStyles } from './number-formats.js';
import { readSharedStrings, type SharedStringTable } from './shared-strings.js';
import { scanSheetRows, type SheetRow } from './sheet-rows.js';
import { XmlSyntaxError } from './xml-scanner.js';
import { ByteSource, ZipFormatError, ZipStream, type InflateOptions, type ZipEntryHeader } from './zip-stream.js';

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

/** A worksheet that came before the parts it refers to: its compressed bytes wait in a temp file. */
interface PendingSheet {
  part: string;
  path: string;
  entry: ZipEntryHeader;
}

/*
 * Spool folders of readers not closed yet. A caller that drops an opened report without
 * reading it to the end or closing it would leave its sheets on disk; the folders still
 * there when the process exits are removed then.
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
 * One .xlsx file read as a stream of zip entries (`ZipStream`, every entry's CRC-32
 * checked): the workbook-level parts (relationships, workbook, styles, shared strings) are
 * parsed as they pass, worksheets are handed out in tab order and scanned straight from
 * the inflating zip. A worksheet can only be read once the shared strings and styles are
 * known; Excel (and exceljs, openpyxl) write those after the sheets, so such a sheet's
 * compressed bytes wait in a temp file (all of a file's spooled sheets share the
 * `maxSpoolBytes` budget; each is removed once read) and are inflated again when its turn
 * comes. Inflated bytes are counted as they flow, so a zip bomb stops at the limit.
 */
export class WorkbookArchive {
  private readonly source: ByteSource;
  private readonly zip: ZipStream;
  private readonly parts: WorkbookPartParsers = workbookPartParsers();
  private readonly seen = { rels: false, workbook: false, sharedStrings: false, styles: false };
  private sharedStrings: SharedStringTable | undefined;
  private date1904Flag = false;
  private readonly pending: PendingSheet[] = [];
  private spoolDir: Promise<string> | undefined;
  private spooledBytes = 0;
  private readonly openFiles = new Set<Readable>();
  private started = false;
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly options: ArchiveOptions,
  ) {
    const { maxFileBytes } = options.limits;
    this.source = new ByteSource(input, (bytes) => {
      if (bytes > maxFileBytes) {
        throw new SourceFileError(
          'file_too_large',
          { file: options.fileName },
          `the file is larger than the ${describeBytes(maxFileBytes)} limit (maxFileBytes)`,
        );
      }
    });
    this.zip = new ZipStream(this.source);
  }

  /** The workbook counts dates from 1904 (known once `xl/workbook.xml` has been read). */
  get date1904(): boolean {
    return this.date1904Flag;
  }

  /** The worksheets in tab order; each must be done with before the next is asked for. */
  async *worksheets(): AsyncGenerator<ArchiveSheet, void, undefined> {
    if (this.started) throw new Error('a workbook archive is read once');
    this.started = true;
    try {
      let sheets = 0;
      for (let entry = await this.zip.nextEntry(); entry; entry = await this.zip.nextEntry()) {
        const part = entry.name.toLowerCase().replace(/^\//, '');
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
          this.sharedStrings = await this.readSharedStrings(entry);
          this.seen.sharedStrings = true;
        } else if (WORKSHEET_PART.test(part) && !entry.name.endsWith('/')) {
          sheets++;
          if (this.canParseSheets()) {
            const data = this.zip.inflate(entry, this.inflateOptions(entry));
            const sheet = this.sheet(part, data);
            yield sheet;
            await sheet.rows.return();
            // The rest of the sheet (after the header search gave up on it) is read through, so its CRC is checked too.
            for (let next = await data.next(); !next.done; next = await data.next());
          } else {
            this.pending.push(await this.spool(part, entry));
          }
        } else {
          await this.zip.skip(entry, this.inflateOptions(entry));
        }
      }
      if (!this.seen.workbook) throw this.notAWorkbook('it has no xl/workbook.xml part');
      if (sheets === 0) throw this.notAWorkbook('it has no worksheets');

      this.pending.sort((a, b) => this.tabOf(a.part) - this.tabOf(b.part));
      for (const { part, path, entry } of this.pending) {
        const file = createReadStream(path, { highWaterMark: 64 * 1024 });
        this.openFiles.add(file);
        const spooled = new ZipStream(new ByteSource(file, () => undefined));
        const data = spooled.inflate(entry, this.inflateOptions(entry));
        const sheet = this.sheet(part, data);
        yield sheet;
        await sheet.rows.return();
        for (let next = await data.next(); !next.done; next = await data.next());
        file.destroy();
        this.openFiles.delete(file);
        await rm(path, { force: true });
      }
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * The error to report for anything that went wrong while reading: an error of the input
   * stream passes as it is (it says nothing about the file), our own errors pass; anything
   * else (a damaged zip, malformed XML, a part exceljs cannot parse) means the file is not
   * a readable workbook.
   */
  explain(error: unknown): Error {
    if (this.source.inputError !== undefined) {
      return this.source.inputError instanceof Error ? this.source.inputError : new Error(String(this.source.inputError));
    }
    if (error instanceof SourceFileError) return error;
    if (error instanceof ZipFormatError) return this.notAWorkbook(error.message, error);
    return this.notAWorkbook(`it cannot be read as an .xlsx workbook (${errorMessage(error)})`, error);
  }

  /** Stops reading, releases the input, removes spooled sheets. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.destroy();
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

  private inflateOptions(entry: ZipEntryHeader, limit = this.options.limits.maxSheetBytes): InflateOptions {
    return {
      limit,
      onLimit: () =>
        new SourceFileError(
          'sheet_too_large',
          { file: this.options.fileName },
          `${entry.name} inflates to more than ${describeBytes(limit)} (limit ${limit === this.options.limits.maxSheetBytes ? 'maxSheetBytes' : 'for workbook metadata'}); the file is damaged or a zip bomb`,
        ),
    };
  }

  private async collect(entry: ZipEntryHeader): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const limit = Math.min(this.options.limits.maxSheetBytes, MAX_METADATA_BYTES);
    for await (const chunk of this.zip.inflate(entry, this.inflateOptions(entry, limit))) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  private async readSharedStrings(entry: ZipEntryHeader): Promise<SharedStringTable> {
    const { limits, fileName } = this.options;
    try {
      return await readSharedStrings(this.zip.inflate(entry, this.inflateOptions(entry)), {
        maxBytes: limits.maxSharedStringsBytes,
        maxStringBytes: limits.maxCellBytes,
        fail: (code, detail) => new SourceFileError(code, { file: fileName }, detail),
      });
    } catch (error) {
      if (error instanceof XmlSyntaxError) throw this.notAWorkbook(`its shared strings (${entry.name}) are not well-formed: ${error.message}`, error);
      throw error;
    }
  }

  /** Keeps a worksheet's compressed bytes on disk until the parts it refers to have passed. */
  private async spool(part: string, entry: ZipEntryHeader): Promise<PendingSheet> {
    this.spoolDir ??= createSpoolDir(this.options.tempDir ?? tmpdir());
    const path = join(await this.spoolDir, `sheet-${this.pending.length + 1}.deflate`);
    const { maxSpoolBytes } = this.options.limits;
    const fd = openSync(path, 'w');
    let written = 0;
    try {
      const options: InflateOptions = {
        ...this.inflateOptions(entry),
        onCompressed: (chunk) => {
          written += chunk.length;
          this.spooledBytes += chunk.length;
          if (this.spooledBytes > maxSpoolBytes) {
            throw new SourceFileError(
              'spool_too_large',
              { file: this.options.fileName },
              `its worksheets stored before the shared strings need more than ${describeBytes(maxSpoolBytes)} of temp space (limit maxSpoolBytes)`,
            );
          }
          writeSync(fd, chunk);
        },
      };
      // Inflated once here only to find the entry's end and check it; the scan comes later.
      await this.zip.skip(entry, options);
    } finally {
      closeSync(fd);
    }
    // The compressed bytes are now known exactly, whatever the local header said.
    const { crc, size } = this.zip.verified;
    return { part, path, entry: { ...entry, streamed: false, compressedSize: written, crc, size } };
  }

  private sheet(part: string, data: AsyncGenerator<Buffer, void, undefined>): ArchiveSheet {
    const { name } = this.sheetModel(part);
    const { limits, fileName } = this.options;
    const rows = scanSheetRows(data, {
      sharedStrings: this.sharedStrings,
      dateStyles: new DateStyles(this.seen.styles ? this.parts : undefined),
      date1904: this.date1904Flag,
      maxRows: limits.maxSheetRows,
      maxCells: limits.maxSheetCells,
      maxCellBytes: limits.maxCellBytes,
      fail: (code, detail, row) => new SourceFileError(code, { file: fileName, sheet: name, row }, detail),
    });
    return { name, rows };
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

  private notAWorkbook(why: string, cause?: unknown): SourceFileError {
    return new SourceFileError('not_a_workbook', { file: this.options.fileName }, `not a readable workbook: ${why}`, { cause });
  }
}
