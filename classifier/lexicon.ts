/**
 * Verb lexicons: which words of a tool name or of the opening of its description name what kind of action.
 *
 * A word is *ambiguous* when it is as often a noun as a verb (`build`, `refund`, `post`, `comment`). An
 * ambiguous word counts as a verb only when it is the first word of the name, or when the name holds no
 * unambiguous verb at all: `refund_payment` and `stripe_refund` refund, `get_refund` reads a refund.
 * @internal
 */
import type { Category } from '../records/index.ts';

export type VerbClass = 'read' | 'write' | 'delete' | 'execute' | 'pay';

export const VERB_CATEGORY: Readonly<Record<VerbClass, Category>> = {
  read: 'Read',
  write: 'Write',
  delete: 'Destructive',
  execute: 'Execute',
  pay: 'Financial',
};

interface Lexicon {
  verbs: readonly string[];
  ambiguous: readonly string[];
}

/** The lexicons. `query` is not here: it is `name.verb.query`, because raw SQL makes it Execute. */
export const LEXICONS: Readonly<Record<VerbClass, Lexicon>> = {
  read: {
    verbs: ['get', 'list', 'search', 'find', 'fetch', 'read', 'describe', 'show', 'view', 'count', 'inspect',
      'lookup', 'download', 'export', 'retrieve', 'browse', 'explore', 'analyze', 'analyse', 'summarize',
      'summarise', 'preview', 'validate', 'verify', 'compare', 'diff', 'parse',
      'calculate', 'compute', 'estimate', 'screenshot', 'ping', 'whoami', 'grep', 'ls', 'cat', 'stat',
      'recall', 'peek', 'scan', 'snapshot', 'poll', 'query', 'return', 'obtain', 'display', 'look', 'access',
      'discover', 'explain', 'translate', 'extract', 'review', 'audit', 'lint', 'measure', 'navigate', 'goto', 'hover',
      'go', 'wait', 'expect', 'aggregate', 'crawl', 'scrape', 'debug', 'diagnose', 'troubleshoot', 'capture', 'rerank',
      'see', 'suggest', 'recommend', 'geocode', 'answer', 'learn', 'detect', 'visit'],
    ambiguous: ['check', 'tail', 'test', 'load', 'print', 'render', 'convert', 'map', 'monitor', 'rank', 'plan', 'resolve', 'watch', 'score'],
  },
  write: {
    verbs: ['create', 'add', 'update', 'set', 'put', 'send', 'upload', 'write', 'edit', 'insert', 'save',
      'rename', 'move', 'publish', 'merge', 'modify', 'patch', 'append', 'replace', 'assign', 'approve',
      'commit', 'push', 'fork', 'follow', 'unfollow', 'submit', 'register', 'enable', 'disable', 'close',
      'reopen', 'lock', 'unlock', 'unarchive', 'cancel', 'invite', 'upsert', 'mark', 'attach',
      'detach', 'respond', 'fill', 'type', 'configure', 'change', 'overwrite', 'restore', 'rollback',
      'revert', 'confirm', 'void', 'reindex', 'subscribe', 'unsubscribe', 'grant', 'unassign', 'mute', 'unmute', 'ban', 'block',
      'unblock', 'transition', 'duplicate', 'clone', 'generate', 'draft', 'reply', 'new', 'click', 'resize', 'tap', 'swipe',
      'scale', 'connect', 'disconnect', 'login', 'logout', 'authenticate'],
    ambiguous: ['post', 'comment', 'tag', 'label', 'record', 'log', 'transfer', 'copy', 'book', 'pin', 'star',
      'like', 'link', 'share', 'schedule', 'import', 'store', 'apply', 'upgrade', 'note',
      'message', 'remember', 'select', 'drag', 'memorize', 'format', 'place', 'press', 'react', 'index'],
  },
  delete: {
    verbs: ['delete', 'remove', 'drop', 'destroy', 'purge', 'truncate', 'wipe', 'terminate', 'revoke',
      'uninstall', 'erase', 'kill', 'rm', 'del', 'unlink', 'prune', 'shred', 'nuke', 'deprovision',
      'teardown', 'expunge', 'obliterate', 'unpublish', 'deregister'],
    ambiguous: ['reset', 'clear', 'flush', 'archive'],
  },
  execute: {
    verbs: ['run', 'exec', 'execute', 'eval', 'evaluate', 'invoke', 'trigger', 'start', 'restart', 'stop',
      'deploy', 'launch', 'spawn', 'install', 'reboot', 'provision',
      'compile', 'dispatch', 'builder', 'runner', 'executor', 'bash', 'sh', 'powershell', 'rerun',
      'redeploy', 'automate', 'simulate', 'orchestrate'],
    ambiguous: ['build', 'shell', 'command', 'script', 'call', 'terminal', 'cmd', 'workflow', 'job', 'task', 'sync'],
  },
  pay: {
    verbs: ['pay', 'payout', 'purchase', 'buy', 'sell', 'withdraw', 'deposit', 'donate', 'invest',
      'stake', 'bid', 'remit', 'reimburse'],
    ambiguous: ['charge', 'refund', 'trade', 'swap', 'tip', 'bill'],
  },
};

export interface LexEntry {
  verbClass: VerbClass;
  ambiguous: boolean;
}

const ORDER: readonly VerbClass[] = ['read', 'write', 'execute', 'delete', 'pay'];

/** Word → entry; when a word is listed twice the later (more dangerous) class wins. */
export const LEXICON_MAP: ReadonlyMap<string, LexEntry> = (() => {
  const map = new Map<string, LexEntry>();
  for (const verbClass of ORDER) {
    const lex = LEXICONS[verbClass];
    for (const w of lex.verbs) map.set(w, { verbClass, ambiguous: false });
    for (const w of lex.ambiguous) map.set(w, { verbClass, ambiguous: true });
  }
  return map;
})();

/** Nouns that make a modifying verb a money movement: `create_refund`, `cancel_subscription`. */
export const MONEY_NOUNS: ReadonlySet<string> = new Set(['payment', 'payments', 'charge', 'charges', 'refund',
  'refunds', 'payout', 'payouts', 'transfer', 'transfers', 'invoice', 'invoices', 'subscription',
  'subscriptions', 'funds', 'money', 'checkout', 'billing', 'price', 'prices', 'intent',
  'coupon', 'credit', 'credits', 'wire', 'remittance', 'withdrawal', 'deposit', 'bet', 'bets']);

/** Nouns that are money movements only on a financial server: `place_order` on a brokerage. */
export const TRADE_NOUNS: ReadonlySet<string> = new Set(['order', 'orders', 'trade', 'trades', 'position',
  'positions', 'transaction', 'transactions', 'swap', 'swaps']);

/**
 * Lemma of an inflected verb as it opens a description: "Deletes" → delete, "Queries" → query,
 * "Searches" → search. Returns the first candidate found in the lexicon, else undefined.
 */
export function lemma(word: string): { word: string; entry: LexEntry } | undefined {
  const w = word.toLowerCase();
  const candidates = [w];
  if (w.endsWith('ies')) candidates.push(`${w.slice(0, -3)}y`);
  if (w.endsWith('es')) candidates.push(w.slice(0, -2));
  if (w.endsWith('s')) candidates.push(w.slice(0, -1));
  for (const c of candidates) {
    const entry = LEXICON_MAP.get(c);
    if (entry) return { word: c, entry };
  }
  return undefined;
}
