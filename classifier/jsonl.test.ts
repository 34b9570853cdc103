import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES, OUTPUT_FIELDS, classifyJsonl } from './jsonl.ts';

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
    expect(r.counts).toEqual({ classified: 2, failed: 1, tooLong: 0 });
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
    expect(r.counts).toEqual({ classified: 2, failed: 4, tooLong: 0 });
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
    expect(counts).toEqual({ classified: n, failed: 0, tooLong: 0 });
    expect(out.text().split('\n').filter((l) => l !== '')).toHaveLength(n);
  });

  it('reports a line over the line limit by its number, skips it without holding it, and classifies the lines after', async () => {
    const long = JSON.stringify({ name: 'huge', description: 'x'.repeat(10_000) });
    // Chunks split anywhere: inside the long line, inside a multi-byte character, between \r and \n.
    const text = [READ, long, DELETE, `${long}é`, JSON.stringify({ name: 'list_é', description: 'Lists things.' })].join('\r\n');
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 777) chunks.push(bytes.subarray(at, at + 777));
    const out = sink();
    const err = sink();
    const counts = await classifyJsonl(Readable.from(chunks), out.stream, err.stream, { maxLineBytes: 4096 });
    expect(counts).toEqual({ classified: 3, failed: 2, tooLong: 2 });
    expect(out.text().trim().split('\n').map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(['read_file', 'delete_file', 'list_é']);
    expect(err.text().trim().split('\n')).toEqual([
      `line 2: ${Buffer.byteLength(long).toLocaleString('en-US')} bytes, over the line limit of 4,096 bytes; skipped`,
      `line 4: ${(Buffer.byteLength(long) + 2).toLocaleString('en-US')} bytes, over the line limit of 4,096 bytes; skipped`,
    ]);
  });

  it('takes a line of exactly the limit, and a last line with no newline', async () => {
    const line = JSON.stringify({ name: 'get_x', description: 'Gets x.' });
    const out = sink();
    const err = sink();
    const counts = await classifyJsonl(Readable.from([`${line}\n${line}`]), out.stream, err.stream, { maxLineBytes: Buffer.byteLength(line) });
    expect(counts).toEqual({ classified: 2, failed: 0, tooLong: 0 });
  });

  it('skips a 64 MiB line under the default 16 MiB limit and classifies the line after it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-jsonl-'));
    try {
      const file = path.join(dir, 'tools.jsonl');
      const write = createWriteStream(file);
      const head = '{"name":"huge","description":"';
      write.write(`${READ}\n${head}`);
      const block = 'y'.repeat(1024 * 1024);
      for (let i = 0; i < 64; i += 1) if (!write.write(block)) await new Promise<void>((resolve) => write.once('drain', () => resolve()));
      write.end(`"}\n${DELETE}\n`);
      await finished(write);
      const out = sink();
      const err = sink();
      const counts = await classifyJsonl(createReadStream(file), out.stream, err.stream);
      expect(counts).toEqual({ classified: 2, failed: 1, tooLong: 1 });
      expect(err.text()).toBe(`line 2: ${(head.length + 64 * 1024 * 1024 + 2).toLocaleString('en-US')} bytes, over the line limit of 16,777,216 bytes; skipped\n`);
      expect(out.text().trim().split('\n').map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(['read_file', 'delete_file']);
      expect(DEFAULT_MAX_LINE_BYTES).toBe(16 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
