import { describe, expect, it } from 'vitest';
import { cutText, truncate } from './words.ts';

/** The previous cutText, which segments the whole prefix up to the cut: the reference the windowed one must equal. */
function referenceCut(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let end = 0;
  for (let n = 0; n < max && end < text.length; n += 1) {
    const unit = text.charCodeAt(end);
    end += unit >= 0xd800 && unit <= 0xdbff && end + 1 < text.length && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  if (end >= text.length) return { text, cut: false };
  const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
  let boundary = 0;
  for (const { index, segment } of segmenter.segment(text.slice(0, end + 64))) {
    if (index + segment.length > end) break;
    boundary = index + segment.length;
  }
  return { text: text.slice(0, boundary), cut: true };
}

/** Seeded xorshift32, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

const PIECES = [
  'a', 'Z', '0', ' ', '#', '*', '.', '\n', '\r', '\r\n', '\t', 'word ',
  'e\u0301', '\u0301', '\u0300\u0323', 'a\u20dd',
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '\u200D', '\u{1F44D}\u{1F3FD}', '\u2764\uFE0F', '#\uFE0F\u20E3',
  '\u{1F1EB}\u{1F1F7}', '\u{1F1E9}', '\u{1F1EA}',
  '\u{1D400}', '\uD800', '\uDC00', '\u{10FFFF}',
  '\u1100\u1161\u11A8', '\uAC00', '\u11A8', '\u1161', '\uD55C\uAE00',
  '\u0915\u094D\u0937', '\u0600', '\u0E33', '\u00A9', '\u00E9',
];

function randomText(next: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i += 1) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

describe('cutText', () => {
  it('equals segmenting the whole prefix, on random mixed text at every cut', () => {
    const next = random(16);
    for (let round = 0; round < 150; round += 1) {
      const text = randomText(next, 1 + Math.floor(next() * 80));
      for (let max = 0; max <= text.length + 1; max += 1) {
        expect(cutText(text, max), `${JSON.stringify(text)} at ${max}`).toEqual(referenceCut(text, max));
      }
    }
  });

  it('equals the reference on long non-ASCII runs that leave no ASCII boundary to start from', () => {
    const next = random(7);
    for (let round = 0; round < 40; round += 1) {
      const run = Array.from({ length: 200 }, () => PIECES[12 + Math.floor(next() * (PIECES.length - 12))]).join('');
      const text = `${'x'.repeat(Math.floor(next() * 3))}${run}${randomText(next, 20)}`;
      for (let max = 0; max <= text.length + 1; max += 7) {
        expect(cutText(text, max), `${JSON.stringify(text)} at ${max}`).toEqual(referenceCut(text, max));
      }
    }
  });

  it('never splits a pair, an emoji sequence, a flag or a CRLF', () => {
    expect(cutText('ab\u{1F468}\u200D\u{1F469}cd', 3)).toEqual({ text: 'ab', cut: true });
    expect(cutText('ab\u{1F1EB}\u{1F1F7}', 3)).toEqual({ text: 'ab', cut: true });
    expect(cutText('ab\r\ncd', 3)).toEqual({ text: 'ab', cut: true });
    expect(cutText('abe\u0301f', 3)).toEqual({ text: 'ab', cut: true });
    expect(cutText('abcdef', 3)).toEqual({ text: 'abc', cut: true });
    expect(cutText('abc', 3)).toEqual({ text: 'abc', cut: false });
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});
