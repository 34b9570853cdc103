/**
 * Which wheel of a release can run here, and the interpreter it will run on.
 *
 * Python servers run on Debian's `/usr/bin/python3`: it lives under `/usr`, which the sandbox mounts read-only, and
 * it is world-readable, so the sandbox's unprivileged uid can start it (an interpreter under `/root` is out of its
 * reach). The tags it supports come from the `packaging` library pip itself uses (PEP 425 order, most specific
 * first), so a wheel chosen here is one pip will install.
 *
 * Choice among a release's wheels: only those with a tag the interpreter supports and a `Requires-Python` it
 * satisfies; pure-Python wheels (`*-none-any`) first, then the most specific tag. A release with no wheel at all is
 * refused: building a source distribution runs the package's own build code.
 */
import { execFile } from 'node:child_process';
import { satisfies, validRange } from '@renovatebot/pep440';
import type { DistributionFile } from './client.ts';

/** The interpreter Python servers are installed for and run on. */
export const SANDBOX_PYTHON = '/usr/bin/python3';

/** What the interpreter is and accepts. */
export interface PythonInterpreter {
  executable: string;
  /** `platform.python_version()`, e.g. `3.11.2`. */
  version: string;
  /** Supported wheel tags, most preferred first (`packaging.tags.sys_tags()`). */
  tags: string[];
  /** The pip version that installs packages for it. */
  pipVersion: string;
}

const PROBE = `
import json, platform
try:
    from pip._vendor.packaging.tags import sys_tags
except ImportError:
    from packaging.tags import sys_tags
import pip, venv
print(json.dumps({"version": platform.python_version(), "pip": pip.__version__, "tags": [str(t) for t in sys_tags()]}))
`;

const probes = new Map<string, Promise<PythonInterpreter>>();

/**
 * Asks `executable` (our own trusted interpreter, never a package's) for its version and wheel tags, once per process.
 * @throws Error saying what to install when Python, pip or venv is missing.
 */
export function probeInterpreter(executable = SANDBOX_PYTHON): Promise<PythonInterpreter> {
  let pending = probes.get(executable);
  if (!pending) {
    pending = new Promise<PythonInterpreter>((resolve, reject) => {
      execFile(executable, ['-I', '-c', PROBE], { env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 30_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          return reject(new Error(missing
            ? `${executable} is not installed; Python servers need Debian's python3, python3-venv and python3-pip (apt-get install python3 python3-venv python3-pip)`
            : `${executable} cannot report its wheel tags (pip or venv missing? apt-get install python3-venv python3-pip): ${String(stderr).trim().split('\n').pop() ?? error.message}`));
        }
        try {
          const data = JSON.parse(stdout) as { version: string; pip: string; tags: string[] };
          resolve({ executable, version: data.version, tags: data.tags, pipVersion: data.pip });
        } catch (cause) {
          reject(new Error(`${executable}: unexpected answer to the tag probe: ${(cause as Error).message}`));
        }
      });
    });
    pending.catch(() => probes.delete(executable));
    probes.set(executable, pending);
  }
  return pending;
}

/** A wheel to install, or why there is none. */
export type WheelChoice = { wheel: DistributionFile; pure: boolean } | { wheel: null; reason: string };

/** True when `specifier` (a `Requires-Python` value) admits `version`; an unparsable specifier admits everything, as pip does. */
export function admitsPython(specifier: string | null, version: string): boolean {
  if (!specifier || !validRange(specifier)) return true;
  return satisfies(version, specifier);
}

/** Picks the wheel of a release to install on `interpreter` (see the module comment). */
export function selectWheel(files: readonly DistributionFile[], interpreter: Pick<PythonInterpreter, 'version' | 'tags'>): WheelChoice {
  const wheels = files.filter((f) => f.kind === 'wheel' && f.wheel);
  if (wheels.length === 0) {
    const sdists = files.filter((f) => f.kind === 'sdist').map((f) => f.filename);
    return {
      wheel: null,
      reason: sdists.length > 0
        ? `only a source distribution was published (${sdists.slice(0, 3).join(', ')}), and sdists are not built: building runs the package's own code`
        : 'the release has no wheel to install',
    };
  }
  const rank = new Map(interpreter.tags.map((tag, i) => [tag, i]));
  const scored: Array<{ wheel: DistributionFile; pure: boolean; best: number }> = [];
  let pythonRefused: string | null = null;
  for (const wheel of wheels) {
    const supported = wheel.wheel!.tags.map((t) => rank.get(t)).filter((i): i is number => i !== undefined);
    if (supported.length === 0) continue;
    if (!admitsPython(wheel.requiresPython, interpreter.version)) {
      pythonRefused = wheel.requiresPython;
      continue;
    }
    scored.push({ wheel, pure: wheel.wheel!.tags.some((t) => t.endsWith('-none-any')), best: Math.min(...supported) });
  }
  scored.sort((a, b) => Number(b.pure) - Number(a.pure) || a.best - b.best || a.wheel.filename.localeCompare(b.wheel.filename));
  const chosen = scored[0];
  if (chosen) return { wheel: chosen.wheel, pure: chosen.pure };
  if (pythonRefused !== null) return { wheel: null, reason: `every compatible wheel requires Python ${pythonRefused}; the sandbox runs Python ${interpreter.version}` };
  const best = interpreter.tags[0] ?? 'unknown';
  return {
    wheel: null,
    reason: `no wheel for this machine (its most specific tag is ${best}); published: ${wheels.slice(0, 4).map((w) => w.filename).join(', ')}${wheels.length > 4 ? ', …' : ''}`,
  };
}
