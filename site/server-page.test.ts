import { describe, expect, it } from 'vitest';
import { FORMATS } from '../policy/index.ts';
import { renderSite } from './render.ts';
import { prometheusFailed, siteInput } from './test-fixtures.ts';
import { html, page, resolveHref, text } from './test-pages.ts';

const input = siteInput();
const pages = renderSite(input);
const KOMODO = 'servers/myrikld-komodo-mcp';

describe('server page', () => {
  const path = `${KOMODO}/index.html`;
  const $ = html(pages, path);
  const komodo = input.entries.find((entry) => entry.server.id === 1);

  it('shows name, identity, version, repository and introspection', () => {
    expect(text($('h1').text())).toBe('Komodo');
    expect(text($('#registry').text())).toBe('npm');
    expect(text($('#identifier').text())).toBe('@myrikld/komodo-mcp');
    expect(text($('#version').text())).toContain('0.4.2');
    const repo = $('#repository a');
    expect(repo.attr('href')).toBe('https://github.com/myrikld/komodo-mcp');
    expect(repo.attr('rel')?.split(' ')).toEqual(expect.arrayContaining(['nofollow', 'noopener']));
    expect(text($('#outcome').text())).toBe('ok');
    expect(text($('#method').text())).toContain('live-stdio');
    expect($('#attempt-date').attr('datetime')).toBe('2025-06-19T23:12:00.000Z');
    expect($('#failure').length).toBe(0);
  });

  it('lists every tool with its badges, linking to its page', () => {
    const rows = $('#tool-table tbody tr')
      .map((_, tr) => ({
        name: text($(tr).find('td').first().find('code').text()),
        to: resolveHref(path, $(tr).find('a').attr('href') ?? ''),
        category: text($(tr).find('.badge.category').text()),
        risk: text($(tr).find('.badge.risk').text()),
      }))
      .get();
    expect(rows).toEqual([
      { name: 'delete_stack', to: `${KOMODO}/tools/delete-stack.html`, category: 'Destructive', risk: 'Critical risk' },
      { name: 'exec_shell', to: `${KOMODO}/tools/exec-shell.html`, category: 'Execute', risk: 'Critical risk' },
      { name: 'gateway.search_registry', to: `${KOMODO}/tools/gateway.search-registry.html`, category: 'Read', risk: 'Low risk' },
      { name: 'get_version', to: `${KOMODO}/tools/get-version.html`, category: 'Unclassified', risk: 'Unclassified' },
      { name: 'list_servers', to: `${KOMODO}/tools/list-servers.html`, category: 'Read', risk: 'Low risk' },
      { name: 'run_build', to: `${KOMODO}/tools/run-build.html`, category: 'Execute', risk: 'High risk' },
      { name: 'update_build', to: `${KOMODO}/tools/update-build.html`, category: 'Write', risk: 'Medium risk' },
    ]);
    expect(rows).toHaveLength(komodo?.tools.length ?? -1);
  });

  it('counts tools by category', () => {
    const counts = Object.fromEntries($('#counts-by-category tbody tr').map((_, tr) => [[$(tr).attr('data-label'), Number(text($(tr).find('td.num').text()))]]).get());
    expect(counts).toEqual({ Read: 2, Write: 1, Execute: 2, Destructive: 1, Unclassified: 1 });
    expect(text($('#tools').text())).toBe('7 tools');
  });

  it('shows the full policy and links its download beside the page', () => {
    expect(JSON.parse($('#policy-json').text())).toEqual(input.policies.get(1));
    const download = $('#policy-download').attr('href') ?? '';
    const target = resolveHref(path, download);
    expect(target).toBe(`${KOMODO}/policy.json`);
    const file = page(pages, `${KOMODO}/policy.json`);
    expect(file.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(file.body)).toEqual(input.policies.get(1));
  });

  it('offers the policy in every export format, each file written beside policy.json and passing its check, with the caveats', () => {
    const offered = $('#policy-formats > li').map((_, li) => $(li).attr('id')).get();
    expect(offered).toEqual(FORMATS.filter((f) => f.id !== 'policy-json').map((f) => `format-${f.id}`));
    for (const format of FORMATS.filter((f) => f.id !== 'policy-json')) {
      const link = $(`#format-${format.id} > a`);
      const target = resolveHref(path, link.attr('href') ?? '') ?? '';
      expect(target).toBe(`${KOMODO}/policy.${format.id}.${format.ext}`);
      expect(link.attr('download')).toBe(`policy.${format.id}.${format.ext}`);
      const file = page(pages, target);
      expect(file.contentType).toBe(format.contentType);
      expect(file.body).toBe(format.render(input.policies.get(1)!, { serverName: 'myrikld-komodo-mcp' }).text);
      expect(format.validate(file.body, { serverName: 'myrikld-komodo-mcp' }), format.id).toEqual([]);
      for (const caveat of format.caveats) expect(text($(`#format-${format.id}`).text())).toContain(text(caveat));
    }
    // Komodo's exec_shell is rate-limited: Claude Code asks for it, and the page says so.
    expect(text($('#format-claude-code').text())).toMatch(/exec_shell becomes ask/);
  });

  it('labels each tool with its rule', () => {
    const labels = Object.fromEntries($('#tool-table tbody tr').map((_, tr) => [[$(tr).attr('data-tool'), text($(tr).find('td').last().text())]]).get());
    expect(labels).toEqual({
      delete_stack: 'hidden',
      exec_shell: 'denied on some arguments, 10 per minute',
      'gateway.search_registry': 'allowed',
      get_version: 'denied (not listed)',
      list_servers: 'allowed',
      run_build: '10 per minute',
      update_build: '30 per minute',
    });
  });
});

describe('failed introspection', () => {
  const path = 'servers/awslabs.prometheus-mcp-server/index.html';
  const $ = html(pages, path);
  const attempt = prometheusFailed().introspection;

  it('shows the reason, message and stderr tail', () => {
    expect(text($('#outcome').text())).toBe('failed');
    expect(text($('#failure-reason').text())).toBe('needs_configuration');
    expect(text($('#failure').text())).toContain('without configuration');
    expect(text($('#failure-message').text())).toBe(attempt?.failureMessage);
    expect($('pre#stderr-tail').text()).toBe(attempt?.stderrTail);
    expect(text($('#method').text())).toContain('live-stdio-placeholders');
  });

  it("says which lines of the tail are the crawler's notes, and only when there are some", () => {
    expect(text($('#failure').text())).not.toContain("crawler's notes");
    const quiet = prometheusFailed();
    quiet.introspection!.stderrTail = '[mcp-catalogue] the server wrote nothing to stderr; it exited with code 0 after 0.4 s, during initialize, having written 0 byte(s) to stdout';
    const $quiet = html(renderSite(siteInput({ entries: [quiet] })), path);
    expect(text($quiet('#failure').text())).toContain("lines marked [mcp-catalogue] are the crawler's notes of what it saw");
    expect($quiet('pre#stderr-tail').text()).toBe(quiet.introspection!.stderrTail);
  });

  it('says whether the failure will be tried again, when the record says whether it is transient', () => {
    expect($('#failure-retry').length).toBe(0);
    const retryIn = (attempt: number, transient: boolean) => {
      const failed = prometheusFailed();
      Object.assign(failed.introspection!, { attempt, transient });
      return text(html(renderSite(siteInput({ entries: [failed] })), path)('#failure-retry').text());
    };
    expect(retryIn(2, true)).toBe('Attempt 2 of 3. This failure looks transient: it will be tried again.');
    expect(retryIn(3, true)).toMatch(/^Attempt 3\. .* not tried again; a new version will be\.$/);
    expect(retryIn(1, false)).toMatch(/^Attempt 1\. This failure is permanent/);
  });

  it('has no policy to download when none was given', () => {
    expect($('#policy-download').length).toBe(0);
    expect(pages.some((p) => p.path === 'servers/awslabs.prometheus-mcp-server/policy.json')).toBe(false);
    expect(text($('#tools').text())).toBe('0 tools');
  });
});

describe('other server states', () => {
  it('a server never crawled says so', () => {
    const $ = html(pages, 'servers/someone-never-crawled/index.html');
    expect(text($('section').eq(1).text())).toContain('have not tried');
    expect(text($('#version').text())).toBe('unknown');
  });

  it('servers whose slugs collide get -2 in identity order (npm before pypi)', () => {
    expect(text(html(pages, 'servers/foo/index.html')('#registry').text())).toBe('npm');
    expect(text(html(pages, 'servers/foo-2/index.html')('#registry').text())).toBe('pypi');
  });
});
