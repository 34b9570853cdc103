import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  argumentLists, asksForCommand, databasePlaceholder, discoverEnvNames, optionPlaceholder, placeholderArgument, placeholderEnvironment, placeholderEnvironments,
  placeholderValue, readmeArgumentLists, readmeEnvNames, readSourceHints, readUsage, REFUSING_URL, requiredOptions, SCRATCH_DIR, selectsStdio, SQLITE_PLACEHOLDER, subcommandsFromUsage,
  wantsPlaceholder,
} from '../crawler/launch/index.ts';
import { newerNodeWanted } from '../crawler/registries/npm/runtime.ts';
import { nodeRuntime, PACKAGE_MOUNT } from '../crawler/sandbox.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

describe('placeholders', () => {
  it.each([
    ['GITHUB_PERSONAL_ACCESS_TOKEN', 'placeholder0000000000000000000000'],
    ['STRIPE_SECRET_KEY', 'sk_test_placeholder000000000000000000'],
    ['POSTGRES_CONNECTION_STRING', 'postgresql://placeholder:placeholder@127.0.0.1:9/placeholder'],
    ['MONGODB_URI', 'mongodb://127.0.0.1:9/placeholder'],
    ['REDIS_URL', 'redis://127.0.0.1:9'],
    ['GITLAB_API_URL', REFUSING_URL],
    ['ELASTIC_HOST', '127.0.0.1'],
    ['SLACK_TEAM_ID', 'placeholder'],
  ])('%s → %s', (name, value) => {
    expect(wantsPlaceholder(name)).toBe(true);
    expect(placeholderValue(name)).toBe(value);
  });

  it.each(['PORT', 'MCP_TRANSPORT', 'NODE_ENV', 'LOG_LEVEL', 'CONFIG_FILE', 'ALLOWED_DIR', 'HTTP_PROXY', 'READ_ONLY', 'ENABLE_TOOLS'])(
    'never sets %s',
    (name) => expect(wantsPlaceholder(name)).toBe(false),
  );

  it('replaces what a README leaves to fill in', () => {
    expect(placeholderArgument('<account-id>')).toBe('placeholder');
    expect(placeholderArgument('--api-key=$STRIPE_KEY')).toBe('--api-key=placeholder');
    expect(placeholderArgument('/path/to/allowed/dir')).toBe(SCRATCH_DIR);
    expect(placeholderArgument('https://gitlab.example.com')).toBe(REFUSING_URL);
    expect(placeholderArgument('stdio')).toBe('stdio');
  });
});

describe('variables a README sets', () => {
  it('takes the keys of client configurations and the names shell lines set, never their values', () => {
    const readme = [
      '```json',
      '{ "mcpServers": { "acme": { "command": "npx", "args": ["-y", "acme-mcp"], "env": { "ACME_API_KEY": "<your key>", "REGION": "eu" } } } }',
      '```',
      '```sh',
      'export ACME_BASE_URL=https://acme.example',
      '$ ACME_ORG_ID=123 npx -y acme-mcp',
      'docker run -i --rm -e ACME_WORKSPACE=ws -e PORT=8080 acme/mcp',
      '```',
      'Set HIDDEN_IN_PROSE=1 in a sentence, or "notEnv": { "lower": "x" }.',
    ].join('\n');
    expect(readmeEnvNames(readme)).toEqual(['ACME_API_KEY', 'REGION', 'ACME_BASE_URL', 'ACME_ORG_ID', 'ACME_WORKSPACE']);
    expect(readmeEnvNames('# no configuration here')).toEqual([]);
  });
});

describe('reading a Python package', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-launch-py-'));
    writeFileSync(
      path.join(dir, 'server.py'),
      [
        'import os',
        'from psycopg2.extras import RealDictCursor',
        'from os import environ, getenv',
        'KEY = os.environ["ACME_API_KEY"]',
        'BASE = os.environ.get("ACME_BASE_URL", "https://acme.example")',
        'TIMEOUT = int(os.getenv("ACME_ACCOUNT_ID", "0"))',
        'DSN = environ.setdefault("DATABASE_URL", "")',
        'LEVEL = getenv("LOG_LEVEL")',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds os.environ and os.getenv reads, numbers, and Python database drivers', async () => {
    const hints = await readSourceHints(dir);
    expect([...hints.envNames].sort()).toEqual(['ACME_ACCOUNT_ID', 'ACME_API_KEY', 'ACME_BASE_URL', 'DATABASE_URL', 'LOG_LEVEL']);
    expect([...hints.numeric]).toEqual(['ACME_ACCOUNT_ID']);
    expect(hints.databaseSchemes).toEqual(['postgresql']);
    expect(await placeholderEnvironment(dir)).toEqual({
      ACME_ACCOUNT_ID: '1',
      ACME_API_KEY: 'placeholder0000000000000000000000',
      ACME_BASE_URL: REFUSING_URL,
      DATABASE_URL: 'postgresql://placeholder:placeholder@127.0.0.1:9/placeholder',
    });
  });
});

describe('reading a package', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-launch-'));
    mkdirSync(path.join(dir, 'dist'));
    mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
    writeFileSync(path.join(dir, 'dist/index.js'), 'const k = process.env.ACME_API_KEY; const u = process.env["ACME_BASE_URL"]; if (process.env.PORT) {}');
    writeFileSync(path.join(dir, 'node_modules/dep/index.js'), 'process.env.DEPENDENCY_TOKEN');
    writeFileSync(
      path.join(dir, 'README.md'),
      [
        '# acme-mcp',
        '```json',
        '{ "mcpServers": { "acme": { "command": "npx", "args": ["-y", "acme-mcp@latest", "stdio", "--org", "<your-org>"] } } }',
        '```',
        '```json',
        '{ "command": "npx", "args": ["-y", "acme-mcp", "--transport=http", "--port", "3000"] }',
        '```',
        '```json',
        '{ "command": "docker", "args": ["run", "-i", "--rm", "acme/other"] }',
        '```',
        'Or run `npx -y acme-mcp serve /path/to/dir` from a shell.',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the variables the package itself reads and those its stderr names', async () => {
    expect(await discoverEnvNames(dir, 'Error: ACME_WORKSPACE_ID is required')).toEqual(['ACME_API_KEY', 'ACME_BASE_URL', 'ACME_WORKSPACE_ID']);
  });

  it('finds documented stdio argument lists, skips HTTP ones and other packages', async () => {
    expect(await readmeArgumentLists(dir, 'acme-mcp')).toEqual([
      ['stdio', '--org', 'placeholder'],
      ['serve', SCRATCH_DIR],
    ]);
  });

  it('returns nothing for a package without a README', async () => {
    expect(await readmeArgumentLists(path.join(dir, 'dist'), 'acme-mcp')).toEqual([]);
  });
});

describe('format-aware placeholders', () => {
  it('gives a variable the prefix its source checks for, and a number where the source parses one', () => {
    const hints = { prefixes: new Map([['SLACK_BOT_TOKEN', 'xoxb-']]), numeric: new Set(['ACME_ACCOUNT_ID']) };
    expect(placeholderValue('SLACK_BOT_TOKEN', hints)).toBe('xoxb-placeholder0000000000000000000000');
    expect(placeholderValue('ACME_ACCOUNT_ID', hints)).toBe('1');
    expect(placeholderValue('ACME_ACCOUNT_ID')).toBe('placeholder');
  });

  it('gives a generic database URL the scheme of the driver the package uses, SQLite as a file in scratch', () => {
    expect(placeholderValue('DSN', { databaseSchemes: ['sqlite', 'postgresql'] })).toBe(`sqlite://${SQLITE_PLACEHOLDER}`);
    expect(placeholderValue('DATABASE_URL', { databaseSchemes: ['mysql'] })).toBe(databasePlaceholder('mysql'));
    expect(placeholderValue('DATABASE_URL')).toBe('postgresql://placeholder:placeholder@127.0.0.1:9/placeholder');
    expect(placeholderValue('SENTRY_DSN')).toBe('http://placeholder@127.0.0.1:9/1');
    expect(SQLITE_PLACEHOLDER.startsWith(`${SCRATCH_DIR}/`)).toBe(true);
  });

  it('turns documented connection strings and /tmp into placeholders', () => {
    expect(placeholderArgument('postgres://user:pass@db.example.com:5432/app')).toBe(databasePlaceholder('postgresql'));
    expect(placeholderArgument('mongodb+srv://cluster0.example.net/db')).toBe(databasePlaceholder('mongodb'));
    expect(placeholderArgument('--dsn=mysql://root:pw@localhost/db')).toBe(`--dsn=${databasePlaceholder('mysql')}`);
    expect(placeholderArgument('sqlite:///path/to/database.db')).toBe(`sqlite://${SQLITE_PLACEHOLDER}`);
    expect(placeholderArgument('/tmp')).toBe(SCRATCH_DIR);
    expect(placeholderArgument('/tmpfoo')).toBe('/tmpfoo');
  });

  it('values options by their names: URLs refuse, directories are scratch, files and ports are left out', () => {
    expect(optionPlaceholder('--dev-server-url')).toBe(REFUSING_URL);
    expect(optionPlaceholder('--allowed-directories')).toBe(SCRATCH_DIR);
    expect(optionPlaceholder('--vaultPath')).toBe(SCRATCH_DIR);
    expect(optionPlaceholder('--access-token')).toBe('placeholder0000000000000000000000');
    expect(optionPlaceholder('--config-file')).toBeNull();
    expect(optionPlaceholder('--port')).toBeNull();
  });
});

describe('options a failed start asks for', () => {
  it.each([
    ["commander: error: required option '--dev-server-url <devServerUrl>' not specified", ['--dev-server-url', REFUSING_URL]],
    ["commander: error: required option '-k, --api-key <key>' not specified", ['--api-key', 'placeholder0000000000000000000000']],
    ['yargs: Missing required argument: workspace-dir', ['--workspace-dir', SCRATCH_DIR]],
    ['oclif: Missing required flag api-token', ['--api-token', 'placeholder0000000000000000000000']],
    ['cobra: Error: required flag(s) "server-url", "token" not set', ['--server-url', REFUSING_URL, '--token', 'placeholder0000000000000000000000']],
    ['Please provide a personal access token with the --access-token flag or set ACME_TOKEN', ['--access-token', 'placeholder0000000000000000000000']],
    ['Usage: mcp-server-filesystem --allowed-directories <allowed-directories> [--verbose] [--log <file>]', ['--allowed-directories', SCRATCH_DIR]],
    ["error: missing required argument 'directory'", [SCRATCH_DIR]],
  ])('%s', (stderr, args) => {
    expect(requiredOptions(stderr)).toEqual(args);
  });

  it('leaves out transport, port and file options, and lines that ask for nothing', () => {
    expect(requiredOptions('Pass --port 3000 or --transport http to serve HTTP; --config-file is required')).toEqual([]);
    expect(requiredOptions('Starting with --verbose logging\n    at main (/srv/pkg/cli.js:3:9)')).toEqual([]);
  });
});

describe('sub-commands', () => {
  it.each([
    ['commander', 'Usage: acme [options] [command]\n\nCommands:\n  init            Create a config\n  mcp [options]   Start the MCP server\n  help [command]  display help', [['mcp']]],
    ['yargs', 'cli.js <command>\n\nCommands:\n  cli.js serve  Run the server\n  cli.js login  Log in\n\nOptions:\n  --help  Show help', [['serve']]],
    ['cobra', 'Usage:\n  acme [command]\n\nAvailable Commands:\n  completion  Generate completion\n  stdio       Start stdio server\n  http        Start HTTP server', [['stdio']]],
    ['a description that names MCP', 'Commands:\n  agent   Start the MCP server over stdio\n  login   Sign in', [['agent']]],
    ['nested', 'Commands:\n  mcp start   Start the MCP server\n  auth login  Sign in', [['mcp', 'start']]],
    ['a complaint naming the choices', "Error: Unknown command: undefined. Expected 'init' or 'run'.", [['run']]],
    ['nothing to start', 'Commands:\n  login  Sign in\n  logout  Sign out', []],
  ])('%s', (_kind, usage, commands) => {
    expect(subcommandsFromUsage(usage)).toEqual(commands);
  });

  it('knows when a start asked for a command', () => {
    expect(asksForCommand('Required command was not provided.')).toBe(true);
    expect(asksForCommand('Usage: acme <command>')).toBe(true);
    expect(asksForCommand('Error: ACME_API_KEY is required')).toBe(false);
  });
});

describe('README argument lists, more forms', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-launch-readme-'));
    writeFileSync(
      path.join(dir, 'README.md'),
      [
        '```json',
        '{ "command": "npx", "args": ["-y", "--package", "@acme/mcp-server", "--", "mcp", "start", "--api-key", "api-xxxx"] }',
        '```',
        '```json',
        '{ "command": "acme-mcp", "args": ["--workspace", "/Users/me/work"] }',
        '```',
        '```json',
        '{ "command": "npx", "args": ["-y", "@acme/mcp-server", "--allowed-directories /tmp"] }',
        '```',
      ].join('\n'),
    );
    mkdirSync(path.join(dir, 'more'));
    writeFileSync(path.join(dir, 'more/README.md'), 'claude mcp add acme npx -- -y @acme/mcp-server -p tsgo\n\n    npx -y @acme/mcp-server -p 3000\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the bin after npx --package … --, reads a bin command, splits "--flag value", keeps -p unless it is a port', async () => {
    const lists = await readmeArgumentLists(dir, '@acme/mcp-server', 'acme-mcp');
    expect(lists).toEqual([
      ['start', '--api-key', 'api-xxxx'],
      ['--workspace', SCRATCH_DIR],
      ['--allowed-directories', SCRATCH_DIR],
    ]);
    expect(await readmeArgumentLists(path.join(dir, 'more'), '@acme/mcp-server')).toEqual([['-p', 'tsgo']]);
  });

  it('puts required options and server sub-commands before the README, asking for usage only when needed', async () => {
    let asked = 0;
    const usage = async () => {
      asked += 1;
      return 'Commands:\n  mcp   Start the MCP server\n  auth  Sign in';
    };
    const lists = await argumentLists(dir, '@acme/mcp-server', 'acme-mcp', { output: 'Required command was not provided.', usage });
    expect(asked).toBe(1);
    expect(lists[0]).toEqual(['mcp']);
    const withOption = await argumentLists(dir, '@acme/mcp-server', 'acme-mcp', { output: "error: required option '--token <t>' not specified", usage });
    expect(asked).toBe(1);
    expect(withOption[0]).toEqual(['--token', 'placeholder0000000000000000000000']);
  });
});

describe('reading a package for hints', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-launch-hints-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'acme', dependencies: { pg: '^8.0.0' } }));
    writeFileSync(
      path.join(dir, 'index.js'),
      [
        "import { DatabaseSync } from 'node:sqlite';",
        "if (!process.env.SLACK_BOT_TOKEN?.startsWith('xoxb-')) throw new Error('bad token');",
        'const id = parseInt(process.env.ACME_ACCOUNT_ID, 10);',
        'const dsn = process.env.DSN; const tunnel = process.env.SSH_HOST;',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds prefixes, numbers and database drivers, SQLite first', async () => {
    const hints = await readSourceHints(dir);
    expect(hints.prefixes.get('SLACK_BOT_TOKEN')).toBe('xoxb-');
    expect([...hints.numeric]).toEqual(['ACME_ACCOUNT_ID']);
    expect(hints.databaseSchemes).toEqual(['sqlite', 'postgresql']);
  });

  it('builds the environment from them, with the scratch directory for directory variables stderr names', async () => {
    const env = await placeholderEnvironment(dir, 'Error: set OBSIDIAN_VAULT_PATH or ACME_CONFIG_PATH');
    expect(env).toEqual({
      ACME_ACCOUNT_ID: '1',
      DSN: `sqlite://${SQLITE_PLACEHOLDER}`,
      OBSIDIAN_VAULT_PATH: SCRATCH_DIR,
      SLACK_BOT_TOKEN: 'xoxb-placeholder0000000000000000000000',
      SSH_HOST: '127.0.0.1',
    });
  });

  it('tries only the variables a failed start named after trying them all', async () => {
    const envs = await placeholderEnvironments(dir, 'ERROR: set DSN to a connection string');
    expect(envs).toHaveLength(2);
    expect(Object.keys(envs[0]!)).toContain('SSH_HOST');
    expect(envs[1]).toEqual({ DSN: `sqlite://${SQLITE_PLACEHOLDER}` });
    expect(await placeholderEnvironments(dir, 'nothing named here')).toHaveLength(1);
  });
});

describe('asking a package for its usage in the sandbox', () => {
  let root: string;
  beforeAll(() => {
    root = sandboxTempDir('mcp-catalogue-launch-usage-');
    chmodSync(root, 0o755);
    writeFileSync(
      path.join(root, 'cli.js'),
      "if (process.argv.includes('--help')) { console.log('Usage: acme [command]\\n\\nCommands:\\n  mcp   Start the MCP server\\n  auth  Sign in'); console.error(Object.keys(process.env).sort().join(',')); process.exit(0); }\nsetInterval(() => {}, 1000);\n",
    );
    chmodSync(path.join(root, 'cli.js'), 0o644);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads stdout and stderr of --help, with nothing of our environment', async () => {
    process.env.MCP_CATALOGUE_TEST_CANARY = 'ours';
    const text = await readUsage({ packageRoot: root, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/cli.js`, '--help'] });
    expect(subcommandsFromUsage(text)).toEqual([['mcp']]);
    expect(text).toMatch(/^HOME,LANG,PATH,(?:PWD,)?TMPDIR$/m);
    delete process.env.MCP_CATALOGUE_TEST_CANARY;
  });

  it('gives up on a CLI that never exits', async () => {
    const started = performance.now();
    const text = await readUsage({ packageRoot: root, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/cli.js`] }, 1500);
    expect(text.trim()).toBe('');
    expect(performance.now() - started).toBeLessThan(8000);
  });
});

describe('stdio selection', () => {
  it.each([
    [['--figma-api-key=placeholder', '--stdio'], true],
    [['stdio'], true],
    [['--transport', 'stdio'], true],
    [['--transport=stdio', '--read-only'], true],
    [['--transport', 'http'], false],
    [['start', '--api-key', 'placeholder'], false],
  ])('%j → %s', (args, expected) => {
    expect(selectsStdio(args)).toBe(expected);
  });
});

describe('a start that needs a newer Node', () => {
  it.each([
    ['Error: Node.js 20 detected without native WebSocket support.', '>=22'],
    ['This package requires Node.js >= 22.5.0', '>=22.5'],
    ['Please use Node 24 or higher', '>=24.0'],
    ["Error [ERR_UNKNOWN_BUILTIN_MODULE]: No such built-in module: node:sqlite", '>=22.5'],
    ['Error [ERR_REQUIRE_ESM]: require() of ES Module /srv/pkg/node_modules/x/index.js not supported.', '>=22.12'],
    ['ReferenceError: WebSocket is not defined', '>=22'],
    ['TypeError: Promise.withResolvers is not a function', '>=22'],
  ])('%s → %s', (output, range) => {
    expect(newerNodeWanted(output, 20)).toBe(range);
  });

  it.each([
    'Requires Node.js 18 or higher',
    'Error: ACME_API_KEY is required',
    'TypeError: client.connect is not a function',
  ])('not: %s', (output) => {
    expect(newerNodeWanted(output, 20)).toBeNull();
  });
});

describe('server commands named in a complaint', () => {
  it('reads a quoted invocation and takes it without a usage section', async () => {
    const output = "Options:\n  -h, --help  Show help\n\nRun 'xcodebuild-acme mcp' to start the MCP server.\nRun 'xcodebuild-acme tools' to list tools.";
    expect(subcommandsFromUsage(output)).toEqual([['mcp']]);
    let asked = 0;
    const lists = await argumentLists(tmpdir(), 'xcodebuild-acme', undefined, { output, usage: async () => String(++asked) });
    expect(lists).toEqual([['mcp']]);
    expect(asked).toBe(0);
  });

  it('takes the first option of a sentence that offers alternatives', () => {
    expect(requiredOptions('OpenAPI spec is required. Use one of: --openapi-spec, --spec-from-stdin, or --spec-inline')).toEqual(['--openapi-spec', 'placeholder']);
    expect(requiredOptions('A key is required: pass --api-key or --api-key-file')).toEqual(['--api-key', 'placeholder0000000000000000000000']);
  });
});

describe('regressions from the benchmark list', () => {
  it('gives a *_SERVER_HOST variable a host, not a URL', () => {
    expect(placeholderValue('MCP_SERVER_HOST')).toBe('127.0.0.1');
    expect(placeholderValue('MCP_SERVER_URL')).toBe(REFUSING_URL);
  });

  it('does not read an options table as a request for options', () => {
    const help = '  --log-level   Set log verbosity level  [string]\n  --workspace   The workspace you must own\n\nRun \'acme mcp\' to start the MCP server.';
    expect(requiredOptions(help)).toEqual([]);
    expect(requiredOptions('exited with code 1 before answering initialize: --log-level               Set log verbosity level')).toEqual([]);
    expect(subcommandsFromUsage(help)).toEqual([['mcp']]);
  });
});

describe('README set-up commands', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-launch-setup-'));
    writeFileSync(path.join(dir, 'README.md'), 'Run `npx acme-mcp setup` once, or `npx acme-mcp init --client cursor`, then `npx acme-mcp auth login`.\n\n    npx acme-mcp --workspace /path/to/work\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('skips commands that set the tool up rather than start it', async () => {
    expect(await readmeArgumentLists(dir, 'acme-mcp')).toEqual([['--workspace', SCRATCH_DIR]]);
  });
});
