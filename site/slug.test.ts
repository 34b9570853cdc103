import { describe, expect, it } from 'vitest';
import { MAX_SLUG_LENGTH, assignSlugs, serverSlug, toolSlug } from './slug.ts';

const SAFE = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;

function expectSafe(slug: string): void {
  expect(slug).toMatch(SAFE);
  expect(slug).not.toContain('..');
  expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
}

describe('serverSlug', () => {
  it('turns a scoped npm name into scope-name', () => {
    expect(serverSlug('npm', '@modelcontextprotocol/server-filesystem')).toBe('modelcontextprotocol-server-filesystem');
    expect(serverSlug('npm', '@danielblomma/cortex-mcp')).toBe('danielblomma-cortex-mcp');
    expect(serverSlug('npm', 'komodo-mcp')).toBe('komodo-mcp');
  });

  it('turns an MCP Registry name into dashes, lowercased', () => {
    expect(serverSlug('mcp-registry', 'io.github.owner/repo')).toBe('io-github-owner-repo');
    expect(serverSlug('mcp-registry', 'io.github.Dave-London/Pare')).toBe('io-github-dave-london-pare');
  });

  it('keeps the dots of a PyPI name and joins GitHub owner/repo', () => {
    expect(serverSlug('pypi', 'awslabs.prometheus-mcp-server')).toBe('awslabs.prometheus-mcp-server');
    expect(serverSlug('github', 'Dave-London/Pare')).toBe('dave-london-pare');
  });

  it('never yields a path that leaves its folder', () => {
    for (const identifier of ['../../etc/passwd', '..', '.', '/', '', '@/', '..\\..\\windows', 'a/../../b', '.hidden']) {
      const slug = serverSlug('npm', identifier);
      expectSafe(slug);
    }
  });
});

describe('toolSlug', () => {
  it('keeps dots and turns underscores into dashes', () => {
    expect(toolSlug('gateway.search_registry')).toBe('gateway.search-registry');
    expect(toolSlug('run_build')).toBe('run-build');
    expect(toolSlug('build_and_push_image_to_ecr')).toBe('build-and-push-image-to-ecr');
  });

  it('makes hostile names safe path segments', () => {
    expect(toolSlug('../../etc/passwd')).toBe('etc-passwd');
    expect(toolSlug('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(toolSlug('"><img src=x onerror=alert(1)>')).toBe('img-src-x-onerror-alert-1');
    for (const name of ['..', '...', '.', '', '/', '\u0000', '\u202e\u200b', '搜索', 'a..b', 'a.-.b', '.env', 'x.', 'CON', 'a/b\\c']) {
      const slug = toolSlug(name);
      expectSafe(slug);
    }
    expect(toolSlug('a..b')).toBe('a.b');
    expect(toolSlug('搜索')).toMatch(/^tool-[0-9a-f]{8}$/);
  });

  it('bounds long names and keeps them distinct with a hash', () => {
    const a = toolSlug('x'.repeat(5000));
    const b = toolSlug(`${'x'.repeat(4999)}y`);
    expectSafe(a);
    expectSafe(b);
    expect(a).toMatch(/-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(toolSlug('y'.repeat(MAX_SLUG_LENGTH))).toBe('y'.repeat(MAX_SLUG_LENGTH));
  });
});

describe('assignSlugs', () => {
  it('gives -2, -3 in identity order, whatever the input order', () => {
    const items = [
      { identity: 'pypi:foo', slug: 'foo' },
      { identity: 'npm:foo', slug: 'foo' },
      { identity: 'github:x/foo', slug: 'foo' },
    ];
    expect(assignSlugs(items)).toEqual(['foo-3', 'foo-2', 'foo']);
    expect(assignSlugs([...items].reverse())).toEqual(['foo', 'foo-2', 'foo-3']);
  });

  it('never takes a slug another item wants as it is', () => {
    const slugs = assignSlugs([
      { identity: 'a', slug: 'search-docs' },
      { identity: 'b', slug: 'search-docs' },
      { identity: 'c', slug: 'search-docs-2' },
    ]);
    expect(slugs).toEqual(['search-docs', 'search-docs-3', 'search-docs-2']);
  });

  it('treats slugs differing only in case as the same (case-insensitive file systems)', () => {
    expect(assignSlugs([{ identity: 'a', slug: 'Foo' }, { identity: 'b', slug: 'foo' }])).toEqual(['Foo', 'foo-2']);
  });

  it('resolves tool names that collide after slugging', () => {
    const names = ['search_docs', 'search-docs', 'Search_Docs'];
    const slugs = assignSlugs(names.map((name) => ({ identity: name, slug: toolSlug(name) })));
    expect(new Set(slugs).size).toBe(3);
    // Code-unit order: 'Search_Docs' < 'search-docs' < 'search_docs'.
    expect(slugs).toEqual(['search-docs-3', 'search-docs-2', 'search-docs']);
  });
});
