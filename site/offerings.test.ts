import { describe, expect, it } from 'vitest';
import { renderExport } from './export.ts';
import { renderSite } from './render.ts';
import { entry, HOSTILE_ATTR, HOSTILE_SCRIPT, siteInput } from './test-fixtures.ts';
import { html, page, text } from './test-pages.ts';

const notes = entry({
  id: 40,
  registry: 'npm',
  identifier: 'notes-offerings',
  displayName: 'Notes',
  attempt: {
    outcome: 'ok',
    method: 'live-stdio',
    prompts: [
      { name: 'summarise_notes', title: 'Summarise', description: `Summarises. ${HOSTILE_SCRIPT}`, arguments: [{ name: 'folder', required: true, description: 'Folder' }, { name: HOSTILE_ATTR }] },
      { name: 'no_args', description: 'x'.repeat(5000) },
    ],
    resources: [{ uri: 'javascript:alert(1)', name: HOSTILE_SCRIPT, mimeType: 'text/html' }, { uri: 'http://169.254.169.254/latest/meta-data', name: 'metadata' }],
    resourceTemplates: [{ uriTemplate: 'notes://{id}', name: 'Note by id', description: 'One note.' }],
    listFailures: [{ method: 'resources/templates/list', message: `MCP error -32603: ${HOSTILE_SCRIPT}` }],
  },
});
const plain = entry({ id: 41, registry: 'npm', identifier: 'tools-only', displayName: 'Tools only' });
const input = siteInput({ entries: [notes, plain], policies: new Map() });
const pages = renderSite(input);

describe('prompts and resources on the server page', () => {
  const $ = html(pages, 'servers/notes-offerings/index.html');

  it('lists prompts with their arguments, resources and templates as text', () => {
    const prompts = $('#prompt-table tbody tr')
      .map((_, tr) => ({ name: $(tr).attr('data-prompt'), args: $(tr).find('li').map((_i, li) => text($(li).text())).get(), cell: text($(tr).find('td').last().text()) }))
      .get();
    expect(prompts).toEqual([
      { name: 'summarise_notes', args: ['folder (required): Folder', HOSTILE_ATTR], cell: expect.any(String) },
      { name: 'no_args', args: [], cell: 'none' },
    ]);
    expect(text($('#prompt-table tbody tr').first().find('.summary').text())).toBe(`Summarises. ${HOSTILE_SCRIPT}`);
    expect(text($('#prompt-table tbody tr').last().find('.summary').text())).toHaveLength(300);
    expect($('#resource-table code.untrusted-url').map((_, el) => $(el).text()).get()).toEqual(['javascript:alert(1)', 'http://169.254.169.254/latest/meta-data']);
    expect(text($('#resource-table tbody tr').first().find('td').first().text())).toBe(HOSTILE_SCRIPT);
    expect($('#resource-template-table code').text()).toBe('notes://{id}');
    expect(text($('#list-failures').text())).toBe(`resources/templates/list: MCP error -32603: ${HOSTILE_SCRIPT}`);
  });

  it('never links a server-supplied URI and escapes every field', () => {
    const body = page(pages, 'servers/notes-offerings/index.html').body;
    expect($('#offerings').closest('section').find('a').length).toBe(0);
    expect($('script, img:not(.site-badge)').length).toBe(0);
    expect(body).not.toContain('<script>alert(1)');
    expect(body).not.toContain('<img src=x');
  });

  it('has no section for a server that lists no prompts or resources', () => {
    expect(html(pages, 'servers/tools-only/index.html')('#offerings').length).toBe(0);
  });

  it('puts the full lists in the JSON API and the export', () => {
    const api = JSON.parse(page(pages, 'api/servers/notes-offerings.json').body);
    expect(api.introspection.prompts[1].description).toHaveLength(5000);
    expect(api.introspection.resources[0]).toEqual({ uri: 'javascript:alert(1)', name: HOSTILE_SCRIPT, mimeType: 'text/html' });
    const lines = page(renderExport([notes, plain], new Map()), 'servers.jsonl').body.trim().split('\n').map((l) => JSON.parse(l));
    const exported = lines.find((l) => l.identifier === 'notes-offerings');
    expect(exported.introspection).toMatchObject({
      method: 'live-stdio',
      prompts: notes.introspection!.prompts,
      resources: notes.introspection!.resources,
      resourceTemplates: notes.introspection!.resourceTemplates,
      listFailures: notes.introspection!.listFailures,
    });
    expect(lines.find((l) => l.identifier === 'tools-only').introspection).toMatchObject({ prompts: null, resources: null, resourceTemplates: null, listFailures: [] });
  });
});
