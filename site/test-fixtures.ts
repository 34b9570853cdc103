/**
 * Test fixtures for the site: realistic catalogue entries (shapes of `Store.catalogue()`), the policies the
 * classifier's per-category template would give them, and a plain rule explainer. Used by `site/*.test.ts` only.
 * @internal
 */
import { toolHash, type CatalogueEntry, type Category, type ClassificationRecord, type Evidence, type FailureReason, type IntrospectionMethod, type OptionalListFailure, type Policy, type PromptDefinition, type Registry, type ResourceDefinition, type ResourceTemplateDefinition, type Risk, type Signal, type ToolDefinition, type ToolRule } from '../records/index.ts';
import type { SiteInput } from './types.ts';

export const GENERATED_AT = new Date('2025-06-20T04:00:00Z');
const CRAWLED_AT = new Date('2025-06-19T23:12:00Z');

let nextToolId = 1;

interface ClassifiedAs {
  category: Category;
  risk: Risk;
  rationale: string;
  evidence?: Evidence[];
  signals?: Signal[];
  ruleIds?: string[];
}

export function tool(definition: ToolDefinition, classifiedAs: ClassifiedAs | null, serverVersionId = 1): CatalogueEntry['tools'][number] {
  const hash = toolHash(definition);
  const classification: ClassificationRecord | null = classifiedAs && {
    name: definition.name,
    category: classifiedAs.category,
    risk: classifiedAs.risk,
    confidence: 0.86,
    rationale: classifiedAs.rationale,
    evidence: classifiedAs.evidence ?? [],
    signals: classifiedAs.signals ?? [],
    method: 'heuristic',
    ruleIds: classifiedAs.ruleIds ?? [],
    classifierVersion: 'heuristic-1',
    toolHash: hash,
    createdAt: CRAWLED_AT,
  };
  return { tool: { id: nextToolId++, serverVersionId, name: definition.name, hash, definition }, classification };
}

interface ServerOptions {
  id: number;
  registry: Registry;
  identifier: string;
  displayName: string;
  description?: string | null;
  repositoryUrl?: string | null;
  version?: string | null;
  attempt?: {
    outcome: 'ok' | 'failed';
    method: IntrospectionMethod;
    failureReason?: FailureReason;
    failureMessage?: string;
    stderrTail?: string;
    instructions?: string;
    prompts?: PromptDefinition[];
    resources?: ResourceDefinition[];
    resourceTemplates?: ResourceTemplateDefinition[];
    listFailures?: OptionalListFailure[];
  } | null;
  tools?: CatalogueEntry['tools'];
}

export function entry(options: ServerOptions): CatalogueEntry {
  const { id } = options;
  const tools = options.tools ?? [];
  const attempt = options.attempt === undefined ? { outcome: 'ok' as const, method: 'live-stdio' as const } : options.attempt;
  return {
    server: {
      id,
      registry: options.registry,
      identifier: options.identifier,
      displayName: options.displayName,
      description: options.description ?? null,
      repositoryUrl: options.repositoryUrl ?? null,
      createdAt: CRAWLED_AT,
      updatedAt: CRAWLED_AT,
    },
    version:
      options.version === null
        ? null
        : { id: id * 10, serverId: id, version: options.version ?? '1.0.0', publishedAt: new Date('2025-05-01T00:00:00Z'), firstSeenAt: CRAWLED_AT },
    introspection:
      attempt === null
        ? null
        : {
            id: id * 100,
            serverVersionId: id * 10,
            crawlRunId: 7,
            toolCount: tools.length,
            outcome: attempt.outcome,
            failureReason: attempt.failureReason ?? null,
            failureMessage: attempt.failureMessage ?? null,
            stderrTail: attempt.stderrTail ?? '',
            method: attempt.method,
            startedAt: CRAWLED_AT,
            timings: { resolveMs: 120, installMs: 2400, initializeMs: 310, listMs: 40, totalMs: 2900 },
            serverInfo: attempt.outcome === 'ok' ? { name: options.identifier, version: options.version ?? '1.0.0' } : null,
            protocolVersion: attempt.outcome === 'ok' ? '2025-06-18' : null,
            capabilities: attempt.outcome === 'ok' ? { tools: { listChanged: false } } : null,
            instructions: attempt.instructions ?? null,
            prompts: attempt.prompts ?? null,
            resources: attempt.resources ?? null,
            resourceTemplates: attempt.resourceTemplates ?? null,
            listFailures: attempt.listFailures ?? [],
            attempt: 1,
            transient: null,
            crawlerVersion: 1,
          },
    tools,
  };
}

/** The per-category template of DESIGN.md §4, plus an argument condition on shell commands. */
export function policyFor(catalogueEntry: CatalogueEntry): Policy {
  const policy: Policy = { version: '1', default: 'deny', tools: {} };
  const hide: string[] = [];
  for (const { tool: record, classification } of catalogueEntry.tools) {
    if (classification === null) continue;
    const set = (rule: ToolRule) => Object.defineProperty(policy.tools, record.name, { value: rule, enumerable: true, writable: true, configurable: true });
    const rate = (max: number): ToolRule => ({ limits: [{ counter: `${record.name}_rate`, window: 'minute', max, scope: 'grant' }] });
    switch (classification.category) {
      case 'Read':
        set({});
        break;
      case 'Write':
        set(rate(30));
        break;
      case 'Execute':
        set({
          ...rate(10),
          ...(classification.signals.some((signal) => signal.kind === 'shell-input')
            ? { deny_if: [{ conditions: [{ path: 'args.command', op: 'regex', value: '(rm\\s+-rf|curl|wget)' }], on_deny: 'Command not allowed.' }] }
            : {}),
        });
        break;
      case 'Destructive':
        hide.push(record.name);
        break;
      case 'Financial':
        set({ deny_if: [{ conditions: [], on_deny: 'Requires human approval.' }] });
        break;
    }
  }
  return hide.length > 0 ? { version: '1', default: 'deny', hide, tools: policy.tools } : policy;
}

/** A plain explainer with the classifier's signature: one sentence per rule. */
export function explainRule(rule: ToolRule | undefined, hidden: boolean): string {
  if (hidden) return 'Hidden: the gateway removes it from tools/list and refuses every call.';
  if (rule === undefined) return 'Not listed, so the default deny refuses every call.';
  const parts: string[] = [];
  for (const limit of rule.limits ?? []) parts.push(`at most ${limit.max} calls per ${limit.window}`);
  for (const deny of rule.deny_if ?? []) {
    parts.push(deny.conditions.length === 0 ? 'every call refused until a person approves it' : `calls refused when ${deny.conditions.map((cond) => `${cond.path} ${cond.op} ${JSON.stringify(cond.value)}`).join(' and ')}`);
  }
  return parts.length === 0 ? 'Allowed with no conditions.' : `Allowed, with ${parts.join('; ')}.`;
}

export const HOSTILE_SCRIPT = '<script>alert(1)</script>';
export const HOSTILE_ATTR = '"><img src=x onerror=alert(1)>';

/** Komodo: a healthy npm server with one tool per category, a dotted tool name and a hidden destructive tool. */
export function komodo(): CatalogueEntry {
  return entry({
    id: 1,
    registry: 'npm',
    identifier: '@myrikld/komodo-mcp',
    displayName: 'Komodo',
    description: 'MCP server for the Komodo build and deployment platform.',
    repositoryUrl: 'https://github.com/myrikld/komodo-mcp',
    version: '0.4.2',
    tools: [
      tool(
        {
          name: 'run_build',
          title: 'Run build',
          description: 'Run a build (clone repo, build Docker image, push to registry).',
          inputSchema: { type: 'object', properties: { build: { type: 'string', description: 'Build id or name' }, wait: { type: 'boolean' } }, required: ['build'] },
          annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
        },
        {
          category: 'Execute',
          risk: 'High',
          rationale: 'Starting a build clones code, builds an image and pushes it to a registry; what runs depends on the build chosen. That is Execute.',
          evidence: [{ source: 'description', quote: 'Run a build (clone repo, build Docker image, push to registry).', ruleId: 'execute-verb' }],
          signals: [{ kind: 'open-world', detail: 'pushes to an external registry' }],
          ruleIds: ['execute-verb'],
        },
      ),
      tool(
        { name: 'exec_shell', description: 'Execute a shell command on a server.', inputSchema: { type: 'object', properties: { command: { type: 'string' }, server: { type: 'string' } }, required: ['command', 'server'] } },
        {
          category: 'Execute',
          risk: 'Critical',
          rationale: 'Takes a free-form shell command, so it can do anything the server can. Risk raised from High to Critical for arbitrary shell input.',
          signals: [{ kind: 'shell-input', detail: 'argument "command" (string)' }],
        },
      ),
      tool(
        { name: 'list_servers', description: 'List all servers.', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } },
        { category: 'Read', risk: 'Low', rationale: 'Lists servers and changes nothing.' },
      ),
      tool(
        { name: 'gateway.search_registry', description: 'Search the registry.', inputSchema: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer' } } } },
        { category: 'Read', risk: 'Low', rationale: 'Searches and returns matches.' },
      ),
      tool(
        { name: 'update_build', description: 'Update a build configuration.', inputSchema: { type: 'object', properties: { id: { type: 'string' }, config: { type: 'object' } }, required: ['id'] } },
        { category: 'Write', risk: 'Medium', rationale: 'Changes a stored configuration; the change can be reverted.' },
      ),
      tool(
        { name: 'delete_stack', description: 'Delete a stack and its containers.', inputSchema: { type: 'object', properties: { stack: { type: 'string' } }, required: ['stack'] } },
        { category: 'Destructive', risk: 'Critical', rationale: 'Deletes a stack; there is no undo.' },
      ),
      tool({ name: 'get_version', description: 'Get the Komodo core version.', inputSchema: { type: 'object' } }, null),
    ],
  });
}

/** Prometheus: a PyPI server that would not start without configuration. */
export function prometheusFailed(): CatalogueEntry {
  return entry({
    id: 2,
    registry: 'pypi',
    identifier: 'awslabs.prometheus-mcp-server',
    displayName: 'Prometheus MCP Server',
    repositoryUrl: 'https://github.com/awslabs/mcp',
    version: '0.2.1',
    attempt: {
      outcome: 'failed',
      method: 'live-stdio-placeholders',
      failureReason: 'needs_configuration',
      failureMessage: 'Server exited with code 1 before initialize: missing PROMETHEUS_URL.',
      stderrTail: 'Traceback (most recent call last):\n  File "server.py", line 12, in <module>\nValueError: PROMETHEUS_URL must be set <env>\n',
    },
  });
}

/** A server whose every field is hostile. */
export function hostile(): CatalogueEntry {
  return entry({
    id: 3,
    registry: 'npm',
    identifier: `evil-mcp`,
    displayName: HOSTILE_SCRIPT,
    description: `${HOSTILE_ATTR} and </pre><script>alert(2)</script>`,
    repositoryUrl: 'javascript:alert(1)',
    attempt: { outcome: 'ok', method: 'static', instructions: `<IMPORTANT>${HOSTILE_SCRIPT}</IMPORTANT>` },
    tools: [
      tool(
        {
          name: HOSTILE_SCRIPT,
          title: HOSTILE_ATTR,
          description: `</pre>${HOSTILE_SCRIPT}<!-- ${HOSTILE_ATTR}`,
          inputSchema: {
            type: 'object',
            properties: { [HOSTILE_ATTR]: { type: HOSTILE_SCRIPT, description: HOSTILE_SCRIPT, enum: [HOSTILE_ATTR] } },
            required: [HOSTILE_ATTR],
          },
          annotations: { title: HOSTILE_SCRIPT, [HOSTILE_ATTR]: HOSTILE_SCRIPT },
        },
        {
          category: 'Execute',
          risk: 'High',
          rationale: `Runs ${HOSTILE_SCRIPT}.`,
          evidence: [{ source: 'description', quote: HOSTILE_SCRIPT, ruleId: HOSTILE_ATTR }],
          signals: [{ kind: 'code-input', detail: HOSTILE_ATTR }],
        },
      ),
      tool({ name: '../../etc/passwd', description: HOSTILE_ATTR, inputSchema: { type: 'object' } }, { category: 'Read', risk: 'Low', rationale: 'Reads a file.' }),
      tool({ name: 'x'.repeat(5000), description: 'Very long name.', inputSchema: { type: 'object' } }, { category: 'Read', risk: 'Low', rationale: 'Reads.' }),
      tool({ name: 'constructor', description: 'Named like an Object property.', inputSchema: { type: 'object', properties: 'not-an-object' } }, null),
      tool({ name: '__proto__', description: 'Named like the prototype.', inputSchema: { type: 'object' } }, { category: 'Write', risk: 'Medium', rationale: 'Writes.' }),
    ],
  });
}

/** Build (Pare) on the MCP Registry, with two tool names that want the same slug. */
export function pare(): CatalogueEntry {
  return entry({
    id: 4,
    registry: 'mcp-registry',
    identifier: 'io.github.Dave-London/pare',
    displayName: 'Build',
    repositoryUrl: 'https://github.com/Dave-London/Pare',
    version: '2.0.0',
    tools: [
      tool(
        { name: 'exec', description: 'Executes arbitrary commands inside a running Docker container and returns structured output.', inputSchema: { type: 'object', properties: { container: { type: 'string' }, command: { type: 'array', items: { type: 'string' } } }, required: ['container', 'command'] } },
        { category: 'Execute', risk: 'High', rationale: 'Runs any command in a container.', signals: [{ kind: 'shell-input', detail: 'argument "command" (array)' }] },
      ),
      tool({ name: 'search_docs', description: 'Search the docs.', inputSchema: { type: 'object' } }, { category: 'Read', risk: 'Low', rationale: 'Searches.' }),
      tool({ name: 'search-docs', description: 'Search the docs (new name).', inputSchema: { type: 'object' } }, { category: 'Read', risk: 'Low', rationale: 'Searches.' }),
      tool({ name: 'refund_payment', description: 'Refund a payment.', inputSchema: { type: 'object', properties: { amount: { type: 'number' } } } }, { category: 'Financial', risk: 'Critical', rationale: 'Moves money back to a customer.' }),
    ],
  });
}

/** Two servers whose slugs collide (`foo` on npm and on PyPI), and one never crawled. */
export function collisions(): CatalogueEntry[] {
  return [
    entry({ id: 6, registry: 'pypi', identifier: 'foo', displayName: 'Foo (PyPI)', tools: [] }),
    entry({ id: 5, registry: 'npm', identifier: 'foo', displayName: 'Foo (npm)', tools: [] }),
    entry({ id: 7, registry: 'github', identifier: 'someone/never-crawled', displayName: 'Never crawled', version: null, attempt: null }),
  ];
}

/** A whole site input from the fixtures above; policies for every server but the failed one. */
export function siteInput(overrides: Partial<SiteInput> = {}): SiteInput {
  const entries = [komodo(), prometheusFailed(), hostile(), pare(), ...collisions()];
  const policies = new Map<number, Policy>();
  for (const item of entries) if (item.server.id !== 2) policies.set(item.server.id, policyFor(item));
  return { entries, policies, explainRule, generatedAt: GENERATED_AT, ...overrides };
}
