/**
 * The marts of the two-week reports (two-weeks.ts), worked out by hand. TWD: USD 32, HKD 4.1,
 * JPY 0.21, MYR 7 (T02 10 USD = 320, T03 100 HKD = 410, T04 1000 JPY = 210, T06 20 MYR = 140).
 * Rows are ordered by the mart's key.
 */
const K = (
  kpi_date: string, dau: number, paying_users: number, new_payers: number, topup_count: number, revenue_twd: number, arppu_twd: number | null,
  repeat_topup_rate: number | null, points_issued: number, points_spent: number, points_settled: number, settlement_deviation_rate: number | null,
  live_channels: number, total_unique_viewers: number,
) => ({ kpi_date, dau, paying_users, new_payers, topup_count, revenue_twd, arppu_twd, repeat_topup_rate, points_issued, points_spent, points_settled, settlement_deviation_rate, live_channels, total_unique_viewers });

export const MART_DAILY_KPIS = [
  // U1 T01+T02 (tie at 09:00; T02 is the repeat), U2 only a failed top-up and P02. P01 settled 100 of 100, P02 reversed: 1 − 100/150.
  K('2025-03-10', 2, 1, 1, 2, 420, 420, 0.5, 420, 150, 100, 1 / 3, 1, 100),
  // U2's and U6's first top-ups (T05 refunded brings nothing); U5's P03 settled 60 of 80.
  K('2025-03-12', 3, 2, 2, 2, 240, 120, 0, 240, 80, 60, 0.25, 0, 0),
  // U3's first top-up on a Sunday; U1's P04 settled a week later, 30 of 40.
  K('2025-03-16', 2, 1, 1, 1, 140, 140, 0, 140, 40, 30, 0.25, 0, 0),
  // U1's third and U4's first; P05 settled in full; C1 and C2 live.
  K('2025-03-17', 3, 2, 1, 2, 400, 200, 0.5, 400, 30, 30, 0, 2, 250),
  // U2's second (T10 failed); P06 settled in full; no operational stats that day.
  K('2025-03-19', 2, 1, 0, 1, 200, 200, 1, 200, 20, 20, 0, 0, 0),
  // U3's second; U4's P07 still pending: no deviation; C1 not live.
  K('2025-03-23', 2, 1, 0, 1, 100, 100, 1, 100, 10, 0, null, 0, 80),
];

const C = (
  stat_date: string, channel_id: string, channel_name: string | null, category: string | null,
  op: [number, number, number, number, number, number] | null,
  topup_count: number, topup_payers: number, topup_revenue_twd: number, points_received: number, points_settled: number, payer_conversion_rate: number | null,
) => ({
  stat_date, channel_id, channel_name, category,
  live_hours: op?.[0] ?? null, unique_viewers: op?.[1] ?? null, new_viewers: op?.[2] ?? null, new_followers: op?.[3] ?? null, peak_concurrent: op?.[4] ?? null, comments: op?.[5] ?? null,
  topup_count, topup_payers, topup_revenue_twd, points_received, points_settled, payer_conversion_rate,
});

// Current names on every row: C1 is "Alpha Live" / chat since 03-17; C3 never had operational stats.
const C1 = ['C1', 'Alpha Live', 'chat'] as const;
const C2 = ['C2', 'Beta', 'gaming'] as const;
export const MART_CHANNEL_PERFORMANCE = [
  C('2025-03-10', ...C1, [2.5, 100, 40, 5, 30, 200], 2, 1, 420, 150, 100, 0.01),
  C('2025-03-10', ...C2, [0, 0, 0, 0, 0, 0], 0, 0, 0, 0, 0, null),
  C('2025-03-12', ...C2, null, 1, 1, 210, 80, 60, null),
  C('2025-03-16', ...C1, null, 1, 1, 140, 0, 0, null),
  C('2025-03-16', ...C2, null, 0, 0, 0, 40, 30, null),
  C('2025-03-17', ...C1, [3, 200, 50, 10, 60, 300], 1, 1, 100, 30, 30, 0.005),
  C('2025-03-17', ...C2, [1, 50, 10, -2, 20, 40], 0, 0, 0, 0, 0, 0),
  C('2025-03-19', ...C1, null, 0, 0, 0, 20, 20, null),
  C('2025-03-19', ...C2, null, 0, 0, 0, 0, 0, null), // T10 failed: a row, no revenue
  C('2025-03-19', 'C3', null, null, null, 1, 1, 200, 0, 0, null),
  C('2025-03-23', ...C1, [0, 80, 5, 0, 10, 12], 1, 1, 100, 0, 0, 0.0125),
  C('2025-03-23', ...C2, null, 0, 0, 0, 10, 0, null),
];

// Week of 03-10: U1 (second at 0 h, third at 166 h), U2 (second at exactly 168 h), U3 (first on
// Sunday 03-16, second at 168 h + 1 s), U6 (no second). Week of 03-17: U4 (T10 failed).
export const MART_TOPUP_FUNNEL = [
  { cohort_week: '2025-03-10', cohort_users: 4, second_topup_7d: 2, second_topup_30d: 3, third_topup_30d: 1, second_topup_7d_rate: 0.5, second_topup_30d_rate: 0.75, third_topup_30d_rate: 0.25 },
  { cohort_week: '2025-03-17', cohort_users: 1, second_topup_7d: 0, second_topup_30d: 0, third_topup_30d: 0, second_topup_7d_rate: 0, second_topup_30d_rate: 0, third_topup_30d_rate: 0 },
];

// Latest week with data: 03-17 (03-23 is its Sunday). U6 is not active in week two.
export const MART_RETENTION = [
  { cohort_week: '2025-03-10', week_offset: 0, cohort_users: 4, active_users: 4, retention_rate: 1 },
  { cohort_week: '2025-03-10', week_offset: 1, cohort_users: 4, active_users: 3, retention_rate: 0.75 },
  { cohort_week: '2025-03-17', week_offset: 0, cohort_users: 1, active_users: 1, retention_rate: 1 },
];

// U1 1→2 (reported by the refunded T05), 2→1 (T07 at 07:00 local, 03-16 in UTC); U3 3→4. U4's
// first reported level (2, on a failed top-up) is not a transition.
export const MART_MEMBERSHIP_TRANSITIONS = [
  { transition_date: '2025-03-12', from_level: 1, to_level: 2, direction: 'upgrade', users: 1 },
  { transition_date: '2025-03-17', from_level: 2, to_level: 1, direction: 'downgrade', users: 1 },
  { transition_date: '2025-03-23', from_level: 3, to_level: 4, direction: 'upgrade', users: 1 },
];

export const MART_DEDUCTION_DEVIATION = [
  { deduction_date: '2025-03-10', channel_id: 'C1', pre_points: 150, settled_pre_points: 150, settled_points: 100, reversed_points: 50, pending_points: 0, deviation_rate: 50 / 150, is_anomaly: false },
  { deduction_date: '2025-03-12', channel_id: 'C2', pre_points: 80, settled_pre_points: 80, settled_points: 60, reversed_points: 20, pending_points: 0, deviation_rate: 0.25, is_anomaly: false },
  { deduction_date: '2025-03-16', channel_id: 'C2', pre_points: 40, settled_pre_points: 40, settled_points: 30, reversed_points: 10, pending_points: 0, deviation_rate: 0.25, is_anomaly: false },
  { deduction_date: '2025-03-17', channel_id: 'C1', pre_points: 30, settled_pre_points: 30, settled_points: 30, reversed_points: 0, pending_points: 0, deviation_rate: 0, is_anomaly: false },
  { deduction_date: '2025-03-19', channel_id: 'C1', pre_points: 20, settled_pre_points: 20, settled_points: 20, reversed_points: 0, pending_points: 0, deviation_rate: 0, is_anomaly: false },
  { deduction_date: '2025-03-23', channel_id: 'C2', pre_points: 10, settled_pre_points: 0, settled_points: 0, reversed_points: 0, pending_points: 10, deviation_rate: null, is_anomaly: false },
];

export const DIM_USERS = [
  { user_id: 'U1', first_seen_date: '2025-03-10', first_topup_at: '2025-03-10T01:00:00+00:00', topup_count: 3, lifetime_topup_twd: 520, current_member_level: 1, last_active_date: '2025-03-17' },
  { user_id: 'U2', first_seen_date: '2025-03-10', first_topup_at: '2025-03-12T00:00:00+00:00', topup_count: 2, lifetime_topup_twd: 410, current_member_level: 0, last_active_date: '2025-03-19' },
  { user_id: 'U3', first_seen_date: '2025-03-16', first_topup_at: '2025-03-16T12:00:00+00:00', topup_count: 2, lifetime_topup_twd: 240, current_member_level: 4, last_active_date: '2025-03-23' },
  { user_id: 'U4', first_seen_date: '2025-03-17', first_topup_at: '2025-03-17T02:00:00+00:00', topup_count: 1, lifetime_topup_twd: 300, current_member_level: 2, last_active_date: '2025-03-23' },
  { user_id: 'U5', first_seen_date: '2025-03-12', first_topup_at: null, topup_count: 0, lifetime_topup_twd: 0, current_member_level: null, last_active_date: '2025-03-19' },
  { user_id: 'U6', first_seen_date: '2025-03-12', first_topup_at: '2025-03-12T04:00:00+00:00', topup_count: 1, lifetime_topup_twd: 30, current_member_level: 0, last_active_date: '2025-03-12' },
];

/** Rows each incremental fact writes when week two lands on top of week one. */
export const WEEK_TWO_ROWS_WRITTEN = {
  fct_topup: 5, // T07, T08, T09, T10, T11; week one's rows unchanged
  fct_deduction: 4, // P05, P06, P07, and P04 (pending → partially_reversed)
  fct_user_activity: 7, // 03-17 ×3, 03-19 ×2, 03-23 ×2
};
