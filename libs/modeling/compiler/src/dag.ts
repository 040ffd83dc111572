import { describePosition, ModelingError } from './errors.js';
import type { GraphNode, RefCall, SourceCall, SourceDefinition, SourcePosition, UniqueId } from './graph.js';

export interface DependencyInput {
  project: string;
  nodes: ReadonlyMap<UniqueId, GraphNode>;
  sources: ReadonlyMap<UniqueId, SourceDefinition>;
  disabled: ReadonlyMap<UniqueId, GraphNode | SourceDefinition>;
  byName: ReadonlyMap<string, UniqueId>;
  bySource: ReadonlyMap<string, UniqueId>;
}

export interface DagMaps {
  parent_map: Map<UniqueId, UniqueId[]>;
  child_map: Map<UniqueId, UniqueId[]>;
  order: UniqueId[];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

function describeNode(node: GraphNode): string {
  return `${node.resource_type} '${node.name}'`;
}

function resolveRef(input: DependencyInput, node: GraphNode, ref: RefCall): UniqueId {
  if (ref.package !== null && ref.package !== input.project) {
    throw new ModelingError('unsupported', `ref('${ref.package}', '${ref.name}') points into package '${ref.package}'; packages are not supported by this compiler`, ref.position);
  }
  if (ref.version !== null) {
    throw new ModelingError('unsupported', `ref('${ref.name}', v=${ref.version}): model versions are not supported by this compiler`, ref.position);
  }
  const id = input.byName.get(ref.name);
  if (id) return id;
  const disabled = [...input.disabled.values()].find((d) => d.resource_type !== 'source' && d.name === ref.name);
  if (disabled) {
    throw new ModelingError('disabled_ref', `${describeNode(node)} depends on '${ref.name}', which is disabled (enabled: false)`, ref.position);
  }
  throw new ModelingError(
    'unknown_ref',
    `${describeNode(node)} depends on a node named '${ref.name}' which was not found${suggestion(ref.name, input.byName.keys())}`,
    ref.position,
  );
}

function resolveSource(input: DependencyInput, node: GraphNode, call: SourceCall): UniqueId {
  const key = `${call.source_name}.${call.table_name}`;
  const id = input.bySource.get(key);
  if (id) return id;
  const disabledId = `source.${input.project}.${key}`;
  if (input.disabled.has(disabledId)) {
    throw new ModelingError('disabled_ref', `${describeNode(node)} depends on source '${key}', which is disabled`, call.position);
  }
  throw new ModelingError(
    'unknown_source',
    `${describeNode(node)} depends on a source named '${key}' which was not found${suggestion(key, input.bySource.keys())}`,
    call.position,
  );
}

/**
 * Resolves every ref and source call to a unique_id (filling `depends_on.nodes`), then checks
 * the DAG is acyclic and orders it parents first. Errors name the file and line of the call.
 */
export function resolveDependencies(input: DependencyInput): DagMaps {
  const ids = [...input.nodes.keys(), ...input.sources.keys()].sort();
  for (const node of input.nodes.values()) {
    if (node.resource_type === 'unit_test') continue;
    const parents: UniqueId[] = [];
    for (const ref of node.refs) parents.push(resolveRef(input, node, ref));
    for (const call of node.sources) parents.push(resolveSource(input, node, call));
    node.depends_on.nodes = [...new Set(parents)];
  }
  const parent_map = new Map<UniqueId, UniqueId[]>();
  const child_map = new Map<UniqueId, UniqueId[]>();
  for (const id of ids) {
    parent_map.set(id, []);
    child_map.set(id, []);
  }
  for (const node of input.nodes.values()) {
    const parents = [...node.depends_on.nodes].sort();
    parent_map.set(node.unique_id, parents);
    for (const parent of parents) child_map.get(parent)?.push(node.unique_id);
  }
  for (const children of child_map.values()) children.sort();
  return { parent_map, child_map, order: orderParentsFirst(ids, parent_map, input) };
}

/** Depth-first, iteratively (deep chains must not overflow the stack); a back edge is a cycle. */
function orderParentsFirst(ids: readonly UniqueId[], parents: ReadonlyMap<UniqueId, UniqueId[]>, input: DependencyInput): UniqueId[] {
  const state = new Map<UniqueId, 1 | 2>();
  const order: UniqueId[] = [];
  for (const start of ids) {
    if (state.has(start)) continue;
    const stack: { id: UniqueId; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: UniqueId; next: number };
      const list = parents.get(frame.id) ?? [];
      if (frame.next < list.length) {
        const parent = list[frame.next++] as UniqueId;
        const seen = state.get(parent);
        if (seen === 1) throw cycleError([...stack.map((f) => f.id), parent], input);
        if (seen === undefined) {
          state.set(parent, 1);
          stack.push({ id: parent, next: 0 });
        }
        continue;
      }
      state.set(frame.id, 2);
      order.push(frame.id);
      stack.pop();
    }
  }
  return order;
}

/** `path` walks child → parent; the cycle is from the first occurrence of its last id. */
function cycleError(path: UniqueId[], input: DependencyInput): ModelingError {
  const last = path[path.length - 1] as UniqueId;
  const cycle = path.slice(path.indexOf(last));
  // Show it in reading order: a depends on b depends on … a.
  const steps: { from: UniqueId; to: UniqueId; position: SourcePosition | null; call: string }[] = [];
  for (let i = 0; i < cycle.length - 1; i++) {
    const from = cycle[i] as UniqueId;
    const to = cycle[i + 1] as UniqueId;
    steps.push({ from, to, ...callSite(input, from, to) });
  }
  const lines = steps.map((s) => `  ${s.from} -> ${s.to}${s.position ? ` (${s.call} at ${describePosition(s.position)})` : ''}`);
  const positions = steps.flatMap((s) => (s.position ? [s.position] : []));
  return new ModelingError('dependency_cycle', `found a cycle: ${cycle.join(' -> ')}\n${lines.join('\n')}`, positions[0] ?? null, { related: positions });
}

function callSite(input: DependencyInput, from: UniqueId, to: UniqueId): { position: SourcePosition | null; call: string } {
  const node = input.nodes.get(from);
  const target = input.nodes.get(to);
  if (!node || node.resource_type === 'unit_test' || !target) return { position: null, call: '' };
  const ref = node.refs.find((r) => r.name === target.name);
  return ref ? { position: ref.position, call: `ref('${ref.name}')` } : { position: null, call: '' };
}
