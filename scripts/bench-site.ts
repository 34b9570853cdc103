/**
 * `npm run bench:site -- --servers N`: the site build at catalogue scale, on a generated catalogue.
 * 1. generate: N synthetic servers (scripts/bench-catalogue.ts) written as an export's `servers.jsonl`, drawn from
 *    the bundled figures or, with `--from FILE`, from figures counted on that real `servers.jsonl`;
 * 2. import: `mcp-catalogue import` of that file into an empty PGlite data directory;
 * 3. site: `mcp-catalogue site` from that data directory (a full build: the output directory is new);
 * 4. change: 1% of the servers (every 100th, at least one) get a new version whose first tool's description changed,
 *    imported as step 2 does;
 * 5. rebuild: `mcp-catalogue site` again into the same directory: an incremental build (site/build.ts) that renders
 *    only the changed servers and the catalogue pages.
 * Import and site run as child processes of the real command (`bin/mcp-catalogue.js`) under `/usr/bin/time`, so
 * each one's wall time and peak RSS (max resident set size, GNU time's `%M`) are its own. DATABASE_URL is not passed
 * on: the store is a fresh PGlite, unless `--postgres URL` names an empty PostgreSQL database to use instead. Flags:
 * `--servers N` (default 1000), `--seed S` (default 1), `--from FILE`, `--postgres URL`, `--work DIR` (default a new
 * temporary directory), `--keep` (leave the work directory; removed otherwise).
 * Prints one table; exits 1 when a step fails (its output is shown).
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundledFigures, deriveFigures, generateCatalogue } from './bench-catalogue.ts';

const { values } = parseArgs({
  options: { servers: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, from: { type: 'string' }, postgres: { type: 'string' }, work: { type: 'string' }, keep: { type: 'boolean', default: false } },
});
const count = Number(values.servers);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run bench:site -- [--servers N] [--seed S] [--from servers.jsonl] [--postgres URL] [--work DIR] [--keep]');
  process.exit(2);
}

const cli = fileURLToPath(new URL('../bin/mcp-catalogue.js', import.meta.url));
const work = values.work ? path.resolve(values.work) : mkdtempSync(path.join(tmpdir(), 'bench-site-'));
const file = path.join(work, 'servers.jsonl');
const dataDir = path.join(work, 'data');
const outDir = path.join(work, 'site');

/** Runs the CLI under GNU time; returns its stdout, wall seconds and peak RSS in MiB, or exits on failure. */
function step(args: string[]): { stdout: string; seconds: number; peakMiB: number } {
  const timeFile = path.join(work, 'time.txt');
  const env = { ...process.env };
  delete env.DATABASE_URL;
  if (values.postgres) env.DATABASE_URL = values.postgres;
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, cli, ...args, '--data-dir', dataDir], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) {
    console.error(`${args[0]} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr.slice(-4000)}`);
    process.exit(1);
  }
  const kib = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
  return { stdout: r.stdout, seconds, peakMiB: kib / 1024 };
}

const figures = values.from ? deriveFigures([readFileSync(values.from, 'utf8')], path.basename(values.from)) : bundledFigures();

let started = performance.now();
const sink = createWriteStream(file);
let servers = 0, tools = 0;
for (const line of generateCatalogue(figures, count, seed)) {
  servers++;
  tools += (JSON.parse(line) as { tools: unknown[] }).tools.length;
  if (!sink.write(`${line}\n`)) await once(sink, 'drain');
}
sink.end();
await once(sink, 'finish');
const generateSeconds = (performance.now() - started) / 1000;
const inputMiB = readFileSync(file).length / 1024 / 1024;

const imported = step(['import', file]);
started = performance.now();
const site = step(['site', '--out', outDir]);
const built = /\((\d+) files, ([\d.]+) MiB, (\d+) servers\)/.exec(site.stdout);

// 1% of the servers change: a new version whose first tool says something new.
const changedFile = path.join(work, 'changed.jsonl');
const changedLines: string[] = [];
readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
  if (line === '' || index % 100 !== 0) return;
  const server = JSON.parse(line) as { version: string | null; tools: Array<{ definition: { description?: string } }> };
  server.version = `${server.version ?? '0.0.0'}-next`;
  const first = server.tools[0];
  if (first) first.definition.description = `${first.definition.description ?? ''} Changed in the next version.`;
  changedLines.push(JSON.stringify(server));
});
writeFileSync(changedFile, `${changedLines.join('\n')}\n`);
step(['import', changedFile]);
const rebuilt = step(['site', '--out', outDir]);
const rebuiltMode = /^build:\s+(.*)$/m.exec(rebuilt.stdout)?.[1] ?? '';

const f = (n: number) => n.toLocaleString('en-US');
const rows: Array<[string, string]> = [
  ['input', `${f(servers)} generated servers, ${f(tools)} tools (seed ${seed}; figures: ${values.from ? `counted on ${path.basename(values.from)}` : 'bundled'}), servers.jsonl ${inputMiB.toFixed(1)} MiB; store ${values.postgres ? 'PostgreSQL' : 'PGlite'}`],
  ['machine', `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`],
  ['generate', `${generateSeconds.toFixed(1)} s`],
  [`import (${values.postgres ? 'PostgreSQL' : 'PGlite'})`, `${imported.seconds.toFixed(1)} s, peak RSS ${Math.round(imported.peakMiB)} MiB: ${imported.stdout.trim().split('\n').find((l) => l.startsWith('imported:'))?.replace(/^imported:\s*/, '') ?? ''}`],
  ['site build', `${site.seconds.toFixed(1)} s, peak RSS ${Math.round(site.peakMiB)} MiB`],
  ['pages written', built ? `${f(Number(built[1]))} files, ${built[2]} MiB, ${f(Number(built[3]))} servers` : site.stdout.trim()],
  ['rebuild, 1% changed', `${rebuilt.seconds.toFixed(1)} s, peak RSS ${Math.round(rebuilt.peakMiB)} MiB: ${f(changedLines.length)} servers with a new version; ${rebuiltMode}`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
if (values.keep) console.log(`${'work'.padEnd(width)}  ${work}`);
else rmSync(work, { recursive: true, force: true });
