/** The site's one stylesheet, `assets/style.css`: system fonts, no external resources, badges colored by risk. @internal */

export const STYLE_CSS = `/* mcp-catalogue: one small stylesheet, no external resources. */
:root {
  --text: #1b1f24;
  --muted: #57606a;
  --line: #d0d7de;
  --bg: #ffffff;
  --panel: #f6f8fa;
  --link: #0550ae;
  --low: #1a7f37;
  --medium: #9a6700;
  --high: #bc4c00;
  --critical: #cf222e;
  --none: #57606a;
  /* Text (not badge backgrounds) in the colours of success and failure, readable on --bg. */
  --ok-text: #1a7f37;
  --bad-text: #cf222e;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--text); background: var(--bg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main, header.site, footer.site { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header.site { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; padding-top: 1rem; padding-bottom: 0.75rem; border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; font-size: 1.1rem; color: var(--text); text-decoration: none; }
header.site nav { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; font-size: 0.9rem; }
header.site nav span { color: var(--muted); }
footer.site { margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; }
a { color: var(--link); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 1rem 0 0.5rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.5rem; overflow-wrap: anywhere; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.25rem; overflow-wrap: anywhere; }
p, li, td, dd { overflow-wrap: anywhere; }
/* Names and descriptions come from untrusted packages: keep bidi controls in them from reordering our text. */
code, q, a, span, strong, time { unicode-bidi: isolate; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
code { background: var(--panel); padding: 0.05em 0.3em; border-radius: 4px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; overflow: auto; max-height: 40rem; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
.badges { list-style: none; padding: 0; }
.badges li { margin-bottom: 0.75rem; }
.lede { font-size: 1.1rem; color: var(--muted); }
.crumbs { font-size: 0.9rem; color: var(--muted); margin-top: 1rem; overflow-wrap: anywhere; }
.description { white-space: pre-line; }
.description.missing, .note, .ident, .summary { color: var(--muted); }
.ident, .summary { font-size: 0.85rem; }
.title { font-size: 1.1rem; color: var(--muted); margin-top: 0; }
.tally { margin-top: 2rem; font-weight: 600; }
table { border-collapse: collapse; margin: 0.75rem 0; }
table.list { width: 100%; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.columns { display: flex; flex-wrap: wrap; gap: 2rem; }
dl.stats { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0.5rem 0 1rem; }
dl.stats div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1rem; }
dl.stats dt { color: var(--muted); font-size: 0.85rem; }
dl.stats dd { margin: 0; font-size: 1.5rem; font-weight: 700; }
dl.facts div { display: flex; gap: 1rem; padding: 0.2rem 0; }
dl.facts dt { flex: 0 0 9rem; color: var(--muted); }
dl.facts dd { margin: 0; }
.badges { margin: 1rem 0 0; }
.badges a { text-decoration: none; }
.badge { display: inline-block; padding: 0.1em 0.55em; border-radius: 999px; font-size: 0.8rem; font-weight: 600; line-height: 1.5; border: 1px solid currentColor; white-space: nowrap; }
.badge.risk { color: #fff; border-color: transparent; }
.risk-low { background: var(--low); }
.risk-medium { background: var(--medium); }
.risk-high { background: var(--high); }
.risk-critical { background: var(--critical); }
.risk-unclassified, .risk-none { background: var(--none); }
.badge.category { color: var(--text); background: var(--panel); border-color: var(--line); }
.badge.hidden-tool { color: var(--bad-text); }
.outcome-ok { color: var(--ok-text); font-weight: 600; }
.outcome-failed { color: var(--bad-text); font-weight: 600; }
.outcome-none { color: var(--muted); }
.failure { border-left: 4px solid var(--critical); padding-left: 1rem; }
.evidence li, .signals li { margin: 0.3rem 0; }
.evidence .source { font-weight: 600; }
.evidence .rule { color: var(--muted); font-size: 0.85rem; }
.untrusted-url { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
.qa h3 { margin-bottom: 0.1rem; }
header.site form.site-search { font-size: 0.9rem; }
header.site form.site-search label { color: var(--muted); }
input, select, button { font: inherit; }
nav.filters p { margin: 0.25rem 0; }
nav.filters .filter-label { color: var(--muted); }
ol.search-results li { margin: 0.6rem 0; }
ol.search-results .summary { margin: 0.1rem 0 0; }
@media (prefers-color-scheme: dark) {
  :root { --text: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --panel: #161b22; --link: #4493f8; --ok-text: #3fb950; --bad-text: #ff7b72; }
}
`;

/** The site's icon, `assets/icon.svg`: a shield in the colour of the links. */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 6v9c0 7.5 5.1 13.2 12 15 6.9-1.8 12-7.5 12-15V6z" fill="#0550ae"/><path d="m10 16 4 4 8-9" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>
`;
