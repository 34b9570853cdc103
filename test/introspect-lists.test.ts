/**
 * prompts/list, resources/list and resources/templates/list, asked of a fixture server in the real sandbox: only
 * when declared, paged by cursor under the same guards as tools/list, and never failing the tool listing.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectLive, type IntrospectOptions } from '../crawler/session/index.ts';
import { nodeRuntime, PACKAGE_MOUNT } from '../crawler/sandbox.ts';
import { sandboxFixture } from './helpers/sandbox-paths.ts';

const fixture = sandboxFixture('servers/offerings-server');

describe('optional lists in the sandbox', () => {
  let listener: Server;
  let canaryUrl = '';
  let connections = 0;
  const run = (mode: string, options: IntrospectOptions = {}) =>
    introspectLive(
      { packageRoot: fixture, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/server.js`, mode, canaryUrl] },
      { timeoutMs: 15_000, ...options },
    );

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/resource`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  it('lists declared prompts over two pages, resources and templates, keeping spec fields only', async () => {
    const result = await run('ok');
    expect(result).toMatchObject({ outcome: 'ok', failureReason: null });
    expect(result.tools.map((t) => t.name)).toEqual(['read_note']);
    expect(result.prompts).toEqual([
      {
        name: 'summarise_notes',
        title: 'Summarise notes',
        description: 'Summarises the notes in a folder. <script>alert("prompt")</script>',
        arguments: [
          { name: 'folder', description: 'Folder to read', required: true },
          { name: 'style', description: 'bullet or prose' },
        ],
      },
      { name: 'review_code', description: 'Reviews a diff.' },
    ]);
    expect(result.resources).toEqual([
      { uri: canaryUrl, name: 'Remote notes', description: 'A URL the client must not open.', mimeType: 'text/html' },
      { uri: 'file:///notes/<b>today</b>.md', name: '<img src=x onerror=alert(1)>', mimeType: 'text/markdown', size: 1234 },
    ]);
    expect(result.resourceTemplates).toEqual([{ uriTemplate: 'notes://{id}', name: 'Note by id', description: 'One note.', mimeType: 'text/markdown' }]);
    expect(result.listFailures).toEqual([
      { method: 'prompts/list', message: '1 entry was malformed and dropped' },
      { method: 'resources/list', message: '1 entry was malformed and dropped' },
    ]);
    expect(result.stderrTail).toContain('asked prompts/list cursor=p2');
    expect(connections).toBe(0);
  });

  it('records a failed optional list and keeps the tools', async () => {
    const result = await run('broken-templates');
    expect(result).toMatchObject({ outcome: 'ok', failureReason: null });
    expect(result.tools).toHaveLength(1);
    expect(result.resources).toHaveLength(2);
    expect(result.resourceTemplates).toBeNull();
    expect(result.listFailures).toContainEqual({ method: 'resources/templates/list', message: expect.stringContaining('template index is corrupt') });
  });

  it('stops a looping prompts cursor and says so', async () => {
    const result = await run('looping-prompts');
    expect(result.outcome).toBe('ok');
    expect(result.prompts!.map((p) => p.name)).toEqual(['p_start', 'p_a', 'p_b']);
    expect(result.listFailures).toContainEqual({ method: 'prompts/list', message: 'sent a cursor it had sent before; the walk stopped there' });
  });

  it('caps the pages followed', async () => {
    const result = await run('looping-prompts', { maxPages: 2 });
    expect(result.prompts!.map((p) => p.name)).toEqual(['p_start', 'p_a']);
    expect(result.listFailures).toContainEqual({ method: 'prompts/list', message: 'still announced more pages after 2' });
  });

  it('keeps the first entries of a list past its cap', async () => {
    const result = await run('many-resources', { maxListItems: 100 });
    expect(result.outcome).toBe('ok');
    expect(result.resources).toHaveLength(100);
    expect(result.resources![99]).toEqual({ uri: 'notes://99', name: 'note 99' });
    expect(result.listFailures).toContainEqual({ method: 'resources/list', message: 'listed more than 100 resources; the first 100 are kept' });
  });

  it('gives up on a hanging optional list after its own timeout, and goes on to the next', async () => {
    const started = Date.now();
    const result = await run('hanging-resources', { optionalListTimeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result).toMatchObject({ outcome: 'ok', resources: null });
    expect(result.tools).toHaveLength(1);
    expect(result.listFailures).toContainEqual({ method: 'resources/list', message: expect.stringMatching(/timed out/i) });
    expect(result.resourceTemplates).toHaveLength(1);
  });

  it('does not ask for lists the server does not declare', async () => {
    const result = await run('tools-only');
    expect(result).toMatchObject({ outcome: 'ok', prompts: null, resources: null, resourceTemplates: null, listFailures: [] });
    expect(result.stderrTail).toContain('asked tools/list');
    expect(result.stderrTail).not.toContain('prompts/list');
    expect(result.stderrTail).not.toContain('resources/');
  });
});
