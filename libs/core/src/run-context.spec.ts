import { describe, expect, it } from 'vitest';
import { createRunContext, newRunId } from './run-context.js';

describe('run context', () => {
  it('makes run ids that sort by start time and differ within a second', () => {
    const a = newRunId(new Date('2025-03-25T01:02:03.456Z'));
    const b = newRunId(new Date('2025-03-25T01:02:03.999Z'));
    const later = newRunId(new Date('2025-03-25T01:02:04Z'));
    expect(a).toMatch(/^20250325T010203Z-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
    expect([later, a].sort()[0]).toBe(a);
  });

  it('serves the Asia/Taipei business date of its start', () => {
    const ctx = createRunContext({ clock: { now: () => new Date('2025-03-24T17:00:00Z') } });
    expect(ctx.businessDate).toBe('2025-03-25');
  });
});
