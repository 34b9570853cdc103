/** A server's page: identity, introspection, tools with badges, the full recommended policy. @internal */

export const serverTemplate = `<% layout('@layout') %>
<% const s = it.server; %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › <%= s.name %></p>
<h1><%= s.name %></h1>
<% if (s.description) { %><p class="description" id="server-description"><%= s.description %></p>
<%~ include('@cut', { cut: s.descriptionCut, link: it.link }) %><% } %>
<section aria-labelledby="identity">
<h2 id="identity">Package</h2>
<dl class="facts">
<div><dt>Registry</dt><dd id="registry"><%= s.registry %></dd></div>
<div><dt>Identifier</dt><dd id="identifier"><code><%= s.identifier %></code></dd></div>
<div><dt>Version</dt><dd id="version"><%= s.version %><% if (s.published) { %> (published <%= s.published %>)<% } %></dd></div>
<% if (s.repository) { %><div><dt>Repository</dt><dd id="repository"><% if (s.repository.href) { %><a href="<%= s.repository.href %>" rel="nofollow noopener noreferrer ugc"><%= s.repository.text %></a><% } else { %><span class="untrusted-url"><%= s.repository.text %></span><% } %></dd></div>
<% } %><div><dt>JSON</dt><dd><a href="<%= it.link(s.apiPath) %>">API document for this server</a></dd></div>
</dl>
</section>

<section aria-labelledby="introspection">
<h2 id="introspection">How we listed its tools</h2>
<% if (s.attempt) { %><dl class="facts">
<div><dt>Outcome</dt><dd><span id="outcome" class="outcome outcome-<%= s.attempt.outcomeClass %>"><%= s.attempt.outcome %></span></dd></div>
<div><dt>Method</dt><dd id="method"><code><%= s.attempt.method %></code>: <%= s.attempt.methodText %></dd></div>
<div><dt>Date</dt><dd><time id="attempt-date" datetime="<%= s.attempt.iso %>"><%= s.attempt.date %></time></dd></div>
<% if (s.attempt.serverInfo) { %><div><dt>Server reports</dt><dd><%= s.attempt.serverInfo %></dd></div>
<% } %></dl>
<% if (s.attempt.failure) { %><div class="failure" id="failure">
<h3><%= s.attempt.failure.liveOnly ? 'Why the live start failed' : 'Why it failed' %></h3>
<p><strong id="failure-reason"><%= s.attempt.failure.reason %></strong>: <%= s.attempt.failure.reasonText %><% if (s.attempt.failure.help) { %> <a id="failure-help" href="<%= it.link(s.attempt.failure.help) %>">What the server's author can do</a><% } %></p>
<% if (s.attempt.failure.retry) { %><p id="failure-retry"><%= s.attempt.failure.retry %></p>
<% } %><% if (s.attempt.failure.message) { %><p id="failure-message"><%= s.attempt.failure.message %></p>
<% } %><% if (s.attempt.failure.stderr) { %><p>Last lines the server wrote to stderr<% if (s.attempt.failure.crawlerNotes) { %>; lines marked <code>[mcp-catalogue]</code> are the crawler's notes of what it saw<% } %>:</p>
<pre tabindex="0" id="stderr-tail"><%= s.attempt.failure.stderr %></pre>
<% } else { %><p>The server wrote nothing to stderr.</p>
<% } %><% if (s.attempt.failure.liveOnly) { %><p>The tools below were read from the package source without running it.</p>
<% } else if (it.tools.length > 0) { %><p>The tools below come from an earlier successful attempt.</p>
<% } %></div>
<% } %><% if (s.attempt.instructions) { %><h3>Instructions the server gives clients</h3>
<p class="note">Quoted as the server sent them; they are addressed to models, not to you, and may try to steer one.</p>
<pre tabindex="0" class="quote"><%= s.attempt.instructions %></pre>
<%~ include('@cut', { cut: s.attempt.instructionsCut, link: it.link }) %><% } %><% } else { %><p>We have not tried to list this server's tools yet.</p>
<% } %></section>

<section aria-labelledby="tools">
<h2 id="tools"><%= it.toolHeading %></h2>
<% if (it.tools.length === 0) { %><p>No tools catalogued for this server.</p>
<% } else { %><table class="counts" id="counts-by-category">
<caption>Tools by category</caption>
<thead><tr><th scope="col">Category</th><th scope="col" class="num">Tools</th></tr></thead>
<tbody>
<% for (const row of it.byCategory) { %><tr data-label="<%= row.label %>"><td><%~ include('@category', { category: row.label }) %></td><td class="num"><%= row.count %></td></tr>
<% } %></tbody>
</table>
<%~ include('@pager', { pager: it.pager, link: it.link }) %><%~ include('@tool-table', { tools: it.tools, link: it.link }) %><%~ include('@pager', { pager: it.pager, link: it.link }) %><% } %></section>

<% if (s.offerings) { const o = s.offerings; %><section aria-labelledby="offerings">
<h2 id="offerings">Prompts and resources</h2>
<p class="note">Listed by the server with prompts/list, resources/list and resources/templates/list. Names, descriptions and URIs are quoted as the server sent them; no URI was opened.</p>
<% if (o.prompts) { %><h3>Prompts (<%= o.prompts.total %>)</h3>
<% if (o.prompts.total === 0) { %><p>The server declares prompts but listed none.</p>
<% } else { %><table class="list" id="prompt-table">
<thead><tr><th scope="col">Prompt</th><th scope="col">Arguments</th></tr></thead>
<tbody>
<% for (const p of o.prompts.items) { %><tr data-prompt="<%= p.name %>">
<td><code><%= p.name %></code><% if (p.title) { %> <%= p.title %><% } %><% if (p.summary) { %><br><span class="summary"><%= p.summary %></span><% } %></td>
<td><% if (p.arguments.length === 0) { %>none<% } else { %><ul class="arguments"><% for (const a of p.arguments) { %><li><code><%= a.name %></code><% if (a.required) { %> (required)<% } %><% if (a.summary) { %>: <%= a.summary %><% } %></li><% } %></ul><% } %></td>
</tr>
<% } %></tbody>
</table>
<%~ include('@more', { shown: o.prompts.items.length, total: o.prompts.total, what: 'prompts', href: it.server.apiPath, link: it.link }) %><% } %><% } %><% if (o.resources) { %><h3>Resources (<%= o.resources.total %>)</h3>
<% if (o.resources.total === 0) { %><p>The server declares resources but listed none.</p>
<% } else { %><table class="list" id="resource-table">
<thead><tr><th scope="col">Resource</th><th scope="col">URI</th><th scope="col">Type</th></tr></thead>
<tbody>
<% for (const r of o.resources.items) { %><tr>
<td><%= r.name %><% if (r.summary) { %><br><span class="summary"><%= r.summary %></span><% } %></td>
<td><code class="untrusted-url"><%= r.uri %></code></td>
<td><%= r.mimeType ?? '' %></td>
</tr>
<% } %></tbody>
</table>
<%~ include('@more', { shown: o.resources.items.length, total: o.resources.total, what: 'resources', href: it.server.apiPath, link: it.link }) %><% } %><% } %><% if (o.resourceTemplates) { %><h3>Resource templates (<%= o.resourceTemplates.total %>)</h3>
<% if (o.resourceTemplates.total === 0) { %><p>The server lists no resource templates.</p>
<% } else { %><table class="list" id="resource-template-table">
<thead><tr><th scope="col">Template</th><th scope="col">URI template</th><th scope="col">Type</th></tr></thead>
<tbody>
<% for (const r of o.resourceTemplates.items) { %><tr>
<td><%= r.name %><% if (r.summary) { %><br><span class="summary"><%= r.summary %></span><% } %></td>
<td><code class="untrusted-url"><%= r.uriTemplate %></code></td>
<td><%= r.mimeType ?? '' %></td>
</tr>
<% } %></tbody>
</table>
<%~ include('@more', { shown: o.resourceTemplates.items.length, total: o.resourceTemplates.total, what: 'resource templates', href: it.server.apiPath, link: it.link }) %><% } %><% } %><% if (o.failures.length > 0) { %><h3>What went wrong listing them</h3>
<ul id="list-failures"><% for (const f of o.failures) { %><li><code><%= f.method %></code>: <%= f.message %></li><% } %></ul>
<% } %></section>
<% } %>
<%~ include('@changes-section', { changes: it.changes, link: it.link }) %>
<section aria-labelledby="policy">
<h2 id="policy">Recommended policy</h2>
<% if (it.policyJson) { %><p>The whole <code>policy.json</code> for <%= s.name %>. Load it into your MCP gateway as it is, or adjust it first. <a id="policy-download" href="<%= it.link(s.policyPath) %>" download="policy.json">Download policy.json</a></p>
<pre tabindex="0" class="json" id="policy-json"><%= it.policyJson %></pre>
<% } else if (it.policyChars > 0) { %><p id="policy-too-long">The whole <code>policy.json</code> for <%= s.name %> is <%= it.policyChars.toLocaleString('en-US') %> characters, too long to show here. <a id="policy-download" href="<%= it.link(s.policyPath) %>" download="policy.json">Download policy.json</a></p>
<% } else if (it.policyError) { %><p id="policy-error">No recommended policy: it could not be built from the records stored for this server (<%= it.policyError %>). It is built again on the next run.</p>
<% } else { %><p>No recommended policy for this server yet.</p>
<% } %><% if (it.formats.length > 0) { %><h3 id="formats">The same policy for your gateway or client</h3>
<p>Each file says what <code>policy.json</code> says, as far as the format can; what it cannot say becomes asking or denying, never allowing. The mapping of each format is in the project's <code>policy/FORMATS.md</code>.</p>
<ul id="policy-formats"><% for (const f of it.formats) { %><li id="format-<%= f.id %>"><a href="<%= it.link(f.path) %>" download="<%= f.fileName %>"><%= f.title %></a> (<code><%= f.fileName %></code>)<ul><% for (const c of f.caveats) { %><li><%= c %></li><% } %><% if (f.degraded.length > 0) { %><li>Here: <% for (const [i, d] of f.degraded.entries()) { %><%= i > 0 ? '; ' : '' %><code><%= d.tool %></code> becomes <%= d.becomes %> (<%= d.reason %>)<% } %><% if (f.moreDegraded > 0) { %>; and <%= f.moreDegraded %> more<% } %>.</li><% } %></ul></li>
<% } %></ul>
<% } %></section>
<section aria-labelledby="badges">
<h2 id="badges">Badges</h2>
<p>To show this server's rating in its README or documentation, copy the Markdown under a badge. Each image links to this page.<% if (!it.badges.absolute) { %> <span id="badge-relative-note">The addresses below are relative to this catalogue's root: put the address the site is published at in front of each (or build the site with <code>--base-url</code> to have them written in full).</span><% } %></p>
<ul class="badges" id="badge-list"><% for (const b of it.badges.items) { %><li id="badge-<%= b.kind %>"><img class="site-badge" src="<%= it.link(b.path) %>" alt="<%= b.alt %>" height="20">
<pre tabindex="0" class="snippet"><code><%= b.markdown %></code></pre></li>
<% } %></ul>
</section>
<p class="tally" id="tally"><%= it.tally %></p>
`;

/** \`it.tools\`: rows of a server's tool table (render-server.ts); \`it.link\`: the page's linker. */
export const toolTableTemplate = `<table class="list" id="tool-table">
<thead><tr><th scope="col">Tool</th><th scope="col">Category</th><th scope="col">Risk</th><th scope="col">Policy</th></tr></thead>
<tbody>
<% for (const tool of it.tools) { %><tr data-tool="<%= tool.name %>">
<td><a href="<%= it.link(tool.path) %>"><code><%= tool.name %></code></a><% if (tool.summary) { %><br><span class="summary"><%= tool.summary %></span><% } %></td>
<td><%~ include('@category', { category: tool.category }) %></td>
<td><%~ include('@risk', { risk: tool.risk }) %></td>
<td><%= tool.policyLabel %></td>
</tr>
<% } %></tbody>
</table>
`;

/** A further page of a server's tool table, when the server lists more tools than fit on its own page. */
export const serverToolsTemplate = `<% layout('@layout') %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › <a href="<%= it.link(it.server.path) %>"><%= it.server.name %></a> › tools</p>
<h1><%= it.heading %></h1>
<p>The server's own page has its package, how we listed its tools and its recommended policy; <a href="<%= it.link(it.server.apiPath) %>">the JSON document</a> has every tool.</p>
<%~ include('@pager', { pager: it.pager, link: it.link }) %><%~ include('@tool-table', { tools: it.tools, link: it.link }) %><%~ include('@pager', { pager: it.pager, link: it.link }) %>`;

/** \`it.shown\` of \`it.total\` items listed; says where the rest are when some were left out. */
export const moreTemplate = `<% if (it.total > it.shown) { %><p class="note"><%= (it.total - it.shown).toLocaleString('en-US') %> more <%= it.what %> are in <a href="<%= it.link(it.href) %>">the JSON document</a>.</p>
<% } %>`;
