/**
 * A layered (Sugiyama-style) DAG layout, small enough to read: layers by longest path from
 * the roots, order inside a layer by barycentre sweeps (keeping the ordering with the fewest
 * crossings), then fixed-size boxes on a grid with curved edges left to right.
 */

export interface LineageEdge {
  from: string;
  to: string;
}

export interface LayoutOptions {
  nodeWidth?: number;
  nodeHeight?: number;
  /** Horizontal space between layers, where the edges run. */
  layerGap?: number;
  rowGap?: number;
  margin?: number;
  /** Barycentre passes (alternating down and up). */
  sweeps?: number;
}

export interface PlacedNode {
  id: string;
  layer: number;
  order: number;
  x: number;
  y: number;
}

export interface PlacedEdge extends LineageEdge {
  /** SVG path data, from the parent's right side to the child's left side. */
  path: string;
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  layers: string[][];
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
  crossings: number;
}

/** Longest-path layering: roots at 0, every other node one right of its furthest parent. */
export function assignLayers(nodes: readonly string[], edges: readonly LineageEdge[]): Map<string, number> {
  const parents = new Map<string, string[]>(nodes.map((id) => [id, []]));
  const children = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const edge of edges) {
    parents.get(edge.to)?.push(edge.from);
    children.get(edge.from)?.push(edge.to);
  }
  const pending = new Map(nodes.map((id) => [id, parents.get(id)?.length ?? 0]));
  const layer = new Map<string, number>();
  const queue = nodes.filter((id) => pending.get(id) === 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string;
    layer.set(id, Math.max(0, ...(parents.get(id) ?? []).map((p) => (layer.get(p) ?? -1) + 1)));
    for (const child of children.get(id) ?? []) {
      const left = (pending.get(child) ?? 0) - 1;
      pending.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  // A cycle cannot come out of the compiler; if a hand-made manifest has one, its nodes go last rather than vanish.
  let next = Math.max(-1, ...layer.values()) + 1;
  for (const id of nodes) if (!layer.has(id)) layer.set(id, next++);
  return layer;
}

/** Crossings between edges joining neighbouring layers, for a given order. */
export function countCrossings(layers: readonly (readonly string[])[], edges: readonly LineageEdge[]): number {
  const position = new Map<string, { layer: number; order: number }>();
  layers.forEach((ids, layer) => ids.forEach((id, order) => position.set(id, { layer, order })));
  const byLayer = new Map<number, [number, number][]>();
  for (const edge of edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (!from || !to || to.layer !== from.layer + 1) continue;
    const list = byLayer.get(from.layer) ?? [];
    list.push([from.order, to.order]);
    byLayer.set(from.layer, list);
  }
  let crossings = 0;
  for (const list of byLayer.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a1, b1] = list[i] as [number, number];
        const [a2, b2] = list[j] as [number, number];
        if ((a1 - a2) * (b1 - b2) < 0) crossings++;
      }
    }
  }
  return crossings;
}

function sweep(layers: string[][], neighbours: Map<string, string[]>, direction: 'down' | 'up'): string[][] {
  const next = layers.map((ids) => [...ids]);
  const relative = new Map<string, number>();
  const remember = (ids: readonly string[]) => ids.forEach((id, i) => relative.set(id, (i + 0.5) / ids.length));
  next.forEach(remember);
  const indices = direction === 'down' ? next.map((_, i) => i).slice(1) : next.map((_, i) => i).reverse().slice(1);
  for (const index of indices) {
    const ids = next[index] as string[];
    const key = new Map(
      ids.map((id) => {
        const positions = (neighbours.get(id) ?? []).map((n) => relative.get(n)).filter((p): p is number => p !== undefined);
        const own = relative.get(id) ?? 0;
        return [id, positions.length ? positions.reduce((a, b) => a + b, 0) / positions.length : own];
      }),
    );
    ids.sort((a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0));
    remember(ids);
  }
  return next;
}

export function layoutLineage(nodes: readonly string[], edges: readonly LineageEdge[], options: LayoutOptions = {}): LineageLayout {
  const nodeWidth = options.nodeWidth ?? 190;
  const nodeHeight = options.nodeHeight ?? 34;
  const layerGap = options.layerGap ?? 70;
  const rowGap = options.rowGap ?? 14;
  const margin = options.margin ?? 16;
  const sweeps = options.sweeps ?? 6;

  const known = new Set(nodes);
  const seen = new Set<string>();
  const kept = edges.filter((edge) => {
    const key = `${edge.from}\u0000${edge.to}`;
    if (!known.has(edge.from) || !known.has(edge.to) || edge.from === edge.to || seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const layerOf = assignLayers(nodes, kept);
  const depth = Math.max(-1, ...layerOf.values()) + 1;
  let layers: string[][] = Array.from({ length: depth }, () => []);
  for (const id of nodes) layers[layerOf.get(id) as number]?.push(id);

  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const edge of kept) {
    if (!parents.has(edge.to)) parents.set(edge.to, []);
    if (!children.has(edge.from)) children.set(edge.from, []);
    parents.get(edge.to)?.push(edge.from);
    children.get(edge.from)?.push(edge.to);
  }
  let best = layers;
  let bestCrossings = countCrossings(layers, kept);
  for (let pass = 0; pass < sweeps && bestCrossings > 0; pass++) {
    layers = sweep(layers, pass % 2 === 0 ? parents : children, pass % 2 === 0 ? 'down' : 'up');
    const crossings = countCrossings(layers, kept);
    if (crossings < bestCrossings) {
      best = layers;
      bestCrossings = crossings;
    }
  }

  const tallest = Math.max(0, ...best.map((ids) => ids.length));
  const columnHeight = (count: number) => Math.max(0, count * (nodeHeight + rowGap) - rowGap);
  const placed: PlacedNode[] = [];
  const at = new Map<string, PlacedNode>();
  best.forEach((ids, layer) => {
    const top = margin + (columnHeight(tallest) - columnHeight(ids.length)) / 2;
    ids.forEach((id, order) => {
      const node = { id, layer, order, x: margin + layer * (nodeWidth + layerGap), y: top + order * (nodeHeight + rowGap) };
      placed.push(node);
      at.set(id, node);
    });
  });
  const placedEdges = kept.map((edge) => {
    const from = at.get(edge.from) as PlacedNode;
    const to = at.get(edge.to) as PlacedNode;
    const x1 = from.x + nodeWidth;
    const y1 = from.y + nodeHeight / 2;
    const x2 = to.x;
    const y2 = to.y + nodeHeight / 2;
    const bend = Math.max(layerGap / 2, (x2 - x1) / 3);
    return { ...edge, path: `M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}` };
  });
  return {
    nodes: placed,
    edges: placedEdges,
    layers: best,
    width: margin * 2 + Math.max(0, depth * (nodeWidth + layerGap) - layerGap),
    height: margin * 2 + columnHeight(tallest),
    nodeWidth,
    nodeHeight,
    crossings: bestCrossings,
  };
}
