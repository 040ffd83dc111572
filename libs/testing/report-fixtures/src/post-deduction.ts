import { REPORT_CONTRACTS, SETTLEMENT_STATUS_LABELS, type PostDeductionRecord } from '@sp01/contracts';
import { enumReason, type DomainSpec, type RecordSource } from './domain-spec.js';
import { preDeductionSource, settlement, settlementLag } from './pre-deduction.js';
import { mixSeed, Prng } from './prng.js';
import { dateOfDay, dayNumber, taipeiInstant, wallClock } from './world.js';

const MAX_LAG = 3;
/** The nightly settlement batch runs 02:00-05:00. */
const BATCH_START = 2 * 3600;
const BATCH_SECONDS = 3 * 3600;

/**
 * The settlements that fall due on a day: of the first `rows` deductions of each of the
 * three previous days, those whose settlement lag lands here. A pre_deduction file of those
 * days with at least `rows` rows therefore holds every deduction referred to.
 */
function postDeductionSource(seed: number, date: string, rows: number, revision: number): RecordSource<PostDeductionRecord> {
  const day = dayNumber(date);
  const sources = new Map<number, RecordSource<{ deduction_id: string; points: number }>>();
  for (let lag = 1; lag <= MAX_LAG; lag++) sources.set(day - lag, preDeductionSource(seed, dateOfDay(day - lag), rows, 0));
  let count = 0;
  const days = new Int32Array(rows * MAX_LAG);
  const indices = new Int32Array(rows * MAX_LAG);
  for (let k = 0; k < rows; k++) {
    for (let lag = MAX_LAG; lag >= 1; lag--) {
      if (settlementLag(seed, day - lag, k) !== lag) continue;
      days[count] = day - lag;
      indices[count] = k;
      count++;
    }
  }
  const base = mixSeed(seed, 'post_deduction', day);
  return {
    count,
    record(j) {
      const from = days[j] as number;
      const k = indices[j] as number;
      const pre = (sources.get(from) as RecordSource<{ deduction_id: string; points: number }>).record(k);
      const s = settlement(seed, from, k, pre.points, revision);
      const u = new Prng(mixSeed(base, j)).next();
      const settled_at = taipeiInstant(day, BATCH_START + Math.floor(((j + u) * BATCH_SECONDS) / count));
      return {
        deduction_id: pre.deduction_id,
        settled_at,
        settled_points: s.settledPoints,
        status: s.status,
        reason: s.reason,
        settled_date: date,
      };
    },
  };
}

export const postDeductionSpec: DomainSpec<PostDeductionRecord> = {
  domain: 'post_deduction',
  contract: REPORT_CONTRACTS.post_deduction,
  sheetName: { zh: '點數實扣', en: 'Settlements' },
  source: postDeductionSource,
  key: (r) => r.deduction_id,
  labels: { status: SETTLEMENT_STATUS_LABELS },
  defaults: {},
  droppable: ['reason'],
  errorColumns: ['reason'],
  formulaColumns: ['settled_points'],
  richTextColumns: ['status'],
  paddedColumns: ['deduction_id'],
  hyperlink: { column: 'deduction_id', url: (id) => `https://admin.example.com/deductions/${id}` },
  summable: ['settled_points'],
  summaryBy: 'status',
  extras: [
    { zh: '批次編號', en: 'Batch ID', value: (_rng, r) => `B${r.settled_date.replaceAll('-', '')}-01` },
    { zh: '處理人員', en: 'Operator', value: (rng) => rng.pick(['system', 'system', 'system', 'amy.lin', 'kevin.chen']) },
  ],
  badKinds: [
    { column: 'settled_points', value: (r) => -Math.max(1, r.settled_points), reason: () => 'must be >= 0' },
    { column: 'status', value: () => '處理中', reason: () => enumReason(SETTLEMENT_STATUS_LABELS) },
    {
      column: 'settled_at',
      value: (r) => `${wallClock(r.settled_at).toISOString().slice(0, 10).replaceAll('-', '/')} 24:10`,
      reason: () => 'is not a valid date-time',
    },
    { column: 'deduction_id', value: () => null, reason: () => 'is required but blank' },
    { column: 'settled_points', value: (r) => r.settled_points + 0.5, reason: () => 'is not a whole number' },
  ],
};
