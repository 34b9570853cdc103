/**
 * `npm run bench:search -- --tools N`: the three static-search candidates (Pagefind, MiniSearch, Orama) on the same
 * generated catalogue, so the site's choice rests on figures.
 * 1. generate: servers from scripts/bench-catalogue.ts (bundled figures, `--seed`, default 1) until N tools (default
 *    150,000); each tool becomes the site's search record (site/search/record.ts: name, title, description cut to
 *    one line, server, category, risk, registry, page path). No store and no site build: only the index is measured.
 * 2. per engine, in a child process of its own under GNU time (wall time and peak RSS, `%M`, are its own):
 *    - pagefind: the site's indexer (site/search/indexer.ts) builds the bundle; its files are written to a temporary
 *      directory, served on loopback, and headless Chromium (playwright-core, /usr/bin/chromium) runs each query in a
 *      fresh browser context (cold cache): time from `pagefind.js` import to the first 10 results' data, and the bytes
 *      the page downloaded for it (response bodies; the server does not compress), then a second query's time. Pagefind's own binary
 *      runs as a grandchild: its peak RSS is read from /proc (VmHWM) while it runs.
 *    - minisearch / orama: the index built in Node, serialised to the one JSON file a static site would ship (raw
 *      and gzip -6 bytes: a browser downloads all of it before its first query), loaded back (JSON.parse + load),
 *      then each query timed (median of 5 runs, in Node's V8, not a browser).
 * Prints one table; exits 1 when a step fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundledFigures, generateCatalogue } from './bench-catalogue.ts';
import { createSearchIndexer, cutSearchRecord, serverSlug, toolSlug, type SearchRecord } from '../site/index.ts';

const ENGINES = ['pagefind', 'minisearch', 'orama'] as const;
type Engine = (typeof ENGINES)[number];

const { values } = parseArgs({
  options: { tools: { type: 'string', default: '150000' }, seed: { type: 'string', default: '1' }, engine: { type: 'string' } },
});
const wanted = Number(values.tools);
const seed = Number(values.seed);
if (!Number.isInteger(wanted) || wanted < 1 || !Number.isInteger(seed) || (values.engine !== undefined && !ENGINES.includes(values.engine as Engine))) {
  console.error('usage: npm run bench:search -- [--tools N] [--seed S]');
  process.exit(2);
}

interface LineTool { name: string; definition: { title?: string; description?: string }; classification: { category: string; risk: string } | null }
interface Line { registry: string; identifier: string; displayName: string; tools: LineTool[] }

/** The first `wanted` tools of the generated catalogue as search records (as `searchRecord` cuts them). */
function records(): SearchRecord[] {
  const out: SearchRecord[] = [];
  for (const text of generateCatalogue(bundledFigures(), Math.ceil(wanted / 5) + 10, seed)) {
    const line = JSON.parse(text) as Line;
    const slug = serverSlug('npm', line.identifier);
    for (const tool of line.tools) {
      if (out.length >= wanted) return out;
      out.push(cutSearchRecord({
        path: `servers/${slug}/tools/${toolSlug(tool.name)}.html`,
        name: tool.name,
        title: tool.definition.title ?? null,
        description: tool.definition.description ?? '',
        server: line.displayName,
        serverPath: `servers/${slug}/index.html`,
        registry: line.registry,
        category: tool.classification?.category ?? 'Unclassified',
        risk: tool.classification?.risk ?? 'Unclassified',
      }));
    }
  }
  return out;
}

/** Queries: a category verb, a noun, two words, an exact tool name, a server's unique identifier part. */
function queries(list: readonly SearchRecord[]): string[] {
  const some = list[Math.floor(list.length * 0.77)]!;
  const server = list[Math.floor(list.length * 0.31)]!.server.split('/').pop()!;
  return ['delete', 'payment', 'browser screenshot', some.name, server];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function dirBytes(dir: string): { files: number; bytes: number; largest: number } {
  let files = 0, bytes = 0, largest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const size = statSync(path.join(entry.parentPath, entry.name)).size;
    files++;
    bytes += size;
    largest = Math.max(largest, size);
  }
  return { files, bytes, largest };
}

/** Peak RSS (VmHWM, KiB) of our child processes named pagefind*, sampled until stopped. */
function watchPagefind(): () => number {
  let peak = 0;
  const sample = () => {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        if (!/^Name:\s*pagefind/m.test(status) || !new RegExp(`^PPid:\\s*${process.pid}$`, 'm').test(status)) continue;
        peak = Math.max(peak, Number(/^VmHWM:\s*(\d+)/m.exec(status)?.[1] ?? 0));
      } catch { /* gone */ }
    }
  };
  const timer = setInterval(sample, 100);
  return () => {
    sample();
    clearInterval(timer);
    return peak;
  };
}

type Result = Record<string, number | string>;
type Pagefind = { search(q: string): Promise<{ results: Array<{ data(): Promise<unknown> }> }> };
type Figure = 'build' | 'binaryPeakMiB' | 'shippedBytes' | 'files' | 'largestFile' | 'queryBytesMin' | 'queryBytesMax' | 'requestsMax' | 'coldMsMedian' | 'coldMsMax' | 'warmMsMedian' | 'gzipBytes' | 'loadMs' | 'queryMsMedian' | 'queryMsMax';

async function benchPagefind(list: SearchRecord[]): Promise<Result> {
  const { launchChromium, serveDirectory } = await import('../test/browser/search-helpers.ts');
  const stop = watchPagefind();
  let started = performance.now();
  const indexer = await createSearchIndexer();
  for (const record of list) {
    indexer.add(record);
    if (indexer.count % 1000 === 0) await indexer.drain();
  }
  const files = await indexer.finish();
  const buildSeconds = (performance.now() - started) / 1000;
  const binaryKiB = stop();
  const root = mkdtempSync(path.join(tmpdir(), 'bench-search-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
    writeFileSync(path.join(root, file.path), file.body);
  }
  writeFileSync(path.join(root, 'bench.html'), '<!doctype html><title>bench</title><p>bench</p>');
  const size = dirBytes(path.join(root, 'pagefind'));
  const fragments = readdirSync(path.join(root, 'pagefind', 'fragment')).length;
  const indexChunks = readdirSync(path.join(root, 'pagefind', 'index')).length;
  const server = await serveDirectory(root);
  const browser = await launchChromium();
  const cold: number[] = [], bytes: number[] = [], requests: number[] = [], warm: number[] = [];
  try {
    for (const q of queries(list)) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}bench.html`);
      let downloaded = 0, fetched = 0;
      page.on('response', (response) => {
        fetched++;
        void response.body().then((body) => (downloaded += body.length), () => undefined);
      });
      const r = await page.evaluate(async (query) => {
        const t0 = performance.now();
        const bundle = '/pagefind/pagefind.js';
        const pf = (await import(bundle)) as Pagefind;
        (globalThis as unknown as { pf: Pagefind }).pf = pf;
        const found = await pf.search(query);
        await Promise.all(found.results.slice(0, 10).map((x) => x.data()));
        return { coldMs: performance.now() - t0, hits: found.results.length };
      }, q);
      await page.waitForTimeout(200);
      const coldBytes = downloaded, coldRequests = fetched;
      const warmMs = await page.evaluate(async (query) => {
        const { pf } = globalThis as unknown as { pf: Pagefind };
        const t1 = performance.now();
        const again = await pf.search(`${query} list`);
        await Promise.all(again.results.slice(0, 10).map((x) => x.data()));
        return performance.now() - t1;
      }, q);
      cold.push(r.coldMs);
      warm.push(warmMs);
      bytes.push(coldBytes);
      requests.push(coldRequests);
      if (r.hits === 0) throw new Error(`pagefind: no result for ${JSON.stringify(q)}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
  started = performance.now();
  return {
    build: buildSeconds,
    binaryPeakMiB: binaryKiB / 1024,
    shippedBytes: size.bytes,
    files: size.files,
    largestFile: size.largest,
    detail: `${indexChunks} index chunks, ${fragments} fragment files`,
    queryBytesMin: Math.min(...bytes),
    queryBytesMax: Math.max(...bytes),
    requestsMax: Math.max(...requests),
    coldMsMedian: median(cold),
    coldMsMax: Math.max(...cold),
    warmMsMedian: median(warm),
  };
}

async function benchJson(engine: 'minisearch' | 'orama', list: SearchRecord[]): Promise<Result> {
  const docs = list.map((r, id) => ({ id: String(id), name: r.name, title: r.title ?? '', description: r.description, server: r.server, category: r.category, risk: r.risk, path: r.path }));
  let started = performance.now();
  let json: string;
  let load: () => (q: string) => number;
  if (engine === 'minisearch') {
    const { default: MiniSearch } = await import('minisearch');
    const options = { fields: ['name', 'title', 'description', 'server', 'category', 'risk'], storeFields: ['name', 'server', 'category', 'risk', 'path'], searchOptions: { boost: { name: 3 }, prefix: true } };
    const index = new MiniSearch(options);
    index.addAll(docs);
    json = JSON.stringify(index);
    load = () => {
      const loaded = MiniSearch.loadJSON(json, options);
      return (q) => loaded.search(q).slice(0, 10).length;
    };
  } else {
    const orama = await import('@orama/orama');
    const schema = { name: 'string', title: 'string', description: 'string', server: 'string', category: 'string', risk: 'string', path: 'string' } as const;
    const db = orama.create({ schema });
    orama.insertMultiple(db, docs, 1000);
    json = JSON.stringify(orama.save(db));
    load = () => {
      const loaded = orama.create({ schema });
      orama.load(loaded, JSON.parse(json) as ReturnType<typeof orama.save>);
      return (q) => (orama.search(loaded, { term: q, limit: 10, boost: { name: 3 } }) as { hits: unknown[] }).hits.length;
    };
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const raw = Buffer.byteLength(json);
  const gz = gzipSync(json, { level: 6 }).length;
  started = performance.now();
  const search = load();
  const loadMs = performance.now() - started;
  const times: number[] = [];
  for (const q of queries(list)) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      if (search(q) === 0) throw new Error(`${engine}: no result for ${JSON.stringify(q)}`);
      runs.push(performance.now() - t);
    }
    times.push(median(runs));
  }
  return { build: buildSeconds, shippedBytes: raw, gzipBytes: gz, files: 1, loadMs, queryMsMedian: median(times), queryMsMax: Math.max(...times) };
}

if (values.engine !== undefined) {
  const list = records();
  const engine = values.engine as Engine;
  const result = engine === 'pagefind' ? await benchPagefind(list) : await benchJson(engine, list);
  console.log(JSON.stringify({ tools: list.length, ...result }));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'bench-search-time-'));
const f = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`input    ${f(wanted)} generated tools (seed ${seed}, bundled figures)`);
console.log(`machine  ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
for (const engine of ENGINES) {
  const timeFile = path.join(work, 'time.txt');
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, tsx, self, '--engine', engine, '--tools', String(wanted), '--seed', String(seed)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) {
    console.error(`${engine} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr.slice(-4000)}`);
    process.exit(1);
  }
  const peak = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024;
  const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
  const x = parsed as unknown as Record<Figure, number>;
  const detail = String(parsed.detail);
  if (engine === 'pagefind') {
    console.log(`pagefind  build ${x.build.toFixed(1)} s (whole step ${seconds.toFixed(1)} s), Node peak RSS ${f(peak)} MiB, pagefind binary peak RSS ${f(x.binaryPeakMiB)} MiB`);
    console.log(`          bundle ${mib(x.shippedBytes)} in ${f(x.files)} files (${detail}; largest ${kib(x.largestFile)})`);
    console.log(`          one query, cold cache: ${kib(x.queryBytesMin)}–${kib(x.queryBytesMax)} downloaded in at most ${x.requestsMax} requests; ${x.coldMsMedian.toFixed(0)} ms median, ${x.coldMsMax.toFixed(0)} ms max (import to 10 results); next query ${x.warmMsMedian.toFixed(0)} ms median`);
  } else {
    console.log(`${engine.padEnd(9)} build ${x.build.toFixed(1)} s (whole step ${seconds.toFixed(1)} s), peak RSS ${f(peak)} MiB`);
    console.log(`          index ${mib(x.shippedBytes)} JSON, ${mib(x.gzipBytes)} gzipped, one file: all of it before the first query; load ${f(x.loadMs)} ms`);
    console.log(`          query ${x.queryMsMedian.toFixed(1)} ms median, ${x.queryMsMax.toFixed(1)} ms max (Node, index loaded)`);
  }
}
rmSync(work, { recursive: true, force: true });
