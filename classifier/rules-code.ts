/**
 * Rules on what the tool's code does (`ServerContext.codeEffects`, read from the package's source by
 * `crawler/static/effects.ts` for npm and `crawler/registries/pypi/static_effects.py` for PyPI, with the same
 * details): the side effects its handler reaches. Absent effects (a JSONL input, a remote server, a version not read
 * yet) fire nothing.
 *
 * Weights. Reachability in the source over-approximates what one call does (a handler reaches a shared client that
 * can also delete), so a reached call is weaker evidence than a clear name verb (1.5–2): on the dev half of the
 * labels (2026-12-07), tools whose handler reaches a write were labelled Read about as often as Write, and half of
 * those reaching a file deletion were labelled Read. Code evidence therefore tips a close call but does not decide
 * against name and description together:
 * - `code.payment` Financial 3: a payment or wallet call is rarely reached by accident;
 * - `code.delete` Destructive 1: a file or folder deleted, an HTTP DELETE, SQL DELETE/DROP/TRUNCATE; plus
 *   `code.remote-delete` 1.5 for the last two (2.5 in all, a strong witness that keeps the tool from Read, as the
 *   issue's "one that issues DELETE is not Read however it is described" asks): a handler often deletes a temporary
 *   file it made itself, while a DELETE sent to a service or a database removes someone's records;
 * - `code.execute` Execute 1: spawning a process or evaluating code (often a fixed CLI that implements a read);
 * - `code.write` Write 1, `code.message` Write 1.5 (signal open-world): a file written, SQL that changes data, an
 *   HTTP POST/PUT/PATCH, a browser typing or clicking; a message sent;
 * - `code.read-only` Read 1 (weaker): the handler was found, reaches at least one reading call (a file read, an HTTP
 *   GET, a SELECT) and no writing sink, and nothing was cut short. A handler that reaches no recognised call at all
 *   gives no vote: its work is in calls the reader does not know (a service's SDK, a dispatch table), not proof
 *   that nothing changes;
 * - housekeeping (an effect with a `scope`: the handler's own temporary, cache or debug-log files, a read-only CLI
 *   such as `git log` or `kubectl get`, a module loaded through `Function`) votes for none of the above and does not
 *   keep `code.read-only` from firing: a handler whose only writes are its own temporary files is not Write. The
 *   tool page still lists those calls;
 * - `code.undeclared-effect` no vote, signal `undeclared-effect`: the tool says it only reads (readOnlyHint, or a
 *   name opening with get/list/search/read/…) yet its handler writes, deletes, spawns, sends or moves money.
 * @internal
 */
import { changesState, isHousekeeping, undeclaredEffect, type CodeEffect, type ServerContext, type ToolCodeEffects } from '../records/index.ts';
import type { Features } from './features.ts';
import type { Rule, RuleMatch } from './rule-types.ts';

function effectsOf(f: Features): ToolCodeEffects | undefined {
  const code = f.server?.codeEffects;
  return code && code.handlerFound && Array.isArray(code.effects) ? code : undefined;
}

/** The evidence of one effect: where it is and the call itself. */
function quoteOf(e: CodeEffect, detail?: string): RuleMatch {
  return { source: 'code', quote: `${e.file}:${e.line} ${e.call}`, match: e.detail, detail: detail ?? `${e.kind} ${e.detail} at ${e.file}:${e.line}` };
}

/** Matches the first effect that is not housekeeping and for which `when` holds. */
function effectRule(when: (e: CodeEffect) => boolean, data: Omit<Rule, 'test'>): Rule {
  return {
    ...data,
    test(f) {
      const e = effectsOf(f)?.effects.find((effect) => !isHousekeeping(effect) && when(effect));
      return e ? quoteOf(e) : null;
    },
  };
}

const sqlVerb = (e: CodeEffect) => e.detail.split(' ')[0]?.toUpperCase() ?? '';
const httpVerb = sqlVerb;

/** A rule example: a tool whose handler reaches `effects`. */
function ex(name: string, effects: CodeEffect[], extra: { annotations?: Record<string, unknown>; handlerFound?: boolean; truncated?: boolean } = {}) {
  const codeEffects: ToolCodeEffects = { handlerFound: extra.handlerFound ?? true, effects, ...(extra.truncated ? { truncated: true } : {}) };
  const server: ServerContext = { name: 'example', codeEffects };
  return { name, ...(extra.annotations ? { annotations: extra.annotations } : {}), server };
}
const at = (kind: CodeEffect['kind'], detail: string, call: string): CodeEffect => ({ kind, detail, file: 'dist/index.js', line: 10, call });
const REFUND = at('payment', 'refunds.create', 'stripe.refunds.create({ charge })');
const UNLINK = at('fs.delete', 'unlinkSync', 'fs.unlinkSync(p)');
const HTTP_DELETE = at('http', 'DELETE api.example.com', 'fetch(url, { method: "DELETE" })');
const DROP = at('sql', 'DROP', 'db.query("DROP TABLE t")');
const EXEC = at('spawn', 'child_process.exec', 'exec(cmd)');
const EVAL = at('eval', 'eval', 'eval(code)');
const WRITE = at('fs.write', 'writeFileSync', 'fs.writeFileSync(p, text)');
const INSERT = at('sql', 'INSERT', 'db.run("INSERT INTO notes VALUES (?)", t)');
const POST = at('http', 'POST api.example.com', 'axios.post(url, body)');
const GET = at('http', 'GET api.example.com', 'fetch(url)');
const READ = at('fs.read', 'readFileSync', 'fs.readFileSync(p)');
const SELECT = at('sql', 'SELECT', 'db.all("SELECT * FROM notes")');
const MAIL = at('message', 'sendMail', 'transport.sendMail({ to })');
const TEMP_WRITE: CodeEffect = { ...at('fs.write', 'writeFile', 'fs.writeFile(path.join(os.tmpdir(), "chart.png"), png)'), scope: 'temp' };
const TEMP_UNLINK: CodeEffect = { ...UNLINK, scope: 'temp' };
const GIT_LOG: CodeEffect = { ...at('spawn', 'child_process.execFile', 'execFile("git", ["log", "-n", n])'), scope: 'read-only-cli' };

export const CODE_RULES: readonly Rule[] = [
  effectRule((e) => e.kind === 'payment', {
    id: 'code.effect.payment', category: 'Financial', weight: 3, signal: 'money',
    message: 'its handler reaches a payment or wallet call ({match})',
    examples: { match: [ex('handle', [READ, REFUND])], noMatch: [ex('handle', [WRITE]), ex('handle', [REFUND], { handlerFound: false })] },
  }),
  effectRule((e) => e.kind === 'fs.delete' || (e.kind === 'http' && httpVerb(e) === 'DELETE') || (e.kind === 'sql' && /^(?:DELETE|DROP|TRUNCATE)$/.test(sqlVerb(e))), {
    id: 'code.effect.delete', category: 'Destructive', weight: 1,
    message: 'its handler deletes ({match})',
    examples: { match: [ex('tidy', [UNLINK]), ex('tidy', [HTTP_DELETE]), ex('tidy', [DROP])], noMatch: [ex('tidy', [WRITE, GET, SELECT]), ex('tidy', [TEMP_UNLINK])] },
  }),
  effectRule((e) => (e.kind === 'http' && httpVerb(e) === 'DELETE') || (e.kind === 'sql' && /^(?:DELETE|DROP|TRUNCATE)$/.test(sqlVerb(e))), {
    id: 'code.effect.remote-delete', category: 'Destructive', weight: 1.5,
    message: 'its handler deletes records elsewhere ({match}), not a file of its own',
    examples: { match: [ex('tidy', [HTTP_DELETE]), ex('tidy', [DROP])], noMatch: [ex('tidy', [UNLINK]), ex('tidy', [WRITE, GET])] },
  }),
  effectRule((e) => e.kind === 'spawn' || e.kind === 'eval', {
    id: 'code.effect.execute', category: 'Execute', weight: 1,
    message: 'its handler starts a process or evaluates code ({match})',
    examples: { match: [ex('go', [EXEC]), ex('go', [EVAL])], noMatch: [ex('go', [WRITE, MAIL]), ex('go', [GIT_LOG])] },
  }),
  effectRule((e) => e.kind !== 'message' && changesState(e) && !['fs.delete', 'spawn', 'eval', 'payment'].includes(e.kind) && !(e.kind === 'http' && httpVerb(e) === 'DELETE') && !(e.kind === 'sql' && /^(?:DELETE|DROP|TRUNCATE)$/.test(sqlVerb(e))), {
    id: 'code.effect.write', category: 'Write', weight: 1,
    message: 'its handler changes state ({match})',
    examples: { match: [ex('save', [WRITE]), ex('save', [INSERT]), ex('save', [POST])], noMatch: [ex('save', [GET, READ, SELECT]), ex('save', [UNLINK]), ex('save', [TEMP_WRITE, READ])] },
  }),
  effectRule((e) => e.kind === 'message', {
    id: 'code.effect.message', category: 'Write', weight: 1.5, signal: 'open-world',
    message: 'its handler sends a message ({match})',
    examples: { match: [ex('notify', [MAIL])], noMatch: [ex('notify', [POST])] },
  }),
  {
    id: 'code.effect.read-only', category: 'Read', weight: 1,
    message: 'its handler was found in the source and reaches no call that writes, deletes, runs or sends ({match})',
    test(f) {
      const code = effectsOf(f);
      if (!code || code.truncated || code.effects.some(changesState)) return null;
      // The reading calls: housekeeping writes (its own temporary or cache files) are not reads.
      const read = code.effects.filter((e) => !isHousekeeping(e) || e.scope === 'read-only-cli');
      if (read.length === 0) return null;
      const handler = code.handler ? `${code.handler.file}:${code.handler.line}` : 'handler';
      const reads = read.map((e) => e.detail).slice(0, 3).join(', ');
      return { source: 'code', quote: `${handler} reaches only ${reads}`, match: `only ${reads}` };
    },
    examples: {
      match: [ex('lookup', [GET, READ, SELECT]), ex('lookup', [GET]), ex('lookup', [TEMP_WRITE, READ, TEMP_UNLINK]), ex('lookup', [GIT_LOG])],
      noMatch: [ex('lookup', []), ex('lookup', [TEMP_WRITE]), ex('lookup', [GET, WRITE]), ex('lookup', [], { truncated: true }), ex('lookup', [], { handlerFound: false }), { name: 'lookup' }],
    },
  },
  {
    id: 'code.undeclared-effect', signal: 'undeclared-effect',
    message: 'it declares that it only reads ({match}) yet its handler has a side effect',
    test(f) {
      const found = undeclaredEffect(f.tool, f.server?.codeEffects);
      return found ? { ...quoteOf(found.effect, `declares ${found.claim}, but its handler reaches ${found.effect.kind} ${found.effect.detail} at ${found.effect.file}:${found.effect.line}`), match: found.claim } : null;
    },
    examples: {
      match: [ex('get_notes', [READ, UNLINK]), ex('notes', [EXEC], { annotations: { readOnlyHint: true } }), ex('searchUsers', [REFUND])],
      noMatch: [ex('get_notes', [READ, POST]), ex('delete_note', [UNLINK]), ex('get_notes', [UNLINK], { handlerFound: false }), ex('get_chart', [TEMP_WRITE, TEMP_UNLINK]), ex('list_commits', [GIT_LOG])],
    },
  },
];
