/**
 * Evidence and signals from the hits.
 * @internal
 */
import type { Hit } from './rule-types.ts';
import type { Evidence, Signal } from '../records/index.ts';

/** Most evidence items kept per classification. */
export const MAX_EVIDENCE = 8;

/** Evidence of the hits that count (not superseded), deduplicated by source and quote, in rule order. */
export function collectEvidence(hits: readonly Hit[]): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    if (h.superseded && h.rule.signal === undefined) continue;
    const key = `${h.source}\u0000${h.quote}`;
    if (seen.has(key) || h.quote === '') continue;
    seen.add(key);
    out.push({ source: h.source, quote: h.quote, ruleId: h.rule.id });
    if (out.length >= MAX_EVIDENCE) break;
  }
  return out;
}

/** One signal per kind and detail, in rule order. */
export function collectSignals(hits: readonly Hit[]): Signal[] {
  const out: Signal[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    const kind = h.rule.signal;
    if (kind === undefined) continue;
    const key = `${kind}\u0000${h.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, detail: h.detail });
  }
  return out;
}
