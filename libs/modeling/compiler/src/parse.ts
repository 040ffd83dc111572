import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Logger } from '@sp01/core';
import { silentLogger } from '@sp01/core';
import { resolveDependencies } from './dag.js';
import type { NodeBindings } from './dbt-context.js';
import { configFunction, DbtEnvironment } from './dbt-context.js';
import { dialectFor } from './dialects.js';
import { describePosition, ModelingError } from './errors.js';
import { BUILT_IN_TESTS, genericTestName, REQUIRED_TEST_ARGS, testHash } from './generic-tests.js';
import type {
  ColumnInfo,
  GenericTestNode,
  GraphNode,
  MacroDefinition,
  ModelNode,
  ProjectConfig,
  ProjectGraph,
  RefCall,
  RelationNode,
  SeedNode,
  SingularTestNode,
  SnapshotNode,
  SourceCall,
  SourceDefinition,
  SourcePosition,
  Target,
  UniqueId,
  UnitTestInput,
  UnitTestNode,
} from './graph.js';
import type { GraphInternals } from './graph-internals.js';
import { attachInternals, indexByName, indexSources, isJinjaExpression } from './graph-internals.js';
import type { ProjectConfigTrees } from './project-file.js';
import { loadProjectFile } from './project-file.js';
import type { FixtureSpec, PropertiesFile, ResourcePatch, TestDeclaration, UnitTestSpec } from './properties.js';
import { readPropertiesFile } from './properties.js';
import { RelationValue } from './relation.js';
import type { ConfigLayer } from './resource-config.js';
import { canonicalKey, mergeConfig, modelConfig, projectLayers, seedConfig, snapshotConfig, sourceConfig, testConfig, unitTestConfig } from './resource-config.js';
import { csvRecords } from './seed-file.js';
import type { Expr, Stmt, TemplateAst } from './template/ast.js';
import { parseExpression, parseTemplate } from './template/parser.js';
import { bindArguments, isPlainObject, Kwargs, str } from './template/python-values.js';

export interface ParseOptions {
  projectDir: string;
  /** `--vars`: laid over the project's vars. */
  vars?: Record<string, unknown>;
  /** The target templates see while parsing (`target.name` …); defaults to dev/postgres/public. */
  target?: Partial<Target>;
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

export const DEFAULT_TARGET: Target = { name: 'dev', type: 'postgres', schema: 'public', database: null, threads: 1 };

interface SourceFile {
  /** Project-relative, POSIX separators. */
  file: string;
  /** Relative to the resource folder it was found in. */
  relative: string;
  absolute: string;
}

function listFiles(root: string, folders: readonly string[], extensions: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const folder of folders) {
    const base = join(root, folder);
    if (!existsSync(base)) continue;
    const walk = (dir: string, relative: string) => {
      const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        const absolute = join(dir, entry.name);
        if (entry.isDirectory()) walk(absolute, rel);
        else if (extensions.some((ext) => entry.name.endsWith(ext))) out.push({ file: posix.join(folder, rel), relative: rel, absolute });
      }
    };
    walk(base, '');
  }
  return out;
}

function stem(relative: string, extension: string): string {
  return posix.basename(relative).slice(0, -extension.length);
}

function folders(relative: string): string[] {
  const dir = posix.dirname(relative);
  return dir === '.' ? [] : dir.split('/');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface Capture {
  refs: RefCall[];
  sources: SourceCall[];
  config: ConfigLayer;
  configPosition: SourcePosition | null;
  macros: Set<string>;
}

/** Parse-time stand-ins for ref/source/config that record what a template asks for. */
class CaptureContext {
  constructor(
    private readonly env: DbtEnvironment,
    private readonly target: Target,
  ) {}

  bindings(capture: Capture, currentConfig: () => Record<string, unknown>, self: RelationValue, incremental: boolean, model: Record<string, unknown>): NodeBindings {
    const dialect = this.env.dialect;
    const schema = this.target.schema;
    return {
      ref: (...args: unknown[]) => {
        const call = readRef(args, this.env.position);
        capture.refs.push(call);
        return RelationValue.of({ database: this.target.database ?? null, schema, identifier: call.name }, dialect);
      },
      source: (...args: unknown[]) => {
        const bound = bindArguments('source', ['source_name', 'table_name'], args, { required: 2 });
        const call = { source_name: str(bound['source_name']), table_name: str(bound['table_name']), position: this.env.position };
        capture.sources.push(call);
        return RelationValue.of({ database: this.target.database ?? null, schema: call.source_name, identifier: call.table_name }, dialect);
      },
      config: configFunction(
        () => Object.assign({}, currentConfig(), capture.config),
        (values) => {
          capture.config = mergeConfig(capture.config, values);
          capture.configPosition ??= this.env.position;
        },
      ),
      this: self,
      is_incremental: () => incremental,
      model,
      macrosUsed: capture.macros,
    };
  }
}

/** Reads `ref('m')`, `ref('package', 'm')`, `ref('m', v=2)` into a RefCall. */
function readRef(args: unknown[], position: SourcePosition): RefCall {
  const last = args.at(-1);
  const kwargs = last instanceof Kwargs ? last.values : {};
  const positional = (last instanceof Kwargs ? args.slice(0, -1) : args).map(str);
  const version = kwargs['v'] ?? kwargs['version'];
  if (positional.length === 1) return { name: positional[0] as string, package: null, version: version === undefined ? null : str(version), position };
  if (positional.length === 2) return { name: positional[1] as string, package: positional[0] as string, version: version === undefined ? null : str(version), position };
  throw new Error(`ref() takes a model name, or a package and a model name (got ${positional.length} arguments)`);
}

function newCapture(): Capture {
  return { refs: [], sources: [], config: {}, configPosition: null, macros: new Set() };
}

function layered(tree: Record<string, unknown>, fqn: readonly string[], ...more: ConfigLayer[]): ConfigLayer {
  return [...projectLayers(tree, fqn), ...more].reduce<ConfigLayer>((acc, layer) => mergeConfig(acc, layer), {});
}

function configPosition(capture: Capture, patch: ResourcePatch | undefined): SourcePosition {
  if (capture.configPosition && Object.keys(capture.config).length > 0) return capture.configPosition;
  if (patch && Object.keys(patch.config).length > 0) return patch.position;
  return { file: 'dbt_project.yml', line: 0 };
}

class ProjectParser {
  private readonly nodes = new Map<UniqueId, GraphNode>();
  private readonly sources = new Map<UniqueId, SourceDefinition>();
  private readonly disabled = new Map<UniqueId, GraphNode | SourceDefinition>();
  private readonly templates = new Map<UniqueId, Stmt[]>();
  private readonly testArgs = new Map<UniqueId, Record<string, Expr>>();
  private readonly patches = new Map<string, ResourcePatch>();
  private readonly properties: PropertiesFile[] = [];
  private readonly macros = new Map<string, MacroDefinition>();
  private readonly macroFiles: TemplateAst[] = [];
  private readonly env: DbtEnvironment;
  private readonly capture: CaptureContext;
  private readonly project: ProjectConfig;
  private readonly trees: ProjectConfigTrees;
  readonly target: Target;
  readonly vars: Record<string, unknown>;
  private readonly logger: Logger;

  constructor(options: ParseOptions) {
    const loaded = loadProjectFile(options.projectDir);
    this.project = loaded.config;
    this.target = { ...DEFAULT_TARGET, ...options.target };
    this.logger = options.logger ?? silentLogger;
    this.vars = { ...this.project.vars, ...options.vars };
    this.readMacros();
    this.env = new DbtEnvironment({
      projectName: this.project.name,
      dialect: dialectFor(this.target.type, { fallback: true }),
      target: this.target,
      vars: this.vars,
      env: options.env ?? process.env,
      execute: false,
      macroFiles: this.macroFiles,
      runStartedAt: new Date(),
      invocationId: randomUUID(),
      logger: this.logger,
    });
    this.capture = new CaptureContext(this.env, this.target);
    this.trees = this.renderProjectTrees(loaded.trees);
  }

  /**
   * dbt renders dbt_project.yml configs (`+schema: "{{ env_var('X') }}"`); hooks stay as
   * written, rendered per node at compile time.
   */
  private renderProjectTrees(trees: ProjectConfigTrees): ProjectConfigTrees {
    const render = (value: unknown, key: string): unknown => {
      if (typeof value === 'string' && /\{[{%]/.test(value) && canonicalKey(key) !== 'pre_hook' && canonicalKey(key) !== 'post_hook') {
        const text = this.renderYamlValue(value, 'dbt_project.yml');
        return text === 'True' ? true : text === 'False' ? false : text;
      }
      if (Array.isArray(value)) return value.map((item) => render(item, key));
      if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, k)]));
      return value;
    };
    return Object.fromEntries(Object.entries(trees).map(([key, tree]) => [key, render(tree, key)])) as unknown as ProjectConfigTrees;
  }

  /** A YAML string rendered as dbt renders configs: var, env_var and target, but no ref or source. */
  private renderYamlValue(value: string, file: string): string {
    if (!/\{[{%]/.test(value)) return value;
    const bindings: NodeBindings = {
      ref: () => {
        throw new Error(`ref() cannot be used in ${file}`);
      },
      source: () => {
        throw new Error(`source() cannot be used in ${file}`);
      },
      config: configFunction(() => ({}), null),
      this: undefined,
      is_incremental: () => false,
      model: {},
    };
    return this.env.render(parseTemplate(value, { file }).body, file, bindings);
  }

  parse(): ProjectGraph {
    this.readProperties();
    this.parseModels();
    this.parseSeeds();
    this.parseSnapshots();
    this.parseSingularTests();
    this.parseSources();
    this.checkPatches();
    const byName = this.indexRelationNodes();
    const bySource = indexSources(this.sources.values());
    this.parseGenericTests();
    this.parseUnitTests(byName);
    const { parent_map, child_map, order } = resolveDependencies({
      project: this.project.name,
      nodes: this.nodes,
      sources: this.sources,
      disabled: this.disabled,
      byName,
      bySource,
    });
    const graph: ProjectGraph = {
      project: this.project,
      vars: this.vars,
      target: this.target,
      nodes: this.nodes,
      sources: this.sources,
      macros: this.macros,
      disabled: this.disabled,
      parent_map,
      child_map,
      order,
    };
    const internals: GraphInternals = {
      templates: this.templates,
      testArgs: this.testArgs,
      macroFiles: this.macroFiles,
      byName,
      bySource,
      hooks: new Map(),
    };
    attachInternals(graph, internals);
    return graph;
  }

  private readMacros(): void {
    const { root, macro_paths, test_paths } = this.project;
    const files = [
      ...listFiles(root, macro_paths, ['.sql']),
      // tests/generic/*.sql hold `{% test %}` definitions: macros, not singular tests.
      ...listFiles(root, test_paths.map((p) => posix.join(p, 'generic')), ['.sql']),
    ];
    for (const source of files) {
      const ast = parseTemplate(readFileSync(source.absolute, 'utf8'), { file: source.file });
      this.macroFiles.push(ast);
      for (const stmt of ast.body) {
        if (stmt.kind !== 'macro') continue;
        const id = `macro.${this.project.name}.${stmt.name}`;
        const existing = this.macros.get(id);
        if (existing) {
          throw new ModelingError('duplicate_resource', `macro '${stmt.name}' is defined twice (also at ${existing.original_file_path}:${existing.line})`, {
            file: source.file,
            line: stmt.line,
          });
        }
        this.macros.set(id, { unique_id: id, name: stmt.name, package_name: this.project.name, original_file_path: source.file, line: stmt.line });
      }
    }
  }

  private readProperties(): void {
    const { root, model_paths, seed_paths, snapshot_paths, test_paths, macro_paths } = this.project;
    const seen = new Set<string>();
    for (const group of [model_paths, seed_paths, snapshot_paths, test_paths, macro_paths]) {
      for (const source of listFiles(root, group, ['.yml', '.yaml'])) {
        if (seen.has(source.file)) continue;
        seen.add(source.file);
        const file = readPropertiesFile(source.file, source.absolute);
        this.properties.push(file);
        for (const patch of file.patches) {
          const key = `${patch.kind}:${patch.name}`;
          const existing = this.patches.get(key);
          if (existing) {
            throw new ModelingError(
              'duplicate_resource',
              `${patch.kind.slice(0, -1)} '${patch.name}' is described twice (also at ${existing.position.file}:${existing.position.line})`,
              patch.position,
            );
          }
          this.patches.set(key, patch);
        }
      }
    }
  }

  /** Directories of a YAML file below the resource folder it sits in (for test fqns). */
  private yamlFolders(file: string): string[] {
    const { model_paths, seed_paths, snapshot_paths, test_paths, macro_paths } = this.project;
    for (const base of [...model_paths, ...seed_paths, ...snapshot_paths, ...test_paths, ...macro_paths]) {
      const prefix = `${posix.normalize(base)}/`;
      if (file.startsWith(prefix)) return folders(file.slice(prefix.length));
    }
    return [];
  }

  private add(node: GraphNode, enabled: boolean): void {
    const existing = this.nodes.get(node.unique_id) ?? this.disabled.get(node.unique_id);
    if (existing && existing.resource_type !== 'unit_test' && node.resource_type !== 'unit_test' && existing.original_file_path !== node.original_file_path) {
      throw new ModelingError(
        'duplicate_resource',
        `dbt found two resources with the name "${node.name}": ${existing.original_file_path} and ${node.original_file_path}`,
        { file: node.original_file_path, line: 1 },
      );
    }
    if (!enabled) {
      this.disabled.set(node.unique_id, node);
      return;
    }
    this.nodes.set(node.unique_id, node);
  }

  private render(body: readonly Stmt[], file: string, bindings: NodeBindings): void {
    this.env.render(body, file, bindings);
  }

  private parseModels(): void {
    const { root, model_paths, name: project } = this.project;
    for (const source of listFiles(root, model_paths, ['.sql', '.py'])) {
      if (source.file.endsWith('.py')) {
        throw new ModelingError('unsupported', 'python models are not supported by this compiler', { file: source.file, line: 1 });
      }
      const name = stem(source.relative, '.sql');
      const raw = readFileSync(source.absolute, 'utf8');
      const ast = parseTemplate(raw, { file: source.file });
      const fqn = [project, ...folders(source.relative), name];
      const patch = this.patches.get(`models:${name}`);
      const base = layered(this.trees.models, fqn, patch?.config ?? {});
      // Config is settled after the render below (config() calls count); until then, as layered.
      const node: ModelNode = {
        unique_id: `model.${project}.${name}`,
        resource_type: 'model',
        name,
        package_name: project,
        path: source.relative,
        original_file_path: source.file,
        patch_path: patch ? patch.position.file : null,
        fqn,
        description: patch?.description ?? '',
        columns: patch?.columns ?? {},
        raw_code: raw,
        raw_code_line: 1,
        checksum: { name: 'sha256', checksum: sha256(raw) },
        refs: [],
        sources: [],
        depends_on: { nodes: [], macros: [] },
        unrendered_config: base,
        config: base as ModelNode['config'],
      };
      const capture = this.renderCapturing(node, ast.body, base, false);
      node.config = modelConfig(mergeConfig(base, capture.config), configPosition(capture, patch));
      node.unrendered_config = mergeConfig(base, capture.config);
      if (node.config.materialized === 'incremental') {
        // Refs inside `{% if is_incremental() %}` count too: render that branch as well.
        const incremental = this.renderCapturing(node, ast.body, node.unrendered_config, true);
        capture.refs.push(...incremental.refs);
        capture.sources.push(...incremental.sources);
        for (const macro of incremental.macros) capture.macros.add(macro);
      }
      this.finish(node, capture);
      this.templates.set(node.unique_id, ast.body);
      this.add(node, node.config.enabled);
    }
  }

  private renderCapturing(node: RelationNode | SingularTestNode, body: readonly Stmt[], base: ConfigLayer, incremental: boolean): Capture {
    const capture = newCapture();
    const self = RelationValue.of(
      { database: this.target.database ?? null, schema: this.target.schema, identifier: (base['alias'] as string | undefined) ?? node.name },
      this.env.dialect,
    );
    this.render(body, node.original_file_path, this.capture.bindings(capture, () => base, self, incremental, node as unknown as Record<string, unknown>));
    return capture;
  }

  private finish(node: { refs: RefCall[]; sources: SourceCall[]; depends_on: { macros: string[] } }, capture: Capture): void {
    node.refs = dedupeRefs(capture.refs);
    node.sources = dedupeSources(capture.sources);
    node.depends_on.macros = [...capture.macros].sort();
  }

  private parseSeeds(): void {
    const { root, seed_paths, name: project } = this.project;
    for (const source of listFiles(root, seed_paths, ['.csv'])) {
      const name = stem(source.relative, '.csv');
      const fqn = [project, ...folders(source.relative), name];
      const patch = this.patches.get(`seeds:${name}`);
      const config = layered(this.trees.seeds, fqn, patch?.config ?? {});
      const size = statSync(source.absolute).size;
      // dbt checksums small seeds by content and big ones by path; so do we.
      const checksum = size <= 1024 * 1024 ? sha256(readFileSync(source.absolute, 'utf8')) : sha256(source.file);
      const node: SeedNode = {
        unique_id: `seed.${project}.${name}`,
        resource_type: 'seed',
        name,
        package_name: project,
        path: source.relative,
        original_file_path: source.file,
        patch_path: patch ? patch.position.file : null,
        fqn,
        description: patch?.description ?? '',
        columns: patch?.columns ?? {},
        raw_code: '',
        raw_code_line: 1,
        checksum: { name: 'sha256', checksum },
        refs: [],
        sources: [],
        depends_on: { nodes: [], macros: [] },
        unrendered_config: config,
        config: seedConfig(config, patch?.position ?? { file: 'dbt_project.yml', line: 0 }),
        seed_file_path: source.absolute,
      };
      this.add(node, node.config.enabled);
    }
  }

  private parseSnapshots(): void {
    const { root, snapshot_paths, name: project } = this.project;
    for (const source of listFiles(root, snapshot_paths, ['.sql'])) {
      const raw = readFileSync(source.absolute, 'utf8');
      const ast = parseTemplate(raw, { file: source.file });
      const blocks = ast.body.filter((stmt): stmt is Extract<Stmt, { kind: 'block' }> => stmt.kind === 'block');
      if (blocks.length === 0) {
        throw new ModelingError('project_config', 'a snapshot file needs a {% snapshot <name> %} … {% endsnapshot %} block', { file: source.file, line: 1 });
      }
      for (const block of blocks) {
        const name = block.name;
        const fqn = [project, ...folders(source.relative), stem(source.relative, '.sql'), name];
        const patch = this.patches.get(`snapshots:${name}`);
        const base = layered(this.trees.snapshots, fqn, patch?.config ?? {});
        const node = {
          unique_id: `snapshot.${project}.${name}`,
          resource_type: 'snapshot',
          name,
          package_name: project,
          path: source.relative,
          original_file_path: source.file,
          patch_path: patch ? patch.position.file : null,
          fqn,
          description: patch?.description ?? '',
          columns: patch?.columns ?? {},
          raw_code: block.bodyText,
          raw_code_line: block.bodyLine,
          checksum: { name: 'sha256', checksum: sha256(raw) },
          refs: [],
          sources: [],
          depends_on: { nodes: [], macros: [] },
          unrendered_config: base,
        } as unknown as SnapshotNode;
        const capture = this.renderCapturing(node, block.body, base, false);
        const merged = mergeConfig(base, capture.config);
        node.unrendered_config = merged;
        node.config = snapshotConfig(merged, configPosition(capture, patch).line > 0 ? configPosition(capture, patch) : { file: source.file, line: block.line }, name);
        this.finish(node, capture);
        if (this.nodes.has(node.unique_id)) {
          throw new ModelingError('duplicate_resource', `snapshot '${name}' is defined twice`, { file: source.file, line: block.line });
        }
        this.templates.set(node.unique_id, block.body);
        this.add(node, node.config.enabled);
      }
    }
  }

  private parseSingularTests(): void {
    const { root, test_paths, name: project } = this.project;
    for (const source of listFiles(root, test_paths, ['.sql'])) {
      const dirs = folders(source.relative);
      // generic/ holds test definitions, fixtures/ unit-test fixtures: neither is a singular test.
      if (dirs[0] === 'generic' || dirs[0] === 'fixtures') continue;
      const name = stem(source.relative, '.sql');
      const raw = readFileSync(source.absolute, 'utf8');
      const ast = parseTemplate(raw, { file: source.file });
      const fqn = [project, ...dirs, name];
      const base = layered(this.trees.data_tests, fqn);
      const node = {
        unique_id: `test.${project}.${name}`,
        resource_type: 'test',
        test_type: 'singular',
        name,
        package_name: project,
        path: source.relative,
        original_file_path: source.file,
        patch_path: null,
        fqn,
        description: '',
        columns: {},
        raw_code: raw,
        raw_code_line: 1,
        checksum: { name: 'sha256', checksum: sha256(raw) },
        refs: [],
        sources: [],
        depends_on: { nodes: [], macros: [] },
        unrendered_config: base,
        config: testConfig(base, { file: 'dbt_project.yml', line: 0 }),
      } as SingularTestNode;
      const capture = this.renderCapturing(node, ast.body, base, false);
      const merged = mergeConfig(base, capture.config);
      node.unrendered_config = merged;
      node.config = testConfig(merged, capture.configPosition ?? { file: source.file, line: 1 });
      this.finish(node, capture);
      this.templates.set(node.unique_id, ast.body);
      this.add(node, node.config.enabled);
    }
  }

  private parseSources(): void {
    const project = this.project.name;
    for (const file of this.properties) {
      const dirs = this.yamlFolders(file.file);
      for (const spec of file.sources) {
        const uniqueId = `source.${project}.${spec.source_name}.${spec.name}`;
        if (this.sources.has(uniqueId)) {
          throw new ModelingError('duplicate_resource', `source table ${spec.source_name}.${spec.name} is declared twice`, spec.position);
        }
        const config = sourceConfig(layered(this.trees.sources, [project, spec.source_name, spec.name], spec.config), spec.position);
        const definition: SourceDefinition = {
          unique_id: uniqueId,
          resource_type: 'source',
          name: spec.name,
          source_name: spec.source_name,
          source_description: spec.source_description,
          description: spec.description,
          package_name: project,
          path: file.file,
          original_file_path: file.file,
          fqn: [project, ...dirs, spec.source_name, spec.name],
          // dbt renders where a source lives: `schema: "{{ var('prefix') }}raw"`.
          database: spec.database === null ? null : this.renderYamlValue(spec.database, file.file),
          schema: this.renderYamlValue(spec.schema, file.file),
          identifier: this.renderYamlValue(spec.identifier, file.file),
          loader: spec.loader,
          loaded_at_field: spec.loaded_at_field,
          freshness: spec.freshness,
          columns: spec.columns,
          tags: [...new Set([...spec.tags, ...config.tags])],
          meta: Object.assign({}, spec.meta, config.meta),
          config,
        };
        if (config.enabled) this.sources.set(uniqueId, definition);
        else this.disabled.set(uniqueId, definition);
      }
    }
  }

  /** A description of a model, seed or snapshot that does not exist: dbt warns and ignores it. */
  private checkPatches(): void {
    const kinds = { models: 'model', seeds: 'seed', snapshots: 'snapshot' } as const;
    for (const patch of this.patches.values()) {
      const id = `${kinds[patch.kind]}.${this.project.name}.${patch.name}`;
      if (!this.nodes.has(id) && !this.disabled.has(id)) {
        this.logger.warn(
          `${describePosition(patch.position)}: did not find matching node for patch with name '${patch.name}' in the '${patch.kind}' section; its description and tests are ignored`,
          { file: patch.position.file, line: patch.position.line },
        );
      }
    }
  }

  private indexRelationNodes(): Map<string, UniqueId> {
    const seen = new Map<string, RelationNode>();
    for (const node of this.nodes.values()) {
      if (node.resource_type !== 'model' && node.resource_type !== 'seed' && node.resource_type !== 'snapshot') continue;
      const other = seen.get(node.name);
      if (other) {
        throw new ModelingError(
          'duplicate_resource',
          `dbt found two resources with the name "${node.name}": ${other.original_file_path} and ${node.original_file_path}`,
          { file: node.original_file_path, line: 1 },
        );
      }
      seen.set(node.name, node);
    }
    return indexByName(this.nodes.values());
  }

  private parseGenericTests(): void {
    const kinds = { models: 'model', seeds: 'seed', snapshots: 'snapshot' } as const;
    for (const file of this.properties) {
      const dirs = this.yamlFolders(file.file);
      for (const patch of file.patches) {
        const id = `${kinds[patch.kind]}.${this.project.name}.${patch.name}`;
        const node = this.nodes.get(id);
        if (!node) continue;
        for (const declaration of patch.tests) this.addGenericTest(declaration, { node: node as RelationNode }, file.file, dirs);
      }
      for (const spec of file.sources) {
        const source = this.sources.get(`source.${this.project.name}.${spec.source_name}.${spec.name}`);
        if (!source) continue;
        for (const declaration of spec.tests) this.addGenericTest(declaration, { source }, file.file, dirs);
      }
    }
  }

  private addGenericTest(
    declaration: TestDeclaration,
    attached: { node: RelationNode } | { source: SourceDefinition },
    file: string,
    dirs: string[],
  ): void {
    const project = this.project.name;
    const { test_name: testName, namespace, position } = declaration;
    if (namespace !== null && namespace !== 'dbt' && namespace !== project) {
      throw new ModelingError('unsupported', `test '${namespace}.${testName}' comes from package '${namespace}'; packages are not supported by this compiler`, position);
    }
    const builtIn = BUILT_IN_TESTS.has(testName) && namespace !== project;
    const macroId = builtIn ? `macro.dbt.test_${testName}` : `macro.${project}.test_${testName}`;
    if (!builtIn && !this.macros.has(macroId)) {
      throw new ModelingError('unknown_ref', `unknown generic test '${testName}': not built in, and no {% test ${testName}(model, …) %} in the project's macros`, position);
    }
    for (const required of REQUIRED_TEST_ARGS[testName] ?? []) {
      if (builtIn && declaration.args[required] === undefined) {
        throw new ModelingError('invalid_config', `test '${testName}' needs the argument '${required}'`, position);
      }
    }
    const isSource = 'source' in attached;
    const targetName = isSource ? `${attached.source.source_name}_${attached.source.name}` : attached.node.name;
    const nameArgs: Record<string, unknown> = Object.assign({}, declaration.args);
    if (declaration.column_name !== null) nameArgs['column_name'] = declaration.column_name;
    const synthesized = genericTestName(isSource ? `source_${testName}` : testName, targetName, nameArgs);
    const name = declaration.custom_name ?? synthesized.full;
    const fileName = declaration.custom_name ?? synthesized.short;
    const modelArg = isSource
      ? `{{ get_where_subquery(source('${attached.source.source_name}', '${attached.source.name}')) }}`
      : `{{ get_where_subquery(ref('${attached.node.name}')) }}`;
    const kwargs: Record<string, unknown> = Object.assign({}, nameArgs, { model: modelArg });
    const uniqueId = `test.${project}.${name}.${testHash(name, { name: testName, namespace, kwargs })}`;
    const fqn = [project, ...dirs, name];
    const merged = layered(this.trees.data_tests, fqn, declaration.config);
    const config = testConfig(merged, position);
    const refs: RefCall[] = [];
    const sources: SourceCall[] = [];
    if (isSource) sources.push({ source_name: attached.source.source_name, table_name: attached.source.name, position });
    else refs.push({ name: attached.node.name, package: null, version: null, position });
    const expressions: Record<string, Expr> = {};
    for (const [key, value] of Object.entries(declaration.args)) {
      if (!isJinjaExpression(value)) continue;
      const expr = parseExpression(value, file, position.line);
      expressions[key] = expr;
      const capture = newCapture();
      const self = RelationValue.of({ database: null, schema: this.target.schema, identifier: name }, this.env.dialect);
      this.env.evaluate(expr, file, this.capture.bindings(capture, () => merged, self, false, {}));
      refs.push(...capture.refs);
      sources.push(...capture.sources);
    }
    const node: GenericTestNode = {
      unique_id: uniqueId,
      resource_type: 'test',
      test_type: 'generic',
      name,
      package_name: project,
      path: `${fileName}.sql`,
      original_file_path: file,
      patch_path: null,
      fqn,
      description: '',
      columns: {},
      raw_code: `{{ test_${testName}(**_dbt_generic_test_kwargs) }}`,
      raw_code_line: position.line,
      checksum: { name: 'sha256', checksum: sha256(`${uniqueId}`) },
      refs: dedupeRefs(refs),
      sources: dedupeSources(sources),
      depends_on: { nodes: [], macros: builtIn ? [macroId, 'macro.dbt.get_where_subquery'] : [macroId, 'macro.dbt.get_where_subquery'] },
      unrendered_config: merged,
      config,
      test_metadata: { name: testName, namespace: builtIn ? null : namespace, kwargs },
      column_name: declaration.column_name,
      attached_node: isSource ? attached.source.unique_id : attached.node.unique_id,
      file_key_name: isSource ? `sources.${attached.source.source_name}` : `models.${attached.node.name}`,
    };
    if (this.nodes.has(uniqueId)) {
      throw new ModelingError('duplicate_resource', `test '${name}' is declared twice on ${targetName}`, position);
    }
    if (Object.keys(expressions).length > 0) this.testArgs.set(uniqueId, expressions);
    this.add(node, config.enabled);
  }

  private parseUnitTests(byName: Map<string, UniqueId>): void {
    const project = this.project.name;
    for (const file of this.properties) {
      const dirs = this.yamlFolders(file.file);
      for (const spec of file.unitTests) {
        const modelId = byName.get(spec.model);
        const model = modelId ? this.nodes.get(modelId) : undefined;
        if (!model || model.resource_type !== 'model') {
          throw new ModelingError('unknown_ref', `unit test '${spec.name}' tests model '${spec.model}', which does not exist`, spec.position);
        }
        const uniqueId = `unit_test.${project}.${spec.model}.${spec.name}`;
        if (this.nodes.has(uniqueId)) throw new ModelingError('duplicate_resource', `unit test '${spec.name}' on '${spec.model}' is declared twice`, spec.position);
        const fqn = [project, ...dirs, spec.model, spec.name];
        const config = unitTestConfig(layered(this.trees.unit_tests, fqn, spec.config), spec.position);
        const given = spec.given.map((item) => this.unitTestInput(spec, item, model, file.file, byName));
        const node: UnitTestNode = {
          unique_id: uniqueId,
          resource_type: 'unit_test',
          name: spec.name,
          package_name: project,
          path: file.file,
          original_file_path: file.file,
          fqn,
          description: spec.description,
          model: spec.model,
          given,
          expect: Object.assign({ format: spec.expect.format }, this.fixtureRows(spec.expect, spec.position)),
          overrides: spec.overrides,
          config,
          depends_on: { nodes: [model.unique_id], macros: [] },
        };
        this.add(node, config.enabled);
      }
    }
  }

  private unitTestInput(
    spec: UnitTestSpec,
    item: UnitTestSpec['given'][number],
    model: ModelNode,
    file: string,
    byName: Map<string, UniqueId>,
  ): UnitTestInput {
    let uniqueId: UniqueId;
    if (item.input.trim() === 'this') uniqueId = model.unique_id;
    else {
      const capture = newCapture();
      const expr = parseExpression(item.input, file, item.position.line);
      const self = RelationValue.of({ database: null, schema: this.target.schema, identifier: spec.name }, this.env.dialect);
      this.env.evaluate(expr, file, this.capture.bindings(capture, () => ({}), self, false, {}));
      const ref = capture.refs[0];
      const source = capture.sources[0];
      if (ref) {
        const target = byName.get(ref.name);
        if (!target) throw new ModelingError('unknown_ref', `unit test '${spec.name}' gives rows for ${item.input}, which does not exist`, item.position);
        uniqueId = target;
      } else if (source) {
        uniqueId = `source.${this.project.name}.${source.source_name}.${source.table_name}`;
        if (!this.sources.has(uniqueId)) throw new ModelingError('unknown_source', `unit test '${spec.name}' gives rows for ${item.input}, which is not declared`, item.position);
      } else {
        throw new ModelingError('project_config', `unit test input must be ref('…'), source('…', '…') or this, got ${JSON.stringify(item.input)}`, item.position);
      }
      const direct = uniqueId.startsWith('source.')
        ? model.sources.some((s) => `source.${this.project.name}.${s.source_name}.${s.table_name}` === uniqueId)
        : model.refs.some((r) => this.nodes.get(uniqueId)?.name === r.name);
      if (!direct) {
        throw new ModelingError('invalid_config', `unit test '${spec.name}': ${item.input} is not an input of model '${model.name}'`, item.position);
      }
    }
    const upstream = this.nodes.get(uniqueId) ?? this.sources.get(uniqueId);
    const { rows, sql } = this.fixtureRows(item, item.position);
    return { input: item.input, unique_id: uniqueId, format: item.format, rows, sql, column_types: upstream ? columnTypes(upstream) : {} };
  }

  private fixtureRows(spec: FixtureSpec, position: SourcePosition): { rows: Record<string, unknown>[] | null; sql: string | null } {
    let rows = spec.rows;
    if (spec.fixture) rows = this.readFixture(spec.fixture, spec.format, position);
    if (spec.format === 'sql') {
      if (typeof rows !== 'string') throw new ModelingError('project_config', `a fixture with format sql needs its rows as a SQL string`, position);
      return { rows: null, sql: rows };
    }
    if (spec.format === 'csv') {
      if (typeof rows !== 'string') throw new ModelingError('project_config', `a fixture with format csv needs its rows as CSV text`, position);
      return { rows: csvRecords(rows), sql: null };
    }
    if (rows === null || rows === undefined) return { rows: [], sql: null };
    if (!Array.isArray(rows) || !rows.every(isPlainObject)) {
      throw new ModelingError('project_config', `fixture rows must be a list of mappings ({column: value})`, position);
    }
    return { rows: rows as Record<string, unknown>[], sql: null };
  }

  private readFixture(name: string, format: FixtureSpec['format'], position: SourcePosition): string {
    const extension = format === 'sql' ? '.sql' : '.csv';
    for (const base of this.project.test_paths) {
      const match = listFiles(this.project.root, [posix.join(base, 'fixtures')], [extension]).find((f) => stem(f.relative, extension) === name);
      if (match) return readFileSync(match.absolute, 'utf8');
    }
    throw new ModelingError('project_config', `fixture '${name}${extension}' not found under ${this.project.test_paths.map((p) => `${p}/fixtures`).join(', ')}`, position);
  }
}

function columnTypes(node: GraphNode | SourceDefinition): Record<string, string> {
  const types: Record<string, string> = {};
  const columns: Record<string, ColumnInfo> = 'columns' in node ? node.columns : {};
  for (const column of Object.values(columns)) if (column.data_type) types[column.name] = column.data_type;
  if (node.resource_type === 'seed') Object.assign(types, node.config.column_types);
  return types;
}

function dedupeRefs(refs: RefCall[]): RefCall[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.package ?? ''}.${ref.name}.${ref.version ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeSources(sources: SourceCall[]): SourceCall[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = `${source.source_name}.${source.table_name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Phase one of two: reads a dbt-format project and renders every template once with
 * capturing stand-ins, to learn each node's refs, sources and in-file config. Returns a
 * validated graph (unknown refs and cycles throw, naming file and line).
 */
export function parseProject(options: ParseOptions): ProjectGraph {
  return new ProjectParser(options).parse();
}
