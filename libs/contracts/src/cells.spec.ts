import { describe, expect, it } from 'vitest';
import { excelSerialToWallClock, normalizeText, parseDate, parseNumber, parseTimestamp } from './cells.js';
import { headerLabels, normalizeHeader, warehouseColumns } from './report.js';
import { REPORT_CONTRACTS } from './registry.js';

const in1900 = { date1904: false };

describe('parseNumber', () => {
  it.each<[unknown, number | undefined]>([
    [1200, 1200],
    ['1200', 1200],
    ['1,200', 1200],
    ['1,234,567.89', 1234567.89],
    ['NT$1,200', 1200],
    ['NT$ 1,200', 1200],
    ['US$9.99', 9.99],
    ['$5', 5],
    ['1200元', 1200],
    ['１２００', 1200],
    ['１，２００．５', 1200.5],
    ['\u00a01200\u00a0', 1200],
    ['\u3000300 ', 300],
    ['-15', -15],
    ['(1,200)', -1200],
    ['.5', 0.5],
    ['12,00', undefined],
    ['1.2.3', undefined],
    ['abc', undefined],
    ['', undefined],
    [Number.NaN, undefined],
    [true, undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseNumber(input as never)).toBe(expected);
  });
});

describe('Excel serial dates', () => {
  it.each<[number, boolean, string | undefined]>([
    [45741, false, '2025-03-25T00:00:00.000Z'],
    [45741 + 50602 / 86400, false, '2025-03-25T14:03:22.000Z'],
    [1, false, '1900-01-01T00:00:00.000Z'],
    [59, false, '1900-02-28T00:00:00.000Z'],
    [60, false, undefined],
    [61, false, '1900-03-01T00:00:00.000Z'],
    [0, true, '1904-01-01T00:00:00.000Z'],
    [44279, true, '2025-03-25T00:00:00.000Z'],
    [-1, false, undefined],
    [3_000_000, false, undefined],
  ])('serial %d (1904: %s) is %s', (serial, date1904, iso) => {
    expect(excelSerialToWallClock(serial, date1904)?.toISOString()).toBe(iso);
  });
});

describe('parseTimestamp (local Asia/Taipei → UTC)', () => {
  it.each<[unknown, string | undefined]>([
    ['2025/03/25 14:03:22', '2025-03-25T06:03:22.000Z'],
    ['2025-03-25T14:03:22', '2025-03-25T06:03:22.000Z'],
    ['2025-03-25 14:03', '2025-03-25T06:03:00.000Z'],
    ['2025/3/5 9:03:22', '2025-03-05T01:03:22.000Z'],
    ['20250325', '2025-03-24T16:00:00.000Z'],
    ['2025-03-25 14:03:22.5', '2025-03-25T06:03:22.500Z'],
    ['２０２５/０３/２５ １４:０３:２２', '2025-03-25T06:03:22.000Z'],
    ['2025-03-25T14:03:22Z', '2025-03-25T14:03:22.000Z'],
    ['2025-03-25T14:03:22+09:00', '2025-03-25T05:03:22.000Z'],
    ['45741.5', '2025-03-25T04:00:00.000Z'],
    [new Date(Date.UTC(2025, 2, 25, 14, 3, 22)), '2025-03-25T06:03:22.000Z'],
    ['2025-13-01 00:00', undefined],
    ['25/03/2025', undefined],
    ['yesterday', undefined],
    [true, undefined],
  ])('%j → %s', (input, iso) => {
    expect(parseTimestamp(input as never, in1900)?.toISOString()).toBe(iso);
  });
});

describe('parseDate', () => {
  it.each<[unknown, string | undefined]>([
    ['2025/03/25', '2025-03-25'],
    ['2025-03-25', '2025-03-25'],
    ['20250325', '2025-03-25'],
    [45741, '2025-03-25'],
    [new Date(Date.UTC(2025, 2, 25)), '2025-03-25'],
    ['2025/02/29', undefined],
  ])('%j → %s', (input, expected) => {
    expect(parseDate(input as never, in1900)).toBe(expected);
  });
});

describe('headers', () => {
  it('match in any case, width and spacing', () => {
    expect(normalizeHeader('  Top-up\u3000 TIME ')).toBe('top-up time');
    expect(normalizeHeader('會員ＩＤ')).toBe('會員id');
    expect(normalizeText('Ｕ０００１２３')).toBe('U000123');
    const topupAt = REPORT_CONTRACTS.top_up.columns.find((c) => c.name === 'topup_at');
    expect(topupAt && headerLabels(topupAt)).toEqual(['儲值時間', 'top-up time', 'topup_at']);
  });

  it('every contract has unique column names and labels, and a natural key among its columns', () => {
    for (const contract of Object.values(REPORT_CONTRACTS)) {
      const names = warehouseColumns(contract).map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      const labels = contract.columns.flatMap(headerLabels);
      expect(new Set(labels).size).toBe(labels.length);
      expect(labels.length).toBeGreaterThanOrEqual(contract.columns.length * 2);
      for (const key of contract.naturalKey) {
        expect(contract.columns.find((c) => c.name === key)?.nullable).toBe(false);
      }
    }
  });
});
