/** A byte-bounded tail of a stream: keeps the last `maxBytes` bytes and counts everything seen. */
export class ByteTail {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #kept = 0;
  /** Total bytes ever pushed. */
  total = 0;

  /** @param maxBytes bytes kept. @default 4096 */
  constructor(maxBytes = 4096) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.#chunks.push(chunk);
    this.#kept += chunk.length;
    while (this.#kept - (this.#chunks[0]?.length ?? 0) >= this.#maxBytes && this.#chunks.length > 1) {
      this.#kept -= this.#chunks.shift()!.length;
    }
  }

  /** The kept bytes decoded as UTF-8 (a split leading character becomes U+FFFD), cut to `maxBytes`. */
  text(): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - this.#maxBytes)).toString('utf8');
  }
}
