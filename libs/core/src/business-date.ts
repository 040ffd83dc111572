/**
 * The back office runs on Asia/Taipei time: UTC+8 all year, no daylight saving since 1979.
 * A fixed offset is therefore exact for every date SP01 will ever see, and far cheaper
 * per row than going through Intl.
 */
export const BUSINESS_TIME_ZONE = 'Asia/Taipei';
export const BUSINESS_UTC_OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = BUSINESS_UTC_OFFSET_MINUTES * 60_000;

/** A local Asia/Taipei wall-clock time as the UTC instant it denotes. Returns undefined for impossible dates. */
export function taipeiLocalToUtc(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a real calendar date round-trips.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return new Date(ms - OFFSET_MS);
}

/** The Asia/Taipei calendar date (YYYY-MM-DD) of a UTC instant. */
export function businessDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Taipei hour of day (0-23) of a UTC instant. */
export function businessHour(instant: Date): number {
  return new Date(instant.getTime() + OFFSET_MS).getUTCHours();
}

/** Days between two YYYY-MM-DD dates (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
