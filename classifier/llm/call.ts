/**
 * One chat completion through the `openai` client (POST `<baseUrl>/chat/completions`), with this stage's own
 * retry loop: the client's retries are off (`maxRetries: 0`) because it waits out any `Retry-After`, however long.
 * Here a `Retry-After` (or `retry-after-ms`) is honoured up to `maxRetryAfterMs`, and each attempt has a deadline
 * covering headers and body.
 * @internal
 */
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import type { RetryPolicy } from './errors.ts';
import { LlmError, parseRetryAfter, retryDecision } from './errors.ts';
import type { ChatRequest } from './prompt.ts';

export interface ChatResult {
  /** `choices[0].message.content`. */
  content: string | null;
  /** `usage.total_tokens`, when the endpoint reports it. */
  totalTokens: number | undefined;
  /** HTTP attempts made (1 + retries). */
  attempts: number;
}

export function createClient(options: { baseUrl: string; apiKey?: string }): OpenAI {
  // Local servers (Ollama, llama.cpp) take any key; the client refuses to start without one.
  return new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey ?? 'unset', maxRetries: 0, timeout: 600_000 });
}

/** Maps whatever the client threw into an {@link LlmError}. */
export function toLlmError(error: unknown, where: string, timedOut: boolean, aborted: boolean): LlmError {
  if (error instanceof LlmError) return error;
  if (aborted) return new LlmError('LLM_ABORTED', `${where}: aborted by the caller`, { cause: error });
  if (timedOut || error instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmError('LLM_TIMEOUT', `${where}: no complete answer within the timeout; raise MCP_CATALOGUE_LLM_TIMEOUT_MS or check the endpoint`, { cause: error });
  }
  if (error instanceof SyntaxError) {
    return new LlmError('LLM_MALFORMED_ANSWER', `${where}: the response body is not JSON (${error.message})`, { cause: error });
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const retryAfterMs = parseRetryAfter(error.headers);
    const code = status === 429 ? 'LLM_RATE_LIMITED' : status === 408 || status >= 500 ? 'LLM_SERVER_ERROR' : 'LLM_HTTP_ERROR';
    return new LlmError(code, `${where}: ${status} ${error.message}`, { status, retryAfterMs, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmError('LLM_CONNECTION', `${where}: ${message}; is the endpoint reachable?`, { cause: error });
}

/**
 * Sends `request`, retrying per `policy`.
 * @throws LlmError with the code of the last failure (`LLM_RATE_LIMITED`, `LLM_SERVER_ERROR`, `LLM_HTTP_ERROR`,
 *   `LLM_CONNECTION`, `LLM_TIMEOUT`, `LLM_ABORTED`).
 */
export async function sendChat(client: OpenAI, request: ChatRequest, options: RetryPolicy & { timeoutMs: number; signal?: AbortSignal }): Promise<ChatResult> {
  const where = `[POST] ${client.baseURL.replace(/\/$/, '')}/chat/completions (model ${request.model})`;
  for (let attempt = 0; ; attempt++) {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    try {
      const completion = await client.chat.completions.create(request, { signal, timeout: options.timeoutMs, maxRetries: 0 });
      return { content: completion.choices?.[0]?.message?.content ?? null, totalTokens: completion.usage?.total_tokens, attempts: attempt + 1 };
    } catch (error) {
      const llmError = toLlmError(error, where, deadline.aborted, options.signal?.aborted === true);
      const decision = retryDecision(llmError, attempt, options);
      if (!decision.retry) throw llmError;
      await sleep(decision.delayMs, undefined, { signal: options.signal });
    }
  }
}
