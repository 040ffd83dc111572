/**
 * GoogleSQL lexical pieces the generated statements need: identifiers quoted only when a
 * bare name would not parse (reserved words, odd characters), table paths, string literals.
 */

// https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#reserved_keywords
const RESERVED = new Set(
  (
    'ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS CUBE ' +
    'CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH ' +
    'FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER INTERSECT INTERVAL INTO IS ' +
    'JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER OVER ' +
    'PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT ' +
    'TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN WHERE WINDOW WITH WITHIN'
  ).split(' '),
);

const BARE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column or alias name, backquoted only when it has to be. */
export function ident(name: string): string {
  if (BARE.test(name) && !RESERVED.has(name.toUpperCase())) return name;
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/** `dataset.table` as one quoted path, resolved in the job's project. */
export function tablePath(dataset: string, table: string): string {
  return `\`${dataset}.${table}\``;
}

/** A double-quoted string literal (descriptions, label values in DDL). */
export function stringLiteral(text: string): string {
  return JSON.stringify(text);
}
