/**
 * Version of the heuristic classifier, stored on every {@link Classification} as `classifierVersion`.
 * Bump it whenever a rule, a lexicon or the risk rubric changes, so stored records can be re-classified.
 */
export const CLASSIFIER_VERSION = 'heuristic-8';
