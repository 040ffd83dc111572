import { bindArguments, compare, contains, equals, getMember, isPlainObject, isUndefined, iterate, Kwargs, str, truthy } from './python-values.js';

/** Jinja's built-in filters that dbt projects use. Each gets the value and the call's arguments. */
export type Filter = (value: unknown, ...args: unknown[]) => unknown;
export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

function attributeOf(item: unknown, attribute: unknown): unknown {
  return str(attribute)
    .split('.')
    .reduce<unknown>((current, part) => getMember(current, part), item);
}

function defaultFilter(value: unknown, ...args: unknown[]): unknown {
  const { default_value, boolean } = bindArguments('default', ['default_value', 'boolean'], args, { defaults: { default_value: '' } });
  if (isUndefined(value) || (truthy(boolean) && !truthy(value))) return default_value;
  return value;
}

function join(value: unknown, ...args: unknown[]): string {
  const { d, attribute } = bindArguments('join', ['d', 'attribute'], args, { defaults: { d: '' } });
  const items = iterate(value).map((item) => (attribute === undefined ? item : attributeOf(item, attribute)));
  return items.map(str).join(str(d));
}

function round(value: unknown, ...args: unknown[]): number {
  const { precision, method } = bindArguments('round', ['precision', 'method'], args, { defaults: { precision: 0, method: 'common' } });
  const factor = 10 ** Number(precision);
  const n = Number(value) * factor;
  const rounded = method === 'ceil' ? Math.ceil(n) : method === 'floor' ? Math.floor(n) : Math.round(n);
  return rounded / factor;
}

function mapFilter(value: unknown, ...args: unknown[]): unknown[] {
  const last = args.at(-1);
  const kwargs = last instanceof Kwargs ? last.values : {};
  const items = iterate(value);
  if (kwargs['attribute'] !== undefined) return items.map((item) => attributeOf(item, kwargs['attribute']));
  const name = str(args[0]);
  const filter = FILTERS[name];
  if (!filter) throw new TypeError(`no filter named '${name}'`);
  const rest = args.slice(1).filter((a) => !(a instanceof Kwargs));
  return items.map((item) => filter(item, ...rest));
}

function selectBy(keep: boolean, byAttribute: boolean) {
  return (value: unknown, ...args: unknown[]): unknown[] => {
    const [first, testName, ...testArgs] = args;
    return iterate(value).filter((item) => {
      const subject = byAttribute ? attributeOf(item, first) : item;
      const name = byAttribute ? testName : first;
      const rest = byAttribute ? testArgs : [testName, ...testArgs].filter((a) => a !== undefined);
      const result = name === undefined ? truthy(subject) : runTest(str(name), subject, rest);
      return result === keep;
    });
  };
}

export const FILTERS: Record<string, Filter> = {
  default: defaultFilter,
  d: defaultFilter,
  upper: (value) => str(value).toUpperCase(),
  lower: (value) => str(value).toLowerCase(),
  trim: (value, chars) => (chars === undefined ? str(value).trim() : (getMember(str(value), 'strip') as (c: unknown) => string)(chars)),
  title: (value) => (getMember(str(value), 'title') as () => string)(),
  capitalize: (value) => (getMember(str(value), 'capitalize') as () => string)(),
  replace: (value, old, replacement, count) => {
    const s = str(value);
    if (count === undefined) return s.replaceAll(str(old), str(replacement));
    let result = s;
    for (let i = 0; i < Number(count); i++) result = result.replace(str(old), str(replacement));
    return result;
  },
  join,
  length: (value) => (isPlainObject(value) ? Object.keys(value).length : iterate(value).length),
  count: (value) => (isPlainObject(value) ? Object.keys(value).length : iterate(value).length),
  list: (value) => [...iterate(value)],
  first: (value) => iterate(value)[0],
  last: (value) => iterate(value).at(-1),
  int: (value, fallback) => {
    const n = typeof value === 'string' ? Number.parseInt(value, 10) : Math.trunc(Number(value));
    return Number.isNaN(n) ? (fallback ?? 0) : n;
  },
  float: (value, fallback) => {
    const n = Number.parseFloat(str(value));
    return Number.isNaN(n) ? (fallback ?? 0) : n;
  },
  string: (value) => str(value),
  abs: (value) => Math.abs(Number(value)),
  round,
  sort: (value, ...args) => {
    const { reverse, attribute } = bindArguments('sort', ['reverse', 'case_sensitive', 'attribute'], args);
    const key = (item: unknown) => (attribute === undefined ? item : attributeOf(item, attribute));
    const sorted = [...iterate(value)].sort((a, b) => compare(key(a), key(b)));
    return truthy(reverse) ? sorted.reverse() : sorted;
  },
  reverse: (value) => (typeof value === 'string' ? [...value].reverse().join('') : [...iterate(value)].reverse()),
  unique: (value) => iterate(value).filter((item, i, all) => all.findIndex((other) => equals(other, item)) === i),
  sum: (value, ...args) => {
    const { attribute, start } = bindArguments('sum', ['attribute', 'start'], args, { defaults: { start: 0 } });
    return iterate(value).reduce<number>((total, item) => total + Number(attribute === undefined ? item : attributeOf(item, attribute)), Number(start));
  },
  min: (value) => [...iterate(value)].sort(compare)[0],
  max: (value) => [...iterate(value)].sort(compare).at(-1),
  items: (value) => (isPlainObject(value) ? Object.entries(value) : []),
  dictsort: (value) => (isPlainObject(value) ? Object.entries(value).sort(([a], [b]) => compare(a, b)) : []),
  tojson: (value) => JSON.stringify(value ?? null),
  safe: (value) => value,
  e: (value) => value,
  escape: (value) => value,
  indent: (value, width) => str(value).replaceAll('\n', `\n${' '.repeat(Number(width ?? 4))}`),
  wordcount: (value) => str(value).split(/\s+/).filter(Boolean).length,
  batch: (value, size) => {
    const items = iterate(value);
    const n = Number(size);
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    return out;
  },
  map: mapFilter,
  select: selectBy(true, false),
  reject: selectBy(false, false),
  selectattr: selectBy(true, true),
  rejectattr: selectBy(false, true),
  format: (value, ...args) => {
    let next = 0;
    return str(value).replace(/%[sd]/g, () => str(args[next++]));
  },
};

export const TESTS: Record<string, TestFn> = {
  defined: (value) => !isUndefined(value),
  undefined: (value) => isUndefined(value),
  none: (value) => value === null,
  number: (value) => typeof value === 'number',
  integer: (value) => typeof value === 'number' && Number.isInteger(value),
  float: (value) => typeof value === 'number' && !Number.isInteger(value),
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  true: (value) => value === true,
  false: (value) => value === false,
  mapping: (value) => isPlainObject(value),
  iterable: (value) => Array.isArray(value) || isPlainObject(value) || typeof value === 'string',
  sequence: (value) => Array.isArray(value) || typeof value === 'string',
  callable: (value) => typeof value === 'function',
  even: (value) => Number(value) % 2 === 0,
  odd: (value) => Math.abs(Number(value) % 2) === 1,
  divisibleby: (value, n) => Number(value) % Number(n) === 0,
  lower: (value) => typeof value === 'string' && value === value.toLowerCase(),
  upper: (value) => typeof value === 'string' && value === value.toUpperCase(),
  eq: (value, other) => equals(value, other),
  equalto: (value, other) => equals(value, other),
  '==': (value, other) => equals(value, other),
  ne: (value, other) => !equals(value, other),
  '!=': (value, other) => !equals(value, other),
  lt: (value, other) => compare(value, other) < 0,
  le: (value, other) => compare(value, other) <= 0,
  gt: (value, other) => compare(value, other) > 0,
  ge: (value, other) => compare(value, other) >= 0,
  in: (value, container) => contains(container, value),
  sameas: (value, other) => value === other,
};

export function runTest(name: string, value: unknown, args: unknown[]): boolean {
  const test = TESTS[name];
  if (!test) throw new TypeError(`no test named '${name}'`);
  return test(value, ...args);
}
