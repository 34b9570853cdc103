/**
 * Pins (issue 15): per server, per version, `tool name → sha256:<hex>` of the canonical definition
 * (`toolHash`, records/tool-hash.ts), and checking a live `tools/list` result against them, so a gateway or a CI
 * job can refuse a tool whose definition is not the one the catalogue saw.
 */
import semver from 'semver';
import { getOwn, setOwn, toolHash, type HistoryListing, type ToolDefinition } from '../records/index.ts';

/** A pin file: `versions[version][tool name] = "sha256:<hex>"`, written as JSON (keys set as own properties). */
export interface PinFile {
  registry: string;
  identifier: string;
  /** The newest listed version (by the time of its newest listing). */
  latest: string;
  versions: Record<string, Record<string, string>>;
}

/** The pins of one server from its listings (sorted by listedAt): each version's newest listing. */
export function pinsOf(server: { registry: string; identifier: string }, listings: readonly HistoryListing[]): PinFile | null {
  if (listings.length === 0) return null;
  const newest = new Map<string, HistoryListing>();
  for (const listing of listings) newest.set(listing.version, listing);
  const versions: Record<string, Record<string, string>> = Object.create(null);
  const ordered = [...newest.keys()].sort((a, b) => (semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : a < b ? -1 : a > b ? 1 : 0));
  for (const version of ordered) {
    const tools: Record<string, string> = {};
    for (const tool of newest.get(version)!.tools) setOwn(tools, tool.name, tool.hash);
    setOwn(versions, version, tools);
  }
  return { registry: server.registry, identifier: server.identifier, latest: listings[listings.length - 1]!.version, versions: { ...versions } };
}

export interface PinCheck {
  version: string;
  /** In both, with another hash. */
  changed: Array<{ name: string; pinned: string; listed: string }>;
  /** Listed, not pinned. */
  notPinned: Array<{ name: string; listed: string }>;
  /** Pinned, not listed. */
  missing: Array<{ name: string; pinned: string }>;
  /** Same hash. */
  matching: string[];
}

export class PinError extends Error {
  readonly code: 'PINS_INVALID' | 'PINS_NO_VERSION' | 'LISTING_INVALID';
  constructor(code: PinError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/** Reads a parsed pin file; throws {@link PinError} `PINS_INVALID` when it is not one. */
export function parsePins(value: unknown): PinFile {
  const versions = getOwn(value, 'versions');
  const latest = getOwn(value, 'latest');
  if (versions === null || typeof versions !== 'object' || Array.isArray(versions) || typeof latest !== 'string') {
    throw new PinError('PINS_INVALID', 'not a pin file: expected {"latest": "<version>", "versions": {"<version>": {"<tool>": "sha256:<hex>"}}}');
  }
  return value as PinFile;
}

/** Reads a `tools/list` result (`{tools: [...]}`) or an array of tools; throws {@link PinError} `LISTING_INVALID`. */
export function parseListing(value: unknown): ToolDefinition[] {
  const tools = Array.isArray(value) ? value : getOwn(value, 'tools');
  if (!Array.isArray(tools)) throw new PinError('LISTING_INVALID', 'not a listing: expected a tools/list result {"tools": [...]} or an array of tools');
  for (const [i, tool] of tools.entries()) {
    if (tool === null || typeof tool !== 'object' || typeof getOwn(tool, 'name') !== 'string') throw new PinError('LISTING_INVALID', `tool ${i}: expected an object with a string "name"`);
  }
  return tools as ToolDefinition[];
}

/** Compares `tools` with the pins of `version` (default: the pin file's latest); throws `PINS_NO_VERSION` when absent. */
export function checkPins(pins: PinFile, tools: readonly ToolDefinition[], version = pins.latest): PinCheck {
  const pinnedObject = getOwn(pins.versions, version);
  if (pinnedObject === undefined || pinnedObject === null || typeof pinnedObject !== 'object') {
    throw new PinError('PINS_NO_VERSION', `the pin file has no version ${JSON.stringify(version)}; it pins ${Object.keys(pins.versions).join(', ') || 'none'}`);
  }
  const pinned = new Map(Object.entries(pinnedObject as Record<string, unknown>).map(([name, hash]) => [name, String(hash)]));
  const check: PinCheck = { version, changed: [], notPinned: [], missing: [], matching: [] };
  const listedNames = new Set<string>();
  for (const tool of tools) {
    if (listedNames.has(tool.name)) continue;
    listedNames.add(tool.name);
    const listed = toolHash(tool);
    const pin = pinned.get(tool.name);
    if (pin === undefined) check.notPinned.push({ name: tool.name, listed });
    else if (pin !== listed) check.changed.push({ name: tool.name, pinned: pin, listed });
    else check.matching.push(tool.name);
  }
  for (const [name, pin] of pinned) if (!listedNames.has(name)) check.missing.push({ name, pinned: pin });
  return check;
}

/** Whether any tool differs from its pin. */
export function differs(check: PinCheck): boolean {
  return check.changed.length + check.notPinned.length + check.missing.length > 0;
}
