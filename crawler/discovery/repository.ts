/**
 * Repository URLs as identity: every spelling a registry publishes (`git+ssh://git@github.com/A/B.git`,
 * `github:a/b`, `https://www.github.com/a/b/tree/main/src`) becomes `https://github.com/a/b`.
 */
/** Hosts whose URLs are `/<owner>/<repo>/…`: the path is cut after the repository and lower-cased. */
const FORGES = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']);

/**
 * Normalises a repository URL: https, no credentials, no `www.`, no `.git`, no trailing slash, fragment or query;
 * on known forges only `owner/repo` is kept and case is folded. Returns null for anything that is not a URL of a
 * repository (empty, a bare word, `file:`, `javascript:`).
 */
export function normaliseRepositoryUrl(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  let text = raw.trim().replace(/^git\+/, '');
  if (!text || text.length > 2048) return null;
  if (/^(github|gitlab|bitbucket):/.test(text)) {
    const [host, rest] = text.split(':', 2) as [string, string];
    text = `https://${host === 'bitbucket' ? 'bitbucket.org' : `${host}.com`}/${rest}`;
  } else if (/^git@[^:]+:/.test(text)) {
    text = text.replace(/^git@([^:]+):/, 'https://$1/');
  } else if (/^[\w.-]+\/[\w.-]+$/.test(text)) {
    text = `https://github.com/${text}`;
  }
  let url: URL;
  try {
    url = new URL(text.replace(/^(git|ssh|git\+ssh|http):\/\//, 'https://'));
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const parts = url.pathname.split('/').filter(Boolean);
  if (FORGES.has(host)) {
    if (parts.length < 2) return null;
    const owner = parts[0]!.toLowerCase();
    const repo = parts[1]!.toLowerCase().replace(/\.git$/, '');
    return repo ? `https://${host}/${owner}/${repo}` : null;
  }
  const path = parts.join('/').replace(/\.git$/, '');
  return path ? `https://${host}/${path}` : null;
}

/** `owner/repo` of a GitHub URL (normalised or not), or null. */
export function githubRepoOf(url: string | null): string | null {
  const normal = normaliseRepositoryUrl(url);
  const match = normal ? /^https:\/\/github\.com\/([^/]+\/[^/]+)$/.exec(normal) : null;
  return match ? match[1]! : null;
}
