import { describe, expect, it } from 'vitest';
import { isDateFormatCode } from './number-formats.js';

describe('isDateFormatCode', () => {
  it.each([
    ['yyyy/mm/dd hh:mm:ss', true],
    ['YYYY-MM-DD', true],
    ['m/d/yy h:mm', true],
    ['yyyy"年"m"月"d"日"', true],
    ['[$-404]e/m/d', true],
    ['上午/下午 hh"時"mm"分"', true],
    ['[h]:mm:ss', true],
    ['[$-zh-TW]yyyy/m/d;@', true],
    ['General', false],
    ['0.00', false],
    ['#,##0', false],
    ['"NT$"#,##0', false],
    ['[Red]#,##0.00;(#,##0.00)', false],
    ['_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-', false],
    ['0.00E+00', false],
    ['0" days"', false],
    ['@', false],
  ])('%s → %s', (code, expected) => {
    expect(isDateFormatCode(code)).toBe(expected);
  });
});
