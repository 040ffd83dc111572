import { describe, expect, it } from 'vitest';
import { assignLayers, countCrossings, layoutLineage } from './lineage-layout.js';

const edges = (...pairs: string[]) => pairs.map((pair) => {
  const [from, to] = pair.split('>') as [string, string];
  return { from, to };
});

describe('assignLayers', () => {
  it.each([
    ['a chain', ['a', 'b', 'c'], edges('a>b', 'b>c'), { a: 0, b: 1, c: 2 }],
    ['longest path wins over a shortcut', ['a', 'b', 'c'], edges('a>b', 'b>c', 'a>c'), { a: 0, b: 1, c: 2 }],
    ['independent roots share layer 0', ['x', 'y', 'z'], edges('x>z', 'y>z'), { x: 0, y: 0, z: 1 }],
    ['isolated nodes sit in layer 0', ['lonely', 'a', 'b'], edges('a>b'), { lonely: 0, a: 0, b: 1 }],
    ['a cycle does not lose nodes', ['a', 'b', 'c'], edges('a>b', 'b>c', 'c>b'), { a: 0, b: 1, c: 2 }],
  ])('%s', (_name, nodes, list, expected) => {
    expect(Object.fromEntries(assignLayers(nodes, list))).toEqual(expected);
  });
});

describe('countCrossings', () => {
  it('counts pairs of edges that swap order between neighbouring layers', () => {
    expect(countCrossings([['a', 'b'], ['c', 'd']], edges('a>d', 'b>c'))).toBe(1);
    expect(countCrossings([['a', 'b'], ['c', 'd']], edges('a>c', 'b>d'))).toBe(0);
  });
});

describe('layoutLineage', () => {
  it('untangles crossings the input order would draw', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f'];
    const list = edges('a>f', 'b>e', 'c>d');
    expect(countCrossings([['a', 'b', 'c'], ['d', 'e', 'f']], list)).toBe(3);
    const layout = layoutLineage(nodes, list);
    expect(layout.crossings).toBe(0);
    expect(layout.layers).toEqual([
      ['a', 'b', 'c'],
      ['f', 'e', 'd'],
    ]);
  });

  it('places nodes without overlap, layers left to right, inside the canvas', () => {
    const nodes = ['s1', 's2', 'm1', 'm2', 'm3', 'm4'];
    const list = edges('s1>m1', 's2>m1', 's2>m2', 'm1>m3', 'm2>m3', 'm3>m4', 's1>m4');
    const layout = layoutLineage(nodes, list, { nodeWidth: 100, nodeHeight: 20, layerGap: 40, rowGap: 10, margin: 5 });
    const at = new Map(layout.nodes.map((node) => [node.id, node]));
    for (const edge of list) expect(at.get(edge.from)?.layer).toBeLessThan(at.get(edge.to)?.layer as number);
    for (const a of layout.nodes) {
      expect(a.x).toBe(5 + a.layer * 140);
      expect(a.x + 100).toBeLessThanOrEqual(layout.width);
      expect(a.y + 20).toBeLessThanOrEqual(layout.height);
      for (const b of layout.nodes) {
        if (a !== b && a.layer === b.layer) expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(30);
      }
    }
    expect(layout.edges).toHaveLength(list.length);
    const edge = layout.edges.find((e) => e.from === 's1' && e.to === 'm1');
    const s1 = at.get('s1');
    const m1 = at.get('m1');
    expect(edge?.path).toMatch(new RegExp(`^M${(s1?.x ?? 0) + 100} ${(s1?.y ?? 0) + 10} C.* ${m1?.x} ${(m1?.y ?? 0) + 10}$`));
  });

  it('drops edges to unknown nodes, self loops and duplicates', () => {
    const layout = layoutLineage(['a', 'b'], edges('a>b', 'a>b', 'a>a', 'a>ghost'));
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['a>b']);
  });

  it('is deterministic and fast enough for a 600-node project', () => {
    const nodes = Array.from({ length: 600 }, (_, i) => `n${i}`);
    const list = nodes.slice(20).flatMap((id, i) => [
      { from: nodes[(i * 7) % (i + 20)] as string, to: id },
      { from: nodes[(i * 13) % (i + 20)] as string, to: id },
    ]);
    const started = performance.now();
    const first = layoutLineage(nodes, list);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(layoutLineage(nodes, list)).toEqual(first);
    expect(first.nodes).toHaveLength(600);
  });

  it('handles an empty graph', () => {
    expect(layoutLineage([], [])).toMatchObject({ nodes: [], edges: [], layers: [] });
  });
});
