/**
 * npm registry client: packuments and version resolution.
 *
 * Source: npm registry API (github.com/npm/registry, docs/REGISTRY-API.md): `GET /<name>` returns the packument
 * (`name`, `dist-tags`, `versions{<v>: package.json + dist}`, `time`); scoped names are requested as
 * `@scope%2fname`.
 */
import semver from 'semver';
import { z } from 'zod';
import { CrawlError, HttpStatusError } from '../../errors.ts';
import type { HttpClient } from '../../http.ts';
import { getOwn } from '../../../records/index.ts';


const stringOrRecord = z.union([z.string(), z.record(z.string(), z.string())]);

/** The parts of one version's manifest the crawler reads. Other fields pass through unchecked. */
export const manifestSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    description: z.string().optional().catch(undefined),
    bin: stringOrRecord.optional().catch(undefined),
    main: z.string().optional().catch(undefined),
    engines: z.record(z.string(), z.string()).optional().catch(undefined),
    repository: z.union([z.string(), z.object({ url: z.string().optional() }).passthrough()]).optional().catch(undefined),
    dependencies: z.record(z.string(), z.string()).optional().catch(undefined),
    mcpName: z.string().optional().catch(undefined),
    deprecated: z.union([z.string(), z.boolean()]).optional().catch(undefined),
    dist: z.object({ tarball: z.string().optional(), integrity: z.string().optional() }).passthrough().optional().catch(undefined),
  })
  .passthrough();
export type Manifest = z.infer<typeof manifestSchema>;

const packumentSchema = z.object({
  name: z.string(),
  'dist-tags': z.record(z.string(), z.string()).default({}),
  versions: z.record(z.string(), z.unknown()).default({}),
  time: z.record(z.string(), z.string()).optional().catch(undefined),
  description: z.string().optional().catch(undefined),
});

export interface Packument {
  name: string;
  distTags: Record<string, string>;
  /** Raw version manifests, parsed lazily by {@link resolveVersion}. */
  versions: Record<string, unknown>;
  time: Record<string, string>;
  description?: string;
}

/** The URL of a packument: `<registry>/<name>` with the scope's slash encoded. */
export function packumentUrl(registryUrl: string, name: string): string {
  return `${registryUrl.replace(/\/+$/, '')}/${name.replace('/', '%2f')}`;
}

/**
 * Fetches and validates a packument.
 * @throws CrawlError `VERSION_NOT_FOUND` (404), `PACKUMENT_INVALID`, or the HTTP client's errors.
 */
export async function fetchPackument(http: HttpClient, registryUrl: string, name: string, signal?: AbortSignal): Promise<Packument> {
  const url = packumentUrl(registryUrl, name);
  let body: unknown;
  try {
    body = await http.getJson(url, { signal, accept: 'application/json' });
  } catch (error) {
    if (error instanceof HttpStatusError && error.statusCode === 404) {
      throw new CrawlError('VERSION_NOT_FOUND', `${name}: no such package on ${registryUrl} (${error.message})`, { cause: error });
    }
    throw error;
  }
  return parsePackument(url, body);
}

/**
 * Validates a packument body fetched from `url`.
 * @throws CrawlError `PACKUMENT_INVALID`.
 */
export function parsePackument(url: string, body: unknown): Packument {
  const parsed = packumentSchema.safeParse(body);
  if (!parsed.success) {
    throw new CrawlError('PACKUMENT_INVALID', `[GET] ${url}: not a packument (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
  }
  return {
    name: parsed.data.name,
    distTags: parsed.data['dist-tags'],
    versions: parsed.data.versions,
    time: parsed.data.time ?? {},
    description: parsed.data.description,
  };
}

/**
 * Resolves a dist-tag, exact version or range to one version's manifest: a dist-tag first, then an exact version,
 * then the highest version satisfying the range (prereleases excluded unless the range names one).
 * @throws CrawlError `VERSION_NOT_FOUND` or `PACKUMENT_INVALID` (the chosen manifest has the wrong shape).
 */
export function resolveVersion(packument: Packument, wanted: string): { version: string; manifest: Manifest; publishedAt: Date | null } {
  // Tags and versions are the package's names: only own keys count (`constructor` is not a dist-tag of every package).
  const tagged = getOwn(packument.distTags, wanted);
  let version: string | undefined = typeof tagged === 'string' && tagged !== '' ? tagged : undefined;
  if (!version && getOwn(packument.versions, wanted) !== undefined) version = wanted;
  if (!version && semver.validRange(wanted)) {
    version = semver.maxSatisfying(Object.keys(packument.versions).filter((v) => semver.valid(v)), wanted) ?? undefined;
  }
  if (!version || getOwn(packument.versions, version) === undefined) {
    throw new CrawlError('VERSION_NOT_FOUND', `${packument.name}: no version matches "${wanted}"`);
  }
  const manifest = manifestSchema.safeParse(getOwn(packument.versions, version));
  if (!manifest.success) {
    throw new CrawlError('PACKUMENT_INVALID', `${packument.name}@${version}: the version manifest has the wrong shape`);
  }
  const time = getOwn(packument.time, version);
  const publishedAt = typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? new Date(time) : null;
  return { version, manifest: manifest.data, publishedAt };
}

/** A repository URL from a manifest's `repository` field, normalised to https, or null. */
export function repositoryUrlOf(manifest: Manifest): string | null {
  const raw = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (!raw) return null;
  let url = raw.trim().replace(/^git\+/, '').replace(/\.git$/, '');
  url = url.replace(/^git:\/\//, 'https://').replace(/^ssh:\/\/git@/, 'https://').replace(/^git@([^:]+):/, 'https://$1/');
  if (/^github:/.test(url)) url = `https://github.com/${url.slice(7)}`;
  else if (/^[\w.-]+\/[\w.-]+$/.test(url)) url = `https://github.com/${url}`;
  return /^https?:\/\//.test(url) ? url : null;
}
