import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderSite } from './render.ts';
import { siteInput } from './test-fixtures.ts';
import type { SitePage } from './types.ts';
import { SiteWriteError } from './errors.ts';
import { SITE_MARKER, safeTarget, writeSite } from './write.ts';

let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'site-write-'));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function pageAt(path: string, body = 'x'): SitePage {
  return { path, contentType: 'text/plain; charset=utf-8', body };
}

async function rejection(promise: Promise<unknown>): Promise<SiteWriteError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SiteWriteError);
  return error as SiteWriteError;
}

describe('writeSite', () => {
  it('writes every page and reports pages and bytes', async () => {
    const pages = renderSite(siteInput());
    const out = join(work, 'out');
    const result = await writeSite(pages, out);
    expect(result.pages).toBe(pages.length);
    expect(result.bytes).toBe(pages.reduce((sum, p) => sum + Buffer.byteLength(p.body), 0));
    for (const p of pages.slice(0, 20)) expect(await readFile(join(out, ...p.path.split('/')), 'utf8')).toBe(p.body);
    expect(existsSync(join(out, SITE_MARKER))).toBe(true);
  });

  it('replaces the previous site and leaves no temporary directories', async () => {
    const out = join(work, 'out');
    await writeSite([pageAt('old/stale.html'), pageAt('index.html', 'v1')], out);
    await writeSite([pageAt('index.html', 'v2')], out);
    expect(existsSync(join(out, 'old'))).toBe(false);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('v2');
    expect((await readdir(work)).sort()).toEqual(['out']);
  });

  it('refuses paths that escape the output directory, before writing anything', async () => {
    const out = join(work, 'out');
    for (const bad of ['../evil.html', '/etc/passwd', 'a/../../evil.html', 'a/./b.html', 'a\\..\\evil.html', '', 'a//b.html', 'a/', '..', 'ok/\u0000.html']) {
      const error = await rejection(writeSite([pageAt('index.html'), pageAt(bad)], out));
      expect(error.code, JSON.stringify(bad)).toBe('SITE_UNSAFE_PATH');
      expect(error.path).toBe(bad);
    }
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(work, 'evil.html'))).toBe(false);
    expect((await readdir(work)).length).toBe(0);
  });

  it('refuses two pages at the same path, also when only the case differs', async () => {
    const error = await rejection(writeSite([pageAt('a.html'), pageAt('A.html')], join(work, 'out')));
    expect(error.code).toBe('SITE_DUPLICATE_PATH');
  });

  it('refuses to replace a non-empty directory it did not write', async () => {
    const out = join(work, 'precious');
    await mkdir(out);
    await writeFile(join(out, 'thesis.tex'), 'years of work');
    const error = await rejection(writeSite([pageAt('index.html')], out));
    expect(error.code).toBe('SITE_OUTDIR_NOT_OURS');
    expect(await readFile(join(out, 'thesis.tex'), 'utf8')).toBe('years of work');
  });

  it('writes into an existing empty directory', async () => {
    const out = join(work, 'empty');
    await mkdir(out);
    await writeSite([pageAt('index.html', 'hi')], out);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('hi');
  });

  it('stops on abort and keeps the old site', async () => {
    const out = join(work, 'out');
    await writeSite([pageAt('index.html', 'old')], out);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(writeSite([pageAt('index.html', 'new')], out, { signal: controller.signal })).rejects.toThrow('stop');
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('old');
    expect((await readdir(work)).sort()).toEqual(['out']);
  });
});

describe('safeTarget', () => {
  it('resolves safe paths inside the root', () => {
    expect(safeTarget('/srv/site', 'servers/a/index.html')).toBe('/srv/site/servers/a/index.html');
    expect(() => safeTarget('/srv/site', '../site-evil/x.html')).toThrow(SiteWriteError);
  });
});
