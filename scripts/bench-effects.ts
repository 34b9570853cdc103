/**
 * `npm run bench:effects`: coverage of the code effects stored in a catalogue database: the share of listed tools
 * whose handler was found, by registry, which is by language (npm: JavaScript and TypeScript, with the handlers found
 * in TypeScript files; pypi: Python), effects by kind, and every "undeclared side effect" (a tool that
 * says it only reads, by `readOnlyHint: true` or a get/list/search/read… name, whose handler writes, deletes, spawns,
 * sends or moves money), one tab-separated line each: server, tool, claim, effect, file:line, call.
 *
 * Usage: `npm run bench:effects -- [--data-dir DIR]` (default `./data`, or DATABASE_URL). Reads the store only; run
 * `mcp-catalogue effects --data-dir DIR` first to analyse versions crawled before code effects were kept.
 */
import { parseArgs } from 'node:util';
import { openStore } from '../db/index.ts';
import { loadConfig } from './config.ts';
import { coverageLines, effectsCoverage } from './effects.ts';

let values;
try {
  ({ values } = parseArgs({ options: { 'data-dir': { type: 'string' } } }));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\nusage: npm run bench:effects -- [--data-dir DIR]\n`);
  process.exit(2);
}
const config = loadConfig({ dataDir: values['data-dir'] });
const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir });
try {
  console.log(coverageLines(effectsCoverage(await store.catalogue())).join('\n'));
} finally {
  await store.close();
}
