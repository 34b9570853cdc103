/**
 * The Node runtime a package asks for. When the crawler's own Node does not satisfy the package's `engines.node`,
 * an official Node build is installed from the npm registry's `node-linux-<arch>` package (the binary ships inside
 * the tarball, so no install script is needed), cached per version like any package, and mounted read-only in the
 * sandbox at {@link RUNTIME_MOUNT}.
 *
 * Choice: the lowest major line that satisfies the range, at its newest version in that line (a package that says
 * `>=22` is run on the newest 22.x rather than on a brand-new major it never saw).
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { HttpClient } from '../../http.ts';
import { installNpmPackage } from './install.ts';
import { fetchPackument, type Packument } from './client.ts';
import { nodeRuntime } from '../../sandbox.ts';
import type { LadderHooks, LadderRuntime } from '../../ladder.ts';

/** Where an installed runtime appears inside the sandbox. */
export const RUNTIME_MOUNT = '/opt/node';

export interface RuntimeChoice {
  /** The node executable as seen inside the sandbox. */
  executable: string;
  /** Host directory to mount at {@link RUNTIME_MOUNT}, or null for the crawler's own Node (under `/usr`). */
  runtimeDir: string | null;
  /** The Node version, without the `v`. */
  version: string;
  /** Why this runtime: `default`, or the engines range it satisfies. */
  reason: string;
}

export interface RuntimeContext {
  http: HttpClient;
  registryUrl: string;
  cacheDir: string;
  signal?: AbortSignal;
}

const packuments = new Map<string, Promise<Packument>>();

/** Picks the version to install for `range` from a list, or null when none satisfies it. */
export function pickNodeVersion(range: string, versions: readonly string[]): string | null {
  const satisfying = versions.filter((v) => semver.valid(v) && !semver.prerelease(v) && semver.satisfies(v, range));
  if (satisfying.length === 0) return null;
  const lowestMajor = Math.min(...satisfying.map((v) => semver.major(v)));
  return semver.maxSatisfying(satisfying.filter((v) => semver.major(v) === lowestMajor), '*');
}

/**
 * The runtime for a package with `engines.node` = `range`. Falls back to the crawler's own Node when the range is
 * absent, unparsable or already satisfied, or when no build satisfies it (the start then fails on its own terms).
 * @throws the install's CrawlError when the chosen build cannot be installed.
 */
export async function chooseNodeRuntime(range: string | undefined, ctx: RuntimeContext): Promise<RuntimeChoice> {
  const own = nodeRuntime();
  const ownChoice: RuntimeChoice = { executable: own.executable, runtimeDir: null, version: process.versions.node, reason: 'default' };
  if (!range || !semver.validRange(range) || semver.satisfies(process.versions.node, range)) return ownChoice;
  const name = `node-linux-${process.arch}`;
  const key = `${ctx.registryUrl} ${name}`;
  if (!packuments.has(key)) {
    const pending = fetchPackument(ctx.http, ctx.registryUrl, name, ctx.signal);
    pending.catch(() => packuments.delete(key));
    packuments.set(key, pending);
  }
  let version: string | null;
  try {
    version = pickNodeVersion(range, Object.keys((await packuments.get(key)!).versions));
  } catch {
    return ownChoice;
  }
  if (!version) return ownChoice;
  const installed = await installNpmPackage(name, version, { cacheDir: ctx.cacheDir, registryUrl: ctx.registryUrl, signal: ctx.signal });
  await access(path.join(installed.packageDir, 'bin/node'), constants.X_OK);
  return { executable: `${RUNTIME_MOUNT}/bin/node`, runtimeDir: installed.packageDir, version, reason: `engines.node "${range}"` };
}

/**
 * What a failed start says about the Node it needs, as a semver range for `runtime.ts`, or null. Recognised: a
 * message naming the Node version it refuses ("Node.js 20 detected", "requires Node.js >= 22"); a built-in module
 * this Node lacks (`node:sqlite`, ERR_UNKNOWN_BUILTIN_MODULE); globals and methods added in later releases
 * (`WebSocket`, `navigator`, `Iterator` not defined, `Promise.withResolvers` not a function); `require()` of an ES
 * module (ERR_REQUIRE_ESM, allowed from Node 22.12). Only asked when the crawler's own Node ran the start.
 */
export function newerNodeWanted(output: string, ownMajor = Number(process.versions.node.split('.')[0])): string | null {
  const stated = /\b(?:requires?|needs?|minimum(?: version)?(?: of)?|at least|use|upgrade to)\s+Node(?:\.js|JS)?\s*(?:version\s*)?(?:>=?\s*|v|\^)?(\d{2})(?:\.(\d+))?/i.exec(output)
    ?? /\bNode(?:\.js|JS)?\s*(?:version\s*)?(?:>=\s*|v)?(\d{2})(?:\.(\d+))?(?:\.\d+)?\s*(?:or (?:higher|later|newer)|\+)/i.exec(output);
  if (stated && Number(stated[1]) > ownMajor) return `>=${stated[1]}.${stated[2] ?? 0}`;
  if (new RegExp(String.raw`\bNode(?:\.js)?\s*v?${ownMajor}(?:\.\d+)*\s+(?:detected|is not supported|is too old|is unsupported)`, 'i').test(output)) return `>=${ownMajor + 2}`;
  if (/ERR_UNKNOWN_BUILTIN_MODULE|No such built-in module: node:|Cannot find (?:module|package) 'node:sqlite'/.test(output)) return '>=22.5';
  if (/ERR_REQUIRE_ESM|require\(\) of ES Module/.test(output)) return '>=22.12';
  if (/ReferenceError: (?:WebSocket|CloseEvent|navigator|Iterator|CustomEvent) is not defined/.test(output)) return '>=22';
  if (/\.(?:withResolvers|fromAsync|groupBy|union|intersection|difference) is not a function/.test(output)) return '>=22';
  return null;
}

/** The Node major the ladder falls back to ({@link nodeLadderHooks}): the LTS line after the crawler's own Node 20. */
const NEWER_NODE_MAJOR = 22;
/** A JavaScript error thrown while the server loads, as an API missing from an older Node throws. */
const LOAD_TIME_ERROR = /^\s*(?:Uncaught )?(?:TypeError|ReferenceError|SyntaxError)\b/m;
/** A module that is not there: no Node version brings it back. */
const MISSING_MODULE = /Cannot find (?:module|package)|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/;

/**
 * The npm registry's rungs of the ladder, for a start on the crawler's own Node (`/usr`, no `runtimeDir`); a start
 * on a Node build is left alone. The crawler's own Node may be older than a package expects without its engines.node
 * saying so: `runtimeWanted` answers a Node build that satisfies what a failed start asks for ({@link newerNodeWanted});
 * `fallbackRuntime` answers a Node 22 build when the bare start crashed with a `TypeError`, `ReferenceError` or
 * `SyntaxError` while loading (an API this Node lacks, not a missing module). A build that cannot be installed is
 * null: the ladder goes on as it was.
 */
export function nodeLadderHooks(ctx: RuntimeContext): LadderHooks {
  const ownNode = (runtime: LadderRuntime) => runtime.runtimeDir === null && path.basename(runtime.executable) === 'node';
  const named = (choice: RuntimeChoice): LadderRuntime => ({ ...choice, name: 'Node' });
  return {
    async runtimeWanted(failed, current) {
      if (!ownNode(current)) return null;
      const wanted = newerNodeWanted(`${failed.stderrTail}\n${failed.failureMessage ?? ''}`);
      return wanted ? named(await chooseNodeRuntime(wanted, ctx)) : null;
    },
    async fallbackRuntime(first, current) {
      if (!ownNode(current) || first.failureReason !== 'crashed_on_start' || !LOAD_TIME_ERROR.test(first.stderrTail) || MISSING_MODULE.test(first.stderrTail)) return null;
      if (Number(process.versions.node.split('.')[0]) >= NEWER_NODE_MAJOR) return null;
      return named(await chooseNodeRuntime(`>=${NEWER_NODE_MAJOR}`, ctx));
    },
  };
}
