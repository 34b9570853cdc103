/**
 * Builders for the contract suite's records.
 * @internal
 */
import type { Classification, Introspection, ServerCandidate, ServerInput, ToolDefinition } from '../records/index.ts';

export function serverInput(identifier: string, overrides: Partial<ServerInput> = {}): ServerInput {
  return {
    registry: 'npm',
    identifier,
    displayName: identifier,
    description: `The ${identifier} server`,
    repositoryUrl: `https://github.com/example/${identifier.replace(/\W/g, '-')}`,
    ...overrides,
  };
}

export function tool(name: string, description = `Does ${name}.`, extra: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    name,
    description,
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    ...extra,
  };
}

export function okAttempt(tools: ToolDefinition[], overrides: Partial<Introspection> = {}): Introspection {
  return {
    outcome: 'ok',
    failureReason: null,
    failureMessage: null,
    stderrTail: '',
    method: 'live-stdio',
    startedAt: new Date('2025-06-01T00:00:00.000Z'),
    timings: { resolveMs: 10, installMs: 200, initializeMs: 300, listMs: 5, totalMs: 515 },
    serverInfo: { name: 'example', version: '1.0.0' },
    protocolVersion: '2025-06-18',
    capabilities: { tools: { listChanged: true } },
    instructions: 'Use the tools wisely.',
    tools,
    ...overrides,
  };
}

export function failedAttempt(overrides: Partial<Introspection> = {}): Introspection {
  return {
    outcome: 'failed',
    failureReason: 'needs_configuration',
    failureMessage: 'exited with code 1 before initialize: API_KEY is not set',
    stderrTail: 'Error: API_KEY is not set\n    at main (index.js:3:9)\n',
    method: 'live-stdio-placeholders',
    startedAt: new Date('2025-06-02T00:00:00.000Z'),
    timings: { resolveMs: 10, installMs: 200, initializeMs: 0, listMs: 0, totalMs: 2210 },
    serverInfo: null,
    protocolVersion: null,
    capabilities: null,
    instructions: null,
    tools: [],
    ...overrides,
  };
}

export function classification(name: string, classifierVersion: string, overrides: Partial<Classification> = {}): Classification {
  return {
    name,
    category: 'Read',
    risk: 'Low',
    confidence: 0.85,
    rationale: `${name} retrieves data and changes nothing.`,
    evidence: [{ source: 'name', quote: name, ruleId: 'name-read-verb' }],
    signals: [{ kind: 'filesystem-path', detail: 'argument "path" (string)' }],
    method: 'heuristic',
    ruleIds: ['name-read-verb'],
    classifierVersion,
    ...overrides,
  };
}

export function candidate(identifier: string, overrides: Partial<ServerCandidate> = {}): ServerCandidate {
  return {
    source: 'npm',
    registry: 'npm',
    identifier,
    version: '1.0.0',
    name: identifier,
    description: `The ${identifier} server`,
    repository: { url: `https://github.com/example/${identifier.replace(/\W/g, '-')}`, id: null, subfolder: null },
    downloads: 10,
    stars: null,
    packages: [{ registryType: 'npm', identifier, version: '1.0.0', transport: null, environmentVariables: [], arguments: [] }],
    remotes: [],
    status: 'active',
    fork: false,
    markers: ['mcpName'],
    mcpName: null,
    updatedAt: null,
    ...overrides,
  };
}
