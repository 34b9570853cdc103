/**
 * A client for a Python package index's Simple API: one project's page, as JSON (PEP 691) when the index offers it,
 * else as HTML (PEP 503), parsed into the list of files the project has published.
 *
 * Sources: PEP 503 (HTML page at `<index>/<normalized name>/`, one anchor per file, `#sha256=<hex>` fragments,
 * `data-requires-python`), PEP 592 (`data-yanked`), PEP 629 (`pypi:repository-version` meta), PEP 691 (JSON
 * `application/vnd.pypi.simple.v1+json`: `{meta: {"api-version"}, name, files: [{filename, url, hashes,
 * "requires-python"?, yanked?}]}`), PEP 658 and PEP 714 (core metadata at `<file URL>.metadata`, advertised as
 * `core-metadata`), PEP 700 (`versions`, `size`, `upload-time`), PEP 427 and PEP 491 (wheel file names), PEP 625
 * (sdist file names).
 */
import { createHash } from 'node:crypto';
import { valid as validVersion } from '@renovatebot/pep440';
import { load } from 'cheerio';
import { z } from 'zod';
import { CrawlError, HttpStatusError } from '../../errors.ts';
import type { HttpClient } from '../../http.ts';

/** PEP 503: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** PEP 691 content type of the JSON form. */
export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
/** PEP 691 Accept header: JSON preferred, the versioned HTML form next, unversioned HTML last. */
export const SIMPLE_ACCEPT = `${SIMPLE_JSON}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01`;
/** Most files kept from one project page; the rest are ignored (the largest projects on PyPI have tens of thousands). */
export const MAX_FILES = 100_000;

/** A wheel file name's parts (PEP 427): `{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl`. */
export interface WheelName {
  distribution: string;
  version: string;
  build: string | null;
  /** Every `python-abi-platform` tag the file declares (compressed tag sets expanded), e.g. `py3-none-any`. */
  tags: string[];
}

/** One file of a project page. */
export interface DistributionFile {
  filename: string;
  /** Absolute http(s) URL, without the fragment. */
  url: string;
  /** Lower-case hex SHA-256 digest from the index, or null when it gives none. */
  sha256: string | null;
  /** `Requires-Python` specifier as the index states it, or null. */
  requiresPython: string | null;
  /** False, or the reason the file was yanked (PEP 592); an empty string when none was given. */
  yanked: false | string;
  kind: 'wheel' | 'sdist' | 'other';
  /** The version the file name states, or null when it does not parse as PEP 440. */
  version: string | null;
  /** Set for wheels. */
  wheel: WheelName | null;
  /**
   * Whether the index serves the file's core metadata at `<url>.metadata` (PEP 658, PEP 714), with its SHA-256 when
   * stated.
   */
  coreMetadata: false | { sha256: string | null };
}

/** A project page, parsed. */
export interface SimpleProject {
  /** PEP 503 normalized name. */
  name: string;
  /** The page URL that was read. */
  url: string;
  /** Which form the index answered with. */
  format: 'json' | 'html';
  files: DistributionFile[];
}

/** `<base>/simple` for a PyPI base URL (`https://pypi.org`); a URL that already ends in `/simple` is kept. */
export function simpleIndexUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/simple$/.test(trimmed) ? trimmed : `${trimmed}/simple`;
}

/** The project page URL: `<index>/<normalized name>/`. */
export function projectPageUrl(indexUrl: string, name: string): string {
  return `${indexUrl.replace(/\/+$/, '')}/${encodeURIComponent(normalisePypiName(name))}/`;
}

/**
 * Fetches and parses a project's page.
 * @throws CrawlError `VERSION_NOT_FOUND` (404: no such project), `SIMPLE_API_INVALID` (a body that is neither a
 *   PEP 691 JSON page of API version 1 nor HTML), or the HTTP client's errors.
 */
export async function fetchSimpleProject(http: HttpClient, indexUrl: string, name: string, signal?: AbortSignal): Promise<SimpleProject> {
  const url = projectPageUrl(indexUrl, name);
  const response = await http.get(url, { signal, accept: SIMPLE_ACCEPT });
  if (response.statusCode === 404) {
    throw new CrawlError('VERSION_NOT_FOUND', `${name}: no such project on ${indexUrl} (${url}: 404)`);
  }
  if (response.statusCode < 200 || response.statusCode > 299) throw new HttpStatusError('GET', url, response.statusCode);
  return parseSimpleProject(url, name, response.headers['content-type'] ?? '', response.body);
}

/**
 * Parses a project page body by its content type (JSON for `application/vnd.pypi.simple.v1+json` or any `+json` /
 * `application/json`, HTML otherwise).
 * @throws CrawlError `SIMPLE_API_INVALID`.
 */
export function parseSimpleProject(url: string, name: string, contentType: string, body: string): SimpleProject {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const project = normalisePypiName(name);
  if (type === SIMPLE_JSON || type === 'application/json' || type.endsWith('+json')) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      throw new CrawlError('SIMPLE_API_INVALID', `${url}: the ${type} body is not JSON (${body.length} characters)`);
    }
    return { name: project, url, format: 'json', files: parseJsonFiles(url, project, data) };
  }
  if (type === 'application/vnd.pypi.simple.v1+html' || type === 'text/html' || type === '' || /^\s*</.test(body)) {
    return { name: project, url, format: 'html', files: parseHtmlFiles(url, project, body) };
  }
  throw new CrawlError('SIMPLE_API_INVALID', `${url}: unexpected content type "${type}" for a Simple API page`);
}

const hashesSchema = z.record(z.string(), z.string());
const jsonFileSchema = z.object({
  filename: z.string().min(1).max(512),
  url: z.string().min(1).max(4096),
  hashes: hashesSchema,
  'requires-python': z.string().max(1000).nullish(),
  yanked: z.union([z.boolean(), z.string()]).optional(),
  'core-metadata': z.union([z.boolean(), hashesSchema]).optional().catch(undefined),
  'dist-info-metadata': z.union([z.boolean(), hashesSchema]).optional().catch(undefined),
});
const jsonPageSchema = z.object({
  meta: z.object({ 'api-version': z.string() }).passthrough(),
  name: z.string(),
  files: z.array(z.unknown()),
});

function parseJsonFiles(url: string, project: string, data: unknown): DistributionFile[] {
  const page = jsonPageSchema.safeParse(data);
  if (!page.success) {
    const issue = page.error.issues[0]!;
    throw new CrawlError('SIMPLE_API_INVALID', `${url}: not a PEP 691 project page (${issue.path.join('.') || 'body'}: ${issue.message})`);
  }
  const apiVersion = page.data.meta['api-version'];
  if (!/^1(?:\.\d+)*$/.test(apiVersion)) {
    throw new CrawlError('SIMPLE_API_INVALID', `${url}: Simple API version "${apiVersion}" is not 1.x`);
  }
  if (normalisePypiName(page.data.name) !== project) {
    throw new CrawlError('SIMPLE_API_INVALID', `${url}: the page is for "${page.data.name}", not "${project}"`);
  }
  const files: DistributionFile[] = [];
  for (const raw of page.data.files.slice(0, MAX_FILES)) {
    const parsed = jsonFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CrawlError('SIMPLE_API_INVALID', `${url}: file entry ${JSON.stringify(raw).slice(0, 120)} is invalid (${issue.path.join('.')}: ${issue.message})`);
    }
    const f = parsed.data;
    const yanked = f.yanked === undefined || f.yanked === false ? false : f.yanked === true ? '' : f.yanked;
    const advertised = f['core-metadata'] ?? f['dist-info-metadata'];
    const coreMetadata = advertised === undefined || advertised === false ? false : { sha256: advertised === true ? null : advertised.sha256 ?? null };
    const file = describeFile(url, project, f.filename, f.url, f.hashes.sha256 ?? null, f['requires-python'] ?? null, yanked, coreMetadata);
    if (file) files.push(file);
  }
  return files;
}

function parseHtmlFiles(url: string, project: string, body: string): DistributionFile[] {
  const $ = load(body);
  const version = $('meta[name="pypi:repository-version"]').attr('content');
  if (version !== undefined && !/^1(?:\.\d+)*$/.test(version.trim())) {
    throw new CrawlError('SIMPLE_API_INVALID', `${url}: repository version "${version}" is not 1.x`);
  }
  const files: DistributionFile[] = [];
  $('a[href]').each((_, element) => {
    if (files.length >= MAX_FILES) return false;
    const a = $(element);
    const href = a.attr('href')!;
    const filename = a.text().trim();
    const fragment = /#sha256=([0-9a-fA-F]{64})$/.exec(href);
    const yanked = a.attr('data-yanked');
    const advertised = a.attr('data-core-metadata') ?? a.attr('data-dist-info-metadata');
    const coreMetadata = advertised === undefined || advertised === 'false' ? false : { sha256: /^sha256=([0-9a-fA-F]{64})$/.exec(advertised)?.[1] ?? null };
    const file = describeFile(url, project, filename, href, fragment ? fragment[1]! : null, a.attr('data-requires-python') ?? null, yanked === undefined ? false : yanked, coreMetadata);
    if (file) files.push(file);
    return undefined;
  });
  return files;
}

/** Builds a file record; null for entries that cannot be one of the project's files (bad name, non-http URL). */
function describeFile(
  pageUrl: string, project: string, filename: string, href: string, sha256: string | null, requiresPython: string | null, yanked: false | string,
  coreMetadata: false | { sha256: string | null },
): DistributionFile | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+!-]*$/.test(filename) || filename.length > 255) return null;
  let absolute: URL;
  try {
    absolute = new URL(href, pageUrl);
  } catch {
    return null;
  }
  if (absolute.protocol !== 'https:' && absolute.protocol !== 'http:') return null;
  absolute.hash = '';
  const digest = sha256 !== null && /^[0-9a-fA-F]{64}$/.test(sha256) ? sha256.toLowerCase() : null;
  const wheel = parseWheelFilename(filename);
  const metadataDigest = coreMetadata && coreMetadata.sha256 !== null && /^[0-9a-fA-F]{64}$/.test(coreMetadata.sha256) ? coreMetadata.sha256.toLowerCase() : null;
  const base = { filename, url: absolute.href, sha256: digest, requiresPython: requiresPython?.trim() || null, yanked, coreMetadata: coreMetadata && { sha256: metadataDigest } };
  if (wheel) {
    if (normalisePypiName(wheel.distribution) !== project) return null;
    return { ...base, kind: 'wheel', version: validVersion(wheel.version) ? wheel.version : null, wheel };
  }
  const sdistVersion = sdistFilenameVersion(filename, project);
  if (sdistVersion !== undefined) return { ...base, kind: 'sdist', version: sdistVersion, wheel: null };
  return { ...base, kind: 'other', version: null, wheel: null };
}

/** Parses a wheel file name (PEP 427), expanding compressed tag sets (`py2.py3-none-any`); null if it is not one. */
export function parseWheelFilename(filename: string): WheelName | null {
  const match = /^([^-]+)-([^-]+)(?:-(\d[^-]*))?-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(filename);
  if (!match) return null;
  const [, distribution, version, build, python, abi, platform] = match;
  const tags: string[] = [];
  for (const p of python!.split('.')) for (const a of abi!.split('.')) for (const pl of platform!.split('.')) tags.push(`${p}-${a}-${pl}`);
  return { distribution: distribution!, version: version!, build: build ?? null, tags };
}

const SDIST_EXTENSION = /\.(?:tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/;

/**
 * The version of a source distribution file name (`{name}-{version}.tar.gz`, PEP 625, or a legacy archive whose
 * name part may keep the project's own spelling), or undefined when the name is not an sdist of `project`, null
 * when its version does not parse.
 */
export function sdistFilenameVersion(filename: string, project: string): string | null | undefined {
  const ext = SDIST_EXTENSION.exec(filename);
  if (!ext) return undefined;
  const stem = filename.slice(0, ext.index);
  for (let at = stem.indexOf('-'); at !== -1; at = stem.indexOf('-', at + 1)) {
    if (normalisePypiName(stem.slice(0, at)) === project) {
      const version = stem.slice(at + 1);
      return validVersion(version) ? version : null;
    }
  }
  return undefined;
}

/**
 * Fetches a file's core metadata from `<url>.metadata` (PEP 658) when the index advertises it, checking the digest
 * the index states. Returns null when it is not advertised, cannot be fetched or does not match: it is optional.
 */
export async function fetchCoreMetadata(http: HttpClient, file: DistributionFile, signal?: AbortSignal): Promise<string | null> {
  if (!file.coreMetadata) return null;
  try {
    const bytes = await http.getBytes(`${file.url}.metadata`, { signal, maxBodyBytes: 4 * 1024 * 1024 });
    if (file.coreMetadata.sha256 !== null && createHash('sha256').update(bytes).digest('hex') !== file.coreMetadata.sha256) return null;
    return bytes.toString('utf8');
  } catch {
    return null;
  }
}
