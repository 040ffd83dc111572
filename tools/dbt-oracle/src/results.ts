import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NodeStatus {
  uniqueId: string;
  dbt: string | null;
  sp01: string | null;
}

export interface ResultsComparison {
  /** Nodes of the manifest (models, seeds, snapshots, tests, unit tests) one side lacks. */
  nodesOnlyDbt: string[];
  nodesOnlySp01: string[];
  /** Every node that ran on either side, with its status (`success`, `pass`, `fail`, `warn`, `error`, `skipped`). */
  statuses: NodeStatus[];
  /** Nodes whose status differs. */
  statusDifferences: NodeStatus[];
}

interface Manifest {
  nodes?: Record<string, unknown>;
  unit_tests?: Record<string, unknown>;
}

interface RunResults {
  results?: { unique_id: string; status: string }[];
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

function nodeIds(targetDir: string): Set<string> {
  const manifest = readJson<Manifest>(join(targetDir, 'manifest.json'));
  // Operations (on-run-start/-end hooks) are dbt-core's own nodes, not the project's.
  return new Set([...Object.keys(manifest?.nodes ?? {}), ...Object.keys(manifest?.unit_tests ?? {})].filter((id) => !id.startsWith('operation.')));
}

function statuses(targetDir: string): Map<string, string> {
  const runResults = readJson<RunResults>(join(targetDir, 'run_results.json'));
  return new Map((runResults?.results ?? []).map((r) => [r.unique_id, r.status]));
}

/** Compares the manifests' node lists and the run results of both builds. */
export function compareResults(dbtTarget: string, sp01Target: string): ResultsComparison {
  const dbtNodes = nodeIds(dbtTarget);
  const sp01Nodes = nodeIds(sp01Target);
  const dbtStatus = statuses(dbtTarget);
  const sp01Status = statuses(sp01Target);
  const ids = [...new Set([...dbtStatus.keys(), ...sp01Status.keys()])].sort();
  const all = ids.map((uniqueId) => ({ uniqueId, dbt: dbtStatus.get(uniqueId) ?? null, sp01: sp01Status.get(uniqueId) ?? null }));
  return {
    nodesOnlyDbt: [...dbtNodes].filter((id) => !sp01Nodes.has(id)).sort(),
    nodesOnlySp01: [...sp01Nodes].filter((id) => !dbtNodes.has(id)).sort(),
    statuses: all,
    statusDifferences: all.filter((s) => s.dbt !== s.sp01),
  };
}
