import type { DocsColumn, DocsNode, DocsProject, DocsTest, FreshnessThresholdView } from './docs-project.js';
import { LINEAGE_TYPES } from './docs-project.js';
import { neighbourhoodLineage, projectLineage, renderLineageSvg } from './lineage-svg.js';
import { attributes, escapeHtml, formatBytes, formatSeconds, hrefOf, routeOf } from './markup.js';
import { highlightSql } from './sql-highlight.js';

const TEST_BADGE: Record<string, string> = { unique: 'U', not_null: 'N', accepted_values: 'A', relationships: 'F' };

/** Descriptions are Markdown in dbt; we keep to paragraphs and `code`, escaped first. */
export function renderDescription(description: string): string {
  if (!description.trim()) return '<p class="muted">No description.</p>';
  return description
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function link(project: DocsProject, id: string): string {
  const node = project.nodes.get(id);
  if (!node) return `<span class="muted">${escapeHtml(id)}</span>`;
  return `<a${attributes({ href: hrefOf(routeOf(node.resourceType, id)), class: `ref ref-${node.resourceType}` })}>${escapeHtml(node.label)}</a> <span class="kind">${node.resourceType}</span>`;
}

function testBadge(test: DocsTest): string {
  const short = TEST_BADGE[test.testName] ?? test.testName;
  return `<a${attributes({ class: `test-badge sev-${test.severity}`, href: hrefOf(routeOf('test', test.uniqueId)), title: `${test.testName} (${test.severity}): ${test.name}` })}>${escapeHtml(short)}</a>`;
}

function statusClass(status: string): string {
  const s = status.toLowerCase();
  if (s === 'success' || s === 'pass') return 'ok';
  if (s === 'warn') return 'warn';
  if (s === 'skipped' || s === 'skip') return 'muted';
  return 'bad';
}

function statusBadge(status: string): string {
  return `<span class="status status-${statusClass(status)}">${escapeHtml(status)}</span>`;
}

function row(label: string, value: string | null): string {
  return value === null || value === '' ? '' : `<tr><th>${escapeHtml(label)}</th><td>${value}</td></tr>`;
}

const plain = (value: unknown): string | null => {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return null;
  return `<code>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</code>`;
};

function detailsTable(node: DocsNode): string {
  const c = node.config;
  const rows = [
    row('Unique id', plain(node.uniqueId)),
    row('Relation', plain(node.relationName)),
    row('File', plain(node.originalFilePath)),
    row('Package', plain(node.packageName)),
    row('Materialization', plain(node.materialized)),
    row('Tags', node.tags.length ? node.tags.map((tag) => `<span class="tag">${escapeHtml(tag)}</span>`).join(' ') : null),
  ];
  if (node.resourceType === 'model') {
    rows.push(
      row('Incremental strategy', node.materialized === 'incremental' ? plain(c['incremental_strategy'] ?? 'default') : null),
      row('Unique key', plain(c['unique_key'])),
      row('On schema change', node.materialized === 'incremental' ? plain(c['on_schema_change']) : null),
      row('Incremental predicates', plain(c['incremental_predicates'])),
      row('Partition by', plain(c['partition_by'])),
      row('Cluster by', plain(c['cluster_by'])),
      row('Labels', plain(c['labels'])),
    );
  }
  if (node.resourceType === 'snapshot') {
    rows.push(
      row('Strategy', plain(c['strategy'])),
      row('Unique key', plain(c['unique_key'])),
      row('Updated at', plain(c['updated_at'])),
      row('Check columns', plain(c['check_cols'])),
      row('Hard deletes', plain(c['hard_deletes'])),
    );
  }
  if (node.resourceType === 'seed') rows.push(row('Column types', plain(c['column_types'])));
  if (node.test) {
    rows.push(
      row('Test', plain(node.test.testName)),
      row('Severity', plain(node.test.severity)),
      row('Column', plain(node.test.columnName)),
      row('Arguments', plain(Object.fromEntries(Object.entries(node.test.kwargs).filter(([key]) => key !== 'model' && key !== 'column_name')))),
      row('Warn if', plain(c['warn_if'])),
      row('Error if', plain(c['error_if'])),
      row('Where', plain(c['where'])),
      row('Store failures', plain(c['store_failures'])),
    );
  }
  const stats = Object.values(node.catalog?.stats ?? {}).filter((stat) => stat.include);
  for (const stat of stats) rows.push(row(stat.label, escapeHtml(String(stat.value))));
  return `<table class="details">${rows.join('')}</table>`;
}

function runSection(node: DocsNode): string {
  const run = node.run;
  if (!run) return '';
  const response = run.adapter_response ?? {};
  const rows = [
    row('Status', statusBadge(run.status)),
    row('Execution time', typeof run.execution_time === 'number' ? escapeHtml(formatSeconds(run.execution_time)) : null),
    row('Rows affected', typeof response.rows_affected === 'number' ? escapeHtml(response.rows_affected.toLocaleString('en-US')) : null),
    row('Bytes processed', typeof response.bytes_processed === 'number' ? escapeHtml(formatBytes(response.bytes_processed)) : null),
    row('Bytes billed', typeof response.bytes_billed === 'number' ? escapeHtml(formatBytes(response.bytes_billed)) : null),
    row('Failures', typeof run.failures === 'number' ? escapeHtml(String(run.failures)) : null),
    row('Message', run.message ? escapeHtml(run.message) : null),
  ];
  return `<h2>Last run</h2><table class="details">${rows.join('')}</table>`;
}

function columnsSection(node: DocsNode): string {
  if (node.columns.length === 0) return '<h2>Columns</h2><p class="muted">No columns documented.</p>';
  const body = node.columns
    .map((column: DocsColumn) => {
      const type = column.catalogType ?? column.dataType ?? '';
      return `<tr${attributes({ 'data-column': column.name })}><td><code>${escapeHtml(column.name)}</code></td><td>${escapeHtml(type)}</td><td>${column.description ? escapeHtml(column.description) : ''}</td><td>${column.tests.map(testBadge).join(' ')}</td></tr>`;
    })
    .join('');
  return `<h2>Columns</h2><table class="columns"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th></tr></thead><tbody>${body}</tbody></table>`;
}

function testsSection(project: DocsProject, node: DocsNode): string {
  const tests = [...node.tests, ...node.columns.flatMap((column) => column.tests)];
  const unit = node.unitTests.map((test) => `<li>${escapeHtml(test.name)}${test.description ? ` <span class="muted">${escapeHtml(test.description)}</span>` : ''}</li>`);
  if (tests.length === 0 && unit.length === 0) return '';
  const items = tests.map((test) => {
    const status = project.nodes.get(test.uniqueId)?.run?.status;
    return `<li>${testBadge(test)} <a${attributes({ href: hrefOf(routeOf('test', test.uniqueId)) })}>${escapeHtml(test.name)}</a>${test.columnName ? ` on <code>${escapeHtml(test.columnName)}</code>` : ''} <span class="kind">${escapeHtml(test.severity)}</span>${status ? ` ${statusBadge(status)}` : ''}</li>`;
  });
  return (
    (items.length ? `<h2>Data tests</h2><ul class="tests">${items.join('')}</ul>` : '') +
    (unit.length ? `<h2>Unit tests</h2><ul class="tests">${unit.join('')}</ul>` : '')
  );
}

function relationsSection(project: DocsProject, node: DocsNode): string {
  const list = (ids: string[]) => (ids.length ? `<ul class="refs">${ids.map((id) => `<li>${link(project, id)}</li>`).join('')}</ul>` : '<p class="muted">None.</p>');
  const isTest = (id: string) => project.nodes.get(id)?.resourceType === 'test';
  const children = node.children.filter((id) => !isTest(id) && !id.startsWith('unit_test.'));
  return `<div class="relations"><div><h2>Depends on</h2>${list(node.parents)}</div><div><h2>Referenced by</h2>${list(children)}</div></div>`;
}

function codeSection(node: DocsNode): string {
  if (node.rawCode === null && node.compiledCode === null) return '';
  const block = (title: string, sql: string | null, open: boolean) =>
    sql === null ? '' : `<details class="code"${open ? ' open' : ''}><summary>${title}</summary><pre><code class="sql">${highlightSql(sql)}</code></pre></details>`;
  return `<h2>Code</h2>${block('Source', node.rawCode, node.compiledCode === null)}${block('Compiled', node.compiledCode, true)}`;
}

function period(t: FreshnessThresholdView): string {
  return `${t.count} ${t.period}${t.count === 1 ? '' : 's'}`;
}

function freshnessSection(node: DocsNode): string {
  const source = node.source;
  if (!source) return '';
  const rule = source.freshness;
  const result = source.freshnessResult;
  const rows = rule
    ? [
        row('Loaded at field', plain(source.loadedAtField) ?? '<span class="muted">none: freshness cannot be checked</span>'),
        row('Warn after', rule.warnAfter ? escapeHtml(period(rule.warnAfter)) : null),
        row('Error after', rule.errorAfter ? escapeHtml(period(rule.errorAfter)) : null),
        row('Filter', plain(rule.filter)),
      ]
    : [row('Freshness', '<span class="muted">Not checked</span>')];
  if (result) {
    rows.push(row('Last check', statusBadge(result.status)), row('Max loaded at', plain(result.max_loaded_at)), row('Checked at', plain(result.snapshotted_at)));
  }
  return `<h2>Freshness</h2><table class="details freshness">${rows.join('')}</table>`;
}

function sourceHeader(node: DocsNode): string {
  const source = node.source;
  if (!source) return '';
  return `<table class="details">${row('Source', escapeHtml(source.sourceName))}${row('Loader', plain(source.loader))}${row('Identifier', plain(source.identifier))}</table>${source.sourceDescription ? `<h2>About ${escapeHtml(source.sourceName)}</h2>${renderDescription(source.sourceDescription)}` : ''}`;
}

export interface PageOptions {
  /** How many steps up and down the lineage of a page reaches. */
  lineageDepth: number;
}

export function renderNodePage(project: DocsProject, node: DocsNode, options: PageOptions): string {
  const route = routeOf(node.resourceType, node.uniqueId);
  const lineage = LINEAGE_TYPES.has(node.resourceType)
    ? `<h2>Lineage</h2><p><a${attributes({ href: hrefOf(`lineage/${node.uniqueId}`) })}>Open in the full lineage graph</a></p><div class="graph">${renderLineageSvg(project, neighbourhoodLineage(project, node.uniqueId, options.lineageDepth), { id: `lineage-${node.uniqueId}`, focus: node.uniqueId })}</div>`
    : '';
  const config = Object.keys(node.config).length
    ? `<details class="config"><summary>Full config</summary><pre><code>${escapeHtml(JSON.stringify(node.config, null, 2))}</code></pre></details>`
    : '';
  return (
    `<section${attributes({ class: 'page node', 'data-route': route, 'data-id': node.uniqueId, id: `!/${route}` })}>` +
    `<h1>${escapeHtml(node.label)} <span class="kind">${node.resourceType}${node.materialized && node.resourceType === 'model' ? ` · ${escapeHtml(node.materialized)}` : ''}</span>${node.run ? ` ${statusBadge(node.run.status)}` : ''}</h1>` +
    `<h2>Description</h2>${renderDescription(node.description)}` +
    sourceHeader(node) +
    `<h2>Details</h2>${detailsTable(node)}${config}` +
    runSection(node) +
    freshnessSection(node) +
    columnsSection(node) +
    testsSection(project, node) +
    relationsSection(project, node) +
    codeSection(node) +
    lineage +
    `</section>`
  );
}

export function renderLineagePage(project: DocsProject): string {
  const svg = renderLineageSvg(project, projectLineage(project), { id: 'lineage-full' });
  const legend = ['source', 'seed', 'model', 'snapshot'].map((type) => `<span class="legend ln-${type}">${type}</span>`).join(' ');
  return (
    `<section class="page lineage-page" data-route="lineage" id="!/lineage">` +
    `<h1>Lineage</h1><p class="muted">Click a box to open it. Hover shows what it depends on (upstream) and what reads it (downstream). ${legend}</p>` +
    `<p class="lineage-focus muted" id="lineage-focus"></p>` +
    `<div class="graph graph-full">${svg}</div></section>`
  );
}

export function renderOverviewPage(project: DocsProject): string {
  const count = (type: string) => [...project.nodes.values()].filter((node) => node.resourceType === type).length;
  const counts = ['model', 'source', 'seed', 'snapshot', 'test']
    .map((type) => `<tr><th>${type === 'test' ? 'data tests' : `${type}s`}</th><td>${count(type)}</td></tr>`)
    .join('');
  let run = '';
  if (project.runResults) {
    const results = project.runResults.results;
    const byStatus = new Map<string, number>();
    for (const result of results) byStatus.set(result.status, (byStatus.get(result.status) ?? 0) + 1);
    const bytes = results.reduce((sum, result) => sum + (result.adapter_response?.bytes_processed ?? 0), 0);
    run =
      `<h2>Last run</h2><table class="details">` +
      [...byStatus].map(([status, n]) => row(status, `${statusBadge(status)} ${n}`)).join('') +
      row('Elapsed', typeof project.runResults.elapsed_time === 'number' ? escapeHtml(formatSeconds(project.runResults.elapsed_time)) : null) +
      row('Bytes processed', bytes > 0 ? escapeHtml(formatBytes(bytes)) : null) +
      row('Generated at', plain(project.runResults.metadata?.generated_at)) +
      `</table>`;
  }
  const models = [...project.nodes.values()]
    .filter((node) => node.resourceType === 'model')
    .map((node) => `<tr><td><a${attributes({ href: hrefOf(routeOf('model', node.uniqueId)) })}>${escapeHtml(node.name)}</a></td><td>${escapeHtml(node.materialized ?? '')}</td><td>${escapeHtml(node.description.split('\n')[0] ?? '')}</td></tr>`)
    .join('');
  return (
    `<section class="page overview" data-route="overview" id="!/overview">` +
    `<h1>${escapeHtml(project.name)}</h1>` +
    `<table class="details">${row('Adapter', escapeHtml(project.adapterType))}${row('Generated at', escapeHtml(project.generatedAt))}${row('Invocation', plain(project.invocationId))}${counts}</table>` +
    run +
    `<h2>Models</h2><table class="columns"><thead><tr><th>Model</th><th>Materialization</th><th>Description</th></tr></thead><tbody>${models}</tbody></table>` +
    `<p><a href="${hrefOf('lineage')}">See the lineage graph</a></p></section>`
  );
}

export function renderNotFoundPage(): string {
  return `<section class="page" data-route="not-found" id="!/not-found"><h1>Not found</h1><p>Nothing in this project lives at that address. <a href="${hrefOf('overview')}">Back to the overview</a>.</p></section>`;
}
