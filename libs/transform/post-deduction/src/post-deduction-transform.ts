import { businessDate } from '@sp01/core';
import {
  defineDomainTransform,
  postDeductionContract,
  type PostDeductionRecord,
  type PostDeductionRow,
} from '@sp01/contracts';

/**
 * The local day a deduction was settled on. Whether settled_points stays within the
 * pre-deducted points is checked in the modeling layer: the matching pre-deduction may
 * arrive in another file.
 */
export function derivePostDeduction(row: PostDeductionRow): PostDeductionRecord {
  return { ...row, settled_date: businessDate(row.settled_at) };
}

/** 點數實扣 → raw.post_deduction. */
export const postDeductionTransform = defineDomainTransform(postDeductionContract, derivePostDeduction);
