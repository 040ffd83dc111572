import { randomUUID } from 'node:crypto';
import type { NodeBindings } from './dbt-context.js';
import { configFunction, DbtEnvironment } from './dbt-context.js';
import type { Dialect } from './dialect.js';
import { ModelingError } from './errors.js';
import { BUILT_IN_TESTS, builtInTestTemplate } from './generic-tests.js';
import type {
  CompileContext,
  CompiledGraph,
  CompiledNode,
  CompiledUnitTest,
  GenericTestNode,
  IncrementalState,
  InjectedCte,
  ModelNode,
  ProjectGraph,
  Relation,
  RelationNode,
  RenderedGenericTest,
  SourceDefinition,
  SqlNode,
  Target,
  TestNode,
  UniqueId,
  UnitTestInput,
} from './graph.js';
import type { GraphInternals } from './graph-internals.js';
import { internalsOf } from './graph-internals.js';
import { RelationValue, resolveRelation } from './relation.js';
import type { Expr, Stmt } from './template/ast.js';
import { parseTemplate } from './template/parser.js';
import { bindArguments, str } from './template/python-values.js';

export interface CompileOverrides {
  /** Overrides the context's incremental state for this call (the executor's second render). */
  isIncremental?: boolean;
}

/** Renders nodes of one graph for one context; reuse it across nodes, it caches ephemerals. */
export interface Compiler {
  readonly graph: ProjectGraph;
  readonly target: Target;
  readonly dialect: Dialect;
  compile(uniqueId: UniqueId, overrides?: CompileOverrides): CompiledNode;
  compileUnitTest(uniqueId: UniqueId): CompiledUnitTest;
  /** Where a node or source lives under this context. */
  relationOf(node: RelationNode | SourceDefinition | TestNode): Relation;
}

interface RenderRequest {
  node: SqlNode | ModelNode;
  incremental: boolean;
  ctes: CteCollector;
  refOverride?: (target: UniqueId, name: string) => RelationValue;
  sourceOverride?: (target: UniqueId) => RelationValue;
  thisOverride?: RelationValue;
  varOverrides?: Record<string, unknown>;
  envOverrides?: Record<string, string>;
  locals?: Record<string, unknown>;
}

class CteCollector {
  readonly items: InjectedCte[] = [];
  private readonly seen = new Set<UniqueId>();
  add(cte: InjectedCte): void {
    if (this.seen.has(cte.id)) return;
    this.seen.add(cte.id);
    this.items.push(cte);
  }
}

const GENERIC_TEST_LOCAL = '__dbt_generic_test_';

class GraphCompiler implements Compiler {
  readonly target: Target;
  readonly dialect: Dialect;
  private readonly env: DbtEnvironment;
  private readonly internals: GraphInternals;
  private readonly ephemerals = new Map<UniqueId, { sql: string; ctes: InjectedCte[] }>();
  private readonly inProgress = new Set<UniqueId>();
  private readonly relations = new Map<UniqueId, Relation>();
  private readonly resolve: (node: RelationNode | SourceDefinition | TestNode) => Relation;
  private readonly incrementalState: IncrementalState;

  constructor(
    readonly graph: ProjectGraph,
    context: CompileContext,
  ) {
    this.target = context.target ?? graph.target;
    this.dialect = context.dialect;
    this.internals = internalsOf(graph);
    this.resolve = context.resolveRelation ?? ((node) => this.defaultRelation(node));
    this.incrementalState = context.isIncremental ?? false;
    this.env = new DbtEnvironment({
      projectName: graph.project.name,
      dialect: context.dialect,
      target: this.target,
      vars: Object.assign({}, graph.vars, context.vars),
      env: context.env ?? process.env,
      execute: true,
      macroFiles: this.internals.macroFiles,
      runStartedAt: context.runStartedAt ?? new Date(),
      invocationId: context.invocationId ?? randomUUID(),
      fullRefresh: context.fullRefresh,
      logger: context.logger,
    });
  }

  relationOf(node: RelationNode | SourceDefinition | TestNode): Relation {
    return this.resolve(node);
  }

  /**
   * dbt's defaults, unless the project overrides generate_schema_name, generate_alias_name or
   * generate_database_name in its macros: then those decide, as in dbt.
   */
  private defaultRelation(node: RelationNode | SourceDefinition | TestNode): Relation {
    const base = resolveRelation(node, this.target);
    if (node.resource_type === 'source' || (node.resource_type === 'snapshot' && node.config.target_schema)) return base;
    const cached = this.relations.get(node.unique_id);
    if (cached) return cached;
    const schemaMacro = this.env.macro('generate_schema_name');
    const aliasMacro = this.env.macro('generate_alias_name');
    const databaseMacro = this.env.macro('generate_database_name');
    if (!schemaMacro && !aliasMacro && !databaseMacro) return base;
    const bindings: NodeBindings = {
      ref: () => {
        throw new Error('ref() cannot be called while naming a relation');
      },
      source: () => {
        throw new Error('source() cannot be called while naming a relation');
      },
      config: configFunction(() => node.config, null),
      this: undefined,
      is_incremental: () => false,
      model: node as unknown as Record<string, unknown>,
    };
    const call = (macro: (...args: unknown[]) => unknown, custom: string | null) =>
      str(this.env.callMacro(macro, [custom, node], node.original_file_path, bindings)).trim();
    const customSchema = node.resource_type === 'test' ? (node.config.schema ?? 'dbt_test__audit') : node.config.schema;
    const relation: Relation = {
      database: databaseMacro ? call(databaseMacro, node.config.database) || null : base.database,
      schema: schemaMacro ? call(schemaMacro, customSchema) : base.schema,
      identifier: aliasMacro ? call(aliasMacro, node.config.alias) : base.identifier,
    };
    this.relations.set(node.unique_id, relation);
    return relation;
  }

  private relationValue(node: RelationNode | SourceDefinition): RelationValue {
    if (node.resource_type === 'model' && node.config.materialized === 'ephemeral') return RelationValue.cte(node.name);
    const type = node.resource_type === 'model' && node.config.materialized === 'view' ? 'view' : 'table';
    return RelationValue.of(this.resolve(node), this.dialect, type);
  }

  private isIncremental(node: SqlNode | ModelNode, override: boolean | undefined): boolean {
    if (node.resource_type !== 'model' || node.config.materialized !== 'incremental') return false;
    if (override !== undefined) return override;
    return typeof this.incrementalState === 'function' ? this.incrementalState(node) : this.incrementalState;
  }

  compile(uniqueId: UniqueId, overrides: CompileOverrides = {}): CompiledNode {
    const node = this.graph.nodes.get(uniqueId);
    if (!node) throw new ModelingError('unknown_node', `no node '${uniqueId}' in the graph`);
    if (node.resource_type === 'unit_test') {
      throw new ModelingError('unknown_node', `'${uniqueId}' is a unit test: compile it with compileUnitTest()`);
    }
    if (node.resource_type === 'seed') {
      const relation = this.resolve(node);
      return {
        unique_id: uniqueId,
        node,
        relation,
        relation_name: this.dialect.renderRelation(relation),
        compiled_code: '',
        extra_ctes: [],
        pre_hooks: [],
        post_hooks: [],
        is_incremental: false,
      };
    }
    const incremental = this.isIncremental(node, overrides.isIncremental);
    const ctes = new CteCollector();
    const request: RenderRequest = { node, incremental, ctes };
    let genericTest: RenderedGenericTest | undefined;
    let sql: string;
    if (node.resource_type === 'test' && node.test_type === 'generic') {
      const rendered = this.renderGenericTest(node, request);
      sql = rendered.sql;
      genericTest = rendered.details;
    } else sql = this.renderNode(request);
    const relation = this.nodeRelation(node);
    const compiled: CompiledNode = {
      unique_id: uniqueId,
      node,
      relation,
      relation_name: relation ? this.dialect.renderRelation(relation) : null,
      compiled_code: injectCtes(sql, ctes.items),
      extra_ctes: ctes.items,
      pre_hooks: node.config.pre_hook.map((hook) => this.renderHook(hook.sql, request)),
      post_hooks: node.config.post_hook.map((hook) => this.renderHook(hook.sql, request)),
      is_incremental: incremental,
    };
    if (genericTest) compiled.generic_test = genericTest;
    return compiled;
  }

  private nodeRelation(node: SqlNode): Relation | null {
    if (node.resource_type === 'model' && node.config.materialized === 'ephemeral') return null;
    if (node.resource_type === 'test') return node.config.store_failures ? this.resolve(node) : null;
    return this.resolve(node);
  }

  private bindings(request: RenderRequest): NodeBindings {
    const { node } = request;
    const env = this.env;
    return {
      ref: (...args: unknown[]) => {
        const call = readRefArgs(args);
        const targetId = this.internals.byName.get(call.name);
        if (!targetId) {
          throw new ModelingError('unknown_ref', `${node.resource_type} '${node.name}' depends on a node named '${call.name}' which was not found`, env.position);
        }
        if (request.refOverride) return request.refOverride(targetId, call.name);
        if (!node.depends_on.nodes.includes(targetId)) {
          throw new ModelingError(
            'unknown_ref',
            `dbt was unable to infer all dependencies for ${node.resource_type} '${node.name}': ref('${call.name}') was not seen while parsing (it sits in a branch parsing did not take). Add "-- depends_on: {{ ref('${call.name}') }}" at the top of the file`,
            env.position,
          );
        }
        const target = this.graph.nodes.get(targetId) as RelationNode;
        if (target.resource_type === 'model' && target.config.materialized === 'ephemeral') {
          const compiled = this.compileEphemeral(target);
          for (const cte of compiled.ctes) request.ctes.add(cte);
          request.ctes.add({ id: target.unique_id, sql: `__dbt__cte__${target.name} as (\n${compiled.sql}\n)` });
        }
        return this.relationValue(target);
      },
      source: (...args: unknown[]) => {
        const bound = bindArguments('source', ['source_name', 'table_name'], args, { required: 2 });
        const key = `${str(bound['source_name'])}.${str(bound['table_name'])}`;
        const id = this.internals.bySource.get(key);
        if (!id) throw new ModelingError('unknown_source', `${node.resource_type} '${node.name}' depends on a source named '${key}' which was not found`, env.position);
        if (request.sourceOverride) return request.sourceOverride(id);
        return this.relationValue(this.graph.sources.get(id) as SourceDefinition);
      },
      config: configFunction(() => node.config, null),
      this: request.thisOverride ?? (node.resource_type === 'test' ? RelationValue.of(this.resolve(node), this.dialect) : this.relationValue(node)),
      is_incremental: () => request.incremental,
      model: node as unknown as Record<string, unknown>,
      varOverrides: request.varOverrides,
      envOverrides: request.envOverrides,
      locals: request.locals,
    };
  }

  private renderNode(request: RenderRequest): string {
    const body = this.internals.templates.get(request.node.unique_id);
    if (!body) throw new ModelingError('unknown_node', `no template for '${request.node.unique_id}'`);
    return this.env.render(body, request.node.original_file_path, this.bindings(request));
  }

  private compileEphemeral(node: ModelNode): { sql: string; ctes: InjectedCte[] } {
    const cached = this.ephemerals.get(node.unique_id);
    if (cached) return cached;
    if (this.inProgress.has(node.unique_id)) {
      throw new ModelingError('dependency_cycle', `ephemeral model '${node.name}' refers to itself through its refs`, { file: node.original_file_path, line: 1 });
    }
    this.inProgress.add(node.unique_id);
    try {
      const ctes = new CteCollector();
      const sql = this.renderNode({ node, incremental: false, ctes });
      const result = { sql, ctes: ctes.items };
      this.ephemerals.set(node.unique_id, result);
      return result;
    } finally {
      this.inProgress.delete(node.unique_id);
    }
  }

  private renderGenericTest(node: GenericTestNode, request: RenderRequest): { sql: string; details: RenderedGenericTest } {
    const bindings = this.bindings(request);
    const expressions = this.internals.testArgs.get(node.unique_id) ?? {};
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node.test_metadata.kwargs)) {
      if (key === 'model') continue;
      const expr: Expr | undefined = expressions[key];
      args[key] = expr ? this.env.evaluate(expr, node.original_file_path, bindings) : value;
    }
    const attached = this.graph.nodes.get(node.attached_node) ?? this.graph.sources.get(node.attached_node);
    if (!attached || attached.resource_type === 'test' || attached.resource_type === 'unit_test') {
      throw new ModelingError('unknown_node', `test '${node.name}' is attached to '${node.attached_node}', which is not in the graph`);
    }
    const relation =
      attached.resource_type === 'source' ? bindings.source(attached.source_name, attached.name) : bindings.ref(attached.name);
    // dbt's get_where_subquery: the `where` config narrows the tested relation (and may hold Jinja).
    const where = node.config.where && /\{[{%]/.test(node.config.where) ? this.renderHook(node.config.where, request) : node.config.where;
    const model = where ? `(select * from ${str(relation)} where ${where}) dbt_subquery` : relation;
    const name = node.test_metadata.name;
    const builtIn = BUILT_IN_TESTS.has(name) && node.test_metadata.namespace === null;
    const details: RenderedGenericTest = {
      name,
      built_in: builtIn,
      column_name: node.column_name,
      model: str(relation),
      where: where || null,
      kwargs: Object.fromEntries(
        Object.entries(args)
          .filter(([key]) => key !== 'column_name')
          .map(([key, value]) => [key, value instanceof RelationValue ? value.render() : value]),
      ),
    };
    if (builtIn) {
      const locals = { quote: true, ...args, model };
      bindings.locals = locals;
      return { sql: this.env.render(builtInTestTemplate(name).body, node.original_file_path, bindings), details };
    }
    // A project's `{% test name(model, column_name, …) %}`: call the macro with keyword arguments.
    const locals: Record<string, unknown> = { [`${GENERIC_TEST_LOCAL}model`]: model };
    const kwargs: [string, Expr][] = [['model', { kind: 'name', line: 1, name: `${GENERIC_TEST_LOCAL}model` }]];
    for (const [key, value] of Object.entries(args)) {
      locals[`${GENERIC_TEST_LOCAL}${key}`] = value;
      kwargs.push([key, { kind: 'name', line: 1, name: `${GENERIC_TEST_LOCAL}${key}` }]);
    }
    const call: Stmt = { kind: 'print', line: 1, expr: { kind: 'call', line: 1, callee: { kind: 'name', line: 1, name: `test_${name}` }, args: [], kwargs } };
    bindings.locals = locals;
    return { sql: this.env.render([call], node.original_file_path, bindings), details };
  }

  private renderHook(sql: string, request: RenderRequest): string {
    let body = this.internals.hooks.get(sql);
    if (!body) {
      body = parseTemplate(sql, { file: request.node.original_file_path, keepTrailingNewline: true }).body;
      this.internals.hooks.set(sql, body);
    }
    return this.env.render(body, request.node.original_file_path, this.bindings(request));
  }

  compileUnitTest(uniqueId: UniqueId): CompiledUnitTest {
    const node = this.graph.nodes.get(uniqueId);
    if (!node || node.resource_type !== 'unit_test') throw new ModelingError('unknown_node', `no unit test '${uniqueId}' in the graph`);
    const modelId = node.depends_on.nodes[0] as UniqueId;
    const model = this.graph.nodes.get(modelId);
    if (!model || model.resource_type !== 'model') throw new ModelingError('unknown_node', `unit test '${node.name}' tests '${modelId}', which is not in the graph`);
    const inputs = new Map<UniqueId, UnitTestInput>(node.given.filter((g) => g.input.trim() !== 'this').map((g) => [g.unique_id, g]));
    const thisInput = node.given.find((g) => g.input.trim() === 'this');
    const fixtures: CompiledUnitTest['fixtures'] = [];
    const cteFor = (id: UniqueId): string => {
      const upstream = this.graph.nodes.get(id) ?? this.graph.sources.get(id);
      const name = upstream?.resource_type === 'source' ? `${upstream.source_name}__${upstream.name}` : (upstream?.name ?? id);
      return `__dbt__cte__${name}`;
    };
    const addFixture = (id: UniqueId, cteName: string, input: UnitTestInput) => {
      fixtures.push({ unique_id: id, cte_name: cteName, input, sql: this.fixtureSql(input) });
    };
    for (const parent of model.depends_on.nodes) {
      const given = inputs.get(parent);
      // Parents without rows are read as empty: the test need not mention every input.
      const input = given ?? emptyInput(parent, this.graph);
      addFixture(parent, cteFor(parent), input);
    }
    if (thisInput) addFixture(model.unique_id, '__dbt__cte__this', thisInput);
    const fixtureRelation = (id: UniqueId) => {
      const name = cteFor(id);
      return new RelationValue(null, '', name, name, 'cte');
    };
    const ctes = new CteCollector();
    const macroOverrides = node.overrides.macros;
    const modelSql = this.renderNode({
      node: model,
      incremental: model.config.materialized === 'incremental' && macroOverrides['is_incremental'] === true,
      ctes,
      refOverride: (id) => fixtureRelation(id),
      sourceOverride: (id) => fixtureRelation(id),
      thisOverride: thisInput ? new RelationValue(null, '', '__dbt__cte__this', '__dbt__cte__this', 'cte') : undefined,
      varOverrides: node.overrides.vars,
      envOverrides: node.overrides.env_vars,
    });
    const fixtureCtes = fixtures.map((f) => ({ id: f.unique_id, sql: `${f.cte_name} as (\n${f.sql}\n)` }));
    const modelTypes: Record<string, string> = {};
    for (const column of Object.values(model.columns)) if (column.data_type) modelTypes[column.name] = column.data_type;
    const expectedRows = node.expect.rows ?? [];
    const expectedColumns = columnsOf(expectedRows, []);
    return {
      unique_id: uniqueId,
      node,
      model,
      model_sql: modelSql,
      fixtures,
      actual_sql: injectCtes(modelSql, fixtureCtes),
      expected_sql: node.expect.sql ?? this.dialect.rowsSelect(expectedRows, expectedColumns, modelTypes),
      expected_columns: node.expect.sql ? [] : expectedColumns,
    };
  }

  private fixtureSql(input: UnitTestInput): string {
    if (input.sql !== null) return input.sql;
    const rows = input.rows ?? [];
    return this.dialect.rowsSelect(rows, columnsOf(rows, Object.keys(input.column_types)), input.column_types);
  }
}

function emptyInput(id: UniqueId, graph: ProjectGraph): UnitTestInput {
  const upstream = graph.nodes.get(id) ?? graph.sources.get(id);
  const types: Record<string, string> = {};
  const columns = upstream && 'columns' in upstream ? upstream.columns : {};
  for (const column of Object.values(columns)) types[column.name] = column.data_type ?? '';
  return {
    input: upstream?.resource_type === 'source' ? `source('${upstream.source_name}', '${upstream.name}')` : `ref('${upstream?.name ?? id}')`,
    unique_id: id,
    format: 'dict',
    rows: [],
    sql: null,
    column_types: Object.fromEntries(Object.entries(types).filter(([, type]) => type !== '')),
  };
}

/** Columns of fixture rows in first-seen order, then any others known from YAML. */
function columnsOf(rows: readonly Record<string, unknown>[], known: readonly string[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  for (const key of known) columns.add(key);
  return [...columns];
}

function readRefArgs(args: unknown[]): { name: string } {
  const positional = args.filter((a) => typeof a === 'string');
  return { name: String(positional.at(-1) ?? '') };
}

/** Skips whitespace and SQL comments at `from`; returns the index of the first token. */
function skipTrivia(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    if (/\s/.test(sql[i] as string)) i++;
    else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else break;
  }
  return i;
}

/**
 * dbt's `_inject_ctes_into_sql`: the CTEs go right after the statement's leading `with`
 * (`with recursive`), or a `with` is added in front when there is none.
 */
export function injectCtes(sql: string, ctes: readonly InjectedCte[]): string {
  if (ctes.length === 0) return sql;
  const list = ctes.map((cte) => cte.sql).join(',\n');
  const start = skipTrivia(sql, 0);
  const word = /^with\b/i.exec(sql.slice(start, start + 5));
  if (!word) return `${sql.slice(0, start)}with ${list}\n${sql.slice(start)}`;
  let after = start + 4;
  const next = skipTrivia(sql, after);
  if (/^recursive\b/i.test(sql.slice(next, next + 10))) after = next + 'recursive'.length;
  return `${sql.slice(0, after)} ${list},\n${sql.slice(skipTrivia(sql, after))}`;
}

/** A compiler for one graph and one context (target, dialect, vars, incremental state). */
export function createCompiler(graph: ProjectGraph, context: CompileContext): Compiler {
  return new GraphCompiler(graph, context);
}

/** Phase two for one node: its final SQL for this context. */
export function compileNode(graph: ProjectGraph, uniqueId: UniqueId, context: CompileContext): CompiledNode {
  return createCompiler(graph, context).compile(uniqueId);
}

/** Phase two for the graph (or the selected ids): every model, seed, snapshot, test and unit test. */
export function compileGraph(graph: ProjectGraph, context: CompileContext, select?: Iterable<UniqueId>): CompiledGraph {
  const compiler = createCompiler(graph, context);
  const wanted = select ? new Set(select) : null;
  const nodes = new Map<UniqueId, CompiledNode>();
  const unitTests = new Map<UniqueId, CompiledUnitTest>();
  for (const id of graph.order) {
    if (wanted && !wanted.has(id)) continue;
    const node = graph.nodes.get(id);
    if (!node) continue;
    if (node.resource_type === 'unit_test') unitTests.set(id, compiler.compileUnitTest(id));
    else nodes.set(id, compiler.compile(id));
  }
  return { graph, target: compiler.target, dialect: compiler.dialect.type, nodes, unit_tests: unitTests };
}
