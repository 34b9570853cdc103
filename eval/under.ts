/**
 * Under-classification (issue 13 item 4): a tool known to be dangerous that the classifier calls harmless. A gold
 * (labelled or declared) Execute, Destructive or Financial that comes out Read, and a gold Financial that comes out
 * anything but Financial or Destructive. The target is none. Pure; no I/O.
 */
import type { Category } from '../classifier/index.ts';

/** Gold categories whose Read verdict counts as under-classification. */
export const UNDER_IF_READ: readonly Category[] = ['Execute', 'Destructive', 'Financial'];

/** One under-classified tool and which of the two checks it fails. */
export interface UnderCase<T> {
  gold: Category;
  predicted: Category;
  /** `read`: a dangerous gold category came out Read; `financial`: a Financial one came out Write or Execute. */
  kind: 'read' | 'financial';
  ref: T;
}

/** Every under-classified item, in input order; each item at most once (a Financial read as Read is `read`). */
export function underClassified<T>(items: readonly { gold: Category; predicted: Category; ref: T }[]): UnderCase<T>[] {
  const out: UnderCase<T>[] = [];
  for (const { gold, predicted, ref } of items) {
    if (predicted === 'Read' && UNDER_IF_READ.includes(gold)) out.push({ gold, predicted, kind: 'read', ref });
    else if (gold === 'Financial' && predicted !== 'Financial' && predicted !== 'Destructive') out.push({ gold, predicted, kind: 'financial', ref });
  }
  return out;
}
