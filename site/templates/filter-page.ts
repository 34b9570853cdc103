/**
 * Filtered lists and their navigation: the `@filters` partial (links that narrow or widen a list, filter-nav.ts), the
 * `@server-table` partial shared with the front page, and the page of servers from one registry or with one outcome.
 * @internal
 */

/** `it.filters`: FilterGroup[] (filter-nav.ts); `it.link`: the page's linker. */
export const filtersTemplate = `<% if (it.filters && it.filters.length > 0) { %><nav class="filters" aria-label="Filter this list">
<% for (const group of it.filters) { %><p><span class="filter-label"><%= group.label %>:</span><% for (const l of group.links) { %> <% if (l.current) { %><strong aria-current="page"><%= l.label %></strong> (<%= l.count.toLocaleString('en-US') %>)<% } else { %><a href="<%= it.link(l.path) %>"><%= l.label %></a> (<%= l.count.toLocaleString('en-US') %>)<% } %><% } %></p>
<% } %></nav>
<% } %>`;

/** `it.servers`: rows from render-index.ts `serverRow`. */
export const serverTableTemplate = `<table class="list" id="server-table">
<thead><tr><th scope="col">Server</th><th scope="col">Registry</th><th scope="col">Version</th><th scope="col">Introspection</th><th scope="col" class="num">Tools</th><th scope="col">Highest risk</th></tr></thead>
<tbody>
<% for (const s of it.servers) { %><tr>
<td><a href="<%= it.link(s.path) %>"><%= s.name %></a><% if (s.name !== s.identifier) { %><br><span class="ident"><%= s.identifier %></span><% } %></td>
<td><%= s.registry %></td>
<td><%= s.version %></td>
<td><span class="outcome outcome-<%= s.outcomeClass %>"><%= s.outcome %></span><% if (s.reason) { %><br><span class="ident"><%= s.reason %></span><% } %></td>
<td class="num"><%= s.toolCount %></td>
<td><%~ include('@risk', { risk: s.highestRisk }) %></td>
</tr>
<% } %></tbody>
</table>`;

/** A filtered server list: `it.heading`, `it.intro`, `it.countText`, `it.filters`, `it.servers`, `it.pager`. */
export const serverListTemplate = `<% layout('@layout') %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › <%= it.heading %></p>
<h1><%= it.heading %></h1>
<p class="lede"><%= it.intro %></p>
<%~ include('@filters', { filters: it.filters, link: it.link }) %><h2><%= it.countText %></h2>
<% if (it.servers.length === 0) { %><p>None in the catalogue yet.</p>
<% } else { %><%~ include('@pager', { pager: it.pager, link: it.link }) %><%~ include('@server-table', { servers: it.servers, link: it.link }) %>
<%~ include('@pager', { pager: it.pager, link: it.link }) %><% } %>`;
