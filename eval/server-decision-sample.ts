/**
 * The two samples of the "is it an MCP server" check: a seeded shuffle of the names in `crawler/seeds/npm-mcp-set.txt`
 * (mulberry32, seed `--seed`, default 1414). The first 100 are the check sample (labelled by hand before the rule's
 * decisions are looked at, read once); the next 100 are the tuning sample the rules were written against.
 *
 * Usage: `npx tsx eval/server-decision-sample.ts [--seed N] [--set check|tune]` prints one name a line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { seededRandom, shuffleInPlace } from '../records/index.ts';

export const DEFAULT_SEED = 1414;
export const SAMPLE_SIZE = 100;


/** The names of a ranked names file (comment and blank lines skipped), Fisher–Yates shuffled with `seed`. */
export function shuffledNames(file: string, seed: number): string[] {
  const names = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return shuffleInPlace(names, seededRandom(seed));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, set: { type: 'string' }, file: { type: 'string' } } });
  const names = shuffledNames(values.file ?? 'crawler/seeds/npm-mcp-set.txt', Number(values.seed ?? DEFAULT_SEED));
  const start = values.set === 'tune' ? SAMPLE_SIZE : 0;
  process.stdout.write(`${names.slice(start, start + SAMPLE_SIZE).join('\n')}\n`);
}
