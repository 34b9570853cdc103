/** The catalogue's front page: counts and the table of every server. @internal */

export const indexTemplate = `<% layout('@layout') %>
<h1><%= it.siteTitle %></h1>
<p class="lede">Every MCP server we could find, the tools each one offers, what each tool can do to you, and the gateway policy we recommend putting in front of it. <a href="<%= it.link('methodology.html') %>">How it is made, and how accurate it is</a>; <a href="<%= it.link('authors.html') %>">your server is missing its tools?</a></p>

<% if (it.first) { %><section aria-labelledby="numbers">
<h2 id="numbers">The catalogue in numbers</h2>
<dl class="stats">
<div><dt>Servers</dt><dd id="count-servers"><%= it.totals.servers %></dd></div>
<div><dt>Servers with a tool list</dt><dd id="count-servers-with-tools"><%= it.totals.serversWithTools %></dd></div>
<div><dt>Tools</dt><dd id="count-tools"><%= it.totals.tools %></dd></div>
</dl>
<div class="columns">
<table class="counts" id="counts-by-category">
<caption>Tools by category</caption>
<thead><tr><th scope="col">Category</th><th scope="col" class="num">Tools</th></tr></thead>
<tbody>
<% for (const row of it.byCategory) { %><tr data-label="<%= row.label %>"><td><a href="<%= it.link(row.path) %>"><%= row.label %></a></td><td class="num"><%= row.count %></td></tr>
<% } %></tbody>
</table>
<table class="counts" id="counts-by-risk">
<caption>Tools by risk</caption>
<thead><tr><th scope="col">Risk</th><th scope="col" class="num">Tools</th></tr></thead>
<tbody>
<% for (const row of it.byRisk) { %><tr data-label="<%= row.label %>"><td><% if (row.path) { %><a href="<%= it.link(row.path) %>"><%= row.label %></a><% } else { %><%= row.label %><% } %></td><td class="num"><%= row.count %></td></tr>
<% } %></tbody>
</table>
</div>
</section>

<% } %><section aria-labelledby="servers">
<h2 id="servers">Servers</h2>
<% if (it.servers.length === 0) { %><p>No servers catalogued yet.</p>
<% } else { %><%~ include('@filters', { filters: it.filters, link: it.link }) %><%~ include('@pager', { pager: it.pager, link: it.link }) %><%~ include('@server-table', { servers: it.servers, link: it.link }) %>
<%~ include('@pager', { pager: it.pager, link: it.link }) %><% } %></section>
`;
