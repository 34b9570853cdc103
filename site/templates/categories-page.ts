/** Attack patterns: one page per category, and their index. @internal */

export const attacksTemplate = `<% layout('@layout') %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › <a href="<%= it.link(it.indexPath) %>">Attack patterns</a> › <%= it.category %></p>
<h1><%= it.heading %></h1>
<p class="lede"><%= it.summary %></p>
<p><%= it.meaning %> <a href="<%= it.link(it.browsePath) %>">Every <%= it.category %> tool in the catalogue</a>.</p>

<section id="policy" aria-labelledby="policy-heading">
<h2 id="policy-heading">What the recommended policy does</h2>
<p id="policy-rule"><%= it.rule %></p>
</section>

<section id="patterns" aria-labelledby="patterns-heading">
<h2 id="patterns-heading">Attack patterns</h2>
<% for (const p of it.patterns) { %><article class="pattern" id="<%= p.id %>" aria-labelledby="<%= p.id %>-heading">
<h3 id="<%= p.id %>-heading"><%= p.name %></h3>
<p><%= p.how %></p>
<p class="mitigation"><strong>Mitigation:</strong> <%= p.mitigation %></p>
</article>
<% } %></section>

<section id="exposed" aria-labelledby="exposed-heading">
<h2 id="exposed-heading"><%= it.exposedHeading %></h2>
<% if (it.rows.length === 0) { %><p>None in the catalogue yet.</p>
<% } else { %><p class="note">Highest risk first, then highest confidence<% if (it.total > it.rows.length) { %>; <%= it.rows.length %> of <%= it.totalText %>, the rest on <a href="<%= it.link(it.browsePath) %>">the list of <%= it.category %> tools</a><% } %>.</p>
<table class="list" id="exposed-table">
<thead><tr><th scope="col">Tool</th><th scope="col">Server</th><th scope="col">Risk</th><th scope="col" class="num">Confidence</th></tr></thead>
<tbody>
<% for (const r of it.rows) { %><tr>
<td><a href="<%= it.link(r.path) %>"><code><%= r.name %></code></a></td>
<td><a href="<%= it.link(r.serverPath) %>"><%= r.server %></a></td>
<td><%~ include('@risk', { risk: r.risk }) %></td>
<td class="num"><%= r.confidence %></td>
</tr>
<% } %></tbody>
</table>
<% } %></section>`;

export const attacksIndexTemplate = `<% layout('@layout') %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › Attack patterns</p>
<h1>Attack patterns by category</h1>
<p class="lede">What can go wrong with each kind of tool, and what the recommended policy does about it.</p>
<table class="list" id="categories-table">
<thead><tr><th scope="col">Category</th><th scope="col">In short</th><th scope="col" class="num">Patterns</th><th scope="col" class="num">Tools</th></tr></thead>
<tbody>
<% for (const r of it.rows) { %><tr>
<th scope="row"><a href="<%= it.link(r.path) %>"><%= r.category %></a></th>
<td><%= r.summary %></td>
<td class="num"><%= r.patterns %></td>
<td class="num"><%= r.tools %></td>
</tr>
<% } %></tbody>
</table>`;
