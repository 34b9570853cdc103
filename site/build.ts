/**
 * `buildSite`: the site written in bounded batches, and incrementally.
 *
 * - **Streamed.** Servers are read from a {@link SiteSource} a batch at a time (default {@link DEFAULT_BATCH_SIZE}),
 *   their own files rendered (`renderServerPages`) and written, and only a {@link ServerSummary} of each is kept for
 *   the catalogue pages rendered at the end. Peak memory grows with the summaries (names, slugs and labels of every
 *   tool), not with tool definitions, schemas or pages.
 * - **Incremental.** The build leaves a manifest in `<outDir>/.mcp-catalogue-build/`: every server's stamp
 *   (`Store.catalogueStamps()`), its summary and the files it wrote, the catalogue's files, and a key of everything
 *   else the pages depend on (title, base URL, the renderer's own code: {@link BuildSiteOptions.key}). The next build
 *   with the same key renders and writes again only servers whose stamp changed or that are new, removes the files of
 *   servers that are gone and catalogue files no longer produced, and renders the catalogue pages from the summaries.
 *   A changed key, a missing or unreadable manifest, or `full` makes a full build. Either way the output is
 *   byte-identical to a full build of the same records (build.test.ts).
 * - **Safe replacement.** A full build writes a fresh directory beside `outDir` and swaps it in with two renames, like
 *   `writeSite`, and refuses an `outDir` it did not write (no marker file). An incremental build writes into `outDir`,
 *   each file to a temporary name first and then renamed over the old one, and writes the manifest last, so a build
 *   that stops half way leaves a manifest that no longer matches and the next build is a full one.
 * @internal
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CatalogueEntry, Policy, Registry, ToolRule } from '../records/index.ts';
import type { RegistryIndex } from '../serve/index.ts';
import { assignServerSlugs, buildModel, catalogueModel, checkBaseUrl, sortEntries, type ServerView } from './model.ts';
import { registryListPage, registryListPageCount, registryNamesPage, registryServerPages, STATIC_PAGE_SIZE, versionsDir } from './registry-api.ts';
import { cataloguePageGroups, renderServerPages } from './render.ts';
import type { SearchIndexer } from './search/indexer.ts';
import { summariseServer, summaryView, type ServerSummary } from './summary.ts';
import type { PublishProblem, SearchRecord, SiteAsset, SiteChanges, SitePage } from './types.ts';
import { checkOutDir, safeTarget, SITE_MARKER } from './write.ts';
import type { AccuracyFile } from '../eval/accuracy.ts';

/** Servers read, rendered and written at a time. */
export const DEFAULT_BATCH_SIZE = 50;
/** The build's own state, under the output directory. */
export const BUILD_DIR = '.mcp-catalogue-build';
const MANIFEST = `${BUILD_DIR}/manifest.json`;
const MANIFEST_FORMAT = 1;
/** Files written at once. */
const WRITE_CONCURRENCY = 32;
/** Search records queued for Pagefind at most before the build waits for it (a few MiB). */
const MAX_SEARCH_BACKLOG = 5_000;

/** One server's identity and stamp, in any order (the build sorts them into catalogue order). */
export interface StampedServer {
  id: number;
  registry: Registry;
  identifier: string;
  /** Changes whenever anything rendered for the server changes (`Store.catalogueStamps()`). */
  stamp: string;
}

/** Everything the pages of a batch of servers are rendered from. */
export interface SiteBatch {
  entries: CatalogueEntry[];
  /** Recommended policy per server id. */
  policies: ReadonlyMap<number, Policy>;
  /** Why a server has no recommended policy, per server id. */
  policyErrors?: ReadonlyMap<number, string>;
  /** The batch's change history. */
  changes?: SiteChanges;
  /** The batch's registry documents (names assigned over the whole catalogue); absent: no static registry API. */
  registry?: RegistryIndex;
}

/** Where the build reads the catalogue. */
export interface SiteSource {
  /** Every server to publish. */
  servers(): Promise<StampedServer[]>;
  /** The records of these servers (ids from {@link servers}). */
  batch(ids: readonly number[]): Promise<SiteBatch>;
}

export interface BuildSiteOptions {
  generatedAt: Date;
  explainRule: (rule: ToolRule | undefined, hidden: boolean) => string;
  title?: string;
  baseUrl?: string;
  /** As `SiteInput.accuracy`. */
  accuracy?: AccuracyFile | null;
  /** @default {@link DEFAULT_BATCH_SIZE} */
  batchSize?: number;
  /** Render and write every server, whatever the last build left. */
  full?: boolean;
  /**
   * Everything besides the records that the pages depend on and the caller knows of (e.g. a hash of the renderer's
   * code and of the registry names). A build whose key differs from the last one's is a full build.
   */
  key?: string;
  /** Starts a search indexer; absent: no search index (`search.html` says so). */
  search?: () => Promise<SearchIndexer>;
  /** Called for every page of a server that could not be rendered. */
  onProblem?: (problem: PublishProblem) => void;
  /** Called after each batch with servers done and in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface BuildSiteResult {
  outDir: string;
  mode: 'full' | 'incremental';
  servers: number;
  /** Servers whose files were rendered and written in this build. */
  rendered: number;
  /** Servers gone since the last build, whose files were removed. */
  removed: number;
  /** Files written in this build, and their bytes. */
  files: number;
  bytes: number;
}

interface Manifest {
  format: number;
  key: string;
  servers: Array<{ id: number; slug: string; stamp: string }>;
  catalogueFiles: string[];
}

interface RegistryEntry {
  name: string;
  slug: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function summaryPath(slug: string): string {
  return `${BUILD_DIR}/servers/${slug}.json`;
}

async function readManifest(root: string): Promise<Manifest | null> {
  try {
    const parsed = JSON.parse(await readFile(resolve(root, MANIFEST), 'utf8')) as Manifest;
    if (parsed.format !== MANIFEST_FORMAT || !Array.isArray(parsed.servers) || !Array.isArray(parsed.catalogueFiles)) return null;
    return parsed;
  } catch {
    return null;
  }
}

/** Writes files under one root, each checked to stay inside it, with at most {@link WRITE_CONCURRENCY} at once. */
class Writer {
  files = 0;
  bytes = 0;
  private readonly dirs = new Set<string>();
  constructor(readonly root: string, private readonly atomic: boolean) {}

  async write(pages: ReadonlyArray<SitePage | SiteAsset>): Promise<void> {
    const planned = pages.map((page) => ({ target: safeTarget(this.root, page.path), body: page.body }));
    for (const dir of new Set(planned.map((p) => dirname(p.target)))) {
      if (this.dirs.has(dir)) continue;
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    for (let start = 0; start < planned.length; start += WRITE_CONCURRENCY) {
      await Promise.all(planned.slice(start, start + WRITE_CONCURRENCY).map(async ({ target, body }) => {
        if (this.atomic) {
          const temp = `${target}.tmp-${process.pid}`;
          await writeFile(temp, body);
          await rename(temp, target);
        } else {
          await writeFile(target, body);
        }
      }));
    }
    this.files += planned.length;
    this.bytes += pages.reduce((sum, page) => sum + (typeof page.body === 'string' ? Buffer.byteLength(page.body, 'utf8') : page.body.byteLength), 0);
  }

  async remove(paths: readonly string[]): Promise<void> {
    for (let start = 0; start < paths.length; start += WRITE_CONCURRENCY) {
      await Promise.all(paths.slice(start, start + WRITE_CONCURRENCY).map((path) => rm(safeTarget(this.root, path), { force: true })));
    }
  }
}

/**
 * Builds the site from `source` into `outDir`; see the module comment.
 * @throws `SiteWriteError` for an output directory it did not write or an unsafe page path; `SiteInputError`
 *   `SITE_BAD_BASE_URL`; Error when two pages would share a path; whatever `source` throws. A full build that throws
 *   leaves the old site in place.
 */
export async function buildSite(source: SiteSource, outDir: string, options: BuildSiteOptions): Promise<BuildSiteResult> {
  const root = resolve(outDir);
  const baseUrl = checkBaseUrl(options.baseUrl);
  const key = sha256(JSON.stringify([options.key ?? '', options.title ?? null, baseUrl ?? null, options.search === undefined]));
  const hadOld = await checkOutDir(root);
  const previous = options.full || !hadOld ? null : await readManifest(root);
  const incremental = previous !== null && previous.key === key;
  const stampOf = new Map((previous?.servers ?? []).map((s) => [s.id, s]));

  const servers = sortEntries((await source.servers()).map((s) => ({ server: { id: s.id, registry: s.registry, identifier: s.identifier }, stamp: s.stamp })));
  const slugs = assignServerSlugs(servers);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const target = incremental ? root : `${root}.tmp-${suffix}`;
  const writer = new Writer(target, incremental);
  if (!incremental) {
    await mkdir(dirname(root), { recursive: true });
    await mkdir(target);
  }
  const search = options.search ? await options.search() : undefined;
  try {
    if (!incremental) await writeFile(resolve(target, SITE_MARKER), 'Written by mcp-catalogue; the whole directory is replaced on a full build.\n', 'utf8');
    const summaries: ServerSummary[] = [];
    const registry: Array<RegistryEntry | null> = [];
    const seen = new Set<string>();
    const claim = (path: string) => {
      const lower = path.toLowerCase();
      if (seen.has(lower)) throw new Error(`buildSite: two pages share the path "${path}"; slugs should be unique.`);
      seen.add(lower);
    };
    let rendered = 0;

    // Servers whose stamp and slug are as in the last build keep their files; their summaries are read back.
    const keep = new Set<number>();
    if (incremental) {
      for (const { server, stamp } of servers) {
        const before = stampOf.get(server.id);
        if (before && before.stamp === stamp && before.slug === slugs.get(server.id)) keep.add(server.id);
      }
    }
    // Servers gone, or now under another slug: all their files go once the new ones are written.
    const gone = incremental ? previous.servers.filter((s) => slugs.get(s.id) !== s.slug) : [];

    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    let done = 0;
    for (let start = 0; start < servers.length; start += batchSize) {
      const slice = servers.slice(start, start + batchSize);
      const fresh = slice.filter((s) => !keep.has(s.server.id)).map((s) => s.server.id);
      const batch = fresh.length === 0 ? null : await source.batch(fresh);
      const model = batch === null ? null : buildModel({
        entries: batch.entries, policies: new Map(batch.policies), policyErrors: batch.policyErrors, changes: batch.changes,
        explainRule: options.explainRule, generatedAt: options.generatedAt, title: options.title, baseUrl,
      }, slugs);
      const viewOf = new Map((model?.servers ?? []).map((view) => [view.entry.server.id, view]));
      const registryOf = new Map((batch?.registry?.servers ?? []).map((s) => [s.serverId, s]));
      for (const { server } of slice) {
        const slug = slugs.get(server.id)!;
        if (keep.has(server.id)) {
          const summary = await readSummary(root, slug);
          if (summary === null) throw new Error(`buildSite: the summary of ${slug} from the last build could not be read; run a full build.`);
          for (const file of summary.files) claim(file);
          for (const record of summary.search) search?.add(record);
          summaries.push(summary);
          registry.push(summary.registryName === null ? null : { name: summary.registryName, slug });
          continue;
        }
        const view = viewOf.get(server.id);
        if (view === undefined) continue; // Gone between the list and the batch: published next time.
        const before = incremental && stampOf.get(server.id)?.slug === slug ? await readSummary(root, slug) : null;
        const records: SearchRecord[] = [];
        const pages = renderServerPages(model!, view, { onProblem: options.onProblem, search: { add: (record) => records.push(record) } });
        const documents = registryOf.get(server.id);
        if (documents) pages.push(...registryServerPages(documents, slug));
        for (const page of pages) claim(page.path);
        for (const record of records) search?.add(record);
        await writer.write(pages);
        const summary = summariseServer(view, pages.map((page) => page.path), records, documents?.name ?? null);
        await writer.write([{ path: summaryPath(slug), contentType: 'application/json', body: JSON.stringify(summary) }]);
        // Pages the server no longer has (a tool dropped, a shorter tool list).
        if (before) {
          const now = new Set(summary.files);
          await writer.remove(before.files.filter((file) => !now.has(file)));
        }
        summaries.push(summary);
        registry.push(documents ? { name: documents.name, slug } : null);
        rendered++;
      }
      // Pagefind indexes in its own process while the next batches render; waiting when it falls behind keeps the
      // records queued here few.
      if (search && search.backlog > MAX_SEARCH_BACKLOG) await search.drain();
      done += slice.length;
      options.onProgress?.(done, servers.length);
    }

    // The catalogue pages, from the summaries.
    const views: ServerView[] = summaries.map(summaryView);
    const model = catalogueModel(views, { title: options.title, generatedAt: options.generatedAt, baseUrl, explainRule: options.explainRule });
    const htmlPaths = summaries.flatMap((s) => s.files.filter((file) => file.endsWith('.html')));
    const catalogueFiles: string[] = [];
    for (const group of cataloguePageGroups(model, htmlPaths, options.accuracy)) {
      for (const page of group) claim(page.path);
      await writer.write(group);
      catalogueFiles.push(...group.map((page) => page.path));
    }
    catalogueFiles.push(...(await writeRegistryIndex(writer, registry.filter((r): r is RegistryEntry => r !== null), claim)));
    if (search) {
      // Every tool's record went in, in catalogue order, as its server was rendered or its summary read.
      const bundle = await search.finish();
      for (const file of bundle) claim(file.path);
      await writer.write(bundle);
      catalogueFiles.push(...bundle.map((file) => file.path));
    }
    if (incremental) {
      const now = new Set(catalogueFiles);
      await writer.remove(previous.catalogueFiles.filter((file) => !now.has(file)));
      for (const server of gone) {
        const summary = await readSummary(root, server.slug);
        if (summary) await writer.remove(summary.files.filter((file) => !seen.has(file.toLowerCase())));
        if (!seen.has(summaryPath(server.slug).toLowerCase())) await writer.remove([summaryPath(server.slug)]);
      }
    }
    const manifest: Manifest = { format: MANIFEST_FORMAT, key, servers: servers.map(({ server, stamp }) => ({ id: server.id, slug: slugs.get(server.id)!, stamp })), catalogueFiles };
    await writer.write([{ path: MANIFEST, contentType: 'application/json', body: JSON.stringify(manifest) }]);

    if (!incremental) {
      const old = `${root}.old-${suffix}`;
      if (hadOld) await rename(root, old);
      try {
        await rename(target, root);
      } catch (error) {
        if (hadOld) await rename(old, root);
        throw error;
      }
      if (hadOld) await rm(old, { recursive: true, force: true });
    }
    return { outDir: root, mode: incremental ? 'incremental' : 'full', servers: summaries.length, rendered, removed: gone.filter((s) => !slugs.has(s.id)).length, files: writer.files, bytes: writer.bytes };
  } catch (error) {
    await search?.close();
    if (!incremental) await rm(target, { recursive: true, force: true });
    else await rm(resolve(root, MANIFEST), { force: true });
    throw error;
  }
}

async function readSummary(root: string, slug: string): Promise<ServerSummary | null> {
  try {
    return JSON.parse(await readFile(safeTarget(root, summaryPath(slug)), 'utf8')) as ServerSummary;
  } catch {
    return null;
  }
}

/**
 * The registry API's list pages and `names.json` over every server with documents, in name order, each list page
 * made from the servers' `versions/latest.json` as written (read back a page at a time).
 */
async function writeRegistryIndex(writer: Writer, entries: RegistryEntry[], claim: (path: string) => void): Promise<string[]> {
  if (entries.length === 0) return [];
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const count = registryListPageCount(sorted.length);
  const paths: string[] = [];
  for (let n = 1; n <= count; n++) {
    const slice = sorted.slice((n - 1) * STATIC_PAGE_SIZE, n * STATIC_PAGE_SIZE);
    const responses = await Promise.all(slice.map(async (s) => JSON.parse(await readFile(safeTarget(writer.root, `${versionsDir(s.slug)}/latest.json`), 'utf8')) as unknown));
    const page = registryListPage(responses, n, count);
    claim(page.path);
    await writer.write([page]);
    paths.push(page.path);
  }
  const names = registryNamesPage(sorted);
  claim(names.path);
  await writer.write([names]);
  paths.push(names.path);
  return paths;
}

