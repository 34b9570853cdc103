/**
 * Shared record shapes of the classification stage.
 *
 * A {@link ToolDefinition} is the MCP `Tool` object as returned by `tools/list`
 * (MCP specification 2025-06-18, "Tools": `name`, `title`, `description`, `inputSchema`,
 * `outputSchema`, `annotations`). A {@link Classification} is what the classifier concludes of one tool.
 */
import type { ToolCodeEffects } from './code-effects.ts';

/** Tool categories, DESIGN.md §4. Order is from least to most dangerous for display purposes. */
export const CATEGORIES = ['Read', 'Write', 'Execute', 'Destructive', 'Financial'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Risk levels, DESIGN.md §4, in increasing order. */
export const RISKS = ['Low', 'Medium', 'High', 'Critical'] as const;
export type Risk = (typeof RISKS)[number];

/**
 * MCP tool annotations (MCP specification 2025-06-18, `ToolAnnotations`). Hints from an untrusted server.
 * Spec defaults when absent: readOnlyHint false, destructiveHint true, idempotentHint false, openWorldHint true.
 */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [key: string]: unknown;
}

/** An MCP `Tool` object exactly as a server lists it. `inputSchema` is a JSON Schema object (`type: "object"`). */
export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotations;
  [key: string]: unknown;
}

/** The server a tool belongs to, as context for the classifier (a `create_charge` on a payments server). */
export interface ServerContext {
  name: string;
  description?: string;
  /**
   * How the server's tools were obtained, as the crawler records it (`IntrospectionMethod` in `records/introspection.ts`:
   * `live-stdio`, `live-stdio-placeholders`, `live-stdio-arguments`, `static`, …). `static` means the tools were
   * read from the package's source, not listed by the running server, and lowers the confidence (RUBRIC.md §3).
   * Absent: unknown, treated as listed live.
   */
  introspectionMethod?: string;
  /**
   * What the tool's handler does, read from the package's source (`records/code-effects.ts`); absent when the
   * source was not read (a PyPI package, a remote server, a tool classified from a JSONL file).
   */
  codeEffects?: ToolCodeEffects;
}

/** Which part of the definition a piece of evidence was quoted from. */
/** `code`: a call in the package's source that the tool's handler reaches (`ServerContext.codeEffects`). */
export type EvidenceSource = 'name' | 'title' | 'description' | 'inputSchema' | 'annotations' | 'server' | 'code';

/** A verbatim quote from the tool's definition that supports the classification. */
export interface Evidence {
  source: EvidenceSource;
  /** Verbatim text from the definition (at most 200 characters; longer text is cut with "…"). */
  quote: string;
  /** Id of the rule that used this evidence, when a rule did. */
  ruleId?: string;
}

/** Kinds of signal reported with a classification (issue 4, "Signals"). */
export const SIGNAL_KINDS = [
  'code-input',
  'shell-input',
  'sql-input',
  'filesystem-path',
  'network-target',
  'credential',
  'money',
  'recipient',
  'bulk',
  'admin-scope',
  'open-world',
  'private-data',
  'irreversible',
  /** The handler writes, deletes, spawns or moves money although the tool says it only reads (name or readOnlyHint). */
  'undeclared-effect',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export interface Signal {
  kind: SignalKind;
  /** Human-readable detail, e.g. `argument "command" (string)`. */
  detail: string;
}

/** How a classification was produced. */
export type ClassificationMethod = 'heuristic' | 'llm' | 'heuristic+llm';

/** The classifier's conclusion for one tool. */
export interface Classification {
  name: string;
  category: Category;
  risk: Risk;
  /** Confidence in the category, in [0, 1]. */
  confidence: number;
  /** Complete sentences explaining the category and every move of the risk. */
  rationale: string;
  evidence: Evidence[];
  signals: Signal[];
  method: ClassificationMethod;
  /** Ids of the rules that fired, in the order they were applied. */
  ruleIds: string[];
  /** Version of the classifier that produced this record, e.g. `heuristic-1`. */
  classifierVersion: string;
}
