import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FIELDS, classifyJsonl } from './jsonl.ts';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(lines: string[]) {
  const out = sink();
  const err = sink();
  const counts = await classifyJsonl(Readable.from([lines.join('\n')]), out.stream, err.stream);
  const outLines = out.text().split('\n').filter((l) => l !== '');
  const errLines = err.text().split('\n').filter((l) => l !== '');
  return { counts, out: outLines.map((l) => JSON.parse(l) as Record<string, unknown>), errLines };
}

const READ = JSON.stringify({ name: 'read_file', description: 'Read a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } });
const DELETE = JSON.stringify({ name: 'delete_file', description: 'Delete a file.', server: { name: 'filesystem' } });

describe('classifyJsonl', () => {
  it('skips a malformed line in the middle, reports it, and classifies the rest in order', async () => {
    const r = await run([READ, '{"name": "broken", ', DELETE]);
    expect(r.counts).toEqual({ classified: 2, failed: 1 });
    expect(r.out.map((o) => o['name'])).toEqual(['read_file', 'delete_file']);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(/^line 2: invalid JSON/);
  });

  it('writes exactly the output fields, in order', async () => {
    const r = await run([READ]);
    expect(Object.keys(r.out[0] ?? {})).toEqual([...OUTPUT_FIELDS]);
    expect(r.out[0]).toMatchObject({ name: 'read_file', category: 'Read', risk: 'Low', method: 'heuristic' });
  });

  it('reports schema failures by line, ignoring blank lines but counting them', async () => {
    const r = await run([READ, '', '{"name": ""}', '{"description": "no name"}', '[1, 2]', '{"name": "x", "inputSchema": []}', '   ', DELETE]);
    expect(r.counts).toEqual({ classified: 2, failed: 4 });
    expect(r.errLines).toEqual([
      'line 3: name: must be a non-empty string',
      'line 4: name: Required',
      'line 5: (line): Expected object, received array',
      'line 6: inputSchema: Expected object, received array',
    ]);
  });

  it('defaults a missing inputSchema and uses the server context', async () => {
    const r = await run([JSON.stringify({ name: 'place_order', server: { name: 'alpaca-trading' } })]);
    expect(r.out[0]).toMatchObject({ name: 'place_order', category: 'Financial' });
  });

  it('handles HTML in descriptions and null fields', async () => {
    const r = await run([JSON.stringify({ name: 'remove_file', title: null, description: '<p>Deletes a <b>file</b>.</p><script>x()</script>' })]);
    expect(r.counts.failed).toBe(0);
    expect(r.out[0]).toMatchObject({ category: 'Destructive' });
  });

  it('streams a large input', async () => {
    const n = 5_000;
    async function* lines() {
      for (let i = 0; i < n; i++) yield `${JSON.stringify({ name: `get_item_${i}`, description: 'Get an item.' })}\n`;
    }
    const out = sink();
    const err = sink();
    const counts = await classifyJsonl(Readable.from(lines()), out.stream, err.stream);
    expect(counts).toEqual({ classified: n, failed: 0 });
    expect(out.text().split('\n').filter((l) => l !== '')).toHaveLength(n);
  });
});
