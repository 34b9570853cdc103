/**
 * Draws the tools a person labels for `eval/labels.jsonl` (procedure: eval/LABELLING.md §6): servers at random from
 * one or more crawl exports, then up to `perServer` tools of each, then a random part of those for a second,
 * independent labelling pass (the two-pass agreement, `npm run eval:agreement`).
 *
 * Usage: `npm run eval:sample -- --servers FILE [--servers FILE…] [--exclude FILE] [--count 200] [--per-server 10]
 *   [--second 200] [--seed 1313] --out DIR`
 * - `--servers`: `servers.jsonl` exports (`mcp-catalogue export`); a server in two is drawn from the first.
 * - `--exclude`: specs (`npm:<name>[@<version>]`, one a line, as `eval/servers.txt`) whose servers must not be
 *   drawn, at any version: the servers the rules were written against.
 * Writes `DIR/to-label.jsonl` (one tool a line: server, tool, hash, split, the server's description and the tool's
 * definition with nothing the classifier said), `DIR/second-pass.jsonl` (the same shape, the second-pass draw) and
 * `DIR/servers.txt` (the drawn specs, for `run --packages-file`). Exit codes: 0 done; 2 usage error or unreadable
 * input.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom, shuffleInPlace, toolHash } from '../records/index.ts';
import type { ToolDefinition } from '../classifier/index.ts';
import type { Split } from './data.ts';

export const DEFAULT_SAMPLE_SEED = 1313;

/** One tool to label, as written to `to-label.jsonl`. */
export interface ToLabel {
  /** `<registry>:<identifier>@<version>` */
  server: string;
  tool: string;
  hash: string;
  split: Split;
  serverDescription: string | null;
  definition: ToolDefinition;
}

interface ExportServer {
  registry: string;
  identifier: string;
  version: string | null;
  description?: string | null;
  tools?: Array<{ name: string; hash?: string; definition: ToolDefinition }>;
}

/** LABELLING.md §4 step 3: the first byte of sha256(`<server>\0<tool>`) even → dev, odd → heldout. */
export function labelSplit(server: string, tool: string): Split {
  const first = createHash('sha256').update(`${server}\u0000${tool}`, 'utf8').digest()[0]!;
  return first % 2 === 0 ? 'dev' : 'heldout';
}

function sortKey(server: string, tool: string): string {
  return createHash('sha256').update(`${server}\u0000${tool}`, 'utf8').digest('hex');
}

/** The `<registry>:<identifier>` of a spec line (`npm:<name>@<version>` → `npm:<name>`). */
export function specIdentity(spec: string): string {
  const at = spec.lastIndexOf('@');
  const colon = spec.indexOf(':');
  return at > colon + 1 ? spec.slice(0, at) : spec;
}

export interface SampleOptions {
  count: number;
  perServer: number;
  second: number;
  seed: number;
  exclude: ReadonlySet<string>;
}

/**
 * Draws `count` servers (with at least one tool, identity not in `exclude`) uniformly with the seeded PRNG, takes
 * each one's `perServer` tools whose sha256(`<server>\0<tool>`) sorts first, then `second` of all drawn tools for the
 * second pass. Servers are ordered by identity before shuffling, so the draw depends only on the seed and the set.
 */
export function drawSample(servers: readonly ExportServer[], options: SampleOptions): { first: ToLabel[]; second: ToLabel[]; specs: string[] } {
  const byIdentity = new Map<string, ExportServer>();
  for (const s of servers) {
    const identity = `${s.registry}:${s.identifier}`;
    if (options.exclude.has(identity) || !s.tools?.length || byIdentity.has(identity)) continue;
    byIdentity.set(identity, s);
  }
  const random = seededRandom(options.seed);
  const drawn = shuffleInPlace([...byIdentity.keys()].sort(), random).slice(0, options.count).sort();
  const first: ToLabel[] = [];
  const specs: string[] = [];
  for (const identity of drawn) {
    const s = byIdentity.get(identity)!;
    const server = `${identity}@${s.version ?? ''}`;
    specs.push(server);
    const tools = [...(s.tools ?? [])].sort((a, b) => (sortKey(server, a.name) < sortKey(server, b.name) ? -1 : 1));
    for (const t of tools.slice(0, options.perServer)) {
      first.push({
        server,
        tool: t.name,
        hash: t.hash ?? toolHash(t.definition),
        split: labelSplit(server, t.name),
        serverDescription: s.description ?? null,
        definition: t.definition,
      });
    }
  }
  const second = shuffleInPlace([...first], random).slice(0, options.second);
  second.sort((a, b) => (a.server === b.server ? (a.tool < b.tool ? -1 : 1) : a.server < b.server ? -1 : 1));
  return { first, second, specs };
}

function readExport(file: string): ExportServer[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ExportServer);
}

function main(): void {
  const usage = 'usage: npm run eval:sample -- --servers FILE [--servers FILE…] [--exclude FILE] [--count N] [--per-server N] [--second N] [--seed N] --out DIR';
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        servers: { type: 'string', multiple: true },
        exclude: { type: 'string' },
        count: { type: 'string', default: '200' },
        'per-server': { type: 'string', default: '10' },
        second: { type: 'string', default: '200' },
        seed: { type: 'string', default: String(DEFAULT_SAMPLE_SEED) },
        out: { type: 'string' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  const numbers = ['count', 'per-server', 'second', 'seed'].map((k) => Number(values[k as 'count']));
  if (!values.servers?.length || !values.out || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  const [count, perServer, second, seed] = numbers as [number, number, number, number];
  let servers: ExportServer[];
  let exclude = new Set<string>();
  try {
    servers = values.servers.flatMap(readExport);
    if (values.exclude) {
      exclude = new Set(readFileSync(values.exclude, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map(specIdentity));
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const sample = drawSample(servers, { count, perServer, second, seed, exclude });
  mkdirSync(values.out, { recursive: true });
  const jsonl = (rows: ToLabel[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(path.join(values.out, 'to-label.jsonl'), jsonl(sample.first));
  writeFileSync(path.join(values.out, 'second-pass.jsonl'), jsonl(sample.second));
  writeFileSync(path.join(values.out, 'servers.txt'), sample.specs.join('\n') + '\n');
  process.stdout.write(`${sample.specs.length} servers, ${sample.first.length} tools (${sample.first.filter((t) => t.split === 'dev').length} dev), second pass ${sample.second.length} → ${values.out}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
