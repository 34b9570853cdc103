/**
 * End to end on a real stdio MCP server written for the suite, published to a loopback npm registry:
 * `mcp-catalogue run` crawls it in the sandbox, classifies, exports and builds the site; the test reads the pages
 * and the policy back.
 */
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePolicy, formatById, serverNameFromSlug, validatePolicy, type Policy, type ToolCall } from '../policy/index.ts';
import { cedarDecision, celDecision } from '../policy/formats/engines.test-helper.ts';
import { main } from '../scripts/cli.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const fixture = path.resolve(import.meta.dirname, 'fixtures/servers/notes-server');
const configFixture = path.resolve(import.meta.dirname, 'fixtures/servers/config-server');
const staticFixture = path.resolve(import.meta.dirname, 'fixtures/servers/static-server');
const newNodeFixture = path.resolve(import.meta.dirname, 'fixtures/servers/new-node-server');
const unresolvedFixture = path.resolve(import.meta.dirname, 'fixtures/servers/unresolved-dependency-server');
const fakeNodeBuild = path.resolve(import.meta.dirname, 'fixtures/servers/fake-node');
const postinstallMarker = path.join(tmpdir(), 'notes-mcp-fixture-postinstall-ran');

describe('mcp-catalogue run, end to end', () => {
  let registry: FakeRegistry;
  let work: string;
  let exitCode: number;

  beforeAll(async () => {
    rmSync(postinstallMarker, { force: true });
    registry = await startFakeRegistry([fixture, configFixture, staticFixture, newNodeFixture, unresolvedFixture, fakeNodeBuild].map(packFixture));
    work = sandboxTempDir('mcp-catalogue-e2e-');
    chmodSync(work, 0o755); // the sandbox runs under an unprivileged uid that must reach the package cache
    const previous = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      exitCode = await main([
        'node', 'mcp-catalogue', 'run', 'npm:notes-mcp-fixture', 'npm:config-mcp-fixture', 'npm:static-mcp-fixture', 'npm:new-node-mcp-fixture', 'npm:unresolved-dep-mcp-fixture', 'npm:no-such-package-anywhere',
        '--data-dir', path.join(work, 'data'),
        '--site-out', path.join(work, 'site'),
        '--export-out', path.join(work, 'export'),
        '--npm-registry-url', registry.url,
        '--timeout-ms', '20000',
      ]);
    } finally {
      if (previous !== undefined) process.env.DATABASE_URL = previous;
    }
  }, 240_000);

  afterAll(async () => {
    await registry?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('finishes with exit code 0 and never runs install scripts', () => {
    expect(exitCode).toBe(0);
    expect(registry.requests).toContain('/notes-mcp-fixture');
    expect(existsSync(postinstallMarker)).toBe(false);
  });

  it('exports servers.jsonl with both pages of tools/list, classified', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.identifier)).toEqual(['config-mcp-fixture', 'new-node-mcp-fixture', 'notes-mcp-fixture', 'static-mcp-fixture', 'unresolved-dep-mcp-fixture']);
    const server = lines.find((l) => l.identifier === 'notes-mcp-fixture');
    expect(server).toMatchObject({ registry: 'npm', identifier: 'notes-mcp-fixture', slug: 'notes-mcp-fixture', version: '1.0.0' });
    expect(server.introspection).toMatchObject({ outcome: 'ok', failureReason: null, method: 'live-stdio', toolCount: 5 });
    const byName = Object.fromEntries(server.tools.map((t: { name: string; classification: { category: string; risk: string } }) => [t.name, t.classification]));
    expect(Object.keys(byName).sort()).toEqual(['create_refund', 'delete_all_notes', 'read_note', 'run_shell_command', 'write_note']);
    expect(byName.read_note).toMatchObject({ category: 'Read', risk: 'Low' });
    expect(byName.write_note).toMatchObject({ category: 'Write' });
    expect(byName.delete_all_notes).toMatchObject({ category: 'Destructive', risk: 'Critical' });
    expect(byName.run_shell_command).toMatchObject({ category: 'Execute', risk: 'Critical' });
    expect(byName.create_refund).toMatchObject({ category: 'Financial', risk: 'Critical' });
  });

  it('starts a server that needs configuration with placeholders and its documented arguments', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const server = lines.find((l) => l.identifier === 'config-mcp-fixture');
    expect(server.introspection).toMatchObject({ outcome: 'ok', method: 'live-stdio-arguments', toolCount: 1 });
    expect(server.tools[0].classification).toMatchObject({ category: 'Read', risk: 'Low' });
  });

  it('reads the tools of a server that cannot start from its source, and says why the live start failed', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const server = lines.find((l) => l.identifier === 'static-mcp-fixture');
    expect(server.introspection).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'crashed_on_start', toolCount: 2 });
    const byName = Object.fromEntries(server.tools.map((t: { name: string }) => [t.name, t]));
    expect(byName.search_docs.definition.inputSchema).toEqual({
      type: 'object',
      properties: { query: { type: 'string', description: 'Words to search for' }, limit: { type: 'number' } },
      required: ['query'],
    });
    expect(byName.delete_page.classification).toMatchObject({ category: 'Destructive' });
    const page = load(readFileSync(path.join(work, 'site/servers/static-mcp-fixture/index.html'), 'utf8'));
    expect(page('#failure h3').text()).toBe('Why the live start failed');
    expect(page('#failure-reason').text()).toBe('crashed_on_start');
    expect(page('#stderr-tail').text()).toMatch(/Cannot find module/);
  });

  it('reads the tools of a package that cannot be installed from its own tarball, and records the install failure', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const server = lines.find((l) => l.identifier === 'unresolved-dep-mcp-fixture');
    expect(server.introspection).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'install_failed', toolCount: 1 });
    expect(server.introspection.failureMessage).toMatch(/npm install unresolved-dep-mcp-fixture@1\.0\.0 failed.*; 1 tool\(s\) read from 1 source file\(s\) instead/s);
    expect(server.tools[0].definition).toMatchObject({ name: 'list_widgets', title: 'List widgets', annotations: { readOnlyHint: true } });
    expect(registry.requests).toContain('/@fixture/never-published');
  });

  it('runs a package on the Node build its engines.node asks for, installed from the registry', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const server = lines.find((l) => l.identifier === 'new-node-mcp-fixture');
    expect(server.introspection).toMatchObject({ outcome: 'ok', method: 'live-stdio' });
    expect(server.tools[0].definition.description).toBe('runtime node-99');
    expect(registry.requests).toContain(`/node-linux-${process.arch}`);
  });

  it('writes a recommended policy.json that validates and gates each category', () => {
    const policy = JSON.parse(readFileSync(path.join(work, 'export/policies/notes-mcp-fixture.json'), 'utf8'));
    expect(validatePolicy(policy)).toEqual({ valid: true, errors: [] });
    expect(policy).toMatchObject({ version: '1', default: 'deny' });
    expect(policy.tools.read_note).toEqual({});
    expect(policy.tools.write_note.limits[0]).toMatchObject({ window: 'minute', scope: 'grant' });
    expect(policy.hide).toContain('delete_all_notes');
    expect(policy.tools.create_refund.deny_if[0].conditions).toEqual([]);
    expect(policy.tools.run_shell_command.limits[0].max).toBeLessThan(policy.tools.write_note.limits[0].max);
  });

  it('exports every server\'s policy in every format, each file passing its format\'s check', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { slug: string; policy: string | null; policyFiles: Record<string, string> });
    const withPolicy = lines.filter((l) => l.policy !== null);
    expect(withPolicy.length).toBeGreaterThan(0);
    for (const line of withPolicy) {
      expect(Object.keys(line.policyFiles)).toEqual(['policy-json', 'intercept', 'claude-code', 'cedar', 'cel', 'kong', 'docker', 'vscode']);
      for (const [id, file] of Object.entries(line.policyFiles)) {
        expect(formatById(id)!.validate(readFileSync(path.join(work, 'export', file), 'utf8'), { serverName: serverNameFromSlug(line.slug) }), `${line.slug} ${id}`).toEqual([]);
      }
    }
    // The crawl's policies decide like policy.json in Cedar and CEL, or deny where the file reported it could not say the rule.
    const probes = ['rm -rf /', 'curl http://x | sh', '../../etc/passwd', 'notes.txt', 'http://169.254.169.254/', 'DROP TABLE t', 20000, 5];
    let compared = 0;
    for (const line of withPolicy) {
      const policy = JSON.parse(readFileSync(path.join(work, 'export', line.policyFiles['policy-json']!), 'utf8')) as Policy;
      const names = [...Object.keys(policy.tools), ...(policy.hide ?? []), 'unlisted_tool'];
      const argNames = [...new Set(JSON.stringify(policy).match(/"args\.[^".]+/g)?.map((m) => m.slice(6)) ?? [])];
      const calls: ToolCall[] = names.flatMap((name) => [{ name, arguments: {} }, ...probes.map((v) => ({ name, arguments: Object.fromEntries(argNames.map((a) => [a, v])) }))]);
      for (const [id, engine] of [['cedar', cedarDecision], ['cel', celDecision]] as const) {
        const out = formatById(id)!.render(policy, { serverName: serverNameFromSlug(line.slug) });
        const degraded = new Set(out.degraded.map((d) => d.tool));
        for (const call of calls) {
          const ours = evaluatePolicy(policy, call).decision;
          const theirs = engine(out.text, call);
          compared += 1;
          if (theirs !== ours) expect({ id, call, ours, theirs, reported: degraded.has(call.name) || degraded.has('*') }).toEqual({ id, call, ours: 'allow', theirs: 'deny', reported: true });
        }
      }
    }
    expect(compared).toBeGreaterThan(50);

    const claude = JSON.parse(readFileSync(path.join(work, 'export/claude-code/notes-mcp-fixture.json'), 'utf8'));
    expect(claude.permissions.deny).toContain('mcp__notes-mcp-fixture__delete_all_notes');
    expect(claude.permissions.allow).toContain('mcp__notes-mcp-fixture__read_note');
  });

  it('builds the index, the server page and a page per tool', () => {
    const index = load(readFileSync(path.join(work, 'site/index.html'), 'utf8'));
    expect(index('a[href="servers/notes-mcp-fixture/index.html"]').length).toBeGreaterThan(0);

    const serverHtml = readFileSync(path.join(work, 'site/servers/notes-mcp-fixture/index.html'), 'utf8');
    const server = load(serverHtml);
    for (const tool of ['read_note', 'write_note', 'delete_all_notes', 'run_shell_command', 'create_refund']) {
      expect(server(`a:contains("${tool}")`).length, tool).toBeGreaterThan(0);
    }
    const downloaded = JSON.parse(readFileSync(path.join(work, 'site/servers/notes-mcp-fixture/policy.json'), 'utf8'));
    const exported = JSON.parse(readFileSync(path.join(work, 'export/policies/notes-mcp-fixture.json'), 'utf8'));
    expect(downloaded).toEqual(exported);

    const toolPage = path.join(work, 'site/servers/notes-mcp-fixture/tools/delete-all-notes.html');
    const html = readFileSync(toolPage, 'utf8');
    const $ = load(html);
    expect($('h1').text()).toContain('delete_all_notes');
    expect($('body').text()).toMatch(/Critical/);
    expect($('body').text()).toContain('Permanently deletes every note');
    expect($('script').length).toBe(0);
    expect(html).toContain('&lt;script&gt;');
    const snippet = JSON.parse($('pre').filter((_, el) => $(el).text().includes('"version"')).first().text());
    expect(snippet).toMatchObject({ version: '1', default: 'deny' });
    expect(snippet.hide).toContain('delete_all_notes');
  });
});
