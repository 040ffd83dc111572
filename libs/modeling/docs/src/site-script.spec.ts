import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SITE_SCRIPT } from './site-script.js';

interface SiteApi {
  parseRoute(hash: string): { route: string; focus: string | null };
  reach(start: string, edges: Record<string, string[]>): string[];
  lineageClasses(focus: string, parents: Record<string, string[]>, children: Record<string, string[]>): { node(id: string): string; edge(from: string, to: string): string };
  matches(haystack: string, query: string): boolean;
}

/** The shipped script, run outside a browser: without `document` it only publishes its pure part. */
function loadScript(): SiteApi {
  const context: { globalThis?: unknown; SP01Docs?: SiteApi } = {};
  context.globalThis = context;
  runInNewContext(SITE_SCRIPT, context);
  return context.SP01Docs as SiteApi;
}

const docs = loadScript();
// a -> b -> d, a -> c -> d, d -> e; x is unrelated.
const parents = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: ['d'], x: [] };
const children = { a: ['b', 'c'], b: ['d'], c: ['d'], d: ['e'], e: [], x: [] };

describe('page script', () => {
  it.each([
    ['', { route: 'overview', focus: null }],
    ['#!/', { route: 'overview', focus: null }],
    ['#!/model/model.jaffle.orders', { route: 'model/model.jaffle.orders', focus: null }],
    ['#!/source/source.jaffle.raw.top_up', { route: 'source/source.jaffle.raw.top_up', focus: null }],
    ['#!/lineage', { route: 'lineage', focus: null }],
    ['#!/lineage/model.jaffle.orders', { route: 'lineage', focus: 'model.jaffle.orders' }],
    ['#!/model/model.x.%E5%84%B2%E5%80%BC', { route: 'model/model.x.儲值', focus: null }],
  ])('routes %j', (hash, expected) => {
    expect(docs.parseRoute(hash)).toEqual(expected);
  });

  it('finds everything upstream and downstream, transitively', () => {
    expect(docs.reach('d', parents)).toEqual(['a', 'b', 'c']);
    expect(docs.reach('a', children)).toEqual(['b', 'c', 'd', 'e']);
    expect(docs.reach('x', children)).toEqual([]);
  });

  it('classes nodes and edges around a focus', () => {
    const classes = docs.lineageClasses('b', parents, children);
    expect(['a', 'b', 'c', 'd', 'e', 'x'].map((id) => classes.node(id))).toEqual(['up', 'focus', 'dim', 'down', 'down', 'dim']);
    expect([classes.edge('a', 'b'), classes.edge('b', 'd'), classes.edge('d', 'e'), classes.edge('a', 'c'), classes.edge('c', 'd')]).toEqual(['up', 'down', 'down', 'dim', 'dim']);
  });

  it('matches every search term anywhere in the searchable text', () => {
    const text = 'orders model.jaffle.orders one row per order tag:marts order_id amount';
    expect(docs.matches(text, '')).toBe(true);
    expect(docs.matches(text, 'ORDER tag:marts')).toBe(true);
    expect(docs.matches(text, 'order customers')).toBe(false);
  });
});
