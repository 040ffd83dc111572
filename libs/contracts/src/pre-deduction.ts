import { z } from 'zod';
import { cell, type CellContext, type EnumLabels } from './cells.js';
import { sourceColumn as col, type ReportContract } from './report.js';

export const ITEM_TYPE_LABELS = {
  gift: ['禮物', 'Gift'],
  membership: ['會員', 'Membership'],
  barrage: ['彈幕', 'Barrage', 'Bullet Comment'],
  other: ['其他', 'Other'],
} as const satisfies EnumLabels<string>;
export type ItemType = keyof typeof ITEM_TYPE_LABELS;

export function preDeductionRowSchema(ctx: CellContext) {
  return z.object({
    deduction_id: cell.text({ required: true }),
    user_id: cell.text({ required: true }),
    channel_id: cell.text({ required: true }),
    deducted_at: cell.timestamp(ctx, { required: true }),
    item_type: cell.enumeration(ITEM_TYPE_LABELS),
    item_name: cell.text(),
    quantity: cell.integer({ min: 1, default: 1 }),
    points: cell.integer({ required: true, min: 0 }),
  });
}

export type PreDeductionRow = z.output<ReturnType<typeof preDeductionRowSchema>>;

export interface PreDeductionRecord extends PreDeductionRow {
  deducted_date: string;
}

export const preDeductionContract: ReportContract<PreDeductionRow> = {
  domain: 'pre_deduction',
  title: { zh: '點數預扣', en: 'Point pre-deductions' },
  naturalKey: ['deduction_id'],
  columns: [
    col('deduction_id', '扣點編號', 'Deduction ID', 'text', true),
    col('user_id', '會員ID', 'User ID', 'text', true),
    col('channel_id', '頻道ID', 'Channel ID', 'text', true),
    col('deducted_at', '扣點時間', 'Deducted At', 'timestamp', true),
    col('item_type', '類型', 'Item Type', 'text', false),
    col('item_name', '項目名稱', 'Item Name', 'text', false),
    col('quantity', '數量', 'Quantity', 'integer', false, false),
    col('points', '扣除點數', 'Points', 'integer', true),
  ],
  derived: [{ name: 'deducted_date', type: 'date', nullable: false, description: 'Asia/Taipei calendar date of deducted_at' }],
  rowSchema: preDeductionRowSchema,
};
