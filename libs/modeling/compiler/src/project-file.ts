import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ModelingError } from './errors.js';
import type { ProjectConfig } from './graph.js';
import { readYaml } from './properties.js';
import { isPlainObject } from './template/python-values.js';

/** The resource-config trees of dbt_project.yml (`models:`, `seeds:` …), as written. */
export interface ProjectConfigTrees {
  models: Record<string, unknown>;
  seeds: Record<string, unknown>;
  snapshots: Record<string, unknown>;
  data_tests: Record<string, unknown>;
  sources: Record<string, unknown>;
  unit_tests: Record<string, unknown>;
}

export interface LoadedProject {
  config: ProjectConfig;
  trees: ProjectConfigTrees;
}

const FILE = 'dbt_project.yml';

export function readYamlFile(path: string, displayPath: string): unknown {
  return readYaml(readFileSync(path, 'utf8'), displayPath).value;
}

function stringList(value: unknown, key: string, fallback: string[]): string[] {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ModelingError('project_config', `'${key}' must be a list of paths`, { file: FILE, line: 0 });
}

function tree(value: unknown, key: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new ModelingError('project_config', `'${key}' must be a mapping`, { file: FILE, line: 0 });
  return value;
}

/** Reads dbt_project.yml. `profile` is read for the manifest but never used to connect. */
export function loadProjectFile(projectDir: string): LoadedProject {
  const root = resolve(projectDir);
  const path = resolve(root, FILE);
  if (!existsSync(path)) {
    throw new ModelingError('project_config', `no ${FILE} in ${root}: not a dbt project folder`);
  }
  const raw = readYamlFile(path, FILE);
  if (!isPlainObject(raw)) throw new ModelingError('project_config', `${FILE} must be a mapping`, { file: FILE, line: 0 });
  const name = raw['name'];
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ModelingError('project_config', `'name' must be a valid identifier (letters, digits, underscores), got ${JSON.stringify(name)}`, {
      file: FILE,
      line: 0,
    });
  }
  const vars = tree(raw['vars'], 'vars');
  // Vars may be global or scoped to a package (`vars: {<project>: {...}}`); ours see both.
  const scoped = isPlainObject(vars[name]) ? (vars[name] as Record<string, unknown>) : {};
  const globalVars = Object.fromEntries(Object.entries(vars).filter(([key]) => key !== name));
  const config: ProjectConfig = {
    name,
    version: raw['version'] === undefined || raw['version'] === null ? null : String(raw['version']),
    profile: typeof raw['profile'] === 'string' ? raw['profile'] : null,
    root,
    model_paths: stringList(raw['model-paths'] ?? raw['source-paths'], 'model-paths', ['models']),
    seed_paths: stringList(raw['seed-paths'] ?? raw['data-paths'], 'seed-paths', ['seeds']),
    snapshot_paths: stringList(raw['snapshot-paths'], 'snapshot-paths', ['snapshots']),
    test_paths: stringList(raw['test-paths'], 'test-paths', ['tests']),
    macro_paths: stringList(raw['macro-paths'], 'macro-paths', ['macros']),
    target_path: typeof raw['target-path'] === 'string' ? raw['target-path'] : 'target',
    vars: { ...globalVars, ...scoped },
  };
  return {
    config,
    trees: {
      models: tree(raw['models'], 'models'),
      seeds: tree(raw['seeds'], 'seeds'),
      snapshots: tree(raw['snapshots'], 'snapshots'),
      data_tests: { ...tree(raw['tests'], 'tests'), ...tree(raw['data_tests'], 'data_tests') },
      sources: tree(raw['sources'], 'sources'),
      unit_tests: tree(raw['unit_tests'], 'unit_tests'),
    },
  };
}

/** dbt's `--vars '{key: value}'`: a YAML (or JSON) mapping. */
export function parseVarsArgument(text: string): Record<string, unknown> {
  const value = text.trim() === '' ? {} : readYaml(text, '--vars').value;
  if (!isPlainObject(value)) {
    throw new ModelingError('project_config', `--vars must be a YAML mapping such as '{start_date: "2024-01-01"}', got ${JSON.stringify(text)}`);
  }
  return value;
}
