import { REPORT_CONTRACTS, type OpStatsRecord } from '@sp01/contracts';
import type { DomainSpec, RecordSource } from './domain-spec.js';
import { mixSeed, Prng } from './prng.js';
import { channel, dayNumber, isLive, weekdayFactor } from './world.js';

/** The transform lowercases categories, so only case varies in the file. */
const CATEGORY_LABELS = {
  music: ['Music'],
  gaming: ['Gaming'],
  chat: ['Chat'],
  outdoor: ['Outdoor'],
} as const;

const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'];

/**
 * One row per channel: CH0001 … CH<rows>. Audiences follow the same popularity that
 * steers gifts to channels in pre_deduction, and a channel that did not go live that day
 * (no gifts, no barrages) shows only replay viewers.
 */
function opStatsSource(seed: number, date: string, rows: number, revision: number): RecordSource<OpStatsRecord> {
  const day = dayNumber(date);
  const base = mixSeed(seed, 'op_stats', day);
  const weekday = weekdayFactor(day);
  return {
    count: rows,
    record(i) {
      const ch = channel(seed, i, day);
      const rng = new Prng(mixSeed(base, i));
      const live = isLive(seed, i, day);
      let minutes = 0;
      if (live) {
        minutes = rng.chance(0.01)
          ? 1440
          : Math.min(900, rng.int(20, 120) + Math.round(ch.popularity * rng.between(20, 90)));
      }
      const live_hours = Math.round((minutes / 60) * 100) / 100;
      let unique_viewers = live
        ? Math.round(ch.popularity * 150 * live_hours ** 0.7 * weekday * rng.between(0.7, 1.3)) + rng.int(5, 30)
        : rng.int(0, 30);
      let new_viewers = Math.round(unique_viewers * rng.between(0.08, 0.45));
      const peak_concurrent = unique_viewers > 0 ? Math.max(1, Math.round(unique_viewers * rng.between(0.05, 0.35))) : 0;
      const unfollows = rng.chance(0.15) ? rng.int(1, 8) : 0;
      // `|| 0` turns Math.round's -0 into 0, which is what a cell reads back as.
      const new_followers = Math.round(new_viewers * rng.between(-0.02, 0.12)) - unfollows || 0;
      let comments = Math.round(unique_viewers * rng.between(0.3, 6));
      if (revision > 0) {
        // Late-arriving events: a re-sent export counts a few more viewers.
        const late = new Prng(mixSeed(base, 'revision', revision, i));
        if (late.chance(0.3)) {
          const extra = late.int(1, 20);
          unique_viewers += extra;
          new_viewers += late.int(0, extra);
          comments += late.int(0, 50);
        }
      }
      return {
        stat_date: date,
        channel_id: ch.id,
        channel_name: ch.name,
        category: ch.category,
        live_hours,
        unique_viewers,
        new_viewers,
        peak_concurrent,
        new_followers,
        comments,
      };
    },
  };
}

function slashDateWithWeekday(date: string): string {
  const weekday = WEEKDAYS_ZH[new Date(`${date}T00:00:00Z`).getUTCDay()] as string;
  return `${Number(date.slice(0, 4))}/${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}（${weekday}）`;
}

export const opStatsSpec: DomainSpec<OpStatsRecord> = {
  domain: 'op_stats',
  contract: REPORT_CONTRACTS.op_stats,
  sheetName: { zh: '營運數據', en: 'Channel stats' },
  source: opStatsSource,
  key: (r) => `${r.stat_date}|${r.channel_id}`,
  labels: { category: CATEGORY_LABELS },
  defaults: {},
  droppable: ['category', 'peak_concurrent'],
  errorColumns: ['peak_concurrent', 'new_followers'],
  formulaColumns: ['comments'],
  richTextColumns: ['channel_name'],
  paddedColumns: ['channel_id'],
  hyperlink: { column: 'channel_id', url: (id) => `https://admin.example.com/channels/${id}` },
  summable: ['live_hours', 'unique_viewers', 'new_viewers', 'comments'],
  summaryBy: 'category',
  extras: [
    { zh: '直播標題', en: 'Stream Title', value: (rng) => rng.pick(['今晚一起聊天', '新歌首唱！', '排位衝分', '週末戶外直播', '抽獎活動中', null]) },
    { zh: '平均觀看分鐘', en: 'Avg Watch Minutes', value: (rng) => Math.round(rng.between(2, 45) * 10) / 10 },
  ],
  badKinds: [
    {
      column: 'new_viewers',
      value: (r) => (r.unique_viewers ?? 0) + 7,
      reason: (r) => `must be <= unique_viewers (${r.unique_viewers ?? 0})`,
    },
    { column: 'live_hours', value: () => 25.5, reason: () => 'must be <= 24' },
    { column: 'stat_date', value: (r) => slashDateWithWeekday(r.stat_date), reason: () => 'is not a valid date' },
    { column: 'channel_id', value: () => null, reason: () => 'is required but blank' },
    { column: 'comments', value: (r) => -Math.max(1, r.comments ?? 1), reason: () => 'must be >= 0' },
  ],
};
