/**
 * Runs a DAG of jobs on a pool of `threads` workers: a job starts once every job it depends
 * on has finished; independent jobs run side by side. A job that fails takes its
 * descendants down with it (they are skipped, as in dbt); with `failFast` the first failure
 * also stops everything not yet started.
 */

export interface DagJob {
  id: string;
  /** Ids of jobs (in the same run) this one waits for. */
  deps: readonly string[];
}

export interface JobOutcome<R> {
  result: R;
  /** The job failed: its descendants must not run. */
  failed: boolean;
}

export type SkipReason = { kind: 'upstream'; failed: string } | { kind: 'fail_fast'; failed: string };

export interface DagRunOptions<J extends DagJob, R> {
  threads: number;
  failFast?: boolean;
  run(job: J, threadId: string): Promise<JobOutcome<R>>;
  skip(job: J, reason: SkipReason): R;
}

export async function runDag<J extends DagJob, R>(jobs: readonly J[], options: DagRunOptions<J, R>): Promise<Map<string, R>> {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const order = new Map(jobs.map((job, index) => [job.id, index]));
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const job of jobs) {
    const deps = [...new Set(job.deps)].filter((dep) => byId.has(dep) && dep !== job.id);
    waiting.set(job.id, deps.length);
    for (const dep of deps) {
      const list = children.get(dep) ?? [];
      list.push(job.id);
      children.set(dep, list);
    }
  }
  const results = new Map<string, R>();
  const ready: string[] = jobs.filter((job) => waiting.get(job.id) === 0).map((job) => job.id);
  const threads = Math.max(1, Math.floor(options.threads));
  const idle = Array.from({ length: threads }, (_, i) => `Thread-${threads - i}`);
  let running = 0;
  let stopped: string | null = null;

  const skipDescendants = (failed: string) => {
    const stack = [...(children.get(failed) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (results.has(id)) continue;
      results.set(id, options.skip(byId.get(id) as J, { kind: 'upstream', failed }));
      stack.push(...(children.get(id) ?? []));
    }
  };

  return new Promise((resolve, reject) => {
    const finish = (id: string) => {
      for (const child of children.get(id) ?? []) {
        const left = (waiting.get(child) ?? 0) - 1;
        waiting.set(child, left);
        if (left === 0 && !results.has(child)) ready.push(child);
      }
    };
    const pump = () => {
      if (stopped !== null) {
        for (const job of jobs) if (!results.has(job.id) && !startedIds.has(job.id)) results.set(job.id, options.skip(job, { kind: 'fail_fast', failed: stopped }));
        ready.length = 0;
      }
      // Lowest original index first: runs follow the graph's dependency order where they can.
      ready.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      while (running < threads && ready.length > 0) {
        const id = ready.shift() as string;
        if (results.has(id)) {
          finish(id);
          continue;
        }
        const job = byId.get(id) as J;
        const thread = idle.pop() as string;
        running++;
        startedIds.add(id);
        options.run(job, thread).then(
          (outcome) => {
            results.set(id, outcome.result);
            running--;
            idle.push(thread);
            if (outcome.failed) {
              skipDescendants(id);
              if (options.failFast && stopped === null) stopped = id;
            }
            finish(id);
            pump();
          },
          (err: unknown) => reject(err),
        );
      }
      if (running === 0 && ready.length === 0) {
        // Anything left never became ready: skipped because an ancestor failed.
        for (const job of jobs) if (!results.has(job.id)) results.set(job.id, options.skip(job, { kind: 'upstream', failed: stopped ?? '' }));
        resolve(results);
      }
    };
    const startedIds = new Set<string>();
    pump();
  });
}
