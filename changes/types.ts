/**
 * Shapes of the change history (issue 15): the diff between two consecutive listings of a server and the rug-pull
 * findings raised on it. Plain data, serialisable as JSON for the API; names from servers are values, never keys.
 */
import type { Category, IntrospectionMethod, Risk, ToolDefinition } from '../records/index.ts';

/** Finding severities, in increasing order. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the stored classification said of one definition. */
export interface ClassificationView {
  category: Category;
  risk: Risk;
  /** Ids of the classifier rules that fired. */
  ruleIds: string[];
}

/** One listing as a diff names it. */
export interface ListingRef {
  id: number;
  version: string;
  listedAt: Date;
  method: IntrospectionMethod;
  listHash: string;
}

/** A tool present on one side only. */
export interface ToolSide {
  name: string;
  hash: string;
  definition: ToolDefinition;
  classification: ClassificationView | null;
}

/** A run of words of a description diff (`diffWords` of the `diff` package): kept, added or removed. */
export interface WordPart {
  value: string;
  op: 'same' | 'added' | 'removed';
}

export interface ParameterChange {
  name: string;
  change: 'added' | 'removed' | 'retyped' | 'made required' | 'made optional';
  /** The JSON Schema `type` before and after (`any` when absent), for `retyped`. */
  before?: string;
  after?: string;
}

export interface AnnotationChange {
  name: string;
  /** Absent (`undefined`) when the annotation was not given; serialised as JSON null. */
  before: unknown;
  after: unknown;
}

export interface ToolChange {
  name: string;
  before: ToolSide;
  after: ToolSide;
  /** Which hashed fields differ: `title`, `description`, `inputSchema`, `outputSchema`, `annotations`. */
  fields: string[];
  /** Word-level diff of the description; null when it did not change. */
  description: WordPart[] | null;
  parameters: ParameterChange[];
  annotations: AnnotationChange[];
}

/** A rug-pull finding: what changed, how bad, in one sentence. */
export interface ChangeFinding {
  /** Rule id (`changes/findings.ts`, `CHANGE_RULES`). */
  rule: string;
  severity: Severity;
  /** The tool it is about; null for the whole listing. */
  tool: string | null;
  message: string;
}

/** The change between two consecutive listings of a server with different list hashes. */
export interface ListingDiff {
  serverId: number;
  from: ListingRef;
  to: ListingRef;
  /** `semver.diff` of the versions (`patch`, `minor`, `major`, `prerelease`, …); `same` for one version; null when either is not semver. */
  release: string | null;
  added: ToolSide[];
  removed: ToolSide[];
  changed: ToolChange[];
  findings: ChangeFinding[];
}
