/**
 * `npm run bench`: throughput figures, printed as a table.
 * - classify: heuristic tools classified per second on one core (the main thread, no workers);
 * - site: pages rendered per second (in memory; writing is the file system's speed, not ours);
 * - introspect: servers started in the sandbox and listed per minute (the notes fixture server, no network);
 * - peak memory: the process's maximum resident set size.
 * Input: `--servers FILE` takes a `servers.jsonl` from `mcp-catalogue export` (real crawled tools); without it the
 * classifier's realistic test definitions are used. `--introspections N` (default 20, 0 to skip).
 */
import { cpus } from 'node:os';

import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import { classifyTool, CLASSIFIER_VERSION } from '../classifier/index.ts';
import { recommendPolicy } from '../policy/index.ts';
import { toolHash, type CatalogueEntry } from '../records/index.ts';
import { introspectLive, nodeRuntime, PACKAGE_MOUNT } from '../crawler/index.ts';
import { renderSite } from '../site/index.ts';
import { classifyThroughput, loadBenchInput } from './classify-throughput.ts';
import type { BenchServer } from './classify-throughput.ts';

const { values } = parseArgs({ options: { servers: { type: 'string' }, introspections: { type: 'string', default: '20' } } });

function siteBench(servers: BenchServer[]): { pagesPerSecond: number; pages: number } {
  const now = new Date();
  let id = 0;
  const entries: CatalogueEntry[] = [];
  const policies = new Map();
  for (let copy = 0; copy < Math.max(1, Math.ceil(2000 / servers.reduce((n, s) => n + s.tools.length, 0))); copy += 1) {
    for (const s of servers) {
      id += 1;
      const classified = s.tools.map((tool) => ({ tool, classification: classifyTool(tool, s.server) }));
      entries.push({
        server: { id, registry: 'npm', identifier: `${s.server.name}-${copy}`, displayName: s.server.name, description: s.server.description ?? null, repositoryUrl: null, createdAt: now, updatedAt: now },
        version: { id, serverId: id, version: '1.0.0', publishedAt: null, firstSeenAt: now },
        introspection: null,
        tools: classified.map(({ tool, classification }, i) => ({
          tool: { id: id * 10_000 + i, serverVersionId: id, name: tool.name, hash: toolHash(tool), definition: tool },
          classification: { ...classification, toolHash: toolHash(tool), createdAt: now, classifierVersion: CLASSIFIER_VERSION },
        })),
      });
      policies.set(id, recommendPolicy(classified));
    }
  }
  const started = performance.now();
  const pages = renderSite({ entries, policies, explainRule: () => 'rule', generatedAt: now });
  return { pagesPerSecond: pages.length / ((performance.now() - started) / 1000), pages: pages.length };
}

async function introspectBench(count: number): Promise<number> {
  const root = fileURLToPath(new URL('../test/fixtures/servers/notes-server', import.meta.url));
  const queue = new PQueue({ concurrency: 4 });
  const started = performance.now();
  let ok = 0;
  await Promise.all(Array.from({ length: count }, () => queue.add(async () => {
    const r = await introspectLive({ packageRoot: root, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/server.js`] });
    if (r.outcome === 'ok') ok += 1;
  })));
  if (ok !== count) throw new Error(`only ${ok} of ${count} introspections succeeded`);
  return count / ((performance.now() - started) / 60_000);
}

const input = loadBenchInput(values.servers);
const rows: Array<[string, string]> = [];
rows.push(['input', input.label]);
rows.push(['machine', `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`]);
rows.push(['classify (heuristic, 1 core)', `${Math.round(classifyThroughput(input.servers).toolsPerSecond).toLocaleString('en')} tools/s`]);
const site = siteBench(input.servers);
rows.push(['site render', `${Math.round(site.pagesPerSecond).toLocaleString('en')} pages/s (${site.pages} pages)`]);
const n = Number(values.introspections);
if (n > 0) rows.push(['introspect (sandbox, concurrency 4)', `${(await introspectBench(n)).toFixed(0)} servers/min (${n} runs of the notes fixture)`]);
rows.push(['peak memory (max RSS)', `${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`]);
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

