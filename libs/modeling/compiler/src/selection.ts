import { ModelingError } from './errors.js';
import type { GraphNode, ProjectGraph, SourceDefinition, UniqueId } from './graph.js';
import { isPlainObject, str } from './template/python-values.js';

/**
 * dbt's node selection as a pure function over the graph: `--select`/`--exclude` arguments,
 * unions (space), intersections (comma), graph operators (`+`, `n+`, `+n`, `@`) and methods.
 */

/** How tests (and unit tests) of selected nodes come along; dbt's `--indirect-selection`. */
export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';

export interface SelectionOptions {
  /** `--select` values; each may hold several space-separated selectors. Empty selects everything. */
  select?: readonly string[];
  exclude?: readonly string[];
  indirectSelection?: IndirectSelection;
}

export type SelectorMethod =
  | 'fqn'
  | 'tag'
  | 'path'
  | 'file'
  | 'config'
  | 'resource_type'
  | 'source'
  | 'test_type'
  | 'test_name'
  | 'package';

/** One parsed selector such as `2+tag:nightly+1`. */
export interface SelectionCriterion {
  raw: string;
  method: SelectorMethod;
  /** For `config.<key>`: the key path after `config.`. */
  methodArguments: string[];
  value: string;
  parents: boolean;
  parentsDepth: number | null;
  children: boolean;
  childrenDepth: number | null;
  childrensParents: boolean;
}

const SELECTOR = /^(?<at>@)?(?<parents>(?<parentsDepth>\d*)\+)?(?:(?<method>[\w.]+):)?(?<value>.*?)(?<children>\+(?<childrenDepth>\d*))?$/;
const METHODS = new Set<string>(['fqn', 'tag', 'path', 'file', 'config', 'resource_type', 'source', 'test_type', 'test_name', 'package']);
const UNSUPPORTED = new Set(['state', 'result', 'source_status', 'exposure', 'metric', 'version', 'access', 'group', 'semantic_model', 'saved_query', 'unit_test', 'wildcard']);

export function parseSelector(raw: string): SelectionCriterion {
  const match = SELECTOR.exec(raw);
  const groups = match?.groups;
  if (!groups || groups['value'] === undefined || groups['value'] === '') throw new ModelingError('invalid_selector', `cannot parse selector '${raw}'`);
  if (groups['at'] && groups['parents']) throw new ModelingError('invalid_selector', `selector '${raw}': '@' and a leading '+' cannot be combined`);
  const value = groups['value'];
  let methodName = groups['method'];
  if (!methodName) methodName = /[/\\]/.test(value) ? 'path' : /\.(sql|py|csv)$/i.test(value) ? 'file' : 'fqn';
  const [head, ...rest] = methodName.split('.');
  if (!head || !METHODS.has(head)) {
    const detail = head && UNSUPPORTED.has(head) ? `the '${head}:' selector method is not supported by this compiler` : `unknown selector method '${methodName}'`;
    throw new ModelingError(head && UNSUPPORTED.has(head) ? 'unsupported' : 'invalid_selector', `selector '${raw}': ${detail}`);
  }
  if (head === 'config' && rest.length === 0) throw new ModelingError('invalid_selector', `selector '${raw}': write config.<key>:<value>, e.g. config.materialized:table`);
  const depth = (text: string | undefined) => (text ? Number(text) : null);
  return {
    raw,
    method: head as SelectorMethod,
    methodArguments: rest,
    value,
    parents: Boolean(groups['parents']),
    parentsDepth: depth(groups['parentsDepth']),
    children: Boolean(groups['children']),
    childrenDepth: depth(groups['childrenDepth']),
    childrensParents: Boolean(groups['at']),
  };
}

const patterns = new Map<string, RegExp>();

/** Python's fnmatch: `*`, `?` and `[...]`. */
export function fnmatch(text: string, pattern: string): boolean {
  if (!/[*?[]/.test(pattern)) return text === pattern;
  let regex = patterns.get(pattern);
  if (!regex) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i] as string;
      if (ch === '*') source += '.*';
      else if (ch === '?') source += '.';
      else if (ch === '[') {
        const end = pattern.indexOf(']', i + 1);
        if (end === -1) source += '\\[';
        else {
          const body = pattern.slice(i + 1, end);
          source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
          i = end;
        }
      } else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    regex = new RegExp(`^${source}$`, 's');
    patterns.set(pattern, regex);
  }
  return regex.test(text);
}

type Selectable = GraphNode | SourceDefinition;

function fqnMatches(fqn: readonly string[], value: string, project: string): boolean {
  if (fqn.length > 0 && fnmatch(fqn[fqn.length - 1] as string, value)) return true;
  const flat = fqn.flatMap((part) => part.split('.'));
  const parts = value.split('.');
  const attempt = (qualified: string[]) => {
    if (qualified.length > flat.length) return false;
    for (let i = 0; i < qualified.length; i++) {
      const part = qualified[i] as string;
      if (part === '*' && i === qualified.length - 1) return true;
      if (!fnmatch(flat[i] as string, part)) return false;
    }
    return true;
  };
  // As in dbt: a selector not naming a package is tried under the project's own.
  return attempt(parts) || (parts[0] !== project && attempt([project, ...parts]));
}

function tagsOf(node: Selectable): string[] {
  if (node.resource_type === 'source') return node.tags;
  return node.config.tags;
}

function pathMatches(file: string, value: string): boolean {
  const wanted = value.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, '');
  if (fnmatch(file, wanted)) return true;
  if (/[*?[]/.test(wanted)) return fnmatch(file, `${wanted}/*`);
  return file.startsWith(`${wanted}/`);
}

function configMatches(node: Selectable, keys: readonly string[], value: string): boolean {
  let current: unknown = node.config;
  for (const key of keys) {
    if (!isPlainObject(current)) return false;
    current = current[key] ?? current[key.replaceAll('-', '_')];
  }
  if (current === undefined || current === null) return false;
  const candidates = Array.isArray(current) ? current : [current];
  return candidates.some((candidate) => {
    const text = typeof candidate === 'boolean' ? String(candidate) : str(candidate);
    return fnmatch(text, value) || (typeof candidate === 'boolean' && text === value.toLowerCase());
  });
}

function matches(node: Selectable, criterion: SelectionCriterion, project: string): boolean {
  const { value } = criterion;
  switch (criterion.method) {
    // As in dbt, fqn and file match nodes, never sources (`orders` is not `source:raw.orders`).
    case 'fqn':
      return node.resource_type !== 'source' && fqnMatches(node.fqn, value, project);
    case 'tag':
      return tagsOf(node).some((tag) => fnmatch(tag, value));
    case 'path':
      return pathMatches(node.original_file_path, value);
    case 'file': {
      if (node.resource_type === 'source') return false;
      const base = node.original_file_path.split('/').at(-1) ?? '';
      return fnmatch(base, value) || fnmatch(base.replace(/\.[^.]+$/, ''), value);
    }
    case 'config':
      return configMatches(node, criterion.methodArguments, value);
    case 'resource_type':
      return fnmatch(node.resource_type, value);
    case 'package':
      return fnmatch(node.package_name, value);
    case 'source': {
      if (node.resource_type !== 'source') return false;
      const parts = value.split('.');
      const full = [node.package_name, node.source_name, node.name];
      const target = parts.length === 3 ? full : parts.length === 2 ? full.slice(1) : full.slice(1, 2);
      return parts.every((part, i) => fnmatch(target[i] as string, part));
    }
    case 'test_type':
      if (node.resource_type === 'unit_test') return value === 'unit';
      if (node.resource_type !== 'test') return false;
      return value === node.test_type || (value === 'data' && (node.test_type === 'generic' || node.test_type === 'singular'));
    case 'test_name':
      if (node.resource_type !== 'test') return false;
      return fnmatch(node.test_type === 'generic' ? node.test_metadata.name : node.name, value);
  }
}

class GraphWalker {
  constructor(private readonly graph: ProjectGraph) {}

  private walk(start: Iterable<UniqueId>, edges: ProjectGraph['parent_map'], depth: number | null): Set<UniqueId> {
    const out = new Set<UniqueId>();
    let frontier = [...start];
    for (let level = 0; frontier.length > 0 && (depth === null || level < depth); level++) {
      const next: UniqueId[] = [];
      for (const id of frontier) {
        for (const neighbour of edges.get(id) ?? []) {
          if (out.has(neighbour)) continue;
          out.add(neighbour);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
    return out;
  }

  ancestors(start: Iterable<UniqueId>, depth: number | null = null): Set<UniqueId> {
    return this.walk(start, this.graph.parent_map, depth);
  }

  descendants(start: Iterable<UniqueId>, depth: number | null = null): Set<UniqueId> {
    return this.walk(start, this.graph.child_map, depth);
  }
}

interface Selected {
  direct: Set<UniqueId>;
  indirect: Set<UniqueId>;
}

class Selector {
  private readonly walker: GraphWalker;
  private readonly all: Selectable[];

  constructor(
    private readonly graph: ProjectGraph,
    private readonly mode: IndirectSelection,
  ) {
    this.walker = new GraphWalker(graph);
    this.all = [...graph.nodes.values(), ...graph.sources.values()];
  }

  private dependsOn(id: UniqueId): readonly UniqueId[] {
    return this.graph.parent_map.get(id) ?? [];
  }

  private isTest(id: UniqueId): boolean {
    const node = this.graph.nodes.get(id);
    return node?.resource_type === 'test' || node?.resource_type === 'unit_test';
  }

  criterion(criterion: SelectionCriterion): Selected {
    const project = this.graph.project.name;
    const matched = new Set(this.all.filter((node) => matches(node, criterion, project)).map((node) => node.unique_id));
    const selected = new Set(matched);
    if (criterion.childrensParents) {
      const descendants = this.walker.descendants(matched);
      for (const id of descendants) selected.add(id);
      for (const id of this.walker.ancestors([...matched, ...descendants])) selected.add(id);
    } else {
      if (criterion.parents) for (const id of this.walker.ancestors(matched, criterion.parentsDepth)) selected.add(id);
      if (criterion.children) for (const id of this.walker.descendants(matched, criterion.childrenDepth)) selected.add(id);
    }
    return this.expand(selected);
  }

  /** dbt's expand_selection: tests among the selected nodes' children come along per the mode. */
  private expand(selected: Set<UniqueId>): Selected {
    const direct = new Set(selected);
    const indirect = new Set<UniqueId>();
    if (this.mode === 'empty') return { direct, indirect };
    const buildable = this.mode === 'buildable' ? new Set([...selected, ...this.walker.ancestors(selected), ...this.graph.sources.keys()]) : null;
    for (const id of selected) {
      for (const child of this.graph.child_map.get(id) ?? []) {
        if (direct.has(child) || !this.isTest(child)) continue;
        const parents = this.dependsOn(child);
        if (this.mode === 'eager' || parents.every((p) => selected.has(p))) direct.add(child);
        else if (buildable && parents.every((p) => buildable.has(p))) direct.add(child);
        else indirect.add(child);
      }
    }
    return { direct, indirect };
  }

  /** Tests held back by cautious/buildable join once every parent made it in. */
  incorporate(selected: Selected): Set<UniqueId> {
    const out = new Set(selected.direct);
    if (this.mode === 'eager') for (const id of selected.indirect) out.add(id);
    else if (this.mode !== 'empty') {
      for (const id of selected.indirect) if (this.dependsOn(id).every((p) => selected.direct.has(p))) out.add(id);
    }
    return out;
  }

  union(items: Selected[]): Selected {
    const direct = new Set<UniqueId>();
    const indirect = new Set<UniqueId>();
    for (const item of items) {
      for (const id of item.direct) direct.add(id);
      for (const id of item.indirect) indirect.add(id);
    }
    return { direct, indirect };
  }

  intersection(items: Selected[]): Selected {
    const [first, ...rest] = items;
    if (!first) return { direct: new Set(), indirect: new Set() };
    const both = (item: Selected) => new Set([...item.direct, ...item.indirect]);
    const direct = new Set([...first.direct].filter((id) => rest.every((item) => item.direct.has(id))));
    const restBoth = rest.map(both);
    const indirect = new Set([...both(first)].filter((id) => !direct.has(id) && restBoth.every((set) => set.has(id))));
    return { direct, indirect };
  }

  spec(args: readonly string[]): Selected {
    const members = args.flatMap((arg) => arg.split(/\s+/)).filter((member) => member !== '');
    return this.union(members.map((member) => this.intersection(member.split(',').filter(Boolean).map((part) => this.criterion(parseSelector(part))))));
  }

  everything(): Selected {
    return { direct: new Set(this.all.map((node) => node.unique_id)), indirect: new Set() };
  }
}

/** The unique_ids (nodes and sources) a `--select`/`--exclude` pair picks, tests included as dbt does. */
export function selectNodes(graph: ProjectGraph, options: SelectionOptions = {}): Set<UniqueId> {
  const selector = new Selector(graph, options.indirectSelection ?? 'eager');
  const included = options.select && options.select.some((s) => s.trim() !== '') ? selector.spec(options.select) : selector.everything();
  if (!options.exclude || options.exclude.every((e) => e.trim() === '')) return selector.incorporate(included);
  const excluded = selector.spec(options.exclude);
  const excludedAll = new Set([...excluded.direct, ...excluded.indirect]);
  const direct = new Set([...included.direct].filter((id) => !excluded.direct.has(id)));
  const indirect = new Set([...included.direct, ...included.indirect].filter((id) => !direct.has(id) && !excludedAll.has(id)));
  return selector.incorporate({ direct, indirect });
}
