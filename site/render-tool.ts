/** A tool's page (DESIGN.md §6; anatomy in seeds/README.md, written in our own words). @internal */
import type { EvidenceSource } from '../records/index.ts';
import { categoryCopy, whatItDoes } from './copy.ts';
import { renderTemplate } from './engine.ts';
import { toolFaq } from './faq.ts';
import { HTML, layoutData } from './layout-data.ts';
import type { ServerView, SiteModel, ToolView } from './model.ts';
import { paramRows } from './params.ts';
import { categoryPagePath, riskPagePath } from './paths.ts';
import { effectiveRule, policyText, toolPolicy } from './policy-view.ts';
import { tallyText } from './render-server.ts';
import type { SitePage } from './types.ts';
import { count, truncate, withArticle } from './words.ts';

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

function annotationRows(annotations: unknown): Array<{ key: string; value: string }> {
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) return [];
  return Object.entries(annotations).map(([key, value]) => ({ key, value: truncate(JSON.stringify(value) ?? String(value), 500) }));
}

function paramSummary(rows: Array<{ name: string; required: boolean }>, omitted: number): string {
  const total = rows.length + omitted;
  if (total === 0) return 'It takes no parameters, so every call does the same kind of thing.';
  const required = rows.filter((row) => row.required).map((row) => row.name);
  const which = required.length === 0 ? 'none of them required' : `required: ${required.join(', ')}`;
  return `It takes ${count(total, 'parameter')} (${which}); the table below lists them as the server declares them.`;
}

function classificationView(tool: ToolView) {
  const classification = tool.classification;
  if (classification === null) return null;
  const base = categoryCopy(classification.category).baseRisk;
  const rules = classification.ruleIds.length > 0 ? `; rules ${classification.ruleIds.join(', ')}` : '';
  return {
    lead: `We classify ${tool.name} as ${withArticle(classification.category)} tool and rate its risk ${classification.risk}.`,
    rationale: classification.rationale,
    category: classification.category,
    meaning: categoryCopy(classification.category).meaning,
    riskSentence:
      base === classification.risk
        ? `${classification.risk}, the starting level of ${classification.category} tools.`
        : `${classification.risk}; ${classification.category} tools start at ${base ?? 'no fixed level'}, and the rationale says why this one differs.`,
    confidence: classification.confidence.toFixed(2),
    by: `${classification.method} (${classification.classifierVersion})${rules}`,
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

/** The "What its code does" section: null when the package's source was not read for this tool. */
function codeView(tool: ToolView, registry: string) {
  const code = tool.codeEffects;
  if (code === null) return null;
  const source = CODE_SOURCES.get(registry);
  const fromDependency = source !== undefined && code.effects.some((e) => source.dependency.test(e.file));
  return {
    language: source?.language ?? null,
    dependencyForm: fromDependency ? source.dependencyForm : null,
    found: code.handlerFound,
    handler: code.handler ? `${code.handler.file}:${code.handler.line}` : null,
    effects: code.effects.map((e) => ({ kind: e.kind, detail: e.detail, at: `${e.file}:${e.line}`, call: truncate(e.call, MAX_CALL) })),
    truncated: code.truncated === true,
  };
}

export function renderTool(model: SiteModel, server: ServerView, tool: ToolView): SitePage {
  const params = paramRows(tool.definition.inputSchema);
  const policy = server.policy;
  const rule = policy ? effectiveRule(policy, tool) : undefined;
  const related = server.tools.filter((other) => other !== tool && other.category === tool.category);
  const riskWord = tool.risk === 'Unclassified' ? 'not yet rated' : `${tool.risk} risk`;
  const body = renderTemplate('@tool', {
    ...layoutData(model, tool.path, `${tool.name} on ${server.name}: ${riskWord}`, tool.description || `${tool.name}, a tool of ${server.name}.`),
    tool: {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      category: tool.category,
      risk: tool.risk,
      hidden: tool.hidden,
      riskPath: tool.risk === 'Unclassified' ? categoryPagePath(tool.risk) : riskPagePath(tool.risk),
      categoryPath: categoryPagePath(tool.category),
    },
    server: {
      name: server.name,
      path: server.path,
      policyPath: server.policyPath,
      registry: server.entry.server.registry,
      identifier: server.entry.server.identifier,
    },
    whatHeading: `What ${tool.name} does on ${server.name}`,
    what: whatItDoes(tool.name, server.name, tool.category),
    paramSummary: paramSummary(params.rows, params.omitted),
    whyHeading: `Why ${tool.name} needs a policy`,
    classification: classificationView(tool),
    evidence: (tool.classification?.evidence ?? []).map((e) => ({ source: sourceLabel(e.source), quote: e.quote, ruleId: e.ruleId ?? null })),
    signals: tool.classification?.signals ?? [],
    code: codeView(tool, server.entry.server.registry),
    params,
    annotations: annotationRows(tool.definition.annotations),
    attacks: categoryCopy(tool.category).attacks,
    policySnippet: policy ? policyText(toolPolicy(policy, tool)) : null,
    policyExplanation: policy ? model.explainRule(rule, tool.hidden) : '',
    relatedHeading: `Other ${tool.category} tools on ${server.name}`,
    related: related.slice(0, MAX_RELATED).map((other) => ({ name: other.name, path: other.path, risk: other.risk })),
    relatedMore: Math.max(0, related.length - MAX_RELATED),
    faq: toolFaq(tool, server, rule, params.rows),
    tally: tallyText(server, model),
  });
  return { path: tool.path, contentType: HTML, body };
}
