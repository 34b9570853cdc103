/**
 * Is an npm package an MCP server? Decided from the latest version's manifest in the packument alone (no tarball, no
 * code run): the rules below, first match wins, each with a reason code and a sentence. The rules err toward
 * "server": a package wrongly planned costs one failed crawl, a server wrongly left out is never listed.
 *
 * | code              | rule (manifest facts)                                                                          |
 * |-------------------|------------------------------------------------------------------------------------------------|
 * | `platform-binary` | `os` or `cpu` narrows it to one platform and the name ends in a platform (`-linux-x64`), or both name a single value |
 * | `no-entry`        | no `bin`, no `main`, no `exports` (a stub, a moved package, `types` only)                      |
 * | `plugin`          | no `bin`, and a `*-plugin` keyword or "plugin for" wording                                     |
 * | `client`          | described as a client, inspector, tester, installer or conformance suite, not as a server (with a bin: "MCP client", "tester for MCP", "CLI tool"…) |
 * | `sdk`             | described as an SDK, framework, library, toolkit, utilities or adapter, not as a server (with a bin: "framework for building…") |
 * | `plugin`          | no `bin`, not described as a server, and a peer dependency on a host tool (not MCP, zod, typescript) |
 * | `no-entry`        | no `bin`, and neither described as a server nor depending on a server library                  |
 * | (server)          | anything else: a `bin`, or a module described as a server that depends on a server library     |
 *
 * "Described as a server" is the description (or, when it has none, the name) saying "MCP server", "Model Context
 * Protocol server", "MCP App Server", "MCP service", "MCP gateway"/"router"/"proxy server" in the singular: "a
 * framework for building MCP servers" is not. Facts used: `name`, `description`, `keywords`, `bin`, `main`,
 * `exports`, `types`/`typings`, `os`, `cpu`, `dependencies`, `peerDependencies` (npm package.json docs,
 * docs.npmjs.com/cli/configuring-npm/package-json). Every string is packument data: read, never used as an object key.
 */
import { z } from 'zod';
import { lenientArray, optString } from './shapes.ts';
import type { NotServer, NotServerCode } from '../../records/index.ts';

/** Libraries a server is built on: a dependency on one of them (with a server-like description) makes a module a server. */
export const SERVER_LIBRARIES = [
  '@modelcontextprotocol/sdk', '@modelcontextprotocol/server', 'fastmcp', 'tmcp', 'mcp-framework', 'mcp-handler', 'mcp-proxy',
] as const;

/** Peer dependencies that say nothing about a host: the MCP libraries themselves and common runtime helpers. */
const NEUTRAL_PEERS = /^(@modelcontextprotocol\/|@tmcp\/|tmcp$|fastmcp$|zod$|typescript$|node$|@types\/|tslib$|valibot$|arktype$|effect$)/;

const PLATFORM_SUFFIX = /-(linux|darwin|macos|win32|windows|freebsd|openbsd|android|alpine|musl|gnu)(-(x64|arm64|amd64|ia32|x86|arm|aarch64|x86_64|musl|gnu|msvc))*$|-(x64|arm64|amd64|ia32|aarch64|x86_64)$/i;

const CLAIMS_SERVER = /\b(mcp|model[ -]?context[ -]?protocol)\s+(app\s+)?(server|service|gateway|router|proxy server|bridge)\b(?!s)|\bserver\s+for\s+(the\s+)?(mcp|model[ -]?context[ -]?protocol)\b|\bmcp[- ]server\b(?!s)|\bmcp\s*\([^)]{0,40}\)\s*server\b(?!s)/i;
const CLIENT_WORDS = /\b(client|inspector|tester|test(ing)?\s+(utility|framework|tool|harness)|conformance|installer|install(s|ing)?\s+(and\s+manage\s+)?mcp|cli\s+tool|setup\s+wizard)\b/i;
const SDK_WORDS = /\b(sdk|framework|library|toolkit|utilities|utils|helpers|adapter|middleware|implementation\s+for\s+typescript|storage\s+backend)\b/i;
const PLUGIN_WORDS = /\b(plugin|add-?on|extension)\s+(for|of)\b|\bplugin\b/i;
/** With a bin, weak words ("client", "library") are often about what a server talks to; these phrasings are not. */
const BIN_CLIENT_WORDS = /\b(mcp|model[ -]?context[ -]?protocol)\s+(client|inspector|tester)\b|\b(client|inspector|tester|conformance|(test(ing)?|evaluation)(\s+and\s+evaluation)?\s+(utility|framework|tool|harness|suite))\s+for\s+(the\s+)?(mcp|model[ -]?context[ -]?protocol)\b|\binstall(s|ing)?\s+(and\s+manage\s+)?mcp|\bcli\s+tool\b|\bsetup\s+wizard\b/i;
const BIN_SDK_WORDS = /\b(sdk|framework|toolkit|library)\s+(for|to)\s+(build|creat|develop|writ)|^(an?\s+|the\s+)?(typescript\s+|javascript\s+|node(\.js)?\s+)?(sdk|framework|toolkit)\b/i;
const NAME_CLIENT = /(^|[-/_.])(client|inspector|conformance|tester)([-/_.]|$)/i;
const NAME_SDK = /(^|[-/_.])(sdk|core|utils|adapter|types|framework)([-/_.]|$)/i;

const facts = z.object({
  name: z.string().catch(''),
  description: optString,
  keywords: lenientArray(z.string()),
  bin: z.union([z.string(), z.record(z.string(), z.unknown())]).optional().catch(undefined),
  main: optString,
  exports: z.unknown().optional(),
  types: optString,
  typings: optString,
  os: lenientArray(z.string()),
  cpu: lenientArray(z.string()),
  dependencies: z.record(z.string(), z.unknown()).optional().catch(undefined),
  peerDependencies: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/**
 * Decides whether the package a manifest describes is an MCP server.
 * @param manifest one version object of a packument (`versions[<latest>]`), any shape; unreadable fields count as absent.
 * @returns `null` for a server, else the {@link NotServer} outcome.
 */
export function decideServer(manifest: unknown): NotServer | null {
  const parsed = facts.safeParse(manifest);
  if (!parsed.success) return null;
  const m = parsed.data;
  const description = (m.description ?? '').slice(0, 4000);
  const deps = Object.keys(m.dependencies ?? {});
  const peers = Object.keys(m.peerDependencies ?? {});
  const hasBin = typeof m.bin === 'string' ? m.bin.trim() !== '' : m.bin !== undefined && Object.keys(m.bin).length > 0;
  const hasModule = Boolean(m.main?.trim()) || (m.exports !== undefined && m.exports !== null);
  // Without a description the name speaks: `@x/mcp-server-sdk` is an SDK before it is a server.
  const nameClient = !description && NAME_CLIENT.test(m.name);
  const nameSdk = !description && !nameClient && NAME_SDK.test(m.name);
  const claimsServer = !nameClient && !nameSdk && CLAIMS_SERVER.test(description || m.name);

  const single = (values: string[]) => values.length === 1 && !values[0]!.startsWith('!');
  if ((m.os.length > 0 || m.cpu.length > 0) && (PLATFORM_SUFFIX.test(m.name) || (single(m.os) && single(m.cpu)))) {
    return notServer('platform-binary', `a platform binary package (os ${list(m.os)}, cpu ${list(m.cpu)}): installed through its parent package, not run on its own`);
  }
  if (!hasBin && !hasModule) {
    const typesOnly = Boolean(m.types ?? m.typings);
    return notServer('no-entry', typesOnly ? 'no bin, main or exports: type declarations only' : 'no bin, main or exports: nothing to run');
  }
  const hostPeers = peers.filter((p) => !NEUTRAL_PEERS.test(p));
  const pluginKeyword = m.keywords.find((k) => /-plugin$|^plugin$/i.test(k));
  if (!hasBin && (pluginKeyword || (PLUGIN_WORDS.test(description) && !claimsServer))) {
    const why = pluginKeyword ? `keyword ${quote(pluginKeyword)}` : 'described as a plugin';
    return notServer('plugin', `a plugin for another tool (${why}), with no bin of its own`);
  }
  if (!claimsServer) {
    const clientOnly = deps.includes('@modelcontextprotocol/client') && !deps.some((d) => (SERVER_LIBRARIES as readonly string[]).includes(d));
    if ((hasBin ? BIN_CLIENT_WORDS : CLIENT_WORDS).test(description) || clientOnly || nameClient) {
      return notServer('client', clientOnly ? 'depends on the MCP client library only, no server library' : nameClient ? 'named as a client, inspector, conformance suite or tester, with no description' : 'described as an MCP client, inspector, tester or installer, not a server');
    }
    if ((hasBin ? BIN_SDK_WORDS : SDK_WORDS).test(description) || nameSdk) {
      return notServer('sdk', nameSdk ? 'named as an SDK, core, utilities, adapter or types package, with no description' : 'described as an SDK, framework or library for building MCP software, not a server');
    }
  }
  if (!hasBin && !claimsServer && hostPeers.length > 0) {
    return notServer('plugin', `a plugin for another tool (peer dependencies on ${list(hostPeers.slice(0, 3))}), with no bin of its own`);
  }
  if (!hasBin && !(claimsServer && deps.some((d) => (SERVER_LIBRARIES as readonly string[]).includes(d)))) {
    return notServer('no-entry', claimsServer
      ? 'no bin, and no dependency on a server library: a module to import, not a server to run'
      : 'no bin, and not described as a server: a module to import');
  }
  return null;
}

function notServer(code: NotServerCode, reason: string): NotServer {
  return { code, reason };
}

function list(values: string[]): string {
  return values.length ? values.map(quote).join(', ') : 'any';
}

/** A packument string shown in a reason: control characters dropped, at most 60 characters. */
function quote(value: string): string {
  const clean = [...value].filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f).join('').slice(0, 60);
  return JSON.stringify(clean);
}
