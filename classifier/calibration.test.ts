import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibration, IDENTITY_CALIBRATION } from './calibration.ts';
import { CALIBRATION_TABLE } from './calibration-table.ts';

const samples = (raw: number, right: number, wrong: number) => [
  ...Array.from({ length: right }, () => ({ raw, correct: true })),
  ...Array.from({ length: wrong }, () => ({ raw, correct: false })),
];

describe('calibrate', () => {
  const table = { fittedOn: 'test', knots: [{ raw: 0.3, confidence: 0.4 }, { raw: 0.5, confidence: 0.9 }, { raw: 0.8, confidence: 0.95 }] };

  it('interpolates between knots and holds the end values outside them', () => {
    expect(calibrate(0.4, table)).toBe(0.65);
    expect(calibrate(0.65, table)).toBe(0.93);
    expect(calibrate(0.1, table)).toBe(0.4);
    expect(calibrate(0.97, table)).toBe(0.95);
    expect(calibrate(0.5, table)).toBe(0.9);
  });

  it('keeps the raw value, rounded, without knots', () => {
    expect(calibrate(0.456, IDENTITY_CALIBRATION)).toBe(0.46);
  });

  it('never lowers a higher raw confidence below a lower one with the fitted table', () => {
    let prev = -1;
    for (let raw = 0; raw <= 1.0001; raw += 0.01) {
      const c = calibrate(raw, CALIBRATION_TABLE);
      expect(c).toBeGreaterThanOrEqual(prev);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
      prev = c;
    }
  });
});

describe('fitCalibration', () => {
  it('pools a region where accuracy falls as the raw value rises', () => {
    // 0.4: 30/40 right; 0.5: 20/40 right (a violation); 0.8: 38/40 right.
    const t = fitCalibration([...samples(0.4, 30, 10), ...samples(0.5, 20, 10), ...samples(0.8, 38, 2)], { minBlock: 10 });
    expect(t.knots).toHaveLength(2);
    const [low, high] = t.knots;
    // The pooled block: 50 right of 70, smoothed (50 + 1) / (70 + 2).
    expect(low?.confidence).toBeCloseTo(51 / 72, 3);
    expect(high?.confidence).toBeCloseTo(39 / 42, 3);
    expect(low!.raw).toBeCloseTo((0.4 * 40 + 0.5 * 30) / 70, 3);
  });

  it('merges blocks smaller than minBlock into a neighbour, keeping the curve monotone', () => {
    const t = fitCalibration([...samples(0.2, 1, 4), ...samples(0.5, 60, 20), ...samples(0.9, 95, 5)], { minBlock: 25 });
    expect(t.knots.every((k) => k.raw >= 0.2)).toBe(true);
    expect(t.knots.length).toBe(2);
    for (let i = 1; i < t.knots.length; i++) expect(t.knots[i]!.confidence).toBeGreaterThanOrEqual(t.knots[i - 1]!.confidence);
  });

  it('clamps to the floor and the ceiling', () => {
    const t = fitCalibration([...samples(0.1, 0, 200), ...samples(0.9, 500, 0)], { minBlock: 10 });
    expect(t.knots.map((k) => k.confidence)).toEqual([0.05, 0.97]);
  });

  it('gives the identity for no samples', () => {
    expect(fitCalibration([]).knots).toEqual([]);
  });
});

describe('fitCalibration after smoothing', () => {
  it('stays monotone when a small block after a large one would smooth lower', () => {
    // Raw rates 0.99 then 1.0 keep their order under PAV; smoothed, the small block alone would be 26/27 = 0.963,
    // below the large block's 991/1002 = 0.989.
    const t = fitCalibration([...samples(0.5, 990, 10), ...samples(0.8, 25, 0)], { minBlock: 20, ceiling: 1 });
    expect(t.knots.map((k) => k.raw)).toEqual([0.5, 0.8]);
    expect(t.knots.map((k) => k.confidence)).toEqual([0.989, 0.989]);
  });
});
