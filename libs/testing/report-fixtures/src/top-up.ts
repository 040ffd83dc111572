import {
  MEMBER_LEVEL_LABELS,
  PAYMENT_METHOD_LABELS,
  PLATFORM_LABELS,
  REPORT_CONTRACTS,
  TOP_UP_STATUS_LABELS,
  type Currency,
  type PaymentMethod,
  type Platform,
  type TopUpDaySegment,
  type TopUpRecord,
  type TopUpStatus,
} from '@sp01/contracts';
import { enumReason, type DomainSpec, type RecordSource } from './domain-spec.js';
import { mixSeed, Prng, WeightedTable } from './prng.js';
import {
  ChannelPicker,
  channelId,
  compactDate,
  dayNumber,
  memberLevel,
  pad,
  pickUser,
  taipeiInstant,
  TOP_UP_CURVE,
  userId,
  wallClock,
} from './world.js';

interface Package {
  amounts: WeightedTable<number>;
  /** Points per unit of the currency. */
  rate: number;
}

const PACKAGES: Record<Currency, Package> = {
  TWD: {
    amounts: new WeightedTable([
      [30, 6], [60, 8], [90, 6], [150, 10], [300, 12], [490, 9], [990, 8], [1490, 4], [2990, 3], [4990, 2], [9990, 1],
    ]),
    rate: 1,
  },
  USD: { amounts: new WeightedTable([[0.99, 5], [2.99, 6], [4.99, 5], [9.99, 4], [19.99, 2], [49.99, 1], [99.99, 0.5]]), rate: 31.5 },
  HKD: { amounts: new WeightedTable([[8, 5], [23, 6], [38, 5], [78, 4], [158, 2], [388, 1], [788, 0.5]]), rate: 4.05 },
  JPY: { amounts: new WeightedTable([[160, 5], [480, 6], [800, 5], [1600, 4], [3200, 2], [4800, 1], [9800, 0.5]]), rate: 0.21 },
  MYR: { amounts: new WeightedTable([[4.9, 5], [14.9, 6], [22.9, 4], [44.9, 3], [89.9, 2], [219.9, 0.5]]), rate: 7.05 },
};

const CURRENCY_TABLE = new WeightedTable<Currency>([
  ['TWD', 92],
  ['USD', 3],
  ['HKD', 2.5],
  ['JPY', 1.5],
  ['MYR', 1],
]);
const PLATFORM_TABLE = new WeightedTable<Platform>([
  ['ios', 40],
  ['android', 45],
  ['web', 15],
]);
const WEB_PAYMENT_TABLE = new WeightedTable<PaymentMethod>([
  ['credit_card', 45],
  ['line_pay', 25],
  ['jko_pay', 15],
  ['convenience_store', 15],
]);
const STATUS_TABLE = new WeightedTable<TopUpStatus>([
  ['success', 93],
  ['failed', 5],
  ['refunded', 2],
]);
const PROMO_CODES = ['SPRING2025', 'NEWUSER50', 'VIPBONUS', 'LIVE520', 'WELCOME'];

/** Bigger packages carry bonus points. */
function bonus(twd: number): number {
  if (twd >= 9000) return 0.12;
  if (twd >= 4500) return 0.1;
  if (twd >= 2800) return 0.08;
  if (twd >= 950) return 0.05;
  return 0;
}

export function daySegment(hour: number): TopUpDaySegment {
  if (hour < 6) return 'late_night';
  if (hour < 12) return 'morning';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

function paymentFor(rng: Prng, platform: Platform, currency: Currency): PaymentMethod {
  if (platform === 'ios') return 'apple_iap';
  if (platform === 'android') return currency !== 'TWD' || rng.chance(0.85) ? 'google_play' : WEB_PAYMENT_TABLE.pick(rng);
  if (currency !== 'TWD') return 'credit_card';
  return WEB_PAYMENT_TABLE.pick(rng);
}

function topUpSource(seed: number, date: string, rows: number, revision: number): RecordSource<TopUpRecord> {
  const day = dayNumber(date);
  const base = mixSeed(seed, 'top_up', day);
  const channels = new ChannelPicker(seed);
  const prefix = `TP${compactDate(date)}`;
  return {
    count: rows,
    record(k) {
      const rng = new Prng(mixSeed(base, k));
      const second = TOP_UP_CURVE.secondAt((k + rng.next()) / rows);
      const user = pickUser(rng);
      const currency = CURRENCY_TABLE.pick(rng);
      const platform = PLATFORM_TABLE.pick(rng);
      const payment_method = paymentFor(rng, platform, currency);
      const pack = PACKAGES[currency];
      const amount = pack.amounts.pick(rng);
      const promo_code = rng.chance(0.06) ? rng.pick(PROMO_CODES) : undefined;
      const twd = amount * pack.rate;
      const granted = Math.round(twd * (1 + bonus(twd)) * (promo_code ? 1.1 : 1));
      let status = STATUS_TABLE.pick(rng);
      const channel_id = rng.chance(0.55) ? channelId(channels.pick(rng)) : undefined;
      if (revision > 0 && new Prng(mixSeed(base, 'revision', revision, k)).chance(0.12)) {
        // What changes between a first export and its re-send: refunds processed since,
        // and payments that looked failed but were confirmed late.
        if (status === 'success') status = 'refunded';
        else if (status === 'failed') status = 'success';
      }
      const topup_at = taipeiInstant(day, second);
      return {
        order_id: `${prefix}${pad(k + 1, 7)}`,
        user_id: userId(user),
        topup_at,
        amount,
        currency,
        points: status === 'failed' ? 0 : granted,
        payment_method,
        platform,
        channel_id,
        member_level: memberLevel(seed, user),
        status,
        promo_code,
        topup_date: date,
        topup_day_segment: daySegment(Math.floor(second / 3600)),
      };
    },
  };
}

function chineseAmPm(instant: Date): string {
  const w = wallClock(instant);
  const hour = w.getUTCHours();
  const half = hour < 12 ? '上午' : '下午';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const date = w.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date} ${half} ${pad(h12, 2)}:${pad(w.getUTCMinutes(), 2)}:${pad(w.getUTCSeconds(), 2)}`;
}

export const topUpSpec: DomainSpec<TopUpRecord> = {
  domain: 'top_up',
  contract: REPORT_CONTRACTS.top_up,
  sheetName: { zh: '儲值紀錄', en: 'Top-ups' },
  source: topUpSource,
  key: (r) => r.order_id,
  labels: {
    payment_method: PAYMENT_METHOD_LABELS,
    platform: PLATFORM_LABELS,
    member_level: MEMBER_LEVEL_LABELS,
    status: TOP_UP_STATUS_LABELS,
  },
  defaults: { currency: 'TWD' },
  droppable: ['member_level', 'promo_code'],
  errorColumns: ['channel_id', 'promo_code'],
  formulaColumns: ['points'],
  richTextColumns: ['user_id'],
  paddedColumns: ['order_id', 'user_id', 'channel_id'],
  hyperlink: { column: 'order_id', url: (id) => `https://admin.example.com/orders/${id}` },
  summable: ['amount', 'points'],
  summaryBy: 'payment_method',
  extras: [
    { zh: '交易序號', en: 'Transaction No', value: (rng) => `4${pad(rng.int(0, 99_999_999), 8)}${pad(rng.int(0, 9_999_999), 7)}` },
    { zh: '備註', en: 'Remark', value: (rng) => (rng.chance(0.9) ? null : rng.pick(['客服補單', 'VIP', '首儲', 'test'])) },
    { zh: 'IP位址', en: 'IP Address', value: (rng) => `203.69.${rng.int(0, 255)}.${rng.int(1, 254)}` },
  ],
  badKinds: [
    { column: 'amount', value: (r) => -r.amount, reason: () => 'must be >= 0' },
    { column: 'order_id', value: () => null, reason: () => 'is required but blank' },
    { column: 'topup_at', value: (r) => chineseAmPm(r.topup_at), reason: () => 'is not a valid date-time' },
    { column: 'payment_method', value: () => '比特幣', reason: () => enumReason(PAYMENT_METHOD_LABELS) },
    { column: 'points', value: () => 'N/A', reason: () => 'is not a number' },
    { column: 'status', value: () => '處理中', reason: () => enumReason(TOP_UP_STATUS_LABELS) },
  ],
};
