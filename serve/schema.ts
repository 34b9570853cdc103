/**
 * JSON Schemas (draft 2020-12, checked with ajv) of what the registry API serves, written from the MCP Registry's
 * published OpenAPI document: `ServerDetail` (server.json), `ServerResponse`, `ServerList`, the `{ error }` body of a
 * 404, and the `_meta` extension this catalogue adds under {@link CATALOGUE_META_KEY}.
 * Source: https://github.com/modelcontextprotocol/registry/blob/main/docs/reference/api/openapi.yaml
 * (components.schemas; draft 2025-12-01) and docs/reference/server-json/server.schema.json.
 * @internal
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { CATEGORIES, FAILURE_REASONS, RISKS } from '../records/index.ts';
import { MAX_NAME_LENGTH, MIN_NAME_LENGTH } from './names.ts';

/** The `_meta` key of the MCP Registry's own metadata in a `ServerResponse`. */
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
/** The `_meta` key of this catalogue's extension (reverse-DNS, as the registry asks of subregistries). */
export const CATALOGUE_META_KEY = 'io.github.mcp-catalogue/catalogue';

const keyValueInput = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, description: { type: 'string' }, isRequired: { type: 'boolean' }, isSecret: { type: 'boolean' }, value: { type: 'string' } },
};

const stdio = { type: 'object', required: ['type'], properties: { type: { const: 'stdio' } } };
const streamableHttp = { type: 'object', required: ['type', 'url'], properties: { type: { const: 'streamable-http' }, url: { type: 'string' }, headers: { type: 'array', items: keyValueInput } } };
const sse = { type: 'object', required: ['type', 'url'], properties: { type: { const: 'sse' }, url: { type: 'string', format: 'uri' }, headers: { type: 'array', items: keyValueInput } } };

/** `ServerDetail`: a server.json document. */
export const SERVER_DETAIL_SCHEMA = {
  $id: 'server-detail',
  type: 'object',
  required: ['name', 'description', 'version'],
  properties: {
    name: { type: 'string', minLength: MIN_NAME_LENGTH, maxLength: MAX_NAME_LENGTH, pattern: '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' },
    description: { type: 'string', minLength: 1, maxLength: 100 },
    title: { type: 'string', minLength: 1, maxLength: 100 },
    version: { type: 'string', minLength: 1, maxLength: 255 },
    repository: {
      type: 'object',
      required: ['url', 'source'],
      properties: { url: { type: 'string', format: 'uri' }, source: { type: 'string' }, id: { type: 'string' }, subfolder: { type: 'string' } },
    },
    websiteUrl: { type: 'string', format: 'uri' },
    $schema: { type: 'string', format: 'uri' },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['registryType', 'identifier', 'transport'],
        properties: {
          registryType: { type: 'string' },
          registryBaseUrl: { type: 'string', format: 'uri' },
          identifier: { type: 'string', minLength: 1 },
          version: { type: 'string', minLength: 1, not: { const: 'latest' } },
          runtimeHint: { type: 'string' },
          transport: { anyOf: [stdio, streamableHttp, sse] },
        },
      },
    },
    remotes: { type: 'array', items: { anyOf: [streamableHttp, sse] } },
    _meta: { type: 'object' },
  },
};

const dateTime = { type: 'string', format: 'date-time' };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

/** What the catalogue adds to every `ServerResponse._meta` under {@link CATALOGUE_META_KEY}. */
export const CATALOGUE_META_SCHEMA = {
  $id: 'catalogue-meta',
  type: 'object',
  additionalProperties: false,
  required: ['registry', 'identifier', 'packagePublishedAt', 'introspection', 'toolCount', 'highestRisk', 'tools', 'policy'],
  properties: {
    registry: { type: 'string' },
    identifier: { type: 'string' },
    packagePublishedAt: nullable(dateTime),
    introspection: nullable({
      type: 'object',
      additionalProperties: false,
      required: ['outcome', 'method', 'failureReason', 'failureMessage', 'startedAt'],
      properties: {
        outcome: { enum: ['ok', 'failed'] },
        method: { type: 'string' },
        failureReason: nullable({ enum: [...FAILURE_REASONS] }),
        failureMessage: nullable({ type: 'string' }),
        startedAt: dateTime,
      },
    }),
    toolCount: { type: 'integer', minimum: 0 },
    highestRisk: nullable({ enum: [...RISKS] }),
    tools: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'description', 'annotations', 'category', 'risk', 'confidence', 'rationale', 'classificationMethod'],
        properties: {
          name: { type: 'string' },
          title: { type: 'string' },
          description: nullable({ type: 'string' }),
          annotations: nullable({ type: 'object' }),
          category: nullable({ enum: [...CATEGORIES] }),
          risk: nullable({ enum: [...RISKS] }),
          confidence: nullable({ type: 'number', minimum: 0, maximum: 1 }),
          rationale: nullable({ type: 'string' }),
          classificationMethod: nullable({ enum: ['heuristic', 'llm', 'heuristic+llm'] }),
        },
      },
    },
    policy: nullable({ type: 'object', required: ['version', 'default', 'tools'], properties: { version: { const: '1' } } }),
  },
};

/** `ServerResponse`: a server.json with the registry's metadata beside it. */
export const SERVER_RESPONSE_SCHEMA = {
  $id: 'server-response',
  type: 'object',
  required: ['server', '_meta'],
  properties: {
    server: { $ref: 'server-detail' },
    _meta: {
      type: 'object',
      required: [OFFICIAL_META_KEY, CATALOGUE_META_KEY],
      properties: {
        [OFFICIAL_META_KEY]: {
          type: 'object',
          additionalProperties: false,
          required: ['status', 'publishedAt', 'updatedAt', 'isLatest'],
          properties: { status: { enum: ['active', 'deprecated', 'deleted'] }, publishedAt: dateTime, updatedAt: dateTime, isLatest: { type: 'boolean' } },
        },
        [CATALOGUE_META_KEY]: { $ref: 'catalogue-meta' },
      },
    },
  },
};

/** `ServerList`: a page of `ServerResponse`s; `metadata.nextCursor` is absent on the last page. */
export const SERVER_LIST_SCHEMA = {
  $id: 'server-list',
  type: 'object',
  additionalProperties: false,
  required: ['servers', 'metadata'],
  properties: {
    servers: { type: 'array', items: { $ref: 'server-response' } },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['count'],
      properties: { nextCursor: { type: 'string', minLength: 1 }, count: { type: 'integer', minimum: 0 } },
    },
  },
};

/** The body of a 400 or 404 answer. */
export const ERROR_SCHEMA = {
  $id: 'error',
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: { error: { type: 'string', minLength: 1 } },
};

/** RFC 3339 `date-time` (section 5.6): full date, `T`, full time with seconds and a zone. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

let compiled: Map<string, ValidateFunction> | undefined;

function validators(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) && /^[a-z][a-z0-9+.-]*:/i.test(s) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) });
  for (const schema of [SERVER_DETAIL_SCHEMA, CATALOGUE_META_SCHEMA, SERVER_RESPONSE_SCHEMA, SERVER_LIST_SCHEMA, ERROR_SCHEMA]) ajv.addSchema(schema);
  compiled = new Map(['server-detail', 'server-response', 'server-list', 'error'].map((id) => [id, ajv.getSchema(id)!]));
  return compiled;
}

/** The documents {@link validateDocument} checks. */
export type DocumentKind = 'server-detail' | 'server-response' | 'server-list' | 'error';

/**
 * Checks `doc` against the schema of `kind`.
 * @returns `valid`, and one message per violation as `<JSON pointer> <what is wrong>`. Never throws.
 */
export function validateDocument(kind: DocumentKind, doc: unknown): { valid: boolean; errors: string[] } {
  const validate = validators().get(kind)!;
  if (validate(doc)) return { valid: true, errors: [] };
  return { valid: false, errors: (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`) };
}
