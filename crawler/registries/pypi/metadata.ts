/**
 * The core metadata fields the catalogue shows for a PyPI server, read from a wheel's `METADATA` file (or the copy the
 * index serves at `<file URL>.metadata`, PEP 658). Source: PyPA "Core metadata specifications" (RFC 822 style
 * headers; a line starting with whitespace continues the previous header; the body after the first blank line is
 * the long description).
 */

/** The fields of a wheel's `METADATA` (core metadata, RFC 822 style headers) the catalogue shows. */
export interface CoreMetadata {
  name: string | null;
  summary: string | null;
  /** A source repository URL from `Project-URL` (Source, Repository, Code, GitHub) or `Home-page`, if one is http(s). */
  repositoryUrl: string | null;
}

/** Reads `Name`, `Summary`, `Project-URL` and `Home-page` from core metadata headers (the body after the blank line is ignored). */
export function parseCoreMetadata(text: string): CoreMetadata {
  const headers: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const first = (key: string) => headers.find(([k]) => k === key)?.[1] || null;
  const http = (url: string | undefined) => (url && /^https?:\/\/[^\s]+$/.test(url) ? url : null);
  const projectUrls = headers.filter(([k]) => k === 'project-url').map(([, v]) => v.split(',').map((s) => s.trim()) as [string, string?]);
  const source = projectUrls.find(([label]) => /^(?:source(?: ?code)?|repository|code|github|git)$/i.test(label));
  return {
    name: first('name'),
    summary: first('summary')?.slice(0, 1000) ?? null,
    repositoryUrl: http(source?.[1]) ?? http(first('home-page') ?? undefined),
  };
}
