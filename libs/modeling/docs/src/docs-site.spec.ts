import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '@sp01/modeling-compiler';
import { jaffleManifest } from './__fixtures__/jaffle-manifest.js';
import type { CatalogArtifact, RunResultsArtifact, SourceFreshnessArtifact } from './artifacts.js';
import { readDocsArtifacts } from './artifacts.js';
import { generateDocsSite } from './docs-site.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function build(manifest: Manifest, extra: { runResults?: RunResultsArtifact; catalog?: CatalogArtifact; sourceFreshness?: SourceFreshnessArtifact } = {}) {
  const outDir = mkdtempSync(join(tmpdir(), 'modeling-docs-'));
  dirs.push(outDir);
  const site = generateDocsSite({ manifest, outDir, ...extra });
  return { site, outDir, html: readFileSync(site.indexPath, 'utf8') };
}

/** The `<section>` of one page, by its route. */
function page(html: string, route: string): string {
  const open = html.indexOf(`data-route="${route}"`);
  expect(open, `page ${route}`).toBeGreaterThan(-1);
  return html.slice(html.lastIndexOf('<section', open), html.indexOf('</section>', open));
}

function unescape(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const manifest = jaffleManifest();
const { site, outDir, html } = build(manifest);
const drawnTypes = new Set(['model', 'seed', 'snapshot', 'source']);
const typeOf = (id: string) => (manifest.nodes[id]?.['resource_type'] ?? manifest.sources[id]?.['resource_type']) as string | undefined;

describe('generateDocsSite on the compiler fixture project', () => {
  it('writes index.html and its assets, nothing else', () => {
    expect(site.files.map((file) => file.slice(outDir.length + 1)).sort()).toEqual(['assets/docs.css', 'assets/docs.js', 'index.html']);
    expect(site.pages).toBe(Object.keys(manifest.nodes).length + Object.keys(manifest.sources).length);
  });

  it.each(['model', 'seed', 'snapshot', 'test', 'source'])('has a page and a sidebar entry for every %s', (type) => {
    const all = { ...manifest.nodes, ...manifest.sources };
    const ids = Object.keys(all).filter((id) => all[id]?.['resource_type'] === type);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(html).toContain(`data-route="${type}/${id}"`);
      expect(html).toContain(`class="leaf" href="#!/${type}/${id}" data-id="${id}"`);
    }
  });

  it('draws exactly the parent_map edges between sources, seeds, models and snapshots', () => {
    const lineage = page(html, 'lineage');
    const drawn = [...lineage.matchAll(/<path class="le" data-from="([^"]+)" data-to="([^"]+)"/g)].map((m) => `${m[1]} -> ${m[2]}`).sort();
    const expected = Object.entries(manifest.parent_map)
      .filter(([child]) => drawnTypes.has(typeOf(child) ?? ''))
      .flatMap(([child, parents]) => parents.filter((parent) => drawnTypes.has(typeOf(parent) ?? '')).map((parent) => `${parent} -> ${child}`))
      .sort();
    expect(expected).toContain('model.jaffle.stg_orders -> model.jaffle.orders');
    expect(expected).toContain('source.jaffle.raw.customers -> snapshot.jaffle.customers_snapshot');
    expect(drawn).toEqual(expected);
    const boxes = [...lineage.matchAll(/<g class="ln[^"]*" data-id="([^"]+)"/g)].map((m) => m[1]).sort();
    const expectedBoxes = [...Object.keys(manifest.nodes), ...Object.keys(manifest.sources)].filter((id) => drawnTypes.has(typeOf(id) ?? '')).sort();
    expect(boxes).toEqual(expectedBoxes);
  });

  it('lays the graph out left to right by depth: every edge goes rightwards', () => {
    const lineage = page(html, 'lineage');
    const x = new Map([...lineage.matchAll(/data-id="([^"]+)" transform="translate\(([\d.]+) /g)].map((m) => [m[1] as string, Number(m[2])]));
    for (const m of lineage.matchAll(/data-from="([^"]+)" data-to="([^"]+)"/g)) {
      expect(x.get(m[1] as string), `${m[1]} -> ${m[2]}`).toBeLessThan(x.get(m[2] as string) as number);
    }
  });

  it('resolves every link: hash routes to pages, local files to written assets, nothing remote', () => {
    const routes = new Set([...html.matchAll(/data-route="([^"]+)"/g)].map((m) => unescape(m[1] as string)));
    const drawn = new Set([...html.matchAll(/<g class="ln[^"]*" data-id="([^"]+)"/g)].map((m) => unescape(m[1] as string)));
    const links = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => unescape(m[1] as string));
    expect(links.length).toBeGreaterThan(100);
    for (const link of links) {
      if (link.startsWith('#!/lineage/')) expect(drawn, link).toContain(link.slice('#!/lineage/'.length));
      else if (link.startsWith('#!/')) expect(routes, link).toContain(link.slice(3));
      else {
        expect(link, 'no network').not.toMatch(/^(https?:)?\/\//);
        expect(existsSync(join(outDir, link)), link).toBe(true);
      }
    }
  });

  it('shows descriptions, columns and their tests on a model page', () => {
    const stg = page(html, 'model/model.jaffle.stg_customers');
    expect(stg).toContain('One row per customer.');
    expect(stg).toMatch(/<tr data-column="customer_id"><td><code>customer_id<\/code><\/td><td>integer<\/td><td>Primary key.<\/td><td>(.*)<\/td><\/tr>/);
    const tests = Object.values(manifest.nodes).filter((n) => n['attached_node'] === 'model.jaffle.stg_customers' && n['column_name'] === 'customer_id');
    expect(tests).toHaveLength(2);
    for (const test of tests) expect(stg).toContain(`href="#!/test/${String(test['unique_id'])}"`);
    expect(stg).toMatch(/title="unique \(error\): [^"]+">U</);
    expect(stg).toMatch(/title="not_null \(error\): [^"]+">N</);
    const stgOrders = page(html, 'model/model.jaffle.stg_orders');
    expect(stgOrders).toMatch(/class="test-badge sev-warn"[^>]*title="accepted_values \(warn\)/);
    expect(stgOrders).toMatch(/title="relationships \(error\)[^"]*">F</);
  });

  it('shows config, raw and compiled SQL, depends-on and referenced-by', () => {
    const orders = page(html, 'model/model.jaffle.orders');
    expect(orders).toContain('<span class="kind">model · incremental</span>');
    expect(orders).toMatch(/<th>Incremental strategy<\/th><td><code>merge<\/code>/);
    expect(orders).toMatch(/<th>Partition by<\/th><td><code>\{&quot;field&quot;:&quot;order_date&quot;/);
    expect(orders).toContain('<span class="tag">marts</span>');
    expect(orders).toContain('<summary>Source</summary>');
    expect(orders).toContain('<summary>Compiled</summary>');
    expect(orders).toContain('<span class="sql-j">{{ ref(&#39;stg_orders&#39;) }}</span>');
    expect(orders).toContain('<span class="sql-i">`analytics_staging`</span>.<span class="sql-i">`stg_orders`</span>');
    const [dependsOn, referencedBy] = orders.split('<h2>Referenced by</h2>') as [string, string];
    expect(dependsOn).toContain('href="#!/model/model.jaffle.stg_orders"');
    expect(dependsOn).toContain('href="#!/model/model.jaffle.int_order_payments"');
    expect(referencedBy.split('<h2>Code</h2>')[0]).toContain('href="#!/model/model.jaffle.customers"');
    expect(orders).toContain('<h2>Unit tests</h2>');
    expect(orders).toContain('orders_incremental_only_new');
  });

  it('lists singular tests on the models they read', () => {
    const orders = page(html, 'model/model.jaffle.orders');
    expect(orders).toContain('href="#!/test/test.jaffle.assert_order_amount_not_negative"');
    const test = page(html, 'test/test.jaffle.assert_order_amount_not_negative');
    expect(test).toContain('<span class="sql-k">where</span> amount &lt; <span class="sql-n">0</span>');
  });

  it('shows sources with their freshness rules', () => {
    const customers = page(html, 'source/source.jaffle.raw.customers');
    expect(customers).toContain('<h1>raw.customers <span class="kind">source</span>');
    expect(customers).toMatch(/<th>Loaded at field<\/th><td><code>_loaded_at<\/code>/);
    expect(customers).toMatch(/<th>Warn after<\/th><td>12 hours/);
    expect(customers).toMatch(/<th>Error after<\/th><td>24 hours/);
    expect(customers).toContain('sp01-etl');
    const topUp = page(html, 'source/source.jaffle.raw.top_up');
    expect(topUp).toMatch(/<th>Warn after<\/th><td>1 day</);
    expect(topUp).not.toContain('Error after');
    expect(topUp).toContain('<code>top_up_records</code>');
    expect(topUp).toContain('One row per top-up (儲值紀錄).');
    expect(page(html, 'source/source.jaffle.raw.orders')).toContain('Not checked');
  });

  it('gives each relation page its own lineage around it, focused on it', () => {
    const stg = page(html, 'model/model.jaffle.stg_orders');
    expect(stg).toContain('data-focus="model.jaffle.stg_orders"');
    expect(stg).toContain('<g class="ln ln-model focus" data-id="model.jaffle.stg_orders"');
    expect(stg).toContain('data-from="source.jaffle.raw.orders" data-to="model.jaffle.stg_orders"');
    expect(stg).toContain('data-from="model.jaffle.stg_orders" data-to="model.jaffle.orders"');
    expect(stg).toContain('href="#!/lineage/model.jaffle.stg_orders"');
  });
});

describe('escaping', () => {
  const hostile = '</script><script>alert(1)</script><!-- " onload="x';
  const evil = jaffleManifest();
  const orders = evil.nodes['model.jaffle.orders'] as Record<string, unknown>;
  orders['raw_code'] = `select '${hostile}' as x -- <b>bold</b>`;
  orders['compiled_code'] = `select '${hostile}' as x`;
  orders['description'] = `Orders <img src=x onerror=alert(2)> & "quotes"`;
  orders['tags'] = ['<i>t</i>'];
  const { html: escaped } = build(evil);

  it('never lets SQL, descriptions or tags become markup', () => {
    expect(escaped).not.toContain('<script>alert');
    expect(escaped).not.toContain('<img src=x');
    expect(escaped).not.toContain('<i>t</i>');
    expect(escaped).not.toContain('<b>bold</b>');
    expect(escaped).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escaped).toContain('Orders &lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;');
    expect(escaped.match(/<script/g)).toHaveLength(2);
  });

  it('keeps the embedded JSON inside its script element', () => {
    const data = /<script type="application\/json" id="docs-data">([\s\S]*?)<\/script>/.exec(escaped)?.[1] as string;
    expect(JSON.parse(data)).toMatchObject({ project: 'jaffle' });
  });
});

describe('with run results, catalog and freshness results', () => {
  const runResults: RunResultsArtifact = {
    metadata: { generated_at: '2025-03-04T06:00:00Z', invocation_id: 'run-1' },
    elapsed_time: 12.5,
    results: [
      { unique_id: 'model.jaffle.orders', status: 'success', execution_time: 3.25, adapter_response: { rows_affected: 1200, bytes_processed: 1610612736, bytes_billed: 1610612736 } },
      { unique_id: 'model.jaffle.customers', status: 'error', execution_time: 0.5, message: 'Syntax error: Unexpected <EOF>', adapter_response: {} },
    ],
  };
  const catalog: CatalogArtifact = {
    nodes: {
      'model.jaffle.orders': {
        metadata: { type: 'table', schema: 'analytics_marts', name: 'orders' },
        columns: {
          order_id: { type: 'INT64', index: 1, name: 'order_id' },
          amount: { type: 'NUMERIC', index: 2, name: 'amount' },
          loaded_only_in_warehouse: { type: 'STRING', index: 3, name: 'loaded_only_in_warehouse' },
        },
        stats: { num_rows: { id: 'num_rows', label: '# Rows', value: 1200, include: true } },
      },
    },
  };
  const sourceFreshness: SourceFreshnessArtifact = {
    results: [{ unique_id: 'source.jaffle.raw.customers', status: 'warn', max_loaded_at: '2025-03-03T10:00:00Z', snapshotted_at: '2025-03-04T06:00:00Z' }],
  };
  const { html: withRuns } = build(jaffleManifest(), { runResults, catalog, sourceFreshness });

  it('reports status, time, rows and bytes processed per node and in total', () => {
    const orders = page(withRuns, 'model/model.jaffle.orders');
    expect(orders).toContain('<span class="status status-ok">success</span>');
    expect(orders).toMatch(/<th>Bytes processed<\/th><td>1.5 GiB \(1,610,612,736 bytes\)/);
    expect(orders).toMatch(/<th>Rows affected<\/th><td>1,200/);
    expect(orders).toMatch(/<th>Execution time<\/th><td>3.25 s/);
    expect(page(withRuns, 'model/model.jaffle.customers')).toContain('Syntax error: Unexpected &lt;EOF&gt;');
    expect(page(withRuns, 'overview')).toMatch(/<th>Bytes processed<\/th><td>1.5 GiB/);
  });

  it('takes column types and stats from the catalog, descriptions from YAML', () => {
    const orders = page(withRuns, 'model/model.jaffle.orders');
    const columns = [...orders.matchAll(/<tr data-column="([^"]+)"><td><code>[^<]+<\/code><\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(columns).toEqual([
      ['order_id', 'INT64'],
      ['amount', 'NUMERIC'],
      ['loaded_only_in_warehouse', 'STRING'],
    ]);
    expect(orders).toMatch(/<th># Rows<\/th><td>1200/);
  });

  it('shows the last freshness check of a source', () => {
    const customers = page(withRuns, 'source/source.jaffle.raw.customers');
    expect(customers).toMatch(/<th>Last check<\/th><td><span class="status status-warn">warn<\/span>/);
    expect(customers).toContain('2025-03-03T10:00:00Z');
  });

  it('reads the artifacts from a target folder as dbt writes them', async () => {
    const { writeFileSync } = await import('node:fs');
    const target = mkdtempSync(join(tmpdir(), 'modeling-docs-target-'));
    dirs.push(target);
    expect(() => readDocsArtifacts(target)).toThrow(/No manifest.json/);
    writeFileSync(join(target, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(target, 'run_results.json'), JSON.stringify(runResults));
    const artifacts = readDocsArtifacts(target);
    expect(artifacts.manifest.metadata.project_name).toBe('jaffle');
    expect(artifacts.runResults?.results).toHaveLength(2);
    expect(artifacts.catalog).toBeUndefined();
  });
});
