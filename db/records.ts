/**
 * Row → record mapping: the schema's rows carry the same fields as the records in `records/store.ts`, give or take
 * nullable columns that the records spell differently.
 * @internal
 */
import { CRAWLER_VERSION, retryable, type Classification, type ClassificationRecord, type Introspection, type IntrospectionRecord, type ServerRecord, type ServerVersionRecord, type ToolRecord } from '../records/index.ts';
import type { classifications, introspections, serverVersions, servers, tools } from './schema.ts';

type ServerRow = typeof servers.$inferSelect;
type VersionRow = typeof serverVersions.$inferSelect;
type IntrospectionRow = typeof introspections.$inferSelect;
type ToolRow = typeof tools.$inferSelect;
type ClassificationRow = typeof classifications.$inferSelect;

export function toServer(row: ServerRow): ServerRecord {
  return { ...row };
}

export function toVersion(row: VersionRow): ServerVersionRecord {
  return { ...row };
}

export function toIntrospection(row: IntrospectionRow): IntrospectionRecord {
  return { ...row };
}

export function toTool(row: ToolRow): ToolRecord {
  return { ...row };
}

export function toClassification(row: ClassificationRow): ClassificationRecord {
  return { ...row };
}

/** The columns of an attempt, without ids. */
export function introspectionValues(introspection: Introspection): Omit<IntrospectionRow, 'id' | 'serverVersionId' | 'crawlRunId' | 'toolCount' | 'attempt'> {
  return {
    outcome: introspection.outcome,
    failureReason: introspection.failureReason,
    failureMessage: introspection.failureMessage,
    stderrTail: introspection.stderrTail,
    method: introspection.method,
    startedAt: introspection.startedAt,
    timings: introspection.timings,
    serverInfo: introspection.serverInfo,
    protocolVersion: introspection.protocolVersion,
    capabilities: introspection.capabilities,
    instructions: introspection.instructions,
    prompts: introspection.prompts ?? null,
    resources: introspection.resources ?? null,
    resourceTemplates: introspection.resourceTemplates ?? null,
    listFailures: introspection.listFailures ?? [],
    transient: introspection.failureReason === null ? null : retryable(introspection.failureReason, introspection),
    crawlerVersion: introspection.crawlerVersion ?? CRAWLER_VERSION,
  };
}

/** The columns of a classification, without its key and timestamp. */
export function classificationValues(c: Classification): Omit<ClassificationRow, 'toolHash' | 'classifierVersion' | 'createdAt'> {
  return {
    name: c.name,
    category: c.category,
    risk: c.risk,
    confidence: c.confidence,
    rationale: c.rationale,
    evidence: c.evidence,
    signals: c.signals,
    ruleIds: c.ruleIds,
    method: c.method,
  };
}
