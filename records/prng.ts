/**
 * mulberry32, a small 32-bit seeded PRNG: the same seed gives the same sequence on every machine, so a generated
 * test case, benchmark catalogue or hand-check sample names its seed and can be drawn again. Not for secrets.
 * @param seed any number; only its low 32 bits (as unsigned) are used.
 * @returns a function giving numbers uniform in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates shuffle of `items` in place with `random` (a {@link seededRandom} for a repeatable draw).
 * @returns the same array.
 */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
