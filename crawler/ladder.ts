/**
 * The strategy ladder: how a package that will not start bare is started after all. Every registry's crawl runs it
 * the same way ({@link startLadder}); what is particular to a runtime (a newer Node build for an npm package) comes in
 * as {@link LadderHooks} the registry provides.
 */
import path from 'node:path';
import type { FailureReason, IntrospectionMethod, PackageSpec } from '../records/index.ts';
import { DEFAULT_SESSION_TIMEOUT_MS } from './defaults.ts';
import {
  argumentLists, declaredArguments, declaredEnvironment, placeholderEnvironments, placeholderFiles, readUsage, selectsStdio,
} from './launch/index.ts';
import { DEFAULT_LIMITS, type SandboxLimits } from './sandbox.ts';
import { introspectLive, introspectOverHttp, type LiveResult } from './session/index.ts';
import type { CrawlOptions } from './types.ts';

/** What a start runs on: an executable as seen inside the sandbox, and the host folder mounted for it (or none). */
export interface LadderRuntime {
  /** The interpreter as seen inside the sandbox (`/usr/bin/node`, `/opt/node/bin/node`, `/srv/pkg/venv/bin/python`). */
  executable: string;
  /** Host directory mounted at `/opt/node`, or null when the runtime is under the sandbox's `/usr` or the package. */
  runtimeDir: string | null;
  /** The runtime's version, for notes. */
  version: string;
  /** The runtime's name, for notes ("Node"). @default the executable's file name */
  name?: string;
}

/**
 * Runtime-specific rungs a registry adds to the ladder. Each is asked only while the ladder still runs on the runtime
 * it started with, and may answer null to change nothing.
 */
export interface LadderHooks {
  /**
   * After a failed start: a runtime the start's output asks for (a message naming a newer Node). When it answers one
   * with a `runtimeDir`, that start and every later rung run on it. Asked until one runtime is chosen.
   */
  runtimeWanted?(failed: LiveResult, current: LadderRuntime): Promise<LadderRuntime | null>;
  /** After every rung failed: a runtime to run the whole ladder once more on (a newer Node after a load-time error). */
  fallbackRuntime?(first: LiveResult, current: LadderRuntime): Promise<LadderRuntime | null>;
}

/** What the ladder starts. */
export interface LadderTarget {
  /** Host folder of the package's own files, read for placeholders, usage and README argument lists. */
  packageDir: string;
  /** Host install root, mounted read-only at `/srv/pkg`. */
  packageRoot: string;
  /** The file the runtime starts, as seen inside the sandbox. */
  entryFile: string;
  /** The package name, as a README's `npx <name>` lines write it. */
  name: string;
  /** The bin (or console script) name, as a README's client configurations write it. */
  binName?: string;
  runtime: LadderRuntime;
  /** What the server's `server.json` declares it needs; wins over what was read from the source. */
  declared?: PackageSpec['declared'];
  hooks?: LadderHooks;
}

/** How much the data limit (RLIMIT_DATA) grows for the start after a `sandbox_limit` failure. */
export const WIDER_DATA_FACTOR = 4;

/**
 * The limits for a start after one failed with `sandbox_limit` (V8 could not reserve its code range): the data limit
 * {@link WIDER_DATA_FACTOR} times larger. The memory the tree may really use stays bounded by its control group.
 */
export function widerLimits(limits: Partial<SandboxLimits> | undefined): Partial<SandboxLimits> {
  return { ...limits, dataBytes: (limits?.dataBytes ?? DEFAULT_LIMITS.dataBytes) * WIDER_DATA_FACTOR };
}

/** Failures a placeholder or a documented argument may get past. A time-out is not one: it would cost a full timeout again. */
const WORTH_ANOTHER_START = new Set<FailureReason>(['needs_configuration', 'crashed_on_start']);

/**
 * The strategy ladder: a bare start; then placeholder environments ({@link placeholderEnvironments}); then the first
 * of those plus each argument list {@link argumentLists} finds: options a failed start asked for, the server
 * sub-command its usage lists (from `--help` if need be), and the lists the README documents. Stops at the first
 * success. A server that came up on HTTP gets the lists that select stdio, then the `live-http` relay. The registry's
 * {@link LadderHooks} may move a start, and the rungs after it, to another runtime, or run the whole ladder once more on
 * one. A start that fails with `sandbox_limit` (V8 could not reserve its code range under RLIMIT_DATA) is made again
 * with {@link widerLimits}, which every later rung keeps. When every rung fails, the bare start's failure is the one
 * recorded, with a note of what else was tried.
 */
export async function startLadder(target: LadderTarget, options: CrawlOptions): Promise<LiveResult & { method: IntrospectionMethod }> {
  const { packageDir, entryFile, packageRoot, name, binName, runtime, declared, hooks = {} } = target;
  let rt = runtime;
  // Whether a hook chose the runtime (perhaps the one already used): then no start asks again.
  let chosen = false;
  // Whether the last start used up (nearly) the whole wall clock, whatever its reason (a hang that announced a port
  // is `http_only`), or was ended early while it waited on the network: another start with the same environment
  // would most likely hang as long.
  let hung = false;
  const timeoutMs = options.introspect?.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  // The sandbox's limits; widened once, for this start and every later one, when V8 could not reserve its code range.
  let limits = options.limits;
  let widened = false;
  const start = async (env: Record<string, string>, args: string[]): Promise<LiveResult> => {
    const run = async () => {
      const startedAt = performance.now();
      if (options.tally) options.tally.starts += 1;
      const r = await introspectLive(
        { packageRoot, runtimeDir: rt.runtimeDir, command: [rt.executable, entryFile, ...args], env, files: placeholderFiles(env), limits, bwrapPath: options.bwrapPath },
        { ...options.introspect, signal: options.signal },
      );
      hung = r.outcome === 'failed' && (r.failureReason === 'timed_out' || r.stalled === 'network' || performance.now() - startedAt >= 0.9 * timeoutMs);
      return r;
    };
    let result = await run();
    if (result.outcome === 'failed' && result.failureReason === 'sandbox_limit' && !widened) {
      widened = true;
      limits = widerLimits(limits);
      result = await run();
      if (result.failureReason === 'sandbox_limit') {
        result = { ...result, failureMessage: `${result.failureMessage ?? ''}; also with a data limit of ${Math.round((limits.dataBytes ?? 0) / (1024 * 1024))} MiB`.slice(0, 1000) };
      }
    }
    if (result.outcome === 'ok' || chosen || !hooks.runtimeWanted) return result;
    const wanted = await hooks.runtimeWanted(result, rt).catch(() => null);
    if (!wanted) return result;
    chosen = true;
    if (!wanted.runtimeDir) return result;
    rt = wanted;
    return run();
  };
  const first = await start({}, []);
  // A server that came up on HTTP instead may document a stdio switch: then only argument lists with one are tried.
  const httpOnly = first.failureReason === 'http_only';
  if (first.outcome === 'ok' || !first.failureReason || (!WORTH_ANOTHER_START.has(first.failureReason) && !httpOnly)) return { ...first, method: 'live-stdio' };
  // What server.json declares wins over what was read from the source: it is the server's own statement.
  const declaredEnv = declaredEnvironment(declared?.environmentVariables ?? []);
  const found = await placeholderEnvironments(packageDir, first.stderrTail);
  const envs = (found.length > 0 ? found : [{}]).map((e) => ({ ...e, ...declaredEnv })).filter((e) => Object.keys(e).length > 0);
  const env = envs[0] ?? {};
  const tried: string[] = [];
  let last = first;
  for (const candidate of httpOnly ? [] : envs) {
    last = await start(candidate, []);
    if (last.outcome === 'ok') return { ...last, method: 'live-stdio-placeholders' };
    tried.push(`${Object.keys(candidate).length} placeholder variable(s) (${last.failureReason})`);
    if (last.failureReason && !WORTH_ANOTHER_START.has(last.failureReason)) break;
  }
  // Placeholders that made it hang would make every argument list hang too; any other failure leaves them worth a try.
  if (!hung || httpOnly) {
    const declaredArgs = declaredArguments(declared?.arguments ?? []);
    for (const args of [...(declaredArgs ? [declaredArgs] : []), ...(await argumentLists(packageDir, name, binName, {
      output: `${first.stderrTail}\n${first.failureMessage ?? ''}\n${last === first ? '' : `${last.stderrTail}\n${last.failureMessage ?? ''}`}`,
      usage: () => {
        if (options.tally) options.tally.starts += 1;
        return readUsage({ packageRoot, runtimeDir: rt.runtimeDir, command: [rt.executable, entryFile, '--help'], limits, bwrapPath: options.bwrapPath });
      },
    }))]) {
      if (httpOnly && !selectsStdio(args)) continue;
      last = await start(env, args);
      if (last.outcome === 'ok') return { ...last, method: 'live-stdio-arguments' };
      tried.push(`arguments "${args.join(' ')}" (${last.failureReason})`);
      if (hung) break;
    }
  }
  if (httpOnly) {
    // No stdio switch worked: reach it over HTTP on the sandbox's own loopback, through our relay (`session/http-relay.ts`).
    if (options.tally) options.tally.starts += 1;
    last = await introspectOverHttp(
      { packageRoot, runtimeDir: rt.runtimeDir, command: [rt.executable, entryFile], env, files: placeholderFiles(env), limits, bwrapPath: options.bwrapPath },
      { ...options.introspect, signal: options.signal },
    );
    if (last.outcome === 'ok') return { ...last, method: 'live-http' };
    tried.push(`HTTP on the sandbox loopback (${last.failureReason}: ${(last.failureMessage ?? '').slice(0, 200)})`);
  }
  if (!chosen && hooks.fallbackRuntime && !options.signal?.aborted) {
    const other = await hooks.fallbackRuntime(first, rt).catch(() => null);
    if (other?.runtimeDir) {
      const again = await startLadder({ ...target, runtime: other }, options);
      if (again.outcome === 'ok') return again;
      tried.push(`the ladder on ${other.name ?? path.basename(other.executable)} ${other.version} (${again.failureReason})`);
    }
  }
  const note = tried.length > 0 ? `; also tried ${tried.join(', ')}` : '';
  return { ...first, failureMessage: `${first.failureMessage ?? ''}${note}`.slice(0, 1000), method: 'none' };
}
