/** `policy.json` version "1", as recommended (DESIGN.md §5): the document itself, checked by policy.schema.json. */
import { validatePolicy } from '../validate.ts';
import type { PolicyFormat } from './types.ts';

export const policyJson: PolicyFormat = {
  id: 'policy-json',
  title: 'policy.json (version 1)',
  dir: 'policies',
  ext: 'json',
  contentType: 'application/json; charset=utf-8',
  caveats: ['The recommended policy itself: every rule as it is.'],
  render: (policy) => ({ text: `${JSON.stringify(policy, null, 2)}\n`, degraded: [] }),
  validate(text) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return [`not JSON: ${(error as Error).message}`];
    }
    return validatePolicy(doc).errors;
  },
};
