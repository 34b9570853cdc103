/** A tool's page (DESIGN.md §6; anatomy in seeds/README.md, written in our own words). @internal */
import { isHousekeeping, type EffectScope, type EvidenceSource } from '../records/index.ts';
import { categoryCopy, whatItDoes } from './copy.ts';
import { renderTemplate } from './engine.ts';
import { toolFaq } from './faq.ts';
import { HTML, layoutData } from './layout-data.ts';
import type { ServerView, SiteModel, ToolView } from './model.ts';
import { paramRows } from './params.ts';
import { attackPagePath, categoryPagePath, riskPagePath } from './paths.ts';
import { toolFormatSnippets } from './policy-formats.ts';
import { effectiveRule, policyText, toolPolicy } from './policy-view.ts';
import { tallyText } from './render-server.ts';
import type { SitePage } from './types.ts';
import { PAGE_LIMITS, type PageLimits } from './limits.ts';
import { brief, count, cutText, truncate, withArticle } from './words.ts';

/** Most related tools listed on a tool page; the rest are on the server page. */
export const MAX_RELATED = 10;

const SOURCE_LABELS: Record<EvidenceSource, string> = {
  name: 'Name',
  title: 'Title',
  description: 'Description',
  inputSchema: 'Input schema',
  annotations: 'Annotations',
  server: 'Server',
  code: 'Code',
};

function sourceLabel(source: string): string {
  return Object.hasOwn(SOURCE_LABELS, source) ? SOURCE_LABELS[source as EvidenceSource] : source;
}

/** A value of an annotation as shown: its JSON, cut. */
function annotationValue(value: unknown, max: number): string {
  if (typeof value === 'string') return truncate(JSON.stringify(cutText(value, max + 1).text), max);
  return truncate(JSON.stringify(value) ?? String(value), max);
}

function annotationRows(annotations: unknown, limits: PageLimits): { rows: Array<{ key: string; value: string }>; omitted: number } {
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) return { rows: [], omitted: 0 };
  const entries = Object.entries(annotations);
  return {
    rows: entries.slice(0, limits.items).map(([key, value]) => ({ key: truncate(key, limits.name), value: annotationValue(value, Math.min(500, limits.cell)) })),
    omitted: Math.max(0, entries.length - limits.items),
  };
}

/** Most required parameters named in the sentence above the table. */
const MAX_REQUIRED_NAMED = 20;

function paramSummary(rows: Array<{ name: string; required: boolean }>, omitted: number): string {
  const total = rows.length + omitted;
  if (total === 0) return 'It takes no parameters, so every call does the same kind of thing.';
  const required = rows.filter((row) => row.required).map((row) => row.name);
  const named = required.slice(0, MAX_REQUIRED_NAMED).join(', ') + (required.length > MAX_REQUIRED_NAMED ? `, and ${required.length - MAX_REQUIRED_NAMED} more` : '');
  const which = required.length === 0 ? 'none of them required' : `required: ${named}`;
  return `It takes ${count(total, 'parameter')} (${which}); the table below lists them as the server declares them.`;
}

/** A text cut to `max` characters, with the note that says so (the `@cut` partial) when it was. */
function cutWithNote(text: string, max: number, what: string, href: string) {
  const { text: shown, cut } = cutText(text, max);
  return { text: shown, cut: cut ? { what, limit: max, href } : null };
}

function classificationView(tool: ToolView, name: string, limits: PageLimits) {
  const classification = tool.classification;
  if (classification === null) return null;
  const base = categoryCopy(classification.category).baseRisk;
  const rules = classification.ruleIds.length > 0 ? `; rules ${classification.ruleIds.join(', ')}` : '';
  const rationale = cutWithNote(classification.rationale, limits.longText, 'Rationale', tool.apiPath);
  return {
    lead: `We classify ${name} as ${withArticle(classification.category)} tool and rate its risk ${classification.risk}.`,
    rationale: rationale.text,
    rationaleCut: rationale.cut,
    category: classification.category,
    meaning: categoryCopy(classification.category).meaning,
    riskSentence:
      base === classification.risk
        ? `${classification.risk}, the starting level of ${classification.category} tools.`
        : `${classification.risk}; ${classification.category} tools start at ${base ?? 'no fixed level'}, and the rationale says why this one differs.`,
    confidence: classification.confidence.toFixed(2),
    by: truncate(`${classification.method} (${classification.classifierVersion})${rules}`, limits.longText),
  };
}

/** Longest call quoted on the page. */
const MAX_CALL = 160;

/**
 * The language a registry's packages are read in, and how a dependency's file is named there (`records/code-effects.ts`):
 * npm `node_modules/<dependency>/…`, PyPI `<distribution>-<version>/…` (the package's own files are bare paths).
 */
const CODE_SOURCES: ReadonlyMap<string, { language: string; dependency: RegExp; dependencyForm: string }> = new Map([
  ['npm', { language: 'JavaScript or TypeScript', dependency: /^node_modules\//, dependencyForm: 'node_modules/<dependency>/' }],
  ['pypi', { language: 'Python', dependency: /^[^/]+-\d[^/]*\//, dependencyForm: '<distribution>-<version>/' }],
]);

/** How the page names an effect's housekeeping scope (`records/code-effects.ts`). */
const SCOPE_WORDS: Readonly<Record<EffectScope, string>> = {
  temp: 'its own temporary file',
  cache: 'its cache',
  'debug-log': 'a debug log',
  'read-only-cli': 'a command that only reads',
  'module-load': 'loads a module',
};

/** The "What its code does" section: null when the package's source was not read for this tool. */
function codeView(tool: ToolView, registry: string, limits: PageLimits) {
  const code = tool.codeEffects;
  if (code === null) return null;
  const source = CODE_SOURCES.get(registry);
  const fromDependency = source !== undefined && code.effects.some((e) => source.dependency.test(e.file));
  return {
    language: source?.language ?? null,
    dependencyForm: fromDependency ? source.dependencyForm : null,
    found: code.handlerFound,
    handler: code.handler ? truncate(`${code.handler.file}:${code.handler.line}`, limits.cell) : null,
    effects: code.effects.slice(0, limits.items).map((e) => ({
      kind: e.kind, detail: truncate(e.detail, limits.cell), at: truncate(`${e.file}:${e.line}`, limits.cell), call: truncate(e.call, Math.min(MAX_CALL, limits.cell)),
      scope: isHousekeeping(e) ? SCOPE_WORDS[e.scope!] : null,
    })),
    omitted: Math.max(0, code.effects.length - limits.items),
    truncated: code.truncated === true,
  };
}

/**
 * A tool's page. Its name, title, description, rationale, schema and lists are cut to `limits` (limits.ts); a cut the
 * reader would miss says so and links the tool's JSON document, which holds everything.
 */
export function renderTool(model: SiteModel, server: ServerView, tool: ToolView, limits: PageLimits = PAGE_LIMITS): SitePage {
  const params = paramRows(tool.definition.inputSchema, limits);
  const policy = server.policy;
  const rule = policy ? effectiveRule(policy, tool) : undefined;
  const related = server.tools.filter((other) => other !== tool && other.category === tool.category);
  const riskWord = tool.risk === 'Unclassified' ? 'not yet rated' : `${tool.risk} risk`;
  const name = cutWithNote(tool.name, limits.name, 'Name', tool.apiPath);
  const shownName = truncate(tool.name, limits.name);
  const serverName = truncate(server.name, limits.name);
  const description = cutWithNote(tool.description, limits.description, 'Description', tool.apiPath);
  const snippet = policy ? policyText(toolPolicy(policy, tool)) : null;
  const evidence = tool.classification?.evidence ?? [];
  const signals = tool.classification?.signals ?? [];
  const annotations = annotationRows(tool.definition.annotations, limits);
  const body = renderTemplate('@tool', {
    ...layoutData(model, tool.path, `${shownName} on ${serverName}: ${riskWord}`, tool.description || `${shownName}, a tool of ${serverName}.`, server),
    tool: {
      name: shownName,
      nameCut: name.cut,
      title: tool.title === null ? null : truncate(tool.title, limits.title),
      description: description.text,
      descriptionCut: description.cut,
      category: tool.category,
      risk: tool.risk,
      hidden: tool.hidden,
      riskPath: tool.risk === 'Unclassified' ? categoryPagePath(tool.risk) : riskPagePath(tool.risk),
      categoryPath: categoryPagePath(tool.category),
      apiPath: tool.apiPath,
    },
    server: {
      name: serverName,
      path: server.path,
      policyPath: server.policyPath,
      registry: server.entry.server.registry,
      identifier: truncate(server.entry.server.identifier, limits.name),
    },
    whatHeading: `What ${shownName} does on ${serverName}`,
    what: whatItDoes(shownName, serverName, tool.category),
    paramSummary: paramSummary(params.rows, params.omitted),
    whyHeading: `Why ${shownName} needs a policy`,
    classification: classificationView(tool, shownName, limits),
    evidence: evidence.slice(0, limits.items).map((e) => ({ source: sourceLabel(e.source), quote: truncate(e.quote, limits.cell), ruleId: e.ruleId ? truncate(e.ruleId, limits.name) : null })),
    evidenceOmitted: Math.max(0, evidence.length - limits.items),
    signals: signals.slice(0, limits.items).map((sig) => ({ kind: sig.kind, detail: truncate(sig.detail, limits.cell) })),
    signalsOmitted: Math.max(0, signals.length - limits.items),
    code: codeView(tool, server.entry.server.registry, limits),
    params,
    annotations: annotations.rows,
    annotationsOmitted: annotations.omitted,
    attacks: categoryCopy(tool.category).attacks,
    attacksPath: tool.category === 'Unclassified' ? null : attackPagePath(tool.category),
    // A rule too long to read here (or holding a name too long to show) is linked, never cut: cut JSON would mislead.
    policySnippet: snippet !== null && snippet.length <= limits.snippet ? snippet : null,
    policySnippetChars: snippet?.length ?? 0,
    formatSnippets: toolFormatSnippets(server, tool, limits),
    policyExplanation: policy ? truncate(model.explainRule(rule, tool.hidden), limits.longText) : '',
    policyError: server.policyError === null ? null : truncate(server.policyError, limits.cell),
    relatedHeading: `Other ${tool.category} tools on ${serverName}`,
    related: related.slice(0, MAX_RELATED).map((other) => ({ name: truncate(other.name, limits.name), path: other.path, risk: other.risk })),
    relatedMore: Math.max(0, related.length - MAX_RELATED),
    faq: toolFaq(tool, server, rule, params.rows, {
      tool: shownName,
      server: serverName,
      identifier: truncate(server.entry.server.identifier, limits.name),
      description: tool.description === '' ? '' : brief(tool.description, limits.cell),
    }),
    tally: tallyText(server, limits),
  });
  return { path: tool.path, contentType: HTML, body };
}
