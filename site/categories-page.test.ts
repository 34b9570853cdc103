/**
 * Attack-pattern pages (`categories/<category>.html` and their index): the patterns with their mitigations, what the
 * recommended policy does (its figures read from policy/), the most exposed tools in order, links to and from them,
 * and hostile names escaped.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_AMOUNT_CAP, EXECUTE_PER_MINUTE, WRITE_PER_MINUTE } from '../policy/index.ts';
import { CATEGORIES } from '../records/index.ts';
import { renderSite } from './index.ts';
import { entry, HOSTILE_SCRIPT, siteInput, tool } from './test-fixtures.ts';
import { html, page, resolveHref, text } from './test-pages.ts';

const pathOf = (category: string) => `categories/${category.toLowerCase()}.html`;

describe('attack-pattern pages', () => {
  const pages = renderSite(siteInput());

  it('has a page per category with its patterns, each with a mitigation', () => {
    for (const category of CATEGORIES) {
      const $ = html(pages, pathOf(category));
      expect(text($('h1').text())).toBe(`Attack patterns of ${category} tools`);
      const patterns = $('article.pattern');
      expect(patterns.length).toBeGreaterThanOrEqual(3);
      patterns.each((_, el) => {
        expect(text($(el).find('h3').text()).length).toBeGreaterThan(3);
        expect(text($(el).find('.mitigation').text())).toMatch(/^Mitigation: \S/);
      });
    }
    expect(text(html(pages, pathOf('Read'))('#exfiltration').text())).toContain('prompt injection');
    expect(text(html(pages, pathOf('Write'))('#persistence').text())).toContain('.ssh');
    expect(text(html(pages, pathOf('Execute'))('#sandbox-escape').text())).toContain('Sandbox escape');
    expect(text(html(pages, pathOf('Destructive'))('#deletion-at-scale').text())).toContain('ransomware');
    expect(text(html(pages, pathOf('Financial'))('#drained-wallets').text())).toContain('wallet');
  });

  it('says what the recommended policy does, with the figures the recommender uses', () => {
    const rule = (category: string) => text(html(pages, pathOf(category))('#policy-rule').text());
    expect(rule('Read')).toMatch(/^Allowed with no rate limit\./);
    expect(rule('Write')).toContain(`${WRITE_PER_MINUTE} calls per minute per grant`);
    expect(rule('Execute')).toContain(`${EXECUTE_PER_MINUTE} calls per minute per grant`);
    expect(rule('Execute')).toContain('pipe a download into a shell');
    expect(rule('Destructive')).toMatch(/^Hidden from tools\/list and every call is denied until a person approves it/);
    expect(rule('Financial')).toContain(`above ${DEFAULT_AMOUNT_CAP.toLocaleString('en-US')}`);
  });

  it('lists the exposed tools of the category, highest risk first, linked to their pages', () => {
    const path = pathOf('Execute');
    const $ = html(pages, path);
    const rows = $('#exposed-table tbody tr');
    const names = rows.map((_, row) => text($(row).find('td').first().text())).get();
    expect(names[0]).toBe('exec_shell');
    expect(names).toEqual(expect.arrayContaining(['run_build', 'exec', HOSTILE_SCRIPT]));
    expect(names).not.toContain('list_servers');
    const risks = rows.map((_, row) => text($(row).find('.badge.risk').text())).get();
    expect(risks[0]).toBe('Critical risk');
    for (const href of $('#exposed-table a').map((_, a) => $(a).attr('href')).get()) {
      const target = resolveHref(path, href);
      expect(target).not.toBeNull();
      expect(pages.some((candidate) => candidate.path === target), `${href} from ${path}`).toBe(true);
    }
  });

  it('escapes hostile tool and server names', () => {
    for (const category of ['Execute', 'Read', 'Write']) {
      const body = page(pages, pathOf(category)).body;
      expect(body).not.toContain(HOSTILE_SCRIPT);
      expect(body).not.toMatch(/<img\b/i);
    }
    expect(page(pages, pathOf('Execute')).body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows the 20 most exposed tools by risk, then confidence, and links the rest', () => {
    const tools = Array.from({ length: 25 }, (_, i) => tool({ name: `read_${String(i).padStart(2, '0')}`, description: 'Reads.', inputSchema: { type: 'object' } }, { category: 'Read', risk: i === 24 ? 'High' : 'Low', rationale: 'Reads.' }));
    tools.forEach((t, i) => { if (t.classification) t.classification.confidence = 0.5 + i / 100; });
    const many = renderSite({ ...siteInput(), entries: [entry({ id: 40, registry: 'npm', identifier: 'many-reads', displayName: 'Many reads', tools })] });
    const $ = html(many, pathOf('Read'));
    const names = $('#exposed-table tbody tr td:first-child').map((_, td) => text($(td).text())).get();
    expect(names).toHaveLength(20);
    // read_24 is the one High; then the Low ones from the highest confidence down.
    expect(names.slice(0, 3)).toEqual(['read_24', 'read_23', 'read_22']);
    expect(names).not.toContain('read_04');
    expect(text($('#exposed-heading').text())).toBe('The 20 most exposed Read tools');
    expect(text($('#exposed .note').text())).toContain('20 of 25 tools');
    expect($('#exposed .note a').attr('href')).toBe('../browse/category/read.html');
  });

  it('is linked from the navigation, the index of categories, the browse pages, tool pages, the sitemap and llms.txt', () => {
    expect(html(pages, 'index.html')('header nav a').filter((_, a) => text(html(pages, 'index.html')(a).text()) === 'Attack patterns').attr('href')).toBe('categories/index.html');
    const index = html(pages, 'categories/index.html');
    expect(index('#categories-table tbody a').map((_, a) => index(a).attr('href')).get()).toEqual(CATEGORIES.map((c) => `../categories/${c.toLowerCase()}.html`));
    expect(text(index('#categories-table tbody tr').eq(2).text())).toContain('Execute');
    const browse = html(pages, 'browse/category/destructive.html');
    expect(browse('#attacks-link a').attr('href')).toBe('../../categories/destructive.html');
    expect(html(pages, 'browse/category/unclassified.html')('#attacks-link')).toHaveLength(0);
    const toolPage = html(pages, 'servers/myrikld-komodo-mcp/tools/exec-shell.html');
    expect(toolPage('#category a').attr('href')).toBe('../../../categories/execute.html');
    expect(toolPage('#attacks-link a').attr('href')).toBe('../../../categories/execute.html');
    const sitemap = page(pages, 'sitemap.xml').body;
    for (const category of CATEGORIES) expect(sitemap).toContain(pathOf(category));
    expect(page(pages, 'llms.txt').body).toContain('- [Attack patterns](categories/index.html): ');
  });
});
