/** Static extraction reads tool registrations from source text; nothing is run. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFromSource, extractToolsStatically } from '../crawler/static/extract.ts';

/** Writes `files` (path → text) under `dir`, creating folders. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

const names = (tools: Array<{ name: string }> | null | undefined) => tools?.map((t) => t.name);

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

  it('keeps tools and parameters whose names are Object.prototype members, as JavaScript would define them', () => {
    const tools = extractFromSource(`
      import { z } from "zod";
      const base = { ["__proto__"]: z.string().describe("Path of the file"), constructor: z.number() };
      server.tool("__proto__", "Deletes a file.", { ...base, toString: z.string() }, h);
      server.tool("constructor", "Lists files.", { ["__proto__"]: z.string(), __proto__: z.boolean() }, h);
      const TOOLS = [{ name: "hasOwnProperty", description: "Reads a file.", inputSchema: { type: "object", properties: { ["__proto__"]: { type: "string" }, valueOf: { type: "number" } } } }];
    `);
    expect(names(tools)).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    const [proto, ctor, own] = tools!;
    const properties = (t: typeof proto) => t!.inputSchema.properties as Record<string, unknown>;
    expect(Object.keys(properties(proto))).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(properties(proto))).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(properties(proto), '__proto__')?.value).toEqual({ type: 'string', description: 'Path of the file' });
    expect(proto!.inputSchema.required).toEqual(['__proto__', 'constructor', 'toString']);
    // A bare \`__proto__: value\` in an object literal sets the prototype in JavaScript: it declares no parameter.
    expect(Object.keys(properties(ctor))).toEqual(['__proto__']);
    expect(properties(ctor)['__proto__']).toEqual({ type: 'string' });
    expect(JSON.parse(JSON.stringify(own!.inputSchema))).toEqual(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"valueOf":{"type":"number"}}}'));
  });

  it('leaves out what is not literal and returns null for what does not parse', () => {
    expect(names(extractFromSource('server.tool(nameFromConfig, "x", {}, h); server.tool("ok", handler);'))).toEqual(['ok']);
    expect(extractFromSource('interface X { a: string }')).toBeNull();
  });
});

describe('values held in constants', () => {
  it('follows names, descriptions and shapes through const bindings, members, template literals and spreads', () => {
    const tools = extractFromSource(`
      const PRODUCT = "Shelf";
      const NAMES = { list: "shelf_list", get: "shelf_get" };
      const common = { shelf: z.string().describe(\`The \${PRODUCT} id\`) };
      const listShape = { ...common, limit: z.number().int().optional() };
      server.tool(NAMES.list, \`Lists \${PRODUCT} items.\`, listShape, async () => {});
      server.tool(NAMES["get"], ["Gets", "one", "item."].join(" "), common, async () => {});
    `);
    expect(tools).toEqual([
      {
        name: 'shelf_list',
        description: 'Lists Shelf items.',
        inputSchema: { type: 'object', properties: { shelf: { type: 'string', description: 'The Shelf id' }, limit: { type: 'number' } }, required: ['shelf'] },
      },
      { name: 'shelf_get', description: 'Gets one item.', inputSchema: { type: 'object', properties: { shelf: { type: 'string', description: 'The Shelf id' } }, required: ['shelf'] } },
    ]);
  });

  it('reads a config object held in a const, zod objects by .shape, chains on a named schema, and zodToJsonSchema', () => {
    const tools = extractFromSource(`
      const Base = z.object({ id: z.string() });
      const Query = Base.extend({ q: z.string().describe("Search text") });
      const def = { name: "find_items", title: "Find", description: "Finds items.", inputSchema: Query.shape, annotations: { readOnlyHint: true } };
      server.registerTool(def.name, def, handler);
      const Freeze = Object.freeze({ name: "frozen_tool", description: "Frozen.", inputSchema: zodToJsonSchema(Base.partial()) });
      server.registerTool(Freeze.name, Freeze, handler);
    `);
    expect(tools?.find((t) => t.name === 'find_items')).toEqual({
      name: 'find_items',
      title: 'Find',
      description: 'Finds items.',
      inputSchema: { type: 'object', properties: { id: { type: 'string' }, q: { type: 'string', description: 'Search text' } }, required: ['id', 'q'] },
      annotations: { readOnlyHint: true },
    });
    expect(tools?.find((t) => t.name === 'frozen_tool')?.inputSchema).toEqual({ type: 'object', properties: { id: { type: 'string' } } });
  });

  it('ends on cyclic bindings and does not follow parameters, shadowed names or reassigned variables', () => {
    const started = Date.now();
    const tools = extractFromSource(`
      const a = b; const b = a;
      server.tool(a, "Cycle.", {}, h);
      const s = t + "x"; const t = s + "y";
      server.tool(s, "Cycle through concatenation.", {}, h);
      const o = { self: o, name: o.self.name };
      server.tool(o.name, "Self reference.", {}, h);
      const tool = "outer_name";
      function register(server, tool) { server.tool(tool, "Shadowed.", {}, h); }
      let changing = "first_name";
      changing = "second_name";
      server.tool(changing, "Reassigned.", {}, h);
      var twice = "one"; var twice = "two";
      server.tool(twice, "Declared twice.", {}, h);
    `);
    expect(tools).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('follows this.name in methods and class fields, and a tool object that registers itself', () => {
    const tools = extractFromSource(`
      const searchTool = {
        name: "search_docs",
        description: "Searches the docs.",
        install(server, { name, description }) {
          server.tool(name, description, { query: z.string() }, async () => ({ content: [] }));
        },
      };
      class Weather {
        name = "get_weather";
        register(server) { server.registerTool(this.name, { description: "Weather now.", inputSchema: { city: z.string() } }, h); }
      }
    `);
    expect(tools?.map((t) => [t.name, t.description, t.inputSchema])).toEqual([
      ['search_docs', 'Searches the docs.', { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] }],
      ['get_weather', 'Weather now.', { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }],
    ]);
  });
});

describe('other registration forms', () => {
  it('reads a registration helper called with literal arguments', () => {
    const tools = extractFromSource(`
      function defineTool(server, toolName, config, handler) {
        const wrapped = async (args) => handler(args);
        server.registerTool(toolName, config, wrapped);
      }
      defineTool(server, "archive_item", { title: "Archive", description: "Archives an item.", inputSchema: { id: z.string() } }, h);
      function auditTool(name, title) {
        return { name, register(server) { server.registerTool(name, { title, description: title + " (audit)", inputSchema: {} }, h); } };
      }
      const tools = [auditTool("audit_speed", "Speed audit")];
    `);
    expect(tools?.map((t) => [t.name, t.title, t.description])).toEqual([
      ['archive_item', 'Archive', 'Archives an item.'],
      ['audit_speed', 'Speed audit', 'Speed audit (audit)'],
    ]);
  });

  it('reads definitions with a zod schema and a handler, OpenAI function definitions and maps keyed by tool name', () => {
    const tools = extractFromSource(`
      const pingSchema = z.object({ host: z.string() });
      export const pingTool = { name: "ping_host", description: "Pings a host.", schema: pingSchema, handler: async () => "" };
      export const fileTool = { type: "function", function: { name: "read_notes", description: "Reads notes.", parameters: { type: "object", properties: { file: { type: "string" } }, required: ["file"] } } };
      const Definitions = {
        list_pets: { description: "Lists pets.", parameters: z.object({ species: z.enum(["cat", "dog"]).optional() }), annotations: { title: "List pets", readOnlyHint: true } },
        adopt_pet: { description: "Adopts a pet.", inputSchema: { type: "object", properties: { id: { type: "number" } } } },
      };
    `);
    expect(tools?.map((t) => [t.name, t.description, t.inputSchema])).toEqual([
      ['ping_host', 'Pings a host.', { type: 'object', properties: { host: { type: 'string' } }, required: ['host'] }],
      ['read_notes', 'Reads notes.', { type: 'object', properties: { file: { type: 'string' } }, required: ['file'] }],
      ['list_pets', 'Lists pets.', { type: 'object', properties: { species: { type: 'string', enum: ['cat', 'dog'] } } }],
      ['adopt_pet', 'Adopts a pet.', { type: 'object', properties: { id: { type: 'number' } } }],
    ]);
    expect(tools?.find((t) => t.name === 'list_pets')?.annotations).toEqual({ title: 'List pets', readOnlyHint: true });
  });

  it('does not take look-alikes for tools', () => {
    const tools = extractFromSource(`
      // A definition without a handler, a parameter list, an OpenAPI document, a JSON Schema's properties.
      const config = { name: "settings", description: "App settings.", schema: z.object({ theme: z.string() }) };
      const param = { name: "petId", in: "path", description: "Pet id", schema: { type: "object", properties: {} } };
      const spec = { responses: { ok: { description: "Success", schema: { type: "object", properties: { id: { type: "string" } } } } } };
      const shape = { type: "object", properties: { user: { type: "object", description: "The user", properties: { id: { type: "string" } } } } };
      class NotATool extends Error { name = "NotATool"; }
    `);
    expect(tools).toEqual([]);
  });

  it('reads tool classes: fields, getName with getConfig, and the config passed to super()', () => {
    const tools = extractFromSource(`
      const CityInput = z.object({ city: z.string() });
      class BaseTool { constructor(options) { this.inputSchema = options.inputSchema; } }
      export class ForecastTool extends BaseTool {
        name = "forecast";
        description = "Forecast for a city.";
        annotations = { readOnlyHint: true };
        constructor(deps) { super({ inputSchema: CityInput, client: deps.client }); }
      }
      export class DeleteCityTool {
        static NAME = "delete_city";
        getName() { return DeleteCityTool.NAME; }
        getConfig() { return { title: "Delete city", description: "Deletes a city.", inputSchema: CityInput.shape, annotations: { destructiveHint: true } }; }
      }
      export class HelpTool {
        get name() { return "help"; }
        description = "Shows help.";
        inputSchema = { type: "object", properties: {} };
      }
    `);
    expect(tools?.map((t) => [t.name, t.description, t.inputSchema, t.annotations])).toEqual([
      ['forecast', 'Forecast for a city.', { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, { readOnlyHint: true }],
      ['delete_city', 'Deletes a city.', { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, { destructiveHint: true }],
      ['help', 'Shows help.', { type: 'object', properties: {} }, undefined],
    ]);
  });

  it('reads descriptions written with dedent tags and trimmed template literals', () => {
    const tools = extractFromSource(`
      server.tool("multi_line", dedent\`
        First line.
          Indented detail.
      \`, {}, h);
      server.tool("trimmed", \`  Padded.  \`.trim(), {}, h);
    `);
    expect(tools?.map((t) => t.description)).toEqual(['First line.\n  Indented detail.', 'Padded.']);
  });
});

describe('extractToolsStatically', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-static-'));
    writeTree(dir, {
      'dist/a.js': 'server.tool("alpha", "First.", {}, h); server.tool("beta", "Second.", {}, h);',
      'dist/b.mjs': 'server.tool("alpha", "Duplicate.", {}, h);',
      'dist/__tests__/fake.js': 'server.tool("from_a_test_folder", "No.", {}, h);',
      'dist/c.test.js': 'server.tool("from_a_test_file", "No.", {}, h);',
      'node_modules/dep/index.js': 'server.tool("from_a_dependency", "No.", {}, h);',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the package's own files only, first definition of a name winning, tests left out", async () => {
    const result = await extractToolsStatically(dir);
    expect(result.tools.map((t) => [t.name, t.description])).toEqual([['alpha', 'First.'], ['beta', 'Second.']]);
    expect(result.filesRead).toBe(2);
    expect(result.dependencies).toEqual([]);
  });
});

describe('constants imported from other modules of the package', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-static-modules-'));
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'shelf-server', type: 'module' }),
      // ESM: a named import, a re-export through an index, a namespace import.
      'esm/names.js': 'export const SHELF_TOOLS = { add: "shelf_add", remove: "shelf_remove" };\nconst hidden = "shelf_count";\nexport { hidden as COUNT };',
      'esm/shapes.js': 'import { z } from "zod";\nexport const itemShape = { item: z.string().describe("Item name") };',
      'esm/index.js': 'export * from "./names.js";\nexport { itemShape as ITEM } from "./shapes.js";',
      'esm/tools.js': [
        'import { SHELF_TOOLS, COUNT, ITEM } from "./index.js";',
        'import * as shapes from "./shapes.js";',
        'export function register(server) {',
        '  server.tool(SHELF_TOOLS.add, "Adds an item.", ITEM, async () => {});',
        '  server.tool(COUNT, "Counts items.", {}, async () => {});',
        '  server.tool(SHELF_TOOLS.remove, "Removes an item.", shapes.itemShape, async () => {});',
        '}',
      ].join('\n'),
      // CommonJS as TypeScript compiles it: exports.X = …, tools_1.X, a defineProperty re-export, __importDefault.
      'cjs/constants.js': '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.LABELS = exports.Label = void 0;\nexports.LABELS = { tag: "label_tag" };\nconst Label = "label_untag";\nexports.Label = Label;',
      'cjs/reexport.js': '"use strict";\nvar constants_1 = require("./constants");\nObject.defineProperty(exports, "UNTAG", { enumerable: true, get: function () { return constants_1.Label; } });',
      'cjs/helper.js': '"use strict";\nexports.default = declare;\nfunction declare(mcp, toolName, config, handler) { return mcp.registerTool(toolName, config, handler); }',
      'cjs/tools.js': [
        '"use strict";',
        'const constants_1 = require("./constants");',
        'const { UNTAG } = require("./reexport");',
        'const helper_1 = __importDefault(require("./helper"));',
        'function setup(server) {',
        '  server.tool(constants_1.LABELS.tag, "Tags.", {}, h);',
        '  server.tool(UNTAG, "Untags.", {}, h);',
        '  (0, helper_1.default)(server, "label_list", { description: "Lists labels." }, h);',
        '}',
      ].join('\n'),
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('follows ESM imports, re-exports and namespaces, and CommonJS exports in their compiled forms', async () => {
    const result = await extractToolsStatically(dir);
    expect(Object.fromEntries(result.tools.map((t) => [t.name, t.description]))).toEqual({
      label_tag: 'Tags.',
      label_untag: 'Untags.',
      label_list: 'Lists labels.',
      shelf_add: 'Adds an item.',
      shelf_count: 'Counts items.',
      shelf_remove: 'Removes an item.',
    });
    expect(result.tools.find((t) => t.name === 'shelf_add')?.inputSchema).toEqual({ type: 'object', properties: { item: { type: 'string', description: 'Item name' } }, required: ['item'] });
    expect(result.tools.find((t) => t.name === 'shelf_remove')?.inputSchema).toEqual(result.tools.find((t) => t.name === 'shelf_add')?.inputSchema);
  });
});

describe('TypeScript-only packages', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-static-ts-'));
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'ts-only-server', main: 'index.ts' }),
      'index.ts': 'import { NAME } from "./names.ts";\ninterface Args { city: string }\nconst describeIt = (s: string): string => s;\nserver.tool(NAME as string, "Weather for a city.", { city: z.string() }, async (a: Args) => ({ content: [] }));',
      'names.ts': 'export const NAME: string = "ts_weather";',
      'types.d.ts': 'declare const server: any;',
      'broken.tsx': 'const tool = <div>{</div>;',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('strips types with esbuild and reads the result, declaration files left out', async () => {
    const result = await extractToolsStatically(dir);
    expect(result.tools).toEqual([{ name: 'ts_weather', description: 'Weather for a city.', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }]);
    expect(result.filesTranspiled).toBe(2);
    expect(result.filesUnparsed).toBe(1);
  });

  it('reads TypeScript only when the JavaScript yields no tool', async () => {
    writeFileSync(path.join(dir, 'built.js'), 'server.tool("from_javascript", "Built.", {}, h);');
    try {
      const result = await extractToolsStatically(dir);
      expect(names(result.tools)).toEqual(['from_javascript']);
      expect(result.filesTranspiled).toBe(0);
    } finally {
      rmSync(path.join(dir, 'built.js'));
    }
  });
});

describe('MCP dependencies of the same scope', () => {
  let root: string;
  const pkg = (name: string, dependencies: Record<string, string>) => JSON.stringify({ name, version: '1.0.0', dependencies });
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-static-deps-'));
    writeTree(path.join(root, 'node_modules'), {
      '@acme/server/package.json': pkg('@acme/server', { '@acme/provider-files': '1', '@acme/utils': '1', 'other-lib': '1', '@modelcontextprotocol/sdk': '1' }),
      '@acme/server/dist/index.js': 'import { FilesProvider } from "@acme/provider-files";\nexport const providers = [new FilesProvider()];',
      '@acme/provider-files/package.json': pkg('@acme/provider-files', { '@modelcontextprotocol/sdk': '1' }),
      '@acme/provider-files/lib/index.js': 'import { NAMES } from "./names.js";\nexport class FilesProvider { register(server) { server.tool(NAMES.read, "Reads a file.", {}, h); } }',
      '@acme/provider-files/lib/names.js': 'export const NAMES = { read: "files_read" };',
      // Same scope, but no MCP dependency: a library whose objects only look like tools.
      '@acme/utils/package.json': pkg('@acme/utils', { zod: '1' }),
      '@acme/utils/index.js': 'export const sample = { name: "not_a_tool", inputSchema: { type: "object" } };',
      // Another scope, even with an MCP dependency.
      'other-lib/package.json': pkg('other-lib', { '@modelcontextprotocol/sdk': '1' }),
      'other-lib/index.js': 'server.tool("foreign_tool", "No.", {}, h);',
      '@modelcontextprotocol/sdk/package.json': pkg('@modelcontextprotocol/sdk', {}),
      '@modelcontextprotocol/sdk/index.js': 'const example = { name: "sdk_example", inputSchema: { type: "object" } };',
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads same-scope dependencies that use an MCP SDK, and no other', async () => {
    const result = await extractToolsStatically(path.join(root, 'node_modules/@acme/server'));
    expect(names(result.tools)).toEqual(['files_read']);
    expect(result.dependencies).toEqual(['@acme/provider-files']);
  });

  it('reads them beside own tools only when the package names them, and not at all when asked not to', async () => {
    const serverDir = path.join(root, 'node_modules/@acme/server');
    writeFileSync(path.join(serverDir, 'dist/own.js'), 'server.tool("own_tool", "Own.", {}, h);');
    try {
      expect(names((await extractToolsStatically(serverDir)).tools)).toEqual(['own_tool', 'files_read']);
      expect(names((await extractToolsStatically(serverDir, { dependencies: false })).tools)).toEqual(['own_tool']);
      writeFileSync(path.join(serverDir, 'dist/index.js'), 'export const providers = [];');
      expect(names((await extractToolsStatically(serverDir)).tools)).toEqual(['own_tool']);
    } finally {
      rmSync(path.join(serverDir, 'dist/own.js'));
      writeFileSync(path.join(serverDir, 'dist/index.js'), 'import { FilesProvider } from "@acme/provider-files";\nexport const providers = [new FilesProvider()];');
    }
  });
});
