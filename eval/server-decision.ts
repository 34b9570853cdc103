/**
 * Precision and recall of discovery's "is it an MCP server" rules (`crawler/discovery/server-decision.ts`) against the
 * hand labels in `eval/server-decision-labels.jsonl` (one `{name, version, label: "server"|"not-server", reason}` a
 * line; the check sample of `eval/server-decision-sample.ts`, seed 1414). Each labelled version's manifest is read
 * from its packument, on the registry or in a folder of saved packuments, and judged by the rules.
 *
 * Usage: `npm run eval:server-decision -- [--labels FILE] [--registry URL] [--packuments DIR]`
 * - `--registry`: npm registry base URL (default `NPM_REGISTRY_URL` or https://registry.npmjs.org).
 * - `--packuments DIR`: read `<name with / as __>.json` from DIR instead of the registry.
 * Prints the confusion table, precision and recall of each class, and every disagreement. Exit 0; 2 on bad input.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { decideServer } from '../crawler/index.ts';
import { getOwn } from '../records/index.ts';

const labelSchema = z.object({ name: z.string(), version: z.string(), label: z.enum(['server', 'not-server']), reason: z.string() });
export type ServerLabel = z.infer<typeof labelSchema>;

export interface ClassScores { precision: number; recall: number; truePositives: number; predicted: number; actual: number }

/** Precision and recall of `cls` given pairs of (hand label, rule's label). */
export function scores(pairs: ReadonlyArray<{ label: string; predicted: string }>, cls: string): ClassScores {
  const truePositives = pairs.filter((p) => p.label === cls && p.predicted === cls).length;
  const predicted = pairs.filter((p) => p.predicted === cls).length;
  const actual = pairs.filter((p) => p.label === cls).length;
  return { precision: predicted ? truePositives / predicted : 1, recall: actual ? truePositives / actual : 1, truePositives, predicted, actual };
}

async function manifestOf(label: ServerLabel, registry: string, dir: string | undefined): Promise<unknown> {
  let packument: unknown;
  if (dir) packument = JSON.parse(readFileSync(path.join(dir, `${label.name.replace('/', '__')}.json`), 'utf8'));
  else {
    const response = await fetch(`${registry.replace(/\/+$/, '')}/${label.name.replace('/', '%2f')}`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${label.name}: registry answered ${response.status}`);
    packument = await response.json();
  }
  return getOwn(getOwn(packument, 'versions'), label.version);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { labels: { type: 'string' }, registry: { type: 'string' }, packuments: { type: 'string' } } });
  const file = values.labels ?? 'eval/server-decision-labels.jsonl';
  const registry = values.registry ?? process.env.NPM_REGISTRY_URL ?? 'https://registry.npmjs.org';
  const labels = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
    const parsed = labelSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: not a label line`);
    return parsed.data;
  });
  const pairs: Array<ServerLabel & { predicted: string; why: string }> = [];
  for (let i = 0; i < labels.length; i += 8) {
    const batch = labels.slice(i, i + 8);
    const manifests = await Promise.all(batch.map((l) => manifestOf(l, registry, values.packuments)));
    batch.forEach((label, j) => {
      if (manifests[j] === undefined) throw new Error(`${label.name}@${label.version}: not in the packument`);
      const decision = decideServer(manifests[j]);
      pairs.push({ ...label, predicted: decision ? 'not-server' : 'server', why: decision ? `${decision.code}: ${decision.reason}` : 'server' });
    });
  }
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
  const out: string[] = [`${pairs.length} labelled packages (${file})`, '', 'hand \\ rules   server  not-server'];
  for (const cls of ['server', 'not-server']) {
    const row = pairs.filter((p) => p.label === cls);
    out.push(`${cls.padEnd(15)}${String(row.filter((p) => p.predicted === 'server').length).padStart(6)}  ${String(row.filter((p) => p.predicted === 'not-server').length).padStart(10)}`);
  }
  out.push('');
  for (const cls of ['not-server', 'server']) {
    const s = scores(pairs, cls);
    out.push(`${cls.padEnd(11)} precision ${percent(s.precision)} (${s.truePositives}/${s.predicted}), recall ${percent(s.recall)} (${s.truePositives}/${s.actual})`);
  }
  const wrong = pairs.filter((p) => p.label !== p.predicted);
  if (wrong.length) out.push('', 'disagreements:', ...wrong.map((p) => `  ${p.name}@${p.version}: hand ${p.label} (${p.reason}); rules ${p.why}`));
  process.stdout.write(`${out.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  });
}
