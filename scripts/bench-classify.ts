/**
 * `npm run bench:classify`: heuristic classification throughput on one core (the main thread, no workers) and the
 * process's peak memory.
 *
 * Usage: `npm run bench:classify -- [--servers FILE] [--tools N]`
 * - `--servers`: a `servers.jsonl` export of real crawled tools; the evaluation input is rebuilt by crawling
 *   `eval/servers.txt` (eval/LABELLING.md, "Reproducing"). Default: `out/export/servers.jsonl` when it exists,
 *   else the classifier's committed test definitions, and the output says which.
 * - `--tools`: how many classifications to time (default 200,000).
 * Prints one `measure  value` line each: input, machine, throughput, time, peak RSS. Exit code 2 on a usage error.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { CLASSIFIER_VERSION } from '../classifier/index.ts';
import { classifyThroughput, loadBenchInput } from './classify-throughput.ts';

const DEFAULT_SERVERS = 'out/export/servers.jsonl';

let values;
try {
  ({ values } = parseArgs({ options: { servers: { type: 'string' }, tools: { type: 'string', default: '200000' } } }));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\nusage: npm run bench:classify -- [--servers FILE] [--tools N]\n`);
  process.exit(2);
}
const target = Number(values.tools);
if (!Number.isInteger(target) || target <= 0) {
  process.stderr.write(`--tools must be a positive integer, not "${values.tools}"\n`);
  process.exit(2);
}
const file = values.servers ?? (existsSync(DEFAULT_SERVERS) ? DEFAULT_SERVERS : undefined);
const input = loadBenchInput(file);
const run = classifyThroughput(input.servers, target);
const rows: Array<[string, string]> = [
  ['classifier', CLASSIFIER_VERSION],
  ['input', input.label],
  ['machine', `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`],
  ['classify (heuristic, 1 core)', `${Math.round(run.toolsPerSecond).toLocaleString('en')} tools/s`],
  ['timed', `${run.tools.toLocaleString('en')} classifications in ${run.seconds.toFixed(2)} s`],
  ['peak memory (max RSS)', `${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
