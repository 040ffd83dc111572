/** assets/docs.css: no web fonts, no external images, system colours switch with the OS theme. */
export const SITE_STYLE = `
:root { --bg: #fff; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --panel: #f6f8fa; --accent: #0b63ce;
  --model: #0b63ce; --source: #1a7f37; --seed: #8250df; --snapshot: #bc4c00; --up: #1a7f37; --down: #cf222e; color-scheme: light dark; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --panel: #161b22; --accent: #4493f8;
  --model: #4493f8; --source: #3fb950; --seed: #a371f7; --snapshot: #db6d28; --up: #3fb950; --down: #f85149; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans TC", sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
header.top { display: flex; gap: 16px; align-items: center; padding: 8px 16px; border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0; z-index: 2; }
header.top .brand { font-weight: 600; font-size: 16px; color: var(--fg); } header.top nav { display: flex; gap: 12px; margin-left: auto; }
.layout { display: grid; grid-template-columns: 300px 1fr; min-height: calc(100vh - 42px); }
aside.sidebar { border-right: 1px solid var(--line); padding: 12px; overflow: auto; max-height: calc(100vh - 42px); position: sticky; top: 42px; }
#search { width: 100%; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
#search-count { color: var(--muted); margin: 4px 0; min-height: 1em; font-size: 12px; }
#tree ul { list-style: none; margin: 0; padding-left: 14px; } #tree > details > ul { padding-left: 4px; }
#tree summary { cursor: pointer; font-weight: 600; padding: 2px 0; } #tree details details summary { font-weight: 500; color: var(--muted); }
a.leaf { display: flex; justify-content: space-between; padding: 1px 6px; border-radius: 4px; color: var(--fg); }
a.leaf.active { background: var(--accent); color: #fff; } a.leaf .mat { color: var(--muted); font-size: 11px; } a.leaf.active .mat { color: #fff; }
main { padding: 16px 28px 64px; min-width: 0; }
html.js section.page[hidden] { display: none; } html:not(.js) section.page { border-bottom: 2px solid var(--line); padding-bottom: 24px; }
h1 { font-size: 22px; margin: 4px 0 12px; } h2 { font-size: 15px; margin: 22px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.kind { color: var(--muted); font-size: 12px; font-weight: 400; } .muted { color: var(--muted); }
table { border-collapse: collapse; } table.details th { text-align: left; padding: 3px 16px 3px 0; color: var(--muted); font-weight: 500; vertical-align: top; white-space: nowrap; }
table.details td { padding: 3px 0; } table.columns { width: 100%; } table.columns th, table.columns td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
.tag { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; font-size: 12px; }
.test-badge { display: inline-block; min-width: 20px; text-align: center; border-radius: 4px; padding: 0 5px; font-size: 11px; font-weight: 600; background: var(--panel); border: 1px solid var(--line); color: var(--fg); }
.test-badge.sev-warn { border-color: #d4a72c; }
.status { border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; } .status-ok { background: #dafbe1; color: #116329; } .status-bad { background: #ffebe9; color: #a40e26; }
.status-warn { background: #fff8c5; color: #7d4e00; } .status-muted { background: var(--panel); color: var(--muted); }
.relations { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; } ul.refs, ul.tests { padding-left: 18px; margin: 0; }
details.code, details.config { margin: 6px 0; } details.code summary, details.config summary { cursor: pointer; color: var(--muted); }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow: auto; max-height: 560px; }
.sql-k { color: #cf222e; font-weight: 600; } .sql-f { color: #8250df; } .sql-s { color: #0a3069; } .sql-n { color: #0550ae; } .sql-c { color: #6e7781; font-style: italic; }
.sql-j { color: #953800; background: rgba(255, 171, 0, .12); } .sql-i { color: #116329; }
@media (prefers-color-scheme: dark) { .sql-k { color: #ff7b72; } .sql-f { color: #d2a8ff; } .sql-s { color: #a5d6ff; } .sql-n { color: #79c0ff; } .sql-j { color: #ffa657; } .sql-i { color: #7ee787; } }
.graph { overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); max-height: 70vh; } .graph-full { max-height: calc(100vh - 200px); }
svg.lineage { display: block; } svg.lineage text { font: 12px system-ui, sans-serif; fill: var(--fg); pointer-events: none; }
svg.lineage rect { fill: var(--bg); stroke: var(--model); stroke-width: 1.5; } svg.lineage .ln-source rect { stroke: var(--source); }
svg.lineage .ln-seed rect { stroke: var(--seed); } svg.lineage .ln-snapshot rect { stroke: var(--snapshot); } svg.lineage .ln-ephemeral rect { stroke-dasharray: 4 3; }
svg.lineage g.ln { cursor: pointer; } svg.lineage g.ln:hover rect { stroke-width: 3; }
svg.lineage g.focus rect { stroke-width: 3.5; fill: var(--panel); } svg.lineage g.up rect { stroke: var(--up); stroke-width: 2.5; } svg.lineage g.down rect { stroke: var(--down); stroke-width: 2.5; }
svg.lineage g.dim { opacity: .35; } svg.lineage path.le { fill: none; stroke: var(--muted); stroke-width: 1.2; }
svg.lineage path.le.up { stroke: var(--up); stroke-width: 2.2; } svg.lineage path.le.down { stroke: var(--down); stroke-width: 2.2; } svg.lineage path.le.dim { opacity: .2; }
svg.lineage marker path { fill: var(--muted); }
.legend { border: 2px solid; border-radius: 4px; padding: 0 6px; font-size: 12px; } .legend.ln-model { border-color: var(--model); } .legend.ln-source { border-color: var(--source); }
.legend.ln-seed { border-color: var(--seed); } .legend.ln-snapshot { border-color: var(--snapshot); }
@media (max-width: 800px) { .layout { grid-template-columns: 1fr; } aside.sidebar { position: static; max-height: none; } .relations { grid-template-columns: 1fr; } }
`;
