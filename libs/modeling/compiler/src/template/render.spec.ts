import { describe, expect, it } from 'vitest';
import { ModelingError } from '../errors.js';
import { parseTemplate } from './parser.js';
import { MacroReturn } from './python-values.js';
import { TemplateRenderer } from './render.js';

function render(source: string, globals: Record<string, unknown> = {}): string {
  const ast = parseTemplate(source, { file: 'models/m.sql' });
  return new TemplateRenderer().render(ast.body, globals, ast.file);
}

function failure(run: () => unknown): ModelingError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModelingError) return error;
    throw error;
  }
  throw new Error('expected a ModelingError');
}

describe('the Jinja subset', () => {
  const cases: [string, string, string, Record<string, unknown>?][] = [
    ['prints text as is', 'select 1', 'select 1'],
    ['prints expressions', '{{ 1 + 2 }}', '3'],
    ['concatenates with ~', "{{ 'a' ~ 1 ~ none }}", 'a1None'],
    ['prints Python literals', '{{ true }} {{ False }} {{ none }}', 'True False None'],
    ['prints lists and dicts as Python would', "{{ ['a', 1] }} {{ {'k': 'v'} }}", "['a', 1] {'k': 'v'}"],
    ['keeps a dict literal inside {{ }}', "{{ {'a': {'b': 1}}['a']['b'] }}", '1'],
    ['indexes from the end', '{{ [1, 2, 3][-1] }}', '3'],
    ['slices', "{{ 'abcdef'[1:3] }} {{ [1, 2, 3, 4][::2] }}", 'bc [1, 3]'],
    ['applies precedence', '{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 }} {{ 7 // 2 }} {{ 7 % 3 }}', '7 9 8 3 1'],
    ['compares and chains', '{{ 1 < 2 < 3 }} {{ 3 > 2 > 5 }} {{ "a" in "cat" }} {{ 4 not in [1, 2] }}', 'True False True True'],
    ['short-circuits and returns operands', "{{ none or 'x' }} {{ 0 and 1 }}", 'x 0'],
    ['evaluates inline if', "{{ 'y' if 1 > 0 else 'n' }}{{ 'y' if false }}", 'y'],
    ['branches with if/elif/else', '{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %}', 'two', { x: 2 }],
    ['treats empty collections as false', '{% if [] %}a{% elif {} %}b{% elif "" %}c{% else %}d{% endif %}', 'd'],
    ['loops with loop variables', '{% for c in ["a", "b", "c"] %}{{ loop.index }}{{ c }}{% if not loop.last %},{% endif %}{% endfor %}', '1a,2b,3c'],
    ['loops over dict items with unpacking', "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}", 'a=1;b=2;'],
    ['filters a loop and falls back to else', '{% for n in [1, 2, 3] if n > 5 %}{{ n }}{% else %}none{% endfor %}', 'none'],
    ['scopes loop sets to the loop', '{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}', '1'],
    ['carries state out of loops with namespace()', '{% set ns = namespace(total=0) %}{% for i in [1, 2, 3] %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}', '6'],
    ['sets tuples', '{% set a, b = [1, 2] %}{{ b }}{{ a }}', '21'],
    ['captures blocks with set/endset', '{% set sql %}select {{ 1 }}{% endset %}[{{ sql }}]', '[select 1]'],
    ['appends with do', '{% set xs = [] %}{% do xs.append(1) %}{% do xs.extend([2, 3]) %}{{ xs | join(",") }}', '1,2,3'],
    ['defines and calls macros', "{% macro m(a, b='d') %}<{{ a }}{{ b }}>{% endmacro %}{{ m(1) }}{{ m(2, b='x') }}", '<1d><2x>'],
    ['returns values from macros', '{% macro two() %}{{ return([1, 2]) }}{% endmacro %}{{ two() | length }}', '2', { return: returnFunction() }],
    ['strips whitespace with -', 'a  \n  {%- if true -%}  \n  b  \n  {%- endif %}', 'ab'],
    ['drops one trailing newline, like Jinja', 'select 1\n', 'select 1'],
    ['ignores comments', 'a{# ignored {{ x }} #}b', 'ab'],
    ['keeps raw blocks raw', '{% raw %}{{ not rendered }}{% endraw %}', '{{ not rendered }}'],
    ['calls Python string methods', "{{ ' Ab '.strip().upper() }} {{ 'a,b'.split(',') }} {{ 'x'.startswith('x') }} {{ 'a{}c'.format('b') }}", "AB ['a', 'b'] True abc"],
    ['calls Python dict methods', "{{ {'a': 1}.get('b', 2) }} {{ {'a': 1}.keys() | list }}", "2 ['a']"],
    ['applies filters', "{{ 'a' | upper }} {{ [3, 1, 2] | sort | join('-') }} {{ none | default('d') }} {{ x | default('u') }} {{ 'x' | replace('x', 'y') }}", 'A 1-2-3 None u y'],
    ['maps attributes and selects', "{{ [{'n': 1}, {'n': 2}] | map(attribute='n') | join }} {{ [1, 2, 3, 4] | select('even') | list }}", '12 [2, 4]'],
    ['runs tests', '{{ x is defined }} {{ none is none }} {{ 4 is divisibleby 2 }} {{ 3 is not even }} {{ "a" is string }}', 'False True True True True'],
    ['formats with %', "{{ '%s-%s' % ('a', 1) }}", 'a-1'],
    ['prints an undefined name as empty', '[{{ missing }}]', '[]'],
    ['builds ranges', '{{ range(3) | list }} {{ range(1, 7, 2) | list }}', '[0, 1, 2] [1, 3, 5]'],
  ];

  it.each(cases)('%s', (_name, source, expected, globals) => {
    expect(render(source, globals)).toBe(expected);
  });

  it('passes keyword arguments to functions as a trailing Kwargs', () => {
    const seen: unknown[] = [];
    render("{{ f(1, b=2) }}", { f: (...args: unknown[]) => seen.push(...args) });
    expect(seen[0]).toBe(1);
    expect(seen[1]).toMatchObject({ values: { b: 2 } });
  });
});

function returnFunction() {
  return (value: unknown) => {
    throw new MacroReturn(value);
  };
}

describe('template errors name the file and line', () => {
  const cases: [string, string, string, number][] = [
    ['an unclosed if', 'select 1\n{% if x %}\nwhere', "'{% if %}' is never closed", 2],
    ['an unknown tag', 'a\n\n{% frobnicate %}', "unknown tag 'frobnicate'", 3],
    ['an unterminated string', "select\n{{ 'abc }}", 'unterminated string literal', 2],
    ['a stray endfor', 'x\n{% endfor %}', "unexpected '{% endfor %}'", 2],
    ['a call tag', '{% call statement("x") %}{% endcall %}', "the '{% call %}' tag is not supported", 1],
    ['an unclosed expression', 'select {{ 1 + ', 'missing }}', 1],
  ];

  it.each(cases)('%s', (_name, source, message, line) => {
    const error = failure(() => parseTemplate(source, { file: 'models/broken.sql' }));
    expect(error.code).toBe('template_syntax');
    expect(error.position).toEqual({ file: 'models/broken.sql', line });
    expect(error.message).toContain(`models/broken.sql:${line}:`);
    expect(error.message).toContain(message);
  });

  it('reports a call to something undefined at the line of the call', () => {
    const error = failure(() => render('select\n  1,\n  {{ nope("x") }}'));
    expect(error.code).toBe('template_render');
    expect(error.message).toBe("models/m.sql:3: 'nope' is undefined");
  });

  it.each([
    ["{{ adapter.get_relation('x') }}", { adapter: { quote: () => '' } }, "models/m.sql:1: 'dict object' has no attribute 'get_relation'"],
    ['{{ dbt_utils.star(x) }}', {}, "models/m.sql:1: 'dbt_utils' is undefined"],
    ['{{ none.x.y }}', {}, "models/m.sql:1: 'NoneType' has no attribute 'x'"],
  ])('explains %s', (source, globals, message) => {
    expect(failure(() => render(source, globals)).message).toBe(message);
  });

  it('reports an error thrown by a global at the line of the call, inside loops too', () => {
    const boom = () => {
      throw new Error('boom');
    };
    const error = failure(() => render('{% for i in [1, 2] %}\n{% if i == 2 %}\n{{ boom() }}\n{% endif %}\n{% endfor %}', { boom }));
    expect(error.message).toBe('models/m.sql:3: boom');
  });

  it('lets a global read the line it was called from', () => {
    const renderer = new TemplateRenderer();
    const lines: number[] = [];
    const ast = parseTemplate("select *\nfrom {{ ref('a') }}\n{% for x in [1, 2] %}\njoin {{ ref('b') }}\n{% endfor %}", { file: 'models/m.sql' });
    renderer.render(ast.body, { ref: () => lines.push(renderer.position.line) }, ast.file);
    expect(lines).toEqual([2, 4, 4]);
  });
});
