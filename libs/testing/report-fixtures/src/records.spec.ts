import type { Domain } from '@sp01/contracts';
import { addDays, businessDate, businessHour } from '@sp01/core';
import { describe, expect, it } from 'vitest';
import type { DomainRecords } from './domain-spec.js';
import { expectedRows, generateRecords } from './records.js';
import { MESSY_TRAITS } from './traits.js';

const SEED = 20250317;
const DATE = '2025-03-19';
const DOMAINS: Domain[] = ['top_up', 'pre_deduction', 'post_deduction', 'op_stats'];

describe('generateRecords', () => {
  it.each(DOMAINS)('%s: the same seed and options give the same records, another seed others', (domain) => {
    const options = { seed: SEED, date: DATE, rows: 60 };
    const first = [...generateRecords(domain, options)];
    const second = [...generateRecords(domain, options)];
    const other = [...generateRecords(domain, { ...options, seed: SEED + 1 })];
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it.each(DOMAINS)('%s: the mess in the file does not change which records exist', (domain) => {
    const options = { seed: SEED, date: DATE, rows: 60 };
    const clean = [...expectedRows({ ...options, domain })];
    const messy = [...expectedRows({ ...options, domain, traits: MESSY_TRAITS, language: 'mixed' })];
    expect(messy.map((r) => r.key)).toEqual(clean.map((r) => r.key));
  });

  it('top-ups look like a day of orders', () => {
    const records = [...generateRecords('top_up', { seed: SEED, date: DATE, rows: 1000 })];
    expect(records).toHaveLength(1000);
    expect(new Set(records.map((r) => r.order_id)).size).toBe(1000);
    const share = (test: (r: (typeof records)[number]) => boolean) => records.filter(test).length / records.length;
    expect(share((r) => r.currency === 'TWD')).toBeGreaterThan(0.85);
    expect(share((r) => r.status === 'success')).toBeGreaterThan(0.85);
    expect(share((r) => r.status === 'failed')).toBeGreaterThan(0);
    expect(share((r) => r.status === 'refunded')).toBeGreaterThan(0);
    expect(share((r) => r.promo_code !== undefined)).toBeGreaterThan(0.02);
    expect(share((r) => r.channel_id === undefined)).toBeGreaterThan(0.2);
    expect(share((r) => r.topup_day_segment === 'evening')).toBeGreaterThan(share((r) => r.topup_day_segment === 'late_night'));
    for (const [i, r] of records.entries()) {
      expect(r.order_id).toMatch(/^TP20250319\d{7}$/);
      expect(r.user_id).toMatch(/^U\d{6}$/);
      expect(businessDate(r.topup_at)).toBe(DATE);
      expect(r.topup_date).toBe(DATE);
      expect(r.member_level).toBeGreaterThanOrEqual(0);
      expect(r.member_level).toBeLessThanOrEqual(5);
      if (i > 0) expect(r.topup_at.getTime()).toBeGreaterThanOrEqual((records[i - 1] as (typeof records)[number]).topup_at.getTime());
      if (r.platform === 'ios') expect(r.payment_method).toBe('apple_iap');
      if (r.currency !== 'TWD') expect(['apple_iap', 'google_play', 'credit_card']).toContain(r.payment_method);
      if (r.status === 'failed') expect(r.points).toBe(0);
      if (r.status === 'success' && r.currency === 'TWD') {
        // Points track the amount: 1 per NT$, plus package bonus and promo (at most +23%).
        expect(r.points).toBeGreaterThanOrEqual(r.amount);
        expect(r.points).toBeLessThanOrEqual(Math.ceil(r.amount * 1.24));
      }
      const hour = businessHour(r.topup_at);
      const segment = hour < 6 ? 'late_night' : hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
      expect(r.topup_day_segment).toBe(segment);
    }
  });

  it('settlements refer to earlier pre-deductions and never settle more than was deducted', () => {
    const rows = 300;
    const pre = new Map<string, DomainRecords['pre_deduction']>();
    for (let back = 1; back <= 3; back++) {
      for (const p of generateRecords('pre_deduction', { seed: SEED, date: addDays(DATE, -back), rows })) pre.set(p.deduction_id, p);
    }
    const post = [...generateRecords('post_deduction', { seed: SEED, date: DATE, rows })];
    expect(post.length).toBeGreaterThan(rows * 0.8);
    expect(post.length).toBeLessThan(rows * 1.2);
    const statuses = new Set(post.map((p) => p.status));
    expect(statuses).toEqual(new Set(['settled', 'reversed', 'partially_reversed']));
    for (const p of post) {
      const d = pre.get(p.deduction_id);
      expect(d, p.deduction_id).toBeDefined();
      if (!d) continue;
      expect(p.settled_at.getTime()).toBeGreaterThan(d.deducted_at.getTime());
      expect(p.settled_date).toBe(DATE);
      expect(p.settled_points).toBeLessThanOrEqual(d.points);
      if (p.status === 'settled') expect([p.settled_points, p.reason]).toEqual([d.points, undefined]);
      if (p.status === 'reversed') expect(p.settled_points).toBe(0);
      if (p.status === 'partially_reversed') {
        expect(p.settled_points).toBeGreaterThan(0);
        expect(p.settled_points).toBeLessThan(d.points);
      }
      if (p.status !== 'settled') expect(p.reason).toBeTruthy();
    }
    // Each deduction settles once across the days that follow it.
    const later = [1, 2, 3].flatMap((ahead) =>
      [...generateRecords('post_deduction', { seed: SEED, date: addDays(DATE, ahead), rows })].map((p) => p.deduction_id),
    );
    const settledIds = [...post.map((p) => p.deduction_id), ...later];
    expect(new Set(settledIds).size).toBe(settledIds.length);
  });

  it('pre-deductions send points to channels, with quantities and catalogue prices', () => {
    const records = [...generateRecords('pre_deduction', { seed: SEED, date: DATE, rows: 1000 })];
    expect(new Set(records.map((r) => r.item_type))).toEqual(new Set(['gift', 'membership', 'barrage', 'other']));
    expect(records.some((r) => r.quantity > 1)).toBe(true);
    for (const r of records) {
      expect(r.channel_id).toMatch(/^CH00[0-3]\d$/);
      expect(r.quantity).toBeGreaterThanOrEqual(1);
      expect(r.points % r.quantity).toBe(0);
      expect(r.deducted_date).toBe(DATE);
    }
  });

  it('op_stats: one row per channel with consistent audience numbers', () => {
    const week = [0, 1, 2, 3, 4, 5, 6].flatMap((d) => [
      ...generateRecords('op_stats', { seed: SEED, date: addDays('2025-03-17', d), rows: 36 }),
    ]);
    expect(week).toHaveLength(7 * 36);
    expect(new Set(week.map((r) => `${r.stat_date}|${r.channel_id}`)).size).toBe(week.length);
    expect(week.some((r) => (r.new_followers ?? 0) < 0)).toBe(true);
    expect(week.some((r) => r.live_hours === 0)).toBe(true);
    expect(new Set(week.map((r) => r.category))).toEqual(new Set(['music', 'gaming', 'chat', 'outdoor']));
    for (const r of week) {
      expect(r.live_hours).toBeGreaterThanOrEqual(0);
      expect(r.live_hours).toBeLessThanOrEqual(24);
      expect(r.new_viewers).toBeLessThanOrEqual(r.unique_viewers as number);
      expect(r.peak_concurrent).toBeLessThanOrEqual(r.unique_viewers as number);
      expect(r.comments).toBeGreaterThanOrEqual(0);
    }
  });

  it('a re-sent export holds the same keys of its slice, some with corrected values', () => {
    const options = { seed: SEED, date: DATE, rows: 400 };
    const original = [...generateRecords('top_up', options)];
    const resend = [...generateRecords('top_up', { ...options, subset: { from: 250 }, revision: 1 })];
    expect(resend.map((r) => r.order_id)).toEqual(original.slice(250).map((r) => r.order_id));
    const changed = resend.filter((r, i) => r.status !== (original[250 + i] as (typeof original)[number]).status);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(resend.length / 4);
    for (const [i, r] of resend.entries()) {
      const before = original[250 + i] as (typeof original)[number];
      expect({ ...r, status: before.status, points: before.points }).toEqual(before);
    }
  });
});
