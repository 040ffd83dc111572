import { z } from 'zod';
import { cell, type CellContext } from './cells.js';
import { sourceColumn as col, type ReportContract } from './report.js';

export function opStatsRowSchema(ctx: CellContext) {
  return z
    .object({
      stat_date: cell.date(ctx, { required: true }),
      channel_id: cell.text({ required: true }),
      channel_name: cell.text(),
      category: cell.text().transform((v) => v?.toLowerCase()),
      live_hours: cell.decimal({ min: 0, max: 24, precision: 6, scale: 2 }),
      unique_viewers: cell.integer({ min: 0 }),
      new_viewers: cell.integer({ min: 0 }),
      peak_concurrent: cell.integer({ min: 0 }),
      new_followers: cell.integer(),
      comments: cell.integer({ min: 0 }),
    })
    .superRefine((row, ctx) => {
      if (row.new_viewers !== undefined && row.unique_viewers !== undefined && row.new_viewers > row.unique_viewers) {
        ctx.addIssue({ code: 'custom', path: ['new_viewers'], message: `must be <= unique_viewers (${row.unique_viewers})` });
      }
    });
}

export type OpStatsRow = z.output<ReturnType<typeof opStatsRowSchema>>;
export type OpStatsRecord = OpStatsRow;

export const opStatsContract: ReportContract<OpStatsRow> = {
  domain: 'op_stats',
  title: { zh: '營運數據', en: 'Channel operational stats' },
  naturalKey: ['stat_date', 'channel_id'],
  columns: [
    col('stat_date', '日期', 'Date', 'date', true),
    col('channel_id', '頻道ID', 'Channel ID', 'text', true),
    col('channel_name', '頻道名稱', 'Channel Name', 'text', false),
    col('category', '分類', 'Category', 'text', false),
    col('live_hours', '開播時數', 'Live Hours', 'numeric(6,2)', false),
    col('unique_viewers', '觀看人數', 'Unique Viewers', 'integer', false),
    col('new_viewers', '新觀眾', 'New Viewers', 'integer', false),
    col('peak_concurrent', '最高同時在線', 'Peak Concurrent', 'integer', false),
    col('new_followers', '新增追蹤', 'New Followers', 'integer', false),
    col('comments', '留言數', 'Comments', 'integer', false),
  ],
  derived: [],
  rowSchema: opStatsRowSchema,
};
