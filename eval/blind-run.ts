/**
 * `npm run eval:blind`: the heuristic classifier against servers' own explicit readOnlyHint and destructiveHint,
 * with the annotations hidden from it, over a whole crawl export. Method: eval/BLIND.md.
 *
 * Usage: `npm run eval:blind -- --servers FILE [--ranks FILE] [--wrong-hints FILE] [--top N] [--out FILE] [--json]`
 * - `--servers`: a `servers.jsonl` export (`mcp-catalogue export --out DIR` writes DIR/servers.jsonl). Required.
 * - `--ranks`: npm names ranked by monthly downloads, one a line (default `crawler/seeds/npm-mcp-set.txt`).
 * - `--wrong-hints`: reviewed wrong declarations (default `eval/wrong-hints.jsonl`; absent = none).
 * - `--top`: how many of the ranked names are split by hash (default 600); the rest go to `below600`.
 * - `--out`: write the report there instead of stdout. `--json`: the machine-readable result instead of Markdown.
 * Exit codes: 0 done; 2 usage error or unreadable input.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classifyTool, CLASSIFIER_VERSION } from '../classifier/index.ts';
import { DEFAULT_TOP, evaluateBlind, loadExport, loadRanking, loadWrongHints } from './blind.ts';
import { renderBlindReport } from './blind-report.ts';

const USAGE = 'usage: npm run eval:blind -- --servers FILE [--ranks FILE] [--wrong-hints FILE] [--top N] [--out FILE] [--json]';
const DEFAULT_RANKS = 'crawler/seeds/npm-mcp-set.txt';
const DEFAULT_WRONG = 'eval/wrong-hints.jsonl';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        servers: { type: 'string' },
        ranks: { type: 'string' },
        'wrong-hints': { type: 'string' },
        top: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.servers) fail('--servers is required');
  if (!existsSync(values.servers)) fail(`cannot read ${values.servers}`);
  const top = values.top === undefined ? DEFAULT_TOP : Number(values.top);
  if (!Number.isInteger(top) || top < 0) fail(`--top must be a whole number, not "${values.top}"`);
  const ranks = values.ranks ?? DEFAULT_RANKS;
  if (values.ranks !== undefined && !existsSync(ranks)) fail(`cannot read ${ranks}`);
  const wrongPath = values['wrong-hints'] ?? DEFAULT_WRONG;

  let servers, ranking, wrongHints;
  try {
    servers = loadExport(values.servers);
    ranking = existsSync(ranks) ? loadRanking(ranks) : new Map<string, number>();
    wrongHints = loadWrongHints(wrongPath, values['wrong-hints'] !== undefined);
  } catch (err) {
    fail((err as Error).message);
  }
  if (!existsSync(ranks)) process.stderr.write(`no ranking file ${ranks}: every server is split by hash\n`);

  const result = evaluateBlind(servers, classifyTool, { ranking, wrongHints, top });
  const meta = { classifierVersion: CLASSIFIER_VERSION, servers: values.servers, ranks, wrongHints: wrongPath, wrongHintEntries: wrongHints.length };
  const text = values.json ? `${JSON.stringify({ ...meta, ...result }, null, 2)}\n` : renderBlindReport(result, meta);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}

main();
