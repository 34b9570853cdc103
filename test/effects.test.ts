/** What a tool's code does: handlers followed to their side effects, read from source, never run. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseEffectsInWorker } from '../crawler/static/budget.ts';
import { analyseEffects, effectsFromSource } from '../crawler/static/effects.ts';
import type { NamedCodeEffects, ToolCodeEffects } from '../records/index.ts';

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

function byName(tools: NamedCodeEffects[] | null): Map<string, ToolCodeEffects> {
  return new Map((tools ?? []).map((t) => [t.name, t.effects]));
}

/** `kind detail` of each effect, in order. */
const kinds = (e: ToolCodeEffects | undefined) => e?.effects.map((x) => `${x.kind} ${x.detail}`);

describe('handler shapes', () => {
  const tools = byName(effectsFromSource(`
    import { writeFile } from "node:fs/promises";
    import fs from "fs";
    server.tool("sdk_tool", "Writes.", { p: z.string() }, async ({ p }) => { await writeFile(p, "x"); });
    server.registerTool("registered", { description: "Reads." }, async ({ p }) => fs.readFileSync(p, "utf8"));
    mcp.addTool({ name: "fast", description: "Deletes.", parameters: z.object({}), execute: async ({ p }) => fs.rmSync(p, { recursive: true }) });
    const objectTool = { name: "object_tool", description: "Renames.", inputSchema: {}, handler: async ({ a, b }) => fs.renameSync(a, b) };
    class ClassTool extends MCPTool { name = "class_tool"; description = "Makes a folder."; async execute({ p }) { fs.mkdirSync(p); } }
    function reg(s, name, h) { s.tool(name, h); }
    reg(server, "wrapped", async () => { fs.appendFileSync("log", "x"); });
    const handlers = { keyed: async () => fs.copyFileSync("a", "b") };
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const { name, arguments: args } = request.params;
      switch (name) {
        case "switched_a":
        case "switched_b": {
          fs.unlinkSync(args.path);
          return {};
        }
        case "nothing": return { content: [] };
      }
      if (name === "iffed") { fs.createWriteStream(args.path); }
      return handlers[name](args);
    });
  `, ['sdk_tool', 'registered', 'fast', 'object_tool', 'class_tool', 'wrapped', 'keyed', 'switched_a', 'switched_b', 'nothing', 'iffed', 'absent']));

  it.each([
    ['sdk_tool', 'fs.write writeFile', 4],
    ['registered', 'fs.read readFileSync', 5],
    ['fast', 'fs.delete rmSync', 6],
    ['object_tool', 'fs.write renameSync', 7],
    ['class_tool', 'fs.write mkdirSync', 8],
    ['wrapped', 'fs.write appendFileSync', 10],
    ['keyed', 'fs.write copyFileSync', 11],
    ['switched_a', 'fs.delete unlinkSync', 15],
    ['switched_b', 'fs.delete unlinkSync', 16],
    ['iffed', 'fs.write createWriteStream', 22],
  ])('follows %s to its handler', (name, effect, line) => {
    const e = tools.get(name);
    expect(e?.handlerFound).toBe(true);
    expect(kinds(e)).toEqual([effect]);
    expect(e?.handler?.line).toBe(line);
  });

  it('finds a handler with no effect, and says when there is no handler', () => {
    expect(tools.get('nothing')).toEqual({ handlerFound: true, handler: { file: '<source>', line: 20 }, effects: [] });
    expect(tools.get('absent')).toEqual({ handlerFound: false, effects: [] });
  });
});

describe('more handler shapes', () => {
  it('reads a definition object passed beside its handler, and a task registration', () => {
    const tools = byName(effectsFromSource(`
      import fs from "fs";
      const eraseTool = makeTool({ name: "erase_log", description: "Erases.", schema: s }, async ({ p }) => fs.unlinkSync(p));
      server.experimental.tasks.registerToolTask("long_job", { description: "Runs long." }, {
        createTask: async ({ p }) => { fs.writeFileSync(p, "started"); },
      });
    `, ['erase_log', 'long_job']));
    expect(kinds(tools.get('erase_log'))).toEqual(['fs.delete unlinkSync']);
    expect(kinds(tools.get('long_job'))).toEqual(['fs.write writeFileSync']);
  });

  it('reads the handler of a definition wrapped in a call under the tool\'s name', () => {
    const tools = byName(effectsFromSource(`
      import fs from "fs";
      export const tools = {
        purge_exports: defineTool({ ...specs.purge_exports, execute: async ({ dir }) => fs.rmSync(dir, { recursive: true }) }),
        note: wrap(specs.note),
      };
    `, ['purge_exports', 'note']));
    expect(kinds(tools.get('purge_exports'))).toEqual(['fs.delete rmSync']);
    expect(tools.get('note')?.handlerFound).toBe(false);
  });

  it('takes what follows a guard that turns other names away as the branch', () => {
    const tools = byName(effectsFromSource(`
      import fs from "fs";
      server.setRequestHandler(CallToolRequestSchema, async (request) => {
        const { name } = request.params;
        if (name !== "stash_note") {
          throw new Error("Unknown tool: " + name);
        }
        fs.appendFileSync("notes.txt", request.params.arguments.text);
        return { content: [] };
      });
    `, ['stash_note', 'other']));
    expect(kinds(tools.get('stash_note'))).toEqual(['fs.write appendFileSync']);
    expect(tools.get('other')?.handlerFound).toBe(false);
  });

  it('finds a definition whose title the server turns into the name, in a package on disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'effects-titled-'));
    try {
      writeTree(dir, {
        'package.json': JSON.stringify({ name: 'titled', version: '1.0.0', main: 'dist/index.js' }),
        'dist/index.js': 'import { Wipe } from "./acme/wipe.js";\nimport { Peek } from "./other/peek.js";\nexport const tools = [new Wipe(), new Peek()];\n',
        'dist/acme/wipe.js': 'import fs from "fs";\nexport class Wipe extends Tool {\n  specification = { title: "Wipe Cache Dir", summary: "Wipes." };\n  handle = async (args) => { fs.rmSync(args.dir, { recursive: true }); };\n}\n',
        'dist/other/peek.js': 'import fs from "fs";\nexport const Peek = { title: "Peek File", handler: async (args) => fs.readFileSync(args.p, "utf8") };\n',
        'dist/other/touch.js': 'import fs from "fs";\nexport function add(register) {\n  register({ title: "Touch Stamp" }, async (args) => fs.writeFileSync(args.p, ""));\n}\n',
        'dist/main.js': 'import { add } from "./other/touch.js";\nadd(server.register);\n',
      });
      const tools = new Map((await analyseEffects(dir, ['acme_wipe_cache_dir', 'other_peek_file', 'other_touch_stamp', 'acme_missing_tool'])).tools.map((t) => [t.name, t.effects]));
      expect(kinds(tools.get('acme_wipe_cache_dir'))).toEqual(['fs.delete rmSync']);
      expect(tools.get('acme_wipe_cache_dir')?.handler).toEqual({ file: 'dist/acme/wipe.js', line: 4 });
      expect(kinds(tools.get('other_peek_file'))).toEqual(['fs.read readFileSync']);
      expect(kinds(tools.get('other_touch_stamp'))).toEqual(['fs.write writeFileSync']);
      expect(tools.get('acme_missing_tool')?.handlerFound).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the tools/call handler of a server with a single tool, and only then', () => {
    const source = `
      import fs from "fs";
      server.setRequestHandler(CallToolRequestSchema, async (request) => fs.readFileSync(request.params.arguments.path, "utf8"));
    `;
    expect(kinds(byName(effectsFromSource(source, ['peek'])).get('peek'))).toEqual(['fs.read readFileSync']);
    expect(byName(effectsFromSource(source, ['peek', 'poke'])).get('peek')?.handlerFound).toBe(false);
  });
});

describe('tool names from compiled TypeScript enums', () => {
  it('resolves tsc and esbuild enum members in switch cases and registrations', () => {
    const tools = byName(effectsFromSource(`
      import fs from "fs";
      export var Names;
      (function (Names) {
          Names["Wipe"] = "wipe_dir";
          Names["Peek"] = "peek_file";
          Names[Names["Count"] = 3] = "Count";
      })(Names || (Names = {}));
      var Other = /* @__PURE__ */ ((Other2) => {
        Other2["Touch"] = "touch_file";
        return Other2;
      })(Other || {});
      server.tool(Other.Touch, "Touches.", {}, async ({ p }) => fs.utimesSync(p, 1, 1));
      async function call(name, args) {
        switch (name) {
          case Names.Wipe: fs.rmSync(args.dir, { recursive: true }); return {};
          case Names.Peek: return fs.readFileSync(args.p, "utf8");
          case Names.Missing: fs.unlinkSync(args.p); return {};
        }
      }
    `, ['wipe_dir', 'peek_file', 'touch_file', 'Count']));
    expect(kinds(tools.get('wipe_dir'))).toEqual(['fs.delete rmSync']);
    expect(kinds(tools.get('peek_file'))).toEqual(['fs.read readFileSync']);
    expect(tools.get('touch_file')?.handlerFound).toBe(true);
    expect(tools.get('Count')?.handlerFound).toBe(false);
  });
});

describe('effect kinds', () => {
  const tools = byName(effectsFromSource(`
    const cp = require("child_process");
    const { execa } = require("execa");
    const vm = require("node:vm");
    const axios = require("axios");
    const api = axios.create({ baseURL: "https://api.example.com" });
    const Stripe = require("stripe");
    const stripe = new Stripe(process.env.STRIPE_KEY);
    const nodemailer = require("nodemailer");
    const puppeteer = require("puppeteer");
    const { Pool } = require("pg");
    const pool = new Pool();
    server.tool("spawns", async ({ c }) => { cp.execSync(c); await execa("ls"); });
    server.tool("evals", async ({ c }) => { eval(c); new Function(c)(); vm.runInNewContext(c); });
    server.tool("http_calls", async ({ id }) => {
      await fetch("https://api.example.com/items/" + id, { method: "DELETE" });
      await fetch(\`https://hooks.example.org/x/\${id}\`, { method: "POST", body: "{}" });
      await fetch(url);
      await axios.put("https://store.example.net/a", {});
      await api.get("/items");
    });
    server.tool("sql_calls", async ({ q }) => {
      await pool.query("SELECT * FROM items");
      await pool.query(\`DELETE FROM items WHERE id = \${q}\`);
      await pool.query("-- clean\\n DROP TABLE items");
      await pool.query(q);
    });
    server.tool("browses", async ({ url }) => {
      const browser = await puppeteer.launch();
      const page = await browser.newPage();
      await page.goto("https://example.com/login");
      await page.type("#user", "me");
      await page.click("#go");
      await page.evaluate(() => document.title);
    });
    server.tool("pays", async ({ id, amount }) => {
      await stripe.refunds.create({ payment_intent: id });
      await stripe.paymentIntents.capture(id);
      await wallet.sendTransaction({ to: id, value: amount });
    });
    server.tool("messages", async ({ to }) => {
      const t = nodemailer.createTransport({});
      await t.sendMail({ to });
      await slack.chat.postMessage({ channel: to, text: "hi" });
      await anthropic.messages.create({ model: "x", messages: [] });
    });
  `, ['spawns', 'evals', 'http_calls', 'sql_calls', 'browses', 'pays', 'messages']));

  it('recognises processes and evaluated code', () => {
    expect(kinds(tools.get('spawns'))).toEqual(['spawn child_process.execSync', 'spawn execa']);
    expect(kinds(tools.get('evals'))).toEqual(['eval eval', 'eval new Function', 'eval vm.runInNewContext']);
  });

  it('reads HTTP methods and literal hosts', () => {
    expect(kinds(tools.get('http_calls'))).toEqual(['http DELETE api.example.com', 'http POST hooks.example.org', 'http GET', 'http PUT store.example.net', 'http GET']);
  });

  it('reads SQL verbs from literals and marks a statement that is not literal', () => {
    expect(kinds(tools.get('sql_calls'))).toEqual(['sql SELECT', 'sql DELETE', 'sql DROP', 'sql dynamic']);
  });

  it('recognises browser automation, payments and messages, not an LLM call', () => {
    expect(kinds(tools.get('browses'))).toEqual(['browser goto example.com', 'browser type', 'browser click', 'browser evaluate']);
    expect(kinds(tools.get('pays'))).toEqual(['payment refunds.create', 'payment paymentIntents.capture', 'payment sendTransaction']);
    expect(kinds(tools.get('messages'))).toEqual(['message sendMail', 'message chat.postMessage']);
  });

  it('quotes the call and its line', () => {
    const effect = tools.get('pays')?.effects[0];
    expect(effect).toEqual({ kind: 'payment', detail: 'refunds.create', file: '<source>', line: 37, call: 'stripe.refunds.create({ payment_intent: id })' });
  });

  it('leaves out look-alikes: a Map delete, a regex exec, a local transfer of nothing', () => {
    const [t] = effectsFromSource(`
      const cache = new Map();
      server.tool("lookalikes", async ({ k }) => { cache.delete(k); /x/.exec(k); [1].map((x) => x); JSON.parse(k); });
    `, ['lookalikes']) ?? [];
    expect(t?.effects).toEqual({ handlerFound: true, handler: { file: '<source>', line: 3 }, effects: [] });
  });
});

describe('call depth and budgets', () => {
  const chain = (n: number) => Array.from({ length: n }, (_, i) => `function f${i}(p) { return f${i + 1}(p); }`).join('\n') + `\nfunction f${n}(p) { require("fs").unlinkSync(p); }`;

  it('follows calls up to the depth and says when it stopped', () => {
    const shallow = effectsFromSource(`${chain(3)}\nserver.tool("t", async ({ p }) => f0(p));`, ['t'])?.[0]?.effects;
    expect(kinds(shallow)).toEqual(['fs.delete unlinkSync']);
    expect(shallow?.truncated).toBeUndefined();
    const deep = effectsFromSource(`${chain(8)}\nserver.tool("t", async ({ p }) => f0(p));`, ['t'])?.[0]?.effects;
    expect(deep?.effects).toEqual([]);
    expect(deep?.truncated).toBe(true);
  });

  it('ends on recursion', () => {
    const [t] = effectsFromSource(`
      function a(p) { if (p) b(p); require("fs").writeFileSync(p, ""); }
      function b(p) { a(p); }
      server.tool("loop", ({ p }) => a(p));`, ['loop']) ?? [];
    expect(kinds(t?.effects)).toEqual(['fs.write writeFileSync']);
  });

  it('keeps hostile tool names apart from object keys', () => {
    const tools = effectsFromSource(`server.tool("__proto__", async () => require("fs").rmSync("/x")); server.tool("constructor", async () => 1);`, ['__proto__', 'constructor', 'toString']);
    expect(tools?.map((t) => [t.name, t.effects.handlerFound, kinds(t.effects)])).toEqual([
      ['__proto__', true, ['fs.delete rmSync']], ['constructor', true, []], ['toString', false, []],
    ]);
  });
});

describe('a package on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-effects-')), 'pkg');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'effects-fixture', main: 'dist/index.js', dependencies: { 'helper-lib': '1.0.0', axios: '1.0.0' } }),
      // ESM entry registering tools whose handlers live in other modules.
      'dist/index.js': [
        'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
        'import { removeNote, Notes } from "./notes.js";',
        'import { purge } from "helper-lib";',
        'const server = new McpServer({ name: "x", version: "1" });',
        'const notes = new Notes();',
        'server.tool("remove_note", "Removes a note.", { id: z.string() }, async ({ id }) => removeNote(id));',
        'server.tool("save_note", "Saves a note.", { id: z.string() }, async ({ id, text }) => notes.save(id, text));',
        'server.tool("purge_all", "Purges.", {}, async () => purge());',
      ].join('\n'),
      'dist/notes.js': [
        'import fs from "node:fs";',
        'export function removeNote(id) {',
        '  fs.unlinkSync(`/notes/${id}`);',
        '}',
        'export class Notes {',
        '  save(id, text) { return this.write(id, text); }',
        '  write(id, text) { fs.writeFileSync(id, text); }',
        '}',
      ].join('\n'),
      // TypeScript compiled to CommonJS, required by nothing: its line numbers are its own.
      'src/extra.ts': [
        'import { exec } from "child_process";',
        'interface Args {',
        '  cmd: string;',
        '}',
        '',
        'server.tool("run_ts", "Runs.", {}, async ({ cmd }: Args) => {',
        '  const x: number = 1;',
        '  exec(cmd);',
        '});',
      ].join('\n'),
      'node_modules/helper-lib/package.json': JSON.stringify({ name: 'helper-lib', main: 'lib/main.js' }),
      'node_modules/helper-lib/lib/main.js': 'const { rmSync } = require("fs");\nexports.purge = function purge() {\n  rmSync("/data", { recursive: true });\n};\n',
    });
  });
  afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('follows imports of its own modules, methods of its classes and a direct dependency', async () => {
    const result = await analyseEffects(dir, ['remove_note', 'save_note', 'purge_all', 'run_ts']);
    const tools = byName(result.tools);
    expect(tools.get('remove_note')).toEqual({
      handlerFound: true, handler: { file: 'dist/index.js', line: 6 },
      effects: [{ kind: 'fs.delete', detail: 'unlinkSync', file: 'dist/notes.js', line: 3, call: 'fs.unlinkSync(`/notes/${id}`)' }],
    });
    expect(tools.get('save_note')?.effects.map((e) => `${e.file}:${e.line} ${e.detail}`)).toEqual(['dist/notes.js:7 writeFileSync']);
    expect(tools.get('purge_all')?.effects.map((e) => `${e.file}:${e.line} ${e.kind}`)).toEqual(['node_modules/helper-lib/lib/main.js:3 fs.delete']);
    expect(result.dependencies).toEqual(['helper-lib']);
    // A TypeScript file is read when the JavaScript does not register the tool; lines are the original's.
    expect(tools.get('run_ts')?.effects.map((e) => `${e.file}:${e.line} ${e.detail}`)).toEqual(['src/extra.ts:8 child_process.exec']);
    expect(tools.get('run_ts')?.handler).toEqual({ file: 'src/extra.ts', line: 6 });
  });

  it('returns what it has read, marked truncated, once its soft deadline has passed', async () => {
    const result = await analyseEffects(dir, ['remove_note', 'run_ts'], { softDeadlineMs: -1 });
    expect(result.tools).toEqual([
      { name: 'remove_note', effects: { handlerFound: false, effects: [], truncated: true } },
      { name: 'run_ts', effects: { handlerFound: false, effects: [], truncated: true } },
    ]);
  });

  it('runs in the worker and stops within its budget on a big bundle', async () => {
    const inWorker = await analyseEffectsInWorker(dir, ['remove_note']);
    expect(inWorker.failure).toBeNull();
    expect(kinds(inWorker.tools[0]?.effects)).toEqual(['fs.delete unlinkSync']);

    const big = path.join(path.dirname(dir), 'big');
    const chunk = 'function a(e,t){return e.map(function(o){return o*2+t})}var remove_big=1;';
    writeTree(big, { 'package.json': '{"name":"big"}', 'index.js': `${chunk.repeat(Math.ceil((4.5 * 1024 * 1024) / chunk.length))}server.tool("remove_big",async(p)=>require("fs").rmSync(p.path,{recursive:true,force:true,maxRetries:3,retryDelay:100}),{a:"${'x'.repeat(300)}"});` });
    const stopped = await analyseEffectsInWorker(big, ['remove_big'], { budgetMs: 300 });
    expect(stopped.failure).toBe('code effects analysis ran past its budget of 300 ms and was stopped');
    expect(stopped.tools).toEqual([{ name: 'remove_big', effects: { handlerFound: false, effects: [], truncated: true } }]);
  });
});

describe('a minified bundle', () => {
  it('reads handlers and effects on one long line and cuts long calls', () => {
    const long = `"${'y'.repeat(400)}"`;
    const text = `var n=require("fs"),r=require("child_process");function o(e){return n.writeFileSync(e.p,${long})}t.tool("save",async e=>o(e)),t.tool("run",async e=>(0,r.spawn)(e.c,[]));`;
    const tools = byName(effectsFromSource(text, ['save', 'run']));
    const save = tools.get('save')?.effects[0];
    expect(save?.kind).toBe('fs.write');
    expect(save?.line).toBe(1);
    expect(save?.call.length).toBe(160);
    expect(save?.call.endsWith('…')).toBe(true);
    expect(kinds(tools.get('run'))).toEqual(['spawn child_process.spawn']);
  });

  it('ends on expressions nested 50,000 deep in the worker', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-effects-deep-')), 'pkg');
    try {
      writeTree(dir, {
        'package.json': '{"name":"deep"}',
        'index.js': `server.tool("deep", async () => ${'('.repeat(50_000)}1${')'.repeat(50_000)});\nserver.tool("ok", async () => require("fs").unlinkSync("x"));\n`,
        'other.js': `server.tool("ok2", async () => require("fs").unlinkSync("y"));\n`,
      });
      const result = await analyseEffectsInWorker(dir, ['deep', 'ok2']);
      expect(result.failure).toBeNull();
      expect(kinds(byName(result.tools).get('ok2'))).toEqual(['fs.delete unlinkSync']);
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
