/** The Jinja subset dbt projects use, as a tree. Every node knows its 1-based line. */

export type Expr =
  | { kind: 'literal'; line: number; value: string | number | boolean | null }
  | { kind: 'name'; line: number; name: string }
  | { kind: 'list'; line: number; items: Expr[] }
  | { kind: 'tuple'; line: number; items: Expr[] }
  | { kind: 'dict'; line: number; entries: [Expr, Expr][] }
  | { kind: 'getattr'; line: number; object: Expr; name: string }
  | { kind: 'getitem'; line: number; object: Expr; key: Expr }
  | { kind: 'slice'; line: number; object: Expr; start: Expr | null; stop: Expr | null; step: Expr | null }
  | { kind: 'call'; line: number; callee: Expr; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: 'filter'; line: number; value: Expr; name: string; args: Expr[]; kwargs: [string, Expr][] }
  | { kind: 'test'; line: number; value: Expr; name: string; args: Expr[]; negated: boolean }
  | { kind: 'unary'; line: number; op: 'not' | '-' | '+'; operand: Expr }
  | { kind: 'binary'; line: number; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'compare'; line: number; first: Expr; rest: [CompareOp, Expr][] }
  | { kind: 'cond'; line: number; test: Expr; then: Expr; otherwise: Expr | null };

export type BinaryOp = 'and' | 'or' | '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~';
export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in';

export interface MacroParam {
  name: string;
  default: Expr | null;
}

/** Assignment target: a name, a tuple of names, or `namespace.attr`. */
export type SetTarget = { kind: 'names'; names: string[] } | { kind: 'attr'; object: string; attr: string };

export type Stmt =
  | { kind: 'text'; line: number; value: string }
  | { kind: 'print'; line: number; expr: Expr }
  | { kind: 'if'; line: number; branches: { test: Expr; body: Stmt[] }[]; otherwise: Stmt[] | null }
  | { kind: 'for'; line: number; targets: string[]; iter: Expr; filter: Expr | null; body: Stmt[]; otherwise: Stmt[] | null }
  | { kind: 'set'; line: number; target: SetTarget; value: Expr }
  | { kind: 'setblock'; line: number; name: string; body: Stmt[] }
  | { kind: 'macro'; line: number; name: string; params: MacroParam[]; body: Stmt[] }
  | { kind: 'do'; line: number; expr: Expr }
  | { kind: 'block'; line: number; tag: 'snapshot'; name: string; body: Stmt[]; bodyText: string; bodyLine: number };

export interface TemplateAst {
  /** Project-relative file, for messages. */
  file: string;
  body: Stmt[];
}
