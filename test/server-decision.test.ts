/** The "is it an MCP server" rules on version manifests of the shapes npm publishes, including hostile ones. */
import { describe, expect, it } from 'vitest';
import { decideServer } from '../crawler/discovery/server-decision.ts';

const sdk = { '@modelcontextprotocol/sdk': '^1.20.0' };

describe('decideServer', () => {
  it('takes a package with a bin on a server library for a server', () => {
    expect(decideServer({ name: 'acme-mcp', version: '1.0.0', description: 'MCP server for Acme', bin: { 'acme-mcp': 'dist/index.js' }, dependencies: sdk })).toBeNull();
    expect(decideServer({ name: 'bundled-mcp', version: '1.0.0', bin: 'cli.js' })).toBeNull();
  });

  it('takes a module with no bin for a server when it says so and depends on a server library', () => {
    expect(decideServer({ name: 'tracker-mcp', version: '1.0.0', description: 'An MCP server for the Tracker API', main: 'build/index.js', dependencies: sdk })).toBeNull();
    expect(decideServer({ name: 'docs-mcp', version: '1.0.0', description: 'Model Context Protocol server for docs', exports: { '.': './x.js' }, dependencies: { tmcp: '^1' } })).toBeNull();
    expect(decideServer({ name: 'flow-mcp', version: '1.0.0', description: 'Standalone MCP (Model Context Protocol) server', main: 'i.js', dependencies: sdk })).toBeNull();
    // An SDK whose host peers are optional extras is still an SDK, not a plugin.
    expect(decideServer({ name: 'proto-kit', version: '1.0.0', description: 'Model Context Protocol implementation for TypeScript', exports: { '.': './i.js' }, peerDependencies: { 'json-schema-lib': '^4' } }))
      .toMatchObject({ code: 'sdk' });
  });

  it('marks one platform of a binary package, by name and os/cpu, or by a single os and cpu', () => {
    expect(decideServer({ name: '@acme/mcp-linux-x64', version: '2.0.0', description: 'Acme MCP server for linux on x64', bin: { azmcp: './dist/azmcp' }, os: ['linux'], cpu: ['x64'] }))
      .toMatchObject({ code: 'platform-binary', reason: expect.stringContaining('os "linux", cpu "x64"') });
    expect(decideServer({ name: 'tool-mcp-darwin-arm64', version: '0.1.0', os: ['darwin'] })).toMatchObject({ code: 'platform-binary' });
    expect(decideServer({ name: 'tool-native', version: '0.1.0', main: 'tool.node', os: ['win32'], cpu: ['ia32'] })).toMatchObject({ code: 'platform-binary' });
  });

  it('keeps a launcher limited to a few platforms a server', () => {
    expect(decideServer({ name: 'router-mcp', version: '1.0.0', description: 'Universal MCP server router', bin: { router: 'bin/router.js' }, os: ['win32', 'darwin', 'linux'] })).toBeNull();
  });

  it('says a package with nothing to run has no entry, types-only ones too', () => {
    expect(decideServer({ name: 'moved-mcp', version: '1.0.0', description: 'This package has moved' })).toMatchObject({ code: 'no-entry', reason: expect.stringMatching(/nothing to run/) });
    expect(decideServer({ name: 'mcp-types', version: '1.0.0', description: 'Shared shapes', types: 'index.d.ts' })).toMatchObject({ code: 'no-entry', reason: expect.stringMatching(/type declarations only/) });
  });

  it('marks a plugin for another tool by keyword, wording or a host peer dependency', () => {
    expect(decideServer({ name: 'term-mcp', version: '1.0.0', description: 'MCP server plugin for a terminal', main: 'dist/index.js', keywords: ['term-plugin', 'mcp'] }))
      .toMatchObject({ code: 'plugin', reason: expect.stringContaining('keyword "term-plugin"') });
    expect(decideServer({ name: 'codegen-mcp', version: '1.0.0', description: 'MCP plugin for a code generator', main: 'dist/index.cjs' })).toMatchObject({ code: 'plugin' });
    expect(decideServer({ name: 'sheet-mcp', version: '1.0.0', main: 'lib/index.js', peerDependencies: { 'sheet-engine': '^1', zod: '^3' } }))
      .toMatchObject({ code: 'plugin', reason: expect.stringContaining('"sheet-engine"') });
  });

  it('does not call a module a plugin for peer dependencies on MCP libraries alone', () => {
    expect(decideServer({ name: 'x-mcp', version: '1.0.0', description: 'Helpers for MCP', main: 'index.js', peerDependencies: { '@modelcontextprotocol/sdk': '^1', zod: '^3' } }))
      .toMatchObject({ code: 'sdk' });
  });

  it('marks clients, inspectors, testers and installers, with or without a bin', () => {
    expect(decideServer({ name: 'mcp-inspect', version: '1.0.0', description: 'A CLI inspector for the Model Context Protocol', bin: { inspect: 'i.js' }, dependencies: sdk })).toMatchObject({ code: 'client' });
    expect(decideServer({ name: 'add-mcp', version: '1.0.0', description: 'A CLI tool to install and manage MCP servers', bin: { 'add-mcp': 'a.js' } })).toMatchObject({ code: 'client' });
    expect(decideServer({ name: 'ask-mcp', version: '1.0.0', description: 'Talk to remote tools', main: 'x.js', dependencies: { '@modelcontextprotocol/client': '^2' } }))
      .toMatchObject({ code: 'client', reason: expect.stringMatching(/client library only/) });
    expect(decideServer({ name: '@acme/conformance', version: '1.0.0', bin: { conformance: 'c.js' }, dependencies: sdk })).toMatchObject({ code: 'client' });
  });

  it('marks SDKs, frameworks and libraries, by wording or (with no description) by name', () => {
    expect(decideServer({ name: 'fast-mcp-kit', version: '1.0.0', description: 'A TypeScript framework for building MCP servers.', bin: { kit: 'cli.js' }, dependencies: sdk })).toMatchObject({ code: 'sdk' });
    expect(decideServer({ name: '@acme/mcp-server-sdk', version: '1.0.0', main: 'dist/index.js', dependencies: sdk })).toMatchObject({ code: 'sdk', reason: expect.stringMatching(/named as/) });
  });

  it('does not let a "framework" or "client" word outweigh a description that calls the package a server', () => {
    expect(decideServer({ name: 'qa-mcp', version: '1.0.0', description: 'MCP server that turns your agent into a tester with a test framework', bin: { qa: 'q.js' } })).toBeNull();
    expect(decideServer({ name: 'gmail-mcp', version: '1.0.0', description: 'Gmail MCP server with an OAuth client', bin: { g: 'g.js' } })).toBeNull();
    // With a bin, "client" or "library" about what the package talks to is no sign of a client or an SDK.
    expect(decideServer({ name: 'chat-tools', version: '1.0.0', description: 'Chat API client tools for AI agents', bin: { c: 'c.js' } })).toBeNull();
    expect(decideServer({ name: 'ui-docs', version: '1.0.0', description: 'Search the Acme UI library docs from your agent', bin: { u: 'u.js' } })).toBeNull();
    // Without one, the same words mark a module.
    expect(decideServer({ name: 'chat-tools', version: '1.0.0', description: 'Chat API client tools for AI agents', main: 'c.js' })).toMatchObject({ code: 'client' });
  });

  it('says a module that does not call itself a server is no entry to run', () => {
    expect(decideServer({ name: 'dom-reader', version: '1.0.0', description: 'Token-efficient DOM extraction for agents', main: 'index.mjs' })).toMatchObject({ code: 'no-entry' });
    expect(decideServer({ name: 'api-layer', version: '1.0.0', description: 'A GraphQL API with an MCP server', main: 'lib/index.js' }))
      .toMatchObject({ code: 'no-entry', reason: expect.stringMatching(/no dependency on a server library/) });
  });

  it('reads hostile manifests without trusting their keys or shapes, and errs toward server when unreadable', () => {
    const hostile = JSON.parse('{"name":"evil-mcp","version":"1.0.0","main":"x.js","description":"Utilities","peerDependencies":{"__proto__":"1","constructor":"2"},"dependencies":{"__proto__":{"x":1}},"keywords":[7,null,"__proto__-plugin"]}');
    const decision = decideServer(hostile);
    expect(decision).toMatchObject({ code: 'plugin', reason: expect.stringContaining('"__proto__-plugin"') });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(decideServer({ name: 'odd-mcp', version: '1.0.0', bin: 42, main: ['a'], os: 'linux', description: { a: 1 } })).toMatchObject({ code: 'no-entry' });
    expect(decideServer(null)).toBeNull();
    expect(decideServer('not an object')).toBeNull();
  });

  it('drops control characters from the strings it quotes and bounds their length', () => {
    const decision = decideServer({ name: 'x', version: '1.0.0', main: 'i.js', keywords: [`a\u001b[31m${'b'.repeat(200)}-plugin`] });
    expect(decision!.reason.includes('\u001b')).toBe(false);
    expect(decision!.reason.length).toBeLessThan(160);
  });
});
