/**
 * Reads what the registry API serves from the store, once: the catalogue at the current classifier version, every
 * stored version, the listing history, the recommended policies and the MCP Registry names that discovery found.
 * @internal
 */
import { CLASSIFIER_VERSION } from '../classifier/index.ts';
import { recommendPolicies } from '../policy/index.ts';
import type { HistoryListing, RemoteRef, Store } from '../records/index.ts';
import { buildRegistry, type RegistryIndex, type RegistryInput } from './entries.ts';

/** The discovery source whose findings carry MCP Registry names (crawler/discovery/mcp-registry.ts). */
const REGISTRY_SOURCE = 'mcp-registry';

/** MCP Registry names and remotes by identity key, from the stored findings of the `mcp-registry` source. */
export async function registryFacts(store: Store): Promise<Pick<RegistryInput, 'officialNames' | 'remotes'>> {
  const officialNames = new Map<string, string[]>();
  const remotes = new Map<string, RemoteRef[]>();
  const add = (key: string, name: string) => {
    let list = officialNames.get(key);
    if (!list) officialNames.set(key, (list = []));
    if (!list.includes(name)) list.push(name);
  };
  for (const finding of await store.discoveryFindings(REGISTRY_SOURCE)) {
    const c = finding.candidate;
    if (!c || c.registry !== REGISTRY_SOURCE || c.status === 'deleted') continue;
    add(`${REGISTRY_SOURCE}:${c.identifier}`, c.identifier);
    if (c.remotes.length > 0) remotes.set(`${REGISTRY_SOURCE}:${c.identifier}`, c.remotes);
    for (const p of c.packages) add(`${p.registryType.toLowerCase()}:${p.identifier}`, c.identifier);
  }
  return { officialNames, remotes };
}

/**
 * The registry documents of everything stored (see `buildRegistry`), with the servers left out in `problems`.
 * @throws what the store throws (a lost database: `DB_UNAVAILABLE`).
 */
export async function loadRegistry(store: Store): Promise<RegistryIndex> {
  const entries = await store.catalogue(CLASSIFIER_VERSION);
  const versions = await store.serverVersions();
  const history = await store.history();
  const listings = new Map<number, HistoryListing[]>();
  for (const l of history.listings) {
    let list = listings.get(l.serverId);
    if (!list) listings.set(l.serverId, (list = []));
    list.push(l);
  }
  const policies = recommendPolicies(entries);
  return buildRegistry({ entries, versions, listings, definitions: history.definitions, classifications: history.classifications, policies, ...(await registryFacts(store)) });
}
