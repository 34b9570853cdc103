import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCrawl } from './data.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const line = (identifier: string, introspection: unknown) => JSON.stringify({
  registry: 'npm', identifier, version: '1.0.0', description: null, introspection,
  tools: [{ name: 'read_file', definition: { name: 'read_file', inputSchema: { type: 'object' } } }],
});

describe('loadCrawl', () => {
  it('passes the method of a successful introspection as context, and nothing for a failed newest attempt', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'eval-data-'));
    const file = path.join(dir, 'servers.jsonl');
    writeFileSync(file, [
      line('from-source', { outcome: 'ok', method: 'static' }),
      line('failed-later', { outcome: 'failed', method: 'live-stdio' }),
      line('live', { outcome: 'ok', method: 'live-stdio' }),
    ].join('\n'));
    const contexts = Object.fromEntries(loadCrawl(file).map((t) => [t.server, t.context]));
    expect(contexts).toEqual({
      'npm:from-source@1.0.0': { name: 'from-source', introspectionMethod: 'static' },
      'npm:failed-later@1.0.0': { name: 'failed-later' },
      'npm:live@1.0.0': { name: 'live', introspectionMethod: 'live-stdio' },
    });
  });
});
