/**
 * The HTML document Pagefind indexes for one tool (Pagefind's `addHTMLFile`): the searchable text inside
 * `data-pagefind-body`, the tool name as the heading (Pagefind weights headings above body text), the texts the
 * results list shows as `data-pagefind-meta`, and category, risk and registry as `data-pagefind-filter`
 * (https://pagefind.app/docs/metadata/, /docs/filtering/). Every text is escaped here; nothing else builds it.
 * @internal
 */
import type { SearchRecord } from './record.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe inside HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/**
 * The document for `record`. Meta keys: `title` (the tool name), `tool_title`, `server`, `server_path`,
 * `description`; filters: `category`, `risk`, `registry`. Pagefind reads a meta or filter value from the element's
 * text, so the values never pass through Pagefind's `key:value` attribute syntax (a comma or colon in a name is safe).
 */
export function searchDocument(record: SearchRecord): string {
  const e = escapeHtml;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><main data-pagefind-body>',
    `<h1 data-pagefind-meta="title">${e(record.name)}</h1>`,
    record.title === null ? '' : `<p data-pagefind-meta="tool_title">${e(record.title)}</p>`,
    `<p data-pagefind-meta="server">${e(record.server)}</p>`,
    `<p data-pagefind-meta="description">${e(record.description)}</p>`,
    `<p><span data-pagefind-filter="category">${e(record.category)}</span> <span data-pagefind-filter="risk">${e(record.risk)}</span> <span data-pagefind-filter="registry">${e(record.registry)}</span></p>`,
    '</main>',
    `<span data-pagefind-meta="server_path:${e(record.serverPath)}"></span>`,
    '</body></html>',
  ].join('');
}
