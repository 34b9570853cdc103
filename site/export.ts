/**
 * The export for gateway operators and downstream tools, rendered in memory like the site:
 * - `<format dir>/<server-slug>.<ext>`: the recommended policy of each server that has one, in each chosen export
 *   format (policy/formats/index.ts): `policies/<slug>.json` is `policy.json` itself (DESIGN.md §5), then
 *   `intercept/`, `claude-code/`, `cedar/`, `cel/`, `kong/`, `docker/`, `vscode/`; each file passes its format's check
 *   before it is written (a file that does not is left out and reported);
 * - `servers.jsonl`: one JSON line per server: identity, version, introspection outcome, failure reason and
 *   method, the prompts, resources and resource templates it listed, and its tools each with its classification.
 * - `pins/<server-slug>.json`: per listed version, `tool name → sha256:<hex>` of each canonical definition
 *   (`changes/pins.ts`), for `mcp-catalogue verify`.
 * Slugs are the site's ({@link assignServerSlugs}), so `policies/x.json` is the policy of `servers/x/`.
 */
import { pinsOf } from '../changes/index.ts';
import type { CatalogueEntry, HistoryListing, OptionalListFailure, Policy, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolCodeEffects } from '../records/index.ts';
import { FORMATS, serverNameFromSlug, type PolicyFormat } from '../policy/index.ts';
import { problemMessage } from './errors.ts';
import { assignServerSlugs } from './model.ts';
import type { PublishProblem, SitePage } from './types.ts';

/** One line of `servers.jsonl`. */
export interface ExportedServer {
  registry: string;
  identifier: string;
  slug: string;
  displayName: string;
  description: string | null;
  repositoryUrl: string | null;
  version: string | null;
  introspection: {
    outcome: 'ok' | 'failed';
    failureReason: string | null;
    failureMessage: string | null;
    method: string;
    startedAt: string;
    toolCount: number;
    /** `prompts/list` of the attempt; null when the server declares no prompts or the list failed. */
    prompts: PromptDefinition[] | null;
    /** `resources/list`; URIs as the server sent them, never opened. */
    resources: ResourceDefinition[] | null;
    resourceTemplates: ResourceTemplateDefinition[] | null;
    /** What went wrong with those optional lists (`{method, message}`); they never fail an attempt. */
    listFailures: OptionalListFailure[];
  } | null;
  /** Path of the server's `policy.json` inside the export, or null when it has none (or policy-json was not exported). */
  policy: string | null;
  /** Path of the server's policy in each exported format, by format id (`cedar`, `claude-code`, …); empty without a policy. */
  policyFiles: Record<string, string>;
  /** Why the server has no policy although it has classified tools (a stored record that failed validation), else null. */
  policyError: string | null;
  tools: Array<{
    name: string;
    hash: string;
    definition: Record<string, unknown>;
    classification: {
      category: string;
      risk: string;
      confidence: number;
      rationale: string;
      evidence: unknown[];
      signals: unknown[];
      /** Ids of the rules that fired (classifier/RUBRIC.md); the recommended policy reads some of them. */
      ruleIds: string[];
      method: string;
      classifierVersion: string;
    } | null;
    /**
     * What the tool's code does, read from the package's source (records/code-effects.ts): the handler found and
     * the side effects it reaches, each with file, line and call. Null when the source was not read for it.
     */
    codeEffects: ToolCodeEffects | null;
  }>;
}

/** Options of {@link renderExport}. */
export interface RenderExportOptions {
  /** Why a server with classified tools has no policy, by server id (`ExportedServer.policyError`). */
  policyErrors?: ReadonlyMap<number, string>;
  /** Called for each server whose line or policy file could not be written; that server is left out, the others are not. */
  onProblem?: (problem: PublishProblem) => void;
  /** Each server's stored listings (`Store.history()`), sorted by listedAt, by server id: written as `pins/<slug>.json`. */
  listings?: ReadonlyMap<number, readonly HistoryListing[]>;
  /** Export formats to write (default: all, {@link FORMATS}). */
  formats?: readonly PolicyFormat[];
  /** The name the user's client gives the server, for every server (default: derived from each server's slug). */
  serverName?: string;
}

/** Each chosen format's file of `policy`, checked; a file that fails its check is reported and left out. */
export function policyFormatPages(policy: Policy, slug: string, serverName: string, formats: readonly PolicyFormat[], onInvalid: (path: string, message: string) => void): SitePage[] {
  const pages: SitePage[] = [];
  for (const format of formats) {
    const path = `${format.dir}/${slug}.${format.ext}`;
    const context = { serverName };
    const { text } = format.render(policy, context);
    const errors = format.validate(text, context);
    if (errors.length > 0) onInvalid(path, `the ${format.title} file fails its check: ${errors.join('; ')}`);
    else pages.push({ path, contentType: format.contentType, body: text });
  }
  return pages;
}

/**
 * Renders the export's files. Deterministic: servers in identity order, tools by name. A server whose records throw
 * while its line is built (a stored record of the wrong shape) is left out and reported to `options.onProblem`.
 */
export function renderExport(entries: readonly CatalogueEntry[], policies: ReadonlyMap<number, Policy>, options: RenderExportOptions = {}): SitePage[] {
  const slugs = assignServerSlugs(entries);
  const ordered = [...entries].sort((a, b) => (slugs.get(a.server.id) ?? '').localeCompare(slugs.get(b.server.id) ?? ''));
  const pages: SitePage[] = [];
  const lines: string[] = [];
  for (const entry of ordered) {
    try {
      const slug = slugs.get(entry.server.id)!;
      const policy = policies.get(entry.server.id);
      const server = `${entry.server.registry}:${entry.server.identifier}`;
      const policyPages = policy
        ? policyFormatPages(policy, slug, options.serverName ?? serverNameFromSlug(slug), options.formats ?? FORMATS, (path, message) => options.onProblem?.({ serverId: entry.server.id, server, step: 'export', path, message: problemMessage(message) }))
        : [];
      const { line } = exportServer(entry, slug, policyPages, policy ? null : options.policyErrors?.get(entry.server.id) ?? null);
      lines.push(line);
      pages.push(...policyPages);
      const pins = pinsOf(entry.server, options.listings?.get(entry.server.id) ?? []);
      if (pins) pages.push({ path: `pins/${slug}.json`, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(pins, null, 2)}\n` });
    } catch (error) {
      const server = `${entry.server.registry}:${entry.server.identifier}`;
      options.onProblem?.({ serverId: entry.server.id, server, step: 'export', path: 'servers.jsonl', message: problemMessage(error) });
    }
  }
  pages.push({ path: 'servers.jsonl', contentType: 'application/x-ndjson; charset=utf-8', body: lines.length ? `${lines.join('\n')}\n` : '' });
  return pages;
}

/** One server's `servers.jsonl` line. @throws whatever a stored record of the wrong shape makes throw. */
function exportServer(entry: CatalogueEntry, slug: string, policyPages: readonly SitePage[], policyError: string | null): { line: string } {
  const policyFiles: Record<string, string> = {};
  for (const format of FORMATS) {
    const path = `${format.dir}/${slug}.${format.ext}`;
    if (policyPages.some((p) => p.path === path)) policyFiles[format.id] = path;
  }
  const policyPath = policyFiles['policy-json'] ?? null;
  const i = entry.introspection;
  const line: ExportedServer = {
    registry: entry.server.registry,
    identifier: entry.server.identifier,
    slug,
    displayName: entry.server.displayName,
    description: entry.server.description,
    repositoryUrl: entry.server.repositoryUrl,
    version: entry.version?.version ?? null,
    introspection: i
      ? {
          outcome: i.outcome, failureReason: i.failureReason, failureMessage: i.failureMessage, method: i.method, startedAt: i.startedAt.toISOString(), toolCount: i.toolCount,
          prompts: i.prompts, resources: i.resources, resourceTemplates: i.resourceTemplates, listFailures: i.listFailures,
        }
      : null,
    policy: policyPath,
    policyFiles,
    policyError,
    tools: entry.tools.map(({ tool, classification: c, codeEffects }) => ({
      name: tool.name,
      hash: tool.hash,
      definition: tool.definition,
      classification: c
        ? { category: c.category, risk: c.risk, confidence: c.confidence, rationale: c.rationale, evidence: c.evidence, signals: c.signals, ruleIds: c.ruleIds, method: c.method, classifierVersion: c.classifierVersion }
        : null,
      codeEffects: codeEffects ?? null,
    })),
  };
  return { line: JSON.stringify(line) };
}
