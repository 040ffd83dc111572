import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  index,
  integer,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * The raw layer as drizzle sees it: the source of `drizzle-kit generate` (migrations/) and
 * typed tables for readers. Column names, order and nullability follow
 * `warehouseColumns(contract)`; schema.spec.ts holds the two together. This file imports
 * nothing but drizzle because drizzle-kit loads it on its own.
 *
 * With a `schemaPrefix`, the same tables live in `<prefix>raw`; these objects always name
 * `raw`, so readers of a prefixed warehouse qualify their SQL with `warehouse.schema`.
 */
export const rawSchema = pgSchema('raw');

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Lineage columns, in LINEAGE_COLUMNS order: which file, sheet, row and run a row came from. */
const lineage = () => ({
  _source_file: text('_source_file').notNull(),
  _source_sheet: text('_source_sheet').notNull(),
  _source_row: integer('_source_row').notNull(),
  _source_modified_at: timestamptz('_source_modified_at').notNull(),
  _run_id: text('_run_id').notNull(),
  _loaded_at: timestamptz('_loaded_at').notNull(),
});

export const topUp = rawSchema.table('top_up', {
  order_id: text('order_id').primaryKey(),
  user_id: text('user_id').notNull(),
  topup_at: timestamptz('topup_at').notNull(),
  amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  points: integer('points').notNull(),
  payment_method: text('payment_method'),
  platform: text('platform'),
  channel_id: text('channel_id'),
  member_level: integer('member_level'),
  status: text('status').notNull(),
  promo_code: text('promo_code'),
  topup_date: date('topup_date', { mode: 'string' }).notNull(),
  topup_day_segment: text('topup_day_segment').notNull(),
  ...lineage(),
});

export const preDeduction = rawSchema.table('pre_deduction', {
  deduction_id: text('deduction_id').primaryKey(),
  user_id: text('user_id').notNull(),
  channel_id: text('channel_id').notNull(),
  deducted_at: timestamptz('deducted_at').notNull(),
  item_type: text('item_type'),
  item_name: text('item_name'),
  quantity: integer('quantity').notNull(),
  points: integer('points').notNull(),
  deducted_date: date('deducted_date', { mode: 'string' }).notNull(),
  ...lineage(),
});

export const postDeduction = rawSchema.table('post_deduction', {
  deduction_id: text('deduction_id').primaryKey(),
  settled_at: timestamptz('settled_at').notNull(),
  settled_points: integer('settled_points').notNull(),
  status: text('status').notNull(),
  reason: text('reason'),
  settled_date: date('settled_date', { mode: 'string' }).notNull(),
  ...lineage(),
});

export const opStats = rawSchema.table(
  'op_stats',
  {
    stat_date: date('stat_date', { mode: 'string' }).notNull(),
    channel_id: text('channel_id').notNull(),
    channel_name: text('channel_name'),
    category: text('category'),
    live_hours: numeric('live_hours', { precision: 6, scale: 2, mode: 'number' }),
    unique_viewers: integer('unique_viewers'),
    new_viewers: integer('new_viewers'),
    peak_concurrent: integer('peak_concurrent'),
    new_followers: integer('new_followers'),
    comments: integer('comments'),
    ...lineage(),
  },
  (t) => [primaryKey({ name: 'op_stats_pkey', columns: [t.stat_date, t.channel_id] })],
);

/** A row that broke a rule, one per failing column; a file's rejects are replaced on reload. */
export const rejectedRows = rawSchema.table(
  'rejected_rows',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    domain: text('domain').notNull(),
    source_file: text('source_file').notNull(),
    sheet: text('sheet').notNull(),
    row_number: integer('row_number').notNull(),
    /** Null when the row as a whole is wrong rather than one cell. */
    column_name: text('column_name'),
    raw_value: text('raw_value'),
    reason: text('reason').notNull(),
    run_id: text('run_id').notNull(),
    rejected_at: timestamptz('rejected_at').notNull().defaultNow(),
  },
  (t) => [index('rejected_rows_source_file_idx').on(t.source_file)],
);

export const FILE_STATUSES = ['loaded', 'rejected', 'skipped'] as const;

/** One row per source file ever seen: what happened to it the last time. */
export const fileLedger = rawSchema.table(
  'file_ledger',
  {
    source_file: text('source_file').primaryKey(),
    file_name: text('file_name').notNull(),
    source_uri: text('source_uri').notNull(),
    /** Null for a file rejected before its report kind was known. */
    domain: text('domain'),
    checksum: text('checksum').notNull(),
    size_bytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    modified_at: timestamptz('modified_at').notNull(),
    status: text('status', { enum: FILE_STATUSES }).notNull(),
    rows_read: integer('rows_read').notNull().default(0),
    rows_loaded: integer('rows_loaded').notNull().default(0),
    rows_rejected: integer('rows_rejected').notNull().default(0),
    error: text('error'),
    run_id: text('run_id').notNull(),
    first_seen_at: timestamptz('first_seen_at').notNull().defaultNow(),
    updated_at: timestamptz('updated_at').notNull().defaultNow(),
  },
  () => [check('file_ledger_status_check', sql`status in ('loaded', 'rejected', 'skipped')`)],
);

/** The raw table of each domain, keyed like `Domain`. */
export const rawTables = {
  top_up: topUp,
  pre_deduction: preDeduction,
  post_deduction: postDeduction,
  op_stats: opStats,
} as const;
