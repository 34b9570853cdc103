/**
 * Introspection sessions: one session over any SDK transport (`session.ts`), stdio in the sandbox (`stdio.ts`,
 * `transport.ts`), HTTP inside the sandbox through our relay (`http-relay.ts`), the lists and their limits
 * (`listing.ts`), and how a failed session is read (`failure.ts`). A new transport is one file that builds a
 * `SessionConnection` and calls `runSession`.
 */
export { runSession, failedSession, listLimits, droppedToolsNote, CLIENT_INFO } from './session.ts';
export type { IntrospectOptions, LiveResult, SessionConnection, SessionFailure, SessionPhase } from './session.ts';
export { introspectLive, isLostConnection } from './stdio.ts';
export { introspectOverHttp, httpRelaySpec, RELAY_PATH, RELAY_PORT } from './http-relay.ts';
export { classifyFailure, keyLine, quietSessionTail, stallEvidence, stallFailure, STALL_GRACE_MS } from './failure.ts';
export type { FailureEvidence, StallKind } from './failure.ts';
export { listServer, normalisePrompt, normaliseResource, normaliseResourceTemplate, normaliseTool } from './listing.ts';
export type { ListLimits, Listing } from './listing.ts';
export { SandboxStdioTransport } from './transport.ts';
export type { ExitInfo, TransportLimits } from './transport.ts';
export { ByteTail } from './tail.ts';
