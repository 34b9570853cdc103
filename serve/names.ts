/**
 * server.json `name`s for the catalogue's servers. A name is reverse-DNS `namespace/name`, 3 to 200 characters,
 * matching `^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$` (MCP Registry `ServerDetail.name`,
 * https://github.com/modelcontextprotocol/registry/blob/main/docs/reference/api/openapi.yaml).
 *
 * A server listed on the MCP Registry keeps its registry name (`io.github.acme/weather`); the others get one derived
 * from their package identity: npm `left-pad` is `com.npmjs/left-pad`, npm `@acme/files` is `com.npmjs.acme/files`,
 * PyPI `mcp-time` is `org.pypi/mcp-time`, GitHub `owner/repo` is `io.github.owner/repo`. Characters the pattern does
 * not allow become `-`. When two servers would share a name, the first keeps it (registry names first, then names
 * derived without a change, then the others; each group in identity order) and the others get `-<server id>`
 * appended, so a name never moves to another server while both are stored.
 * @internal
 */

/** `ServerDetail.name` of the MCP Registry's OpenAPI document. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
export const MIN_NAME_LENGTH = 3;
export const MAX_NAME_LENGTH = 200;

/** The namespace of a name derived from a package of this registry. */
const NAMESPACES = new Map<string, string>([
  ['npm', 'com.npmjs'],
  ['pypi', 'org.pypi'],
  ['nuget', 'org.nuget'],
  ['oci', 'io.docker'],
  ['github', 'io.github'],
]);

/** A stored server's identity, as `Store.catalogue()` gives it. */
export interface NamedIdentity {
  serverId: number;
  registry: string;
  identifier: string;
}

/** Whether `name` is a valid server.json name. */
export function isServerName(name: string): boolean {
  return name.length >= MIN_NAME_LENGTH && name.length <= MAX_NAME_LENGTH && SERVER_NAME_PATTERN.test(name);
}

function clean(text: string, allowed: RegExp): string {
  const cleaned = text.replace(allowed, '-');
  return cleaned === '' ? '-' : cleaned;
}

/** The name derived from a package identity, and whether it kept every character of the identity. */
export function derivedName(registry: string, identifier: string): { name: string; exact: boolean } {
  let namespace: string;
  let local: string;
  if (registry === 'mcp-registry') {
    const slash = identifier.indexOf('/');
    namespace = slash < 0 ? 'mcp-registry' : identifier.slice(0, slash);
    local = slash < 0 ? identifier : identifier.slice(slash + 1);
  } else if (registry === 'npm' && identifier.startsWith('@') && identifier.includes('/')) {
    const slash = identifier.indexOf('/');
    namespace = `com.npmjs.${identifier.slice(1, slash)}`;
    local = identifier.slice(slash + 1);
  } else if (registry === 'github' && identifier.includes('/')) {
    const slash = identifier.indexOf('/');
    namespace = `io.github.${identifier.slice(0, slash)}`;
    local = identifier.slice(slash + 1);
  } else {
    namespace = NAMESPACES.get(registry) ?? `local.${registry}`;
    local = identifier;
  }
  const ns = clean(namespace, /[^a-zA-Z0-9.-]/g);
  const part = clean(local, /[^a-zA-Z0-9._-]/g);
  const name = `${ns}/${part}`;
  return { name, exact: ns === namespace && part === local && isServerName(name) };
}

/** `name` with `suffix` appended to its part after the slash, both cut so the whole stays within the length. */
function withSuffix(name: string, suffix: string): string {
  const slash = name.indexOf('/');
  let ns = name.slice(0, slash);
  let part = name.slice(slash + 1);
  ns = ns.slice(0, Math.min(ns.length, 100));
  part = part.slice(0, Math.max(1, MAX_NAME_LENGTH - ns.length - 1 - suffix.length));
  return `${ns}/${part}${suffix}`;
}

/**
 * Assigns every server its name (see the module doc).
 * @param official MCP Registry names by identity key (`npm:@acme/files` → `io.github.acme/files`): a name is used
 *   only when it is valid, it is the one name of that identity, and no other of `servers` maps to it.
 * @returns the name of every server, by server id; no two equal.
 */
export function assignNames(servers: readonly NamedIdentity[], official: ReadonlyMap<string, readonly string[]>): Map<number, string> {
  // How many of these servers each registry name would go to: a name two of them claim goes to neither.
  const claims = new Map<string, number>();
  for (const s of servers) for (const name of new Set(official.get(`${s.registry}:${s.identifier}`) ?? [])) claims.set(name, (claims.get(name) ?? 0) + 1);
  const wanted = servers.map((s) => {
    const key = `${s.registry}:${s.identifier}`;
    const names = [...new Set(official.get(key) ?? [])];
    const registryName = s.registry === 'mcp-registry' && isServerName(s.identifier) ? s.identifier : names.length === 1 && claims.get(names[0]!) === 1 && isServerName(names[0]!) ? names[0]! : null;
    if (registryName !== null) return { server: s, key, name: registryName, tier: 0 };
    const derived = derivedName(s.registry, s.identifier);
    return { server: s, key, name: derived.name, tier: derived.exact ? 1 : 2 };
  });
  wanted.sort((a, b) => a.tier - b.tier || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.server.serverId - b.server.serverId));
  const taken = new Set<string>();
  const names = new Map<number, string>();
  for (const w of wanted) {
    let name = isServerName(w.name) && !taken.has(w.name) ? w.name : withSuffix(w.name, `-${w.server.serverId}`);
    // A lossy name can still meet another's suffixed one: count on until it is free.
    for (let n = 2; taken.has(name); n++) name = withSuffix(w.name, `-${w.server.serverId}-${n}`);
    taken.add(name);
    names.set(w.server.serverId, name);
  }
  return names;
}
