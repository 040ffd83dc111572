/** How much of a workbook the reader accepts before it gives up on the file. */
export interface ReaderLimits {
  /** Bytes of the .xlsx file itself (compressed), as given or as streamed. */
  maxFileBytes: number;
  /**
   * Decompressed bytes of any one part of the workbook (a worksheet's XML, the shared
   * strings, …). A zip bomb is stopped here, while it is still being inflated.
   */
  maxSheetBytes: number;
  /** The header row must be within this many rows from the top of its sheet. */
  headerScanRows: number;
  /** Memory the shared-string table may take: its text plus 8 bytes per string. */
  maxSharedStringsBytes: number;
  /** `<row>` elements of one worksheet, empty ones included. */
  maxSheetRows: number;
  /** `<c>` elements of one worksheet. */
  maxSheetCells: number;
  /** Bytes of one cell's text (or one shared string) as the XML holds it. */
  maxCellBytes: number;
  /** Disk for all the worksheets of one file that must wait for the parts written after them. */
  maxSpoolBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_READER_LIMITS: ReaderLimits = Object.freeze({
  maxFileBytes: 512 * MiB,
  maxSheetBytes: 2048 * MiB,
  headerScanRows: 50,
  // With the reader's own ~100 MB, keeps a run under 500 MB whatever the workbook holds.
  maxSharedStringsBytes: 256 * MiB,
  // Excel's own bounds: 1,048,576 rows; cells are bounded far below rows × 16,384 columns.
  maxSheetRows: 1_048_576,
  maxSheetCells: 64 * 1024 * 1024,
  // Excel holds at most 32,767 characters in a cell (up to 7 bytes each once escaped).
  maxCellBytes: 256 * 1024,
  maxSpoolBytes: 512 * MiB,
});

export function resolveLimits(overrides: Partial<ReaderLimits> | undefined): ReaderLimits {
  const limits = { ...DEFAULT_READER_LIMITS };
  for (const key of Object.keys(limits) as (keyof ReaderLimits)[]) {
    const value = overrides?.[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`reader limit ${key} must be a positive number, got ${value}`);
    limits[key] = value;
  }
  if (limits.maxSharedStringsBytes >= 4096 * MiB) throw new RangeError('reader limit maxSharedStringsBytes must be below 4 GiB');
  return limits;
}
