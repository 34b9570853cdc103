/** `methodology.html` and `authors.html`: how the catalogue is made, and how a server's author gets listed. @internal */
import { CLASSIFIER_VERSION } from '../classifier/index.ts';
import type { AccuracyFile } from '../eval/accuracy.ts';
import committedAccuracy from '../eval/accuracy.json' with { type: 'json' };
import { CATEGORIES, FAILURE_REASONS, RISKS } from '../records/index.ts';
import { FAILURE_HELP } from './about.ts';
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import type { SiteModel } from './model.ts';
import { AUTHORS_PATH, categoryPagePath, METHODOLOGY_PATH, riskPagePath } from './paths.ts';
import type { SitePage } from './types.ts';

/** The accuracy figures committed with the code (`eval/accuracy.json`, written by `npm run eval -- --write-accuracy`). */
export const COMMITTED_ACCURACY = committedAccuracy as AccuracyFile;

const CATEGORY_TEXT: Record<(typeof CATEGORIES)[number], string> = {
  Read: 'returns data and changes nothing anyone else can see.',
  Write: 'creates or changes data, in a way that can be undone or overwritten again.',
  Execute: 'runs something whose effect depends on its arguments: code, shell commands, queries, builds, deployments, jobs.',
  Destructive: 'deletes what is stored, or does something that cannot be undone.',
  Financial: 'moves money, or creates or changes a record of money owed or paid.',
};

const RISK_TEXT: Record<(typeof RISKS)[number], string> = {
  Low: 'reads public or harmless data, or changes only the agent\'s own scratch state.',
  Medium: 'reads private data (mail, files, records) or makes a change that can be undone.',
  High: 'reaches other people or shared systems, reads secrets, or runs a fixed job; Destructive and Financial tools never rate lower.',
  Critical: 'runs arbitrary code, shell or SQL, deletes for good, or moves money.',
};

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** What the methodology template shows of `accuracy`, or null; `stale` when its classifier is not `currentVersion`. */
export function accuracyView(accuracy: AccuracyFile | null, currentVersion: string) {
  if (accuracy === null) return null;
  return {
    date: accuracy.date,
    classifierVersion: accuracy.classifierVersion,
    currentVersion,
    stale: accuracy.classifierVersion !== currentVersion,
    input: accuracy.input,
    splits: accuracy.splits.map((s) => ({
      split: s.split,
      labelled: s.labelled.toLocaleString('en-US'),
      evaluated: s.evaluated.toLocaleString('en-US'),
      servers: s.servers.toLocaleString('en-US'),
      categoryAccuracy: percent(s.categoryAccuracy),
      macroF1: s.macroF1.toFixed(3),
      riskExact: percent(s.riskExact),
      riskWithinOne: percent(s.riskWithinOne),
      ece: s.ece.toFixed(3),
      rows: CATEGORIES.map((gold) => ({
        gold,
        cells: CATEGORIES.map((predicted) => ({ predicted, count: (s.matrix[gold]?.[predicted] ?? 0).toLocaleString('en-US'), diagonal: gold === predicted })),
      })),
    })),
  };
}

/**
 * The two pages. `accuracy`: the figures to show (null: none published); `currentVersion`: the classifier this
 * catalogue runs, default {@link CLASSIFIER_VERSION}.
 */
export function renderAbout(model: SiteModel, accuracy: AccuracyFile | null, currentVersion: string = CLASSIFIER_VERSION): SitePage[] {
  const methodology = renderTemplate('@methodology', {
    ...layoutData(model, METHODOLOGY_PATH, 'How the catalogue is made', 'How MCP servers are crawled in a sandbox, how each tool is classified, and the classifier\'s measured accuracy with its confusion matrix.'),
    authorsPath: AUTHORS_PATH,
    categories: CATEGORIES.map((label) => ({ label, path: categoryPagePath(label), text: CATEGORY_TEXT[label] })),
    risks: RISKS.map((label) => ({ label, path: riskPagePath(label), text: RISK_TEXT[label] })),
    categoryLabels: CATEGORIES,
    accuracy: accuracyView(accuracy, currentVersion),
  });
  const authors = renderTemplate('@authors', {
    ...layoutData(model, AUTHORS_PATH, 'Getting your server\'s tools listed', 'What the crawler tries to list an MCP server\'s tools, each failure reason, and what a server\'s author can change.'),
    methodologyPath: METHODOLOGY_PATH,
    reasons: FAILURE_REASONS.map((id) => ({ id, words: id.replace(/_/g, ' '), ...FAILURE_HELP[id] })),
  });
  return [
    { path: METHODOLOGY_PATH, contentType: HTML, body: methodology },
    { path: AUTHORS_PATH, contentType: HTML, body: authors },
  ];
}
