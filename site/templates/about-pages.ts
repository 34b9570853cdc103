/** The methodology page and the page for server authors. @internal */

export const methodologyTemplate = `<% layout('@layout') %>
<h1>How the catalogue is made</h1>
<p class="lede">Where the servers come from, how their tools are listed, how each tool is classified, and how often the classifier is right.</p>

<section aria-labelledby="crawl">
<h2 id="crawl">How the crawl works</h2>
<ol>
<li><strong>Discovery.</strong> Servers are found in the official MCP Registry, on npm and on PyPI (packages that depend on an MCP SDK or framework), and among GitHub repositories tagged as MCP servers. One server published in several places is listed once.</li>
<li><strong>One exact version.</strong> Each server is crawled at an exact version: the latest dist-tag, or the version its registry entry names. Its tools are stored with that version, so a page always says which release it describes.</li>
<li><strong>Install without scripts.</strong> The package is installed with its install scripts off and its development dependencies left out, inside the sandbox, reaching the registry and nothing else.</li>
<li><strong>Sandbox.</strong> Every crawled package is treated as hostile. It runs under bubblewrap with a system-call filter, memory, process and time limits, no network, a throw-away home folder and none of our environment variables. No URL it gives is ever opened.</li>
<li><strong>tools/list.</strong> The server is started and asked <code>initialize</code>, then <code>tools/list</code> (following its cursor), and, when it declares them, its prompts and resources. What it answers is stored exactly as sent, cut only to the fields the MCP specification defines.</li>
<li><strong>When a bare start fails.</strong> The crawler tries again with placeholder values for the settings the server asks for, with the arguments its README or its registry entry documents, and over HTTP inside the sandbox for a server that only listens on a port (<a href="<%= it.link(it.authorsPath) %>">the whole ladder is on the page for server authors</a>).</li>
<li><strong>Reading the source.</strong> When no start gives a tool list, the package's source is parsed, never run, and the tools it registers are read from it. Such tools are marked as read from source, and their confidence is lowered. For listed tools, the code of each handler is followed to what it does (file writes, processes, HTTP, SQL, payments), with file and line.</li>
<li><strong>Every night again.</strong> New versions are crawled as they are published. A version listed before is listed again to see whether its tools changed without a new version; every change is kept as a listing, shown on the server's change timeline and in the feeds, with rug-pull findings (a description that turns into instructions, a tool that becomes more dangerous).</li>
</ol>
</section>

<section aria-labelledby="classifier">
<h2 id="classifier">How a tool is classified</h2>
<p>Each tool gets a <strong>category</strong> (what it can do) and a <strong>risk</strong> (how bad that can be), read from its name, description, input schema, annotations and, where available, what its code does. The classifier is a set of rules whose votes are weighed; the strongest category wins and the rules that fired are shown on the tool's page as evidence. Its <strong>confidence</strong> is calibrated on labelled tools: 0.9 means about nine in ten tools rated like this had the category a careful reader gives them. A language model can optionally reclassify low-confidence tools; its quotes must appear verbatim in the definition, and the definition is handed to it as data, never as instructions.</p>
<table class="counts" id="categories">
<caption>Categories, least to most dangerous</caption>
<thead><tr><th scope="col">Category</th><th scope="col">The tool…</th></tr></thead>
<tbody>
<% for (const row of it.categories) { %><tr><th scope="row"><a href="<%= it.link(row.path) %>"><%= row.label %></a></th><td><%= row.text %></td></tr>
<% } %></tbody>
</table>
<p>A tool that can do several of these gets the most dangerous one its definition names.</p>
<table class="counts" id="risks">
<caption>Risk levels</caption>
<thead><tr><th scope="col">Risk</th><th scope="col">Meaning</th></tr></thead>
<tbody>
<% for (const row of it.risks) { %><tr><th scope="row"><a href="<%= it.link(row.path) %>"><%= row.label %></a></th><td><%= row.text %></td></tr>
<% } %></tbody>
</table>
</section>

<section aria-labelledby="accuracy">
<h2 id="accuracy">Measured accuracy</h2>
<% if (it.accuracy === null) { %><p id="accuracy-none">No measurement is published with this build.</p>
<% } else { %><p>The classifier's verdicts are compared with hand-labelled tools, split into a <em>dev</em> half (used to write rules and calibrate confidence) and a <em>held-out</em> half (only measured). The held-out figures are the honest ones.</p>
<p id="accuracy-source">Measured on <time datetime="<%= it.accuracy.date %>"><%= it.accuracy.date %></time> with classifier <code><%= it.accuracy.classifierVersion %></code>: <%= it.accuracy.input %>.</p>
<% if (it.accuracy.stale) { %><p class="note stale" id="accuracy-stale">Stale: these figures are for classifier <code><%= it.accuracy.classifierVersion %></code>, and this catalogue was classified by <code><%= it.accuracy.currentVersion %></code>. They are shown until the evaluation is run again.</p>
<% } %><table class="counts" id="accuracy-summary">
<caption>Accuracy by split</caption>
<thead><tr><th scope="col">Split</th><th scope="col" class="num">Labelled</th><th scope="col" class="num">Tools scored</th><th scope="col" class="num">Servers</th><th scope="col" class="num">Category accuracy</th><th scope="col" class="num">Macro-F1</th><th scope="col" class="num">Risk exact</th><th scope="col" class="num">Risk within one</th><th scope="col" class="num">Calibration error (ECE)</th></tr></thead>
<tbody>
<% for (const s of it.accuracy.splits) { %><tr data-split="<%= s.split %>"><th scope="row"><%= s.split %></th><td class="num"><%= s.labelled %></td><td class="num"><%= s.evaluated %></td><td class="num"><%= s.servers %></td><td class="num"><%= s.categoryAccuracy %></td><td class="num"><%= s.macroF1 %></td><td class="num"><%= s.riskExact %></td><td class="num"><%= s.riskWithinOne %></td><td class="num"><%= s.ece %></td></tr>
<% } %></tbody>
</table>
<% for (const s of it.accuracy.splits) { %><table class="counts confusion" id="confusion-<%= s.split %>" data-split="<%= s.split %>">
<caption>Confusion matrix, <%= s.split %>: rows are the label, columns what the classifier said</caption>
<thead><tr><th scope="col">Label \\ classifier</th><% for (const c of it.categoryLabels) { %><th scope="col" class="num"><%= c %></th><% } %></tr></thead>
<tbody>
<% for (const row of s.rows) { %><tr data-gold="<%= row.gold %>"><th scope="row"><%= row.gold %></th><% for (const cell of row.cells) { %><td class="num<%= cell.diagonal ? ' diagonal' : '' %>" data-predicted="<%= cell.predicted %>"><%= cell.count %></td><% } %></tr>
<% } %></tbody>
</table>
<% } %><p>Regenerate with <code>npm run eval -- --servers out/export/servers.jsonl --write-accuracy eval/accuracy.json</code>.</p>
<% } %></section>
`;

export const authorsTemplate = `<% layout('@layout') %>
<h1>Getting your server's tools listed</h1>
<p class="lede">The catalogue lists a server's tools by starting it in a sandbox and asking for them. If your server is here without tools, this page says what was tried and what to change.</p>

<section aria-labelledby="ladder">
<h2 id="ladder">What the crawler tries, in order</h2>
<ol>
<li><strong>Install</strong> the exact version, with install scripts off and development dependencies left out.</li>
<li><strong>Find the entry point</strong>: for npm, the <code>bin</code> named like the package, else the only one, else one naming "mcp", else <code>main</code>, else <code>index.js</code>; for PyPI, the console script or module.</li>
<li><strong>Start it bare</strong> on stdio, with no arguments and no environment variables of ours, and ask <code>initialize</code> and <code>tools/list</code>.</li>
<li><strong>Start it with placeholders</strong> for the environment variables your server.json declares, your code reads or your error message names (dummy keys, a temporary folder for paths).</li>
<li><strong>Start it with arguments</strong>: those your MCP Registry entry declares, a sub-command that selects stdio, options your error message asks for, and the command lines your README shows.</li>
<li><strong>HTTP</strong>: a server that only listens on a port is reached over Streamable HTTP inside the sandbox. A remote server from the MCP Registry is reached at the URL of its entry.</li>
<li><strong>Read the source</strong>: when nothing starts, the tools your code registers are read from it without running it, and listed as read from source.</li>
</ol>
<p>The first rung that gives a tool list wins. <a href="<%= it.link(it.methodologyPath) %>">How the catalogue is made</a> says more about the sandbox and the classifier.</p>
</section>

<section aria-labelledby="reasons">
<h2 id="reasons">Why a server has no tool list</h2>
<p>Your server's page shows the outcome of its latest attempt, the reason below, a one-line message and the last lines of what your server printed to stderr. Those lines are usually the quickest way to the cause.</p>
<table class="counts" id="failure-reasons">
<thead><tr><th scope="col">Reason</th><th scope="col">What it means</th><th scope="col">What you can do</th></tr></thead>
<tbody>
<% for (const r of it.reasons) { %><tr id="reason-<%= r.id %>" data-reason="<%= r.id %>"><th scope="row"><code><%= r.id %></code><br><%= r.words %></th><td><%= r.meaning %></td><td><%= r.fix %></td></tr>
<% } %></tbody>
</table>
</section>

<section aria-labelledby="checklist">
<h2 id="checklist">A short checklist</h2>
<ul>
<li>Start on stdio with no arguments and answer <code>tools/list</code> without any secret: check credentials when a tool is called, and fail that call with a clear message.</li>
<li>Write logs to stderr, never stdout.</li>
<li>Declare your environment variables and arguments in your MCP Registry entry (server.json).</li>
<li>Publish built files; do not rely on install scripts.</li>
<li>Give each tool a description that says what it changes, and set annotations such as <code>readOnlyHint</code> and <code>destructiveHint</code> honestly: they are part of the evidence.</li>
</ul>
</section>
`;
