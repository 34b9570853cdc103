/**
 * The recommended policy in every export format (policy/formats/index.ts) for the server and tool pages: a file per
 * format beside `policy.json` with the mapping's caveats and the tools it could not carry, and a tool's rule in each
 * format. A file that fails its format's check is not offered (the export reports the same failure for the server).
 * @internal
 */
import { FORMATS, serverNameFromSlug, type PolicyFormat } from '../policy/index.ts';
import type { PageLimits } from './limits.ts';
import type { ServerView, ToolView } from './model.ts';
import { serverFormatPath } from './paths.ts';
import { toolPolicy } from './policy-view.ts';
import type { SitePage } from './types.ts';
import { truncate } from './words.ts';

/** One format as a server page lists it. */
export interface FormatOffer {
  id: string;
  title: string;
  path: string;
  /** The file name offered for download, e.g. `policy.cedar.json`. */
  fileName: string;
  caveats: readonly string[];
  /** Tools whose rule this format could not carry, with what they became (names cut to the page's limits). */
  degraded: Array<{ tool: string; becomes: string; reason: string }>;
  /** Degraded tools beyond the page's item limit. */
  moreDegraded: number;
}

/** The formats besides policy.json itself. */
const OTHERS: readonly PolicyFormat[] = FORMATS.filter((f) => f.id !== 'policy-json');

function checked(format: PolicyFormat, text: string, serverName: string): boolean {
  return format.validate(text, { serverName }).length === 0;
}

/** A server's policy in every other format: the files to write and the offers its page lists. */
export function serverFormatFiles(server: ServerView, limits: PageLimits): { pages: SitePage[]; offers: FormatOffer[] } {
  const pages: SitePage[] = [];
  const offers: FormatOffer[] = [];
  if (!server.policy) return { pages, offers };
  const serverName = serverNameFromSlug(server.slug);
  for (const format of OTHERS) {
    const out = format.render(server.policy, { serverName });
    if (!checked(format, out.text, serverName)) continue;
    const path = serverFormatPath(server.slug, format.id, format.ext);
    pages.push({ path, contentType: format.contentType, body: out.text });
    offers.push({
      id: format.id,
      title: format.title,
      path,
      fileName: `policy.${format.id}.${format.ext}`,
      caveats: format.caveats,
      degraded: out.degraded.slice(0, limits.items).map((d) => ({ tool: d.tool === '*' ? 'tools the policy does not name' : truncate(d.tool, limits.name), becomes: d.becomes, reason: d.reason })),
      moreDegraded: Math.max(0, out.degraded.length - limits.items),
    });
  }
  return { pages, offers };
}

/** A tool's rule in every other format: the file each format would hold for a policy of this tool alone. */
export function toolFormatSnippets(server: ServerView, tool: ToolView, limits: PageLimits): Array<{ id: string; title: string; text: string | null; chars: number }> {
  if (!server.policy) return [];
  const policy = toolPolicy(server.policy, tool);
  const serverName = serverNameFromSlug(server.slug);
  return OTHERS.map((format) => {
    const { text } = format.render(policy, { serverName });
    const ok = checked(format, text, serverName);
    return { id: format.id, title: format.title, text: ok && text.length <= limits.snippet ? text : null, chars: ok ? text.length : 0 };
  });
}
