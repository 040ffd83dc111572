import { ModelingError } from '../errors.js';
import type { SourcePosition } from '../graph.js';
import type { Expr, MacroParam, Stmt, TemplateAst } from './ast.js';
import { FILTERS, runTest } from './filters.js';
import {
  compare,
  contains,
  equals,
  getMember,
  isPlainObject,
  isUndefined,
  iterate,
  Kwargs,
  MacroReturn,
  str,
  truthy,
  typeName,
  Undefined,
} from './python-values.js';

type Callable = (...args: unknown[]) => unknown;

/** A Jinja macro as a JS function; carries where it was defined for messages. */
export interface MacroFunction extends Callable {
  macroName: string;
  file: string;
  line: number;
}

class Scope {
  private readonly vars = new Map<string, unknown>();
  constructor(
    private readonly parent: Scope | null,
    private readonly globals: Record<string, unknown>,
  ) {}

  lookup(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    // Walk up without recursion: templates nest loops and macros deeply enough.
    for (let scope = this.parent; scope; scope = scope.parent) {
      if (scope.vars.has(name)) return scope.vars.get(name);
    }
    if (Object.hasOwn(this.globals, name)) return this.globals[name];
    const builtin = BUILTINS[name];
    if (builtin) return builtin;
    return new Undefined(`'${name}' is undefined`);
  }

  set(name: string, value: unknown): void {
    this.vars.set(name, value);
  }

  child(): Scope {
    return new Scope(this, this.globals);
  }

  /** Top-level names set by the template: macros defined in a file become callable elsewhere. */
  entries(): IterableIterator<[string, unknown]> {
    return this.vars.entries();
  }
}

function range(...args: unknown[]): number[] {
  const numbers = args.map(Number);
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0] as number, 1] : [numbers[0] as number, numbers[1] as number, numbers[2] ?? 1];
  const out: number[] = [];
  if (step === 0) throw new TypeError('range() arg 3 must not be zero');
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

function keywordObject(args: unknown[]): Record<string, unknown> {
  const last = args.at(-1);
  const base: Record<string, unknown> = isPlainObject(args[0]) ? Object.assign({}, args[0]) : {};
  return last instanceof Kwargs ? Object.assign(base, last.values) : base;
}

const BUILTINS: Record<string, Callable> = {
  range,
  dict: (...args) => keywordObject(args),
  namespace: (...args) => keywordObject(args),
  zip: (...args) => {
    const lists = args.map(iterate);
    const length = Math.min(...lists.map((l) => l.length));
    return Array.from({ length }, (_, i) => lists.map((l) => l[i]));
  },
};

interface LoopState {
  items: unknown[];
  index0: number;
}

/**
 * Walks a template tree. `position` follows the root template while it renders, so a global
 * like `ref()` can say on which line of the model it was called, even inside a loop.
 */
export class TemplateRenderer {
  private rootFile = '';
  private file = '';
  private line = 0;
  private rootLine = 0;

  /** Where, in the root template, the expression being evaluated was written. */
  get position(): SourcePosition {
    return { file: this.rootFile, line: this.rootLine };
  }

  /** Renders statements of `file` (the root template: ref() positions point into it). */
  render(body: readonly Stmt[], globals: Record<string, unknown>, file: string): string {
    this.enter(file, body[0]?.line ?? 1);
    const scope = new Scope(null, globals);
    return this.guard(() => this.renderBody(body, scope));
  }

  /** Renders a macros file and returns the macros it defines. */
  collectMacros(ast: TemplateAst, globals: Record<string, unknown>): Map<string, MacroFunction> {
    this.enter(ast.file, 1);
    const scope = new Scope(null, globals);
    this.guard(() => this.renderBody(ast.body, scope));
    const macros = new Map<string, MacroFunction>();
    for (const [name, value] of scope.entries()) {
      if (typeof value === 'function' && 'macroName' in value) macros.set(name, value as MacroFunction);
    }
    return macros;
  }

  /** Evaluates a lone expression written at `file:line` (YAML test arguments, unit test inputs). */
  evaluate(expr: Expr, globals: Record<string, unknown>, file: string): unknown {
    this.enter(file, expr.line);
    return this.guard(() => this.eval(expr, new Scope(null, globals)));
  }

  /** Renders may nest (an ephemeral model compiled from inside a ref()): save and restore. */
  snapshot(): () => void {
    const { rootFile, file, line, rootLine } = this;
    return () => {
      this.rootFile = rootFile;
      this.file = file;
      this.line = line;
      this.rootLine = rootLine;
    };
  }

  private enter(file: string, line: number): void {
    this.rootFile = file;
    this.file = file;
    this.line = line;
    this.rootLine = line;
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw this.wrap(error);
    }
  }

  private wrap(error: unknown): Error {
    if (error instanceof ModelingError) return error;
    if (error instanceof MacroReturn) return new ModelingError('template_render', 'return() used outside of a macro', this.here());
    const message = error instanceof Error ? error.message : String(error);
    return new ModelingError('template_render', message, this.here(), { cause: error });
  }

  private here(): SourcePosition {
    return { file: this.file, line: this.line };
  }

  private track(line: number): void {
    this.line = line;
    if (this.file === this.rootFile) this.rootLine = line;
  }

  private renderBody(body: readonly Stmt[], scope: Scope): string {
    let out = '';
    for (const stmt of body) out += this.exec(stmt, scope);
    return out;
  }

  private exec(stmt: Stmt, scope: Scope): string {
    this.track(stmt.line);
    switch (stmt.kind) {
      case 'text':
        return stmt.value;
      case 'print':
        return str(this.eval(stmt.expr, scope));
      case 'if': {
        for (const branch of stmt.branches) {
          if (truthy(this.eval(branch.test, scope))) return this.renderBody(branch.body, scope);
        }
        return stmt.otherwise ? this.renderBody(stmt.otherwise, scope) : '';
      }
      case 'for':
        return this.execFor(stmt, scope);
      case 'set': {
        const value = this.eval(stmt.value, scope);
        if (stmt.target.kind === 'attr') {
          const object = scope.lookup(stmt.target.object);
          if (!isPlainObject(object)) throw new TypeError(`cannot assign attribute on ${typeName(object)}`);
          object[stmt.target.attr] = value;
        } else if (stmt.target.names.length === 1) {
          scope.set(stmt.target.names[0] as string, value);
        } else {
          const values = iterate(value);
          if (values.length !== stmt.target.names.length) {
            throw new TypeError(`cannot unpack ${values.length} values into ${stmt.target.names.length} names`);
          }
          stmt.target.names.forEach((name, i) => scope.set(name, values[i]));
        }
        return '';
      }
      case 'setblock':
        scope.set(stmt.name, this.renderBody(stmt.body, scope.child()));
        return '';
      case 'macro':
        scope.set(stmt.name, this.defineMacro(stmt.name, stmt.params, stmt.body, scope, stmt.line));
        return '';
      case 'do':
        this.eval(stmt.expr, scope);
        return '';
      case 'block':
        // A snapshot block renders as its body; the compiler renders bodies directly.
        return this.renderBody(stmt.body, scope);
    }
  }

  private execFor(stmt: Extract<Stmt, { kind: 'for' }>, scope: Scope): string {
    let items = iterate(this.eval(stmt.iter, scope));
    const bind = (inner: Scope, item: unknown) => {
      if (stmt.targets.length === 1) inner.set(stmt.targets[0] as string, item);
      else {
        const parts = iterate(item);
        stmt.targets.forEach((name, i) => inner.set(name, parts[i]));
      }
    };
    if (stmt.filter) {
      const filter = stmt.filter;
      items = items.filter((item) => {
        const inner = scope.child();
        bind(inner, item);
        return truthy(this.eval(filter, inner));
      });
    }
    if (items.length === 0) return stmt.otherwise ? this.renderBody(stmt.otherwise, scope) : '';
    let out = '';
    const state: LoopState = { items, index0: 0 };
    for (let i = 0; i < items.length; i++) {
      state.index0 = i;
      const inner = scope.child();
      bind(inner, items[i]);
      inner.set('loop', loopObject(state));
      out += this.renderBody(stmt.body, inner);
    }
    return out;
  }

  private defineMacro(name: string, params: readonly MacroParam[], body: readonly Stmt[], defining: Scope, line: number): MacroFunction {
    const file = this.file;
    const macro = ((...args: unknown[]): unknown => {
      const last = args.at(-1);
      const kwargs: Record<string, unknown> = last instanceof Kwargs ? Object.assign({}, last.values) : {};
      const positional = last instanceof Kwargs ? args.slice(0, -1) : args;
      const inner = defining.child();
      params.forEach((param, i) => {
        let value: unknown;
        if (i < positional.length) value = positional[i];
        else if (Object.hasOwn(kwargs, param.name)) value = kwargs[param.name];
        else if (param.default) value = this.eval(param.default, defining);
        else value = new Undefined(`'${param.name}' is undefined`);
        delete kwargs[param.name];
        inner.set(param.name, value);
      });
      inner.set('varargs', positional.slice(params.length));
      inner.set('kwargs', kwargs);
      const outerFile = this.file;
      const outerLine = this.line;
      this.file = file;
      try {
        return this.renderBody(body, inner);
      } catch (error) {
        if (error instanceof MacroReturn) return error.value;
        throw error;
      } finally {
        this.file = outerFile;
        this.line = outerLine;
      }
    }) as MacroFunction;
    Object.defineProperty(macro, 'name', { value: name });
    macro.macroName = name;
    macro.file = file;
    macro.line = line;
    return macro;
  }

  private eval(expr: Expr, scope: Scope): unknown {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'name':
        return scope.lookup(expr.name);
      case 'list':
      case 'tuple':
        return expr.items.map((item) => this.eval(item, scope));
      case 'dict': {
        const out: Record<string, unknown> = {};
        for (const [key, value] of expr.entries) out[str(this.eval(key, scope))] = this.eval(value, scope);
        return out;
      }
      case 'getattr':
      case 'getitem': {
        const object = this.eval(expr.object, scope);
        if (isUndefined(object)) throw new TypeError(describeUndefined(object));
        const key = expr.kind === 'getattr' ? expr.name : this.eval(expr.key, scope);
        return getMember(object, key);
      }
      case 'slice': {
        const object = this.eval(expr.object, scope);
        const bound = (e: Expr | null) => (e ? Number(this.eval(e, scope)) : undefined);
        const start = bound(expr.start);
        const stop = bound(expr.stop);
        const step = bound(expr.step) ?? 1;
        if (typeof object === 'string') return sliceList([...object], start, stop, step).join('');
        return sliceList(iterate(object), start, stop, step);
      }
      case 'call':
        return this.evalCall(expr, scope);
      case 'filter': {
        const filter = FILTERS[expr.name];
        if (!filter) throw new ModelingError('template_render', `no filter named '${expr.name}'`, { file: this.file, line: expr.line });
        return filter(this.eval(expr.value, scope), ...this.evalArguments(expr.args, expr.kwargs, scope));
      }
      case 'test':
        return runTest(
          expr.name,
          this.eval(expr.value, scope),
          expr.args.map((a) => this.eval(a, scope)),
        ) !== expr.negated;
      case 'unary': {
        const value = this.eval(expr.operand, scope);
        if (expr.op === 'not') return !truthy(value);
        return expr.op === '-' ? -Number(value) : Number(value);
      }
      case 'binary':
        return this.evalBinary(expr.op, expr.left, expr.right, scope);
      case 'compare': {
        let left = this.eval(expr.first, scope);
        for (const [op, rightExpr] of expr.rest) {
          const right = this.eval(rightExpr, scope);
          if (!compareOnce(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'cond':
        if (truthy(this.eval(expr.test, scope))) return this.eval(expr.then, scope);
        return expr.otherwise ? this.eval(expr.otherwise, scope) : new Undefined('conditional without else');
    }
  }

  private evalArguments(args: readonly Expr[], kwargs: readonly [string, Expr][], scope: Scope): unknown[] {
    const values = args.map((arg) => this.eval(arg, scope));
    if (kwargs.length > 0) {
      const named: Record<string, unknown> = {};
      for (const [name, value] of kwargs) named[name] = this.eval(value, scope);
      values.push(new Kwargs(named));
    }
    return values;
  }

  private evalCall(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): unknown {
    const callee = this.eval(expr.callee, scope);
    const args = this.evalArguments(expr.args, expr.kwargs, scope);
    this.track(expr.line);
    if (typeof callee !== 'function') {
      const what = isUndefined(callee) ? describeUndefined(callee) : `${typeName(callee)} object is not callable`;
      throw new ModelingError('template_render', what, { file: this.file, line: expr.line });
    }
    try {
      return (callee as Callable)(...args);
    } catch (error) {
      if (error instanceof ModelingError || error instanceof MacroReturn) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new ModelingError('template_render', message, { file: this.file, line: expr.line }, { cause: error });
    }
  }

  private evalBinary(op: string, leftExpr: Expr, rightExpr: Expr, scope: Scope): unknown {
    const left = this.eval(leftExpr, scope);
    if (op === 'and') return truthy(left) ? this.eval(rightExpr, scope) : left;
    if (op === 'or') return truthy(left) ? left : this.eval(rightExpr, scope);
    const right = this.eval(rightExpr, scope);
    switch (op) {
      case '~':
        return str(left) + str(right);
      case '+':
        if (typeof left === 'number' && typeof right === 'number') return left + right;
        if (typeof left === 'string' && typeof right === 'string') return left + right;
        if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
        throw new TypeError(`unsupported operand type(s) for +: ${typeName(left)} and ${typeName(right)}`);
      case '*':
        if (typeof left === 'string' && typeof right === 'number') return left.repeat(right);
        return Number(left) * Number(right);
      case '%':
        if (typeof left === 'string') {
          const values = Array.isArray(right) ? right : [right];
          let next = 0;
          return left.replace(/%[sdr]/g, (spec) => (spec === '%r' ? JSON.stringify(values[next++]) : str(values[next++])));
        }
        return ((Number(left) % Number(right)) + Number(right)) % Number(right);
      case '-':
        return Number(left) - Number(right);
      case '/':
        return Number(left) / Number(right);
      case '//':
        return Math.floor(Number(left) / Number(right));
      case '**':
        return Number(left) ** Number(right);
      default:
        throw new TypeError(`unknown operator ${op}`);
    }
  }
}

function describeUndefined(value: unknown): string {
  return value instanceof Undefined ? value.description : 'value is undefined';
}

function compareOnce(op: string, left: unknown, right: unknown): boolean {
  switch (op) {
    case '==':
      return equals(left, right);
    case '!=':
      return !equals(left, right);
    case 'in':
      return contains(right, left);
    case 'not in':
      return !contains(right, left);
    case '<':
      return compare(left, right) < 0;
    case '>':
      return compare(left, right) > 0;
    case '<=':
      return compare(left, right) <= 0;
    default:
      return compare(left, right) >= 0;
  }
}

function sliceList<T>(items: T[], start: number | undefined, stop: number | undefined, step: number): T[] {
  const n = items.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  if (step > 0) {
    const from = start === undefined ? 0 : norm(start);
    const to = stop === undefined ? n : norm(stop);
    const out: T[] = [];
    for (let i = from; i < to; i += step) out.push(items[i] as T);
    return out;
  }
  const from = start === undefined ? n - 1 : Math.min(norm(start), n - 1);
  const to = stop === undefined ? -1 : norm(stop);
  const out: T[] = [];
  for (let i = from; i > to; i += step) out.push(items[i] as T);
  return out;
}

function loopObject(state: LoopState): Record<string, unknown> {
  const { items, index0 } = state;
  const length = items.length;
  return {
    index: index0 + 1,
    index0,
    revindex: length - index0,
    revindex0: length - index0 - 1,
    first: index0 === 0,
    last: index0 === length - 1,
    length,
    previtem: index0 > 0 ? items[index0 - 1] : new Undefined('no previous item'),
    nextitem: index0 < length - 1 ? items[index0 + 1] : new Undefined('no next item'),
    cycle: (...values: unknown[]) => values[index0 % values.length],
  };
}
