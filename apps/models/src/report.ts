import type { DryRunReport, NodeResult, RunEvent, RunResults, SourcesArtifact } from '@sp01/modeling-executor';

/** Lines as dbt prints them, so a dbt user reads the output without thinking. */

const WIDTH = 80;

function clock(now = new Date()): string {
  return now.toISOString().slice(11, 19);
}

function dotted(left: string, right: string): string {
  const dots = Math.max(3, WIDTH - left.length - right.length - 2);
  return `${left} ${'.'.repeat(dots)} ${right}`;
}

function seconds(value: number): string {
  return `${value.toFixed(2)}s`;
}

function isTest(uniqueId: string): boolean {
  return uniqueId.startsWith('test.') || uniqueId.startsWith('unit_test.');
}

function outcome(result: NodeResult, description: string): { verb: string; tag: string } {
  const time = seconds(result.execution_time);
  const test = isTest(result.unique_id);
  switch (result.status) {
    case 'success':
      return { verb: `OK created ${description}`, tag: `[${result.adapter_response._message ?? 'OK'} in ${time}]` };
    case 'pass':
      return { verb: `PASS ${description}`, tag: `[PASS in ${time}]` };
    case 'warn':
      return { verb: `WARN ${result.failures ?? ''} ${description}`.replace('  ', ' '), tag: `[WARN ${result.failures ?? ''} in ${time}]` };
    case 'fail':
      return { verb: `FAIL ${result.failures ?? ''} ${description}`.replace('  ', ' '), tag: `[FAIL ${result.failures ?? ''} in ${time}]` };
    case 'skipped':
      return { verb: `SKIP ${description}`, tag: '[SKIP]' };
    case 'error':
      return { verb: `ERROR ${test ? '' : 'creating '}${description}`, tag: `[ERROR in ${time}]` };
  }
}

export function formatEvent(event: RunEvent): string {
  const head = `${clock()}  ${event.index} of ${event.total}`;
  if (event.type === 'start') return dotted(`${head} START ${event.description}`, '[RUN]');
  const { verb, tag } = outcome(event.result, event.description);
  return dotted(`${head} ${verb}`, tag);
}

export function formatRunSummary(results: RunResults): string {
  const count = (statuses: readonly string[]) => results.results.filter((r) => statuses.includes(r.status)).length;
  const pass = count(['success', 'pass']);
  const warn = count(['warn']);
  const error = count(['error', 'fail']);
  const skip = count(['skipped']);
  const lines = [``, `${clock()}  Finished running ${results.results.length} nodes in ${seconds(results.elapsed_time)}.`, ''];
  const problems = results.results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'warn');
  if (error === 0) lines.push(`${clock()}  Completed successfully${warn > 0 ? ` with ${warn} warning${warn === 1 ? '' : 's'}` : ''}`);
  else lines.push(`${clock()}  Completed with ${error} error${error === 1 ? '' : 's'}, ${warn} warning${warn === 1 ? '' : 's'}:`);
  for (const problem of problems) {
    lines.push('', `${clock()}  ${problem.status === 'warn' ? 'Warning' : problem.status === 'fail' ? 'Failure' : 'Error'} in ${problem.unique_id}`);
    for (const line of (problem.message ?? '').split('\n')) lines.push(`${clock()}    ${line}`);
    if (problem.relation_name && isTest(problem.unique_id) && problem.status !== 'error') {
      lines.push(`${clock()}    See test failures: select * from ${problem.relation_name}`);
    }
  }
  lines.push('', `${clock()}  Done. PASS=${pass} WARN=${warn} ERROR=${error} SKIP=${skip} TOTAL=${results.results.length}`);
  return lines.join('\n');
}

export function formatFreshness(artifact: SourcesArtifact): string {
  const lines = artifact.results.map((result, i) => {
    const name = result.unique_id.replace(/^source\.[^.]+\./, '');
    const age = result.max_loaded_at_time_ago_in_s === null ? '' : ` (${Math.round(result.max_loaded_at_time_ago_in_s)}s old)`;
    const word = result.status === 'pass' ? 'PASS' : result.status === 'warn' ? 'WARN' : result.status === 'error' ? 'ERROR STALE' : 'ERROR';
    return dotted(`${clock()}  ${i + 1} of ${artifact.results.length} ${word} freshness of ${name}${age}`, `[${word} in ${seconds(result.execution_time)}]`);
  });
  const errors = artifact.results.filter((r) => r.error);
  for (const result of errors) lines.push(`${clock()}  Error in ${result.unique_id}: ${result.error}`);
  lines.push('', `${clock()}  Done. ${artifact.results.length} sources checked in ${seconds(artifact.elapsed_time)}.`);
  return lines.join('\n');
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(2)} ${units[unit]}`;
}

export function formatDryRun(report: DryRunReport): string {
  const rows = report.results.map((r) => {
    const detail = r.bytes_processed !== undefined ? formatBytes(r.bytes_processed) : r.estimated_cost !== undefined ? `cost ${r.estimated_cost}, ~${r.estimated_rows ?? '?'} rows` : '';
    const price = r.cost === null ? '' : ` $${r.cost.toFixed(4)}`;
    return `${r.ok ? 'OK   ' : 'ERROR'} ${r.unique_id.padEnd(50)} ${detail}${price}${r.ok ? '' : `\n      ${r.error ?? ''}`}`;
  });
  const lines = [...rows, ''];
  if (report.total_bytes !== null) {
    lines.push(`Total: ${formatBytes(report.total_bytes)}${report.total_cost === null ? '' : ` ($${report.total_cost.toFixed(4)} on demand)`}`);
  }
  if (report.max_bytes !== null) {
    lines.push(
      report.total_bytes === null
        ? `--max-bytes ${formatBytes(report.max_bytes)}: this warehouse does not report bytes, nothing to check`
        : report.over_budget
          ? `OVER BUDGET: ${formatBytes(report.total_bytes)} > --max-bytes ${formatBytes(report.max_bytes)}`
          : `Within budget: ${formatBytes(report.total_bytes)} <= --max-bytes ${formatBytes(report.max_bytes)}`,
    );
  }
  const failed = report.results.filter((r) => !r.ok).length;
  lines.push(`Done. ${report.results.length - failed} planned, ${failed} failed.`);
  return lines.join('\n');
}
