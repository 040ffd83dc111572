import { z } from 'zod';
import { cell, type CellContext, type EnumLabels } from './cells.js';
import { sourceColumn as col, type ReportContract } from './report.js';

export const CURRENCIES = ['TWD', 'USD', 'HKD', 'JPY', 'MYR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const PAYMENT_METHOD_LABELS = {
  apple_iap: ['Apple IAP', 'Apple', 'App Store', 'iap'],
  google_play: ['Google Play', 'Google'],
  credit_card: ['信用卡', 'Credit Card'],
  line_pay: ['LINE Pay', 'LinePay'],
  jko_pay: ['街口支付', '街口', 'JKO Pay', 'JKOPay'],
  convenience_store: ['超商代碼', '超商', 'Convenience Store', 'CVS'],
} as const satisfies EnumLabels<string>;
export type PaymentMethod = keyof typeof PAYMENT_METHOD_LABELS;

export const PLATFORM_LABELS = {
  ios: ['iOS', 'iPhone'],
  android: ['Android'],
  web: ['Web', '網頁'],
} as const satisfies EnumLabels<string>;
export type Platform = keyof typeof PLATFORM_LABELS;

export const TOP_UP_STATUS_LABELS = {
  success: ['成功', 'Success', 'Succeeded'],
  failed: ['失敗', 'Failed', 'Fail'],
  refunded: ['退款', 'Refunded', 'Refund'],
} as const satisfies EnumLabels<string>;
export type TopUpStatus = keyof typeof TOP_UP_STATUS_LABELS;

/** Member levels 0-5; a cell may hold the digit, the Chinese or the English name. */
export const MEMBER_LEVEL_LABELS = {
  '0': ['一般', 'Normal'],
  '1': ['青銅', 'Bronze'],
  '2': ['白銀', 'Silver'],
  '3': ['黃金', 'Gold'],
  '4': ['白金', 'Platinum'],
  '5': ['鑽石', 'Diamond'],
} as const satisfies EnumLabels<string>;
export const MEMBER_LEVEL_NAMES = ['normal', 'bronze', 'silver', 'gold', 'platinum', 'diamond'] as const;

const CURRENCY_LABELS = Object.fromEntries(CURRENCIES.map((c) => [c, []])) as unknown as EnumLabels<Currency>;

export const memberLevelCell = () =>
  cell.enumeration(MEMBER_LEVEL_LABELS).transform((v) => (v === undefined ? undefined : Number(v)));

export function topUpRowSchema(ctx: CellContext) {
  return z.object({
    order_id: cell.text({ required: true }),
    user_id: cell.text({ required: true }),
    topup_at: cell.timestamp(ctx, { required: true }),
    amount: cell.decimal({ required: true, min: 0, precision: 12, scale: 2 }),
    currency: cell.enumeration(CURRENCY_LABELS, { default: 'TWD' }),
    points: cell.integer({ required: true, min: 0 }),
    payment_method: cell.enumeration(PAYMENT_METHOD_LABELS),
    platform: cell.enumeration(PLATFORM_LABELS),
    channel_id: cell.text(),
    member_level: memberLevelCell(),
    status: cell.enumeration(TOP_UP_STATUS_LABELS, { required: true }),
    promo_code: cell.text(),
  });
}

export type TopUpRow = z.output<ReturnType<typeof topUpRowSchema>>;

export const TOP_UP_DAY_SEGMENTS = ['late_night', 'morning', 'afternoon', 'evening'] as const;
export type TopUpDaySegment = (typeof TOP_UP_DAY_SEGMENTS)[number];

/** A top-up as it lands in raw.top_up (before lineage columns). */
export interface TopUpRecord extends TopUpRow {
  topup_date: string;
  topup_day_segment: TopUpDaySegment;
}

export const topUpContract: ReportContract<TopUpRow> = {
  domain: 'top_up',
  title: { zh: '儲值紀錄', en: 'Top-ups' },
  naturalKey: ['order_id'],
  columns: [
    col('order_id', '訂單編號', 'Order ID', 'text', true),
    col('user_id', '會員ID', 'User ID', 'text', true),
    col('topup_at', '儲值時間', 'Top-up Time', 'timestamp', true),
    col('amount', '儲值金額', 'Amount', 'numeric(12,2)', true),
    col('currency', '幣別', 'Currency', 'text', false, false),
    col('points', '獲得點數', 'Points', 'integer', true),
    col('payment_method', '付款方式', 'Payment Method', 'text', false),
    col('platform', '平台', 'Platform', 'text', false),
    col('channel_id', '頻道ID', 'Channel ID', 'text', false),
    col('member_level', '會員等級', 'Member Level', 'integer', false),
    col('status', '狀態', 'Status', 'text', true),
    col('promo_code', '優惠代碼', 'Promo Code', 'text', false),
  ],
  derived: [
    { name: 'topup_date', type: 'date', nullable: false, description: 'Asia/Taipei calendar date of topup_at' },
    {
      name: 'topup_day_segment',
      type: 'text',
      nullable: false,
      description: 'late_night 00-06, morning 06-12, afternoon 12-18, evening 18-24 (local time)',
    },
  ],
  rowSchema: topUpRowSchema,
};
