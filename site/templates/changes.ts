/**
 * The change history's pages: the "Changes" section of a server's page, a change page per listing pair, and the
 * site-wide "Recent changes" page. Data reaches them only through `<%= %>` (escaped). @internal
 */

/** `it.changes`: a server's changes view (render-changes.ts) or null; `it.link`: the page's linker. */
export const changesSectionTemplate = `<section aria-labelledby="changes">
<h2 id="changes">Changes</h2>
<% const c = it.changes; %><% if (!c || c.rows.length === 0) { %><p id="no-changes"><% if (c && c.listings > 0) { %>Listed <%= c.listings %> time<%= c.listings === 1 ? '' : 's' %> since <%= c.firstListed %>; no tool has changed.<% } else { %>No listing history yet.<% } %></p>
<% } else { %><p>Listed <%= c.listings %> times since <%= c.firstListed %>. Each change compares a listing with the one before it. <% if (c.feedPath) { %><a href="<%= it.link(c.feedPath) %>" id="server-feed">Atom feed</a> · <% } %><a href="<%= it.link(c.apiPath) %>">JSON</a></p>
<ol class="timeline" id="change-timeline">
<% for (const row of c.rows) { %><li data-change="<%= row.key %>"><time datetime="<%= row.iso %>"><%= row.date %></time>: <a href="<%= it.link(row.path) %>"><%= row.versions %></a> — <%= row.summary %><% if (row.findings.length > 0) { %>
<ul class="findings"><% for (const f of row.findings) { %><li class="finding severity-<%= f.severity %>" data-rule="<%= f.rule %>"><strong><%= f.severity %></strong>: <%= f.message %></li><% } %></ul><% } %></li>
<% } %></ol>
<% if (c.more > 0) { %><p class="note"><%= c.more %> earlier changes are in <a href="<%= it.link(c.apiPath) %>">the JSON document</a>.</p>
<% } %><% } %></section>
`;

/** `it.change`: one change page's view (render-changes.ts). */
export const changePageTemplate = `<% layout('@layout') %>
<% const c = it.change; %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › <a href="<%= it.link(c.serverPath) %>"><%= c.serverName %></a> › Change</p>
<h1><%= c.serverName %>: <%= c.versions %></h1>
<dl class="facts">
<div><dt>Before</dt><dd id="from">version <%= c.from.version %>, listed <time datetime="<%= c.from.iso %>"><%= c.from.date %></time> (<code><%= c.from.method %></code>)</dd></div>
<div><dt>After</dt><dd id="to">version <%= c.to.version %>, listed <time datetime="<%= c.to.iso %>"><%= c.to.date %></time> (<code><%= c.to.method %></code>)</dd></div>
<div><dt>Release</dt><dd id="release"><%= c.release %></dd></div>
<div><dt>JSON</dt><dd><a href="<%= it.link(c.apiPath) %>">every change of this server</a></dd></div>
</dl>
<section aria-labelledby="findings"><h2 id="findings">Findings</h2>
<% if (c.findings.length === 0) { %><p id="no-findings">No rug-pull finding.</p>
<% } else { %><ul class="findings" id="finding-list"><% for (const f of c.findings) { %><li class="finding severity-<%= f.severity %>" data-rule="<%= f.rule %>"><strong><%= f.severity %></strong>: <%= f.message %></li>
<% } %></ul><% } %></section>
<section aria-labelledby="added"><h2 id="added">Added (<%= c.added.total %>)</h2>
<% if (c.added.total === 0) { %><p>None.</p>
<% } else { %><ul id="added-tools"><% for (const t of c.added.items) { %><li data-tool="<%= t.name %>"><code><%= t.name %></code> <%~ include('@category', { category: t.category }) %> <%~ include('@risk', { risk: t.risk }) %><% if (t.summary) { %><br><span class="summary"><%= t.summary %></span><% } %></li>
<% } %></ul><% if (c.added.more > 0) { %><p class="note"><%= c.added.more %> more in the JSON document.</p><% } %><% } %></section>
<section aria-labelledby="removed"><h2 id="removed">Removed (<%= c.removed.total %>)</h2>
<% if (c.removed.total === 0) { %><p>None.</p>
<% } else { %><ul id="removed-tools"><% for (const t of c.removed.items) { %><li data-tool="<%= t.name %>"><code><%= t.name %></code> <%~ include('@category', { category: t.category }) %> <%~ include('@risk', { risk: t.risk }) %></li>
<% } %></ul><% if (c.removed.more > 0) { %><p class="note"><%= c.removed.more %> more in the JSON document.</p><% } %><% } %></section>
<section aria-labelledby="changed"><h2 id="changed">Changed (<%= c.changed.total %>)</h2>
<% if (c.changed.total === 0) { %><p>None.</p>
<% } %><% for (const t of c.changed.items) { %><article class="tool-change" data-tool="<%= t.name %>">
<h3><code><%= t.name %></code></h3>
<p>Fields changed: <%= t.fields %>. Classification: <%~ include('@category', { category: t.before.category }) %> <%~ include('@risk', { risk: t.before.risk }) %> → <%~ include('@category', { category: t.after.category }) %> <%~ include('@risk', { risk: t.after.risk }) %><% if (t.ruleIds) { %> (rules <%= t.ruleIds %>)<% } %>.</p>
<% if (t.description) { %><p>Description, word by word (<ins>added</ins>, <del>removed</del>):</p>
<p class="word-diff"><% for (const p of t.description) { %><% if (p.op === 'added') { %><ins><%= p.value %></ins><% } else if (p.op === 'removed') { %><del><%= p.value %></del><% } else { %><%= p.value %><% } %><% } %></p>
<% if (t.descriptionCut) { %><p class="cut note">Description diff cut — full definitions in the JSON document.</p><% } %><% } %><% if (t.parameters.length > 0) { %><ul class="parameter-changes"><% for (const p of t.parameters) { %><li>parameter <code><%= p.name %></code> <%= p.change %><% if (p.detail) { %> (<%= p.detail %>)<% } %></li><% } %></ul>
<% } %><% if (t.annotations.length > 0) { %><ul class="annotation-changes"><% for (const a of t.annotations) { %><li>annotation <code><%= a.name %></code>: <%= a.before %> → <%= a.after %></li><% } %></ul>
<% } %></article>
<% } %><% if (c.changed.more > 0) { %><p class="note"><%= c.changed.more %> more in the JSON document.</p><% } %></section>
`;

/** `it.rows`: the newest changes across the site; `it.feeds`: feed links or null. */
export const recentChangesTemplate = `<% layout('@layout') %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › Recent changes</p>
<h1>Recent changes</h1>
<p>Every change between two consecutive listings of a server, newest first<% if (it.more > 0) { %> (the newest <%= it.rows.length %>; all <%= it.total %> are in <a href="<%= it.link(it.apiPath) %>">the JSON document</a>)<% } %>.
<% if (it.feeds) { %><a href="<%= it.link(it.feeds.all) %>" id="feed-all">Atom feed of every change</a> · <a href="<%= it.link(it.feeds.findings) %>" id="feed-findings">Atom feed of risk increases and rug-pull findings</a> · <% } %><a href="<%= it.link(it.apiPath) %>">JSON</a></p>
<% if (it.rows.length === 0) { %><p id="no-changes">No changes recorded yet.</p>
<% } else { %><table class="list" id="change-table">
<thead><tr><th scope="col">Date</th><th scope="col">Server</th><th scope="col">Change</th><th scope="col">Findings</th></tr></thead>
<tbody>
<% for (const row of it.rows) { %><tr data-change="<%= row.key %>">
<td><time datetime="<%= row.iso %>"><%= row.date %></time></td>
<td><a href="<%= it.link(row.serverPath) %>"><%= row.serverName %></a></td>
<td><a href="<%= it.link(row.path) %>"><%= row.versions %></a>: <%= row.summary %></td>
<td><% if (row.findings.length === 0) { %>none<% } else { %><ul class="findings"><% for (const f of row.findings) { %><li class="finding severity-<%= f.severity %>" data-rule="<%= f.rule %>"><strong><%= f.severity %></strong>: <%= f.message %></li><% } %></ul><% } %></td>
</tr>
<% } %></tbody></table>
<% } %>`;
