import { BUSINESS_UTC_OFFSET_MINUTES } from '@sp01/core';
import { mixSeed, Prng, WeightedTable } from './prng.js';

/**
 * The world every report is drawn from: users, channels and their popularity, the gift
 * catalogue and the shape of a day. Everything is a pure function of the seed, so a
 * pre-deduction written today and its settlement written three days later agree.
 */

export const USER_COUNT = 20_000;
/** Channels that receive gifts and top-ups; op_stats may list more (small channels). */
export const ACTIVE_CHANNELS = 30;
export const CATEGORIES = ['music', 'gaming', 'chat', 'outdoor'] as const;
export type Category = (typeof CATEGORIES)[number];

const MS_PER_DAY = 86_400_000;
const OFFSET_MS = BUSINESS_UTC_OFFSET_MINUTES * 60_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date; throws on anything else. */
export function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new Error(`report date must be a calendar date as YYYY-MM-DD, got "${date}"`);
  }
  return ms / MS_PER_DAY;
}

export function dateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The UTC instant of a local Asia/Taipei wall-clock time, given as day number and second of day. */
export function taipeiInstant(day: number, secondOfDay: number): Date {
  return new Date(day * MS_PER_DAY + secondOfDay * 1000 - OFFSET_MS);
}

/** The Asia/Taipei wall clock of an instant, as a Date whose UTC fields read as local time. */
export function wallClock(instant: Date): Date {
  return new Date(instant.getTime() + OFFSET_MS);
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function compactDate(date: string): string {
  return date.replaceAll('-', '');
}

// ---------------------------------------------------------------------------------------
// Users: a few whales and a long tail.

export function userId(index: number): string {
  return `U${pad(index + 1, 6)}`;
}

/** Low indices are the big spenders: a cubic skew puts ~20% of activity on the top 1% of users. */
export function pickUser(rng: Prng): number {
  return Math.min(USER_COUNT - 1, Math.floor(USER_COUNT * rng.next() ** 3));
}

const LEVEL_BY_RANK: readonly [number, number][] = [
  [0.005, 5],
  [0.02, 4],
  [0.06, 3],
  [0.15, 2],
  [0.35, 1],
];

/** Member level 0-5, higher for the users who spend more, with some noise. */
export function memberLevel(seed: number, user: number): number {
  const rank = user / USER_COUNT;
  const base = LEVEL_BY_RANK.find(([limit]) => rank < limit)?.[1] ?? 0;
  const noise = mixSeed(seed, 'level', user) % 10;
  if (noise === 0) return Math.max(0, base - 1);
  if (noise === 9) return Math.min(5, base + 1);
  return base;
}

// ---------------------------------------------------------------------------------------
// Channels

const HOSTS = [
  '小雨', '阿傑', 'Mia', 'Kevin', '小熊', 'Luna', '阿哲', 'Yuki', '老王', 'Coco',
  'Ray', '小米', 'Ivy', '大頭', 'Nana', 'Leo', '小葵', 'Max', 'Zoe', '阿寶',
  '糖糖', 'Ken', '小魚', 'Amy', '阿凱', 'Sunny', '布丁', 'Jay', '小白', 'Momo',
];

const SUFFIXES: Record<Category, readonly string[]> = {
  music: ['的歌聲', '唱歌台', 'Music', 'Live Band', '的吉他時間'],
  gaming: ['打電動', 'Gaming', '實況台', '電競頻道', 'Plays'],
  chat: ['聊天室', 'Talk', '深夜談心', 'Chill', '的日常'],
  outdoor: ['戶外直播', '去旅行', 'Outdoor', '釣魚趣', '爬山去'],
};

const CATEGORY_TABLE = new WeightedTable<Category>([
  ['music', 3],
  ['gaming', 3],
  ['chat', 3],
  ['outdoor', 1],
]);

export interface Channel {
  index: number;
  id: string;
  /** The name on a given date: a few channels rename themselves during the month. */
  name: string;
  category: Category;
  /** Relative audience size, ~0.2 to ~5. */
  popularity: number;
  host: string;
}

function channelName(host: string, suffix: string): string {
  return /^[A-Za-z]/.test(suffix) ? `${host} ${suffix}` : `${host}${suffix}`;
}

export function channelId(index: number): string {
  return `CH${pad(index + 1, 4)}`;
}

export function channel(seed: number, index: number, day: number): Channel {
  const rng = new Prng(mixSeed(seed, 'channel', index));
  const category = CATEGORY_TABLE.pick(rng);
  const host = HOSTS[index % HOSTS.length] as string;
  const suffixes = SUFFIXES[category];
  const first = rng.int(0, suffixes.length - 1);
  const popularity = 0.2 + 5 * rng.next() ** 3;
  // One channel in eight renames itself on some day of the month: "may change over time".
  const renames = rng.chance(0.125);
  const renameDayOfMonth = rng.int(2, 28);
  const date = dateOfDay(day);
  const renamed = renames && Number(date.slice(8, 10)) >= renameDayOfMonth;
  const suffix = suffixes[renamed ? (first + 1) % suffixes.length : first] as string;
  return { index, id: channelId(index), name: channelName(host, suffix), category, popularity, host };
}

/** Whether a channel went live on a day; gifts and barrages only reach live channels. */
export function isLive(seed: number, channelIndex: number, day: number): boolean {
  return mixSeed(seed, 'live', channelIndex, day) % 100 >= 12;
}

/** Picks active channels by popularity. */
export class ChannelPicker {
  private readonly table: WeightedTable<number>;

  constructor(seed: number) {
    const entries: [number, number][] = [];
    for (let i = 0; i < ACTIVE_CHANNELS; i++) entries.push([i, channel(seed, i, 0).popularity]);
    this.table = new WeightedTable(entries);
  }

  pick(rng: Prng): number {
    return this.table.pick(rng);
  }
}

// ---------------------------------------------------------------------------------------
// The gift catalogue

export type ItemTypeCode = 'gift' | 'membership' | 'barrage' | 'other';

export interface CatalogItem {
  type: ItemTypeCode;
  name: string;
  points: number;
  weight: number;
}

export const CATALOG: readonly CatalogItem[] = [
  { type: 'gift', name: '玫瑰', points: 1, weight: 30 },
  { type: 'gift', name: '愛心', points: 10, weight: 25 },
  { type: 'gift', name: '啤酒', points: 30, weight: 15 },
  { type: 'gift', name: '棒棒糖', points: 50, weight: 10 },
  { type: 'gift', name: '跑車', points: 1000, weight: 3 },
  { type: 'gift', name: '火箭', points: 5000, weight: 1 },
  { type: 'gift', name: '城堡', points: 20000, weight: 0.3 },
  { type: 'membership', name: '月費會員', points: 300, weight: 8 },
  { type: 'membership', name: '季費會員', points: 850, weight: 2 },
  { type: 'membership', name: '年費會員', points: 3000, weight: 0.5 },
  { type: 'barrage', name: '彈幕', points: 5, weight: 10 },
  { type: 'barrage', name: '置頂彈幕', points: 50, weight: 3 },
  { type: 'other', name: '抽獎券', points: 20, weight: 4 },
  { type: 'other', name: '改名卡', points: 100, weight: 1 },
];

// ---------------------------------------------------------------------------------------
// The shape of a day

/**
 * Activity by local hour: quiet before dawn, a lunch bump, the evening peak when most
 * channels are live. Used as an inverse CDF so the k-th of n rows gets a time that rises
 * with k (exports are sorted by time) without materialising the day.
 */
export class DayCurve {
  private readonly cumulative: number[];
  private readonly weights: readonly number[];
  private readonly total: number;

  constructor(weights: readonly number[]) {
    this.weights = weights;
    let sum = 0;
    this.cumulative = weights.map((w) => (sum += w));
    this.total = sum;
  }

  /** The second of the day at quantile q in [0, 1). */
  secondAt(q: number): number {
    const target = q * this.total;
    let hour = 0;
    while (hour < 23 && (this.cumulative[hour] as number) <= target) hour++;
    const before = hour === 0 ? 0 : (this.cumulative[hour - 1] as number);
    const within = (target - before) / (this.weights[hour] as number);
    return Math.min(86_399, hour * 3600 + Math.floor(within * 3600));
  }
}

export const TOP_UP_CURVE = new DayCurve([
  2, 1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 3.5, 3.8, 4, 4.5, 5.5, 6.5, 7.5, 8, 7, 4.5,
]);

export const DEDUCTION_CURVE = new DayCurve([
  3, 2, 1, 0.5, 0.3, 0.3, 0.3, 0.5, 0.8, 1, 1.5, 2, 3, 3, 2.5, 2.5, 3, 4, 6, 8, 10, 11, 10, 6,
]);

/** Weekends and Fridays draw bigger audiences. */
export function weekdayFactor(day: number): number {
  const weekday = new Date(day * MS_PER_DAY).getUTCDay();
  if (weekday === 0 || weekday === 6) return 1.3;
  if (weekday === 5) return 1.15;
  return 1;
}
