import { businessDate, businessHour } from '@sp01/core';
import {
  defineDomainTransform,
  topUpContract,
  type TopUpDaySegment,
  type TopUpRecord,
  type TopUpRow,
} from '@sp01/contracts';

/** The part of the local day a top-up happened in: late_night 00-06, morning 06-12, afternoon 12-18, evening 18-24. */
export function topUpDaySegment(topupAt: Date): TopUpDaySegment {
  const hour = businessHour(topupAt);
  if (hour < 6) return 'late_night';
  if (hour < 12) return 'morning';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

export function deriveTopUp(row: TopUpRow): TopUpRecord {
  return { ...row, topup_date: businessDate(row.topup_at), topup_day_segment: topUpDaySegment(row.topup_at) };
}

/**
 * 儲值紀錄 → raw.top_up. `is_repeat_topup` is deliberately absent: it needs the whole
 * history, so fct_topup derives it in the modeling layer.
 */
export const topUpTransform = defineDomainTransform(topUpContract, deriveTopUp);
