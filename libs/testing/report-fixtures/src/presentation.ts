import type { EnumLabels } from '@sp01/contracts';
import type { PlannedCell } from './domain-spec.js';
import type { Prng } from './prng.js';
import { DATE_STYLES, type DateStyle, type EnumLabelStyle } from './traits.js';
import { pad, wallClock } from './world.js';

/** How the back office prints values: labels, numbers as text, dates in many layouts. */

const MS_PER_DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** Days between the 1900 and 1904 epochs, as Excel counts them. */
const DAYS_1900_TO_1904 = 1462;
const CJK = /[\u3400-\u9fff]/;

export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** ASCII to its full-width form (`1200` → `１２００`), as IME-typed numbers arrive. */
export function fullWidth(text: string): string {
  return text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

export function groupThousands(n: number): string {
  const negative = n < 0;
  const [whole, fraction] = String(Math.abs(n)).split('.');
  const grouped = (whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

const CURRENCY_MARKS: Record<string, readonly string[]> = {
  TWD: ['NT$', 'NTD '],
  USD: ['US$'],
  HKD: ['HK$'],
  JPY: ['¥'],
  MYR: ['RM'],
};

/** A number as a person or an old export would type it; always parses back to n. */
export function numberAsText(n: number, rng: Prng, currency?: string): string {
  const forms: (() => string)[] = [
    () => groupThousands(n),
    () => fullWidth(String(n)),
    () => ` ${n} `,
    () => `\u00a0${groupThousands(n)}`,
  ];
  if (currency && n >= 0) {
    const marks = CURRENCY_MARKS[currency] ?? [];
    for (const mark of marks) forms.push(() => `${mark}${groupThousands(n)}`);
    if (currency === 'TWD') forms.push(() => `${groupThousands(n)}元`);
  }
  if (n < 0) forms.push(() => `(${groupThousands(-n)})`);
  return rng.pick(forms)();
}

/** An id or label with the spaces exports leave around it. */
export function paddedText(text: string, rng: Prng): string {
  return rng.pick([` ${text}`, `${text} `, `${text}\u00a0`, `\u3000${text}`, `${text}  `]);
}

export function richText(text: string): PlannedCell {
  if (text.length < 2) return { richText: [{ text, font: { color: { argb: 'FFC00000' } } }] };
  const cut = Math.max(1, Math.floor(text.length / 2));
  return { richText: [{ text: text.slice(0, cut), font: { bold: true } }, { text: text.slice(cut) }] };
}

export function formulaFor(n: number): PlannedCell {
  if (Number.isInteger(n) && n >= 2) {
    const a = Math.floor(n / 2);
    return { formula: `${a}+${n - a}`, result: n };
  }
  return { formula: `ROUND(${n},2)`, result: n };
}

/** The label for an enumeration code in the requested style; member levels as codes are digits. */
export function enumLabel(labels: EnumLabels<string>, code: string, style: EnumLabelStyle, rng: Prng): string | number {
  const names = (labels[code] ?? []).map(String);
  const asCode = /^\d+$/.test(code) ? Number(code) : code;
  switch (style) {
    case 'code':
      return asCode;
    case 'zh':
      return names.find((name) => CJK.test(name)) ?? names[0] ?? code;
    case 'en':
      return names.find((name) => !CJK.test(name)) ?? code;
    case 'mixed':
      return rng.pick<string | number>([asCode, code, ...names]);
  }
}

export type ConcreteDateStyle = (typeof DATE_STYLES)[number];

export function concreteStyle(style: DateStyle, rng: Prng): ConcreteDateStyle {
  return style === 'mixed' ? rng.pick(DATE_STYLES) : style;
}

export interface DateSystem {
  date1904: boolean;
  /**
   * exceljs's streaming writer ignores the workbook's date system and always writes
   * 1900-based serials, so a 1904 workbook written that way gets its dates shifted.
   */
  shiftDateCells: boolean;
}

function dateCellValue(localMs: number, system: DateSystem): Date {
  return new Date(system.shiftDateCells ? localMs - DAYS_1900_TO_1904 * MS_PER_DAY : localMs);
}

function serial(localMs: number, date1904: boolean): number {
  return (localMs - (date1904 ? EPOCH_1904 : EPOCH_1900)) / MS_PER_DAY;
}

function ymd(w: Date, separator: string): string {
  return `${w.getUTCFullYear()}${separator}${pad(w.getUTCMonth() + 1, 2)}${separator}${pad(w.getUTCDate(), 2)}`;
}

function hms(w: Date, separator: string, seconds = true): string {
  const parts = [pad(w.getUTCHours(), 2), pad(w.getUTCMinutes(), 2)];
  if (seconds) parts.push(pad(w.getUTCSeconds(), 2));
  return parts.join(separator);
}

/** A timestamp cell, and the instant a reader will get back from it (seconds lost in `text-minutes`). */
export function timestampCell(instant: Date, style: ConcreteDateStyle, system: DateSystem): { cell: PlannedCell; readsAs: Date } {
  const w = wallClock(instant);
  switch (style) {
    case 'date-cell':
      return { cell: dateCellValue(w.getTime(), system), readsAs: instant };
    case 'serial':
      return { cell: serial(w.getTime(), system.date1904), readsAs: instant };
    case 'text-slash':
      return { cell: `${ymd(w, '/')} ${hms(w, ':')}`, readsAs: instant };
    case 'text-iso-t':
      return { cell: `${ymd(w, '-')}T${hms(w, ':')}`, readsAs: instant };
    case 'text-minutes':
      return {
        cell: `${ymd(w, '-')} ${hms(w, ':', false)}`,
        readsAs: new Date(instant.getTime() - w.getUTCSeconds() * 1000 - w.getUTCMilliseconds()),
      };
    case 'text-compact':
      return { cell: `${ymd(w, '')}${hms(w, '')}`, readsAs: instant };
  }
}

/** A calendar-date cell (YYYY-MM-DD) in the given style. */
export function dateCell(date: string, style: ConcreteDateStyle, system: DateSystem): PlannedCell {
  const localMs = Date.parse(`${date}T00:00:00Z`);
  const w = new Date(localMs);
  switch (style) {
    case 'date-cell':
      return dateCellValue(localMs, system);
    case 'serial':
      return serial(localMs, system.date1904);
    case 'text-slash':
      return ymd(w, '/');
    case 'text-iso-t':
      return ymd(w, '-');
    case 'text-minutes':
      return `${ymd(w, '-')} 00:00`;
    case 'text-compact':
      return ymd(w, '');
  }
}
