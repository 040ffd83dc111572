/**
 * The subset of the Drive v3 search language (`q` of files.list) the fake understands:
 * `'<id>' in parents`, `trashed = true|false`, `mimeType`/`name` with `=` / `!=`,
 * `name contains '<text>'`, `modifiedTime` compared with `<`, `<=`, `>`, `>=`, `=`,
 * combined with `and`, `or`, `not` and parentheses. Anything else is rejected, as Drive
 * rejects a query it cannot parse, so a client never silently gets an unfiltered list.
 */
export interface DriveQueryFile {
  name: string;
  mimeType: string;
  parents: readonly string[];
  trashed: boolean;
  modifiedTime: string;
}

export type DriveQuery = (file: DriveQueryFile) => boolean;

export class DriveQueryError extends Error {}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'paren'; value: '(' | ')' };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: 'paren', value: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= q.length) throw new DriveQueryError(`unterminated string in query: ${q}`);
        const d = q[i] as string;
        if (d === '\\' && i + 1 < q.length) {
          value += q[i + 1];
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', value });
    } else if (/[=!<>]/.test(c)) {
      const two = q.slice(i, i + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : c;
      if (op === '!') throw new DriveQueryError(`unexpected "!" in query: ${q}`);
      tokens.push({ kind: 'op', value: op });
      i += op.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'word', value: word });
      i += word.length;
    } else {
      throw new DriveQueryError(`unexpected "${c}" in query: ${q}`);
    }
  }
  return tokens;
}

export function parseDriveQuery(q: string): DriveQuery {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (t: Token | undefined, word: string) => t?.kind === 'word' && t.value.toLowerCase() === word;
  const fail = (what: string): never => {
    throw new DriveQueryError(`${what} at token ${pos + 1} of query: ${q}`);
  };

  const orExpr = (): DriveQuery => {
    const parts = [andExpr()];
    while (isWord(peek(), 'or')) {
      pos++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? (parts[0] as DriveQuery) : (f) => parts.some((p) => p(f));
  };
  const andExpr = (): DriveQuery => {
    const parts = [unary()];
    while (isWord(peek(), 'and')) {
      pos++;
      parts.push(unary());
    }
    return parts.length === 1 ? (parts[0] as DriveQuery) : (f) => parts.every((p) => p(f));
  };
  const unary = (): DriveQuery => {
    if (isWord(peek(), 'not')) {
      pos++;
      const inner = unary();
      return (f) => !inner(f);
    }
    const t = peek();
    if (t?.kind === 'paren' && t.value === '(') {
      pos++;
      const inner = orExpr();
      const close = peek();
      if (close?.kind !== 'paren' || close.value !== ')') fail('expected ")"');
      pos++;
      return inner;
    }
    return term();
  };
  const stringValue = (): string => {
    const t = peek();
    if (t?.kind !== 'string') return fail('expected a quoted value');
    pos++;
    return t.value;
  };
  const term = (): DriveQuery => {
    const t = peek();
    if (t?.kind === 'string') {
      pos++;
      if (!isWord(peek(), 'in')) fail('expected "in"');
      pos++;
      const collection = peek();
      if (!isWord(collection, 'parents')) fail('only "in parents" is supported');
      pos++;
      const id = t.value;
      return (f) => f.parents.includes(id);
    }
    if (t?.kind !== 'word') return fail('expected a field');
    pos++;
    const op = peek();
    if (op?.kind === 'word' && op.value === 'contains') {
      pos++;
      if (t.value !== 'name') fail(`"contains" is supported on name only, not ${t.value}`);
      const text = stringValue().toLowerCase();
      // Drive matches `name contains` on word prefixes, not on any substring.
      return (f) => f.name.toLowerCase().startsWith(text) || f.name.toLowerCase().split(/[\s._-]+/).some((w) => w.startsWith(text));
    }
    if (op?.kind !== 'op') return fail('expected an operator');
    pos++;
    switch (t.value) {
      case 'trashed': {
        const v = peek();
        if (!isWord(v, 'true') && !isWord(v, 'false')) fail('trashed takes true or false');
        pos++;
        const want = isWord(v, 'true');
        if (op.value === '=') return (f) => f.trashed === want;
        if (op.value === '!=') return (f) => f.trashed !== want;
        return fail(`operator ${op.value} on trashed`);
      }
      case 'name':
      case 'mimeType': {
        const field = t.value;
        const value = stringValue();
        if (op.value === '=') return (f) => f[field] === value;
        if (op.value === '!=') return (f) => f[field] !== value;
        return fail(`operator ${op.value} on ${field}`);
      }
      case 'modifiedTime': {
        const at = Date.parse(stringValue());
        if (Number.isNaN(at)) fail('modifiedTime takes an RFC 3339 date-time');
        const cmp: Record<string, (a: number) => boolean> = {
          '=': (a) => a === at,
          '!=': (a) => a !== at,
          '<': (a) => a < at,
          '<=': (a) => a <= at,
          '>': (a) => a > at,
          '>=': (a) => a >= at,
        };
        const test = cmp[op.value] as (a: number) => boolean;
        return (f) => test(Date.parse(f.modifiedTime));
      }
      default:
        return fail(`field ${t.value} is not supported by the fake`);
    }
  };

  if (tokens.length === 0) return () => true;
  const query = orExpr();
  if (pos !== tokens.length) fail('unexpected trailing tokens');
  return query;
}
