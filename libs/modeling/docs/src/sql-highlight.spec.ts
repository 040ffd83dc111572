import { describe, expect, it } from 'vitest';
import { highlightSql, tokenizeSql } from './sql-highlight.js';

describe('tokenizeSql', () => {
  it.each([
    "select a, count(*) from {{ ref('x') }} where b = 'it''s' -- note\n/* block */ group by 1",
    'select `project.dataset.t`.a, "Quoted ""id""" from t where x > 1.5e3',
    "{% if is_incremental() %} where d >= (select max(d) from {{ this }}) {% endif %}",
    "unterminated 'string",
    '',
  ])('gives the input back when joined: %j', (sql) => {
    expect(tokenizeSql(sql).map((token) => token.text).join('')).toBe(sql);
  });

  it('tells keywords, functions, strings, numbers, comments, Jinja and quoted identifiers apart', () => {
    const kinds = tokenizeSql("select count(id), 'a' from {{ ref('m') }} -- c\nwhere `x` = 2")
      .filter((token) => token.kind !== 'text')
      .map((token) => `${token.kind}:${token.text}`);
    expect(kinds).toEqual(['keyword:select', 'function:count', "string:'a'", 'keyword:from', "jinja:{{ ref('m') }}", 'comment:-- c', 'keyword:where', 'identifier:`x`', 'number:2']);
  });
});

describe('highlightSql', () => {
  it('escapes everything, inside and outside tokens', () => {
    const html = highlightSql("select '</script><b>' as x, a < b -- <i>\nfrom \"<t>\"");
    expect(html).not.toMatch(/<(?!\/?span)/);
    expect(html).toContain('<span class="sql-s">&#39;&lt;/script&gt;&lt;b&gt;&#39;</span>');
    expect(html).toContain('a &lt; b');
    expect(html).toContain('<span class="sql-c">-- &lt;i&gt;</span>');
    expect(html).toContain('<span class="sql-i">&quot;&lt;t&gt;&quot;</span>');
  });
});
