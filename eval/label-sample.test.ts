import { describe, expect, it } from 'vitest';
import { drawSample, labelSplit, specIdentity } from './label-sample.ts';

function server(name: string, tools: number) {
  return {
    registry: 'npm',
    identifier: name,
    version: '1.0.0',
    description: `${name} server`,
    tools: Array.from({ length: tools }, (_, i) => ({ name: `t${i}`, definition: { name: `t${i}`, inputSchema: { type: 'object' } } })),
  };
}

describe('drawSample', () => {
  const servers = [...Array.from({ length: 30 }, (_, i) => server(`s${i}`, i % 7)), server('__proto__', 3)];

  it('draws only servers with tools, not excluded, capped per server, reproducibly', () => {
    const exclude = new Set(['npm:s1', 'npm:s2']);
    const a = drawSample(servers, { count: 10, perServer: 4, second: 5, seed: 7, exclude });
    const b = drawSample(servers, { count: 10, perServer: 4, second: 5, seed: 7, exclude });
    expect(a).toEqual(b);
    expect(a.specs).toHaveLength(10);
    for (const spec of a.specs) {
      expect(exclude.has(specIdentity(spec))).toBe(false);
      const n = a.first.filter((t) => t.server === spec).length;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(4);
    }
    expect(a.second).toHaveLength(5);
    for (const t of a.second) expect(a.first).toContainEqual(t);
    for (const t of a.first) expect(t.split).toBe(labelSplit(t.server, t.tool));
    const other = drawSample(servers, { count: 10, perServer: 4, second: 5, seed: 8, exclude });
    expect(other.specs).not.toEqual(a.specs);
  });

  it('handles hostile names and keeps hashes of the definitions', () => {
    const all = drawSample(servers, { count: 100, perServer: 40, second: 0, seed: 1, exclude: new Set() });
    expect(all.specs).toContain('npm:__proto__@1.0.0');
    expect(all.first.every((t) => /^sha256:[0-9a-f]{64}$/.test(t.hash))).toBe(true);
    // servers with no tools are never drawn: s0, s7, s14, s21, s28 have 0 tools
    expect(all.specs).toHaveLength(26);
  });
});

describe('specIdentity', () => {
  it('drops the version, keeps scoped names', () => {
    expect(specIdentity('npm:@a/b@1.2.3')).toBe('npm:@a/b');
    expect(specIdentity('npm:@a/b')).toBe('npm:@a/b');
    expect(specIdentity('npm:x@1')).toBe('npm:x');
  });
});
