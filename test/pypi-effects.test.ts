/**
 * What PyPI servers' tools do in their code: our reader (`crawler/registries/pypi/static_effects.py`) follows each
 * listed tool to its handler with Python's `ast` and collects the side effects it reaches, never importing what it
 * reads. First on source text written here (the reader run directly, since the text is ours), then over an install
 * tree in the sandbox (`analysePythonEffects`), then through the crawl: wheels built here and served by a loopback
 * index, a server read from source, a live low-level server, and a hostile package, each tool's effects stored.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { analysePythonEffects, parseEffectsOutput } from '../crawler/registries/pypi/effects.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type CatalogueEntry, type Store } from '../db/index.ts';
import { CRAWLER_NOTE, type ToolCodeEffects } from '../records/index.ts';
import { classifyStoredTools } from '../scripts/stages.ts';
import { buildWheel, fixtureFiles, PYTHON, pypiPrerequisitesMissing, startPypiIndex, type FakeIndex } from './helpers/pypi-index.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const READER = path.resolve(import.meta.dirname, '../crawler/registries/pypi/static_effects.py');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/pypi');
const missing = pypiPrerequisitesMissing();

interface ReaderOutput {
  tools: ToolCodeEffects[];
  modulesParsed: number;
  filesUnparsed: number;
  unparsed: Array<{ file: string; error: string }>;
  dependencies: string[];
  truncated: boolean;
}

/** Runs the reader on source texts (ours), as the sandbox runs it: `-I -S -B`; returns its output and stdout size. */
function readRaw(tools: string[], files: Record<string, string>, options: { dependencies?: Record<string, Record<string, string>>; args?: string[] } = {}) {
  const stdout = execFileSync(PYTHON, ['-I', '-S', '-B', READER, ...(options.args ?? []), '--stdin'], {
    input: JSON.stringify({ tools, files, dependencies: options.dependencies ?? {} }), encoding: 'utf8', env: { LANG: 'C.UTF-8' }, maxBuffer: 64 * 1024 * 1024,
  });
  return { output: JSON.parse(stdout) as ReaderOutput, bytes: Buffer.byteLength(stdout) };
}

/** The reader's answer by tool name. */
function read(tools: string[], files: Record<string, string>, options: Parameters<typeof readRaw>[2] = {}): Map<string, ToolCodeEffects> & { output: ReaderOutput } {
  const { output } = readRaw(tools, files, options);
  return Object.assign(new Map(tools.map((name, i) => [name, output.tools[i]!])), { output });
}

/** `kind detail` of each effect, in order. */
const kinds = (e: ToolCodeEffects | undefined) => e?.effects.map((x) => `${x.kind} ${x.detail}`);

/** 1-based line of the first line of `text` holding `snippet`. */
function lineOf(text: string, snippet: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(snippet));
  if (index < 0) throw new Error(`"${snippet}" is not in the text`);
  return index + 1;
}

describe.skipIf(!existsSync(PYTHON))('static_effects.py on source text', () => {
  it('follows each registration shape to its handler', () => {
    const server = `
import os, shutil
from enum import Enum
from mcp.server.fastmcp import FastMCP
from mcp.server import Server

mcp = FastMCP("shapes")
server = Server("low")

class ToolName(str, Enum):
    RENAME = "rename_note"

@mcp.tool
def bare(p: str):
    os.remove(p)

@mcp.tool()
async def called(p: str):
    os.rmdir(p)

@mcp.tool("positional_name")
def f1(p):
    os.unlink(p)

@mcp.tool(name="keyword_name", description="x")
def f2(p):
    shutil.rmtree(p)

def added(p):
    os.makedirs(p)

mcp.add_tool(added, name="added_tool")

@server.call_tool()
async def call_tool(name: str, arguments: dict):
    if name == "if_branch":
        os.mkdir(arguments["p"])
    elif "elif_branch" == name:
        os.chmod(arguments["p"], 0o600)
    elif name in ("in_a", "in_b"):
        os.symlink("a", "b")
    elif name == ToolName.RENAME:
        os.rename("a", "b")
    match name:
        case "case_one":
            os.truncate("a", 0)
        case "case_a" | "case_b":
            os.replace("a", "b")
    return []

def handle_keyed(arguments):
    shutil.copy("a", "b")

HANDLERS = {"keyed": handle_keyed}

class CleanTool:
    name = "class_tool"
    def run(self, p):
        shutil.copytree(p, "backup")

def register(name, fn): ...
register("named_call", lambda p: shutil.move(p, "x"))

def handle_by_name(p):
    shutil.make_archive(p, "zip")
`;
    const names = ['bare', 'called', 'positional_name', 'keyword_name', 'added_tool', 'if_branch', 'elif_branch', 'in_a', 'in_b', 'rename_note',
      'case_one', 'case_a', 'case_b', 'keyed', 'class_tool', 'named_call', 'by_name', 'absent'];
    const tools = read(names, { 'shapes/server.py': server });
    const expectations: Array<[string, string, string]> = [
      ['bare', 'fs.delete os.remove', 'def bare'],
      ['called', 'fs.delete os.rmdir', 'async def called'],
      ['positional_name', 'fs.delete os.unlink', 'def f1'],
      ['keyword_name', 'fs.delete shutil.rmtree', 'def f2'],
      ['added_tool', 'fs.write os.makedirs', 'def added'],
      ['if_branch', 'fs.write os.mkdir', 'if name == "if_branch"'],
      ['elif_branch', 'fs.write os.chmod', 'elif "elif_branch" == name'],
      ['in_a', 'fs.write os.symlink', 'elif name in ("in_a", "in_b")'],
      ['in_b', 'fs.write os.symlink', 'elif name in ("in_a", "in_b")'],
      ['rename_note', 'fs.write os.rename', 'elif name == ToolName.RENAME'],
      ['case_one', 'fs.write os.truncate', 'case "case_one"'],
      ['case_a', 'fs.write os.replace', 'case "case_a" | "case_b"'],
      ['case_b', 'fs.write os.replace', 'case "case_a" | "case_b"'],
      ['keyed', 'fs.write shutil.copy', 'def handle_keyed'],
      ['class_tool', 'fs.write shutil.copytree', 'def run(self, p)'],
      ['named_call', 'fs.write shutil.move', 'register("named_call"'],
      ['by_name', 'fs.write shutil.make_archive', 'def handle_by_name'],
    ];
    for (const [name, effect, handlerLine] of expectations) {
      const found = tools.get(name);
      expect(found, name).toMatchObject({ handlerFound: true, handler: { file: 'shapes/server.py', line: lineOf(server, handlerLine) } });
      expect(kinds(found), name).toEqual([effect]);
      expect(found!.truncated, name).toBeUndefined();
    }
    expect(tools.get('absent')).toEqual({ handlerFound: false, effects: [] });
  });

  it('recognises each kind of side effect, with the JavaScript reader\'s details', () => {
    const server = `
import asyncio, os, shutil, smtplib, sqlite3, subprocess, tempfile, urllib.request
from pathlib import Path
import httpx, requests, aiohttp, stripe
from sqlalchemy import text, delete
from sqlalchemy.orm import Session
from slack_sdk import WebClient
from twilio.rest import Client as Twilio
from anthropic import Anthropic
from web3 import Web3
from playwright.sync_api import sync_playwright
from selenium import webdriver
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("kinds")
BASE = "https://api.example.com/v1"

@mcp.tool()
def files(p: str):
    open(p, "wb").write(b"x")
    open(p, mode="a")
    open(p)
    open(p, "rb").read()
    Path(p).write_bytes(b"")
    Path(p).read_text()
    (Path(p) / "sub").mkdir(parents=True)
    Path(p).with_suffix(".bak").unlink()
    os.listdir(p)
    shutil.copy2(p, "b")
    tempfile.mkdtemp()
    p.replace("a", "b")
    os.path.join(p, "x")

@mcp.tool()
async def processes(cmd: str):
    subprocess.Popen(cmd, shell=True)
    os.popen(cmd)
    os.execvp("sh", ["sh"])
    await asyncio.create_subprocess_shell(cmd)
    eval(cmd)
    exec(cmd)
    compile(cmd, "<x>", "exec")

@mcp.tool()
async def web(url: str):
    requests.get("https://example.org/a")
    requests.delete(f"{BASE}/items/1")
    requests.request("PATCH", "https://patch.example.net/x")
    session = requests.Session()
    session.put(url)
    httpx.post(BASE + "/things")
    async with aiohttp.ClientSession() as s:
        await s.head("https://head.example.io")
    urllib.request.urlopen("https://plain.example.com")
    urllib.request.urlopen(url, data=b"x")
    r = requests.get(url)
    r.json().get("x")

@mcp.tool()
def database(table: str):
    con = sqlite3.connect("x.db")
    cur = con.cursor()
    cur.execute("SELECT * FROM t")
    cur.executemany("INSERT INTO t VALUES (?)", [])
    cur.execute("""
        -- tidy up
        UPDATE t SET a = 1""")
    cur.execute("WITH old AS (SELECT id FROM t) DELETE FROM t WHERE id IN (SELECT id FROM old)")
    cur.execute(query_for(table))
    with Session(engine) as session:
        session.execute(text("TRUNCATE t"))
        session.execute(delete(Table).where(Table.c.id == 1))
        session.delete(row)
    cur.fetchall()

@mcp.tool()
def browse():
    with sync_playwright() as p:
        page = p.chromium.launch().new_page()
        page.goto("https://shop.example.com/cart")
        page.locator("#buy").click()
        page.fill("#q", "x")
        page.select_option("#size", "L")
        page.keyboard.type("hello")
    driver = webdriver.Chrome()
    driver.get("https://selenium.example.com")
    driver.find_element("id", "q").send_keys("x")

@mcp.tool()
def money(intent: str):
    stripe.PaymentIntent.capture(intent)
    stripe.Refund.create(charge="ch_1")
    stripe.Transfer.create(amount=1, currency="usd", destination="acct")
    stripe.Payout.create(amount=1, currency="usd")
    stripe.Charge.create(amount=1)
    stripe.Customer.create(email="x")
    client = stripe.StripeClient("sk")
    client.payment_intents.create(params={})
    w3 = Web3()
    w3.eth.send_transaction({})
    contract.functions.transfer("0x", 1).transact()

@mcp.tool()
def messages(text: str):
    with smtplib.SMTP("localhost") as smtp:
        smtp.sendmail("a", ["b"], text)
        smtp.send_message(msg)
    WebClient(token="x").chat_postMessage(channel="#a", text=text)
    Twilio().messages.create(to="+1", body=text)
    Anthropic().messages.create(model="m", messages=[])
`;
    const tools = read(['files', 'processes', 'web', 'database', 'browse', 'money', 'messages'], { 'kinds/server.py': server });
    expect(kinds(tools.get('files'))).toEqual([
      'fs.write open', 'fs.write open', 'fs.read open', 'fs.read open', 'fs.write Path.write_bytes', 'fs.read Path.read_text', 'fs.write Path.mkdir',
      'fs.delete Path.unlink', 'fs.read os.listdir', 'fs.write shutil.copy2', 'fs.write tempfile.mkdtemp',
    ]);
    expect(kinds(tools.get('processes'))).toEqual([
      'spawn subprocess.Popen', 'spawn os.popen', 'spawn os.execvp', 'spawn asyncio.create_subprocess_shell', 'eval eval', 'eval exec', 'eval compile',
    ]);
    expect(kinds(tools.get('web'))).toEqual([
      'http GET example.org', 'http DELETE api.example.com', 'http PATCH patch.example.net', 'http PUT', 'http POST api.example.com', 'http HEAD head.example.io',
      'http GET plain.example.com', 'http POST', 'http GET',
    ]);
    expect(kinds(tools.get('database'))).toEqual([
      'sql SELECT', 'sql INSERT', 'sql UPDATE', 'sql DELETE', 'sql dynamic', 'sql TRUNCATE', 'sql DELETE', 'sql DELETE',
    ]);
    expect(kinds(tools.get('browse'))).toEqual([
      'browser goto shop.example.com', 'browser click', 'browser fill', 'browser select', 'browser keyboard.type', 'browser goto selenium.example.com', 'browser type',
    ]);
    expect(kinds(tools.get('money'))).toEqual([
      'payment paymentIntents.capture', 'payment refunds.create', 'payment transfers.create', 'payment payouts.create', 'payment charges.create',
      'payment paymentIntents.create', 'payment sendTransaction', 'payment transact', 'payment transfer',
    ]);
    expect(kinds(tools.get('messages'))).toEqual(['message sendmail', 'message send_message', 'message chat.postMessage', 'message messages.create']);
    // Each effect keeps where it is and the call itself.
    expect(tools.get('web')!.effects[1]).toEqual({
      kind: 'http', detail: 'DELETE api.example.com', file: 'kinds/server.py', line: lineOf(server, 'requests.delete('), call: 'requests.delete(f"{BASE}/items/1")',
    });
    expect(tools.get('database')!.effects[2]).toMatchObject({ line: lineOf(server, 'cur.execute("""'), call: 'cur.execute(""" -- tidy up UPDATE t SET a = 1""")' });
  });

  it('follows calls through modules, classes, instances and dependencies, four calls deep', () => {
    const files = {
      'deep/__init__.py': '',
      'deep/server.py': `
from mcp.server.fastmcp import FastMCP
from . import store
from .store import Store, make_client
import deep.util as util
from deep.util import Runner
from tidy import clean
mcp = FastMCP("deep")
shared = Store()

@mcp.tool()
def across(p):
    store.save(p)
    shared.remove(p)
    util.run(p)

@mcp.tool()
def instances(p):
    Runner(p).go()
    make_client().post("https://hooks.example.com/x")

@mcp.tool()
def dependency(p):
    clean(p)

@mcp.tool()
def too_deep(p):
    util.d1(p)

@mcp.tool()
def cycle(p):
    util.ping(p)
`,
      'deep/store.py': `
import os
import httpx
def save(p):
    os.makedirs(p)
def make_client() -> httpx.Client:
    return httpx.Client()
class Base:
    def _drop(self, p):
        os.unlink(p)
class Store(Base):
    def remove(self, p):
        self._drop(p)
        super()._drop(p)
`,
      'deep/util.py': `
import os, subprocess
def run(c):
    subprocess.check_call(c)
class Runner:
    def __init__(self, p):
        self.p = p
        self.session = requests_session()
    def go(self):
        self.session.delete("/items/" + self.p)
def requests_session(): ...
def d1(x): d2(x)
def d2(x): d3(x)
def d3(x): d4(x)
def d4(x): d5(x)
def d5(x): os.remove(x)
def ping(x): pong(x)
def pong(x):
    ping(x)
    os.rmdir(x)
`,
    };
    const tools = read(['across', 'instances', 'dependency', 'too_deep', 'cycle'], files, {
      dependencies: { 'tidy-2.0.1': { 'tidy/__init__.py': 'from ._impl import clean\n', 'tidy/_impl.py': 'import shutil\n\ndef clean(p):\n    shutil.rmtree(p)\n' } },
    });
    expect(tools.get('across')!.effects.map((e) => `${e.kind} ${e.detail} ${e.file}:${e.line}`)).toEqual([
      'fs.write os.makedirs deep/store.py:5', 'fs.delete os.unlink deep/store.py:10', 'spawn subprocess.check_call deep/util.py:4',
    ]);
    expect(kinds(tools.get('instances'))).toEqual(['http DELETE', 'http POST hooks.example.com']);
    expect(tools.get('dependency')!.effects).toEqual([{ kind: 'fs.delete', detail: 'shutil.rmtree', file: 'tidy-2.0.1/tidy/_impl.py', line: 4, call: 'shutil.rmtree(p)' }]);
    expect(tools.output.dependencies).toEqual(['tidy']);
    // d1 → … → d4 are followed; d5, the fifth call, is not: no effect, and the result says it was cut short.
    expect(tools.get('too_deep')).toMatchObject({ handlerFound: true, effects: [], truncated: true });
    expect(kinds(tools.get('cycle'))).toEqual(['fs.delete os.rmdir']);
    expect(tools.get('cycle')!.truncated).toBeUndefined();
  });

  it('takes no ordinary method for a side effect', () => {
    const tools = read(['plain'], { 'plain/server.py': `
import json, requests
from mcp.server.fastmcp import FastMCP
from anthropic import Anthropic
mcp = FastMCP("plain")
def open(p, mode="w"):
    return p
@mcp.tool()
def plain(text: str, data: dict):
    text.replace("a", "b")
    data.get("x")
    requests.get("https://example.org").json().get("y")
    Anthropic().messages.create(model="m", messages=[])
    open("x", "w")
    json.dumps(data)
    return sorted(data.items())
` });
    expect(tools.get('plain')).toEqual({ handlerFound: true, handler: { file: 'plain/server.py', line: 9 }, effects: [{ kind: 'http', detail: 'GET example.org', file: 'plain/server.py', line: 12, call: 'requests.get("https://example.org")' }] });
  });

  it('skips files too large, with too long a line or nested too deep, and reads the rest', () => {
    const server = 'import os\nimport mcp\nfrom pkg import huge, wide, deep\n@mcp.tool()\ndef tidy(p):\n    huge.run(p)\n    wide.run(p)\n    deep.run(p)\n    os.remove(p)\n';
    const files = {
      'pkg/__init__.py': '',
      'pkg/server.py': server,
      // 10 MB on one line, with the tool's name in it so that it is a candidate.
      'pkg/huge.py': `def run(p): return [${'1,'.repeat(5 * 1024 * 1024)}]  # tidy\n`,
      // 200 KB on one line: the parser would take time quadratic in its tokens.
      'pkg/wide.py': `def run(p): return [${'1,'.repeat(100 * 1024)}]  # tidy\n`,
      'pkg/deep.py': `def run(p):\n    return (p\n${'    .b\n'.repeat(50_000)})  # tidy\n`,
    };
    const started = Date.now();
    const tools = read(['tidy'], files);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(tools.get('tidy')).toMatchObject({ handlerFound: true, effects: [{ kind: 'fs.delete', detail: 'os.remove', file: 'pkg/server.py', line: 9 }] });
    expect(tools.output.unparsed).toEqual([
      { file: 'pkg/huge.py', error: 'larger than 2097152 bytes' },
      { file: 'pkg/wide.py', error: 'has a line longer than 65536 bytes' },
      { file: 'pkg/deep.py', error: expect.stringMatching(/^(?:RecursionError|MemoryError)/) },
    ]);
  });

  it('bounds its output: at most 40 effects a tool, 160 characters a call, 8 MiB in all', () => {
    const calls = Array.from({ length: 60 }, (_, i) => `    os.remove("${String(i).padStart(3, '0')}${'x'.repeat(400)}")`).join('\n');
    const names = Array.from({ length: 5000 }, (_, i) => `t${i}`);
    const source = `import os\ndef handler(p):\n${calls}\nHANDLERS = {\n${names.map((n) => `    "${n}": handler,\n`).join('')}}\n`;
    const { output, bytes } = readRaw(names, { 'big/server.py': source });
    expect(bytes).toBeLessThan(8.5 * 1024 * 1024);
    const first = output.tools[0]!;
    expect(first).toMatchObject({ handlerFound: true, truncated: true });
    expect(first.effects).toHaveLength(40);
    expect(first.effects[0]!.call).toHaveLength(160);
    expect(first.effects[0]!.call.endsWith('…')).toBe(true);
    // Past 8 MiB, the remaining tools are given as not read.
    expect(output.tools).toHaveLength(5000);
    expect(output.tools.at(-1)).toEqual({ handlerFound: false, effects: [], truncated: true });
  }, 60_000);

  it('stops at its soft deadline and says the tools were cut short', () => {
    const tools = read(['bare'], { 'x/server.py': 'import os, mcp\n@mcp.tool\ndef bare(p):\n    os.remove(p)\n' }, { args: ['--soft-deadline-ms', '0'] });
    expect(tools.get('bare')).toEqual({ handlerFound: false, effects: [], truncated: true });
    expect(tools.output.truncated).toBe(true);
  });
});

describe.skipIf(missing !== null)(`analysePythonEffects in the sandbox${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let site: string;
  const installed = () => ({ root, sitePackages: site, distInfoDir: path.join(site, 'pyfix_own-1.0.dist-info') });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { mode: 0o644 });
  };

  beforeAll(() => {
    root = sandboxTempDir('mcp-catalogue-pyeffects-');
    site = path.join(root, 'venv/lib/python3.11/site-packages');
    write(path.join(site, 'pyfix_own/__init__.py'), '');
    write(path.join(site, 'pyfix_own/server.py'), [
      'import os', 'import mcp', 'from pyfix_dep import wipe', 'from pyfix_extra import never',
      '@mcp.tool()', 'def erase(p):', '    wipe(p)', '    never(p)', '    os.remove(p)', '',
    ].join('\n'));
    write(path.join(site, 'pyfix_own-1.0.dist-info/RECORD'), 'pyfix_own/__init__.py,,\npyfix_own/server.py,,\npyfix_own-1.0.dist-info/RECORD,,\n');
    write(path.join(site, 'pyfix_own-1.0.dist-info/METADATA'), 'Metadata-Version: 2.1\nName: pyfix-own\nVersion: 1.0\nRequires-Dist: pyfix_dep (>=1)\nRequires-Dist: pyfix-extra ; extra == "all"\n\nbody\n');
    write(path.join(site, 'pyfix_dep/__init__.py'), 'import shutil\n\n\ndef wipe(p):\n    shutil.rmtree(p)\n');
    write(path.join(site, 'pyfix_dep-0.2.dist-info/RECORD'), 'pyfix_dep/__init__.py,,\n');
    write(path.join(site, 'pyfix_extra/__init__.py'), 'import os\n\n\ndef never(p):\n    os.system(p)\n');
    write(path.join(site, 'pyfix_extra-0.1.dist-info/RECORD'), 'pyfix_extra/__init__.py,,\n');
    execFileSync('chmod', ['-R', 'a+rX', root]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads the project's handlers and its direct dependencies' code, not an extra's", async () => {
    const result = await analysePythonEffects(installed(), ['erase', 'erase', 'absent']);
    expect(result).toEqual({
      tools: [
        {
          name: 'erase',
          effects: {
            handlerFound: true, handler: { file: 'pyfix_own/server.py', line: 6 },
            effects: [
              { kind: 'fs.delete', detail: 'shutil.rmtree', file: 'pyfix_dep-0.2/pyfix_dep/__init__.py', line: 5, call: 'shutil.rmtree(p)' },
              { kind: 'fs.delete', detail: 'os.remove', file: 'pyfix_own/server.py', line: 9, call: 'os.remove(p)' },
            ],
          },
        },
        { name: 'absent', effects: { handlerFound: false, effects: [] } },
      ],
      modulesParsed: 2, filesUnparsed: 0, dependencies: ['pyfix-dep'], failure: null,
    });
  });

  it('records a failure of the reader instead of throwing: past its wall clock, past its output cap, a tree not laid out as installed', async () => {
    const notRead = [{ name: 'erase', effects: { handlerFound: false, effects: [], truncated: true } }];
    expect(await analysePythonEffects(installed(), ['erase'], { budgetMs: 1 })).toEqual({
      tools: notRead, modulesParsed: 0, filesUnparsed: 0, dependencies: [], failure: 'the code effects reader did not finish within 1 ms',
    });
    expect(await analysePythonEffects(installed(), ['erase'], { maxOutputBytes: 16 })).toMatchObject({ tools: notRead, failure: 'the code effects reader printed more than 16 bytes' });
    expect(await analysePythonEffects({ ...installed(), sitePackages: root }, ['erase'])).toMatchObject({ tools: notRead, failure: expect.stringMatching(/not laid out/) });
    expect(await analysePythonEffects({ ...installed(), distInfoDir: path.join(site, 'pyfix_gone-1.0.dist-info') }, ['erase'])).toMatchObject({
      tools: notRead, failure: expect.stringMatching(/^the code effects reader exited with code 1: ValueError: pyfix_gone-1\.0\.dist-info\/RECORD is missing/),
    });
  });

  it('checks what the reader printed: unknown kinds, bad lines and long calls are dropped or cut', () => {
    const parsed = parseEffectsOutput(JSON.stringify({
      tools: [
        {
          handlerFound: true, handler: { file: 'a.py', line: 0 },
          effects: [
            { kind: 'fs.write', detail: 'open', file: 'a.py', line: 3, call: 'x'.repeat(500) },
            { kind: 'teleport', detail: 'x', file: 'a.py', line: 1, call: '' },
            { kind: 'spawn', detail: 'subprocess.run', file: 'a.py', line: -1, call: '' },
          ],
        },
        'garbage',
      ],
      modulesParsed: 2, dependencies: ['d', 3],
    }), ['a', '__proto__']);
    expect(parsed.tools).toEqual([
      { name: 'a', effects: { handlerFound: true, effects: [{ kind: 'fs.write', detail: 'open', file: 'a.py', line: 3, call: `${'x'.repeat(159)}…` }], truncated: true } },
      { name: '__proto__', effects: { handlerFound: false, effects: [], truncated: true } },
    ]);
    expect(parsed).toMatchObject({ modulesParsed: 2, filesUnparsed: 0, dependencies: ['d'] });
    expect(() => parseEffectsOutput('{"tools": []}', ['a'])).toThrow(/0 tool entries for 1 names/);
  });
});

describe.skipIf(missing !== null)(`code effects of PyPI servers through the crawl${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let index: FakeIndex;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let summary: CrawlSummary;
  let late: CrawlSummary;
  let catalogue: CatalogueEntry[];
  let lateCatalogue: CatalogueEntry[];
  const effectsOf = (entries: CatalogueEntry[], server: string) =>
    new Map(entries.find((e) => e.server.identifier === server)!.tools.map((t) => [t.tool.name, t.codeEffects ?? null]));
  const fixture = (file: string) => readFileSync(path.join(FIXTURES, file), 'utf8');

  beforeAll(async () => {
    work = sandboxTempDir('mcp-catalogue-pypi-effects-');
    chmodSync(work, 0o755);
    const hostileServer = [
      '"""Exits at start; its tools call into modules a reader must survive."""',
      'import os', 'import sys', 'sys.exit("Error: PYFIX_HOSTILE_KEY is not set.")',
      'from mcp.server.fastmcp import FastMCP  # noqa: E402', 'from . import huge, big, deep, loop  # noqa: E402',
      'mcp = FastMCP("pyfix-hostile-effects")', '',
      '@mcp.tool()', 'def tidy(path: str) -> str:', '    """Tidies a folder."""',
      '    huge.run(path)', '    big.run(path)', '    deep.run(path)', '    loop.first(path)', '    os.remove(path)', '    return path', '',
      '@mcp.tool()', 'def keep(path: str) -> str:', '    """Keeps a copy."""', '    open(path, "a").write("kept")', '    return path', '',
      'def main():', '    mcp.run()', '',
    ].join('\n');
    const chain = Array.from({ length: 8 }, (_, i) => `def f${i}(p):\n    f${i + 1}(p)\n`).join('');
    const index_ = await startPypiIndex([
      {
        name: 'pyfix-effects-server',
        files: [buildWheel({
          name: 'pyfix-effects-server', version: '0.4.0', requires: ['pyfix-effects-helper>=1.0'],
          consoleScripts: { 'pyfix-effects-server': 'pyfix_effects_server.server:main' }, files: fixtureFiles(FIXTURES, ['pyfix_effects_server']),
        })],
      },
      { name: 'pyfix-effects-helper', files: [buildWheel({ name: 'pyfix-effects-helper', version: '1.0.0', files: fixtureFiles(FIXTURES, ['pyfix_effects_helper']) })] },
      {
        name: 'pyfix-lowlevel-server',
        files: [buildWheel({
          name: 'pyfix-lowlevel-server', version: '1.0.0', consoleScripts: { 'pyfix-lowlevel-server': 'pyfix_lowlevel_server.server:main' },
          files: fixtureFiles(FIXTURES, ['pyfix_lowlevel_server']),
        })],
      },
      {
        name: 'pyfix-hostile-effects',
        files: [buildWheel({
          name: 'pyfix-hostile-effects', version: '6.6.6', consoleScripts: { 'pyfix-hostile-effects': 'pyfix_hostile_effects.server:main' },
          files: {
            'pyfix_hostile_effects/__init__.py': '',
            'pyfix_hostile_effects/server.py': hostileServer,
            // A 10 MB module on one line, and a 3 MB one on many: the reader never parses them.
            'pyfix_hostile_effects/huge.py': `def run(p): return [${'1,'.repeat(5 * 1024 * 1024)}]  # tidy\n`,
            'pyfix_hostile_effects/big.py': `import shutil\n${'x = 1\n'.repeat(512 * 1024)}def run(p):\n    shutil.rmtree(p)\n`,
            // Nesting deeper than the parser takes, and calls that go round in a circle and deeper than followed.
            'pyfix_hostile_effects/deep.py': `def run(p):\n    return (p\n${'    .b\n'.repeat(50_000)})\n`,
            'pyfix_hostile_effects/loop.py': `import os\ndef first(p):\n    second(p)\n    f0(p)\ndef second(p):\n    first(p)\n${chain}def f8(p):\n    os.system(p)\n`,
          },
        })],
      },
    ]);
    index = index_;
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    const cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir, { mode: 0o755 });
    chmodSync(cacheDir, 0o755);
    const options = { store, http, npmRegistryUrl: 'http://127.0.0.1:9', pypiUrl: index.url, cacheDir, concurrency: 2, introspect: { timeoutMs: 20_000 } };
    const specs = ['pypi:pyfix-effects-server', 'pypi:pyfix-lowlevel-server', 'pypi:pyfix-hostile-effects'].map(parsePackageSpec);
    summary = await crawl(specs, options);
    await classifyStoredTools(store);
    catalogue = await store.catalogue();
    // Again, with a wall clock the reader cannot meet: it is killed, the crawl notes it and goes on.
    late = await crawl(specs.slice(1), { ...options, effectsBudgetMs: 1 });
    lateCatalogue = await store.catalogue();
  }, 300_000);

  afterAll(async () => {
    await index?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('stores what the handlers of tools read from source do: file, line, call', () => {
    expect(summary).toMatchObject({ tried: 3, introspected: 1, listedStatically: 2, failed: 0 });
    const server = fixture('pyfix_effects_server/server.py');
    const notes = fixture('pyfix_effects_server/notes.py');
    const effects = effectsOf(catalogue, 'pyfix-effects-server');
    const at = (file: string, text: string, snippet: string) => ({ file, line: lineOf(text, snippet) });
    const own = 'pyfix_effects_server/server.py';
    const expected: Record<string, { handler: string; effects: Array<{ kind: string; detail: string; file: string; line: number; call: string }> }> = {
      write_note: {
        handler: 'def write_note',
        effects: [
          { kind: 'fs.write', detail: 'os.makedirs', ...at('pyfix_effects_server/notes.py', notes, 'os.makedirs('), call: 'os.makedirs(NOTES_DIR, exist_ok=True)' },
          { kind: 'fs.write', detail: 'Path.write_text', ...at('pyfix_effects_server/notes.py', notes, 'write_text('), call: 'Path(path).write_text(text)' },
        ],
      },
      erase_note: { handler: 'def delete_note', effects: [{ kind: 'fs.delete', detail: 'os.remove', ...at(own, server, 'os.remove('), call: 'os.remove(note_path(title))' }] },
      run_command: {
        handler: 'def run_command',
        effects: [{ kind: 'spawn', detail: 'subprocess.run', ...at(own, server, 'subprocess.run('), call: 'subprocess.run(command, shell=True, capture_output=True, text=True)' }],
      },
      publish_note: {
        handler: 'async def publish_note',
        effects: [{ kind: 'http', detail: 'POST api.notes.example.com', ...at(own, server, 'client.post('), call: 'client.post(f"{API}/notes", json={"title": title})' }],
      },
      purge_archived: {
        handler: 'def purge_archived',
        effects: [{ kind: 'sql', detail: 'DELETE', ...at(own, server, 'connection.execute('), call: 'connection.execute("DELETE FROM notes WHERE archived = 1")' }],
      },
      capture_payment: {
        handler: 'def capture_payment',
        effects: [{ kind: 'payment', detail: 'paymentIntents.capture', ...at(own, server, 'PaymentIntent.capture('), call: 'stripe.PaymentIntent.capture(intent_id)' }],
      },
      read_note: { handler: 'def read_note', effects: [{ kind: 'fs.read', detail: 'Path.read_text', ...at(own, server, 'read_text()'), call: 'Path(note_path(title)).read_text()' }] },
      archive_note: {
        handler: 'def archive_note',
        effects: [{ kind: 'fs.write', detail: 'shutil.move', file: 'pyfix_effects_helper-1.0.0/pyfix_effects_helper/__init__.py', line: 6, call: 'shutil.move(path, folder)' }],
      },
    };
    expect([...effects.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, want] of Object.entries(expected)) {
      expect(effects.get(name), name).toEqual({ handlerFound: true, handler: at(own, server, want.handler), effects: want.effects });
    }
  });

  it('stores what the call_tool branches of a live-listed low-level server do', () => {
    const entry = catalogue.find((e) => e.server.identifier === 'pyfix-lowlevel-server')!;
    expect(entry.introspection).toMatchObject({ outcome: 'ok', method: 'live-stdio' });
    const source = fixture('pyfix_lowlevel_server/server.py');
    const file = 'pyfix_lowlevel_server/server.py';
    const effects = effectsOf(catalogue, 'pyfix-lowlevel-server');
    const one = (branch: string, kind: string, detail: string, snippet: string) => ({
      handlerFound: true, handler: { file, line: lineOf(source, branch) }, effects: [expect.objectContaining({ kind, detail, file, line: lineOf(source, snippet) })],
    });
    expect(effects.get('append_log')).toEqual(one('if name == "append_log"', 'fs.write', 'open', 'open(LOG, "a")'));
    expect(effects.get('drop_table')).toEqual(one('elif name == "drop_table"', 'sql', 'DROP', 'connection.execute('));
    expect(effects.get('send_report')).toEqual(one('case "send_report"', 'http', 'PUT reports.example.com', 'urllib.request.urlopen('));
    expect(effects.get('shell')).toEqual(one('case "shell" | "run_shell"', 'spawn', 'subprocess.check_output', 'subprocess.check_output('));
    expect(effects.get('list_files')).toEqual(one('case "list_files"', 'fs.read', 'os.listdir', 'os.listdir('));
  });

  it('reads past a hostile package\'s huge, one-line, deeply nested and circular modules', () => {
    const effects = effectsOf(catalogue, 'pyfix-hostile-effects');
    expect(effects.get('tidy')).toMatchObject({
      handlerFound: true, truncated: true,
      effects: [{ kind: 'fs.delete', detail: 'os.remove', file: 'pyfix_hostile_effects/server.py', line: 16, call: 'os.remove(path)' }],
    });
    expect(effects.get('keep')).toMatchObject({ handlerFound: true, effects: [{ kind: 'fs.write', detail: 'open', line: 22 }] });
    expect(effects.get('keep')!.truncated).toBeUndefined();
  });

  it('feeds the stored effects to the classifier', () => {
    const tools = new Map(catalogue.find((e) => e.server.identifier === 'pyfix-effects-server')!.tools.map((t) => [t.tool.name, t.classification]));
    expect(tools.get('capture_payment')?.ruleIds).toContain('code.effect.payment');
    expect(tools.get('purge_archived')?.ruleIds).toContain('code.effect.delete');
    expect(tools.get('read_note')?.ruleIds).toContain('code.effect.read-only');
    expect(tools.get('capture_payment')?.evidence).toContainEqual({
      source: 'code', quote: `pyfix_effects_server/server.py:${lineOf(fixture('pyfix_effects_server/server.py'), 'PaymentIntent.capture(')} stripe.PaymentIntent.capture(intent_id)`,
      ruleId: 'code.effect.payment',
    });
  });

  it('notes a reader killed at its wall clock, keeps the tools, and goes on to the next package', () => {
    expect(late).toMatchObject({ tried: 2, introspected: 1, listedStatically: 1, failed: 0 });
    for (const server of ['pyfix-lowlevel-server', 'pyfix-hostile-effects']) {
      const entry = lateCatalogue.find((e) => e.server.identifier === server)!;
      expect(entry.introspection?.outcome).toBe('ok');
      expect(entry.introspection?.stderrTail).toContain(`${CRAWLER_NOTE} reading what the tools' handlers do failed: the code effects reader did not finish within 1 ms`);
      for (const tool of entry.tools) expect(tool.codeEffects, `${server} ${tool.tool.name}`).toEqual({ handlerFound: false, effects: [], truncated: true });
    }
  });
});
