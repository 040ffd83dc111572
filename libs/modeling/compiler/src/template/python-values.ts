/**
 * Jinja runs on Python values; templates written for dbt expect Python's truthiness,
 * `str()`, list/dict/str methods and keyword arguments. This module gives JS values those
 * semantics, and nothing more.
 */

/** Keyword arguments of a call, passed as the last argument when there are any. */
export class Kwargs {
  constructor(readonly values: Record<string, unknown>) {}
}

/** A missing variable or attribute: prints as '', fails when called or dereferenced. */
export class Undefined {
  constructor(readonly description: string) {}
  toString(): string {
    return '';
  }
}

export function isUndefined(value: unknown): value is Undefined {
  return value === undefined || value instanceof Undefined;
}

/** Thrown by `{{ return(x) }}` inside a macro; the macro call yields `x`. */
export class MacroReturn {
  constructor(readonly value: unknown) {}
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function truthy(value: unknown): boolean {
  if (isUndefined(value) || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  if (typeof value === 'string') return value.length > 0;
  return Boolean(value);
}

/** Python's `str()`. */
export function str(value: unknown): string {
  if (value === null) return 'None';
  if (isUndefined(value)) return '';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (Array.isArray(value) || isPlainObject(value)) return repr(value);
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  return String(value);
}

/** Python's `repr` of a string: its choice of quotes and its escapes (dbt-core hashes them). */
function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char !== ' ' && /[\p{C}\p{Z}]/u.test(char)) {
      const hex = code.toString(16);
      out += code <= 0xff ? `\\x${hex.padStart(2, '0')}` : code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    } else out += char;
  }
  return out + quote;
}

/** Python's `repr()`, so `{{ ['a', 'b'] }}` renders as dbt users expect. */
export function repr(value: unknown): string {
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${repr(k)}: ${repr(v)}`)
      .join(', ')}}`;
  }
  return str(value);
}

function formatNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  return String(value);
}

export function equals(a: unknown, b: unknown): boolean {
  if (isUndefined(a) && isUndefined(b)) return true;
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equals(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equals(a[k], b[k]));
  }
  // Relations compare by what they render to, as dbt's do.
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && 'toString' in a && 'toString' in b) {
    return String(a) === String(b);
  }
  return false;
}

export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  throw new TypeError(`'<' not supported between ${typeName(a)} and ${typeName(b)}`);
}

export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') return container.includes(str(item));
  if (Array.isArray(container)) return container.some((element) => equals(element, item));
  if (isPlainObject(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  if (container instanceof Map) return container.has(item);
  throw new TypeError(`argument of type ${typeName(container)} is not iterable`);
}

export function typeName(value: unknown): string {
  if (value === null) return "'NoneType'";
  if (isUndefined(value)) return "'Undefined'";
  if (Array.isArray(value)) return "'list'";
  if (isPlainObject(value)) return "'dict'";
  if (typeof value === 'string') return "'str'";
  if (typeof value === 'number') return Number.isInteger(value) ? "'int'" : "'float'";
  if (typeof value === 'boolean') return "'bool'";
  return `'${typeof value}'`;
}

/** What `for x in value` walks: lists, dict keys, string characters. */
export function iterate(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) return Object.keys(value);
  if (typeof value === 'string') return [...value];
  if (value instanceof Map) return [...value.keys()];
  if (value !== null && typeof value === 'object' && Symbol.iterator in value) return [...(value as Iterable<unknown>)];
  if (isUndefined(value)) return [];
  throw new TypeError(`${typeName(value)} object is not iterable`);
}

/** Splits a call's arguments into named parameters (positional first, then keywords). */
export function bindArguments(
  functionName: string,
  params: readonly string[],
  args: readonly unknown[],
  options: { required?: number; defaults?: Record<string, unknown>; extraKeywords?: boolean } = {},
): Record<string, unknown> {
  const last = args.at(-1);
  const kwargs = last instanceof Kwargs ? last.values : {};
  const positional = last instanceof Kwargs ? args.slice(0, -1) : args;
  if (positional.length > params.length) {
    throw new TypeError(`${functionName}() takes at most ${params.length} positional arguments (${positional.length} given)`);
  }
  const bound: Record<string, unknown> = Object.assign({}, options.defaults);
  positional.forEach((value, i) => (bound[params[i] as string] = value));
  for (const [key, value] of Object.entries(kwargs)) {
    if (!params.includes(key) && !options.extraKeywords) throw new TypeError(`${functionName}() got an unexpected keyword argument '${key}'`);
    bound[key] = value;
  }
  const required = options.required ?? 0;
  for (const name of params.slice(0, required)) {
    if (bound[name] === undefined) throw new TypeError(`${functionName}() missing required argument '${name}'`);
  }
  return bound;
}

function method(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return fn;
}

const STRING_METHODS: Record<string, (self: string) => (...args: unknown[]) => unknown> = {
  upper: (s) => method(() => s.toUpperCase()),
  lower: (s) => method(() => s.toLowerCase()),
  strip: (s) => method((chars) => stripChars(s, chars, 'both')),
  lstrip: (s) => method((chars) => stripChars(s, chars, 'start')),
  rstrip: (s) => method((chars) => stripChars(s, chars, 'end')),
  split: (s) =>
    method((sep, maxsplit) => {
      if (sep === undefined || sep === null) return s.trim().split(/\s+/).filter(Boolean);
      const parts = s.split(str(sep));
      if (typeof maxsplit === 'number' && maxsplit >= 0 && parts.length > maxsplit + 1) {
        return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(str(sep))];
      }
      return parts;
    }),
  replace: (s) => method((old, replacement) => s.replaceAll(str(old), str(replacement))),
  startswith: (s) => method((prefix) => (Array.isArray(prefix) ? prefix.some((p) => s.startsWith(str(p))) : s.startsWith(str(prefix)))),
  endswith: (s) => method((suffix) => (Array.isArray(suffix) ? suffix.some((p) => s.endsWith(str(p))) : s.endsWith(str(suffix)))),
  join: (s) => method((items) => iterate(items).map(str).join(s)),
  title: (s) => method(() => s.replace(/\w\S*/g, (w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase())),
  capitalize: (s) => method(() => (s[0]?.toUpperCase() ?? '') + s.slice(1).toLowerCase()),
  count: (s) => method((sub) => s.split(str(sub)).length - 1),
  find: (s) => method((sub) => s.indexOf(str(sub))),
  isdigit: (s) => method(() => /^\d+$/.test(s)),
  format: (s) =>
    method((...args) => {
      let next = 0;
      return s.replace(/\{(\d*)\}/g, (_m, index: string) => str(args[index === '' ? next++ : Number(index)]));
    }),
};

function stripChars(s: string, chars: unknown, side: 'both' | 'start' | 'end'): string {
  if (chars === undefined || chars === null) return side === 'both' ? s.trim() : side === 'start' ? s.trimStart() : s.trimEnd();
  const set = new Set(str(chars));
  let start = 0;
  let end = s.length;
  if (side !== 'end') while (start < end && set.has(s[start] as string)) start++;
  if (side !== 'start') while (end > start && set.has(s[end - 1] as string)) end--;
  return s.slice(start, end);
}

const LIST_METHODS: Record<string, (self: unknown[]) => (...args: unknown[]) => unknown> = {
  append: (list) => method((item) => void list.push(item)),
  extend: (list) => method((items) => void list.push(...iterate(items))),
  pop: (list) => method((index) => (index === undefined ? list.pop() : list.splice(normaliseIndex(list, index), 1)[0])),
  insert: (list) => method((index, item) => void list.splice(normaliseIndex(list, index), 0, item)),
  index: (list) => method((item) => list.findIndex((element) => equals(element, item))),
  count: (list) => method((item) => list.filter((element) => equals(element, item)).length),
  remove: (list) =>
    method((item) => {
      const at = list.findIndex((element) => equals(element, item));
      if (at >= 0) list.splice(at, 1);
    }),
  reverse: (list) => method(() => void list.reverse()),
  sort: (list) => method(() => void list.sort(compare)),
  copy: (list) => method(() => [...list]),
};

const DICT_METHODS: Record<string, (self: Record<string, unknown>) => (...args: unknown[]) => unknown> = {
  items: (dict) => method(() => Object.entries(dict)),
  keys: (dict) => method(() => Object.keys(dict)),
  values: (dict) => method(() => Object.values(dict)),
  get: (dict) => method((key, fallback) => (typeof key === 'string' && Object.hasOwn(dict, key) ? dict[key] : (fallback ?? null))),
  update: (dict) =>
    method((other) => {
      const values = other instanceof Kwargs ? other.values : other;
      if (isPlainObject(values)) Object.assign(dict, values);
    }),
  pop: (dict) =>
    method((key, fallback) => {
      const k = str(key);
      if (!Object.hasOwn(dict, k)) return fallback ?? null;
      const value = dict[k];
      delete dict[k];
      return value;
    }),
  setdefault: (dict) =>
    method((key, fallback) => {
      const k = str(key);
      if (!Object.hasOwn(dict, k)) dict[k] = fallback ?? null;
      return dict[k];
    }),
  copy: (dict) => method(() => Object.assign({}, dict)),
};

function normaliseIndex(list: readonly unknown[], index: unknown): number {
  const n = Number(index);
  return n < 0 ? list.length + n : n;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** `object.name` / `object[key]` with Python methods on str, list and dict, and no prototype escapes. */
export function getMember(object: unknown, key: unknown): unknown {
  const name = typeof key === 'number' ? key : str(key);
  if (typeof name === 'string' && FORBIDDEN.has(name)) return new Undefined(`attribute '${name}' is not accessible`);
  if (typeof object === 'string') {
    if (typeof name === 'number') return object.at(name) ?? new Undefined(`string index ${name} out of range`);
    const factory = STRING_METHODS[name];
    return factory ? factory(object) : new Undefined(`'str object' has no attribute '${name}'`);
  }
  if (Array.isArray(object)) {
    if (typeof name === 'number' || /^-?\d+$/.test(name)) return object.at(Number(name)) ?? new Undefined(`list index ${name} out of range`);
    const factory = LIST_METHODS[name];
    return factory ? factory(object) : new Undefined(`'list object' has no attribute '${name}'`);
  }
  if (isPlainObject(object)) {
    const k = String(name);
    if (Object.hasOwn(object, k)) return object[k];
    const factory = DICT_METHODS[k];
    return factory ? factory(object) : new Undefined(`'dict object' has no attribute '${k}'`);
  }
  if (object instanceof Map) return object.has(name) ? object.get(name) : new Undefined(`no key '${String(name)}'`);
  if ((typeof object === 'object' && object !== null) || typeof object === 'function') {
    const k = String(name);
    if (k in object && !(k in Object.prototype) && !(typeof object === 'function' && k in Function.prototype)) {
      const value = (object as Record<string, unknown>)[k];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    }
    return new Undefined(`'${typeof object === 'function' ? 'function' : 'object'}' has no attribute '${k}'`);
  }
  return new Undefined(`${typeName(object)} has no attribute '${String(name)}'`);
}
