import { describe, expect, it } from 'vitest';
import { assignNames, derivedName, isServerName } from './index.ts';

describe('server.json names', () => {
  it.each([
    ['npm', 'left-pad', 'com.npmjs/left-pad', true],
    ['npm', '@acme/files', 'com.npmjs.acme/files', true],
    ['npm', '@a.b/c_d', 'com.npmjs.a.b/c_d', true],
    ['pypi', 'mcp-time', 'org.pypi/mcp-time', true],
    ['github', 'owner/repo', 'io.github.owner/repo', true],
    ['mcp-registry', 'io.github.acme/weather', 'io.github.acme/weather', true],
    ['npm', '@sc_ope/x', 'com.npmjs.sc-ope/x', false],
    ['npm', '../../etc/passwd', 'com.npmjs/..-..-etc-passwd', false],
    ['npm', '<script>', 'com.npmjs/-script-', false],
    ['npm', '', 'com.npmjs/-', false],
  ])('%s %s → %s', (registry, identifier, name, exact) => {
    const derived = derivedName(registry, identifier);
    expect(derived).toEqual({ name, exact });
    expect(isServerName(derived.name)).toBe(true);
  });

  it('uses the MCP Registry name of an identity only when it is the one name and no other server claims it', () => {
    const servers = [
      { serverId: 1, registry: 'npm', identifier: '@acme/files' },
      { serverId: 2, registry: 'npm', identifier: 'twin-a' },
      { serverId: 3, registry: 'pypi', identifier: 'twin-b' },
      { serverId: 4, registry: 'npm', identifier: 'two-names' },
      { serverId: 5, registry: 'npm', identifier: 'bad-name' },
    ];
    const official = new Map([
      ['npm:@acme/files', ['io.github.acme/files']],
      ['npm:twin-a', ['io.github.x/twin']],
      ['pypi:twin-b', ['io.github.x/twin']],
      ['npm:two-names', ['io.github.x/one', 'io.github.x/two']],
      ['npm:bad-name', ['no slash']],
      ['npm:not-stored', ['io.github.x/elsewhere']],
    ]);
    expect([...assignNames(servers, official)].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 'io.github.acme/files'], [2, 'com.npmjs/twin-a'], [3, 'org.pypi/twin-b'], [4, 'com.npmjs/two-names'], [5, 'com.npmjs/bad-name'],
    ]);
  });

  it('keeps names unique: a registry name first, then exact derived names, then cleaned ones; the others get -<server id>', () => {
    const servers = [
      { serverId: 7, registry: 'npm', identifier: 'a~b' },
      { serverId: 8, registry: 'npm', identifier: 'a-b' },
      { serverId: 9, registry: 'github', identifier: 'acme/files' },
      { serverId: 10, registry: 'npm', identifier: '@acme/files' },
      { serverId: 11, registry: 'npm', identifier: 'x'.repeat(214) },
    ];
    const names = assignNames(servers, new Map([['npm:@acme/files', ['io.github.acme/files']]]));
    expect(names.get(10)).toBe('io.github.acme/files');
    expect(names.get(9)).toBe('io.github.acme/files-9');
    expect(names.get(8)).toBe('com.npmjs/a-b');
    expect(names.get(7)).toBe('com.npmjs/a-b-7');
    expect(names.get(11)).toMatch(/^com\.npmjs\/x+-11$/);
    expect(names.get(11)!.length).toBeLessThanOrEqual(200);
    expect(new Set(names.values()).size).toBe(servers.length);
    for (const name of names.values()) expect(isServerName(name)).toBe(true);
  });
});
