/**
 * The questions on a tool page, answered in our own words with the real `policy.json` field names of DESIGN.md §5
 * (`limits` with `counter`/`window`/`max`/`scope`, `deny_if` with `conditions`/`on_deny`, `hide`, `default`).
 * @internal
 */
import type { ToolRule } from '../records/index.ts';
import { categoryCopy, methodText } from './copy.ts';
import type { ServerView, ToolView } from './model.ts';
import type { ParamRow } from './params.ts';
import { c, formatDate, t, truncate, withArticle } from './words.ts';
import type { Rich } from './words.ts';

/** The names and description a FAQ shows, already cut to the page's limits (render-tool.ts). */
export interface FaqText {
  tool: string;
  server: string;
  identifier: string;
  /** The description as one short line, or '' when there is none. */
  description: string;
}

export interface Question {
  question: string;
  answer: Rich;
}

function whatAnswer(tool: ToolView, shown: FaqText): Rich {
  const own = shown.description === '' ? 'Its definition gives no description. ' : `In its own words: ${shown.description} `;
  if (tool.classification === null) return [t(`${own}We have not classified it yet.`)];
  const copy = categoryCopy(tool.category);
  const meaning = copy.meaning.charAt(0).toLowerCase() + copy.meaning.slice(1);
  return [t(`${own}We file it as ${withArticle(tool.category)} tool on ${shown.server}: one that ${meaning}`)];
}

function riskAnswer(tool: ToolView): Rich {
  const classification = tool.classification;
  if (classification === null) return [t('Not rated yet: the tool has no classification. Treat it as untrusted until it has one.')];
  const base = categoryCopy(classification.category).baseRisk;
  const moved =
    base === null || base === classification.risk
      ? `That is where ${classification.category} tools start; nothing in this definition moved it.`
      : `${classification.category} tools start at ${base}; the rationale above says what in this definition moved it to ${classification.risk}.`;
  return [t(`${classification.risk}. ${moved} Our confidence in the category is ${classification.confidence.toFixed(2)}.`)];
}

function rateLimitAnswer(shown: FaqText, rule: ToolRule | undefined): Rich {
  const existing = rule?.limits?.[0];
  const example = existing ? { ...existing, counter: truncate(existing.counter, shown.tool.length + 5) } : { counter: `${shown.tool}_rate`, window: 'minute', max: 10, scope: 'grant' };
  const lead = existing ? 'Yes; the recommended rule above already does. ' : 'Yes. ';
  return [
    t(`${lead}Give its entry under `),
    c('tools'),
    t(' a '),
    c('limits'),
    t(' list. The limit '),
    c(JSON.stringify(example)),
    t(` allows at most ${example.max} calls per ${example.window} for each grant; `),
    c('window'),
    t(' takes '),
    c('minute'),
    t(', '),
    c('hour'),
    t(' or '),
    c('day'),
    t('. A limit under '),
    c('all_tools.limits'),
    t(` caps the calls of all ${shown.server} tools together.`),
  ];
}

function blockAnswer(shown: FaqText): Rich {
  return [
    t('Put its name in '),
    c('hide'),
    t(': the gateway drops it from '),
    c('tools/list'),
    t(' and refuses any call to it. Under '),
    c('"default": "deny"'),
    t(', leaving it out of '),
    c('tools'),
    t(' also refuses its calls, though agents still see it listed. To keep it listed but let nothing through until a person approves, give it a '),
    c('deny_if'),
    t(' rule with an empty '),
    c('conditions'),
    t(' list and an '),
    c('on_deny'),
    t(` message, for example `),
    c(JSON.stringify({ [shown.tool]: { deny_if: [{ conditions: [], on_deny: 'Needs human approval.' }] } })),
    t('.'),
  ];
}

/** A plausible condition on `param`: a cap on numbers, `..` in paths, a dangerous command, an allow-list otherwise. */
function conditionExample(param: ParamRow): { op: string; value?: unknown } {
  if (/\b(number|integer)\b/.test(param.type)) return { op: 'gt', value: 100 };
  if (/\bboolean\b/.test(param.type)) return { op: 'eq', value: true };
  if (!/\bstring\b/.test(param.type)) return { op: 'exists' };
  if (/path|file|dir|folder/i.test(param.name)) return { op: 'contains', value: '..' };
  if (/command|cmd|script|shell/i.test(param.name)) return { op: 'contains', value: 'rm -rf' };
  return { op: 'not_in', value: ['a value you allow'] };
}

function argumentsAnswer(params: ParamRow[]): Rich {
  const param = params[0];
  if (param === undefined) return [t('It takes no arguments, so there is nothing to put conditions on: allow it, limit it or block it.')];
  const deny = { conditions: [{ path: `args.${param.name}`, ...conditionExample(param) }], on_deny: 'Not allowed by policy.' };
  return [
    t('Yes. A '),
    c('deny_if'),
    t(' rule refuses a call when all of its '),
    c('conditions'),
    t(' hold, each one testing an argument by '),
    c('path'),
    t(' with an '),
    c('op'),
    t(' ('),
    c('eq'),
    t(', '),
    c('in'),
    t(', '),
    c('regex'),
    t(', '),
    c('gt'),
    t(' and others). For example: '),
    c(JSON.stringify(deny)),
    t('. Conditions listed under '),
    c('require'),
    t(' are ones a call must meet to go through.'),
  ];
}

function serverAnswer(server: ServerView, shown: FaqText): Rich {
  const record = server.entry.server;
  const version = server.entry.version?.version;
  const attempt = server.entry.introspection;
  const listed = attempt === null ? '' : ` We obtained its tool list on ${formatDate(attempt.startedAt)}: ${methodText(attempt.method)}.`;
  return [
    t(`${shown.tool} belongs to ${shown.server}, published on ${record.registry} as `),
    c(shown.identifier),
    t(`${version ? ` (version ${truncate(version, 100)})` : ''}.${listed}`),
  ];
}

function enforceAnswer(shown: FaqText): Rich {
  return [
    t('Load the '),
    c('policy.json'),
    t(` above, or the whole-server file linked from the ${shown.server} page, into an MCP gateway that reads policy document version `),
    c('"1"'),
    t(`, and point your MCP client at the gateway instead of at ${shown.server}. Every call is checked against the rules before it reaches the server; with `),
    c('"default": "deny"'),
    t(', a tool with no entry under '),
    c('tools'),
    t(' is refused.'),
  ];
}

/**
 * The FAQ of a tool page. `rule` is the rule the recommended policy gives the tool, if any; `params` are the rows of
 * the parameter table; `shown` the names and description as the page shows them (cut to its limits).
 */
export function toolFaq(tool: ToolView, server: ServerView, rule: ToolRule | undefined, params: ParamRow[], shown: FaqText): Question[] {
  return [
    { question: `What does ${shown.tool} do?`, answer: whatAnswer(tool, shown) },
    { question: `How risky is ${shown.tool}?`, answer: riskAnswer(tool) },
    { question: `How do I rate-limit ${shown.tool}?`, answer: rateLimitAnswer(shown, rule) },
    { question: `How do I block ${shown.tool} completely?`, answer: blockAnswer(shown) },
    { question: `Can I allow ${shown.tool} only for some arguments?`, answer: argumentsAnswer(params) },
    { question: `Which server provides ${shown.tool}?`, answer: serverAnswer(server, shown) },
    { question: `How do I enforce this policy?`, answer: enforceAnswer(shown) },
  ];
}
