/**
 * The `live-http` rung: a packaged server that does not answer on stdio but listens on a port (its bare start ended
 * `http_only`) is started again in the same sandbox profile, under our relay (`relay/http-relay.mjs`). The relay
 * runs inside the sandbox beside the server, waits for it to listen, and bridges stdio ↔ Streamable HTTP (or the
 * older HTTP+SSE) over the sandbox's own loopback. The crawler keeps its stdio transport and all of its limits; no
 * connection is ever made from the host, whose network the sandbox does not share.
 *
 * The relay is placed at {@link RELAY_PATH} from memory (`SandboxSpec.files`), read-only, and run with the
 * crawler's own Node. The server gets `PORT` = {@link RELAY_PORT} besides its other variables; one that ignores it
 * is still found, by the port it announces or by the listening socket `/proc/net/tcp` shows.
 */
import { readFileSync } from 'node:fs';
import type { IntrospectOptions, LiveResult } from './session.ts';
import { introspectLive } from './stdio.ts';
import { nodeRuntime, type SandboxSpec } from '../sandbox.ts';

/** Where the relay script appears inside the sandbox. */
export const RELAY_PATH = '/opt/mcp-catalogue/http-relay.mjs';
/** The port offered to the server as `PORT`. */
export const RELAY_PORT = 3000;

const RELAY_SOURCE = readFileSync(new URL('./http-relay.mjs', import.meta.url), 'utf8');

/** `spec` with its command run under the relay, the relay file added and `PORT` set. */
export function httpRelaySpec(spec: SandboxSpec, port = RELAY_PORT): SandboxSpec {
  return {
    ...spec,
    command: [nodeRuntime().executable, RELAY_PATH, String(port), '--', ...spec.command],
    env: { ...spec.env, PORT: String(port) },
    files: [...(spec.files ?? []), { target: RELAY_PATH, content: RELAY_SOURCE }],
  };
}

/**
 * Introspects a server that listens on a port, through the relay, in the sandbox. Never throws for what the server
 * does. The server is expected to announce its listener here, and the relay's own probes may fail while it
 * listens, so only a sign-in prompt ends the session early (`IntrospectOptions.stallGraceMs`).
 */
export function introspectOverHttp(spec: SandboxSpec, options: IntrospectOptions = {}): Promise<LiveResult> {
  const graces = options.stallGraceMs;
  return introspectLive(httpRelaySpec(spec), { ...options, stallGraceMs: graces === false ? false : { ...graces, listener: false, network: false } });
}
