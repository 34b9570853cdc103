import { describe, expect, it } from 'vitest';
import { FORMATS } from '../policy/index.ts';
import { renderSite } from './render.ts';
import { explainRule, siteInput } from './test-fixtures.ts';
import { html, resolveHref, text } from './test-pages.ts';

const input = siteInput();
const pages = renderSite(input);
const komodoPolicy = input.policies.get(1);
const parePolicy = input.policies.get(4);
const KOMODO = 'servers/myrikld-komodo-mcp';

describe('tool page', () => {
  const path = `${KOMODO}/tools/run-build.html`;
  const $ = html(pages, path);
  const headings = $('h2').map((_, el) => text($(el).text())).get();

  it('shows the risk badge, name, title and description', () => {
    const badge = $('.badges .badge.risk');
    expect(text(badge.text())).toBe('High risk');
    expect(badge.hasClass('risk-high')).toBe(true);
    expect(text($('.badges .badge.category').text())).toBe('Execute');
    expect(text($('h1').text())).toBe('run_build');
    expect(text($('#tool-title').text())).toBe('Run build');
    expect(text($('#tool-description').text())).toBe('Run a build (clone repo, build Docker image, push to registry).');
    expect($('title').text()).toContain('run_build on Komodo');
  });

  it('has every section of the anatomy, in order', () => {
    expect(headings).toEqual([
      'What run_build does on Komodo',
      'Why run_build needs a policy',
      "From the tool's definition",
      'Signals',
      'Parameters',
      'Annotations',
      'How tools like this get misused',
      'Recommended policy for run_build',
      'Other Execute tools on Komodo',
      'Questions about run_build',
    ]);
  });

  it('gives the rationale, the category with the right article, evidence with its source, and signals', () => {
    expect(text($('#classification-lead').text())).toBe('We classify run_build as an Execute tool and rate its risk High.');
    expect(text($('#rationale').text())).toContain('That is Execute.');
    expect(text($('#category').text())).toMatch(/^Execute: /);
    const evidence = text($('#evidence li').first().text());
    expect(evidence).toContain('Description');
    expect(evidence).toContain('Run a build (clone repo, build Docker image, push to registry).');
    expect(evidence).toContain('execute-verb');
    expect(text($('#signals li').text())).toBe('open-world pushes to an external registry');
  });

  it('lists parameters from the input schema', () => {
    const rows = $('#parameters tbody tr')
      .map((_, tr) => [$(tr).find('td').map((__, td) => text($(td).text())).get()])
      .get();
    expect(rows).toEqual([
      ['build', 'string', 'yes', 'Build id or name'],
      ['wait', 'boolean', 'no', ''],
    ]);
  });

  it('shows annotations as declared, marked as hints', () => {
    const rows = $('#annotations tbody tr').map((_, tr) => $(tr).find('td').map((__, td) => text($(td).text())).get().join(' ')).get();
    expect(rows).toEqual(['readOnlyHint false', 'destructiveHint false', 'openWorldHint true']);
    expect(text($('#annotations .note').text())).toContain('hints the server declares');
  });

  it('shows the recommended policy as a complete policy.json with the explainer sentence', () => {
    const policy = JSON.parse($('#policy-json').text());
    expect(policy).toEqual({ version: '1', default: 'deny', tools: { run_build: komodoPolicy?.tools.run_build } });
    expect(text($('#policy-explanation').text())).toBe(explainRule(komodoPolicy?.tools.run_build, false));
  });

  it('links related tools of the same category on the same server', () => {
    const related = $('#related ul.related a').map((_, a) => ({ name: text($(a).text()), to: resolveHref(path, $(a).attr('href') ?? '') })).get();
    expect(related).toEqual([{ name: 'exec_shell', to: `${KOMODO}/tools/exec-shell.html` }]);
  });

  it('answers the FAQ with the real policy.json field names', () => {
    const faq = text($('#faq').text());
    expect($('#faq h3').length).toBeGreaterThanOrEqual(6);
    for (const field of ['limits', 'window', 'max', 'deny_if', 'conditions', 'on_deny', 'hide']) expect(faq).toContain(field);
    expect(faq).not.toMatch(/rate_limit|\baction\b|"reason"|\breason:|window: 60/);
    expect(faq).toContain('an Execute tool');
    expect(faq).toContain('@myrikld/komodo-mcp');
  });

  it('ends with the server\'s own counts, nothing of the rest of the catalogue', () => {
    expect(text($('#tally').text())).toBe('7 Komodo tools catalogued and risk-rated.');
  });
});

describe('tool pages for other policy shapes', () => {
  it('a hidden tool: hide in the snippet, no rule, hidden explanation', () => {
    const $ = html(pages, `${KOMODO}/tools/delete-stack.html`);
    expect(text($('.badges .badge.risk').text())).toBe('Critical risk');
    expect(text($('.badge.hidden-tool').text())).toContain('Hidden');
    expect(JSON.parse($('#policy-json').text())).toEqual({ version: '1', default: 'deny', hide: ['delete_stack'], tools: {} });
    expect(text($('#policy-explanation').text())).toBe(explainRule(undefined, true));
    expect(text($('#classification-lead').text())).toContain('a Destructive tool');
  });

  it('shows the tool\'s rule in every other format, each a file that passes the format\'s check', () => {
    const $ = html(pages, `${KOMODO}/tools/delete-stack.html`);
    for (const format of FORMATS.filter((f) => f.id !== 'policy-json')) {
      const shown = $(`#format-${format.id}`).text();
      expect(format.validate(shown, { serverName: 'myrikld-komodo-mcp' }), format.id).toEqual([]);
    }
    expect(JSON.parse($('#format-claude-code').text())).toEqual({ permissions: { allow: [], ask: [], deny: ['mcp__myrikld-komodo-mcp__delete_stack'] } });
    expect(JSON.parse($('#format-cedar').text()).cedar.policies).toEqual(['forbid(principal, action == Action::"call_tool", resource == Tool::"delete_stack");']);
  });

  it('a financial tool: deny until approved', () => {
    const $ = html(pages, 'servers/io-github-dave-london-pare/tools/refund-payment.html');
    expect(JSON.parse($('#policy-json').text())).toEqual({ version: '1', default: 'deny', tools: { refund_payment: parePolicy?.tools.refund_payment } });
    expect(text($('#classification-lead').text())).toContain('a Financial tool');
  });

  it('an unclassified tool shows Unclassified and is left to the default deny', () => {
    const $ = html(pages, `${KOMODO}/tools/get-version.html`);
    expect(text($('.badges .badge.risk').text())).toBe('Unclassified');
    expect(text($('#rationale').text())).toContain('not been classified');
    expect($('#classification-lead').length).toBe(0);
    expect(JSON.parse($('#policy-json').text())).toEqual({ version: '1', default: 'deny', tools: {} });
    expect(text($('#policy-explanation').text())).toBe(explainRule(undefined, false));
    expect(text($('#parameters').text())).toContain('no parameters');
    expect(text($('#annotations').text())).toContain('declares none');
  });

  it('a dotted tool name keeps its dot in the slug', () => {
    const $ = html(pages, `${KOMODO}/tools/gateway.search-registry.html`);
    expect(text($('h1').text())).toBe('gateway.search_registry');
  });

  it('tools whose slugs collide get -2 in name order', () => {
    expect(text(html(pages, 'servers/io-github-dave-london-pare/tools/search-docs.html')('h1').text())).toBe('search-docs');
    expect(text(html(pages, 'servers/io-github-dave-london-pare/tools/search-docs-2.html')('h1').text())).toBe('search_docs');
  });

  it('a server policy with all_tools limits carries them into the snippet', () => {
    const base = siteInput();
    const policy = base.policies.get(1);
    if (policy === undefined) throw new Error('fixture has a policy for Komodo');
    const allTools = { limits: [{ counter: 'komodo_all', window: 'hour' as const, max: 500, scope: 'grant' as const }] };
    base.policies.set(1, { ...policy, all_tools: allTools });
    const $ = html(renderSite(base), `${KOMODO}/tools/list-servers.html`);
    expect(JSON.parse($('#policy-json').text())).toEqual({ version: '1', default: 'deny', all_tools: allTools, tools: { list_servers: {} } });
  });
});

describe('grammar across the site', () => {
  it('uses "an" before Execute and Unclassified, "a" before the other categories', () => {
    for (const p of pages.filter((candidate) => candidate.path.endsWith('.html'))) {
      expect(p.body, p.path).not.toMatch(/\ba (Execute|Unclassified)\b/);
      expect(p.body, p.path).not.toMatch(/\ban (Read|Write|Destructive|Financial)\b/);
    }
  });
});

describe('what its code does', () => {
  const codeInput = siteInput();
  const komodoTools = codeInput.entries.find((e) => e.server.id === 1)!.tools;
  const byName = (name: string) => komodoTools.find((t) => t.tool.name === name)!;
  byName('run_build').codeEffects = {
    handlerFound: true,
    handler: { file: 'dist/tools/build.js', line: 12 },
    effects: [
      { kind: 'spawn', detail: 'child_process.spawn', file: 'dist/run.js', line: 40, call: 'spawn("docker", ["build", "<script>alert(1)</script>"])' },
      { kind: 'http', detail: 'POST registry.example.com', file: 'dist/push.js', line: 7, call: `fetch(url, { method: "POST", body: "${'x'.repeat(300)}" })` },
    ],
    truncated: true,
  };
  byName('exec_shell').codeEffects = { handlerFound: false, effects: [] };
  byName('list_servers').codeEffects = { handlerFound: true, handler: { file: 'src/list.ts', line: 3 }, effects: [] };
  const codePages = renderSite(codeInput);
  const page = (name: string) => html(codePages, `${KOMODO}/tools/${name}.html`);

  it('shows the handler and each effect with its call, escaped and cut, and says when it stopped early', () => {
    const $ = page('run-build');
    expect($('h2').map((_, el) => text($(el).text())).get().slice(2, 5)).toEqual(["From the tool's definition", 'What its code does', 'Signals']);
    expect(text($('#code-handler').text())).toBe('Its handler is at dist/tools/build.js:12.');
    const items = $('#code li').map((_, li) => text($(li).text())).get();
    expect(items[0]).toBe('spawn child_process.spawn at dist/run.js:40: spawn("docker", ["build", "<script>alert(1)</script>"])');
    expect($('#code script').length).toBe(0);
    expect(items[1]).toMatch(/^http POST registry\.example\.com at dist\/push\.js:7: fetch\(url, /);
    expect($('#code li code.call').eq(1).text().length).toBeLessThanOrEqual(160);
    expect(text($('#code-truncated').text())).toMatch(/^Some calls were not followed/);
  });

  it('says when the handler was not found, or reaches nothing, and leaves the section out when the source was not read', () => {
    expect(text(page('exec-shell')('#code-handler').text())).toBe("Handler not found in the package's source.");
    const list = page('list-servers');
    expect(text(list('#code').text())).toContain('Its handler is at src/list.ts:3. It reaches no file write, process, network request');
    expect(list('#code-truncated').length).toBe(0);
    expect(page('update-build')('#code').length).toBe(0);
  });

  it("names the language it read, and how a dependency's file is named when an effect is in one", () => {
    expect(text(page('run-build')('#code p.note').text())).toBe(
      "Read from the package's JavaScript or TypeScript source without running it: the handler the tool registers, and the calls it reaches a few calls deep.",
    );
    const pyInput = siteInput();
    const komodo = pyInput.entries.find((e) => e.server.id === 1)!;
    komodo.server = { ...komodo.server, registry: 'pypi' };
    komodo.tools.find((t) => t.tool.name === 'run_build')!.codeEffects = {
      handlerFound: true, handler: { file: 'komodo_mcp/server.py', line: 12 },
      effects: [{ kind: 'fs.delete', detail: 'shutil.rmtree', file: 'komodo_helpers-1.2.0/komodo_helpers/clean.py', line: 4, call: 'shutil.rmtree(path)' }],
    };
    const pyPages = renderSite(pyInput);
    const $ = html(pyPages, pyPages.find((p) => p.path.endsWith('/tools/run-build.html'))!.path);
    expect(text($('#code p.note').text())).toBe(
      "Read from the package's Python source without running it: the handler the tool registers, and the calls it reaches a few calls deep. " +
        'A file under <distribution>-<version>/ belongs to one of its dependencies.',
    );
    expect(text($('#code li').text())).toBe('fs.delete shutil.rmtree at komodo_helpers-1.2.0/komodo_helpers/clean.py:4: shutil.rmtree(path)');
  });

  it("names an effect's housekeeping scope, and none for an unknown one", () => {
    const scopedInput = siteInput();
    const tool = scopedInput.entries.find((e) => e.server.id === 1)!.tools.find((t) => t.tool.name === 'run_build')!;
    tool.codeEffects = {
      handlerFound: true, handler: { file: 'dist/tools/build.js', line: 12 },
      effects: [
        { kind: 'fs.write', detail: 'writeFileSync', file: 'dist/a.js', line: 3, call: 'fs.writeFileSync(tmp, svg)', scope: 'temp' },
        { kind: 'spawn', detail: 'child_process.execFile', file: 'dist/a.js', line: 4, call: 'execFile("git", ["log"])', scope: 'read-only-cli' },
        { kind: 'fs.delete', detail: 'rmSync', file: 'dist/a.js', line: 5, call: 'fs.rmSync(p)', scope: 'elsewhere' as never },
      ],
    };
    const scopedPages = renderSite(scopedInput);
    const $ = html(scopedPages, `${KOMODO}/tools/run-build.html`);
    expect($('#code li').map((_, li) => text($(li).text())).get()).toEqual([
      'fs.write writeFileSync (its own temporary file) at dist/a.js:3: fs.writeFileSync(tmp, svg)',
      'spawn child_process.execFile (a command that only reads) at dist/a.js:4: execFile("git", ["log"])',
      'fs.delete rmSync at dist/a.js:5: fs.rmSync(p)',
    ]);
  });
});
