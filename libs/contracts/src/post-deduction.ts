import { z } from 'zod';
import { cell, type CellContext, type EnumLabels } from './cells.js';
import { sourceColumn as col, type ReportContract } from './report.js';

export const SETTLEMENT_STATUS_LABELS = {
  settled: ['已結算', 'Settled'],
  reversed: ['已沖銷', 'Reversed'],
  partially_reversed: ['部分沖銷', 'Partially Reversed', 'Partial Reversal'],
} as const satisfies EnumLabels<string>;
export type SettlementStatus = keyof typeof SETTLEMENT_STATUS_LABELS;

export function postDeductionRowSchema(ctx: CellContext) {
  return z.object({
    deduction_id: cell.text({ required: true }),
    settled_at: cell.timestamp(ctx, { required: true }),
    settled_points: cell.integer({ required: true, min: 0 }),
    status: cell.enumeration(SETTLEMENT_STATUS_LABELS, { required: true }),
    reason: cell.text(),
  });
}

export type PostDeductionRow = z.output<ReturnType<typeof postDeductionRowSchema>>;

export interface PostDeductionRecord extends PostDeductionRow {
  settled_date: string;
}

/**
 * "settled_points <= the pre-deducted points" needs the matching pre_deduction row, which
 * may arrive in another file on another day: it is checked in the modeling layer, not here.
 */
export const postDeductionContract: ReportContract<PostDeductionRow> = {
  domain: 'post_deduction',
  title: { zh: '點數實扣', en: 'Point settlements' },
  naturalKey: ['deduction_id'],
  columns: [
    col('deduction_id', '扣點編號', 'Deduction ID', 'text', true),
    col('settled_at', '結算時間', 'Settled At', 'timestamp', true),
    col('settled_points', '實扣點數', 'Settled Points', 'integer', true),
    col('status', '結算狀態', 'Settlement Status', 'text', true),
    col('reason', '沖銷原因', 'Reversal Reason', 'text', false),
  ],
  derived: [{ name: 'settled_date', type: 'date', nullable: false, description: 'Asia/Taipei calendar date of settled_at' }],
  rowSchema: postDeductionRowSchema,
};
