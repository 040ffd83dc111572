import { silentLogger } from '@sp01/core';
import { describe, expect, it } from 'vitest';
import { writeProject } from './__fixtures__/project-files.js';
import { ModelingError } from './errors.js';
import { parseProject } from './parse.js';

function parseError(files: Record<string, string>): ModelingError {
  try {
    parseProject({ projectDir: writeProject(files) });
  } catch (error) {
    if (error instanceof ModelingError) return error;
    throw error;
  }
  throw new Error('expected the project not to parse');
}

describe('DAG validation names the file and line', () => {
  it('of every ref along a cycle', () => {
    const error = parseError({
      'models/a.sql': "select *\nfrom {{ ref('c') }}",
      'models/b.sql': "-- b reads a\n\nselect * from {{ ref('a') }}",
      'models/c.sql': "select 1 as x\nunion all\nselect * from {{ ref('b') }}",
      'models/d.sql': "select * from {{ ref('a') }}",
    });
    expect(error.code).toBe('dependency_cycle');
    expect(error.message).toBe(
      [
        'models/a.sql:2: found a cycle: model.demo.a -> model.demo.c -> model.demo.b -> model.demo.a',
        "  model.demo.a -> model.demo.c (ref('c') at models/a.sql:2)",
        "  model.demo.c -> model.demo.b (ref('b') at models/c.sql:3)",
        "  model.demo.b -> model.demo.a (ref('a') at models/b.sql:3)",
      ].join('\n'),
    );
    expect(error.related).toEqual([
      { file: 'models/a.sql', line: 2 },
      { file: 'models/c.sql', line: 3 },
      { file: 'models/b.sql', line: 3 },
    ]);
  });

  it('of a model that refs itself', () => {
    const error = parseError({ 'models/self.sql': "select 1\n{% if true %}\nunion all select * from {{ ref('self') }}\n{% endif %}" });
    expect(error.code).toBe('dependency_cycle');
    expect(error.position).toEqual({ file: 'models/self.sql', line: 3 });
  });

  it.each<[string, Record<string, string>, string, string]>([
    [
      'an unknown ref, with a suggestion',
      { 'models/stg_orders.sql': 'select 1', 'models/orders.sql': "with o as (\n  select * from {{ ref('stg_ordrs') }}\n)\nselect * from o" },
      'unknown_ref',
      "models/orders.sql:2: model 'orders' depends on a node named 'stg_ordrs' which was not found (did you mean 'stg_orders'?)",
    ],
    [
      'an unknown ref inside a loop',
      { 'models/m.sql': "{% for t in ['a', 'b'] %}\nselect * from {{ ref(t) }}\n{% endfor %}", 'models/a.sql': 'select 1' },
      'unknown_ref',
      "models/m.sql:2: model 'm' depends on a node named 'b' which was not found",
    ],
    [
      'an unknown source',
      {
        'models/m.sql': "select *\nfrom {{ source('raw', 'top_ups') }}",
        'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: top_up\n',
      },
      'unknown_source',
      "models/m.sql:2: model 'm' depends on a source named 'raw.top_ups' which was not found (did you mean 'raw.top_up'?)",
    ],
    [
      'a ref to a disabled model',
      { 'models/off.sql': '{{ config(enabled=false) }} select 1', 'models/m.sql': "select * from {{ ref('off') }}" },
      'disabled_ref',
      "models/m.sql:1: model 'm' depends on 'off', which is disabled (enabled: false)",
    ],
    [
      "a relationships test's unknown target",
      {
        'models/m.sql': 'select 1 as id',
        'models/schema.yml': "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('nope')\n              field: id\n",
      },
      'unknown_ref',
      "models/schema.yml:7: test 'relationships_m_id__id__ref_nope_' depends on a node named 'nope' which was not found",
    ],
    [
      'a singular test reading an unknown model',
      { 'tests/t.sql': "select *\nfrom {{ ref('gone') }}\nwhere 1 = 0" },
      'unknown_ref',
      "tests/t.sql:2: test 't' depends on a node named 'gone' which was not found",
    ],
    [
      'a package ref',
      { 'models/m.sql': "select * from {{ ref('dbt_utils', 'x') }}" },
      'unsupported',
      "models/m.sql:1: ref('dbt_utils', 'x') points into package 'dbt_utils'; packages are not supported by this compiler",
    ],
    [
      'a versioned ref',
      { 'models/a.sql': 'select 1', 'models/m.sql': "select * from {{ ref('a', v=2) }}" },
      'unsupported',
      "models/m.sql:1: ref('a', v=2): model versions are not supported by this compiler",
    ],
    [
      'two models with one name',
      { 'models/one/m.sql': 'select 1', 'models/two/m.sql': 'select 2' },
      'duplicate_resource',
      'models/two/m.sql:1: dbt found two resources with the name "m": models/one/m.sql and models/two/m.sql',
    ],
    [
      'a package test',
      { 'models/m.sql': 'select 1', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    data_tests:\n      - dbt_utils.expression_is_true:\n          expression: "1 = 1"\n' },
      'unsupported',
      "models/schema.yml:5: test 'dbt_utils.expression_is_true' comes from package 'dbt_utils'; packages are not supported by this compiler",
    ],
    [
      'broken YAML',
      { 'models/m.sql': 'select 1', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n   bad: [\n' },
      'project_config',
      'models/schema.yml:',
    ],
    [
      'a python model',
      { 'models/m.py': 'def model(dbt, session): pass' },
      'unsupported',
      'models/m.py:1: python models are not supported by this compiler',
    ],
  ])('for %s', (_name, files, code, message) => {
    const error = parseError(files);
    expect(error.code).toBe(code);
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('but only warns, as dbt does, about YAML for a model that does not exist', () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const dir = writeProject({ 'models/m.sql': 'select 1', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n  - name: ghost\n    data_tests: [unique]\n' });
    const graph = parseProject({ projectDir: dir, logger });
    expect(warnings).toEqual([
      "models/schema.yml:4: did not find matching node for patch with name 'ghost' in the 'models' section; its description and tests are ignored",
    ]);
    expect([...graph.nodes.keys()]).toEqual(['model.demo.m']);
  });

  it('for a project folder without dbt_project.yml', () => {
    expect(() => parseProject({ projectDir: '/nonexistent/project' })).toThrow(/no dbt_project\.yml in \/nonexistent\/project/);
  });
});
