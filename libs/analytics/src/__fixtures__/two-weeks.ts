import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

/**
 * A hand-made set of reports: six users over two weeks (Mon 2025-03-10 … Sun 2025-03-23),
 * every top-up status and currency, a tie on topup_at, a first top-up on a Sunday, second
 * top-ups exactly at and one second past 168 h, level changes up and down (one reported by a
 * refunded top-up, one on a local date that is the previous day in UTC), a settlement a week
 * late, a pending deduction, a reversed one, a settlement without its pre-deduction, a
 * channel renamed and re-categorised, a channel seen only in top-ups.
 *
 * Times are local (Asia/Taipei), as the back office writes them. The expected marts are in
 * two-weeks.expected.ts, worked out by hand from these rows.
 */

type Cell = string | number | null;

interface Report {
  file: string;
  header: string[];
  rows: Cell[][];
}

const TOP_UP_HEADER = ['Order ID', 'User ID', 'Top-up Time', 'Amount', 'Currency', 'Points', 'Payment Method', 'Platform', 'Channel ID', 'Member Level', 'Status', 'Promo Code'];
const PRE_HEADER = ['Deduction ID', 'User ID', 'Channel ID', 'Deducted At', 'Item Type', 'Item Name', 'Quantity', 'Points'];
const POST_HEADER = ['Deduction ID', 'Settled At', 'Settled Points', 'Settlement Status', 'Reversal Reason'];
const OP_HEADER = ['Date', 'Channel ID', 'Channel Name', 'Category', 'Live Hours', 'Unique Viewers', 'New Viewers', 'Peak Concurrent', 'New Followers', 'Comments'];

// order, user, local time, amount, currency, points, method, platform, channel, level, status
const topUp = (o: string, u: string, at: string, amount: number, currency: string, points: number, channel: string | null, level: number | null, status: string): Cell[] => [
  o, u, at, amount, currency, points, 'credit_card', 'web', channel, level, status, null,
];

export const WEEK_ONE: Report[] = [
  {
    file: 'top_up_20250310.xlsx',
    header: TOP_UP_HEADER,
    rows: [
      topUp('T01', 'U1', '2025/03/10 09:00:00', 100, 'TWD', 100, 'C1', 1, 'success'),
      topUp('T02', 'U1', '2025/03/10 09:00:00', 10, 'USD', 320, 'C1', 1, 'success'),
      topUp('T03', 'U2', '2025/03/10 23:30:00', 100, 'HKD', 410, null, 0, 'failed'),
    ],
  },
  {
    file: 'top_up_20250312.xlsx',
    header: TOP_UP_HEADER,
    rows: [
      topUp('T04', 'U2', '2025/03/12 08:00:00', 1000, 'JPY', 210, 'C2', 0, 'success'),
      topUp('T05', 'U1', '2025/03/12 10:00:00', 50, 'TWD', 50, 'C2', 2, 'refunded'),
      topUp('T12', 'U6', '2025/03/12 12:00:00', 30, 'TWD', 30, null, 0, 'success'),
    ],
  },
  { file: 'top_up_20250316.xlsx', header: TOP_UP_HEADER, rows: [topUp('T06', 'U3', '2025/03/16 20:00:00', 20, 'MYR', 140, 'C1', 3, 'success')] },
  {
    file: 'pre_deduction_20250310.xlsx',
    header: PRE_HEADER,
    rows: [
      ['P01', 'U1', 'C1', '2025/03/10 12:00:00', 'gift', 'Rose', 1, 100],
      ['P02', 'U2', 'C1', '2025/03/10 13:00:00', 'gift', 'Rose', 1, 50],
    ],
  },
  { file: 'pre_deduction_20250312.xlsx', header: PRE_HEADER, rows: [['P03', 'U5', 'C2', '2025/03/12 21:00:00', 'barrage', null, 2, 80]] },
  { file: 'pre_deduction_20250316.xlsx', header: PRE_HEADER, rows: [['P04', 'U1', 'C2', '2025/03/16 10:00:00', 'membership', 'Fan club', 1, 40]] },
  {
    file: 'post_deduction_20250312.xlsx',
    header: POST_HEADER,
    rows: [
      ['P01', '2025/03/12 03:00:00', 100, 'settled', null],
      ['P02', '2025/03/12 03:00:00', 0, 'reversed', 'chargeback'],
    ],
  },
  { file: 'post_deduction_20250316.xlsx', header: POST_HEADER, rows: [['P03', '2025/03/16 03:00:00', 60, 'partially_reversed', 'partial refund']] },
  {
    file: 'op_stats_20250310.xlsx',
    header: OP_HEADER,
    rows: [
      ['2025/03/10', 'C1', 'Alpha', 'music', 2.5, 100, 40, 30, 5, 200],
      ['2025/03/10', 'C2', 'Beta', 'gaming', 0, 0, 0, 0, 0, 0],
    ],
  },
];

export const WEEK_TWO: Report[] = [
  {
    file: 'top_up_20250317.xlsx',
    header: TOP_UP_HEADER,
    rows: [
      // 07:00 local is 23:00 UTC the day before: the level change belongs to 03-17.
      topUp('T07', 'U1', '2025/03/17 07:00:00', 100, 'TWD', 100, 'C1', 1, 'success'),
      topUp('T09', 'U4', '2025/03/17 10:00:00', 300, 'TWD', 300, null, null, 'success'),
    ],
  },
  {
    file: 'top_up_20250319.xlsx',
    header: TOP_UP_HEADER,
    rows: [
      topUp('T08', 'U2', '2025/03/19 08:00:00', 200, 'TWD', 200, 'C3', 0, 'success'),
      topUp('T10', 'U4', '2025/03/19 10:00:00', 50, 'TWD', 50, 'C2', 2, 'failed'),
    ],
  },
  { file: 'top_up_20250323.xlsx', header: TOP_UP_HEADER, rows: [topUp('T11', 'U3', '2025/03/23 20:00:01', 100, 'TWD', 100, 'C1', 4, 'success')] },
  { file: 'pre_deduction_20250317.xlsx', header: PRE_HEADER, rows: [['P05', 'U3', 'C1', '2025/03/17 11:00:00', 'gift', 'Star', 1, 30]] },
  { file: 'pre_deduction_20250319.xlsx', header: PRE_HEADER, rows: [['P06', 'U5', 'C1', '2025/03/19 15:00:00', 'other', null, 1, 20]] },
  { file: 'pre_deduction_20250323.xlsx', header: PRE_HEADER, rows: [['P07', 'U4', 'C2', '2025/03/23 09:00:00', 'gift', 'Rose', 1, 10]] },
  { file: 'post_deduction_20250319.xlsx', header: POST_HEADER, rows: [['P05', '2025/03/19 03:00:00', 30, 'settled', null]] },
  {
    file: 'post_deduction_20250323.xlsx',
    header: POST_HEADER,
    rows: [
      ['P06', '2025/03/23 03:00:00', 20, 'settled', null],
      // A week after its deduction: the pending row of week one gets its settlement.
      ['P04', '2025/03/23 03:00:00', 30, 'partially_reversed', 'partial refund'],
      // No pre-deduction P98 ever arrives: not a row of fct_deduction.
      ['P98', '2025/03/23 03:00:00', 5, 'settled', null],
    ],
  },
  {
    file: 'op_stats_20250317.xlsx',
    header: OP_HEADER,
    rows: [
      ['2025/03/17', 'C1', 'Alpha Live', 'chat', 3, 200, 50, 60, 10, 300],
      ['2025/03/17', 'C2', 'Beta', 'gaming', 1, 50, 10, 20, -2, 40],
    ],
  },
  { file: 'op_stats_20250323.xlsx', header: OP_HEADER, rows: [['2025/03/23', 'C1', 'Alpha Live', 'chat', 0, 80, 5, 10, 0, 12]] },
];

/** Writes the reports into `dir` as workbooks: a title row above the header, as exports have. */
export async function writeReports(dir: string, reports: Report[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const report of reports) {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Data');
    sheet.addRow([`SP01 back office export: ${report.file}`]);
    sheet.addRow(report.header);
    for (const row of report.rows) sheet.addRow(row);
    await book.xlsx.writeFile(join(dir, report.file));
  }
}
