import { createPgliteAdapter } from '@sp01/modeling-adapter-postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { formatKpis, nextSteps, readLatestKpis } from './latest-kpis.js';

describe('the latest KPIs', () => {
  const adapter = createPgliteAdapter();
  afterAll(() => adapter.close());

  it('reads the latest kpi_date of the mart, in the prefixed schema', async () => {
    await adapter.execute('create schema dev_marts');
    await adapter.execute(`create table dev_marts.mart_daily_kpis as
      select * from (values
        (date '2025-03-22', 10, 4, 1, 5, 1000.50::numeric, 250.13::numeric, 0.2::float, 500, 300, 250, 0.1::float, 3, 40),
        (date '2025-03-23', 12, 5, 2, 6, 1234.00::numeric, 246.80::numeric, 0.5::float, 600, 700, 0, null::float, 4, 50)
      ) as t(kpi_date, dau, paying_users, new_payers, topup_count, revenue_twd, arppu_twd, repeat_topup_rate,
             points_issued, points_spent, points_settled, settlement_deviation_rate, live_channels, total_unique_viewers)`);
    const kpis = await readLatestKpis(adapter, 'dev_');
    expect(kpis).toEqual({
      kpi_date: '2025-03-23', dau: 12, paying_users: 5, new_payers: 2, topup_count: 6, revenue_twd: 1234, arppu_twd: 246.8,
      repeat_topup_rate: 0.5, points_issued: 600, points_spent: 700, points_settled: 0, settlement_deviation_rate: null,
      live_channels: 4, total_unique_viewers: 50,
    });
    if (!kpis) throw new Error('no KPIs read');
    expect(formatKpis(kpis, 'dev_')).toBe(
      [
        'KPIs of the latest business day, 2025-03-23 (dev_marts.mart_daily_kpis):',
        '',
        '  DAU                   12',
        '  paying users          5',
        '  new payers            2',
        '  revenue (TWD)         1,234.00',
        '  ARPPU (TWD)           246.80',
        '  repeat top-up rate    50.0%',
        '  points issued         600',
        '  points spent          700',
        '  settlement deviation  — (none of the day’s deductions settled yet)',
        '  live channels         4',
      ].join('\n'),
    );
  });

  it('is null for an empty mart', async () => {
    await adapter.execute('delete from dev_marts.mart_daily_kpis');
    expect(await readLatestKpis(adapter, 'dev_')).toBeNull();
  });

  it('points to the sql target and the docs site', () => {
    expect(nextSteps('dev_')).toContain('nx run warehouse:sql -- "select * from dev_marts.mart_daily_kpis"');
    expect(nextSteps()).toContain('nx run models:docs');
  });
});
