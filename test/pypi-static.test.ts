/**
 * Static extraction for PyPI servers: our reader (`crawler/registries/pypi/static_tools.py`) parses Python with `ast` and never
 * imports what it reads. First on source text written here (the reader run directly, since the text is ours), then
 * over an install tree in the sandbox, then through the crawl: a wheel whose server exits at start is stored with
 * the tools its source registers, method `static`, and the live failure beside them.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { extractPythonToolsStatically, parseReaderOutput } from '../crawler/registries/pypi/static.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type CatalogueEntry, type Store } from '../db/index.ts';
import { buildWheel, fixtureFiles, PYTHON, pypiPrerequisitesMissing, startPypiIndex, type FakeIndex } from './helpers/pypi-index.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const READER = path.resolve(import.meta.dirname, '../crawler/registries/pypi/static_tools.py');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/pypi');
const missing = pypiPrerequisitesMissing();

interface ReaderOutput {
  tools: Array<{ name: string; title?: string; description?: string; inputSchema: Record<string, unknown>; annotations?: Record<string, unknown> }>;
  filesRead: number;
  filesUnparsed: number;
  unparsed: Array<{ file: string; error: string }>;
  truncated: boolean;
}

/** Runs the reader on one module's source text (ours), as the sandbox runs it: `-I -S`. */
function read(source: string): ReaderOutput {
  return JSON.parse(execFileSync(PYTHON, ['-I', '-S', READER, '--stdin'], { input: source, encoding: 'utf8', env: { LANG: 'C.UTF-8' } })) as ReaderOutput;
}

const byName = (output: ReaderOutput) => Object.fromEntries(output.tools.map((t) => [t.name, t]));

describe.skipIf(!existsSync(PYTHON))('static_tools.py on source text', () => {
  it('reads @mcp.tool() functions: docstring as description, inputSchema from the signature', () => {
    const out = read(`
from typing import Annotated, List, Literal, Optional
from mcp.server.fastmcp import Context, FastMCP
from pydantic import Field

mcp = FastMCP("notes")

@mcp.tool()
async def search_notes(self, query: str, limit: int = 10, ratio: float = 0.5, exact: bool = False,
                       tags: list[str] | None = None, owners: Optional[List[str]] = None, meta: dict = None,
                       mode: Literal["fast", "deep"] = "fast", ctx: Context = None) -> str:
    """Searches the notes.

        Indented detail.
    """
`);
    expect(out.tools).toEqual([{
      name: 'search_notes',
      description: 'Searches the notes.\n\nIndented detail.',
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string' },
          limit: { type: 'integer', default: 10 },
          ratio: { type: 'number', default: 0.5 },
          exact: { type: 'boolean', default: false },
          tags: { type: 'array', items: { type: 'string' }, default: null },
          owners: { type: 'array', items: { type: 'string' }, default: null },
          meta: { type: 'object', default: null },
          mode: { type: 'string', enum: ['fast', 'deep'], default: 'fast' },
        },
        required: ['query'],
      },
    }]);
    expect(out).toMatchObject({ filesRead: 1, filesUnparsed: 0 });
  });

  it('reads @x.tool, @x.tool("name") and @x.tool(name=, title=, description=, annotations=), with Field descriptions', () => {
    const out = byName(read(`
import mcp
from mcp.types import ToolAnnotations

@server.tool(name="erase_note", title="Erase a note", description="Deletes " + "one note.", annotations={"destructiveHint": True, "audience": "x"})
def delete_note(title: Annotated[str, Field(description="Title of the note")], ctx: Context):
    """Not the description."""

@app.tool("archive")
def archive_note(note_id: int = Field(description="Which note"), keep: bool = Field(True, description="Keep a copy"),
                 labels: list[str] = Field(default_factory=list), why: "Optional[str]" = Field(..., description="Reason")):
    """Archives one note."""

@mcp.tool
def ping(*args, **kwargs):
    ""

@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True, openWorldHint=False, title=TITLE), exclude_args=["token"])
def whoami(token: str, verbose: bool = False):
    """Says who you are."""
`));
    expect(Object.keys(out)).toEqual(['erase_note', 'archive', 'ping', 'whoami']);
    expect(out.erase_note).toEqual({
      name: 'erase_note', title: 'Erase a note', description: 'Deletes one note.',
      inputSchema: { type: 'object', properties: { title: { type: 'string', description: 'Title of the note' } }, required: ['title'] },
      annotations: { destructiveHint: true },
    });
    expect(out.archive!.inputSchema).toEqual({
      type: 'object',
      properties: {
        note_id: { type: 'integer', description: 'Which note' },
        keep: { type: 'boolean', description: 'Keep a copy', default: true },
        labels: { type: 'array', items: { type: 'string' } },
        why: { type: 'string', description: 'Reason' },
      },
      required: ['note_id'],
    });
    expect(out.ping).toEqual({ name: 'ping', inputSchema: { type: 'object', properties: {} } });
    expect(out.whoami).toEqual({
      name: 'whoami', description: 'Says who you are.',
      inputSchema: { type: 'object', properties: { verbose: { type: 'boolean', default: false } } },
      annotations: { readOnlyHint: true, openWorldHint: false },
    });
  });

  it('reads add_tool(fn, ...) for a function of the module', () => {
    const out = read(`
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("files")

def read_file(path: str, encoding: Literal["utf-8", "latin-1"] | None = None) -> str:
    """Reads a file."""

mcp.add_tool(read_file, name="read_text", annotations={"readOnlyHint": True})
mcp.add_tool(imported_elsewhere, name="unknown_function")
`);
    expect(out.tools).toEqual([{
      name: 'read_text', description: 'Reads a file.',
      inputSchema: { type: 'object', properties: { path: { type: 'string' }, encoding: { type: 'string', enum: ['utf-8', 'latin-1'], default: null } }, required: ['path'] },
      annotations: { readOnlyHint: true },
    }]);
  });

  it('reads types.Tool(...) and Tool(...) of a list_tools handler, and tools/list dict literals', () => {
    const out = byName(read(`
from mcp import types
from mcp.server.lowlevel import Server
server = Server("low")

@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(name="get_weather", description="Current weather.", inputSchema={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
                   annotations=types.ToolAnnotations(readOnlyHint=True)),
        Tool(name="computed_schema", description=DESCRIPTION, inputSchema=Model.model_json_schema()),
    ]

TOOLS = [{"name": "drop_table", "description": "Drops a table.", "inputSchema": {"type": "object", "properties": {"table": {"type": "string", "enum": TABLES}}}}]
`));
    expect(Object.keys(out)).toEqual(['get_weather', 'computed_schema', 'drop_table']);
    expect(out.get_weather).toEqual({
      name: 'get_weather', description: 'Current weather.',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, annotations: { readOnlyHint: true },
    });
    // Not literal: left out, never guessed.
    expect(out.computed_schema).toEqual({ name: 'computed_schema', inputSchema: { type: 'object' } });
    expect(out.drop_table!.inputSchema).toEqual({ type: 'object', properties: { table: { type: 'string' } } });
  });

  it('leaves out decorators of other names, names that are not literal and descriptions that are not literal', () => {
    const out = read(`
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("x")

@mcp.resource("notes://{id}")
def a_resource(id: str): """A resource."""

@mcp.prompt()
def a_prompt(): """A prompt."""

@tool
def langchain_style(q: str): """Not an MCP registration."""

@mcp.tool(name=TOOL_NAME)
def dynamic_name(): """Its name is a variable."""

@mcp.tool(**OPTIONS)
def options_from_a_mapping(): """Its name could be anything."""

@mcp.tool(description=DESCRIPTIONS["x"])
def described_elsewhere(q: str):
    """A docstring that is not what the server lists."""

summary = Tool(name="summarise", func=summarise, description="A LangChain tool, with no inputSchema")
`);
    expect(out.tools).toEqual([{ name: 'described_elsewhere', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } }]);
  });

  it('reads name=None and description=None as the SDK does (the function name, the docstring); odd annotations give {}', () => {
    const out = read('import mcp\n@mcp.tool(name=None, description=None)\ndef named_by_def(a: Optional[()], b: "Annotated[()]", c: "((("):\n    """Doc."""\n');
    expect(out.tools).toEqual([{ name: 'named_by_def', description: 'Doc.', inputSchema: { type: 'object', properties: { a: {}, b: {}, c: {} }, required: ['a', 'b', 'c'] } }]);
  });

  it('takes no .tool decorator for an MCP tool in a file that never mentions MCP', () => {
    expect(read('from pydantic_ai import Agent\nagent = Agent("x")\n@agent.tool\ndef roll(ctx: RunContext[int]) -> str:\n    """Rolls a die."""\n').tools).toEqual([]);
  });

  it('does not parse a file with a line longer than 64 KiB (the parser is quadratic in one line\'s tokens), and says why', () => {
    const started = Date.now();
    const out = read(`import mcp\n@mcp.tool()\ndef wide(x: int):\n    return [${'1,'.repeat(2 * 1024 * 1024)}]\n`);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(out).toMatchObject({ tools: [], filesRead: 1, filesUnparsed: 1, unparsed: [{ file: '<stdin>', error: 'has a line longer than 65536 bytes' }] });
  });

  it('counts a file with a syntax error as unparsed and prints valid JSON', () => {
    const out = read('import mcp\n@mcp.tool()\ndef broken(:\n    pass\n');
    expect(out).toMatchObject({ tools: [], filesRead: 1, filesUnparsed: 1 });
    expect(out.unparsed[0]!.error).toMatch(/^SyntaxError: /);
  });

  it('survives nesting too deep for the parser (RecursionError, MemoryError) and bounds literal depth', () => {
    for (const deep of [`x = ${Array(100_000).fill('y').join(' + ')}  # tool`, `x = ${'-'.repeat(100_000)}1  # tool`]) {
      const out = read(deep);
      expect(out).toMatchObject({ tools: [], filesRead: 1, filesUnparsed: 1 });
      expect(out.unparsed[0]!.error).toMatch(/^(?:RecursionError|MemoryError|SyntaxError|has a line longer than)/);
    }
    // The same nesting over many lines reaches the parser, which gives up on it.
    const lines = read(`x = (y\n${'    + y\n'.repeat(100_000)})  # tool\n`);
    expect(lines).toMatchObject({ tools: [], filesRead: 1, filesUnparsed: 1 });
    expect(lines.unparsed[0]!.error).toMatch(/^(?:RecursionError|MemoryError)/);
    // 150 nested dicts parse (the parser allows 200 levels); the reader follows 40 and leaves the rest out.
    const nested = `T = {"name": "nested", "description": "d", "inputSchema": {"type": "object", "properties": ${'{"a": '.repeat(150)}1${'}'.repeat(150)}}}`;
    const out = read(nested);
    expect(out).toMatchObject({ filesUnparsed: 0, tools: [{ name: 'nested', description: 'd' }] });
    expect(JSON.stringify(out.tools[0]!.inputSchema).match(/"a"/g)!.length).toBeLessThan(45);
  });
});

describe.skipIf(missing !== null)(`extractPythonToolsStatically in the sandbox${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let site: string;
  const installed = () => ({ root, sitePackages: site, distInfoDir: path.join(site, 'pyfix_fake-1.0.dist-info') });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { mode: 0o644 });
  };

  beforeAll(() => {
    root = sandboxTempDir('mcp-catalogue-pystatic-');
    site = path.join(root, 'venv/lib/python3.11/site-packages');
    const tool = (name: string) => `import mcp\n@mcp.tool()\ndef ${name}(x: int):\n    """${name}."""\n`;
    write(path.join(site, 'pyfix_fake/__init__.py'), tool('own_tool'));
    write(path.join(site, 'pyfix_fake/sub/more.py'), tool('nested_module_tool'));
    write(path.join(site, 'pyfix_fake/broken.py'), 'import mcp\n@mcp.tool(\n');
    write(path.join(site, 'pyfix_fake/big.py'), `${tool('too_big_tool')}#${'x'.repeat(4096)}\n`);
    write(path.join(site, 'pyfix_dependency/__init__.py'), tool('dependency_tool'));
    write(path.join(root, 'outside.py'), tool('outside_tool'));
    symlinkSync('../pyfix_dependency/__init__.py', path.join(site, 'pyfix_fake/link.py'));
    write(path.join(site, 'pyfix_fake-1.0.dist-info/RECORD'), [
      'pyfix_fake/__init__.py,sha256=x,1', 'pyfix_fake/sub/more.py,,', 'pyfix_fake/broken.py,,', 'pyfix_fake/big.py,,', 'pyfix_fake/link.py,,',
      '../../../../outside.py,,', `${path.join(root, 'outside.py')},,`, 'pyfix_fake/absent.py,,', 'pyfix_fake-1.0.dist-info/RECORD,,', '',
    ].join('\n'));
    execFileSync('chmod', ['-R', 'a+rX', root]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads the project's own modules that RECORD lists, and nothing of its dependencies, outside or through a link", async () => {
    const result = await extractPythonToolsStatically(installed(), { maxFileBytes: 2048 });
    expect(result).toEqual({
      tools: [
        { name: 'own_tool', description: 'own_tool.', inputSchema: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] } },
        { name: 'nested_module_tool', description: 'nested_module_tool.', inputSchema: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] } },
      ],
      filesRead: 3,
      filesUnparsed: 1,
      failure: null,
    });
  });

  it('records a failure of the reader instead of throwing: no RECORD, output past its cap, a time-out', async () => {
    const noRecord = await extractPythonToolsStatically({ ...installed(), distInfoDir: path.join(site, 'pyfix_other-2.0.dist-info') });
    expect(noRecord).toMatchObject({ tools: [], failure: expect.stringMatching(/^the static reader exited with code 1: ValueError: pyfix_other-2\.0\.dist-info\/RECORD is missing/) });
    expect(await extractPythonToolsStatically(installed(), { maxOutputBytes: 16 })).toMatchObject({ tools: [], failure: 'the static reader printed more than 16 bytes' });
    expect(await extractPythonToolsStatically(installed(), { timeoutMs: 1 })).toMatchObject({ tools: [], failure: 'the static reader did not finish within 1 ms' });
    expect(await extractPythonToolsStatically({ ...installed(), sitePackages: tmpdir() })).toMatchObject({ tools: [], failure: expect.stringMatching(/not laid out/) });
  });

  it('checks what the reader printed: tools without a name are dropped, fields are cut to a definition', () => {
    const parsed = parseReaderOutput(JSON.stringify({
      tools: [{ name: '' }, { name: 'a', inputSchema: [], description: 3, annotations: { readOnlyHint: true }, extra: 1 }, { name: 'a', description: 'again' }],
      filesRead: 2, filesUnparsed: -1,
    }));
    expect(parsed).toEqual({ tools: [{ name: 'a', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }], filesRead: 2, filesUnparsed: 0 });
    expect(() => parseReaderOutput('{"tool": []}')).toThrow(/tools array/);
  });
});

describe.skipIf(missing !== null)(`a PyPI server that exits at start, through the crawl${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let index: FakeIndex;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let canary: string;
  let summary: CrawlSummary;
  let entry: CatalogueEntry;

  beforeAll(async () => {
    work = sandboxTempDir('mcp-catalogue-pypi-static-');
    chmodSync(work, 0o755);
    const canaryFolder = path.join(work, 'canary-folder');
    mkdirSync(canaryFolder);
    canary = path.join(canaryFolder, 'imported-outside-the-sandbox');
    const wheel = buildWheel({
      name: 'pyfix-static-server',
      version: '0.3.0',
      summary: 'A notes server that needs an API key',
      consoleScripts: { 'pyfix-static-server': 'pyfix_static_server.server:main' },
      files: { ...fixtureFiles(FIXTURES, ['pyfix_static_server']), 'pyfix_static_server/_paths.py': `CANARY = ${JSON.stringify(canary)}\n` },
    });
    index = await startPypiIndex([{ name: 'pyfix-static-server', files: [wheel] }]);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    const cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir, { mode: 0o755 });
    chmodSync(cacheDir, 0o755);
    summary = await crawl([parsePackageSpec('pypi:pyfix-static-server')], {
      store, http, npmRegistryUrl: 'http://127.0.0.1:9', pypiUrl: index.url, cacheDir, introspect: { timeoutMs: 20_000 },
    });
    entry = (await store.catalogue()).find((e) => e.server.identifier === 'pyfix-static-server')!;
  }, 180_000);

  afterAll(async () => {
    await index?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('stores the tools its source registers, method static, with the live failure and its stderr', () => {
    expect(summary).toMatchObject({ tried: 1, introspected: 0, listedStatically: 1, failed: 0 });
    expect(summary.results[0]).toMatchObject({ version: '0.3.0', outcome: 'ok', method: 'static', failureReason: 'needs_configuration', toolCount: 3 });
    expect(entry.introspection).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'needs_configuration' });
    expect(entry.introspection?.failureMessage).toMatch(/PYFIX_STATIC_API_KEY.*; 3 tool\(s\) read from 4 source file\(s\) instead$/);
    expect(entry.introspection?.stderrTail).toMatch(/PYFIX_STATIC_API_KEY is not set/);
    const tools = Object.fromEntries(entry.tools.map((t) => [t.tool.name, t.tool.definition]));
    expect(Object.keys(tools).sort()).toEqual(['erase_note', 'list_archived', 'search_notes']);
    expect(tools.search_notes).toEqual({
      name: 'search_notes', description: 'Searches the notes.\n\nMatches titles and bodies.',
      inputSchema: {
        type: 'object',
        properties: { query: { type: 'string' }, limit: { type: 'integer', default: 10 }, tags: { type: 'array', items: { type: 'string' }, default: null } },
        required: ['query'],
      },
    });
    expect(tools.erase_note).toMatchObject({ description: 'Deletes one note for good.', annotations: { destructiveHint: true } });
    expect(tools.list_archived).toMatchObject({ inputSchema: { properties: { order: { type: 'string', enum: ['newest', 'oldest'], default: 'newest' } } }, annotations: { readOnlyHint: true } });
  });

  it('parses the modules without importing them: the canary module neither ran outside nor took over the reader', () => {
    // more_tools.py, if imported, writes the canary (outside the sandbox) or prints a tool "imported_by_the_reader".
    expect(entry.tools.map((t) => t.tool.name)).not.toContain('imported_by_the_reader');
    expect(existsSync(canary)).toBe(false);
  });
});
