/**
 * The catalogue's own words about categories, risks, failures and introspection methods (DESIGN.md §3, §4).
 * Plain text only; templates escape it.
 * @internal
 */
import { MAX_TRANSIENT_ATTEMPTS, type FailureReason, type IntrospectionMethod, type Risk } from '../records/index.ts';
import type { CategoryLabel } from './model.ts';

interface CategoryCopy {
  /** One line: what a tool of this category does. */
  meaning: string;
  /** The risk a tool of this category starts from before evidence moves it (DESIGN.md §4). */
  baseRisk: Risk | null;
  /** What a gateway should do with such a tool, in one sentence. */
  advice: string;
  /** Ways agents and attackers misuse tools of this category. */
  attacks: string[];
}

const COPY: Record<CategoryLabel, CategoryCopy> = {
  Read: {
    meaning: 'Fetches or lists data and leaves everything as it was.',
    baseRisk: 'Low',
    advice: 'Allow it, and watch what it can reach: a read of private data is still a leak if the answer ends up somewhere else.',
    attacks: [
      'Exfiltration: an injected instruction asks for secrets or private records, and another tool sends them out.',
      'Over-broad queries that return far more than the task needs, which then sit in the model context.',
      'Content returned by the tool carrying instructions of its own (indirect prompt injection).',
    ],
  },
  Write: {
    meaning: 'Creates or changes data in a way that can be undone.',
    baseRisk: 'Medium',
    advice: 'Allow it with a rate limit, so a looping or misled agent cannot flood the server with changes.',
    attacks: [
      'Runaway loops that create or edit records thousands of times.',
      'Planting content (issues, comments, documents) that later agents read as instructions.',
      'Overwriting good data with plausible but wrong values.',
    ],
  },
  Execute: {
    meaning: 'Runs something (code, a command, a build, a workflow) whose effect is decided by its arguments.',
    baseRisk: 'High',
    advice: 'Rate-limit it tightly and put conditions on the arguments that choose what runs.',
    attacks: [
      'Command or code injection through an argument the agent fills from untrusted text.',
      'Resource abuse: builds, jobs or containers started in a loop.',
      'Pivoting: a run that reaches networks, credentials or systems the agent was never meant to touch.',
    ],
  },
  Destructive: {
    meaning: 'Deletes data or makes a change that cannot be reversed.',
    baseRisk: 'Critical',
    advice: 'Hide it, or deny every call until a person approves it.',
    attacks: [
      'A single mistaken or injected call removing data for good.',
      'Bulk deletion when a filter argument is left empty or too wide.',
      'Sabotage hidden behind an innocent-looking task ("clean up old branches").',
    ],
  },
  Financial: {
    meaning: 'Moves money or changes what someone is billed: payments, transfers, refunds, trades.',
    baseRisk: 'Critical',
    advice: 'Deny every call until a person approves it, and cap amounts when you do allow it.',
    attacks: [
      'Payments or refunds issued to an account an attacker controls.',
      'Amounts inflated by a manipulated argument.',
      'Repeated small transfers that each look harmless.',
    ],
  },
  Unclassified: {
    meaning: 'Not classified yet.',
    baseRisk: null,
    advice: 'Leave it denied (the default) until it has been classified or you have read its definition yourself.',
    attacks: ['Until the tool is classified, assume any of the patterns of the other categories may apply.'],
  },
};

export function categoryCopy(label: CategoryLabel): CategoryCopy {
  return COPY[label];
}

/** "What <tool> does on <server>": our own sentence per category. */
export function whatItDoes(tool: string, server: string, label: CategoryLabel): string {
  switch (label) {
    case 'Read':
      return `${tool} looks things up through ${server} and hands the result back to the agent; nothing in its definition suggests it changes anything. What it can see is whatever ${server} can see with the credentials you give it.`;
    case 'Write':
      return `${tool} creates or updates data held by ${server}. Each change can be undone, but each call leaves state behind, and an agent stuck in a loop leaves a lot of it.`;
    case 'Execute':
      return `${tool} makes ${server} run something, and the arguments the agent passes decide what. The effect can outlast the call and reach beyond ${server}: jobs keep running, builds get published, messages go out.`;
    case 'Destructive':
      return `${tool} removes data through ${server} or changes it in a way that cannot be rolled back. One wrong call, mistaken or injected, is enough to lose something for good.`;
    case 'Financial':
      return `${tool} moves money or changes billing through ${server}. A bad call costs money, not just data.`;
    case 'Unclassified':
      return `${tool} has not been classified yet, so beyond its own description we cannot say what it does on ${server}. Until it is, treat it as untrusted.`;
  }
}

const FAILURES: Record<FailureReason, string> = {
  registry_error: 'The registry did not return the package, or the version could not be resolved.',
  install_failed: 'The package could not be installed (install scripts are never run).',
  no_entry_point: 'The package has no command we could start as an MCP server.',
  crashed_on_start: 'The server exited before answering initialize.',
  needs_configuration: 'The server refused to start without configuration (environment variables, arguments or credentials).',
  timed_out: 'The server did not answer within the time limit.',
  protocol_error: 'The server answered, but not with valid MCP JSON-RPC.',
  http_only: 'The server is only offered over HTTP; the sandbox runs stdio servers without network.',
  sandbox_violation: 'The server tried something the sandbox forbids.',
  too_large: 'The package or its output exceeded the size limits.',
  unreachable: 'The remote server could not be reached at the URL its registry entry gives.',
  crawler_error: 'The crawler itself failed on this package, not the package; it will be tried again.',
  sandbox_limit: 'The runtime could not reserve the memory it needs under the sandbox\'s limits; the limit is ours, the server did not crash.',
  missing_peer_dependency: 'The server imports a peer or optional dependency that npm did not install.',
};

/** What a failure reason means, or a neutral sentence for an unknown reason. */
export function failureText(reason: string | null): string {
  return reason !== null && Object.hasOwn(FAILURES, reason) ? FAILURES[reason as FailureReason] : 'The attempt failed.';
}

/**
 * Whether a failed attempt will be tried again (`crawler/retry.ts`), or null when its record does not say (stored
 * before transience was kept).
 */
export function retryText(attempt: number, transient: boolean | null): string | null {
  if (transient === null) return null;
  if (!transient) return `Attempt ${attempt}. This failure is permanent: the version is not tried again until the crawler learns to handle it.`;
  if (attempt < MAX_TRANSIENT_ATTEMPTS) return `Attempt ${attempt} of ${MAX_TRANSIENT_ATTEMPTS}. This failure looks transient: it will be tried again.`;
  return `Attempt ${attempt}. This failure looks transient, but after ${MAX_TRANSIENT_ATTEMPTS} such attempts in a row the version is not tried again; a new version will be.`;
}

const METHODS: Record<IntrospectionMethod, string> = {
  'live-stdio': 'started in the sandbox and asked with tools/list',
  'live-stdio-placeholders': 'started in the sandbox with placeholder configuration and asked with tools/list',
  'live-stdio-arguments': 'started in the sandbox with placeholder configuration and the arguments its README documents, and asked with tools/list',
  'live-http': 'started in the sandbox, where it listens on a port, and asked with tools/list over Streamable HTTP on the sandbox\'s own loopback',
  'remote-http': 'asked with tools/list over Streamable HTTP at the remote URL its MCP Registry entry gives, without credentials',
  static: 'read from the package source without running it (static extraction)',
  none: 'no tool list obtained',
};

/** How a tool list was obtained, in words. */
export function methodText(method: string): string {
  return Object.hasOwn(METHODS, method) ? METHODS[method as IntrospectionMethod] : method;
}
