import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyTool } from '../classifier/index.ts';
import type { ToolDefinition } from '../classifier/index.ts';
import { assignSplit, evaluateBlind, hashHalf, loadExport, loadRanking, loadWrongHints, withoutAnnotations } from './blind.ts';
import type { Classify, WrongHint } from './blind.ts';
import { renderBlindReport } from './blind-report.ts';
import { expectedCalibrationError, TEN_BUCKET_EDGES } from './calibration.ts';
import { underClassified } from './under.ts';

const dir = mkdtempSync(join(tmpdir(), 'blind-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Hints = { readOnlyHint?: boolean; destructiveHint?: boolean };
const tool = (name: string, description: string, annotations?: Hints): ToolDefinition => ({
  name,
  description,
  inputSchema: { type: 'object', properties: {} },
  ...(annotations ? { annotations } : {}),
});

// Expected classifier verdicts (without annotations) are in the comments; the expected agreement follows from them.
const SERVERS = [
  {
    registry: 'npm', identifier: 'alpha-files', displayName: 'Alpha files', version: '1.0.0', description: 'Files on disk',
    introspection: { outcome: 'ok', method: 'live-stdio' },
    tools: [
      tool('list_files', 'List the files in a directory.', { readOnlyHint: true }), // Read: agrees
      tool('read_file', 'Read the contents of a file.', { readOnlyHint: true }), // Read: agrees
      tool('get_status', 'Get the status of the service.', { readOnlyHint: true }), // Read: agrees
      tool('search_files', 'Search files by keyword.', { readOnlyHint: true }), // Read: agrees
      tool('delete_file', 'Delete a file from disk.', { readOnlyHint: false, destructiveHint: true }), // Destructive: agrees, agrees
      tool('write_file', 'Write content to a file, creating it if needed.', { readOnlyHint: false, destructiveHint: false }), // Write: agrees, agrees
    ],
  },
  {
    registry: 'npm', identifier: 'beta-records', displayName: 'Beta', version: '2.0.0', description: null, introspection: null,
    tools: [
      tool('delete_record', 'Delete a record by id.', { readOnlyHint: true, destructiveHint: true }), // Destructive: disagrees; reviewed wrong; not in destructive population
      tool('fetch_page', 'Fetch a web page and return its text.', { readOnlyHint: true }), // Read: agrees
    ],
  },
  {
    registry: 'pypi', identifier: 'gamma-weather', displayName: 'Gamma', version: '0.1', description: null, introspection: null,
    tools: [
      tool('get_weather', 'Get the weather forecast for a city.', { readOnlyHint: false, destructiveHint: true }), // Read: disagrees twice; under-classified
      tool('remove_item', 'Remove an item from the list permanently.', { destructiveHint: true }), // Destructive: agrees (destructive only)
    ],
  },
  {
    registry: 'npm', identifier: 'delta-plain', displayName: 'Delta', version: '3.0.0', description: null, introspection: null,
    tools: [tool('create_issue', 'Create a new issue.')], // no hint: not in any population
  },
];
const serversFile = join(dir, 'servers.jsonl');
// Export lines carry each tool as {name, hash, definition, classification}; the classification is ignored.
const exportLine = (s: (typeof SERVERS)[number]) =>
  JSON.stringify({ ...s, tools: s.tools.map((t) => ({ name: t.name, hash: 'sha256:0', definition: t, classification: { category: 'Financial' } })) });
writeFileSync(serversFile, `${SERVERS.map(exportLine).join('\n')}\n`);
const WRONG: WrongHint[] = [
  { server: 'npm:beta-records', tool: 'delete_record', hint: 'readOnlyHint', declared: true, reason: 'it deletes a record' },
  { server: 'npm:nowhere', tool: 'x', hint: 'readOnlyHint', declared: false, reason: 'not in the export' },
];
const wrongFile = join(dir, 'wrong-hints.jsonl');
writeFileSync(wrongFile, `${WRONG.map((w) => JSON.stringify(w)).join('\n')}\n`);
writeFileSync(join(dir, 'ranks.txt'), '# a ranking\ntop-one\ntop-two\t123\n\nlow-three\ntop-one\n');

describe('blind evaluation over an export', () => {
  const servers = loadExport(serversFile);
  const result = evaluateBlind(servers, classifyTool, { wrongHints: WRONG });
  const all = result.splits.all;

  it('reads the server context the pipeline classifies with', () => {
    expect(servers.map((s) => s.identity)).toEqual(['npm:alpha-files', 'npm:beta-records', 'pypi:gamma-weather', 'npm:delta-plain']);
    expect(servers[0]!.context).toEqual({ name: 'Alpha files', description: 'Files on disk', introspectionMethod: 'live-stdio' });
    expect(result.input).toMatchObject({ servers: 4, tools: 11 });
  });

  it('scores readOnlyHint per tool and as a mean over servers', () => {
    const f = all.hints.readOnlyHint.asDeclared;
    expect(f).toMatchObject({ tools: 9, agree: 7, servers: 3, trueHints: { total: 6, agree: 5 }, falseHints: { total: 3, agree: 2 } });
    expect(f.rate).toBeCloseTo(7 / 9, 10);
    // alpha 6/6, beta 1/2, gamma 0/1: the six-tool server does not outweigh the others.
    expect(f.perServerMean).toBeCloseTo((1 + 0.5 + 0) / 3, 10);
    expect(all.hints.readOnlyHint.confusion.true).toEqual({ Read: 5, Write: 0, Execute: 0, Destructive: 1, Financial: 0 });
    expect(all.hints.readOnlyHint.confusion.false).toEqual({ Read: 1, Write: 1, Execute: 0, Destructive: 1, Financial: 0 });
  });

  it('scores destructiveHint only where readOnlyHint is not true', () => {
    const f = all.hints.destructiveHint.asDeclared;
    expect(f).toMatchObject({ tools: 4, agree: 3, servers: 2, trueHints: { total: 3, agree: 2 }, falseHints: { total: 1, agree: 1 } });
    expect(f.perServerMean).toBeCloseTo((1 + 0.5) / 2, 10);
    expect(all.hints.destructiveHint.disagreements.map((d) => d.tool)).toEqual(['get_weather']);
  });

  it('lists every disagreement sorted by server, with the verdict and the description', () => {
    const d = all.hints.readOnlyHint.disagreements;
    expect(d.map((x) => [x.server, x.tool, x.declared, x.verdict.category])).toEqual([
      ['npm:beta-records', 'delete_record', true, 'Destructive'],
      ['pypi:gamma-weather', 'get_weather', false, 'Read'],
    ]);
    expect(d[0]!.verdict.ruleIds.length).toBeGreaterThan(0);
    expect(d[0]!.description).toBe('Delete a record by id.');
  });

  it('keeps reviewed wrong hints in the headline and leaves them out of the secondary figure', () => {
    const ro = all.hints.readOnlyHint;
    expect(ro.reviewedWrong.map((c) => [c.tool, c.wrong?.reason])).toEqual([['delete_record', 'it deletes a record']]);
    expect(ro.asDeclared.tools).toBe(9);
    expect(ro.excludingWrong).toMatchObject({ tools: 8, agree: 7 });
    expect(ro.excludingWrong.perServerMean).toBeCloseTo((1 + 1 + 0) / 3, 10);
    expect(result.unmatchedWrongHints.map((w) => w.server)).toEqual(['npm:nowhere']);
  });

  it('finds a tool declared destructive that the classifier calls Read', () => {
    expect(all.under.map((u) => [u.ref.server, u.ref.tool, u.gold, u.predicted, u.kind])).toEqual([
      ['pypi:gamma-weather', 'get_weather', 'Destructive', 'Read', 'read'],
    ]);
  });

  it('computes the calibration error over ten buckets with agreement as correctness', () => {
    const cal = all.hints.readOnlyHint.calibration;
    expect(cal.buckets).toHaveLength(10);
    expect(cal.buckets.reduce((n, b) => n + b.n, 0)).toBe(9);
    expect(cal.ece).toBeCloseTo(expectedCalibrationError(cal.buckets), 12);
  });

  it('never shows the classifier the annotations', () => {
    const seen: ToolDefinition[] = [];
    const spy: Classify = (t, s) => {
      seen.push(t);
      return classifyTool(t, s);
    };
    evaluateBlind(servers, spy);
    expect(seen).toHaveLength(10);
    expect(seen.every((t) => t.annotations === undefined)).toBe(true);
    expect(withoutAnnotations({ name: 'x', inputSchema: {}, annotations: { title: 'Remove everything', readOnlyHint: true } })).toEqual({ name: 'x', inputSchema: {}, title: 'Remove everything' });
    expect(withoutAnnotations({ name: 'x', title: 'Own', inputSchema: {}, annotations: { title: 'Other' } })).toEqual({ name: 'x', title: 'Own', inputSchema: {} });
  });

  it('renders every disagreement and the under-classified tool in the Markdown report', () => {
    const md = renderBlindReport(result, { classifierVersion: 'v', servers: serversFile, ranks: 'none', wrongHints: wrongFile, wrongHintEntries: 2 });
    expect(md).toContain('| pypi:gamma-weather | get_weather | false |');
    expect(md).toContain('it deletes a record');
    expect(md).toContain('## Wrong-hint entries that match nothing in this export');
    expect(md.trim().split('\n').slice(-4).map((l) => l.split(':')[0])).toEqual(['- tuning', '- held', '- below600', '- all']);
  });
});

describe('splits', () => {
  it('halves by the first byte of sha256("<registry>:<identifier>"), even → tuning', () => {
    // First bytes from `printf %s 'npm:…' | sha256sum`.
    expect(hashHalf('npm:@playwright/mcp')).toBe('tuning'); // 0x90
    expect(hashHalf('npm:chrome-devtools-mcp')).toBe('held'); // 0x9d
    expect(hashHalf('npm:alpha-files')).toBe('tuning'); // 0x3e
    expect(hashHalf('npm:beta-records')).toBe('held'); // 0x51
    expect(hashHalf('npm:chrome-devtools-mcp')).toBe(hashHalf('npm:chrome-devtools-mcp'));
  });

  it('sends npm packages ranked at or past `top` to below600 whatever their hash, and splits the rest by hash', () => {
    const ranking = loadRanking(join(dir, 'ranks.txt'));
    expect([...ranking]).toEqual([['top-one', 0], ['top-two', 1], ['low-three', 2]]);
    const npm = (identifier: string) => ({ registry: 'npm', identifier, identity: `npm:${identifier}` });
    expect(assignSplit(npm('low-three'), ranking, 2)).toBe('below600');
    expect(assignSplit(npm('top-two'), ranking, 2)).toBe(hashHalf('npm:top-two'));
    expect(assignSplit(npm('top-two'), ranking, 1)).toBe('below600');
    expect(assignSplit(npm('unranked'), ranking, 2)).toBe(hashHalf('npm:unranked'));
    // A PyPI package of the same name as a ranked npm one is not ranked.
    expect(assignSplit({ registry: 'pypi', identifier: 'low-three', identity: 'pypi:low-three' }, ranking, 2)).toBe(hashHalf('pypi:low-three'));
  });
});

describe('under-classification', () => {
  it('flags a dangerous label that comes out Read, and a Financial one that comes out Write or Execute', () => {
    const cases = underClassified([
      { gold: 'Destructive', predicted: 'Read', ref: 1 },
      { gold: 'Execute', predicted: 'Read', ref: 2 },
      { gold: 'Financial', predicted: 'Read', ref: 3 },
      { gold: 'Financial', predicted: 'Write', ref: 4 },
      { gold: 'Financial', predicted: 'Execute', ref: 5 },
      { gold: 'Financial', predicted: 'Destructive', ref: 6 },
      { gold: 'Destructive', predicted: 'Write', ref: 7 },
      { gold: 'Write', predicted: 'Read', ref: 8 },
      { gold: 'Execute', predicted: 'Execute', ref: 9 },
    ]);
    expect(cases.map((c) => [c.ref, c.kind])).toEqual([[1, 'read'], [2, 'read'], [3, 'read'], [4, 'financial'], [5, 'financial']]);
  });
});

describe('calibration error', () => {
  it('weighs each bucket gap by its share of items', () => {
    expect(TEN_BUCKET_EDGES).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    const b = (n: number, accuracy: number, meanConfidence: number) => ({ lo: 0, hi: 0, n, correct: 0, accuracy, meanConfidence });
    expect(expectedCalibrationError([b(3, 1, 0.9), b(1, 0, 0.5), b(0, 0, 0)])).toBeCloseTo(0.75 * 0.1 + 0.25 * 0.5, 12);
    expect(expectedCalibrationError([])).toBe(0);
  });
});

describe('wrong-hints file', () => {
  it('reads valid lines, treats an absent default file as empty, and names the bad line', () => {
    expect(loadWrongHints(wrongFile)).toEqual(WRONG);
    expect(loadWrongHints(join(dir, 'absent.jsonl'))).toEqual([]);
    expect(() => loadWrongHints(join(dir, 'absent.jsonl'), true)).toThrow();
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify(WRONG[0])}\n{"server":"npm:x","tool":"y","hint":"idempotentHint","declared":true,"reason":"r"}\n`);
    expect(() => loadWrongHints(bad)).toThrow(/bad\.jsonl:2: hint/);
  });
});

describe('npm run eval:blind', () => {
  it('writes the JSON result to --out and exits 0', () => {
    const out = join(dir, 'report.json');
    execFileSync(process.execPath, ['--import', 'tsx', join(dirname(fileURLToPath(import.meta.url)), 'blind-run.ts'), '--servers', serversFile, '--wrong-hints', wrongFile, '--ranks', join(dir, 'ranks.txt'), '--out', out, '--json'], { stdio: 'pipe', cwd: dirname(fileURLToPath(import.meta.url)) });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { splits: { all: { hints: { readOnlyHint: { asDeclared: { agree: number; tools: number } } } } } };
    expect(json.splits.all.hints.readOnlyHint.asDeclared).toMatchObject({ agree: 7, tools: 9 });
  }, 30_000);
});

describe('under-classification in npm run eval', () => {
  it('lists a labelled Destructive tool that the classifier calls Read', async () => {
    const { scoreAll } = await import('./evaluate.ts');
    const { underSection } = await import('./report.ts');
    const crawled = (name: string, description: string) => ({
      server: 'npm:x@1', context: { name: 'x' }, name, hash: 'sha256:0', definition: tool(name, description),
    });
    const label = (t: string, category: 'Destructive' | 'Read') => ({ server: 'npm:x@1', tool: t, hash: 'sha256:0', category, risk: 'High' as const, split: 'dev' as const });
    const scored = scoreAll([
      { label: label('get_weather', 'Destructive'), tool: crawled('get_weather', 'Get the weather forecast for a city.') },
      { label: label('delete_file', 'Destructive'), tool: crawled('delete_file', 'Delete a file from disk.') },
      { label: label('list_files', 'Read'), tool: crawled('list_files', 'List the files in a directory.') },
    ], classifyTool);
    const cases = underClassified(scored.map((s) => ({ gold: s.label.category, predicted: s.result.category, ref: s })));
    expect(cases.map((c) => c.ref.label.tool)).toEqual(['get_weather']);
    const text = underSection([{ split: 'dev', cases }, { split: 'heldout', cases: [] }], 'markdown');
    expect(text).toContain('dev 1, heldout 0');
    expect(text).toContain('| dev | x | get_weather | Destructive / High | Read / Low |');
  });
});
