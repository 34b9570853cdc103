/**
 * Validation of a `policy.json` document against `policy.schema.json` (JSON Schema draft 2020-12, ajv).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import schema from './policy.schema.json' with { type: 'json' };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    ajv.addFormat('regex', {
      type: 'string',
      validate: (s: string) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      },
    });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/**
 * Checks `doc` against the policy schema (policy/policy.schema.json).
 * @returns `valid`, and one message per violation as `<JSON pointer> <what is wrong>`, e.g.
 *   `/tools/run_build/limits/0/window must be equal to one of the allowed values (minute, hour, day)`.
 *   Never throws.
 */
export function validatePolicy(doc: unknown): { valid: boolean; errors: string[] } {
  const validate = validator();
  if (validate(doc)) return { valid: true, errors: [] };
  const errors = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
      const extra = e.keyword === 'additionalProperties' ? `: "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      return `${e.instancePath === '' ? '/' : e.instancePath} ${e.message ?? 'is invalid'}${allowed}${extra}`;
    });
  return { valid: false, errors };
}
