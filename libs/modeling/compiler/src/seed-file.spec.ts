import { describe, expect, it } from 'vitest';
import { JAFFLE_DIR } from './__fixtures__/project-files.js';
import type { SeedNode } from './graph.js';
import { parseProject } from './parse.js';
import { csvRecords, parseCsv, readSeed } from './seed-file.js';

describe('CSV', () => {
  it.each<[string, string[][]]>([
    ['a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['a,b\r\n1,2', [['a', 'b'], ['1', '2']]],
    ['name,note\n"Doe, J","said ""hi"""\n', [['name', 'note'], ['Doe, J', 'said "hi"']]],
    ['a\n"multi\nline"\n', [['a'], ['multi\nline']]],
    ['\uFEFFa,b\n,x\n\n', [['a', 'b'], ['', 'x']]],
  ])('parses %j', (text, rows) => {
    expect(parseCsv(text)).toEqual(rows);
  });

  it('types fixture values as dbt users write them', () => {
    expect(csvRecords('id,amount,flag,name,empty\n1,-2.5,true,x,\n')).toEqual([{ id: 1, amount: -2.5, flag: true, name: 'x', empty: null }]);
  });

  it('reads a seed with its column types', () => {
    const graph = parseProject({ projectDir: JAFFLE_DIR, env: {} });
    const seed = readSeed(graph.nodes.get('seed.jaffle.raw_payments') as SeedNode);
    expect(seed.columns).toEqual(['id', 'order_id', 'payment_method', 'amount']);
    expect(seed.rows[0]).toEqual(['1', '1', 'credit_card', '1000']);
    expect(seed.rows).toHaveLength(5);
    expect(seed.column_types).toEqual({ id: 'integer', order_id: 'integer', amount: 'bigint' });
  });
});
