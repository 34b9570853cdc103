import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classScores,
  confidenceBuckets,
  confusionMatrix,
  hintAgreement,
  macroF1,
  ordinalAgreement,
  topConfusions,
} from './metrics.ts';
import type { Pair } from './metrics.ts';

type C = 'A' | 'B' | 'C';
const CLASSES: readonly C[] = ['A', 'B', 'C'];
const p = (gold: C, predicted: C): Pair<C> => ({ gold, predicted });

describe('accuracy', () => {
  it('is the share of exact matches', () => {
    expect(accuracy([p('A', 'A'), p('A', 'B'), p('B', 'B'), p('C', 'A')])).toBe(0.5);
  });
  it('is 0 for no pairs', () => {
    expect(accuracy([])).toBe(0);
  });
});

describe('confusionMatrix', () => {
  it('counts gold rows by predicted columns', () => {
    const m = confusionMatrix([p('A', 'A'), p('A', 'B'), p('A', 'B'), p('C', 'A')], CLASSES);
    expect(m).toEqual({ A: { A: 1, B: 2, C: 0 }, B: { A: 0, B: 0, C: 0 }, C: { A: 1, B: 0, C: 0 } });
  });
  it('ignores labels outside the classes, Object.prototype members included', () => {
    const odd = (gold: string, predicted: string) => ({ gold, predicted }) as unknown as Pair<C>;
    const m = confusionMatrix([odd('A', 'constructor'), odd('A', 'toString'), odd('__proto__', 'A'), odd('constructor', 'B'), p('A', 'A')], CLASSES);
    expect(m).toEqual({ A: { A: 1, B: 0, C: 0 }, B: { A: 0, B: 0, C: 0 }, C: { A: 0, B: 0, C: 0 } });
    expect(Object.keys(m.A)).toEqual(['A', 'B', 'C']);
  });
});

describe('classScores and macroF1', () => {
  // Gold A A A B B C; predicted A A B B C C.
  const pairs = [p('A', 'A'), p('A', 'A'), p('A', 'B'), p('B', 'B'), p('B', 'C'), p('C', 'C')];
  it('gives per-class precision, recall and F1', () => {
    const s = classScores(confusionMatrix(pairs, CLASSES), CLASSES);
    expect(s.A).toMatchObject({ precision: 1, recall: 2 / 3, support: 3, predicted: 2 });
    expect(s.A.f1).toBeCloseTo(0.8, 10);
    expect(s.B.precision).toBe(0.5);
    expect(s.B.recall).toBe(0.5);
    expect(s.C.precision).toBe(0.5);
    expect(s.C.recall).toBe(1);
  });
  it('averages F1 over the classes that occur', () => {
    // F1: A 0.8, B 0.5, C 2/3.
    expect(macroF1(pairs, CLASSES)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
  });
  it('leaves out a class absent from gold and predictions, and counts a predicted-only class as 0', () => {
    expect(macroF1([p('A', 'A'), p('B', 'B')], CLASSES)).toBe(1);
    // C never gold but predicted once: its F1 is 0 and it is averaged in.
    expect(macroF1([p('A', 'A'), p('B', 'C')], CLASSES)).toBeCloseTo((1 + 0 + 0) / 3, 10);
  });
  it('is 0 for no pairs', () => {
    expect(macroF1([], CLASSES)).toBe(0);
  });
});

describe('ordinalAgreement', () => {
  const LEVELS = ['Low', 'Medium', 'High', 'Critical'] as const;
  type R = (typeof LEVELS)[number];
  it('counts exact and within-one agreement', () => {
    const pairs: Pair<R>[] = [
      { gold: 'Low', predicted: 'Low' },
      { gold: 'Low', predicted: 'Medium' },
      { gold: 'Low', predicted: 'High' },
      { gold: 'Critical', predicted: 'High' },
    ];
    expect(ordinalAgreement(pairs, LEVELS)).toEqual({ exact: 0.25, withinOne: 0.75 });
  });
});

describe('confidenceBuckets', () => {
  it('puts each item in [lo, hi) and the top edge in the last bucket', () => {
    const items = [
      { confidence: 0.3, correct: false },
      { confidence: 0.5, correct: true },
      { confidence: 0.69, correct: false },
      { confidence: 0.85, correct: true },
      { confidence: 1, correct: true },
    ];
    const b = confidenceBuckets(items);
    expect(b.map((x) => [x.lo, x.hi, x.n, x.correct])).toEqual([
      [0, 0.5, 1, 0],
      [0.5, 0.7, 2, 1],
      [0.7, 0.85, 0, 0],
      [0.85, 1, 2, 2],
    ]);
    expect(b[1]?.accuracy).toBe(0.5);
    expect(b[1]?.meanConfidence).toBeCloseTo(0.595, 10);
    expect(b[2]?.accuracy).toBe(0);
  });
});

describe('hintAgreement', () => {
  it('agrees when readOnlyHint true meets Read and false meets anything else, and lists disagreements', () => {
    const r = hintAgreement([
      { readOnlyHint: true, predictedRead: true, ref: 'a' },
      { readOnlyHint: true, predictedRead: false, ref: 'b' },
      { readOnlyHint: false, predictedRead: false, ref: 'c' },
      { readOnlyHint: false, predictedRead: true, ref: 'd' },
      { readOnlyHint: false, predictedRead: false, ref: 'e' },
    ]);
    expect(r).toMatchObject({ total: 5, agree: 3, rate: 0.6, trueHints: { total: 2, agree: 1 }, falseHints: { total: 3, agree: 2 } });
    expect(r.disagreements.map((d) => d.ref)).toEqual(['b', 'd']);
  });
  it('is 0 for no items', () => {
    expect(hintAgreement([]).rate).toBe(0);
  });
});

describe('topConfusions', () => {
  it('lists off-diagonal cells, largest first', () => {
    const m = confusionMatrix([p('A', 'B'), p('A', 'B'), p('C', 'A'), p('B', 'B')], CLASSES);
    expect(topConfusions(m, CLASSES)).toEqual([
      { gold: 'A', predicted: 'B', count: 2 },
      { gold: 'C', predicted: 'A', count: 1 },
    ]);
  });
});
