import type {
  Domain,
  FileLoadRequest,
  OpStatsRecord,
  PostDeductionRecord,
  PreDeductionRecord,
  RowReject,
  SourceFileInfo,
  TopUpRecord,
  TransformedRow,
} from '@sp01/contracts';

/**
 * Source files and transformed rows built by hand, shaped like the transforms' output:
 * what warehouse tests feed `Warehouse.loadFile` without reading a workbook.
 */

/** The run id `request()` uses unless told otherwise. */
export const TEST_RUN_ID = '20250325T120000Z-a1b2c3';

export function sourceFile(id: string, modifiedAt: string, overrides: Partial<SourceFileInfo> = {}): SourceFileInfo {
  return {
    id,
    name: id.split('/').pop() ?? id,
    uri: `file:///reports/${id}`,
    size: 4096,
    modifiedAt: new Date(modifiedAt),
    checksum: `sha256:${Buffer.from(id).toString('hex').padEnd(64, '0').slice(0, 64)}`,
    ...overrides,
  };
}

export function ok<T extends object>(rowNumber: number, record: T, sheet = 'Sheet1'): TransformedRow {
  return { ok: true, sheet, rowNumber, record };
}

export function rejected(rowNumber: number, rejects: RowReject[], sheet = 'Sheet1'): TransformedRow {
  return { ok: false, sheet, rowNumber, rejects };
}

export async function* stream(rows: Iterable<TransformedRow>): AsyncGenerator<TransformedRow> {
  for (const row of rows) {
    // A real reader yields between rows; so does this one.
    await Promise.resolve();
    yield row;
  }
}

export function request(
  file: SourceFileInfo,
  domain: Domain,
  rows: Iterable<TransformedRow> | AsyncIterable<TransformedRow>,
  runId = TEST_RUN_ID,
): FileLoadRequest {
  const source = Symbol.asyncIterator in rows ? rows : stream(rows);
  return { file, domain, sheet: 'Sheet1', runId, rows: source };
}

export function topUp(orderId: string, overrides: Partial<TopUpRecord> = {}): TopUpRecord {
  return {
    order_id: orderId,
    user_id: 'U001',
    topup_at: new Date('2025-03-25T06:03:22Z'),
    amount: 1200.5,
    currency: 'TWD',
    points: 1200,
    payment_method: 'credit_card',
    platform: 'ios',
    channel_id: undefined,
    member_level: 2,
    status: 'success',
    promo_code: undefined,
    topup_date: '2025-03-25',
    topup_day_segment: 'afternoon',
    ...overrides,
  };
}

export function preDeduction(deductionId: string, overrides: Partial<PreDeductionRecord> = {}): PreDeductionRecord {
  return {
    deduction_id: deductionId,
    user_id: 'U001',
    channel_id: 'CH01',
    deducted_at: new Date('2025-03-25T16:30:00Z'),
    item_type: 'gift',
    item_name: '火箭',
    quantity: 1,
    points: 500,
    deducted_date: '2025-03-26',
    ...overrides,
  };
}

export function postDeduction(deductionId: string, overrides: Partial<PostDeductionRecord> = {}): PostDeductionRecord {
  return {
    deduction_id: deductionId,
    settled_at: new Date('2025-03-28T02:00:00Z'),
    settled_points: 500,
    status: 'settled',
    reason: undefined,
    settled_date: '2025-03-28',
    ...overrides,
  };
}

export function opStats(statDate: string, channelId: string, overrides: Partial<OpStatsRecord> = {}): OpStatsRecord {
  return {
    stat_date: statDate,
    channel_id: channelId,
    channel_name: `頻道 ${channelId}`,
    category: 'music',
    live_hours: 3.25,
    unique_viewers: 1500,
    new_viewers: 300,
    peak_concurrent: 420,
    new_followers: -3,
    comments: 880,
    ...overrides,
  };
}
