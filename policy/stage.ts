/**
 * The recommend stage (DESIGN.md §5): one recommended policy per server, from the stored catalogue's classified tools.
 */
import type { CatalogueEntry } from '../records/index.ts';
import { recommendPolicy } from './recommend.ts';
import type { Policy } from './types.ts';
import { validatePolicy } from './validate.ts';

/**
 * The recommended policy of every server with at least one classified tool, keyed by server id. A server whose
 * policy cannot be made from its stored records (the recommender throws on a record of the wrong shape, or the
 * result fails the shipped JSON Schema) gets none: `onProblem` is called with its id and the reason (an Error or a
 * sentence), and every other server keeps its policy. Never throws for one server's records.
 */
export function recommendPolicies(entries: readonly CatalogueEntry[], onProblem?: (serverId: number, reason: unknown) => void): Map<number, Policy> {
  const policies = new Map<number, Policy>();
  for (const entry of entries) {
    try {
      const classified = entry.tools.flatMap(({ tool, classification }) => (classification ? [{ tool: tool.definition, classification }] : []));
      if (classified.length === 0) continue;
      const policy = recommendPolicy(classified);
      const check = validatePolicy(policy);
      if (check.valid) policies.set(entry.server.id, policy);
      else onProblem?.(entry.server.id, `the recommended policy fails policy.schema.json: ${check.errors.join('; ')}`);
    } catch (error) {
      onProblem?.(entry.server.id, error);
    }
  }
  return policies;
}
