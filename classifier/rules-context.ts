/**
 * Rules on the annotations (MCP 2025-06-18 `ToolAnnotations`) and on the server the tool belongs to.
 *
 * Annotations are hints from an untrusted server. An absent hint is no evidence (its spec default is not
 * assumed); `destructiveHint` and `openWorldHint` are read only when `readOnlyHint` is not true, as the
 * specification says they mean something only for tools that are not read-only.
 * @internal
 */
import type { Features } from './features.ts';
import { TRADE_NOUNS } from './lexicon.ts';
import { mutating } from './rule-kit.ts';
import type { Rule } from './rule-types.ts';
import { sentenceAt } from './text.ts';

const A = (name: string, annotations: Record<string, unknown>) => ({ name, annotations });
const FINANCIAL_SERVER = /\b(?:stripe|payments?|billing|paypal|square|braintree|adyen|invoic\w*|checkout|trading|brokerage|broker|bank(?:ing)?|wallet|crypto|defi|alpaca|coinbase|binance|kraken|ledger|accounting|payroll|exchange rates?)\b/i;
const SCRATCH_SERVER = /\bmemory\b|\bknowledge[- ]graph\b|\bscratch ?pad\b|\bnotes?\b|\btodo\b/i;

/** `destructiveHint: true`, read only when the tool does not also claim to be read-only. */
function declaresDestructive(f: Features): boolean {
  return f.annotations?.readOnlyHint !== true && f.annotations?.destructiveHint === true;
}

export const CONTEXT_RULES: readonly Rule[] = [
  {
    id: 'ann.read-only', category: 'Read', weight: 2, flag: 'read-only-claim',
    message: 'its annotations declare it read-only ({match})',
    test: (f) => (f.annotations?.readOnlyHint === true
      ? { source: 'annotations', quote: '"readOnlyHint": true', match: 'readOnlyHint true' } : null),
    examples: { match: [A('read_file', { readOnlyHint: true })], noMatch: [A('read_file', {}), A('x', { readOnlyHint: false })] },
  },
  {
    id: 'ann.destructive', category: 'Destructive', weight: 1.5,
    message: 'its annotations declare it destructive ({match})',
    test: (f, ctx) => (declaresDestructive(f) && ctx.votes('Destructive') > 0
      ? { source: 'annotations', quote: '"destructiveHint": true', match: 'destructiveHint true' } : null),
    examples: {
      match: [A('delete_page', { destructiveHint: true }), A('remove_tag', { readOnlyHint: false, destructiveHint: true })],
      noMatch: [A('delete_page', {}), A('delete_page', { readOnlyHint: true, destructiveHint: true }),
        A('browser_handle_dialog', { readOnlyHint: false, destructiveHint: true })],
    },
  },
  {
    // MCP's destructiveHint covers "destructive updates", overwrites included; the rubric calls an overwrite Write.
    // Many servers set it on every tool that is not read-only (browser_resize). Alone, it says only that the
    // tool changes something.
    id: 'ann.destructive-unconfirmed', category: 'Write', weight: 1,
    message: 'its annotations declare destructiveHint true, which in MCP covers overwriting updates as well as deletions, and no other rule found a deletion in the definition ({match})',
    test: (f, ctx) => (declaresDestructive(f) && ctx.votes('Destructive') === 0
      ? { source: 'annotations', quote: '"destructiveHint": true', match: 'destructiveHint true' } : null),
    examples: {
      match: [A('browser_handle_dialog', { readOnlyHint: false, destructiveHint: true }), A('browser_resize', { destructiveHint: true })],
      noMatch: [A('delete_page', { destructiveHint: true }), A('x', { readOnlyHint: true, destructiveHint: true }), A('x', {})],
    },
  },
  {
    id: 'ann.not-read-only', category: 'Write', weight: 1,
    message: 'its annotations declare that it changes state ({match})',
    test(f) {
      const a = f.annotations;
      if (!a || a.readOnlyHint === true || a.destructiveHint === true) return null;
      if (a.readOnlyHint === false) return { source: 'annotations', quote: '"readOnlyHint": false', match: 'readOnlyHint false' };
      if (a.destructiveHint === false) return { source: 'annotations', quote: '"destructiveHint": false', match: 'destructiveHint false' };
      return null;
    },
    examples: {
      match: [A('x', { readOnlyHint: false }), A('x', { destructiveHint: false })],
      noMatch: [A('x', {}), A('x', { readOnlyHint: true, destructiveHint: false })],
    },
  },
  {
    id: 'ann.open-world', signal: 'open-world',
    message: 'its annotations declare effects outside the server ({match})',
    test: (f, ctx) => (f.annotations?.readOnlyHint !== true && f.annotations?.openWorldHint === true && mutating(ctx)
      ? { source: 'annotations', quote: '"openWorldHint": true', match: 'openWorldHint true' } : null),
    examples: {
      match: [A('post_tweet', { openWorldHint: true })],
      noMatch: [A('post_tweet', {}), A('web_search', { readOnlyHint: true, openWorldHint: true })],
    },
  },
  {
    id: 'server.financial', category: 'Financial', weight: 3.5, supersedes: ['name.verb.write', 'desc.lead.write', 'title.lead.write'],
    message: 'its name changes "{match}" on a server that handles money',
    test(f) {
      if (f.serverText === '' || !f.nameVerbs.some((v) => v.verbClass === 'write')) return null;
      const noun = f.words.find((w) => TRADE_NOUNS.has(w));
      const m = noun === undefined ? null : FINANCIAL_SERVER.exec(f.serverText);
      return m && noun !== undefined ? { source: 'server', quote: sentenceAt(f.serverText, m.index, m[0].length), match: noun } : null;
    },
    examples: {
      match: [{ name: 'place_order', server: { name: 'alpaca-trading' } },
        { name: 'create_order', server: { name: 'shop', description: 'Payments and checkout for a store.' } }],
      noMatch: [{ name: 'place_order', server: { name: 'kitchen-display' } }, { name: 'list_orders', server: { name: 'stripe' } }],
    },
  },
  {
    id: 'server.scratch', flag: 'scratch',
    message: 'its server keeps the caller\'s own notes or memory ("{match}")',
    test(f) {
      const m = f.serverText === '' ? null : SCRATCH_SERVER.exec(f.serverText);
      return m ? { source: 'server', quote: sentenceAt(f.serverText, m.index, m[0].length), match: m[0] } : null;
    },
    examples: {
      match: [{ name: 'create_entities', server: { name: 'memory' } }],
      noMatch: [{ name: 'create_entities', server: { name: 'github' } }, { name: 'create_entities' }],
    },
  },
];
