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
}

const MiB = 1024 * 1024;

export const DEFAULT_READER_LIMITS: ReaderLimits = Object.freeze({
  maxFileBytes: 512 * MiB,
  maxSheetBytes: 2048 * MiB,
  headerScanRows: 50,
});

export function resolveLimits(overrides: Partial<ReaderLimits> | undefined): ReaderLimits {
  const limits = { ...DEFAULT_READER_LIMITS };
  for (const key of Object.keys(limits) as (keyof ReaderLimits)[]) {
    const value = overrides?.[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`reader limit ${key} must be a positive number, got ${value}`);
    limits[key] = value;
  }
  return limits;
}
