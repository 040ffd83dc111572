import { businessDate } from '@sp01/core';
import {
  defineDomainTransform,
  preDeductionContract,
  type PreDeductionRecord,
  type PreDeductionRow,
} from '@sp01/contracts';

/** The local (Asia/Taipei) day a deduction was made on: the business date the marts group by. */
export function derivePreDeduction(row: PreDeductionRow): PreDeductionRecord {
  return { ...row, deducted_date: businessDate(row.deducted_at) };
}

/** 點數預扣 → raw.pre_deduction. */
export const preDeductionTransform = defineDomainTransform(preDeductionContract, derivePreDeduction);
