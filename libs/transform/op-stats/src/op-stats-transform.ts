import { defineDomainTransform, opStatsContract, type OpStatsRecord, type OpStatsRow } from '@sp01/contracts';

/** Op stats are already per channel per local day; nothing to derive beyond the typed row. */
export function deriveOpStats(row: OpStatsRow): OpStatsRecord {
  return { ...row };
}

/** 營運數據 → raw.op_stats. */
export const opStatsTransform = defineDomainTransform(opStatsContract, deriveOpStats);
