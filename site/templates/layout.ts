/**
 * Page shell and shared partials. Eta syntax: `<%= %>` prints escaped text (the only way data reaches a page),
 * `<%~ %>` prints markup and is used only for `include(...)` of our own templates and the layout's `it.body`.
 * @internal
 */

export const layoutTemplate = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title><%= it.pageTitle %></title>
<% if (it.metaDescription) { %><meta name="description" content="<%= it.metaDescription %>">
<% } %><% if (it.canonical) { %><link rel="canonical" href="<%= it.canonical %>">
<% } %><link rel="stylesheet" href="<%= it.link('assets/style.css') %>">
<link rel="icon" type="image/svg+xml" href="<%= it.link('assets/icon.svg') %>">
</head>
<body>
<header class="site">
<a class="brand" href="<%= it.link('index.html') %>"><%= it.siteTitle %></a>
<nav aria-label="Browse">
<span>Category:</span>
<% for (const item of it.nav.categories) { %><a href="<%= it.link(item.path) %>"><%= item.label %></a>
<% } %><span>Risk:</span>
<% for (const item of it.nav.risks) { %><a href="<%= it.link(item.path) %>"><%= item.label %></a>
<% } %><a href="<%= it.link(it.nav.attacksPath) %>">Attack patterns</a>
</nav>
<form class="site-search" role="search" action="<%= it.link('search.html') %>" method="get"><label for="site-search-q">Search tools</label> <input id="site-search-q" type="search" name="q" maxlength="200" autocomplete="off"> <button type="submit">Search</button></form>
</header>
<main>
<%~ it.body %>
</main>
<footer class="site">
<p><%= it.siteTitle %>, <%= it.stampLabel %> <time datetime="<%= it.generatedIso %>"><%= it.generated %></time>.
<a href="<%= it.link('changes/index.html') %>">Recent changes</a> ·
<a href="<%= it.link('api/servers.json') %>">JSON API</a> ·
<a href="<%= it.link('llms.txt') %>">llms.txt</a> ·
<a href="<%= it.link('sitemap.xml') %>">Sitemap</a> ·
<a href="<%= it.link('methodology.html') %>">How the catalogue is made</a> ·
<a href="<%= it.link('authors.html') %>">For server authors</a></p>
</footer>
</body>
</html>
`;

/** `it.risk`: a risk label, `Unclassified`, or null (no tools). `it.riskHref`: optional link target. */
export const riskBadgeTemplate = `<% const label = it.risk ?? 'none'; %><span class="badge risk risk-<%= label.toLowerCase() %>"><% if (it.risk === null || it.risk === undefined) { %>No tools<% } else if (it.risk === 'Unclassified') { %>Unclassified<% } else { %><%= it.risk %> risk<% } %></span>`;

/** `it.category`: a category label or `Unclassified`. */
export const categoryBadgeTemplate = `<span class="badge category category-<%= it.category.toLowerCase() %>"><%= it.category %></span>`;

/** `it.rich`: a Rich run (text and code parts). */
export const richTemplate = `<% for (const part of it.rich) { %><% if (part.kind === 'code') { %><code><%= part.value %></code><% } else { %><%= part.value %><% } %><% } %>`;

/** \`it.pager\`: a Pager (paging.ts) or null; \`it.link\`: the page's linker. Navigation between the pages of one list. */
export const pagerTemplate = `<% if (it.pager) { %><nav class="pager" aria-label="Pages of this list"><p>Rows <%= it.pager.first.toLocaleString('en-US') %>–<%= it.pager.last.toLocaleString('en-US') %> of <%= it.pager.total.toLocaleString('en-US') %>. Pages:<% for (const l of it.pager.links) { %> <% if (l.current) { %><strong aria-current="page"><%= l.number %></strong><% } else { %><a href="<%= it.link(l.path) %>"><%= l.number %></a><% } %><% } %></p></nav>
<% } %>`;

/** \`it.cut\`: null, or \`{ what, limit, href }\`: says a text was cut, and where the whole is. */
export const cutNoteTemplate = `<% if (it.cut) { %><p class="cut note"><%= it.cut.what %> cut at <%= it.cut.limit.toLocaleString('en-US') %> characters — full text in <a href="<%= it.link(it.cut.href) %>">the JSON document</a>.</p>
<% } %>`;
