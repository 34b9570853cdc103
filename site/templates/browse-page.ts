/** Browse pages: every tool of one category, or of one risk level, across the catalogue. @internal */

export const browseTemplate = `<% layout('@layout') %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › <%= it.heading %></p>
<h1><%= it.heading %></h1>
<p class="lede"><%= it.intro %></p>
<% if (it.advice) { %><p><%= it.advice %></p>
<% } %><% if (it.attacks.length > 0) { %><h2>How tools like these get misused</h2>
<ul>
<% for (const a of it.attacks) { %><li><%= a %></li>
<% } %></ul>
<% } %><% if (it.attacksPath) { %><p id="attacks-link">Each pattern, what the recommended policy does against it, and the most exposed tools: <a href="<%= it.link(it.attacksPath) %>">attack patterns of <%= it.category %> tools</a>.</p>
<% } %><%~ include('@filters', { filters: it.filters, link: it.link }) %><h2><%= it.countText %></h2>
<% if (it.rows.length === 0) { %><p>None in the catalogue yet.</p>
<% } else { %><%~ include('@pager', { pager: it.pager, link: it.link }) %><table class="list" id="browse-table">
<thead><tr><th scope="col">Tool</th><th scope="col">Server</th><th scope="col">Category</th><th scope="col">Risk</th></tr></thead>
<tbody>
<% for (const r of it.rows) { %><tr>
<td><a href="<%= it.link(r.path) %>"><code><%= r.name %></code></a></td>
<td><a href="<%= it.link(r.serverPath) %>"><%= r.server %></a></td>
<td><%~ include('@category', { category: r.category }) %></td>
<td><%~ include('@risk', { risk: r.risk }) %></td>
</tr>
<% } %></tbody>
</table>
<%~ include('@pager', { pager: it.pager, link: it.link }) %><% } %>`;
