import { ModelingError } from '../errors.js';
import type { CompareOp, Expr, MacroParam, SetTarget, Stmt, TemplateAst } from './ast.js';

/**
 * Lexer and parser for dbt's Jinja subset. Jinja's defaults are kept: no trim_blocks, no
 * lstrip_blocks, `-` whitespace control on any delimiter, one trailing newline dropped.
 */

type TokenType = 'name' | 'string' | 'number' | 'op' | 'end';
interface Token {
  type: TokenType;
  value: string;
  line: number;
}

interface TagPiece {
  type: 'print' | 'stmt';
  tokens: Token[];
  line: number;
  start: number;
  end: number;
  stripBefore: boolean;
  stripAfter: boolean;
}

type Piece = { type: 'text'; value: string; line: number } | TagPiece | { type: 'comment'; line: number; stripBefore: boolean; stripAfter: boolean };

const OPERATORS = ['//', '**', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '~', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|'];

export interface ParseTemplateOptions {
  file: string;
  /** Line of the first character of `source` in its file (for snapshot bodies and YAML snippets). */
  firstLine?: number;
  /** Jinja drops one trailing newline of a whole template, not of a fragment. */
  keepTrailingNewline?: boolean;
}

export function parseTemplate(source: string, options: ParseTemplateOptions): TemplateAst {
  const pieces = lex(source, options.file, options.firstLine ?? 1);
  applyWhitespaceControl(pieces);
  if (!options.keepTrailingNewline) {
    const last = pieces.at(-1);
    if (last?.type === 'text') last.value = last.value.replace(/\r?\n$/, '');
  }
  return { file: options.file, body: new Parser(pieces, options.file, source).parseAll() };
}

/** Parses a lone expression, e.g. the `to: ref('customers')` argument of a relationships test. */
export function parseExpression(source: string, file: string, line: number): Expr {
  const tokens = tokenizeExpression(source, 0, file, line, null).tokens;
  const parser = new ExpressionParser(tokens, file);
  const expr = parser.parseExpression();
  parser.expectEnd();
  return expr;
}

function syntaxError(file: string, line: number, detail: string): ModelingError {
  return new ModelingError('template_syntax', detail, { file, line });
}

function lex(source: string, file: string, firstLine: number): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let line = firstLine;
  const countLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (source.charCodeAt(i) === 10) line++;
  };
  while (pos < source.length) {
    const open = findOpen(source, pos);
    if (open === -1) {
      pieces.push({ type: 'text', value: source.slice(pos), line });
      break;
    }
    if (open > pos) {
      pieces.push({ type: 'text', value: source.slice(pos, open), line });
      countLines(pos, open);
    }
    const kind = source[open + 1];
    const tagLine = line;
    let inner = open + 2;
    const stripBefore = source[inner] === '-';
    if (stripBefore || source[inner] === '+') inner++;
    if (kind === '#') {
      const close = source.indexOf('#}', inner);
      if (close === -1) throw syntaxError(file, tagLine, 'unclosed comment: missing #}');
      const stripAfter = source[close - 1] === '-';
      pieces.push({ type: 'comment', line: tagLine, stripBefore, stripAfter });
      countLines(open, close + 2);
      pos = close + 2;
      continue;
    }
    const closer = kind === '{' ? '}}' : '%}';
    const { tokens, end, stripAfter } = tokenizeExpression(source, inner, file, tagLine, closer);
    countLines(open, end);
    if (kind === '%' && tokens[0]?.value === 'raw' && tokens.length === 2) {
      const rawEnd = /\{%-?\s*endraw\s*-?%\}/g;
      rawEnd.lastIndex = end;
      const match = rawEnd.exec(source);
      if (!match) throw syntaxError(file, tagLine, 'missing {% endraw %}');
      pieces.push({ type: 'comment', line: tagLine, stripBefore, stripAfter: false });
      pieces.push({ type: 'text', value: source.slice(end, match.index), line });
      countLines(end, match.index + match[0].length);
      pos = match.index + match[0].length;
      continue;
    }
    pieces.push({ type: kind === '{' ? 'print' : 'stmt', tokens, line: tagLine, start: open, end, stripBefore, stripAfter });
    pos = end;
  }
  return pieces;
}

function findOpen(source: string, from: number): number {
  let i = source.indexOf('{', from);
  while (i !== -1) {
    const next = source[i + 1];
    if (next === '{' || next === '%' || next === '#') return i;
    i = source.indexOf('{', i + 1);
  }
  return -1;
}

function applyWhitespaceControl(pieces: Piece[]): void {
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (!piece || piece.type === 'text') continue;
    const before = pieces[i - 1];
    if (piece.stripBefore && before?.type === 'text') before.value = before.value.replace(/\s+$/, '');
    const after = pieces[i + 1];
    if (piece.stripAfter && after?.type === 'text') {
      const stripped = after.value.replace(/^\s+/, '');
      after.line += countNewlines(after.value.slice(0, after.value.length - stripped.length));
      after.value = stripped;
    }
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Tokenises an expression starting at `pos` until `closer` (outside strings) or the end. */
function tokenizeExpression(
  source: string,
  pos: number,
  file: string,
  startLine: number,
  closer: '}}' | '%}' | null,
): { tokens: Token[]; end: number; stripAfter: boolean } {
  const tokens: Token[] = [];
  let line = startLine;
  let i = pos;
  // `}}` closes the tag only outside brackets: `{{ {'a': {'b': 1}} }}` is one dict.
  let depth = 0;
  while (true) {
    if (i >= source.length) {
      if (closer === null) break;
      throw syntaxError(file, startLine, `unexpected end of template: missing ${closer}`);
    }
    const ch = source[i] as string;
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (closer !== null && depth === 0) {
      if (source.startsWith(closer, i)) {
        return { tokens: [...tokens, { type: 'end', value: '', line }], end: i + 2, stripAfter: false };
      }
      if ((ch === '-' || ch === '+') && source.startsWith(closer, i + 1)) {
        return { tokens: [...tokens, { type: 'end', value: '', line }], end: i + 3, stripAfter: ch === '-' };
      }
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < source.length && source[j] !== ch) {
        if (source[j] === '\\' && j + 1 < source.length) {
          const esc = source[j + 1] as string;
          value += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : esc;
          j += 2;
          continue;
        }
        if (source[j] === '\n') line++;
        value += source[j];
        j++;
      }
      if (j >= source.length) throw syntaxError(file, line, 'unterminated string literal');
      tokens.push({ type: 'string', value, line });
      i = j + 1;
      continue;
    }
    if (isDigit(ch)) {
      const match = /^\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?/.exec(source.slice(i, i + 64));
      const text = (match?.[0] ?? ch).replaceAll('_', '');
      tokens.push({ type: 'number', value: text, line });
      i += match?.[0].length ?? 1;
      continue;
    }
    if (isNameStart(ch)) {
      let j = i + 1;
      while (j < source.length && isNamePart(source[j] as string)) j++;
      tokens.push({ type: 'name', value: source.slice(i, j), line });
      i = j;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (!op) throw syntaxError(file, line, `unexpected character ${JSON.stringify(ch)}`);
    if (op === '(' || op === '[' || op === '{') depth++;
    else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
    tokens.push({ type: 'op', value: op, line });
    i += op.length;
  }
  tokens.push({ type: 'end', value: '', line });
  return { tokens, end: i, stripAfter: false };
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}
function isNameStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}
function isNamePart(ch: string): boolean {
  return isNameStart(ch) || isDigit(ch);
}

const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);

class ExpressionParser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private get current(): Token {
    return this.tokens[this.index] as Token;
  }

  private peek(offset = 1): Token | undefined {
    return this.tokens[this.index + offset];
  }

  private next(): Token {
    const token = this.current;
    if (token.type !== 'end') this.index++;
    return token;
  }

  private error(detail: string, token = this.current): ModelingError {
    return syntaxError(this.file, token.line, detail);
  }

  isOp(value: string): boolean {
    return this.current.type === 'op' && this.current.value === value;
  }

  isName(value?: string): boolean {
    return this.current.type === 'name' && (value === undefined || this.current.value === value);
  }

  skipOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.index++;
    return true;
  }

  skipName(value: string): boolean {
    if (!this.isName(value)) return false;
    this.index++;
    return true;
  }

  expectOp(value: string): void {
    if (!this.skipOp(value)) throw this.error(`expected '${value}', got ${describe(this.current)}`);
  }

  expectName(value?: string): string {
    if (!this.isName(value)) throw this.error(`expected ${value ? `'${value}'` : 'a name'}, got ${describe(this.current)}`);
    return this.next().value;
  }

  atEnd(): boolean {
    return this.current.type === 'end';
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.error(`unexpected ${describe(this.current)}`);
  }

  get line(): number {
    return this.current.line;
  }

  /** A full expression, including an unparenthesised tuple (`a, b`) when allowed. */
  parseTupleOrExpression(): Expr {
    const line = this.line;
    const first = this.parseExpression();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.skipOp(',')) {
      if (this.atEnd() || this.isOp(')')) break;
      items.push(this.parseExpression());
    }
    return { kind: 'tuple', line, items };
  }

  /** Without the trailing `if … else …` (a for loop's iterable is followed by its own `if`). */
  parseWithoutCondition(): Expr {
    return this.parseOr();
  }

  parseExpression(): Expr {
    const line = this.line;
    const value = this.parseOr();
    if (this.skipName('if')) {
      const test = this.parseOr();
      const otherwise = this.skipName('else') ? this.parseExpression() : null;
      return { kind: 'cond', line, test, then: value, otherwise };
    }
    return value;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName('or')) {
      const line = this.next().line;
      left = { kind: 'binary', line, op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName('and')) {
      const line = this.next().line;
      left = { kind: 'binary', line, op: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      const line = this.next().line;
      return { kind: 'unary', line, op: 'not', operand: this.parseNot() };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const line = this.line;
    const first = this.parseMath1();
    const rest: [CompareOp, Expr][] = [];
    while (true) {
      if (this.current.type === 'op' && COMPARE_OPS.has(this.current.value)) {
        const op = this.next().value as CompareOp;
        rest.push([op, this.parseMath1()]);
      } else if (this.isName('in')) {
        this.next();
        rest.push(['in', this.parseMath1()]);
      } else if (this.isName('not') && this.peek()?.type === 'name' && this.peek()?.value === 'in') {
        this.next();
        this.next();
        rest.push(['not in', this.parseMath1()]);
      } else break;
    }
    return rest.length === 0 ? first : { kind: 'compare', line, first, rest };
  }

  private parseMath1(): Expr {
    let left = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const token = this.next();
      left = { kind: 'binary', line: token.line, op: token.value as '+' | '-', left, right: this.parseConcat() };
    }
    return left;
  }

  private parseConcat(): Expr {
    let left = this.parseMath2();
    while (this.isOp('~')) {
      const line = this.next().line;
      left = { kind: 'binary', line, op: '~', left, right: this.parseMath2() };
    }
    return left;
  }

  private parseMath2(): Expr {
    let left = this.parsePow();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const token = this.next();
      left = { kind: 'binary', line: token.line, op: token.value as '*', left, right: this.parsePow() };
    }
    return left;
  }

  private parsePow(): Expr {
    let left = this.parseUnary();
    while (this.isOp('**')) {
      const line = this.next().line;
      left = { kind: 'binary', line, op: '**', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const token = this.next();
      return { kind: 'unary', line: token.line, op: token.value as '-' | '+', operand: this.parseUnary() };
    }
    return this.parseFilters(this.parsePostfix(this.parsePrimary()));
  }

  private parsePrimary(): Expr {
    const token = this.current;
    const line = token.line;
    if (token.type === 'string') {
      this.next();
      let value = token.value;
      // Adjacent string literals concatenate, as in Python.
      while (this.current.type === 'string') value += this.next().value;
      return { kind: 'literal', line, value };
    }
    if (token.type === 'number') {
      this.next();
      return { kind: 'literal', line, value: Number(token.value) };
    }
    if (token.type === 'name') {
      this.next();
      switch (token.value) {
        case 'true':
        case 'True':
          return { kind: 'literal', line, value: true };
        case 'false':
        case 'False':
          return { kind: 'literal', line, value: false };
        case 'none':
        case 'None':
          return { kind: 'literal', line, value: null };
        default:
          return { kind: 'name', line, name: token.value };
      }
    }
    if (this.skipOp('(')) {
      if (this.skipOp(')')) return { kind: 'tuple', line, items: [] };
      const inner = this.parseTupleOrExpression();
      this.expectOp(')');
      return inner;
    }
    if (this.skipOp('[')) {
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        items.push(this.parseExpression());
        if (!this.skipOp(',')) break;
      }
      this.expectOp(']');
      return { kind: 'list', line, items };
    }
    if (this.skipOp('{')) {
      const entries: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        const key = this.parseExpression();
        this.expectOp(':');
        entries.push([key, this.parseExpression()]);
        if (!this.skipOp(',')) break;
      }
      this.expectOp('}');
      return { kind: 'dict', line, entries };
    }
    throw this.error(`unexpected ${describe(token)}`);
  }

  private parsePostfix(expr: Expr): Expr {
    while (true) {
      const line = this.line;
      if (this.skipOp('.')) {
        const token = this.next();
        if (token.type !== 'name' && token.type !== 'number') throw this.error('expected an attribute name after "."', token);
        expr = { kind: 'getattr', line, object: expr, name: token.value };
      } else if (this.skipOp('[')) {
        expr = this.parseSubscript(expr, line);
      } else if (this.isOp('(')) {
        expr = this.parseCall(expr);
      } else return expr;
    }
  }

  private parseSubscript(object: Expr, line: number): Expr {
    const part = () => (this.isOp(':') || this.isOp(']') ? null : this.parseExpression());
    const start = part();
    if (!this.skipOp(':')) {
      this.expectOp(']');
      if (!start) throw this.error('empty subscript');
      return { kind: 'getitem', line, object, key: start };
    }
    const stop = part();
    const step = this.skipOp(':') ? part() : null;
    this.expectOp(']');
    return { kind: 'slice', line, object, start, stop, step };
  }

  private parseArguments(): { args: Expr[]; kwargs: [string, Expr][] } {
    this.expectOp('(');
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    while (!this.isOp(')')) {
      if (this.current.type === 'name' && this.peek()?.type === 'op' && this.peek()?.value === '=') {
        const name = this.next().value;
        this.next();
        kwargs.push([name, this.parseExpression()]);
      } else {
        if (kwargs.length > 0) throw this.error('positional argument follows keyword argument');
        args.push(this.parseExpression());
      }
      if (!this.skipOp(',')) break;
    }
    this.expectOp(')');
    return { args, kwargs };
  }

  private parseCall(callee: Expr): Expr {
    const line = this.line;
    const { args, kwargs } = this.parseArguments();
    return { kind: 'call', line, callee, args, kwargs };
  }

  private parseFilters(expr: Expr): Expr {
    while (true) {
      if (this.isOp('|')) {
        const line = this.next().line;
        const name = this.parseDottedName();
        const { args, kwargs } = this.isOp('(') ? this.parseArguments() : { args: [], kwargs: [] };
        expr = { kind: 'filter', line, value: expr, name, args, kwargs };
      } else if (this.isName('is')) {
        const line = this.next().line;
        const negated = this.skipName('not');
        const name = this.parseDottedName();
        let args: Expr[] = [];
        if (this.isOp('(')) args = this.parseArguments().args;
        else if (this.startsPrimary()) args = [this.parsePostfix(this.parsePrimary())];
        expr = { kind: 'test', line, value: expr, name, args, negated };
      } else return expr;
    }
  }

  private startsPrimary(): boolean {
    const token = this.current;
    if (token.type === 'string' || token.type === 'number') return true;
    if (token.type === 'name') return !['and', 'or', 'else', 'if', 'in', 'not', 'is'].includes(token.value);
    return token.type === 'op' && (token.value === '[' || token.value === '{');
  }

  private parseDottedName(): string {
    let name = this.expectName();
    while (this.isOp('.') && this.peek()?.type === 'name') {
      this.next();
      name += `.${this.next().value}`;
    }
    return name;
  }
}

function describe(token: Token): string {
  if (token.type === 'end') return 'end of tag';
  if (token.type === 'string') return `string ${JSON.stringify(token.value)}`;
  return `'${token.value}'`;
}

type BlockEnd = { tag: string; parser: ExpressionParser; piece: TagPiece };

class Parser {
  private index = 0;
  constructor(
    private readonly pieces: Piece[],
    private readonly file: string,
    private readonly source: string,
  ) {}

  parseAll(): Stmt[] {
    const { body, end } = this.parseBody([]);
    if (end) throw syntaxError(this.file, end.piece.line, `unexpected '{% ${end.tag} %}'`);
    return body;
  }

  /** Parses statements until one of `endTags` (returned, not consumed further) or the end. */
  private parseBody(endTags: string[]): { body: Stmt[]; end: BlockEnd | null } {
    const body: Stmt[] = [];
    while (this.index < this.pieces.length) {
      const piece = this.pieces[this.index++] as Piece;
      if (piece.type === 'comment') continue;
      if (piece.type === 'text') {
        if (piece.value !== '') body.push({ kind: 'text', line: piece.line, value: piece.value });
        continue;
      }
      const parser = new ExpressionParser(piece.tokens, this.file);
      if (piece.type === 'print') {
        const expr = parser.parseTupleOrExpression();
        parser.expectEnd();
        body.push({ kind: 'print', line: piece.line, expr });
        continue;
      }
      const tag = parser.expectName();
      if (endTags.includes(tag)) return { body, end: { tag, parser, piece } };
      body.push(this.parseStatement(tag, parser, piece, endTags));
    }
    return { body, end: null };
  }

  private parseUntil(tags: string[], opener: string, line: number): BlockEnd & { body: Stmt[] } {
    const { body, end } = this.parseBody(tags);
    if (!end) throw syntaxError(this.file, line, `'{% ${opener} %}' is never closed: expected ${tags.map((t) => `'{% ${t} %}'`).join(' or ')}`);
    return { tag: end.tag, parser: end.parser, piece: end.piece, body };
  }

  private parseStatement(tag: string, parser: ExpressionParser, piece: TagPiece, outerEnds: string[]): Stmt {
    const line = piece.line;
    switch (tag) {
      case 'if': {
        const branches: { test: Expr; body: Stmt[] }[] = [];
        let test = parser.parseExpression();
        parser.expectEnd();
        while (true) {
          const end = this.parseUntil(['elif', 'else', 'endif'], 'if', line);
          branches.push({ test, body: end.body });
          if (end.tag === 'elif') {
            test = end.parser.parseExpression();
            end.parser.expectEnd();
            continue;
          }
          if (end.tag === 'else') {
            end.parser.expectEnd();
            const last = this.parseUntil(['endif'], 'if', line);
            return { kind: 'if', line, branches, otherwise: last.body };
          }
          return { kind: 'if', line, branches, otherwise: null };
        }
      }
      case 'for': {
        const targets = [parser.expectName()];
        while (parser.skipOp(',')) targets.push(parser.expectName());
        parser.expectName('in');
        const iter = parser.parseWithoutCondition();
        const filter = parser.skipName('if') ? parser.parseExpression() : null;
        parser.skipName('recursive');
        parser.expectEnd();
        const end = this.parseUntil(['else', 'endfor'], 'for', line);
        let otherwise: Stmt[] | null = null;
        if (end.tag === 'else') otherwise = this.parseUntil(['endfor'], 'for', line).body;
        return { kind: 'for', line, targets, iter, filter, body: end.body, otherwise };
      }
      case 'set': {
        const first = parser.expectName();
        let target: SetTarget = { kind: 'names', names: [first] };
        if (parser.skipOp('.')) target = { kind: 'attr', object: first, attr: parser.expectName() };
        else if (parser.isOp(',')) {
          const names = [first];
          while (parser.skipOp(',')) names.push(parser.expectName());
          target = { kind: 'names', names };
        }
        if (parser.atEnd() && target.kind === 'names' && target.names.length === 1) {
          const end = this.parseUntil(['endset'], 'set', line);
          return { kind: 'setblock', line, name: first, body: end.body };
        }
        parser.expectOp('=');
        const value = parser.parseTupleOrExpression();
        parser.expectEnd();
        return { kind: 'set', line, target, value };
      }
      case 'macro':
      case 'test': {
        const name = parser.expectName();
        const params: MacroParam[] = [];
        parser.expectOp('(');
        while (!parser.isOp(')')) {
          const paramName = parser.expectName();
          const value = parser.skipOp('=') ? parser.parseExpression() : null;
          params.push({ name: paramName, default: value });
          if (!parser.skipOp(',')) break;
        }
        parser.expectOp(')');
        parser.expectEnd();
        const end = this.parseUntil([`end${tag}`], tag, line);
        // `{% test x(...) %}` defines a generic test, which dbt stores as the macro `test_x`.
        return { kind: 'macro', line, name: tag === 'test' ? `test_${name}` : name, params, body: end.body };
      }
      case 'do': {
        const expr = parser.parseTupleOrExpression();
        parser.expectEnd();
        return { kind: 'do', line, expr };
      }
      case 'snapshot': {
        const name = parser.expectName();
        parser.expectEnd();
        const end = this.parseUntil(['endsnapshot'], 'snapshot', line);
        const bodyText = this.source.slice(piece.end, end.piece.start);
        const bodyLine = line + countNewlines(this.source.slice(piece.start, piece.end));
        return { kind: 'block', tag: 'snapshot', line, name, body: end.body, bodyText, bodyLine };
      }
      default: {
        const expected = outerEnds.length > 0 ? ` (expected ${outerEnds.map((t) => `'${t}'`).join(' or ')})` : '';
        if (tag.startsWith('end') || tag === 'else' || tag === 'elif') {
          throw syntaxError(this.file, line, `unexpected '{% ${tag} %}'${expected}`);
        }
        const detail = ['call', 'materialization', 'filter', 'with', 'block', 'extends', 'include', 'import', 'from'].includes(tag)
          ? `the '{% ${tag} %}' tag is not supported by this compiler`
          : `unknown tag '${tag}'${expected}`;
        throw syntaxError(this.file, line, detail);
      }
    }
  }
}
