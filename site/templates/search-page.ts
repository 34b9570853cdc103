/**
 * The search page. Without JavaScript the form still submits here and the page offers the browse lists instead;
 * opened from disk (`file://`) or without the index, the script shows the matching message (site/search/script.ts).
 * @internal
 */

export const searchTemplate = `<% layout('@layout') %>
<h1>Search tools</h1>
<form id="search-form" class="search-page" role="search" action="<%= it.link('search.html') %>" method="get">
<p><label for="search-query">Tool name, server, or words from a description</label><br>
<input id="search-query" type="search" name="q" autocomplete="off" spellcheck="false" size="40" maxlength="200"> <button type="submit">Search</button></p>
<p><label for="search-category">Category</label> <select id="search-category" name="category"><option value="">Any</option><% for (const c of it.categories) { %><option value="<%= c %>"><%= c %></option><% } %></select>
<label for="search-risk">Risk</label> <select id="search-risk" name="risk"><option value="">Any</option><% for (const r of it.risks) { %><option value="<%= r %>"><%= r %></option><% } %></select>
<label for="search-registry">Registry</label> <select id="search-registry" name="registry"><option value="">Any</option><% for (const r of it.registries) { %><option value="<%= r %>"><%= r %></option><% } %></select></p>
</form>
<noscript><p class="note" id="search-noscript">Search runs in your browser and needs JavaScript. Without it, every tool is on the browse lists: by category (<% for (const item of it.nav.categories) { %><a href="<%= it.link(item.path) %>"><%= item.label %></a> <% } %>), by risk (<% for (const item of it.nav.risks) { %><a href="<%= it.link(item.path) %>"><%= item.label %></a> <% } %>), and every server is on <a href="<%= it.link('index.html') %>">the index</a>.</p></noscript>
<div id="search-offline" class="note" hidden><p><strong>Search does not work on a page opened from disk.</strong> It loads its index files as you type, and browsers do not let a page opened as a file (<code>file://</code>) load them. Serve the site folder over HTTP instead, for example <code>python3 -m http.server --directory site</code> and open <code>http://localhost:8000/search.html</code>.</p>
<p>Every tool is also on the browse lists: by category (<% for (const item of it.nav.categories) { %><a href="<%= it.link(item.path) %>"><%= item.label %></a> <% } %>), by risk (<% for (const item of it.nav.risks) { %><a href="<%= it.link(item.path) %>"><%= item.label %></a> <% } %>), and every server is on <a href="<%= it.link('index.html') %>">the index</a>.</p></div>
<div id="search-missing" class="note" hidden><p><strong>The search index did not load.</strong> This copy of the site may have been published without its <code>pagefind/</code> folder. The browse lists above and <a href="<%= it.link('index.html') %>">the index of servers</a> have every tool.</p></div>
<p id="search-status" role="status" aria-live="polite"></p>
<ol id="search-results" class="search-results"></ol>
<p><button type="button" id="search-more" hidden>Show more</button></p>
<script src="<%= it.link('assets/search.js') %>"></script>
`;
