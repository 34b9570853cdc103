import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION } from '../classifier/index.ts';
import type { AccuracyFile } from '../eval/accuracy.ts';
import { CATEGORIES, FAILURE_REASONS } from '../records/index.ts';
import { renderSite } from './render.ts';
import { prometheusFailed, siteInput } from './test-fixtures.ts';
import { html, resolveHref, text } from './test-pages.ts';

const committed = JSON.parse(readFileSync(new URL('../eval/accuracy.json', import.meta.url), 'utf8')) as AccuracyFile;

/** A document unlike the committed one, so the page is shown to print what it is given. */
function sample(version: string): AccuracyFile {
  const matrix = (seed: number) =>
    Object.fromEntries(CATEGORIES.map((gold, i) => [gold, Object.fromEntries(CATEGORIES.map((p, j) => [p, seed + i * 10 + j]))])) as AccuracyFile['splits'][number]['matrix'];
  return {
    date: '2031-02-03',
    classifierVersion: version,
    input: '12 labels <script>x</script>',
    splits: [
      { split: 'dev', labelled: 1234, evaluated: 1200, servers: 33, categoryAccuracy: 0.9123, macroF1: 0.8456, riskExact: 0.7, riskWithinOne: 0.95, ece: 0.0421, matrix: matrix(100) },
      { split: 'heldout', labelled: 999, evaluated: 990, servers: 31, categoryAccuracy: 0.8765, macroF1: 0.8, riskExact: 0.6543, riskWithinOne: 0.9, ece: 0.0789, matrix: matrix(500) },
    ],
  };
}

/** The accuracy tables of the methodology page, read back into numbers. */
function tablesOf(pages: ReturnType<typeof renderSite>) {
  const $ = html(pages, 'methodology.html');
  const num = (s: string) => Number(s.replace(/[,%]/g, ''));
  const summary = $('#accuracy-summary tbody tr').map((_, tr) => {
    const cells = $(tr).find('td').map((__, td) => $(td).text()).get();
    return { split: $(tr).attr('data-split'), labelled: num(cells[0] ?? ''), evaluated: num(cells[1] ?? ''), servers: num(cells[2] ?? ''), categoryAccuracy: cells[3], macroF1: cells[4], riskExact: cells[5], riskWithinOne: cells[6], ece: cells[7] };
  }).get();
  const matrices = new Map<string, Record<string, Record<string, number>>>();
  $('table.confusion').each((_, table) => {
    const m: Record<string, Record<string, number>> = {};
    $(table).find('tbody tr').each((__, tr) => {
      const row: Record<string, number> = {};
      $(tr).find('td').each((___, td) => { row[$(td).attr('data-predicted') ?? ''] = num($(td).text()); });
      m[$(tr).attr('data-gold') ?? ''] = row;
    });
    matrices.set($(table).attr('data-split') ?? '', m);
  });
  return { $, summary, matrices };
}

function expectTablesEqual(pages: ReturnType<typeof renderSite>, doc: AccuracyFile): void {
  const { summary, matrices } = tablesOf(pages);
  expect(summary).toEqual(doc.splits.map((s) => ({
    split: s.split,
    labelled: s.labelled,
    evaluated: s.evaluated,
    servers: s.servers,
    categoryAccuracy: `${(s.categoryAccuracy * 100).toFixed(1)}%`,
    macroF1: s.macroF1.toFixed(3),
    riskExact: `${(s.riskExact * 100).toFixed(1)}%`,
    riskWithinOne: `${(s.riskWithinOne * 100).toFixed(1)}%`,
    ece: s.ece.toFixed(3),
  })));
  expect([...matrices.keys()]).toEqual(doc.splits.map((s) => s.split));
  for (const s of doc.splits) expect(matrices.get(s.split)).toEqual(s.matrix);
}

describe('methodology page', () => {
  it('is built, linked from the front page and every page footer, and in the sitemap', () => {
    const pages = renderSite(siteInput());
    const $ = html(pages, 'methodology.html');
    expect(text($('h1').text())).toBe('How the catalogue is made');
    expect($('main a[href="index.html"], footer a[href="methodology.html"]').length).toBeGreaterThan(0);
    expect(html(pages, 'index.html')('main a[href="methodology.html"]').length).toBe(1);
    const server = pages.find((p) => p.path.startsWith('servers/') && p.path.endsWith('/index.html'));
    expect(server?.body).toContain('href="../../methodology.html"');
    expect(pages.find((p) => p.path === 'sitemap.xml')?.body).toContain('<loc>methodology.html</loc>');
  });

  it('shows the committed eval/accuracy.json: date, classifier version, summary and confusion matrices', () => {
    const pages = renderSite(siteInput());
    expectTablesEqual(pages, committed);
    const { $ } = tablesOf(pages);
    expect(text($('#accuracy-source').text())).toContain(`Measured on ${committed.date} with classifier ${committed.classifierVersion}`);
    expect(committed.splits.map((s) => s.split)).toEqual(['dev', 'heldout']);
    // The committed figures are those of the classifier in this tree; a rule change without a new eval shows as stale.
    expect($('#accuracy-stale').length).toBe(committed.classifierVersion === CLASSIFIER_VERSION ? 0 : 1);
  });

  it('prints whatever figures it is given, escaped, and marks figures of another classifier version stale', () => {
    const doc = sample('heuristic-0');
    const pages = renderSite(siteInput({ accuracy: doc }));
    expectTablesEqual(pages, doc);
    const { $ } = tablesOf(pages);
    expect(text($('#accuracy-stale').text())).toContain(`classifier heuristic-0, and this catalogue was classified by ${CLASSIFIER_VERSION}`);
    expect($('script').length).toBe(0);
    expect(text($('#accuracy-source').text())).toContain('12 labels <script>x</script>');

    const current = renderSite(siteInput({ accuracy: sample(CLASSIFIER_VERSION) }));
    expect(html(current, 'methodology.html')('#accuracy-stale').length).toBe(0);
  });

  it('says so when no measurement is given', () => {
    const $ = html(renderSite(siteInput({ accuracy: null })), 'methodology.html');
    expect($('#accuracy-none').length).toBe(1);
    expect($('table.confusion').length).toBe(0);
  });
});

describe('authors page', () => {
  const pages = renderSite(siteInput());
  const $ = html(pages, 'authors.html');

  it('explains every failure reason the crawler records, in its order', () => {
    const rows = $('#failure-reasons tbody tr').map((_, tr) => $(tr).attr('data-reason')).get();
    expect(rows).toEqual([...FAILURE_REASONS]);
    for (const reason of FAILURE_REASONS) {
      const cells = $(`#reason-${reason} td`).map((_, td) => text($(td).text())).get();
      expect(cells).toHaveLength(2);
      expect(cells.every((c) => c.length > 30)).toBe(true);
    }
  });

  it('describes the ladder: placeholders, server.json, HTTP and reading the source', () => {
    const ladder = text($('#ladder').parent().text());
    for (const phrase of ['bin', 'placeholders', 'server.json', 'MCP Registry', 'Streamable HTTP', 'Read the source', 'stderr']) {
      expect(ladder.includes(phrase) || text($('main').text()).includes(phrase)).toBe(true);
    }
  });

  it('a failed server page links its reason to the row on the authors page', () => {
    const failed = prometheusFailed();
    const built = renderSite(siteInput({ entries: [failed], policies: new Map() }));
    const server = built.find((p) => p.path.startsWith('servers/') && p.path.endsWith('/index.html'));
    expect(server).toBeDefined();
    const $server = html(built, server?.path ?? '');
    const href = $server('#failure-help').attr('href') ?? '';
    expect(href).toBe(`../../authors.html#reason-${failed.introspection?.failureReason}`);
    expect(resolveHref(server?.path ?? '', href)).toBe('authors.html');
    expect(html(built, 'authors.html')(`#reason-${failed.introspection?.failureReason}`).length).toBe(1);
  });
});
