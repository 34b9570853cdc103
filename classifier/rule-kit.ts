/**
 * Small factories that turn rule data (a pattern, a lexicon class, a property test) into {@link Rule}s.
 * @internal
 */
import type { Features, PropInfo } from './features.ts';
import type { VerbClass } from './lexicon.ts';
import type { Rule, RuleContext, RuleMatch } from './rule-types.ts';
import { cut, sentenceAt } from './text.ts';

type RuleData = Omit<Rule, 'test'>;

/** True when the rules so far point at a state change, or at nothing yet. */
export function mutating(ctx: RuleContext): boolean {
  const other = ctx.votes('Write') + ctx.votes('Execute') + ctx.votes('Destructive') + ctx.votes('Financial');
  return other > 0 || ctx.votes('Read') === 0;
}

/** True when the rules so far point mostly at reading. */
export function reading(ctx: RuleContext): boolean {
  const read = ctx.votes('Read');
  const other = ctx.votes('Write') + ctx.votes('Execute') + ctx.votes('Destructive') + ctx.votes('Financial');
  return read > 0 && read >= other;
}

/** Votes when the name holds a verb of `verbClass` (after ambiguity resolution, lexicon.ts). */
export function nameVerbRule(verbClass: VerbClass, data: RuleData): Rule {
  return {
    ...data,
    test(f) {
      const v = f.nameVerbs.find((x) => x.verbClass === verbClass);
      return v ? { source: 'name', quote: f.name, match: v.word } : null;
    },
  };
}

/** Votes when the description's first sentence opens with a verb of `verbClass`. */
export function leadVerbRule(verbClass: VerbClass, data: RuleData): Rule {
  return {
    ...data,
    test(f) {
      const v = f.leadVerb;
      if (!v || v.verbClass !== verbClass) return null;
      return { source: 'description', quote: sentenceAt(f.description, v.at), match: v.word };
    },
  };
}

/** Votes when the title's first word is a verb of `verbClass`. */
export function titleVerbRule(verbClass: VerbClass, data: RuleData): Rule {
  return {
    ...data,
    test(f) {
      const v = f.titleVerb;
      return v && v.verbClass === verbClass ? { source: 'title', quote: f.title, match: v.word } : null;
    },
  };
}

/** Matches `pattern` (precompiled, not global) against the tag-blanked description, optionally guarded. */
export function textRule(pattern: RegExp, data: RuleData, guard?: (ctx: RuleContext, f: Features) => boolean): Rule {
  return {
    ...data,
    test(f, ctx) {
      if (f.scan === '' || (guard && !guard(ctx, f))) return null;
      const m = pattern.exec(f.scan);
      if (!m) return null;
      return { source: 'description', quote: sentenceAt(f.description, m.index, m[0].length), match: m[0].trim() };
    },
  };
}

/** Renders a property verbatim as `"name": {…}` for evidence. */
export function propQuote(p: PropInfo): string {
  return cut(`"${p.name}": ${JSON.stringify(p.schema)}`);
}

/** Matches the first input-schema property for which `when` holds. */
export function propRule(
  when: (p: PropInfo, f: Features) => boolean,
  data: RuleData,
  guard?: (ctx: RuleContext, f: Features) => boolean,
): Rule {
  return {
    ...data,
    test(f, ctx): RuleMatch | null {
      if (f.props.length === 0 || (guard && !guard(ctx, f))) return null;
      const p = f.props.find((x) => when(x, f));
      if (!p) return null;
      const type = p.type === 'array' && p.itemType !== '' ? `array of ${p.itemType}` : p.type || 'untyped';
      return { source: 'inputSchema', quote: propQuote(p), match: p.path, detail: `argument "${p.path}" (${type})` };
    },
  };
}

/**
 * Matches `pattern` (precompiled, anchored with `^` where it means "opens with") against the description's first
 * sentence, from where its opening verb or, without one, its first word stands.
 */
export function leadTextRule(pattern: RegExp, data: RuleData, guard?: (ctx: RuleContext, f: Features) => boolean): Rule {
  return {
    ...data,
    test(f, ctx) {
      if (f.scan === '' || (guard && !guard(ctx, f))) return null;
      const from = f.leadVerb && f.leadVerb.at < f.leadEnd ? f.leadVerb.at : f.leadStart;
      const m = pattern.exec(f.scan.slice(from, f.leadEnd));
      if (!m) return null;
      return { source: 'description', quote: sentenceAt(f.description, from + m.index, m[0].length), match: m[0].trim() };
    },
  };
}
