import { describe, expect, it } from 'vitest';
import { runRules } from './engine.ts';
import { extractFeatures } from './features.ts';
import type { RuleExample } from './rule-types.ts';
import { RULES } from './rules.ts';
import type { ToolDefinition } from '../records/index.ts';

function firedIds(ex: RuleExample): string[] {
  const { server, ...rest } = ex;
  const tool: ToolDefinition = { ...rest, inputSchema: ex.inputSchema ?? { type: 'object' } };
  return runRules(RULES, extractFeatures(tool, server)).map((h) => h.rule.id);
}

const label = (ex: RuleExample) => JSON.stringify(ex).slice(0, 120);

describe('rule table', () => {
  it('has unique, well-formed ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(name|desc|title|schema|ann|server|code)\.[a-z-]+(\.[a-z-]+)?$/);
  });

  it('gives every rule a message, a conclusion and examples both ways', () => {
    for (const r of RULES) {
      expect(r.message.length, r.id).toBeGreaterThan(10);
      expect(r.category !== undefined || r.signal !== undefined || r.flag !== undefined, r.id).toBe(true);
      expect(r.examples.match.length, r.id).toBeGreaterThan(0);
      expect(r.examples.noMatch.length, r.id).toBeGreaterThan(0);
    }
  });

  it('supersedes only rules that exist', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const r of RULES) for (const s of r.supersedes ?? []) expect(ids.has(s), `${r.id} → ${s}`).toBe(true);
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  it.each(rule.examples.match.map((ex) => [label(ex), ex] as const))('matches %s', (_l, ex) => {
    expect(firedIds(ex)).toContain(rule.id);
  });
  it.each(rule.examples.noMatch.map((ex) => [label(ex), ex] as const))('does not match %s', (_l, ex) => {
    expect(firedIds(ex)).not.toContain(rule.id);
  });
});
