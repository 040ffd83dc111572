import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphNode, ProjectGraph, SourceDefinition, UniqueId } from './graph.js';
import type { Expr, Stmt, TemplateAst } from './template/ast.js';
import { parseExpression, parseTemplate } from './template/parser.js';

/**
 * What the compiler keeps beside a graph to compile it fast: parsed templates, ref indexes,
 * macro files. Kept off the graph so the contract stays plain data; rebuilt from the graph
 * itself (and the macro files on disk) when a graph arrives without it, e.g. deserialised.
 */
export interface GraphInternals {
  templates: Map<UniqueId, Stmt[]>;
  /** Generic test arguments that are Jinja expressions (`to: ref('customers')`). */
  testArgs: Map<UniqueId, Record<string, Expr>>;
  macroFiles: TemplateAst[];
  /** ref name → model/seed/snapshot. */
  byName: Map<string, UniqueId>;
  /** `source_name.table_name` → source. */
  bySource: Map<string, UniqueId>;
  hooks: Map<string, Stmt[]>;
}

const store = new WeakMap<ProjectGraph, GraphInternals>();

export function attachInternals(graph: ProjectGraph, internals: GraphInternals): void {
  store.set(graph, internals);
}

export function indexByName(nodes: Iterable<GraphNode>): Map<string, UniqueId> {
  const byName = new Map<string, UniqueId>();
  for (const node of nodes) {
    if (node.resource_type === 'model' || node.resource_type === 'seed' || node.resource_type === 'snapshot') byName.set(node.name, node.unique_id);
  }
  return byName;
}

export function indexSources(sources: Iterable<SourceDefinition>): Map<string, UniqueId> {
  const bySource = new Map<string, UniqueId>();
  for (const source of sources) bySource.set(`${source.source_name}.${source.name}`, source.unique_id);
  return bySource;
}

export function internalsOf(graph: ProjectGraph): GraphInternals {
  const existing = store.get(graph);
  if (existing) return existing;
  const templates = new Map<UniqueId, Stmt[]>();
  const testArgs = new Map<UniqueId, Record<string, Expr>>();
  for (const node of graph.nodes.values()) {
    if (node.resource_type === 'model' || node.resource_type === 'snapshot' || (node.resource_type === 'test' && node.test_type === 'singular')) {
      const ast = parseTemplate(node.raw_code, { file: node.original_file_path, firstLine: node.raw_code_line, keepTrailingNewline: node.resource_type === 'snapshot' });
      templates.set(node.unique_id, ast.body);
    }
    if (node.resource_type === 'test' && node.test_type === 'generic') {
      const exprs: Record<string, Expr> = {};
      for (const [key, value] of Object.entries(node.test_metadata.kwargs)) {
        if (key !== 'model' && isJinjaExpression(value)) exprs[key] = parseExpression(value, node.original_file_path, 0);
      }
      testArgs.set(node.unique_id, exprs);
    }
  }
  const macroFiles = [...new Set([...graph.macros.values()].map((m) => m.original_file_path))].map((file) =>
    parseTemplate(readFileSync(join(graph.project.root, file), 'utf8'), { file }),
  );
  const rebuilt: GraphInternals = {
    templates,
    testArgs,
    macroFiles,
    byName: indexByName(graph.nodes.values()),
    bySource: indexSources(graph.sources.values()),
    hooks: new Map(),
  };
  store.set(graph, rebuilt);
  return rebuilt;
}

/** Test arguments written as `ref('x')` / `source('a', 'b')` are expressions, as in dbt. */
export function isJinjaExpression(value: unknown): value is string {
  return typeof value === 'string' && /^\s*(ref|source)\s*\(/.test(value);
}
