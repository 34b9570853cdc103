// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Pipeline stages: each is reached from another only through its index.ts (STYLE.md, "Architecture you can see"). */
const STAGES = ['crawler', 'classifier', 'policy', 'db', 'site', 'changes', 'serve'];
const THROUGH_INDEX = {
  group: [...STAGES.map((s) => `**/${s}/**`), ...STAGES.map((s) => `!**/${s}/index.ts`), '**/records/**', '!**/records/index.ts', '!**/*.test-data.ts'],
  message: 'Reach another stage through its index.ts; shared record types come from records/index.ts.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'out/**', '.cache/**', '.scratch/**', 'db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Stages talk through their index.ts; tests may reach inside.
    files: ['crawler/**/*.ts', 'classifier/**/*.ts', 'policy/**/*.ts', 'changes/**/*.ts', 'db/**/*.ts', 'site/**/*.ts', 'serve/**/*.ts', 'scripts/**/*.ts', 'eval/**/*.ts', 'bin/**'],
    ignores: ['**/*.test.ts', '**/*.test-helper.ts', '**/*.test-data.ts', '**/test-*.ts', 'db/store.contract.ts', 'db/history.contract.ts', 'serve/registry.contract.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [THROUGH_INDEX] }] },
  },
  {
    // The shared record types are a leaf: they import no stage.
    files: ['records/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: STAGES.filter((s) => s !== 'policy').map((s) => `**/${s}/**`), message: 'records/ is a leaf: it imports no stage.' }, { group: ['**/policy/**', '!**/policy/types.ts'], message: 'records/ takes only the policy types from policy/.' }] }] },
  },
  {
    // Fixture MCP servers are plain CommonJS scripts run inside the sandbox.
    files: ['test/fixtures/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
