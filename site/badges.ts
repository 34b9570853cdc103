/**
 * Per-server badges: three small flat SVG images (highest risk, tool count, whether the tools were listed) written
 * beside the server's page, and the Markdown that embeds each one. The SVG comes from our own template; every text in
 * it is ours (labels, risk names, counts, failure reason classes), never the server's name or description, and is
 * XML-escaped all the same. Output is deterministic: the same server gives the same bytes.
 * @internal
 */
import { FAILURE_REASONS, type FailureReason, type Risk } from '../records/index.ts';
import type { ServerView } from './model.ts';
import { publicUrl, serverBadgePath, type BadgeKind } from './paths.ts';
import type { SitePage } from './types.ts';

export const SVG_TYPE = 'image/svg+xml; charset=utf-8';

/** One badge: grey `label` on the left, `value` on the right in `fill` with `text` as its letter colour. */
export interface Badge {
  kind: BadgeKind;
  label: string;
  value: string;
  /** Background of the value half, `#rrggbb`. */
  fill: string;
  /** Letter colour of the value half, chosen for a contrast ratio of at least 4.5:1 against `fill` (WCAG 2.1 AA). */
  text: string;
}

const LABEL_FILL = '#555555';
const WHITE = '#ffffff';
const DARK = '#000000';

/** Value colours by risk: Low green, Medium yellow, High orange, Critical red. */
const RISK_COLOURS: Record<Risk, { fill: string; text: string }> = {
  Low: { fill: '#2e7d32', text: WHITE },
  Medium: { fill: '#fbc02d', text: DARK },
  High: { fill: '#f57c00', text: DARK },
  Critical: { fill: '#c62828', text: WHITE },
};
const NEUTRAL = { fill: '#616161', text: WHITE };
const BLUE = { fill: '#1565c0', text: WHITE };
const GREEN = { fill: '#2e7d32', text: WHITE };

/** `MCP risk: High`; `unclassified` when tools are listed but none is classified; `no tools` when none are listed. */
export function riskBadge(server: ServerView): Badge {
  const risk = server.highestRisk;
  if (risk !== null) return { kind: 'risk', label: 'MCP risk', value: risk, ...RISK_COLOURS[risk] };
  return { kind: 'risk', label: 'MCP risk', value: server.tools.length > 0 ? 'unclassified' : 'no tools', ...NEUTRAL };
}

/** `MCP tools: 7`. */
export function toolsBadge(server: ServerView): Badge {
  return { kind: 'tools', label: 'MCP tools', value: server.tools.length.toLocaleString('en-US'), ...(server.tools.length > 0 ? BLUE : NEUTRAL) };
}

/**
 * Whether the newest attempt listed the tools: `listed live` (the server was started or reached), `listed from
 * source` (read from the package without running it, `method: "static"`), `not listed: <reason>` (the failure reason
 * class, `timed out`), or `not tried`.
 */
export function listedBadge(server: ServerView): Badge {
  const attempt = server.entry.introspection;
  const label = 'MCP catalogue';
  if (attempt === null) return { kind: 'listed', label, value: 'not tried', ...NEUTRAL };
  if (attempt.outcome === 'ok') return { kind: 'listed', label, value: attempt.method === 'static' ? 'listed from source' : 'listed live', ...(attempt.method === 'static' ? BLUE : GREEN) };
  const reason = attempt.failureReason;
  // Only a known reason class is shown; a stored value of another shape becomes plain "not listed".
  const known = reason !== null && (FAILURE_REASONS as readonly string[]).includes(reason);
  return { kind: 'listed', label, value: known ? `not listed: ${(reason as FailureReason).replace(/_/g, ' ')}` : 'not listed', ...NEUTRAL };
}

/** The three badges of a server, in the order they are shown. */
export function serverBadges(server: ServerView): Badge[] {
  return [riskBadge(server), toolsBadge(server), listedBadge(server)];
}

/**
 * Advance widths in pixels of Verdana at 11 px (the face shields.io-style flat badges use), rounded to a tenth. A
 * character not in the table counts as {@link WIDE}, so an unexpected one makes the badge wider, never cut.
 */
const WIDTHS = new Map<string, number>([
  ...[...'abdeghknopquvxy'].map((c) => [c, 6.8] as const),
  ['c', 5.8], ['f', 3.9], ['i', 3.0], ['j', 3.8], ['l', 3.0], ['m', 10.7], ['r', 4.7], ['s', 5.7], ['t', 4.3], ['w', 8.9], ['z', 5.8],
  ...[...'ABCKRSVXZ'].map((c) => [c, 7.6] as const),
  ...[...'DGHNOQU'].map((c) => [c, 8.4] as const),
  ['E', 6.9], ['F', 6.3], ['I', 4.6], ['J', 5.0], ['L', 6.1], ['M', 9.3], ['P', 6.6], ['T', 6.8], ['W', 10.9], ['Y', 6.8],
  ...[...'0123456789'].map((c) => [c, 7.0] as const),
  [' ', 3.9], ['.', 3.9], [',', 3.9], [':', 4.6], ['-', 5.0], ['(', 5.0], [')', 5.0], ['/', 5.0],
]);
const WIDE = 11;
/** Space each side of a text, in pixels. */
const PAD = 6;
const HEIGHT = 20;

/** Estimated width in pixels of `text` in Verdana 11 px. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDTHS.get(ch) ?? WIDE;
  return width;
}

/** `text` safe inside XML character data and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The badge as a standalone SVG document, `HEIGHT` px tall, with a `<title>` and `aria-label` for screen readers. */
export function badgeSvg(badge: Badge): string {
  const labelWidth = Math.ceil(textWidth(badge.label)) + 2 * PAD;
  const valueWidth = Math.ceil(textWidth(badge.value)) + 2 * PAD;
  const width = labelWidth + valueWidth;
  const title = escapeXml(`${badge.label}: ${badge.value}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${labelWidth}" height="${HEIGHT}" fill="${LABEL_FILL}"/>`,
    `<rect x="${labelWidth}" width="${valueWidth}" height="${HEIGHT}" fill="${badge.fill}"/>`,
    '<g font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11" text-anchor="middle">',
    `<text x="${labelWidth / 2}" y="14" fill="${WHITE}">${escapeXml(badge.label)}</text>`,
    `<text x="${labelWidth + valueWidth / 2}" y="14" fill="${badge.text}">${escapeXml(badge.value)}</text>`,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

/** The server's three badge files: `servers/<slug>/badge-risk.svg`, `badge-tools.svg`, `badge-listed.svg`. */
export function renderBadges(server: ServerView): SitePage[] {
  return serverBadges(server).map((badge) => ({ path: serverBadgePath(server.slug, badge.kind), contentType: SVG_TYPE, body: badgeSvg(badge) }));
}

/**
 * What the server page shows per badge: the image's site path, its alt text, and the Markdown that embeds it linking
 * to the server page. With `baseUrl` both URLs are absolute; without, they are site-relative (`servers/<slug>/…`) and
 * the page says to put the site's address in front.
 */
export function badgeSnippets(server: ServerView, baseUrl: string | undefined): Array<{ kind: BadgeKind; path: string; alt: string; markdown: string }> {
  // Parentheses would end a Markdown link destination early; they are percent-encoded (RFC 3986 allows either).
  const url = (path: string) => publicUrl(path, baseUrl).replace(/\(/g, '%28').replace(/\)/g, '%29');
  const page = url(server.path);
  return serverBadges(server).map((badge) => {
    const path = serverBadgePath(server.slug, badge.kind);
    const alt = `${badge.label}: ${badge.value}`;
    return { kind: badge.kind, path, alt, markdown: `[![${alt}](${url(path)})](${page})` };
  });
}
