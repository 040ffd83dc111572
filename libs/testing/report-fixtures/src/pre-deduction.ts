import { ITEM_TYPE_LABELS, REPORT_CONTRACTS, type PreDeductionRecord, type SettlementStatus } from '@sp01/contracts';
import { enumReason, type DomainSpec, type RecordSource } from './domain-spec.js';
import { mixSeed, Prng, WeightedTable } from './prng.js';
import {
  CATALOG,
  ChannelPicker,
  channelId,
  compactDate,
  dayNumber,
  DEDUCTION_CURVE,
  isLive,
  pad,
  pickUser,
  taipeiInstant,
  userId,
  type CatalogItem,
} from './world.js';

const ITEM_TABLE = new WeightedTable<CatalogItem>(CATALOG.map((item) => [item, item.weight]));
const SMALL_BATCHES = [2, 3, 5, 10];
/** 66 (smooth), 99 (forever), 520 (I love you), 1314 (for a lifetime): how fans send cheap gifts. */
const LUCKY_BATCHES = [66, 99, 520, 1314];

export function deductionId(date: string, k: number): string {
  return `PD${compactDate(date)}${pad(k + 1, 7)}`;
}

function quantityFor(rng: Prng, item: CatalogItem): number {
  if (item.type !== 'gift') return 1;
  const r = rng.next();
  if (item.points <= 50) {
    if (r < 0.7) return 1;
    if (r < 0.93) return rng.pick(SMALL_BATCHES);
    return rng.pick(LUCKY_BATCHES);
  }
  return r < 0.9 ? 1 : rng.int(2, 3);
}

/**
 * The k-th pre-deduction of a day. Its fields do not depend on how many rows the day has
 * (only its time does), so a settlement can find its points without knowing that.
 */
export function preDeductionSource(seed: number, date: string, rows: number, revision: number): RecordSource<PreDeductionRecord> {
  const day = dayNumber(date);
  const base = mixSeed(seed, 'pre_deduction', day);
  const channels = new ChannelPicker(seed);
  return {
    count: rows,
    record(k) {
      const rng = new Prng(mixSeed(base, k));
      const second = DEDUCTION_CURVE.secondAt((k + rng.next()) / rows);
      const user = pickUser(rng);
      const item = ITEM_TABLE.pick(rng);
      let ch = channels.pick(rng);
      if (item.type === 'gift' || item.type === 'barrage') {
        for (let tries = 0; tries < 4 && !isLive(seed, ch, day); tries++) ch = channels.pick(rng);
      }
      const quantity = quantityFor(rng, item);
      let item_name = rng.chance(0.03) ? undefined : item.name;
      // A re-sent export fills in item names the first one lost.
      if (revision > 0 && item_name === undefined) item_name = item.name;
      const deducted_at = taipeiInstant(day, second);
      return {
        deduction_id: deductionId(date, k),
        user_id: userId(user),
        channel_id: channelId(ch),
        deducted_at,
        item_type: item.type,
        item_name,
        quantity,
        points: item.points * quantity,
        deducted_date: date,
      };
    },
  };
}

export interface Settlement {
  /** Days after the deduction (1-3). */
  lag: number;
  status: SettlementStatus;
  settledPoints: number;
  reason: string | undefined;
}

const LAG_TABLE = new WeightedTable([
  [1, 60],
  [2, 30],
  [3, 10],
]);
const SETTLEMENT_TABLE = new WeightedTable<SettlementStatus>([
  ['settled', 90],
  ['reversed', 6],
  ['partially_reversed', 4],
]);
const REVERSAL_REASONS = ['用戶申訴退款', '主播違規，禮物退回', '系統重複扣點', 'Chargeback', '交易逾時自動退回'];
const PARTIAL_REASONS = ['部分禮物未送達', '活動加碼退點', 'Partial refund after review'];

/** Only the settlement day of the k-th deduction of a day: cheap, for finding what falls due. */
export function settlementLag(seed: number, day: number, k: number): number {
  return LAG_TABLE.pick(new Prng(mixSeed(seed, 'settle', day, k)));
}

/** How the k-th deduction of a day settles; settled points never exceed its points. */
export function settlement(seed: number, day: number, k: number, points: number, revision: number): Settlement {
  const rng = new Prng(mixSeed(seed, 'settle', day, k));
  const lag = LAG_TABLE.pick(rng);
  let status = SETTLEMENT_TABLE.pick(rng);
  const ratio = rng.between(0.2, 0.9);
  const reversalReason = rng.pick(REVERSAL_REASONS);
  const partialReason = rng.pick(PARTIAL_REASONS);
  if (revision > 0 && status === 'settled' && new Prng(mixSeed(seed, 'settle-revision', revision, day, k)).chance(0.08)) {
    // An appeal upheld after the first export.
    status = 'reversed';
  }
  if (status === 'partially_reversed' && points < 2) status = 'reversed';
  if (status === 'settled') return { lag, status, settledPoints: points, reason: undefined };
  if (status === 'reversed') return { lag, status, settledPoints: 0, reason: reversalReason };
  const settledPoints = Math.min(points - 1, Math.max(1, Math.floor(points * ratio)));
  return { lag, status, settledPoints, reason: partialReason };
}

export const preDeductionSpec: DomainSpec<PreDeductionRecord> = {
  domain: 'pre_deduction',
  contract: REPORT_CONTRACTS.pre_deduction,
  sheetName: { zh: '點數預扣', en: 'Pre-deductions' },
  source: preDeductionSource,
  key: (r) => r.deduction_id,
  labels: { item_type: ITEM_TYPE_LABELS },
  defaults: { quantity: 1 },
  droppable: ['item_name'],
  errorColumns: ['item_name', 'item_type'],
  formulaColumns: ['points'],
  richTextColumns: ['item_name', 'user_id'],
  paddedColumns: ['deduction_id', 'user_id', 'channel_id'],
  hyperlink: { column: 'user_id', url: (id) => `https://admin.example.com/users/${id}` },
  summable: ['quantity', 'points'],
  summaryBy: 'item_type',
  extras: [
    { zh: '主播名稱', en: 'Streamer', value: (_rng, r) => `主播${r.channel_id.slice(-2)}` },
    { zh: '備註', en: 'Remark', value: (rng) => (rng.chance(0.92) ? null : rng.pick(['活動', '補發', 'PK賽'])) },
  ],
  badKinds: [
    { column: 'channel_id', value: () => null, reason: () => 'is required but blank' },
    { column: 'points', value: (r) => -Math.max(1, r.points), reason: () => 'must be >= 0' },
    { column: 'quantity', value: () => 0, reason: () => 'must be >= 1' },
    { column: 'item_type', value: () => '貼圖', reason: () => enumReason(ITEM_TYPE_LABELS) },
    {
      column: 'deducted_at',
      value: (r) => `${r.deducted_date.slice(0, 8)}32 10:00:00`,
      reason: () => 'is not a valid date-time',
    },
    { column: 'deduction_id', value: () => null, reason: () => 'is required but blank' },
  ],
};
