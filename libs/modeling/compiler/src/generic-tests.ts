import { createHash } from 'node:crypto';
import type { TemplateAst } from './template/ast.js';
import { parseTemplate } from './template/parser.js';
import { isPlainObject, repr, str } from './template/python-values.js';

/**
 * dbt's four built-in generic tests, as dbt-core defines them: each selects the failing rows.
 * `model` arrives already wrapped by the `where` config (get_where_subquery).
 */
const BUILT_IN_SQL: Record<string, string> = {
  not_null: `select {{ column_name }}
from {{ model }}
where {{ column_name }} is null
`,
  unique: `select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
`,
  accepted_values: `with all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field not in (
    {% for value in values -%}
        {% if quote -%}
        {{ dbt.string_literal(value | string) }}
        {%- else -%}
        {{ value }}
        {%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)
`,
  relationships: `with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field
    from {{ to }}
)
select
    from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
`,
};

export const BUILT_IN_TESTS = new Set(Object.keys(BUILT_IN_SQL));

const parsed = new Map<string, TemplateAst>();

export function builtInTestTemplate(name: string): TemplateAst {
  let ast = parsed.get(name);
  if (!ast) {
    ast = parseTemplate(BUILT_IN_SQL[name] ?? '', { file: `dbt/macros/generic_test_sql/${name}.sql` });
    parsed.set(name, ast);
  }
  return ast;
}

/** Arguments every built-in test needs besides `model` and `column_name`. */
export const REQUIRED_TEST_ARGS: Record<string, string[]> = {
  accepted_values: ['values'],
  relationships: ['to', 'field'],
};

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/**
 * dbt's `synthesize_generic_test_names`: `<test>_<target>_<args…>`, cleaned to [0-9a-zA-Z_].
 * `full` names the node (unique_id, fqn, alias); `short` names its compiled file, shortened
 * with an md5 when the full name would reach 64 characters.
 */
export function genericTestName(testType: string, targetName: string, args: Record<string, unknown>): { full: string; short: string } {
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const value = args[key];
    const parts = isPlainObject(value) ? Object.values(value) : Array.isArray(value) ? value : [value];
    flat.push(...parts.map((part) => str(part)));
  }
  const unique = flat.map((arg) => arg.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const identifier = `${testType}_${targetName}`;
  const fullName = unique === '' ? identifier : `${identifier}_${unique}`;
  return { full: fullName, short: fullName.length >= 64 ? `${identifier.slice(0, 30)}_${md5(fullName)}` : fullName };
}

/**
 * dbt-core's `get_hashable_md` then `repr`: dict keys sorted, lists kept, every other value
 * through Python's `str` (so `None`, `True`, numbers as text).
 */
function hashable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hashable);
  if (isPlainObject(value)) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, hashable(value[key])]));
  return value === undefined ? 'None' : str(value);
}

/**
 * The 10-character suffix of a generic test's unique_id, as dbt-core computes it: the md5 of
 * the node name followed by the repr of its test metadata (`namespace`, `name`, `kwargs`).
 */
export function testHash(name: string, test: { name: string; namespace: string | null; kwargs: Record<string, unknown> }): string {
  return md5(`${name}${repr(hashable({ namespace: test.namespace, name: test.name, kwargs: test.kwargs }))}`).slice(-10);
}
