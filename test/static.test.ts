/** Static extraction reads tool registrations from source text; nothing is run. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFromSource, extractToolsStatically } from '../crawler/static.ts';

describe('extractFromSource', () => {
  it('reads McpServer.tool with a description, a zod shape and annotations', () => {
    const tools = extractFromSource(`
      server.tool("read_file", "Reads a file.", { path: z.string().describe("File path"), encoding: z.enum(["utf8", "base64"]).default("utf8") },
        { readOnlyHint: true }, async () => {});`);
    expect(tools).toEqual([
      {
        name: 'read_file',
        description: 'Reads a file.',
        inputSchema: {
          type: 'object',
          properties: { path: { type: 'string', description: 'File path' }, encoding: { type: 'string', enum: ['utf8', 'base64'], default: 'utf8' } },
          required: ['path'],
        },
        annotations: { readOnlyHint: true },
      },
    ]);
  });

  it('reads registerTool configs, FastMCP addTool and tools/list literals with JSON Schema', () => {
    const tools = extractFromSource(`
      import { z } from "zod";
      srv.registerTool("create_issue", { title: "Create issue", description: "Opens an issue.", inputSchema: { title: z.string(), labels: z.array(z.string()).optional() } }, h);
      mcp.addTool({ name: "run_query", description: "Runs " + "SQL.", parameters: z.object({ sql: z.string() }), execute: async () => "" });
      const TOOLS = [{ name: "list_buckets", description: \`Lists buckets.\`, inputSchema: { type: "object", properties: { prefix: { type: "string" } } } }];
    `);
    expect(tools?.map((t) => [t.name, t.description, t.inputSchema])).toEqual([
      ['create_issue', 'Opens an issue.', { type: 'object', properties: { title: { type: 'string' }, labels: { type: 'array', items: { type: 'string' } } }, required: ['title'] }],
      ['run_query', 'Runs SQL.', { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] }],
      ['list_buckets', 'Lists buckets.', { type: 'object', properties: { prefix: { type: 'string' } } }],
    ]);
    expect(tools?.[0]?.title).toBe('Create issue');
  });

  it('leaves out what is not literal and returns null for what does not parse', () => {
    expect(extractFromSource('server.tool(nameFromConfig, "x", {}, h); server.tool("ok", handler);')?.map((t) => t.name)).toEqual(['ok']);
    expect(extractFromSource('interface X { a: string }')).toBeNull();
  });
});

describe('extractToolsStatically', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-static-'));
    mkdirSync(path.join(dir, 'dist'));
    mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
    writeFileSync(path.join(dir, 'dist/a.js'), 'server.tool("alpha", "First.", {}, h); server.tool("beta", "Second.", {}, h);');
    writeFileSync(path.join(dir, 'dist/b.mjs'), 'server.tool("alpha", "Duplicate.", {}, h);');
    writeFileSync(path.join(dir, 'node_modules/dep/index.js'), 'server.tool("from_a_dependency", "No.", {}, h);');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the package's own files only, first definition of a name winning", async () => {
    const result = await extractToolsStatically(dir);
    expect(result.tools.map((t) => [t.name, t.description])).toEqual([['alpha', 'First.'], ['beta', 'Second.']]);
    expect(result.filesRead).toBe(2);
  });
});
