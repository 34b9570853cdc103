/**
 * The bench's generated catalogue: the same seed gives the same lines, a different seed different ones; every line
 * passes the import's schema and imports into an empty store with nothing skipped; the figures counted back on the
 * generated lines add up to what was generated.
 */
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openStore } from '../db/index.ts';
import { exportedServerSchema, importJsonl } from '../site/index.ts';
import { bundledFigures, deriveFigures, generateCatalogue } from '../scripts/bench-catalogue.ts';

describe('bench:site catalogue generator', () => {
  const figures = bundledFigures();

  it('is deterministic for a seed', () => {
    const a = [...generateCatalogue(figures, 12, 7)];
    const b = [...generateCatalogue(figures, 12, 7)];
    const c = [...generateCatalogue(figures, 12, 8)];
    expect(a).toHaveLength(12);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('writes lines in the export shape that import stores whole', async () => {
    const lines = [...generateCatalogue(figures, 12, 3)];
    let tools = 0;
    for (const line of lines) {
      const parsed = exportedServerSchema.safeParse(JSON.parse(line));
      expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
      if (parsed.success) tools += parsed.data.tools.length;
    }
    expect(tools).toBeGreaterThan(0);
    const counted = deriveFigures([lines.join('\n')], 'generated');
    expect(counted.servers).toBe(12);
    expect(counted.tools).toBe(tools);
    const store = await openStore({ dataDir: 'memory://' });
    try {
      let errors = '';
      const sink = new Writable({ write(chunk, _enc, done) { errors += String(chunk); done(); } });
      const summary = await importJsonl(store, Readable.from([`${lines.join('\n')}\n`]), sink);
      expect(errors).toBe('');
      expect(summary).toMatchObject({ servers: 12, skipped: 0, tools });
    } finally {
      await store.close();
    }
  }, 60_000);
});
