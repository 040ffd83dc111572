import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { DagJob, SkipReason } from './scheduler.js';
import { runDag } from './scheduler.js';

interface Job extends DagJob {
  fails?: boolean;
  ms?: number;
}

async function trace(jobs: Job[], threads: number, failFast = false) {
  const events: string[] = [];
  let running = 0;
  let peak = 0;
  const results = await runDag<Job, string>(jobs, {
    threads,
    failFast,
    run: async (job, thread) => {
      running++;
      peak = Math.max(peak, running);
      events.push(`start ${job.id}`);
      await sleep(job.ms ?? 5);
      running--;
      events.push(`end ${job.id}`);
      expect(thread).toMatch(/^Thread-\d+$/);
      return { result: job.fails ? 'error' : 'success', failed: job.fails === true };
    },
    skip: (_job, reason: SkipReason) => `skipped:${reason.kind}:${reason.failed}`,
  });
  return { events, peak, results: Object.fromEntries(results) };
}

describe('runDag', () => {
  it('runs a job only after everything it depends on', async () => {
    const { events } = await trace(
      [
        { id: 'a', deps: [] },
        { id: 'b', deps: ['a'] },
        { id: 'c', deps: ['a'] },
        { id: 'd', deps: ['b', 'c'] },
      ],
      4,
    );
    const at = (event: string) => events.indexOf(event);
    expect(at('start b')).toBeGreaterThan(at('end a'));
    expect(at('start c')).toBeGreaterThan(at('end a'));
    expect(at('start d')).toBeGreaterThan(Math.max(at('end b'), at('end c')));
  });

  it.each([
    [1, 1],
    [2, 2],
    [8, 4],
  ])('with %i threads runs at most %i independent jobs at once', async (threads, peak) => {
    const jobs = ['a', 'b', 'c', 'd'].map((id) => ({ id, deps: [], ms: 20 }));
    expect((await trace(jobs, threads)).peak).toBe(peak);
  });

  it('skips every descendant of a failed job and runs the rest', async () => {
    const { results } = await trace(
      [
        { id: 'a', deps: [], fails: true },
        { id: 'b', deps: ['a'] },
        { id: 'c', deps: ['b'] },
        { id: 'x', deps: [] },
        { id: 'y', deps: ['x', 'c'] },
      ],
      2,
    );
    expect(results).toEqual({ a: 'error', b: 'skipped:upstream:a', c: 'skipped:upstream:a', x: 'success', y: 'skipped:upstream:a' });
  });

  it('stops starting jobs after the first failure with failFast', async () => {
    const { results } = await trace(
      [
        { id: 'a', deps: [], fails: true },
        { id: 'b', deps: [] },
        { id: 'c', deps: [] },
      ],
      1,
      true,
    );
    expect(results).toEqual({ a: 'error', b: 'skipped:fail_fast:a', c: 'skipped:fail_fast:a' });
  });

  it('ignores dependencies on jobs outside the run', async () => {
    const { results } = await trace([{ id: 'a', deps: ['not-selected'] }], 1);
    expect(results).toEqual({ a: 'success' });
  });
});
