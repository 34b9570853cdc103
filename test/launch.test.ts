import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverEnvNames, placeholderArgument, placeholderValue, readmeArgumentLists, REFUSING_URL, SCRATCH_DIR, wantsPlaceholder } from '../crawler/launch.ts';

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
