/** The page that stands in for one that could not be rendered from a server's stored records. @internal */

export const unavailableTemplate = `<% layout('@layout') %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a><% if (it.serverPath) { %> › <a href="<%= it.link(it.serverPath) %>"><%= it.serverName %></a><% } %></p>
<h1><%= it.heading %></h1>
<p id="unavailable">This page could not be built from the records stored for <code><%= it.identity %></code>: <%= it.message %></p>
<p>The other pages of the catalogue are not affected. The page is built again on the next run.</p>
`;
