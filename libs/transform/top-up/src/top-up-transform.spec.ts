import type { CellValue, SourceRow, TransformedRow } from '@sp01/contracts';
import type { TopUpRecord } from '@sp01/contracts';
import { describe, expect, it } from 'vitest';
import { topUpDaySegment, topUpTransform } from './top-up-transform.js';

const valid: Record<string, CellValue> = {
  order_id: 'T20250325-0001',
  user_id: 'U000123',
  topup_at: '2025/03/25 14:03:22',
  amount: 'NT$1,200',
  currency: '',
  points: '１２,０００',
  payment_method: '信用卡',
  platform: 'iOS',
  channel_id: 'CH0007',
  member_level: '黃金',
  status: '成功',
  promo_code: null,
};

const transform = topUpTransform.forFile({ date1904: false });
const run = (cells: Record<string, CellValue>): TransformedRow<TopUpRecord> =>
  transform({ sheet: '儲值紀錄', rowNumber: 7, cells } satisfies SourceRow);

function record(cells: Record<string, CellValue>): TopUpRecord {
  const result = run(cells);
  if (!result.ok) throw new Error(`unexpected reject: ${JSON.stringify(result.rejects)}`);
  return result.record;
}

describe('top-up transform', () => {
  it('types a messy row into the canonical record and derives its date and segment', () => {
    expect(record(valid)).toEqual({
      order_id: 'T20250325-0001',
      user_id: 'U000123',
      topup_at: new Date('2025-03-25T06:03:22Z'),
      amount: 1200,
      currency: 'TWD',
      points: 12000,
      payment_method: 'credit_card',
      platform: 'ios',
      channel_id: 'CH0007',
      member_level: 3,
      status: 'success',
      promo_code: undefined,
      topup_date: '2025-03-25',
      topup_day_segment: 'afternoon',
    });
  });

  it.each<[string, Record<string, CellValue>, Partial<TopUpRecord>]>([
    ['English labels', { payment_method: 'Apple IAP', status: 'Refunded', member_level: 'Diamond', platform: 'Android' }, { payment_method: 'apple_iap', status: 'refunded', member_level: 5, platform: 'android' }],
    ['canonical codes', { payment_method: 'line_pay', status: 'failed', member_level: 0, platform: 'web' }, { payment_method: 'line_pay', status: 'failed', member_level: 0, platform: 'web' }],
    ['member level as a digit text', { member_level: '2' }, { member_level: 2 }],
    ['街口支付 and 超商代碼', { payment_method: '街口支付' }, { payment_method: 'jko_pay' }],
    ['convenience store label', { payment_method: '超商代碼' }, { payment_method: 'convenience_store' }],
    ['explicit currency, any case', { currency: ' usd ', amount: 9.99 }, { currency: 'USD', amount: 9.99 }],
    ['blank channel means wallet page', { channel_id: '  ' }, { channel_id: undefined }],
    ['non-breaking spaces around numbers', { amount: '\u00a01,200.50\u00a0', points: ' 300 ' }, { amount: 1200.5, points: 300 }],
    ['a date cell (wall clock in UTC fields)', { topup_at: new Date(Date.UTC(2025, 2, 25, 23, 30, 0)) }, { topup_at: new Date('2025-03-25T15:30:00Z'), topup_date: '2025-03-25', topup_day_segment: 'evening' }],
    ['an Excel serial', { topup_at: 45741.25 }, { topup_at: new Date('2025-03-24T22:00:00Z'), topup_date: '2025-03-25', topup_day_segment: 'morning' }],
    ['ISO text with T', { topup_at: '2025-03-25T01:15:00' }, { topup_date: '2025-03-25', topup_day_segment: 'late_night' }],
    ['text to the minute', { topup_at: '2025-03-25 14:03' }, { topup_at: new Date('2025-03-25T06:03:00Z') }],
    ['compact date', { topup_at: '20250325' }, { topup_at: new Date('2025-03-24T16:00:00Z'), topup_date: '2025-03-25' }],
    ['zero amount is allowed', { amount: 0, points: 0 }, { amount: 0, points: 0 }],
  ])('accepts %s', (_name, overrides, expected) => {
    expect(record({ ...valid, ...overrides })).toMatchObject(expected);
  });

  it.each<[string, Record<string, CellValue>, { column: string; value: string | null; reason: RegExp }[]]>([
    ['a blank order id', { order_id: '' }, [{ column: 'order_id', value: '', reason: /required/ }]],
    ['a missing user id', { user_id: null }, [{ column: 'user_id', value: null, reason: /required/ }]],
    ['a negative amount', { amount: '-5' }, [{ column: 'amount', value: '-5', reason: />= 0/ }]],
    ['an amount that is not a number', { amount: 'about 100' }, [{ column: 'amount', value: 'about 100', reason: /not a number/ }]],
    ['three decimals', { amount: '10.005' }, [{ column: 'amount', value: '10.005', reason: /decimal places/ }]],
    ['fractional points', { points: 10.5 }, [{ column: 'points', value: '10.5', reason: /whole number/ }]],
    ['an unknown currency', { currency: 'EUR' }, [{ column: 'currency', value: 'EUR', reason: /TWD, USD/ }]],
    ['an unknown payment method', { payment_method: 'PayPal' }, [{ column: 'payment_method', value: 'PayPal', reason: /one of apple_iap/ }]],
    ['a member level out of range', { member_level: 7 }, [{ column: 'member_level', value: '7', reason: /one of 0, 1/ }]],
    ['an impossible date', { topup_at: '2025/02/30 10:00:00' }, [{ column: 'topup_at', value: '2025/02/30 10:00:00', reason: /date-time/ }]],
    ["Excel's phantom 1900-02-29", { topup_at: 60 }, [{ column: 'topup_at', value: '60', reason: /date-time/ }]],
    ['a blank status', { status: ' ' }, [{ column: 'status', value: ' ', reason: /required/ }]],
    [
      'several broken cells at once',
      { order_id: null, amount: 'x', status: '未知' },
      [
        { column: 'order_id', value: null, reason: /required/ },
        { column: 'amount', value: 'x', reason: /not a number/ },
        { column: 'status', value: '未知', reason: /one of success/ },
      ],
    ],
  ])('rejects %s, naming column, raw value and reason', (_name, overrides, expected) => {
    const result = run({ ...valid, ...overrides });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.sheet).toBe('儲值紀錄');
    expect(result.rowNumber).toBe(7);
    expect(result.rejects).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(result.rejects[i]).toMatchObject({ column: e.column, value: e.value });
      expect(result.rejects[i]?.reason).toMatch(e.reason);
    });
  });

  it('reads serials in the 1904 date system when the workbook uses it', () => {
    const in1904 = topUpTransform.forFile({ date1904: true });
    const result = in1904({ sheet: 's', rowNumber: 2, cells: { ...valid, topup_at: 44279.25 } });
    expect(result.ok && result.record.topup_at.toISOString()).toBe('2025-03-24T22:00:00.000Z');
  });

  it('passes row warnings through', () => {
    const result = transform({ sheet: 's', rowNumber: 3, cells: valid, warnings: ['promo_code: #N/A read as blank'] });
    expect(result.warnings).toEqual(['promo_code: #N/A read as blank']);
  });

  it.each([
    ['2025-03-24T16:00:00Z', 'late_night'],
    ['2025-03-24T21:59:59Z', 'late_night'],
    ['2025-03-24T22:00:00Z', 'morning'],
    ['2025-03-25T04:00:00Z', 'afternoon'],
    ['2025-03-25T10:00:00Z', 'evening'],
    ['2025-03-25T15:59:59Z', 'evening'],
  ])('puts %s in the %s segment', (iso, segment) => {
    expect(topUpDaySegment(new Date(iso))).toBe(segment);
  });
});
