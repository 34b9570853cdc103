/** The deduplication rules of crawler/discovery/README.md, one case each: what merges, what stays apart. */
import { describe, expect, it } from 'vitest';
import { deduplicate, normaliseRepositoryUrl } from '../crawler/discovery/index.ts';
import type { ServerCandidate } from '../records/index.ts';

function npm(name: string, repo: string | null, extra: Partial<ServerCandidate> = {}): ServerCandidate {
  return {
    source: 'npm', registry: 'npm', identifier: name, version: '1.0.0', name, description: null,
    repository: repo ? { url: normaliseRepositoryUrl(repo)!, id: null, subfolder: null } : null,
    downloads: null, stars: null, packages: [{ registryType: 'npm', identifier: name, version: '1.0.0', transport: null, environmentVariables: [], arguments: [] }],
    remotes: [], status: 'active', fork: false, markers: ['mcpName'], mcpName: null, updatedAt: null, ...extra,
  };
}

function github(fullName: string, id: number, extra: Partial<ServerCandidate> = {}): ServerCandidate {
  return {
    ...npm('x', null), source: 'github', registry: 'github', identifier: fullName.toLowerCase(), name: fullName, version: null, packages: [],
    repository: { url: `https://github.com/${fullName.toLowerCase()}`, id: String(id), subfolder: null }, markers: ['topic:mcp'], ...extra,
  };
}

function registry(name: string, extra: Partial<ServerCandidate> = {}): ServerCandidate {
  return { ...npm('x', null), source: 'mcp-registry', registry: 'mcp-registry', identifier: name, name, packages: [], mcpName: name, ...extra };
}

const ids = (candidates: ServerCandidate[]) => deduplicate(candidates).map((s) => s.identities);

describe('deduplication', () => {
  it('normalises repository URL spellings to one key', () => {
    for (const raw of ['git+ssh://git@github.com/Acme/Tool.git', 'github:acme/tool', 'acme/tool', 'https://www.github.com/acme/tool/tree/main/src', 'git@github.com:ACME/tool.git']) {
      expect(normaliseRepositoryUrl(raw)).toBe('https://github.com/acme/tool');
    }
    expect(normaliseRepositoryUrl('javascript:alert(1)')).toBeNull();
    expect(normaliseRepositoryUrl('file:///etc/passwd')).toBeNull();
  });

  it('never merges on display name', () => {
    expect(ids([npm('a', null, { name: 'Weather' }), npm('b', null, { name: 'Weather' })])).toEqual([['npm:a'], ['npm:b']]);
  });

  it('merges a renamed repository through its stable id, with the package that still names the old URL', () => {
    const entry = registry('io.github.old/tool', { repository: { url: 'https://github.com/old/tool', id: '77', subfolder: null } });
    const pkg = npm('tool', 'https://github.com/old/tool');
    const repo = github('new-owner/tool', 77);
    expect(ids([repo, pkg, entry])).toEqual([['mcp-registry:io.github.old/tool', 'npm:tool', 'github:new-owner/tool']]);
  });

  it('merges a namespace migration: two registry names declaring the same package', () => {
    const pkgs = [{ registryType: 'npm', identifier: 'tool', version: '1.0.0', transport: 'stdio', environmentVariables: [], arguments: [] }];
    const [server, ...rest] = deduplicate([registry('io.github.a/tool', { packages: pkgs }), registry('com.a/tool', { packages: pkgs })]);
    expect(rest).toEqual([]);
    expect(server).toMatchObject({ identities: ['mcp-registry:com.a/tool', 'mcp-registry:io.github.a/tool'], packages: [{ registryType: 'npm', identifier: 'tool' }] });
  });

  it('keeps a fork apart: its own repository, and its package pointing upstream merges with nothing', () => {
    const upstream = npm('tool', 'https://github.com/acme/tool');
    const forkPkg = npm('tool-fork', 'https://github.com/acme/tool');
    const forkRepo = github('someone/tool', 9, { fork: true });
    const upstreamRepo = github('acme/tool', 1);
    expect(ids([upstream, forkPkg, forkRepo, upstreamRepo])).toEqual([['npm:tool'], ['npm:tool-fork'], ['github:acme/tool'], ['github:someone/tool']]);
    // Without the fork's package, the upstream package and its repository are one server.
    expect(ids([upstream, forkRepo, upstreamRepo])).toEqual([['npm:tool', 'github:acme/tool'], ['github:someone/tool']]);
  });

  it('keeps a monorepo\'s packages apart, joined by subfolder where declared', () => {
    const a = npm('@org/server-a', 'https://github.com/org/servers', { repository: { url: 'https://github.com/org/servers', id: null, subfolder: 'src/a' } });
    const b = npm('@org/server-b', 'https://github.com/org/servers', { repository: { url: 'https://github.com/org/servers', id: null, subfolder: 'src/b' } });
    const entry = registry('io.github.org/a', { repository: { url: 'https://github.com/org/servers', id: '5', subfolder: './src/a/' } });
    expect(ids([a, b, entry, github('org/servers', 5)])).toEqual([['mcp-registry:io.github.org/a', 'npm:@org/server-a'], ['npm:@org/server-b'], ['github:org/servers']]);
  });

  it('does not let two packages that claim one mcpName both join the entry', () => {
    const entry = registry('io.github.a/tool');
    const real = npm('tool', null, { mcpName: 'io.github.a/tool' });
    const copy = npm('tool-copy', null, { mcpName: 'io.github.a/tool' });
    expect(ids([entry, real])).toEqual([['mcp-registry:io.github.a/tool', 'npm:tool']]);
    expect(ids([entry, real, copy])).toEqual([['mcp-registry:io.github.a/tool'], ['npm:tool'], ['npm:tool-copy']]);
  });

  it('gives the same servers for the candidates in any order', () => {
    const all = [registry('io.github.a/t', { repository: { url: 'https://github.com/a/t', id: '3', subfolder: null } }), npm('t', 'a/t'), github('a/t', 3), npm('u', null)];
    expect(deduplicate([...all].reverse())).toEqual(deduplicate(all));
  });
});
