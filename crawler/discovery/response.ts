/**
 * Checks on responses shared by the sources.
 * @internal
 */
import type { ZodType, ZodTypeDef } from 'zod';
import { HttpStatusError } from '../errors.ts';
import type { HttpTextResponse } from '../http.ts';
import { DiscoveryError } from './errors.ts';

/** Throws for a status other than 2xx (and 304 when `allowNotModified`). */
export function expectOk(url: string, response: HttpTextResponse, allowNotModified = false): void {
  if (response.statusCode >= 200 && response.statusCode <= 299) return;
  if (allowNotModified && response.statusCode === 304) return;
  throw new HttpStatusError('GET', url, response.statusCode);
}

/** Parses with a zod-like schema or throws `DISCOVERY_BAD_RESPONSE` naming the request and the first issue. */
export function parseOrThrow<T>(url: string, schema: ZodType<T, ZodTypeDef, unknown>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new DiscoveryError(
    'DISCOVERY_BAD_RESPONSE',
    `[GET] ${url}: unexpected response shape${issue ? ` at ${issue.path.join('.') || '<root>'}: ${issue.message}` : ''}`,
    { url },
  );
}
