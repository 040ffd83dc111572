/**
 * Google's partial-response `fields` selector (`nextPageToken,files(id,name)`, `files/id`,
 * `*`), as Drive applies it: only the selected properties come back, and a selector naming
 * an unknown property is a 400, so a typo in a client's `fields` shows up in tests.
 */
export type FieldSelection = Map<string, FieldSelection | true>;

export class FieldSelectionError extends Error {}

export function parseFields(fields: string): FieldSelection {
  let pos = 0;
  const parseList = (): FieldSelection => {
    const selection: FieldSelection = new Map();
    for (;;) {
      const path: string[] = [];
      for (;;) {
        const name = /^\s*([A-Za-z_*][A-Za-z0-9_]*)\s*/.exec(fields.slice(pos));
        if (!name) throw new FieldSelectionError(`Invalid field selection ${fields}`);
        path.push(name[1] as string);
        pos += name[0].length;
        if (fields[pos] !== '/') break;
        pos++;
      }
      let leaf: FieldSelection | true = true;
      if (fields[pos] === '(') {
        pos++;
        leaf = parseList();
        if (fields[pos] !== ')') throw new FieldSelectionError(`Invalid field selection ${fields}`);
        pos++;
        while (fields[pos] === ' ') pos++;
      }
      let node = selection;
      path.forEach((key, i) => {
        if (i === path.length - 1) {
          const existing = node.get(key);
          node.set(key, existing instanceof Map && leaf instanceof Map ? new Map([...existing, ...leaf]) : leaf);
        } else {
          const next = node.get(key);
          if (next === true) return;
          const child: FieldSelection = next ?? new Map();
          node.set(key, child);
          node = child;
        }
      });
      if (fields[pos] !== ',') break;
      pos++;
    }
    return selection;
  };
  const selection = parseList();
  if (pos !== fields.length) throw new FieldSelectionError(`Invalid field selection ${fields}`);
  return selection;
}

/** Shape of a resource for validation: property name → nested shape, or true for a leaf. */
export type ResourceShape = ReadonlyMap<string, ResourceShape | true>;

export function validateFields(selection: FieldSelection, shape: ResourceShape, prefix = ''): void {
  for (const [key, sub] of selection) {
    if (key === '*') continue;
    const known = shape.get(key);
    if (known === undefined) throw new FieldSelectionError(`Invalid field selection ${prefix}${key}`);
    if (sub instanceof Map) {
      if (known === true) throw new FieldSelectionError(`Invalid field selection ${prefix}${key}`);
      validateFields(sub, known, `${prefix}${key}.`);
    }
  }
}

export function applyFields(value: unknown, selection: FieldSelection): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFields(v, selection));
  if (typeof value !== 'object' || value === null) return value;
  if (selection.get('*') === true) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of selection) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out[key] = sub === true ? v : applyFields(v, sub);
  }
  return out;
}
