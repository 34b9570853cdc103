/**
 * Under-classification (issue 13 item 4): tools that keep money records, spend gas on a chain, run tests, attack a live
 * app or run code behind a flag must not come out Write or Read, and their look-alikes must keep their category.
 */
import { describe, expect, it } from 'vitest';
import { classifyTool } from './classify.ts';
import type { Category, ServerContext, ToolDefinition } from '../records/index.ts';

const OBJ = { type: 'object' } as const;
const tool = (name: string, description: string, properties?: Record<string, unknown>): ToolDefinition =>
  ({ name, description, inputSchema: properties ? { type: 'object', properties } : OBJ });

const BOOKS: ServerContext = { name: 'acme-books-mcp', description: 'Accounting and bookkeeping for small businesses: invoices, payments, bank feeds.' };
const BUDGET: ServerContext = { name: 'budget-mcp', description: 'Personal finance: accounts, budgets and categories.' };
const CHAIN: ServerContext = { name: 'acme-evm-mcp', description: 'Tools for EVM blockchains: tokens, NFTs, smart contracts.' };
const STORAGE_CHAIN: ServerContext = { name: 'greenfield-tools', description: 'Decentralised storage on BNB Greenfield.' };
const RUNNER: ServerContext = { name: 'acme-vitest-mcp', description: 'Lets an agent drive Vitest in a project.' };

const cases: Array<[string, ToolDefinition, ServerContext, Category]> = [
  // A set of books: journals, bank transactions and bills are money records (LABELLING.md, "Payments and accounting").
  ['manual journal update', tool('update-manual-journal', 'Update a manual journal.'), BOOKS, 'Financial'],
  ['bank transaction', tool('create-bank-transaction', 'Record a spend or receive money transaction against a bank account.'), BOOKS, 'Financial'],
  ['budget transaction', tool('create_transaction', 'Insert a transaction.'), BUDGET, 'Financial'],
  ['reading the books stays Read', tool('list-manual-journals', 'List manual journals.'), BOOKS, 'Read'],
  ['a quote in the books stays Write', tool('create-quote', 'Create a draft quote for a contact.'), BOOKS, 'Write'],
  ['a diary journal stays Write', tool('create_journal_entry', 'Add an entry to the journal.'), { name: 'diary-mcp', description: 'A private diary.' }, 'Write'],
  ['a database transaction is no money', tool('begin_transaction', 'Begin a database transaction.'), { name: 'postgres-mcp', description: 'PostgreSQL.' }, 'Write'],
  // On a chain, creating or writing is a transaction that spends gas.
  ['contract write', tool('write_contract', 'Write to a smart contract (state-changing call).', { address: { type: 'string' }, abi: { type: 'array' } }), CHAIN, 'Financial'],
  ['bucket on a storage chain', tool('create_storage_bucket', 'Create a bucket.', { bucketName: { type: 'string' }, privateKey: { type: 'string' } }), STORAGE_CHAIN, 'Financial'],
  ['a wallet is made off-chain', tool('create_wallet', 'Create a new wallet and return its private key.'), CHAIN, 'Write'],
  ['a bucket off any chain', tool('create_bucket', 'Create a storage bucket.', { bucketName: { type: 'string' } }), { name: 's3-mcp', description: 'Amazon S3.' }, 'Write'],
  // Running tests runs the project's code, whatever verb the name opens with.
  ['tests run under a check verb', tool('check_tests', 'Runs the test suite and reports failures.'), RUNNER, 'Execute'],
  ['coverage on a test runner', tool('analyze_coverage', 'Analyze line coverage of the source files.'), RUNNER, 'Execute'],
  ['stored results stay Read', tool('get_test_results', 'Get the results of the last test run.'), RUNNER, 'Read'],
  // An attack on a live app, or a flag that runs code, is not an inspection.
  ['an adversarial audit', tool('security_audit', 'Run a security audit that sends adversarial attack requests to the running app.'), { name: 'qa-mcp' }, 'Execute'],
  ['an accessibility audit stays Read', tool('run_accessibility_audit', 'Run an accessibility audit on the current page.'), { name: 'qa-mcp' }, 'Read'],
  ['a flag that runs examples', tool('verify_docs', "Verify a repository's README and return a scorecard. Read-only unless runDoctests is set.",
    { root: { type: 'string' }, runDoctests: { type: 'boolean', description: 'Also compile/run fenced JS examples. Executes code in child processes.' } }), { name: 'docs-mcp' }, 'Execute'],
  ['a harmless flag', tool('verify_docs', "Verify a repository's README and return a scorecard.",
    { root: { type: 'string' }, strict: { type: 'boolean', description: 'Fail on warnings as well as errors.' } }), { name: 'docs-mcp' }, 'Read'],
  // A consolidated tool is labelled by the most dangerous operation its definition lists, quoted or enumerated.
  ['quoted operations with a removal', tool('docker-volume', 'Manage Docker volumes',
    { action: { type: 'string', description: "Action to perform (e.g., 'create', 'list', 'remove', 'inspect')" }, volumeName: { type: 'string' } }), { name: 'docker-mcp' }, 'Destructive'],
  ['quoted reads only', tool('docker-volume', 'Show Docker volumes',
    { action: { type: 'string', description: "Action to perform (e.g., 'list', 'inspect')" } }), { name: 'docker-mcp' }, 'Read'],
  ['a coverage service stays Read', tool('analyze_coverage', 'Analyze line coverage of the repository.'), { name: 'codecov-mcp', description: 'Coverage reports from Codecov.' }, 'Read'],
];

describe('dangerous tools are not under-classified', () => {
  it.each(cases)('%s', (_what, t, server, category) => {
    const r = classifyTool(t, server);
    expect(r.category, r.rationale).toBe(category);
  });
});
