import type { WorkbookPartParsers } from './exceljs-parts.js';

/*
 * Built-in number formats that show a date or time. Files only store custom formats, so a
 * cell styled with a built-in id carries no format code: 14-22 and 45-47 everywhere, and
 * 27-36 / 50-58, which Excel in zh-TW (and the other East Asian locales) shows as dates such
 * as `yyyy"年"m"月"d"日"`; exceljs knows no code for the latter and would read them as numbers.
 */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58,
]);

/**
 * A format code shows a date when, outside quoted text, `[…]` sections (colours, locales,
 * elapsed-time brackets), escaped characters and padding/fill directives, it still has a
 * date or time token. The same idea as exceljs's `isDateFmt`, but case-insensitive, since
 * Excel accepts `YYYY-MM-DD` as well.
 */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '');
  return /[ymdhs]/i.test(bare);
}

/** Whether each cell style (`<c s="…">`) of one workbook formats its number as a date. */
export class DateStyles {
  private readonly known = new Map<number, boolean>();

  /** `parts` is undefined for a workbook without `xl/styles.xml` (OOXML allows it): every number is plain. */
  constructor(private readonly parts: WorkbookPartParsers | undefined) {}

  isDate(styleId: number): boolean {
    let date = this.known.get(styleId);
    if (date === undefined) {
      date = this.lookUp(styleId);
      this.known.set(styleId, date);
    }
    return date;
  }

  private lookUp(styleId: number): boolean {
    if (this.parts === undefined) return false;
    const { styles } = this.parts;
    const numFmtId = styles.model?.styles?.[styleId]?.numFmtId;
    const code = styles.getStyleModel(styleId)?.numFmt;
    if (code !== undefined && code !== '') return isDateFormatCode(code);
    return numFmtId !== undefined && BUILT_IN_DATE_FORMATS.has(numFmtId);
  }
}
