/**
 * `npm run bench:introspect`: how many real npm MCP servers the crawl lists, why the rest fail, how long it takes, and
 * how `@modelcontextprotocol/inspector`'s CLI does on the same installed packages in the same sandbox.
 *
 * For each server of `--servers` (default `crawler/seeds/bench-servers.txt`):
 * - **cold**: {@link crawlNpmPackage} (resolve, install, entry point, runtime, the strategy ladder, static extraction)
 *   with an empty package cache and an empty npm cache, both under a fresh work directory;
 * - **warm**: the same again over the filled caches;
 * - **inspector**: right after the warm attempt, the inspector CLI started the way its README gives
 *   (`mcp-inspector --cli <command> --method tools/list`), with the bare start's command (same install root, entry
 *   file and Node build), inside the same sandbox profile, limits and wall-clock timeout. The inspector is installed
 *   once beforehand like any package (`--ignore-scripts`), run on the Node its `engines.node` asks for, and
 *   mounted read-only.
 *
 * Output: one JSON line per server at `--out` (default `/tmp/mcp-catalogue-bench/introspect-<time>.jsonl`) and a
 * Markdown report on stdout. Progress goes to stderr. Options: `--servers FILE`, `--limit N`, `--concurrency N`
 * (default 4), `--timeout-ms MS` (default 30000, per sandboxed session), `--out FILE`, `--work-dir DIR` (default a
 * fresh directory under /tmp; it must be readable by the sandbox's unprivileged uid), `--inspector-version V`;
 * `--report FILE` prints the report of an earlier results file and runs nothing.
 */
import { mkdir, mkdtemp, chmod, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import PQueue from 'p-queue';
import { ByteTail, checkSandbox, chooseNodeRuntime, crawlNpmPackage, fetchPackument, HttpClient, installNpmPackage, killSandboxed, parsePackagesFile, resolveVersion, spawnSandboxed, type CrawlOptions, type LaunchTarget, type PackageResult, type RuntimeChoice, type SandboxSpec } from '../crawler/index.ts';
import type { PackageSpec } from '../records/index.ts';
import { openStore } from '../db/index.ts';

const DEFAULT_SERVERS = fileURLToPath(new URL('../crawler/seeds/bench-servers.txt', import.meta.url));
const INSPECTOR = '@modelcontextprotocol/inspector';
/** The inspector's `mcp-inspector` bin, relative to its package directory. */
const INSPECTOR_BIN = 'clients/launcher/build/index.js';
const INSPECTOR_MOUNT = '/opt/inspector';
const INSPECTOR_NODE_MOUNT = '/opt/inspector-node';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: DEFAULT_SERVERS },
    limit: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'timeout-ms': { type: 'string', default: '30000' },
    out: { type: 'string' },
    'work-dir': { type: 'string' },
    'inspector-version': { type: 'string', default: 'latest' },
    'npm-registry-url': { type: 'string', default: process.env.NPM_REGISTRY_URL ?? 'https://registry.npmjs.org' },
    report: { type: 'string' },
  },
});

function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} ${raw}: expected a positive integer`);
  return n;
}

const limit = positiveInteger('limit', values.limit);
const concurrency = positiveInteger('concurrency', values.concurrency)!;
const timeoutMs = positiveInteger('timeout-ms', values['timeout-ms'])!;
const registryUrl = values['npm-registry-url']!;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outFile = path.resolve(values.out ?? `/tmp/mcp-catalogue-bench/introspect-${stamp}.jsonl`);

/** One inspector CLI run. `ok` when it exited 0 and printed a result with a `tools` array. */
interface InspectorRun {
  ok: boolean;
  toolCount: number;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Why it failed, in a few words; null when it listed. */
  failure: string | null;
  stderrTail: string;
}

/** The lines of the results file: one per server. */
interface ServerLine {
  spec: string;
  name: string;
  version: string | null;
  cold: Omit<PackageResult, 'launch'>;
  warm: Omit<PackageResult, 'launch'> | null;
  launch: LaunchTarget | null;
  inspector: InspectorRun | null;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function installInspector(http: HttpClient, cacheDir: string): Promise<{ dir: string; runtime: RuntimeChoice; version: string }> {
  const packument = await fetchPackument(http, registryUrl, INSPECTOR);
  const resolved = resolveVersion(packument, values['inspector-version']!);
  const installed = await installNpmPackage(INSPECTOR, resolved.version, { cacheDir, registryUrl });
  const manifest = JSON.parse(await readFile(path.join(installed.packageDir, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const runtime = await chooseNodeRuntime(manifest.engines?.node, { http, registryUrl, cacheDir });
  return { dir: installed.root, runtime, version: resolved.version };
}

/** Runs the inspector CLI against `launch` inside the sandbox with the same limits and timeout as the crawl. */
function runInspector(launch: LaunchTarget, inspector: { dir: string; runtime: RuntimeChoice }): Promise<InspectorRun> {
  const packageDir = `${INSPECTOR_MOUNT}/node_modules/${INSPECTOR}`;
  const node = inspector.runtime.runtimeDir ? `${INSPECTOR_NODE_MOUNT}/bin/node` : inspector.runtime.executable;
  const mounts = [{ source: inspector.dir, target: INSPECTOR_MOUNT }];
  if (inspector.runtime.runtimeDir) mounts.push({ source: inspector.runtime.runtimeDir, target: INSPECTOR_NODE_MOUNT });
  const spec: SandboxSpec = {
    packageRoot: launch.packageRoot,
    runtimeDir: launch.runtimeDir,
    mounts,
    command: [node, `${packageDir}/${INSPECTOR_BIN}`, '--cli', ...launch.command, '--method', 'tools/list'],
  };
  const started = performance.now();
  const child = spawnSandboxed(spec);
  const stderr = new ByteTail(4096);
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  let timedOut = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdoutBytes <= 32 * 1024 * 1024) stdout.push(chunk);
    else killSandboxed(child);
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end();
  const timer = setTimeout(() => {
    timedOut = true;
    killSandboxed(child);
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const durationMs = Math.round(performance.now() - started);
      let tools: unknown[] | null = null;
      try {
        const parsed = JSON.parse(Buffer.concat(stdout).toString('utf8')) as { tools?: unknown };
        if (Array.isArray(parsed.tools)) tools = parsed.tools;
      } catch {
        // not a result: reported below
      }
      const ok = code === 0 && tools !== null;
      const failure = ok ? null : timedOut ? 'timed out' : code === 0 ? 'exit 0 without a tools/list result' : signal ? `killed by ${signal}` : `exit ${code}`;
      resolve({ ok, toolCount: tools?.length ?? 0, durationMs, exitCode: code, signal, timedOut, failure, stderrTail: stderr.text() });
    });
  });
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const seconds = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
/** A ratio as `0.76×`, or `n/a` when there was nothing to compare. */
const times = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a');
const percent = (n: number, of: number) => `${n} (${of ? ((100 * n) / of).toFixed(1) : '0'}%)`;
const isLive = (r: Pick<PackageResult, 'outcome' | 'method'>) => r.outcome === 'ok' && r.method !== 'static';

function timesLine(results: Array<Pick<PackageResult, 'durationMs'>>): string {
  const sorted = results.map((r) => r.durationMs).sort((a, b) => a - b);
  return `${seconds(quantile(sorted, 0.5))} / ${seconds(quantile(sorted, 0.9))}`;
}

function reasons(results: Array<Pick<PackageResult, 'outcome' | 'method' | 'failureReason'>>, which: 'none' | 'live'): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const counted = which === 'none' ? r.outcome === 'failed' : !isLive(r);
    if (counted) counts.set(r.failureReason ?? '(no reason)', (counts.get(r.failureReason ?? '(no reason)') ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

function methods(results: Array<Omit<PackageResult, 'launch'>>): string {
  const counts = new Map<string, number>();
  for (const r of results) if (isLive(r)) counts.set(r.method, (counts.get(r.method) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
}

function report(lines: ServerLine[], context: string[]): string {
  const cold = lines.map((l) => l.cold);
  const warm = lines.flatMap((l) => (l.warm ? [l.warm] : []));
  const n = lines.length;
  const inspected = lines.filter((l) => l.inspector !== null);
  const inspectorOk = inspected.filter((l) => l.inspector!.ok);
  const both = lines.filter((l) => l.warm && isLive(l.warm) && l.inspector?.ok);
  const ratios = (pick: (l: ServerLine) => number, over: ServerLine[]) => over.map((l) => pick(l) / l.inspector!.durationMs).sort((a, b) => a - b);
  const warmMs = (l: ServerLine) => l.warm!.durationMs;
  const ladderMs = (l: ServerLine) => l.warm!.durationMs - l.warm!.timings.resolveMs - l.warm!.timings.installMs;
  const withInspector = inspected.filter((l) => l.warm);
  const sum = (over: ServerLine[], pick: (l: ServerLine) => number) => over.reduce((s, l) => s + pick(l), 0);
  const missing = (rs: Array<Omit<PackageResult, 'launch'>>) => {
    const failedOnes = rs.filter((r) => !isLive(r));
    return `${failedOnes.filter((r) => !r.failureReason).length} without a reason, ${failedOnes.filter((r) => !r.stderrTail.trim()).length} without a stderr tail (of ${failedOnes.length})`;
  };
  const row = (measure: string, c: string, w: string) => `| ${measure} | ${c} | ${w} |`;
  const table = [
    '| measure | cold | warm |',
    '|---|---|---|',
    row('servers', String(n), String(warm.length)),
    row('listed live', percent(cold.filter(isLive).length, n), percent(warm.filter(isLive).length, warm.length)),
    row('listed live, by method', methods(cold), methods(warm)),
    row('listed from source (static extraction)', percent(cold.filter((r) => r.method === 'static').length, n), percent(warm.filter((r) => r.method === 'static').length, warm.length)),
    row('static extraction coverage: listed from source, of those not listed live', `${cold.filter((r) => r.method === 'static').length} of ${cold.filter((r) => !isLive(r)).length}`, `${warm.filter((r) => r.method === 'static').length} of ${warm.filter((r) => !isLive(r)).length}`),
    row('a tool list by some method', percent(cold.filter((r) => r.outcome === 'ok').length, n), percent(warm.filter((r) => r.outcome === 'ok').length, warm.length)),
    row('no tool list, by reason', reasons(cold, 'none'), reasons(warm, 'none')),
    row('live start failed, by reason', reasons(cold, 'live'), reasons(warm, 'live')),
    row('failures missing a reason or stderr tail', missing(cold), missing(warm)),
    row('seconds per server, median / p90', timesLine(cold), timesLine(warm)),
  ];
  const inspectorMs = inspected.map((l) => l.inspector!.durationMs).sort((a, b) => a - b);
  const inspectorFailures = new Map<string, number>();
  for (const l of inspected) if (!l.inspector!.ok) inspectorFailures.set(l.inspector!.failure!, (inspectorFailures.get(l.inspector!.failure!) ?? 0) + 1);
  const comparison = [
    '| measure | value |',
    '|---|---|',
    `| inspector CLI runs (servers with an entry point) | ${inspected.length} |`,
    `| inspector listed tools | ${percent(inspectorOk.length, n)} of all servers |`,
    `| inspector failures | ${[...inspectorFailures].sort((a, b) => b[1] - a[1]).map(([k, c]) => `${k} ${c}`).join(', ') || 'none'} |`,
    `| inspector seconds per server, median / p90 | ${seconds(quantile(inspectorMs, 0.5))} / ${seconds(quantile(inspectorMs, 0.9))} |`,
    `| listed by us (warm, live) but not by the inspector | ${lines.filter((l) => l.warm && isLive(l.warm) && l.inspector && !l.inspector.ok).length} |`,
    `| listed by the inspector but not by us (warm, live) | ${lines.filter((l) => l.warm && !isLive(l.warm) && l.inspector?.ok).length} |`,
    `| ours (warm, whole pipeline) / inspector, median per server, both listed (${both.length}) | ${times(quantile(ratios(warmMs, both), 0.5))} |`,
    `| ours (warm, ladder only) / inspector, median per server, both listed | ${times(quantile(ratios(ladderMs, both), 0.5))} |`,
    `| ours (warm, whole pipeline) / inspector, median per server, all run (${withInspector.length}) | ${times(quantile(ratios(warmMs, withInspector), 0.5))} |`,
    `| ours (warm, whole pipeline) / inspector, total time, all run | ${times(sum(withInspector, warmMs) / sum(withInspector, (l) => l.inspector!.durationMs))} |`,
  ];
  return [...context.map((c) => `- ${c}`), '', ...table, '', ...comparison, ''].join('\n');
}

async function main(): Promise<void> {
  if (values.report) {
    const lines = (await readFile(values.report, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ServerLine);
    process.stdout.write(report(lines, [`results: ${values.report} (${lines.length} servers), report only`]));
    return;
  }
  const { specs: all, errors } = parsePackagesFile(await readFile(values.servers!, 'utf8'));
  if (errors.length > 0) throw new Error(`${values.servers}: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  const specs: PackageSpec[] = all.slice(0, limit ?? all.length);
  const workDir = values['work-dir'] ? path.resolve(values['work-dir']) : await mkdtemp('/tmp/mcp-catalogue-bench-');
  await mkdir(workDir, { recursive: true });
  await chmod(workDir, 0o755);
  const cacheDir = path.join(workDir, 'cache');
  const toolsDir = path.join(workDir, 'tools');
  await mkdir(cacheDir, { recursive: true, mode: 0o755 });
  // Cold means cold: npm's own download cache starts empty too (install.ts passes npm_config_cache through).
  process.env.npm_config_cache = path.join(workDir, 'npm-cache');
  checkSandbox('bwrap', cacheDir);
  await mkdir(path.dirname(outFile), { recursive: true });

  const http = new HttpClient();
  const store = await openStore({ dataDir: path.join(workDir, 'pglite') });
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  try {
    log(`installing ${INSPECTOR}@${values['inspector-version']} into ${toolsDir}`);
    const inspector = await installInspector(http, toolsDir);
    log(`inspector ${inspector.version} on Node ${inspector.runtime.version}; ${specs.length} servers, concurrency ${concurrency}, ${timeoutMs} ms per session; work dir ${workDir}`);
    const options: CrawlOptions = { store, http, npmRegistryUrl: registryUrl, cacheDir, concurrency, introspect: { timeoutMs } };
    const lines = new Map<string, ServerLine>();
    const strip = ({ launch: _launch, ...rest }: PackageResult) => rest;
    const progress = (pass: string, done: number, r: PackageResult) =>
      log(`[${pass} ${done}/${specs.length}] ${r.name} ${isLive(r) ? `${r.toolCount} tools (${r.method})` : r.method === 'static' ? `${r.toolCount} tools (static; ${r.failureReason})` : r.failureReason} ${seconds(r.durationMs)}`);

    const coldRun = await store.startCrawlRun();
    const coldStarted = performance.now();
    let done = 0;
    const coldQueue = new PQueue({ concurrency });
    await Promise.all(specs.map((spec) => coldQueue.add(async () => {
      const r = await crawlNpmPackage(spec, coldRun.id, options);
      lines.set(r.spec, { spec: r.spec, name: r.name, version: r.version, cold: strip(r), warm: null, launch: r.launch, inspector: null });
      progress('cold', ++done, r);
    })));
    const coldMs = performance.now() - coldStarted;
    await store.finishCrawlRun(coldRun.id, { bench: 'cold', specs: specs.length });

    const warmRun = await store.startCrawlRun();
    const warmStarted = performance.now();
    done = 0;
    const warmQueue = new PQueue({ concurrency });
    await Promise.all(specs.map((spec) => warmQueue.add(async () => {
      const r = await crawlNpmPackage(spec, warmRun.id, options);
      const line = lines.get(r.spec)!;
      line.warm = strip(r);
      line.launch = r.launch ?? line.launch;
      progress('warm', ++done, r);
      if (line.launch) {
        line.inspector = await runInspector(line.launch, inspector);
        log(`[inspector] ${r.name} ${line.inspector.ok ? `${line.inspector.toolCount} tools` : line.inspector.failure} ${seconds(line.inspector.durationMs)}`);
      }
    })));
    const warmMs = performance.now() - warmStarted;
    await store.finishCrawlRun(warmRun.id, { bench: 'warm', specs: specs.length });

    const ordered = specs.map((s) => [...lines.values()].find((l) => l.name === s.name)!).filter(Boolean);
    await writeFile(outFile, ordered.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const context = [
      `date: ${new Date().toISOString().slice(0, 10)}; list: ${path.relative(process.cwd(), path.resolve(values.servers!))} (${specs.length} servers)`,
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`,
      `settings: concurrency ${concurrency}, ${timeoutMs} ms per sandboxed session; inspector ${INSPECTOR}@${inspector.version} on Node ${inspector.runtime.version}, run after each warm attempt`,
      `wall clock: cold pass ${seconds(coldMs)}, warm pass with inspector runs ${seconds(warmMs)}, whole benchmark ${seconds(performance.now() - started)}`,
      `results: ${outFile}`,
    ];
    process.stdout.write(report(ordered, context));
  } finally {
    await store.close();
    await http.close();
  }
}

await main();
