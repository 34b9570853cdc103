/**
 * Heuristic classification throughput, shared by `npm run bench` and `npm run bench:classify`.
 */
import { readFileSync } from 'node:fs';
import { classifyTool } from '../classifier/index.ts';
import { CASES } from '../classifier/fixtures.test-data.ts';
import type { ServerContext, ToolDefinition } from '../records/index.ts';

/** One server's tools, with the context the classifier gets. */
export interface BenchServer {
  server: ServerContext;
  tools: ToolDefinition[];
}

/** What a benchmark classifies, and a line saying what that is. */
export interface BenchInput {
  label: string;
  servers: BenchServer[];
}

/**
 * The servers of a `servers.jsonl` export (`mcp-catalogue export`), servers without tools left out; without a file,
 * the classifier's realistic test definitions (`classifier/fixtures.test-data.ts`), committed with the code.
 * @throws Error when the file cannot be read or a line is not JSON.
 */
export function loadBenchInput(serversFile: string | undefined): BenchInput {
  if (serversFile) {
    const servers = readFileSync(serversFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {
      identifier: string; description: string | null; tools?: Array<{ definition: ToolDefinition }>;
    }).map((s) => ({
      server: s.description ? { name: s.identifier, description: s.description } : { name: s.identifier },
      tools: (s.tools ?? []).map((t) => t.definition),
    })).filter((s) => s.tools.length > 0);
    const tools = servers.reduce((n, s) => n + s.tools.length, 0);
    return { label: `${serversFile} (${servers.length} servers, ${tools} crawled tools)`, servers };
  }
  return {
    label: `classifier test definitions, classifier/fixtures.test-data.ts (${CASES.length} tools; no crawl given)`,
    servers: [{ server: { name: 'bench' }, tools: CASES.map((c) => c.tool) }],
  };
}

/**
 * Tools classified per second by `classifyTool` on the calling thread (one core): one warm-up pass over the input,
 * then whole passes until at least `target` tools are classified.
 */
export function classifyThroughput(servers: readonly BenchServer[], target = 200_000): { toolsPerSecond: number; tools: number; seconds: number } {
  const flat = servers.flatMap((s) => s.tools.map((t) => [t, s.server] as const));
  if (flat.length === 0) throw new Error('no tools to classify');
  for (const [t, s] of flat) classifyTool(t, s); // warm-up
  const started = performance.now();
  let done = 0;
  while (done < target) {
    for (const [t, s] of flat) classifyTool(t, s);
    done += flat.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return { toolsPerSecond: done / seconds, tools: done, seconds };
}
