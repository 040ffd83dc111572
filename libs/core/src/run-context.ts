import { randomBytes } from 'node:crypto';
import { businessDate } from './business-date.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What every stage of one pipeline run shares: who it is, when it started, which business day it serves. */
export interface RunContext {
  readonly runId: string;
  readonly startedAt: Date;
  /** The Asia/Taipei business date the run started on. */
  readonly businessDate: string;
  readonly clock: Clock;
}

/**
 * Run ids sort by start time (so `ORDER BY _run_id` is chronological) and stay unique
 * when two runs start in the same second.
 */
export function newRunId(at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function createRunContext(options: { clock?: Clock; runId?: string } = {}): RunContext {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  return {
    runId: options.runId ?? newRunId(startedAt),
    startedAt,
    businessDate: businessDate(startedAt),
    clock,
  };
}
