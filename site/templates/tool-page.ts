/** A tool's page, in the anatomy of DESIGN.md §6 and seeds/README.md. @internal */

export const toolTemplate = `<% layout('@layout') %>
<% const tool = it.tool; %>
<p class="crumbs"><a href="<%= it.link('index.html') %>">All servers</a> › <a href="<%= it.link(it.server.path) %>"><%= it.server.name %></a> › <%= tool.name %></p>
<p class="badges"><a href="<%= it.link(tool.riskPath) %>"><%~ include('@risk', { risk: tool.risk }) %></a> <a href="<%= it.link(tool.categoryPath) %>"><%~ include('@category', { category: tool.category }) %></a><% if (tool.hidden) { %> <span class="badge hidden-tool">Hidden by the recommended policy</span><% } %></p>
<h1 id="tool-name"><%= tool.name %></h1>
<%~ include('@cut', { cut: tool.nameCut, link: it.link }) %><% if (tool.title) { %><p class="title" id="tool-title"><%= tool.title %></p>
<% } %><% if (tool.description) { %><p class="description" id="tool-description"><%= tool.description %></p>
<%~ include('@cut', { cut: tool.descriptionCut, link: it.link }) %><% } else { %><p class="description missing" id="tool-description">The server gives no description for this tool.</p>
<% } %><p class="provider">A tool of <a href="<%= it.link(it.server.path) %>"><%= it.server.name %></a> (<%= it.server.registry %> <code><%= it.server.identifier %></code>).</p>

<section id="what" aria-labelledby="what-heading">
<h2 id="what-heading"><%= it.whatHeading %></h2>
<p><%= it.what %></p>
<p><%= it.paramSummary %></p>
</section>

<section id="why" aria-labelledby="why-heading">
<h2 id="why-heading"><%= it.whyHeading %></h2>
<% if (it.classification) { %><p id="classification-lead"><%= it.classification.lead %></p>
<p id="rationale"><%= it.classification.rationale %></p>
<%~ include('@cut', { cut: it.classification.rationaleCut, link: it.link }) %><dl class="facts">
<div><dt>Category</dt><dd id="category"><%= it.classification.category %>: <%= it.classification.meaning %> <a href="<%= it.link(it.attacksPath) %>">What <%= it.classification.category %> tools are exposed to</a>.</dd></div>
<div><dt>Risk</dt><dd id="risk"><%= it.classification.riskSentence %></dd></div>
<div><dt>Confidence</dt><dd id="confidence"><%= it.classification.confidence %></dd></div>
<div><dt>Classified by</dt><dd id="classified-by"><%= it.classification.by %></dd></div>
</dl>
<% } else { %><p id="rationale">This tool has not been classified yet, so we have no rationale to show. Until it has one, keep it out of your allowed tools: under a default-deny policy that is what happens anyway.</p>
<% } %></section>

<section id="evidence" aria-labelledby="evidence-heading">
<h2 id="evidence-heading">From the tool's definition</h2>
<% if (it.evidence.length === 0) { %><p>No quotes recorded.</p>
<% } else { %><ul class="evidence">
<% for (const e of it.evidence) { %><li><span class="source"><%= e.source %></span> <q><%= e.quote %></q><% if (e.ruleId) { %> <span class="rule">rule <code><%= e.ruleId %></code></span><% } %></li>
<% } %></ul>
<% if (it.evidenceOmitted > 0) { %><p class="note" id="evidence-omitted"><%= it.evidenceOmitted %> more quotes are in <a href="<%= it.link(tool.apiPath) %>">the JSON document</a>.</p>
<% } %><% } %></section>

<% if (it.code) { %><section id="code" aria-labelledby="code-heading">
<h2 id="code-heading">What its code does</h2>
<p class="note">Read from the package's <% if (it.code.language) { %><%= it.code.language %> <% } %>source without running it: the handler the tool registers, and the calls it reaches a few calls deep.<% if (it.code.dependencyForm) { %> A file under <code><%= it.code.dependencyForm %></code> belongs to one of its dependencies.<% } %></p>
<% if (!it.code.found) { %><p id="code-handler">Handler not found in the package's source.</p>
<% } else { %><p id="code-handler">Its handler is at <code><%= it.code.handler ?? 'an unknown place' %></code>.</p>
<% if (it.code.effects.length === 0) { %><p>It reaches no file write, process, network request, SQL, browser, payment or message call that we recognise.</p>
<% } else { %><ul class="effects">
<% for (const e of it.code.effects) { %><li><code><%= e.kind %></code> <%= e.detail %><% if (e.scope) { %> (<%= e.scope %>)<% } %> at <code><%= e.at %></code>: <code class="call"><%= e.call %></code></li>
<% } %></ul>
<% if (it.code.omitted > 0) { %><p class="note"><%= it.code.omitted %> more calls are in <a href="<%= it.link(tool.apiPath) %>">the JSON document</a>.</p>
<% } %><% } %><% } %><% if (it.code.truncated) { %><p id="code-truncated">Some calls were not followed (the call depth or the reading budget ran out), so there may be more.</p>
<% } %></section>

<% } %><section id="signals" aria-labelledby="signals-heading">
<h2 id="signals-heading">Signals</h2>
<% if (it.signals.length === 0) { %><p>No signals found in the definition.</p>
<% } else { %><ul class="signals">
<% for (const sig of it.signals) { %><li><code><%= sig.kind %></code> <%= sig.detail %></li>
<% } %></ul>
<% if (it.signalsOmitted > 0) { %><p class="note"><%= it.signalsOmitted %> more signals are in <a href="<%= it.link(tool.apiPath) %>">the JSON document</a>.</p>
<% } %><% } %></section>

<section id="parameters" aria-labelledby="parameters-heading">
<h2 id="parameters-heading">Parameters</h2>
<% if (it.params.rows.length === 0) { %><p>It takes no parameters.</p>
<% } else { %><table class="list params">
<thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>
<% for (const p of it.params.rows) { %><tr><td><code><%= p.name %></code></td><td><%= p.type %></td><td><%= p.required ? 'yes' : 'no' %></td><td><%= p.description %></td></tr>
<% } %></tbody>
</table>
<% if (it.params.omitted > 0) { %><p id="params-omitted"><%= it.params.omitted.toLocaleString('en-US') %> more parameters are not shown here: the whole input schema is in <a href="<%= it.link(tool.apiPath) %>">the JSON document</a>.</p>
<% } %><% } %></section>

<section id="annotations" aria-labelledby="annotations-heading">
<h2 id="annotations-heading">Annotations</h2>
<p class="note">Annotations are hints the server declares about itself. Nothing checks them, so we read them as claims, not facts.</p>
<% if (it.annotations.length === 0) { %><p>The server declares none. The MCP defaults then apply: not read-only, possibly destructive, not idempotent, open-world.</p>
<% } else { %><table class="list annotations">
<thead><tr><th scope="col">Hint</th><th scope="col">Declared value</th></tr></thead>
<tbody>
<% for (const a of it.annotations) { %><tr><td><code><%= a.key %></code></td><td><code><%= a.value %></code></td></tr>
<% } %></tbody>
</table>
<% if (it.annotationsOmitted > 0) { %><p class="note"><%= it.annotationsOmitted %> more annotations are in <a href="<%= it.link(tool.apiPath) %>">the JSON document</a>.</p>
<% } %><% } %></section>

<section id="risks" aria-labelledby="risks-heading">
<h2 id="risks-heading">How tools like this get misused</h2>
<ul>
<% for (const a of it.attacks) { %><li><%= a %></li>
<% } %></ul>
<% if (it.attacksPath) { %><p id="attacks-link">Each pattern, what the recommended policy does against it, and the catalogue's most exposed tools: <a href="<%= it.link(it.attacksPath) %>">attack patterns of <%= tool.category %> tools</a>.</p>
<% } %></section>

<section id="policy" aria-labelledby="policy-heading">
<h2 id="policy-heading">Recommended policy for <%= tool.name %></h2>
<% if (it.policySnippet) { %><p>A complete <code>policy.json</code> with only this tool's rule:</p>
<pre tabindex="0" class="json" id="policy-json"><%= it.policySnippet %></pre>
<p id="policy-explanation"><%= it.policyExplanation %></p>
<p>The rules for every tool of <%= it.server.name %> are in the <a href="<%= it.link(it.server.policyPath) %>">server's policy.json</a>.</p>
<% } else if (it.policySnippetChars > 0) { %><p id="policy-too-long">Its <code>policy.json</code> would be <%= it.policySnippetChars.toLocaleString('en-US') %> characters, too long to show here: its rule is in the <a href="<%= it.link(it.server.policyPath) %>">server's policy.json</a>.</p>
<p id="policy-explanation"><%= it.policyExplanation %></p>
<% } %><% if (it.formatSnippets.length > 0) { %><h3 id="formats">This tool's rule in other formats</h3>
<% for (const f of it.formatSnippets) { %><h4><%= f.title %></h4>
<% if (f.text !== null) { %><pre tabindex="0" class="json" id="format-<%= f.id %>"><%= f.text %></pre>
<% } else if (f.chars > 0) { %><p>Its file would be <%= f.chars.toLocaleString('en-US') %> characters, too long to show here; the server's page links the whole file.</p>
<% } else { %><p>Not offered: the file fails its format's check.</p>
<% } %><% } %><% } %><% if (!it.policySnippet && !(it.policySnippetChars > 0) && it.policyError) { %><p id="policy-explanation">No recommended policy for <%= it.server.name %>: it could not be built from the stored records (<%= it.policyError %>). A gateway with <code>"default": "deny"</code> refuses this tool until you add a rule for it.</p>
<% } else if (!it.policySnippet && !(it.policySnippetChars > 0)) { %><p id="policy-explanation">No recommended policy for <%= it.server.name %> yet. A gateway with <code>"default": "deny"</code> refuses this tool until you add a rule for it.</p>
<% } %></section>

<section id="related" aria-labelledby="related-heading">
<h2 id="related-heading"><%= it.relatedHeading %></h2>
<% if (it.related.length === 0) { %><p>No other <%= tool.category %> tools on <%= it.server.name %>.</p>
<% } else { %><ul class="related">
<% for (const r of it.related) { %><li><a href="<%= it.link(r.path) %>"><code><%= r.name %></code></a> <%~ include('@risk', { risk: r.risk }) %></li>
<% } %></ul>
<% if (it.relatedMore > 0) { %><p>And <%= it.relatedMore %> more on the <a href="<%= it.link(it.server.path) %>">server page</a>.</p>
<% } %><% } %><p><a href="<%= it.link(tool.categoryPath) %>">All <%= tool.category %> tools in the catalogue</a></p>
</section>

<section id="faq" aria-labelledby="faq-heading">
<h2 id="faq-heading">Questions about <%= tool.name %></h2>
<% for (const q of it.faq) { %><div class="qa">
<h3><%= q.question %></h3>
<p><%~ include('@rich', { rich: q.answer }) %></p>
</div>
<% } %></section>
<p class="tally" id="tally"><%= it.tally %></p>
`;
