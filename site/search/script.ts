/**
 * `assets/search.js`, the search page's script: plain JavaScript, no build step, loaded as a classic script so it
 * runs from `file://` too (where it says why search cannot work there instead of failing silently). Over HTTP it
 * imports the Pagefind bundle (`pagefind/pagefind.js`, found relative to this script, so the site works at any base
 * path), runs the query from `?q=` with the `category`, `risk` and `registry` filters, and lists results 20 at a
 * time. Every text a result carries came from a crawled server: it reaches the page through `textContent` only, and
 * a result link is followed only when it stays under the site root on this origin.
 * @internal
 */

export const SEARCH_SCRIPT = `/* mcp-catalogue search: runs Pagefind in the browser over the bundle in ../pagefind/. */
(function () {
  'use strict';
  var script = document.currentScript;
  var root = new URL('../', script && script.src ? script.src : location.href);
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-query');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var selects = { category: document.getElementById('search-category'), risk: document.getElementById('search-risk'), registry: document.getElementById('search-registry') };
  if (!form || !input || !status || !list || !more) return;
  var PAGE = 20;
  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  Object.keys(selects).forEach(function (key) {
    var value = params.get(key);
    var select = selects[key];
    if (select && value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
  });
  document.documentElement.classList.add('js');

  function unavailable(id) {
    var box = document.getElementById(id);
    if (box) box.hidden = false;
    status.textContent = 'Search is not available here.';
    input.disabled = true;
    more.hidden = true;
  }
  if (location.protocol === 'file:') {
    unavailable('search-offline');
    return;
  }

  var loading = null;
  function pagefind() {
    if (loading === null) {
      loading = import(new URL('pagefind/pagefind.js', root).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: root.pathname })).then(function () { return pf; });
      });
    }
    return loading;
  }

  function badge(kind, value) {
    var span = document.createElement('span');
    var label = String(value || 'Unclassified');
    span.className = 'badge ' + kind + ' ' + kind + '-' + label.toLowerCase().replace(/[^a-z]/g, '');
    span.textContent = kind === 'risk' && label !== 'Unclassified' ? label + ' risk' : label;
    return span;
  }

  function safeHref(path) {
    var url = new URL(path, root);
    return url.origin === root.origin && url.pathname.indexOf(root.pathname) === 0 ? url.href : null;
  }

  function item(data) {
    var meta = data.meta || {};
    var filters = data.filters || {};
    var href = safeHref(data.url);
    var li = document.createElement('li');
    if (href === null) return li;
    var a = document.createElement('a');
    a.href = href;
    var code = document.createElement('code');
    code.textContent = meta.title || '';
    a.appendChild(code);
    li.appendChild(a);
    if (meta.server) {
      li.appendChild(document.createTextNode(' on '));
      var serverHref = meta.server_path ? safeHref(meta.server_path) : null;
      var server = document.createElement(serverHref ? 'a' : 'span');
      if (serverHref) server.href = serverHref;
      server.textContent = meta.server;
      li.appendChild(server);
    }
    li.appendChild(document.createTextNode(' '));
    li.appendChild(badge('category', (filters.category || [])[0]));
    li.appendChild(document.createTextNode(' '));
    li.appendChild(badge('risk', (filters.risk || [])[0]));
    if (meta.tool_title || meta.description) {
      var p = document.createElement('p');
      p.className = 'summary';
      p.textContent = [meta.tool_title, meta.description].filter(Boolean).join(': ');
      li.appendChild(p);
    }
    return li;
  }

  var results = [];
  var shown = 0;
  var run = 0;

  function count() {
    var n = results.length.toLocaleString('en-US');
    status.textContent = results.length === 0 ? 'No tools match.' : (results.length === 1 ? '1 tool matches' : n + ' tools match') + (shown < results.length ? '; showing the first ' + shown.toLocaleString('en-US') + '.' : '.');
    more.hidden = shown >= results.length;
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== run) return;
      data.forEach(function (d) { list.appendChild(item(d)); });
      shown += batch.length;
      count();
    });
  }

  function search() {
    var mine = ++run;
    var query = input.value.trim();
    var filters = {};
    Object.keys(selects).forEach(function (key) { if (selects[key] && selects[key].value) filters[key] = selects[key].value; });
    if (query === '' && Object.keys(filters).length === 0) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = 'Type a tool name, a server, or words from a description; or choose a category, risk or registry.';
      return Promise.resolve();
    }
    status.textContent = 'Searching…';
    return pagefind().then(function (pf) {
      return pf.search(query === '' ? null : query, { filters: filters });
    }).then(function (found) {
      if (mine !== run || !found) return;
      results = found.results;
      shown = 0;
      list.replaceChildren();
      return showMore(mine);
    }, function () {
      if (mine === run) unavailable('search-missing');
    });
  }

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  Object.keys(selects).forEach(function (key) { if (selects[key]) selects[key].addEventListener('change', search); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var next = new URLSearchParams();
    if (input.value.trim() !== '') next.set('q', input.value.trim());
    Object.keys(selects).forEach(function (key) { if (selects[key] && selects[key].value) next.set(key, selects[key].value); });
    history.replaceState(null, '', '?' + next.toString());
    search();
  });
  more.addEventListener('click', function () { showMore(run); });
  search();
})();
`;
