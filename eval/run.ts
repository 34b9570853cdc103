/**
 * `npm run eval`: the heuristic classifier against the hand-labelled set (eval/labels.jsonl, rubric in
 * eval/LABELLING.md), per split, plus agreement with every crawled tool's explicit `readOnlyHint`.
 *
 * Usage: `npm run eval -- [--servers FILE] [--labels FILE] [--split dev|heldout|all] [--markdown] [--write-accuracy FILE]`
 * - `--servers`: a `servers.jsonl` export (default `out/export/servers.jsonl`, written by `mcp-catalogue run`);
 *   labels are matched on server identifier + version + tool name, and the definition hash is checked. A missing
 *   tool or a different hash is reported and left out, never fatal.
 * - `--split`: which split's detailed tables to print (default: dev and heldout). The summary always has dev,
 *   heldout and both together.
 * - `--markdown`: Markdown tables instead of plain text.
 * - `--write-accuracy FILE`: also write the dev and heldout figures as JSON (eval/accuracy.ts; `eval/accuracy.json`
 *   is the copy the site's methodology page shows).
 * Exit codes: 0 done; 2 usage error or unreadable input.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { classifyTool, CLASSIFIER_VERSION } from '../classifier/index.ts';
import { accuracyFile } from './accuracy.ts';
import { joinLabels, loadCrawl, loadLabels } from './data.ts';
import type { Label, Unmatched } from './data.ts';
import { evaluateHints, evaluateSplit, scoreAll } from './evaluate.ts';
import type { Scored, SplitReport } from './evaluate.ts';
import { hintSection, splitSection, summaryTable, underSection } from './report.ts';
import type { Format } from './report.ts';
import { underClassified } from './under.ts';

const USAGE = 'usage: npm run eval -- [--servers FILE] [--labels FILE] [--split dev|heldout|all] [--markdown] [--write-accuracy FILE]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        servers: { type: 'string', default: 'out/export/servers.jsonl' },
        labels: { type: 'string', default: 'eval/labels.jsonl' },
        split: { type: 'string' },
        markdown: { type: 'boolean', default: false },
        'write-accuracy': { type: 'string' },
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
  const split = values.split;
  if (split !== undefined && !['dev', 'heldout', 'all'].includes(split)) fail(`--split must be dev, heldout or all, not "${split}"`);
  if (!existsSync(values.servers)) fail(`cannot read ${values.servers} (\`mcp-catalogue run\` writes out/export/servers.jsonl; or pass --servers FILE)`);
  if (!existsSync(values.labels)) fail(`cannot read ${values.labels}`);

  let labels: Label[];
  let crawl;
  try {
    labels = loadLabels(values.labels);
    crawl = loadCrawl(values.servers);
  } catch (err) {
    fail((err as Error).message);
  }
  const format: Format = values.markdown ? 'markdown' : 'text';

  const { joined, unmatched } = joinLabels(labels, crawl);
  const scored = scoreAll(joined, classifyTool);
  const report = (name: string, keep: (l: Label) => boolean): SplitReport =>
    evaluateSplit(
      name,
      labels.filter(keep),
      scored.filter((s: Scored) => keep(s.label)),
      unmatched.filter((u: Unmatched) => keep(u.label)),
    );
  const reports = {
    dev: report('dev', (l) => l.split === 'dev'),
    heldout: report('heldout', (l) => l.split === 'heldout'),
    all: report('all', () => true),
  };
  const hints = evaluateHints(crawl, classifyTool);
  const under = (['dev', 'heldout'] as const).map((name) => ({
    split: name,
    cases: underClassified(scored.filter((s) => s.label.split === name).map((s) => ({ gold: s.label.category, predicted: s.result.category, ref: s }))),
  }));

  const shown = split === undefined ? [reports.dev, reports.heldout] : [reports[split as keyof typeof reports]];
  const head = `Classifier ${CLASSIFIER_VERSION} against ${labels.length} labels (${values.labels}) and ${crawl.length} crawled tools (${values.servers}).`;
  const out = [
    head,
    summaryTable([reports.dev, reports.heldout, reports.all], hints, format),
    underSection(under, format),
    ...shown.map((r) => splitSection(r, format)),
    hintSection(hints, format),
  ];
  process.stdout.write(`${out.join('\n\n')}\n`);
  const target = values['write-accuracy'];
  if (target !== undefined) {
    const input = `${labels.length} hand-labelled tools (${values.labels}) against ${crawl.length} crawled tools of ${new Set(crawl.map((t) => t.server)).size} servers (a ${basename(values.servers)} export)`;
    const doc = accuracyFile([reports.dev, reports.heldout], { date: new Date(), classifierVersion: CLASSIFIER_VERSION, input });
    writeFileSync(target, `${JSON.stringify(doc, null, 2)}\n`);
    process.stderr.write(`wrote ${target}\n`);
  }
}

main();
