import { describe, expect, it } from 'vitest';
import { cohenKappa, compareLabels, riskDistance } from './agreement.ts';
import type { Label } from './data.ts';

function pairs(counts: Array<[string, string, number]>): Array<[string, string]> {
  return counts.flatMap(([a, b, n]) => Array.from({ length: n }, () => [a, b] as [string, string]));
}

describe('cohenKappa', () => {
  it('gives 0.4 for 20/5/10/15 over two values (observed 0.7, chance 0.5)', () => {
    const k = cohenKappa(pairs([['y', 'y', 20], ['y', 'n', 5], ['n', 'y', 10], ['n', 'n', 15]]), ['y', 'n']);
    expect(k.n).toBe(50);
    expect(k.observed).toBeCloseTo(0.7, 10);
    expect(k.expected).toBeCloseTo(0.5, 10);
    expect(k.kappa).toBeCloseTo(0.4, 10);
  });

  it('is 1 for full agreement and negative below chance', () => {
    expect(cohenKappa(pairs([['a', 'a', 3], ['b', 'b', 2]]), ['a', 'b']).kappa).toBe(1);
    expect(cohenKappa(pairs([['a', 'b', 3], ['b', 'a', 3]]), ['a', 'b']).kappa).toBeCloseTo(-1, 10);
    expect(Number.isNaN(cohenKappa([], ['a']).kappa)).toBe(true);
  });

  it('weights ordinal disagreements linearly', () => {
    expect(riskDistance('Low', 'Critical')).toBe(1);
    expect(riskDistance('Medium', 'High')).toBeCloseTo(1 / 3, 10);
    const near = cohenKappa(pairs([['Low', 'Medium', 5], ['High', 'High', 5]]), ['Low', 'Medium', 'High', 'Critical'], riskDistance);
    const far = cohenKappa(pairs([['Low', 'Critical', 5], ['High', 'High', 5]]), ['Low', 'Medium', 'High', 'Critical'], riskDistance);
    expect(near.kappa).toBeGreaterThan(far.kappa);
    // near: disagreement 5 × 1/3 over 10 items → observed 1 − 1/6
    expect(near.observed).toBeCloseTo(1 - 1 / 6, 10);
  });
});

describe('compareLabels', () => {
  const base = { server: 'npm:x@1.0.0', hash: `sha256:${'a'.repeat(64)}`, split: 'dev' as const };
  const label = (tool: string, category: Label['category'], risk: Label['risk'], hash = base.hash): Label => ({ ...base, tool, category, risk, hash });

  it('pairs on server, tool and hash, counts the confusion and lists disagreements', () => {
    const first = [label('a', 'Read', 'Low'), label('b', 'Write', 'Medium'), label('c', 'Destructive', 'Critical')];
    const second = [label('a', 'Read', 'Low'), label('b', 'Destructive', 'High'), label('c', 'Destructive', 'Critical', `sha256:${'b'.repeat(64)}`)];
    const r = compareLabels(first, second);
    expect(r.pairs).toBe(2);
    expect(r.unpaired.map((l) => l.tool)).toEqual(['c']);
    expect(r.category.observed).toBe(0.5);
    expect(r.disagreements).toEqual([{ server: 'npm:x@1.0.0', tool: 'b', first: 'Write/Medium', second: 'Destructive/High' }]);
    expect(r.confusion[0]![0]).toBe(1); // Read × Read
    expect(r.confusion[1]![3]).toBe(1); // Write × Destructive
  });
});
