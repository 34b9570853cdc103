/**
 * `classifyTool`: the heuristic classifier (DESIGN.md §4).
 */
import { collectEvidence, collectSignals } from './evidence.ts';
import { runRules } from './engine.ts';
import { extractFeatures } from './features.ts';
import type { Features } from './features.ts';
import { writeRationale } from './rationale.ts';
import { assessRisk } from './risk.ts';
import type { Hit, RuleFlag } from './rule-types.ts';
import { RULES } from './rules.ts';
import type { Classification, ServerContext, SignalKind, ToolDefinition } from '../records/index.ts';
import { CLASSIFIER_VERSION } from './version.ts';
import { calibrate } from './calibration.ts';
import type { CalibrationTable } from './calibration.ts';
import { CALIBRATION_TABLE } from './calibration-table.ts';
import { staticListingConfidence, weigh } from './weigh.ts';
import type { Verdict } from './weigh.ts';

function contradictions(f: Features, v: Verdict, byRule: ReadonlyMap<string, Hit>): string[] {
  const out: string[] = [];
  const a = f.annotations;
  if (!a || v.defaulted) return out;
  if (byRule.has('ann.read-only') && v.category !== 'Read') {
    out.push(`Its annotations declare readOnlyHint true, which contradicts the ${v.category} evidence; annotations are untrusted hints, so the declaration is not followed and the mismatch is itself worth reporting.`);
  }
  if (a.readOnlyHint !== true && a.destructiveHint === false && v.category === 'Destructive') {
    out.push('Its annotations declare destructiveHint false, which contradicts the Destructive evidence; the declaration is not followed.');
  }
  if ((byRule.has('ann.destructive') || byRule.has('ann.destructive-unconfirmed')) && v.category === 'Read') {
    out.push('Its annotations declare destructiveHint true although everything else says it only reads; the classification stays Read, but the mismatch is worth a look.');
  }
  return out;
}

/** Rule id recorded when the confidence is lowered for a tool read from source (RUBRIC.md §3). */
export const STATIC_LISTING_ID = 'confidence.static-listing';

/**
 * Classifies one MCP tool by heuristic rules (`rules.ts`), deterministically and without I/O.
 *
 * @param tool the tool as listed by `tools/list` (MCP 2025-06-18 `Tool`); missing or non-string fields are
 *   treated as absent, HTML in the description is read as plain text.
 * @param server the server the tool belongs to, as context (a `place_order` on a brokerage is Financial). With
 *   `introspectionMethod: "static"` the confidence is lowered ({@link staticListingConfidence}) and the rationale
 *   says why.
 * @returns category, risk (RUBRIC.md), confidence in [0, 1], a rationale of complete sentences, verbatim
 *   evidence (≤ 200 characters each, cut with "…"), signals, `method: "heuristic"`, the ids of the rules and
 *   risk moves applied, and {@link CLASSIFIER_VERSION}. A tool no rule matches is Write with confidence 0.3.
 *   Never throws.
 */
export function classifyTool(tool: ToolDefinition, server?: ServerContext): Classification {
  return classifyToolCalibrated(tool, server, CALIBRATION_TABLE);
}

/**
 * {@link classifyTool} with a given calibration of the confidence (calibration.ts); `IDENTITY_CALIBRATION` keeps
 * the raw confidence of `weigh()`, which is what `npm run eval:calibrate` fits a table on.
 * @internal
 */
export function classifyToolCalibrated(tool: ToolDefinition, server: ServerContext | undefined, calibration: CalibrationTable): Classification {
  const f = extractFeatures(tool, server);
  const hits = runRules(RULES, f);
  const weighed = weigh(hits);
  // A tool no rule voted on keeps DEFAULT_CONFIDENCE: nothing is known about it, and the recommended policy leaves
  // it to the default (deny) by that value.
  const verdict = weighed.defaulted ? weighed : { ...weighed, confidence: calibrate(weighed.confidence, calibration) };
  const signals = new Map<SignalKind, Hit>();
  const flags = new Map<RuleFlag, Hit>();
  const byRule = new Map<string, Hit>();
  for (const h of hits) {
    byRule.set(h.rule.id, h);
    // The rubric cites the most concrete witness of a signal: an argument over a phrase.
    const prev = h.rule.signal ? signals.get(h.rule.signal) : undefined;
    if (h.rule.signal && (!prev || (prev.source !== 'inputSchema' && h.source === 'inputSchema'))) signals.set(h.rule.signal, h);
    if (h.rule.flag && !flags.has(h.rule.flag)) flags.set(h.rule.flag, h);
  }
  const { risk, moves } = assessRisk({ category: verdict.category, signals, flags, byRule });
  const rationale = writeRationale({
    name: f.name, verdict, hits, moves, risk, contradictions: contradictions(f, verdict, byRule),
  });
  const ruleIds = hits.filter((h) => !h.superseded).map((h) => h.rule.id);
  for (const m of moves) ruleIds.push(m.id);
  let confidence = verdict.confidence;
  let staticNote = '';
  if (server?.introspectionMethod === 'static') {
    confidence = staticListingConfidence(verdict.confidence);
    ruleIds.push(STATIC_LISTING_ID);
    staticNote = ` Its definition was read from the package's source, not listed by the running server, so parts of it may be missing or never registered; the confidence is lowered from ${verdict.confidence.toFixed(2)} to ${confidence.toFixed(2)}.`;
  }
  return {
    name: f.name,
    category: verdict.category,
    risk,
    confidence,
    rationale: rationale + staticNote,
    evidence: collectEvidence(hits),
    signals: collectSignals(hits),
    method: 'heuristic',
    ruleIds,
    classifierVersion: CLASSIFIER_VERSION,
  };
}
