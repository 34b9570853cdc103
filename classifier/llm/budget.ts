/**
 * The per-run budget: calls and tokens. A call reserves one call and its estimated tokens before it is made, so
 * calls in flight cannot overrun the call budget; the token budget is exact once the endpoint reports `usage`
 * and approximate (4 characters a token) before.
 * @internal
 */

/** Which limit ran out, when one did. */
export type BudgetLimit = 'calls' | 'tokens';

export class Budget {
  private calls = 0;
  private tokens = 0;
  private reserved = 0;
  /** The first limit that refused a call. */
  exhausted: BudgetLimit | undefined;

  constructor(readonly maxCalls: number, readonly maxTokens: number) {}

  /** Reserves a call of about `estimatedTokens`; false (and `exhausted` set) when either limit would be passed. */
  reserve(estimatedTokens: number): boolean {
    if (this.calls >= this.maxCalls) {
      this.exhausted ??= 'calls';
      return false;
    }
    if (this.tokens + this.reserved + estimatedTokens > this.maxTokens) {
      this.exhausted ??= 'tokens';
      return false;
    }
    this.calls++;
    this.reserved += estimatedTokens;
    return true;
  }

  /** Settles a reservation with the tokens actually used (0 when the call failed before any answer). */
  settle(estimatedTokens: number, usedTokens: number): void {
    this.reserved -= estimatedTokens;
    this.tokens += usedTokens;
  }

  get usedCalls(): number {
    return this.calls;
  }

  get usedTokens(): number {
    return this.tokens;
  }
}
