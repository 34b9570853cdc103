/**
 * The LLM stage's part of a run summary, as lines for stdout or stderr.
 */
import type { LlmSummary } from './stage.ts';

/**
 * Lines such as `llm:                  12 answered, 3 cached, 1 failed (LLM_TIMEOUT 1) of 16 eligible (model m, prompt llm-1)`,
 * then the calls and tokens used against the budget, and, when the budget ran out, that the heuristic result
 * stands for the tools it skipped.
 */
export function describeLlmSummary(s: LlmSummary): string[] {
  const failed = Object.entries(s.failedByCode).map(([code, n]) => `${code} ${n}`).join(', ');
  const parts = [`${s.answered} answered`, `${s.cached} cached`, `${s.failed} failed${failed ? ` (${failed})` : ''}`];
  if (s.dryRun > 0) parts.push(`${s.dryRun} shown (dry run, not sent)`);
  if (s.skippedBudget > 0) parts.push(`${s.skippedBudget} skipped`);
  const lines = [
    `llm:                  ${parts.join(', ')} of ${s.eligible} eligible (model ${s.model}, prompt ${s.promptVersion})`,
    `llm disagreements:    ${s.disagreements} tools (recorded in their rationale)`,
    `llm budget:           ${s.calls}/${s.budgetCalls} calls, ${s.tokens}/${s.budgetTokens} tokens${s.dryRun > 0 ? ' (estimated)' : ''}`,
  ];
  if (s.budgetExhausted) {
    lines.push(`llm budget exhausted: the ${s.budgetExhausted} budget ran out; ${s.skippedBudget} tools keep their heuristic result`);
  }
  if (s.failed > 0) lines.push(`llm failures:         ${s.failed} tools keep their heuristic result`);
  return lines;
}
