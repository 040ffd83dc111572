/** The latest business day's row of marts.mart_daily_kpis, as `npm start` prints it. */
export interface DailyKpis {
  kpi_date: string;
  dau: number;
  paying_users: number;
  new_payers: number;
  topup_count: number;
  revenue_twd: number;
  arppu_twd: number | null;
  repeat_topup_rate: number | null;
  points_issued: number;
  points_spent: number;
  points_settled: number;
  settlement_deviation_rate: number | null;
  live_channels: number;
  total_unique_viewers: number;
}

/** Anything that runs a query: a modeling adapter session, a pg client wrapper. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The mart's latest day; null when the mart is empty. Dates come back as ISO dates whatever the driver does with them. */
export async function readLatestKpis(db: Queryable, schemaPrefix = ''): Promise<DailyKpis | null> {
  const rows = await db.query<Record<string, unknown>>(
    `select * from ${quoteIdent(`${schemaPrefix}marts`)}.mart_daily_kpis order by kpi_date desc limit 1`,
  );
  const row = rows[0];
  if (!row) return null;
  const num = (key: keyof DailyKpis) => (row[key] === null || row[key] === undefined ? null : Number(row[key]));
  const date = row['kpi_date'];
  return {
    kpi_date: date instanceof Date ? date.toISOString().slice(0, 10) : String(date).slice(0, 10),
    dau: num('dau') ?? 0,
    paying_users: num('paying_users') ?? 0,
    new_payers: num('new_payers') ?? 0,
    topup_count: num('topup_count') ?? 0,
    revenue_twd: num('revenue_twd') ?? 0,
    arppu_twd: num('arppu_twd'),
    repeat_topup_rate: num('repeat_topup_rate'),
    points_issued: num('points_issued') ?? 0,
    points_spent: num('points_spent') ?? 0,
    points_settled: num('points_settled') ?? 0,
    settlement_deviation_rate: num('settlement_deviation_rate'),
    live_channels: num('live_channels') ?? 0,
    total_unique_viewers: num('total_unique_viewers') ?? 0,
  };
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (rate: number | null, none: string) => (rate === null ? none : `${(rate * 100).toFixed(1)}%`);

/** A small two-column table of the day's headline KPIs. */
export function formatKpis(kpis: DailyKpis, schemaPrefix = ''): string {
  const rows: [string, string][] = [
    ['DAU', count.format(kpis.dau)],
    ['paying users', count.format(kpis.paying_users)],
    ['new payers', count.format(kpis.new_payers)],
    ['revenue (TWD)', money.format(kpis.revenue_twd)],
    ['ARPPU (TWD)', kpis.arppu_twd === null ? '— (no paying users)' : money.format(kpis.arppu_twd)],
    ['repeat top-up rate', percent(kpis.repeat_topup_rate, '— (no top-ups)')],
    ['points issued', count.format(kpis.points_issued)],
    ['points spent', count.format(kpis.points_spent)],
    ['settlement deviation', percent(kpis.settlement_deviation_rate, '— (none of the day’s deductions settled yet)')],
    ['live channels', count.format(kpis.live_channels)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `KPIs of the latest business day, ${kpis.kpi_date} (${schemaPrefix}marts.mart_daily_kpis):`,
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join('\n');
}

/** Where to look next, after the table. */
export function nextSteps(schemaPrefix = ''): string {
  const steps: [string, string][] = [
    [`nx run warehouse:sql -- "select * from ${schemaPrefix}marts.mart_daily_kpis"`, "every day's KPIs (and any other model)"],
    ['nx run models:docs   (then open libs/analytics/target/index.html)', 'every model, column and KPI definition'],
  ];
  const width = Math.max(...steps.map(([command]) => command.length));
  return ['Next:', ...steps.map(([command, what]) => `  ${command.padEnd(width)}   ${what}`)].join('\n');
}
