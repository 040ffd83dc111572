import { escapeHtml } from './markup.js';

/** What a piece of SQL is, for colouring; `text` is everything else (spaces, operators). */
export type SqlTokenKind = 'keyword' | 'function' | 'string' | 'number' | 'comment' | 'jinja' | 'identifier' | 'text';

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
}

const KEYWORDS = new Set(
  `select from where group by order having limit offset with as on join left right inner outer full cross
   union all distinct intersect except and or not in is null true false case when then else end between
   like ilike exists insert into values update set delete merge using matched create replace table view
   temporary temp if drop alter add column partition cluster options over window qualify asc desc nulls
   first last interval cast safe_cast struct array unnest lateral returning begin commit rollback
   transaction declare execute immediate for do loop while return rows range preceding following
   current row unbounded recursive materialized primary key default constraint references`
    .split(/\s+/)
    .filter(Boolean),
);

const PATTERNS: [SqlTokenKind, RegExp][] = [
  ['jinja', /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/y],
  ['comment', /--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/y],
  ['string', /'(?:[^'\\]|\\[\s\S]|'')*(?:'|$)/y],
  ['identifier', /`(?:[^`\\]|\\[\s\S])*(?:`|$)|"(?:[^"]|"")*(?:"|$)/y],
  ['number', /\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/iy],
  ['text', /[A-Za-z_][A-Za-z0-9_$]*/y],
];

/** Splits SQL (with dbt's Jinja left in) into tokens; concatenating them gives the input back. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let plain = '';
  const flush = () => {
    if (plain) tokens.push({ kind: 'text', text: plain });
    plain = '';
  };
  let index = 0;
  outer: while (index < sql.length) {
    for (const [kind, pattern] of PATTERNS) {
      pattern.lastIndex = index;
      const match = pattern.exec(sql);
      if (!match || match[0].length === 0) continue;
      const text = match[0];
      index += text.length;
      if (kind === 'text') {
        const word = text.toLowerCase();
        if (KEYWORDS.has(word)) {
          flush();
          tokens.push({ kind: 'keyword', text });
        } else if (sql[index] === '(') {
          flush();
          tokens.push({ kind: 'function', text });
        } else {
          plain += text;
        }
      } else {
        flush();
        tokens.push({ kind, text });
      }
      continue outer;
    }
    plain += sql[index];
    index += 1;
  }
  flush();
  return tokens;
}

const CLASS: Record<SqlTokenKind, string | null> = {
  keyword: 'sql-k',
  function: 'sql-f',
  string: 'sql-s',
  number: 'sql-n',
  comment: 'sql-c',
  jinja: 'sql-j',
  identifier: 'sql-i',
  text: null,
};

/** SQL as escaped HTML with `<span class="sql-…">` around tokens worth colouring. */
export function highlightSql(sql: string): string {
  return tokenizeSql(sql)
    .map((token) => {
      const className = CLASS[token.kind];
      const text = escapeHtml(token.text);
      return className ? `<span class="${className}">${text}</span>` : text;
    })
    .join('');
}
