import type { Logger } from '@sp01/core';
import type { Compiler, Relation } from '@sp01/modeling-compiler';
import type { AdapterResponse, WarehouseAdapter } from './adapter.js';
import type { NodeResult, NodeStatus, ResultAdapterResponse, TimingInfo } from './run-results.js';

/** What every node runner shares during one invocation. */
export interface RunContext {
  adapter: WarehouseAdapter;
  compiler: Compiler;
  logger: Logger;
  fullRefresh: boolean;
  storeFailures: boolean;
  ensureSchema(relation: Pick<Relation, 'database' | 'schema'>): Promise<void>;
}

/** Creates each schema once per invocation, even when several threads ask at the same time. */
export function schemaEnsurer(adapter: WarehouseAdapter): RunContext['ensureSchema'] {
  const done = new Map<string, Promise<void>>();
  return (relation) => {
    const key = `${relation.database ?? ''}.${relation.schema}`;
    let pending = done.get(key);
    if (!pending) {
      pending = adapter.ensureSchema(relation);
      // A failed attempt is retried by the next node rather than failing every later one.
      pending.catch(() => done.delete(key));
      done.set(key, pending);
    }
    return pending;
  };
}

/** Timings of one node, dbt's `compile` then `execute` phases. */
export class NodeClock {
  private readonly started = new Date();
  private compiledAt: Date | null = null;
  private executeStarted: Date | null = null;

  compiled(): void {
    this.compiledAt = new Date();
    this.executeStarted = this.compiledAt;
  }

  timing(): TimingInfo[] {
    const end = new Date();
    const out: TimingInfo[] = [];
    const compiledAt = this.compiledAt ?? end;
    out.push({ name: 'compile', started_at: this.started.toISOString(), completed_at: compiledAt.toISOString() });
    if (this.executeStarted) out.push({ name: 'execute', started_at: this.executeStarted.toISOString(), completed_at: end.toISOString() });
    return out;
  }

  seconds(): number {
    return (Date.now() - this.started.getTime()) / 1000;
  }
}

export interface ResultFields {
  unique_id: string;
  status: NodeStatus;
  thread_id: string;
  message?: string | null;
  failures?: number | null;
  adapter_response?: ResultAdapterResponse;
  compiled_code?: string | null;
  relation_name?: string | null;
}

export function nodeResult(clock: NodeClock | null, fields: ResultFields): NodeResult {
  return {
    unique_id: fields.unique_id,
    status: fields.status,
    timing: clock ? clock.timing() : [],
    thread_id: fields.thread_id,
    execution_time: clock ? clock.seconds() : 0,
    adapter_response: fields.adapter_response ?? {},
    message: fields.message ?? null,
    failures: fields.failures ?? null,
    compiled: fields.compiled_code !== undefined && fields.compiled_code !== null,
    compiled_code: fields.compiled_code ?? null,
    relation_name: fields.relation_name ?? null,
    batch_results: null,
  };
}

/** dbt's `adapter_response` in run_results: `_message` and the known fields. */
export function responseForResults(response: AdapterResponse): ResultAdapterResponse {
  const { message, ...rest } = response;
  return { _message: message, ...rest };
}
