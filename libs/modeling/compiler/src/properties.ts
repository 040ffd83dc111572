import { readFileSync } from 'node:fs';
import type { Event } from 'js-yaml';
import { constructFromEvents, getScalarValue, parseEvents, YAMLException } from 'js-yaml';
import { ModelingError } from './errors.js';
import type { ColumnInfo, FreshnessRule, FreshnessThreshold, SourcePosition } from './graph.js';
import type { ConfigLayer } from './resource-config.js';
import { canonicalKey, TEST_CONFIG_KEYS } from './resource-config.js';
import { isPlainObject } from './template/python-values.js';

/**
 * Properties YAML (`version: 2` files beside the SQL): models, seeds, snapshots, sources and
 * unit_tests, read once each, every entry keeping the line it starts on.
 */

type Path = (string | number)[];

// js-yaml's event ids (EVENT_ID), spelled out so the hot loop compares numbers.
const SEQUENCE = 2;
const MAPPING = 3;
const SCALAR = 4;
const ALIAS = 5;
const POP = 6;
const SEPARATOR = '\u0001';

interface Frame {
  mapping: boolean;
  path: string;
  index: number;
  /** For mappings: the key awaiting its value, or null when a key comes next. */
  key: string | null;
}

/** Reads YAML with js-yaml's event stream, so every node's offset is known without a second parse. */
export function readYaml(text: string, file: string): { value: unknown; offsets: Map<string, number> } {
  let events: Event[];
  let value: unknown;
  try {
    events = parseEvents(text, { filename: file });
    value = constructFromEvents(events, { source: text, filename: file })[0] ?? null;
  } catch (error) {
    const line = error instanceof YAMLException && error.mark ? error.mark.line + 1 : 0;
    const reason = error instanceof YAMLException ? error.reason : String(error);
    throw new ModelingError('project_config', `invalid YAML: ${reason}`, { file, line }, { cause: error });
  }
  return { value, offsets: nodeOffsets(text, events) };
}

function nodeOffsets(text: string, events: readonly Event[]): Map<string, number> {
  const offsets = new Map<string, number>();
  const stack: Frame[] = [];
  // Where the next node goes: its path, or null when it is a mapping key.
  const place = (): string | null => {
    const frame = stack[stack.length - 1];
    if (!frame) return '';
    if (!frame.mapping) return `${frame.path}${SEPARATOR}${frame.index++}`;
    if (frame.key === null) return null;
    const path = `${frame.path}${SEPARATOR}${frame.key}`;
    frame.key = null;
    return path;
  };
  for (const event of events) {
    switch (event.type) {
      case MAPPING:
      case SEQUENCE: {
        const path = place() ?? '';
        offsets.set(path, event.start);
        stack.push({ mapping: event.type === MAPPING, path, index: 0, key: null });
        break;
      }
      case SCALAR: {
        const path = place();
        if (path === null) {
          const frame = stack[stack.length - 1] as Frame;
          frame.key = getScalarValue(text, event);
        } else offsets.set(path, event.valueStart);
        break;
      }
      case ALIAS: {
        const path = place();
        if (path === null) (stack[stack.length - 1] as Frame).key = '';
        break;
      }
      case POP:
        stack.pop();
        break;
    }
  }
  return offsets;
}

export class YamlFile {
  readonly value: unknown;
  private readonly offsets: Map<string, number>;
  private lineStarts: number[] | null = null;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    const { value, offsets } = readYaml(text, file);
    this.value = value;
    this.offsets = offsets;
  }

  /** The 1-based line where the node at `path` starts (0 if unknown). */
  position(path: Path): SourcePosition {
    const offset = this.offsets.get(path.length === 0 ? '' : `${SEPARATOR}${path.join(SEPARATOR)}`);
    return { file: this.file, line: offset === undefined ? 0 : this.lineOf(offset) };
  }

  private lineOf(offset: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

export interface TestDeclaration {
  /** e.g. `not_null`, or `my_test` for a custom generic test. */
  test_name: string;
  namespace: string | null;
  column_name: string | null;
  args: Record<string, unknown>;
  config: ConfigLayer;
  custom_name: string | null;
  position: SourcePosition;
}

export interface ResourcePatch {
  kind: 'models' | 'seeds' | 'snapshots';
  name: string;
  description: string;
  config: ConfigLayer;
  columns: Record<string, ColumnInfo>;
  tests: TestDeclaration[];
  position: SourcePosition;
}

export interface SourceTableSpec {
  source_name: string;
  name: string;
  source_description: string;
  description: string;
  database: string | null;
  schema: string;
  identifier: string;
  loader: string;
  loaded_at_field: string | null;
  freshness: FreshnessRule | null;
  columns: Record<string, ColumnInfo>;
  tests: TestDeclaration[];
  config: ConfigLayer;
  meta: Record<string, unknown>;
  tags: string[];
  position: SourcePosition;
}

export interface FixtureSpec {
  format: 'dict' | 'csv' | 'sql';
  rows: unknown;
  fixture: string | null;
}

export interface UnitTestSpec {
  name: string;
  model: string;
  description: string;
  given: (FixtureSpec & { input: string; position: SourcePosition })[];
  expect: FixtureSpec;
  overrides: { macros: Record<string, unknown>; vars: Record<string, unknown>; env_vars: Record<string, string> };
  config: ConfigLayer;
  position: SourcePosition;
}

export interface PropertiesFile {
  file: string;
  yaml: YamlFile;
  patches: ResourcePatch[];
  sources: SourceTableSpec[];
  unitTests: UnitTestSpec[];
}

function bad(position: SourcePosition, detail: string): ModelingError {
  return new ModelingError('project_config', detail, position);
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function list(yaml: YamlFile, path: Path, value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(yaml.position(path), `'${what}' must be a list`);
  return value;
}

function mapping(yaml: YamlFile, path: Path, value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw bad(yaml.position(path), `'${what}' must be a mapping`);
  return value;
}

function stringTags(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function readPropertiesFile(file: string, absolutePath: string): PropertiesFile {
  const yaml = new YamlFile(file, readFileSync(absolutePath, 'utf8'));
  const out: PropertiesFile = { file, yaml, patches: [], sources: [], unitTests: [] };
  if (yaml.value === null || yaml.value === undefined) return out;
  if (!isPlainObject(yaml.value)) throw bad({ file, line: 1 }, 'a properties file must be a mapping (version: 2, models: …)');
  const root = yaml.value;
  for (const kind of ['models', 'seeds', 'snapshots'] as const) {
    list(yaml, [kind], root[kind], kind).forEach((entry, i) => out.patches.push(readPatch(yaml, kind, entry, [kind, i])));
  }
  list(yaml, ['sources'], root['sources'], 'sources').forEach((entry, i) => out.sources.push(...readSource(yaml, entry, ['sources', i])));
  list(yaml, ['unit_tests'], root['unit_tests'], 'unit_tests').forEach((entry, i) => out.unitTests.push(readUnitTest(yaml, entry, ['unit_tests', i])));
  return out;
}

function readColumns(yaml: YamlFile, value: unknown, path: Path): { columns: Record<string, ColumnInfo>; tests: TestDeclaration[] } {
  const columns: Record<string, ColumnInfo> = {};
  const tests: TestDeclaration[] = [];
  list(yaml, path, value, 'columns').forEach((entry, i) => {
    const at = [...path, i];
    if (!isPlainObject(entry) || typeof entry['name'] !== 'string' && typeof entry['name'] !== 'number') {
      throw bad(yaml.position(at), `every column needs a 'name'`);
    }
    const name = String(entry['name']);
    columns[name] = {
      name,
      description: text(entry['description']),
      data_type: entry['data_type'] === undefined || entry['data_type'] === null ? null : String(entry['data_type']),
      meta: mapping(yaml, [...at, 'meta'], entry['meta'], 'meta'),
      tags: stringTags(entry['tags']),
      quote: typeof entry['quote'] === 'boolean' ? entry['quote'] : null,
    };
    for (const key of ['data_tests', 'tests']) {
      list(yaml, [...at, key], entry[key], key).forEach((test, j) => tests.push(readTest(yaml, test, [...at, key, j], name)));
    }
  });
  return { columns, tests };
}

function readTableTests(yaml: YamlFile, entry: Record<string, unknown>, path: Path): TestDeclaration[] {
  const tests: TestDeclaration[] = [];
  for (const key of ['data_tests', 'tests']) {
    list(yaml, [...path, key], entry[key], key).forEach((test, j) => tests.push(readTest(yaml, test, [...path, key, j], null)));
  }
  return tests;
}

function readPatch(yaml: YamlFile, kind: ResourcePatch['kind'], entry: unknown, path: Path): ResourcePatch {
  const position = yaml.position(path);
  if (!isPlainObject(entry) || typeof entry['name'] !== 'string') throw bad(position, `every entry under '${kind}' needs a 'name'`);
  if (entry['versions'] !== undefined) {
    throw new ModelingError('unsupported', `model versions ('versions:' on '${entry['name']}') are not supported by this compiler`, position);
  }
  const config: ConfigLayer = {};
  // Top-level tags/meta are the older spelling of config tags/meta; dbt still merges them.
  if (entry['tags'] !== undefined) config['tags'] = stringTags(entry['tags']);
  if (entry['meta'] !== undefined) config['meta'] = mapping(yaml, [...path, 'meta'], entry['meta'], 'meta');
  if (entry['docs'] !== undefined) config['docs'] = entry['docs'];
  for (const [key, value] of Object.entries(mapping(yaml, [...path, 'config'], entry['config'], 'config'))) config[canonicalKey(key)] = value;
  const { columns, tests } = readColumns(yaml, entry['columns'], [...path, 'columns']);
  return {
    kind,
    name: entry['name'],
    description: text(entry['description']),
    config,
    columns,
    tests: [...readTableTests(yaml, entry, path), ...tests],
    position,
  };
}

/**
 * One entry of `data_tests:`. Accepted forms: `- not_null`, `- unique: {config: {…}}`,
 * `- accepted_values: {values: […], severity: warn}`, `- relationships: {arguments: {to: …, field: …}}`,
 * and a `name:` giving the test a custom name.
 */
function readTest(yaml: YamlFile, entry: unknown, path: Path, column: string | null): TestDeclaration {
  const position = yaml.position(path);
  let fullName: string;
  let body: Record<string, unknown> = {};
  if (typeof entry === 'string') fullName = entry;
  else if (isPlainObject(entry) && Object.keys(entry).length === 1) {
    const [key, value] = Object.entries(entry)[0] as [string, unknown];
    fullName = key;
    if (value !== null && value !== undefined) {
      if (!isPlainObject(value)) throw bad(position, `test '${key}' must map to its arguments`);
      body = value;
    }
  } else if (isPlainObject(entry) && typeof entry['test_name'] === 'string') {
    fullName = entry['test_name'];
    body = Object.fromEntries(Object.entries(entry).filter(([k]) => k !== 'test_name'));
  } else {
    throw bad(position, `cannot read test ${JSON.stringify(entry)}: expected a test name or {test_name: {arguments}}`);
  }
  const dot = fullName.lastIndexOf('.');
  const namespace = dot >= 0 ? fullName.slice(0, dot) : null;
  const testName = dot >= 0 ? fullName.slice(dot + 1) : fullName;
  const args: Record<string, unknown> = {};
  let config: ConfigLayer = {};
  let customName: string | null = null;
  let columnName = column;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'config') config = Object.assign({}, config, mapping(yaml, [...path, fullName, 'config'], value, 'config'));
    else if (key === 'arguments') Object.assign(args, mapping(yaml, [...path, fullName, 'arguments'], value, 'arguments'));
    else if (key === 'name') customName = String(value);
    else if (key === 'column_name') columnName = String(value);
    else if (key === 'description') continue;
    else if (TEST_CONFIG_KEYS.has(key)) config[key] = value;
    else args[key] = value;
  }
  const normalised: ConfigLayer = {};
  for (const [key, value] of Object.entries(config)) normalised[canonicalKey(key)] = value;
  return { test_name: testName, namespace, column_name: columnName, args, config: normalised, custom_name: customName, position };
}

const PERIODS = ['minute', 'hour', 'day'] as const;

function threshold(yaml: YamlFile, path: Path, value: unknown): FreshnessThreshold | null {
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value)) throw bad(yaml.position(path), `freshness thresholds look like {count: 12, period: hour}`);
  const count = Number(value['count']);
  const period = value['period'];
  if (!Number.isFinite(count) || count < 0 || !PERIODS.includes(period as (typeof PERIODS)[number])) {
    throw bad(yaml.position(path), `freshness threshold needs a count and a period of minute, hour or day, got ${JSON.stringify(value)}`);
  }
  return { count, period: period as FreshnessThreshold['period'] };
}

function freshness(yaml: YamlFile, path: Path, value: unknown): FreshnessRule | null {
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value)) throw bad(yaml.position(path), `'freshness' must be a mapping with warn_after and/or error_after`);
  const rule = {
    warn_after: threshold(yaml, [...path, 'warn_after'], value['warn_after']),
    error_after: threshold(yaml, [...path, 'error_after'], value['error_after']),
    filter: typeof value['filter'] === 'string' ? value['filter'] : null,
  };
  return rule.warn_after || rule.error_after ? rule : null;
}

function readSource(yaml: YamlFile, entry: unknown, path: Path): SourceTableSpec[] {
  const position = yaml.position(path);
  if (!isPlainObject(entry) || typeof entry['name'] !== 'string') throw bad(position, `every source needs a 'name'`);
  const sourceName = entry['name'];
  const sourceConfig = mapping(yaml, [...path, 'config'], entry['config'], 'config');
  const sourceFreshnessValue = Object.hasOwn(entry, 'freshness') ? entry['freshness'] : sourceConfig['freshness'];
  const sourceFreshness = freshness(yaml, [...path, 'freshness'], sourceFreshnessValue);
  const sourceLoadedAt = (entry['loaded_at_field'] ?? sourceConfig['loaded_at_field']) as string | undefined;
  const sourceTags = [...stringTags(entry['tags']), ...stringTags(sourceConfig['tags'])];
  const sourceMeta = Object.assign({}, mapping(yaml, [...path, 'meta'], entry['meta'], 'meta'), mapping(yaml, [...path, 'config', 'meta'], sourceConfig['meta'], 'meta'));
  return list(yaml, [...path, 'tables'], entry['tables'], 'tables').map((table, i) => {
    const at = [...path, 'tables', i];
    if (!isPlainObject(table) || typeof table['name'] !== 'string') throw bad(yaml.position(at), `every table of source '${sourceName}' needs a 'name'`);
    const tableConfig = mapping(yaml, [...at, 'config'], table['config'], 'config');
    // A table's `freshness: null` switches freshness off; absent means inherit the source's.
    const hasOwnFreshness = Object.hasOwn(table, 'freshness') || Object.hasOwn(tableConfig, 'freshness');
    const tableFreshness = hasOwnFreshness
      ? freshness(yaml, [...at, 'freshness'], Object.hasOwn(table, 'freshness') ? table['freshness'] : tableConfig['freshness'])
      : sourceFreshness;
    const { columns, tests } = readColumns(yaml, table['columns'], [...at, 'columns']);
    const loadedAt = (table['loaded_at_field'] ?? tableConfig['loaded_at_field'] ?? sourceLoadedAt) as string | undefined;
    return {
      source_name: sourceName,
      name: table['name'],
      source_description: text(entry['description']),
      description: text(table['description']),
      database: entry['database'] === undefined || entry['database'] === null ? null : String(entry['database']),
      schema: String(entry['schema'] ?? sourceName),
      identifier: String(table['identifier'] ?? table['name']),
      loader: text(entry['loader']),
      loaded_at_field: loadedAt === undefined || loadedAt === null ? null : String(loadedAt),
      freshness: tableFreshness,
      columns,
      tests: [...readTableTests(yaml, table, at), ...tests],
      config: Object.assign({}, sourceConfig, tableConfig),
      meta: Object.assign({}, sourceMeta, mapping(yaml, [...at, 'meta'], table['meta'], 'meta'), mapping(yaml, [...at, 'config', 'meta'], tableConfig['meta'], 'meta')),
      tags: [...new Set([...sourceTags, ...stringTags(table['tags']), ...stringTags(tableConfig['tags'])])],
      position: yaml.position(at),
    };
  });
}

function fixture(yaml: YamlFile, path: Path, value: Record<string, unknown>): FixtureSpec {
  const format = value['format'] ?? 'dict';
  if (format !== 'dict' && format !== 'csv' && format !== 'sql') throw bad(yaml.position(path), `fixture format must be dict, csv or sql, got ${JSON.stringify(format)}`);
  return { format, rows: value['rows'] ?? null, fixture: typeof value['fixture'] === 'string' ? value['fixture'] : null };
}

function readUnitTest(yaml: YamlFile, entry: unknown, path: Path): UnitTestSpec {
  const position = yaml.position(path);
  if (!isPlainObject(entry) || typeof entry['name'] !== 'string') throw bad(position, `every unit test needs a 'name'`);
  if (typeof entry['model'] !== 'string') throw bad(position, `unit test '${entry['name']}' needs a 'model'`);
  const given = list(yaml, [...path, 'given'], entry['given'], 'given').map((item, i) => {
    const at = [...path, 'given', i];
    if (!isPlainObject(item) || typeof item['input'] !== 'string') throw bad(yaml.position(at), `every 'given' needs an 'input' such as ref('stg_orders')`);
    return Object.assign(fixture(yaml, at, item), { input: item['input'], position: yaml.position(at) });
  });
  const expectValue = mapping(yaml, [...path, 'expect'], entry['expect'], 'expect');
  const overrides = mapping(yaml, [...path, 'overrides'], entry['overrides'], 'overrides');
  return {
    name: entry['name'],
    model: entry['model'],
    description: text(entry['description']),
    given,
    expect: fixture(yaml, [...path, 'expect'], expectValue),
    overrides: {
      macros: mapping(yaml, [...path, 'overrides', 'macros'], overrides['macros'], 'macros'),
      vars: mapping(yaml, [...path, 'overrides', 'vars'], overrides['vars'], 'vars'),
      env_vars: Object.fromEntries(Object.entries(mapping(yaml, [...path, 'overrides', 'env_vars'], overrides['env_vars'], 'env_vars')).map(([k, v]) => [k, String(v)])),
    },
    config: mapping(yaml, [...path, 'config'], entry['config'], 'config'),
    position,
  };
}
