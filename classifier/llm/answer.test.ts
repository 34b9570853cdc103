import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../records/index.ts';
import { parseAnswer, verifyQuotes } from './answer.ts';
import { parseRetryAfter, retryDecision, LlmError } from './errors.ts';

const T: ToolDefinition = { name: 'send_email', description: 'Sends an email to "to".', inputSchema: { type: 'object', properties: { to: { type: 'string', format: 'email' } } }, annotations: { openWorldHint: true } };

describe('parseAnswer', () => {
  it('accepts a ```json fence and any case of the labels', () => {
    const a = parseAnswer('```json\n{"category":"WRITE","risk":"high","confidence":0.833,"rationale":"Sends mail.","evidence":["Sends an email"]}\n```', T);
    expect(a).toMatchObject({ category: 'Write', risk: 'High', confidence: 0.83, evidence: [{ source: 'description', quote: 'Sends an email', ruleId: 'llm' }] });
  });

  it.each([['', 'empty'], ['I think it is a Write tool.', 'not JSON'], ['{"category":"Write","risk":"High","confidence":2,"rationale":"x"}', 'confidence']])('rejects %j', (content, what) => {
    expect(() => parseAnswer(content, T)).toThrow(expect.objectContaining({ code: 'LLM_MALFORMED_ANSWER', message: expect.stringContaining(what) }));
  });
});

describe('verifyQuotes', () => {
  it('keeps verbatim quotes with their source and drops invented or trivial ones', () => {
    expect(verifyQuotes(['"format":"email"', 'Sends an email to "to"', 'openWorldHint', 'Deletes all mail', 'to'], T)).toEqual({
      evidence: [
        { source: 'inputSchema', quote: '"format":"email"', ruleId: 'llm' },
        { source: 'description', quote: 'Sends an email to "to"', ruleId: 'llm' },
        { source: 'annotations', quote: 'openWorldHint', ruleId: 'llm' },
      ],
      dropped: 2,
    });
  });
});

describe('retry policy', () => {
  const policy = { maxRetries: 2, minRetryDelayMs: 500, maxRetryDelayMs: 8000, maxRetryAfterMs: 60_000 };
  const headers = (h: Record<string, string>) => new Headers(h);

  it('parses Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }), Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    expect(parseRetryAfter(headers({}))).toBeUndefined();
  });

  it('retries only retryable codes, honours Retry-After up to the cap, and backs off otherwise', () => {
    expect(retryDecision(new LlmError('LLM_RATE_LIMITED', 'x', { retryAfterMs: 2000 }), 0, policy)).toEqual({ retry: true, delayMs: 2000 });
    expect(retryDecision(new LlmError('LLM_RATE_LIMITED', 'x', { retryAfterMs: 61_000 }), 0, policy)).toEqual({ retry: false });
    expect(retryDecision(new LlmError('LLM_SERVER_ERROR', 'x'), 1, policy)).toEqual({ retry: true, delayMs: 1000 });
    expect(retryDecision(new LlmError('LLM_SERVER_ERROR', 'x'), 2, policy)).toEqual({ retry: false });
    expect(retryDecision(new LlmError('LLM_HTTP_ERROR', 'x', { status: 401 }), 0, policy)).toEqual({ retry: false });
    expect(retryDecision(new LlmError('LLM_MALFORMED_ANSWER', 'x'), 0, policy)).toEqual({ retry: false });
  });
});
