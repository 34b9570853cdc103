/**
 * Rules on what changes, and where (RUBRIC.md §2a): a tool is categorised by the lasting change it makes, not by the
 * verb it is named with. Computing, rendering, converting, answering, thinking and auditing change nothing anywhere
 * and are Read whatever their verb; value moving in any form (a captured payment, coins, tokens, an order on an
 * exchange) is Financial whatever its verb. A "changes nothing" reading never stands for a description that tries to
 * steer the model (`desc.phrase.poisoning`).
 * @internal
 */
import type { Features } from './features.ts';
import { LEXICON_MAP, MONEY_NOUNS } from './lexicon.ts';
import type { Rule, RuleContext, RuleMatch } from './rule-types.ts';
import { propQuote } from './rule-kit.ts';
import { sentenceAt } from './text.ts';

/** Votes of the verb rules that a rule about the effect replaces. */
const READ_VOTES = ['name.verb.read', 'desc.lead.read', 'title.lead.read', 'name.verb.query'];
const WRITE_VOTES = ['name.verb.write', 'desc.lead.write', 'title.lead.write'];
const EXECUTE_VOTES = ['name.verb.execute', 'desc.lead.execute', 'title.lead.execute'];

/** Verbs that complete a payment someone already started: an authorised charge is captured, an invoice finalised. */
const COMPLETING_VERBS: ReadonlySet<string> = new Set(['capture', 'settle', 'complete', 'finalize', 'finalise', 'authorize',
  'authorise', 'collect', 'execute', 'process']);

/** Completing verbs that take money held for a payment: `capture` on its own, or of an authorisation. */
const HELD_FUNDS_VERBS: ReadonlySet<string> = new Set(['capture', 'settle']);
/** What such a verb may take in a name besides a money noun: an authorisation or an order whose money is held. */
const HELD_FUNDS_OBJECTS: ReadonlySet<string> = new Set(['authorization', 'authorisation', 'authorized', 'authorised',
  'auth', 'order', 'orders', 'hold', 'holds']);
/** A first sentence that speaks of held money. */
const HELD_FUNDS_TEXT = /\b(?:authori[sz](?:ed|ation)s?|payments?|charges?|funds|amounts?|card|money)\b/i;
/** A server that takes payments. */
const PAYMENT_SERVER = /\b(?:pay|payments?|payouts?|billing|checkout|stripe|paypal|square|braintree|adyen|razorpay|mollie|klarna|merchant|acquir\w+|card payments?)\b/i;
/** Units of value that live on a ledger or a chain: moving one moves money. */
const CRYPTO_NOUNS: ReadonlySet<string> = new Set(['token', 'tokens', 'coin', 'coins', 'crypto', 'cryptocurrency',
  'eth', 'ether', 'btc', 'bitcoin', 'sol', 'solana', 'usdc', 'usdt', 'dai', 'stablecoin', 'stablecoins', 'lamports',
  'sats', 'satoshi', 'satoshis', 'wei', 'gwei', 'erc20', 'spl', 'nft', 'nfts', 'funds', 'native', 'lightning',
  'sui', 'apt', 'ton', 'trx', 'bnb', 'matic', 'avax', 'xrp', 'hbar']);
/** Verbs that move value from one holder to another, or commit it. */
const MOVING_VERBS: ReadonlySet<string> = new Set(['send', 'transfer', 'bridge', 'withdraw', 'deposit', 'stake',
  'unstake', 'delegate', 'mint', 'burn', 'wrap', 'unwrap', 'lend', 'borrow', 'repay', 'redeem', 'claim', 'tip',
  'airdrop', 'approve']);
/** A text that says the tool moves value on a chain: a signed or broadcast transaction, gas, a wallet send. */
const CHAIN_MOVE = /\b(?:sign(?:s|ed)? and (?:send|broadcast)|broadcast(?:s|ed)? (?:a |the )?(?:signed )?transaction|(?:send|submit)s? (?:a |the )?(?:signed |raw )?transaction|spends? gas|on-?chain transfer|transfers? (?:\w+ ){0,3}(?:tokens?|coins?|usdc|usdt|eth|sol|nfts?|lamports|sats)\b|send (?:\w+ ){0,3}(?:tokens?|coins?|usdc|usdt|eth|sol|lamports|sats)\b)/i;
/** A first sentence that names a chain, a coin or a market: a swap or a trade there moves value. */
const CHAIN_WORDS = /\b(?:tokens?|coins?|crypto\w*|dex|defi|blockchain|on-?chain|on (?:an? |the )?(?:[\w-]+ )?exchange|perpetuals?|perps?|futures|leverage[ds]?|margin|brokerage|stocks?|shares|equit(?:y|ies)|forex|jupiter|uniswap|raydium|pancakeswap|1inch|ethereum|solana|bitcoin|evm|wallet|liquidity pool|stablecoins?|usdc|usdt|eth|sol|btc)\b/i;
/** A description that places an order to buy or sell on a market. */
const MARKET_ORDER = /\b(?:(?:buy|sell|bid|ask|limit|market|stop(?:-loss)?)\s+orders?\b|orders? to (?:buy|sell)\b|(?:buy|sell)s? (?:\w+ ){0,3}(?:shares?|stocks?|tokens?|coins?|contracts?|positions?|options)\b|opens? (?:a )?(?:long|short|leveraged) position|swaps? (?:\w+ ){0,2}(?:tokens?|coins?|assets?)\b|(?:token|coin|crypto|asset|stablecoin)s? swaps?\b)/i;
/** Words of a name that name an order or a position on a market. */
const ORDER_WORDS: ReadonlySet<string> = new Set(['order', 'orders', 'trade', 'trades', 'position', 'positions', 'bet', 'bets', 'swap', 'swaps']);
const ORDER_VERBS: ReadonlySet<string> = new Set(['place', 'create', 'submit', 'open', 'close', 'execute', 'send', 'make', 'new', 'post', 'modify', 'amend', 'replace']);

/** Things drawn or rendered for the caller: the result is an image or markup, and nothing is stored anywhere. */
const RENDERED: ReadonlySet<string> = new Set(['chart', 'charts', 'diagram', 'diagrams', 'plot', 'plots', 'graphviz',
  'visualization', 'visualisation', 'visualize', 'visualise', 'mermaid', 'uml', 'flowchart', 'qr', 'qrcode', 'svg',
  'infographic', 'wordcloud', 'sparkline', 'histogram', 'heatmap', 'treemap', 'sankey', 'mindmap', 'gantt', 'plantuml',
  'echarts', 'vega', 'barchart', 'linechart', 'pie', 'scatter', 'boxplot',
  'violin', 'venn', 'latex', 'katex', 'piechart', 'scatterplot']);
/** A description that opens by making a picture of data: "Generates a static map image", "Render a chart". */
const RENDERED_LEAD = /^(?:generat|render|draw|produc|plot)\w*\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?((?:map|static|chart|diagram|plot|svg|png|qr)\s+images?|charts?|diagrams?|plots?|visuali[sz]ations?|svgs?|qr codes?)\b/i;

/** Verbs that make a rendering: the tool returns it. */
const RENDERING_VERBS: ReadonlySet<string> = new Set(['generate', 'create', 'render', 'draw', 'make', 'plot', 'build',
  'produce', 'visualize', 'visualise', 'convert', 'export', 'get']);
/** A description that keeps what it made somewhere: then it is not a pure rendering. */
const KEEPS = /\b(?:sav(?:e|es|ed|ing)\b|stor(?:e|es|ed|ing)\b|upload|insert(?:s|ed)? (?:it|them|the|a)\b|adds? (?:it |them |a |the )?(?:\w+ )?(?:to|into) (?:a |the |an )?(?:spreadsheet|sheet|workbook|document|doc|slide|presentation|page|board|dashboard|notebook|canvas|file|database|report)|(?:in|into|to) (?:a |the |an |your )?(?:google )?(?:spreadsheet|sheet|workbook|slide|presentation|notion|confluence|dashboard|figma|miro|excel)s?\b|writes? (?:it |them |the \w+ )?to (?:a |the )?(?:file|disk)|in (?:your|the user's) (?:account|workspace|drive))/i;

/** Servers whose drawings live in the user's account (a board, a file in a workspace): drawing there is a lasting change. */
const HOSTED_CANVAS = /\b(?:miro|figma|lucid\w*|notion|confluence|google (?:sheets|docs|slides|drive)|excel|canva|airtable|powerpoint|word)\b/i;

/** Words of a name for a calculation or a conversion that only returns a value. */
const CALCULATION: ReadonlySet<string> = new Set(['calc', 'calculate', 'calculator', 'calculation', 'compute', 'math',
  'arithmetic', 'expression', 'equation', 'convert', 'conversion', 'converter', 'unit', 'units', 'currency', 'geometry',
  'distance', 'area', 'volume', 'angle', 'bmi', 'percentage', 'statistics', 'stats', 'mean', 'median', 'regression',
  'derivative', 'integral', 'solve', 'solver', 'factorial', 'fibonacci', 'prime', 'primes', 'round', 'hash', 'checksum',
  'encode', 'decode', 'base64', 'uuid', 'random', 'timezone', 'add', 'subtract', 'multiply', 'divide', 'sum', 'sqrt', 'modulo',
  // geometry, computed and returned
  'buffer', 'union', 'difference', 'intersect', 'intersection', 'simplify', 'centroid', 'bbox', 'nearest', 'bearing', 'midpoint',
  'geodesic', 'haversine', 'isochrone', 'matrix']);
/** A description that evaluates arbitrary code rather than a formula. */
const CODE_TEXT = /\b(?:javascript|typescript|python|node(?:\.js)?|shell|bash|script|code|sql|command|program|repl)\b/i;
/** Arithmetic verbs that are also words of the write lexicon: `add_numbers` adds nothing to anything. */
const ARITHMETIC_VERBS: ReadonlySet<string> = new Set(['add', 'subtract', 'multiply', 'divide', 'sum', 'round', 'convert', 'generate']);
const NUMBER_WORDS = /\b(?:numbers?|integers?|floats?|decimals?|digits?|operands?|sum|quotient|math(?:ematical)?|arithmetic)\b/i;

/** Words of a name for thinking aloud, echoing or answering: the result goes back to the caller and nowhere else. */
const THINKING = /think|reflect|reason(?:ing)?$|brainstorm|^echo$|^ping$|^noop$/;
/** Verbs of asking an assistant or a search engine a question. */
const ASKING: ReadonlySet<string> = new Set(['ask', 'research', 'answer', 'consult', 'question', 'questions', 'assistant', 'copilot', 'expert']);
/** Words of a name for a model's completion: asked of a model with words of the description that name one. */
const COMPLETION: ReadonlySet<string> = new Set(['completion', 'completions', 'fim', 'infill']);
/** A description that says the other side is an assistant or a model: then `chat` asks it. */
const ASSISTANT = /\b(?:assistant|ai|llm|language model|gpt|claude|gemini|rag|copilot|chatbot|agent)\b/i;
/** A first sentence that sends its messages to a model, not to people. */
const TO_A_MODEL = /\bto (?:the |a |an )?(?:ai |language |llm )?(?:model|llm|assistant)\b/i;
/** A first sentence about a model's answer, not about finishing a piece of work. */
const MODEL_ANSWERS = /\b(?:complet(?:e|es|ion|ions)|chat|answer|respon(?:d|se)|prompt|model|llm|ai|assistant|generat\w*|fill-in-the-middle|fim)\b/i;
/** A description that says the question goes to people, or that something is posted or stored. */
const REACHES_PEOPLE = /\b(?:send|sends|post|posts|email|e-mail|sms|slack|channel|publish|notif(?:y|ies)|forum|stores?|saves?|creates?)\b/i;

/** Query languages that cannot change data, or queries an administrator saved for reading. */
const READ_ONLY_QUERY = /\b(?:soql|sosl|promql|logql|kql|kusto|jql|data explorer query|saved quer(?:y|ies)|traceql|nrql|spl)\b/i;

/** What an agent's memory or knowledge graph holds (LABELLING.md, "Memory, notes, scratch"). */
const MEMORY_ITEMS: ReadonlySet<string> = new Set(['node', 'nodes', 'entity', 'entities', 'memory', 'memories', 'observation',
  'observations', 'relation', 'relations', 'graph', 'context', 'thoughts', 'notes']);
/** A first sentence that converts a text or a query into another form. */
const CONVERTS_TEXT = /^(?:convert|converts|translate|translates|transform|transforms|transpile|transpiles)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:to|into)\s+(?:an?\s+|the\s+)?[\w-]+/i;
/** A description that runs, applies or keeps what it converted. */
const RUNS_IT = /\b(?:execut(?:e|es|ed|ing)|runs?|appl(?:y|ies)|sav(?:e|es)|writ(?:e|es)|stor(?:e|es)|upload(?:s)?)\b/i;
/** Checks that inspect and report: running one changes nothing. */
const AUDITS: ReadonlySet<string> = new Set(['audit', 'audits', 'lighthouse', 'lint', 'linter', 'scan', 'scanner', 'report', 'reports',
  'accessibility', 'a11y', 'seo', 'inspection', 'analysis', 'analyze', 'analyse', 'analyzer', 'analyser', 'check', 'checks', 'validation',
  'validator', 'diagnostic', 'diagnostics', 'healthcheck', 'review']);
/** A first sentence that opens by running a check: "Run a standardization scan", "Performs an SEO audit". */
const RUNS_A_CHECK = /^(?:run|runs|execute|executes|perform|performs|start|starts|trigger|triggers|launch|launches)\s+(?:an?\s+|the\s+)?(?:(?!(?:and|or|then|to|with|of|for|on|in|at|from|into)\b)[\w-]+\s+){0,3}?(audit|scan|lint|check|analysis|inspection|validation|review|report|diagnostics?)\b(?!\s+(?:and|then)\b)/i;
const RUNNING_VERBS: ReadonlySet<string> = new Set(['run', 'execute', 'start', 'trigger', 'perform', 'launch', 'invoke', 'do', 'exec']);
/** A description that says the check also changes what it checks: fixes, applies, writes back. */
/** A description that says the check attacks what it checks: an adversarial run sends live requests of its own making. */
const ATTACKS = /\b(?:attacks?|attacking|adversarial|penetration tests?|pen-?tests?|pentest\w*|fuzz(?:es|ing|er)?|red[- ]team\w*)\b/i;
const FIXES = /\b(?:fix(?:es|ed)?|auto-?fix|apply|applies|writes? (?:back|the fix)|modif(?:y|ies)|rewrit(?:e|es))\b/i;

/**
 * Whether a "changes nothing" reading may stand: not when the description tries to steer the model (tool poisoning),
 * since such a tool may do anything its text hides.
 */
function trustworthy(ctx: RuleContext): boolean {
  return !ctx.fired('desc.phrase.poisoning');
}

function nameMatch(f: Features, match: string): RuleMatch {
  return { source: 'name', quote: f.name, match };
}

function descMatch(f: Features, m: RegExpExecArray): RuleMatch {
  return { source: 'description', quote: sentenceAt(f.description, m.index, m[0].length), match: m[0].trim() };
}

/** True when a name verb of these classes is present. */
function hasNameVerb(f: Features, classes: readonly string[]): boolean {
  return f.nameVerbs.some((v) => classes.includes(v.verbClass));
}

const FINANCIAL_SERVER_WORDS = /\b(?:stripe|payments?|billing|paypal|square|braintree|adyen|invoic\w*|checkout|trading|trader|brokerage|broker|bank(?:ing)?|wallets?|crypto\w*|defi|dex|swaps?|alpaca|coinbase|binance|kraken|bybit|okx|hyperliquid|uniswap|jupiter|polymarket|kalshi|betting|exchange|blockchain|web3|on-?chain|ethereum|solana|evm|bitcoin|lightning|tokens?|stablecoins?|forex|stocks?|equities|options trading|futures)\b/i;

/** Words that join two verb phrases in a name. */
const JOINS: ReadonlySet<string> = new Set(['and', 'or', 'then', 'plus']);

/**
 * A name that joins a retrieval to a change (`fetch_and_index`, `get_or_create_user`) does both: the change votes, and
 * the retrieval's votes stand back, as a listed operation decides a tool's category (LABELLING.md, "Modes and actions").
 */
function compoundRule(verbClass: 'write' | 'delete' | 'execute', category: 'Write' | 'Destructive' | 'Execute', examples: Rule['examples']): Rule {
  return {
    id: `name.verb.compound-${verbClass}`, category, weight: 3,
    supersedes: READ_VOTES,
    message: 'its name joins a retrieval to a change ("{match}"), and it does both',
    test(f) {
      const join = f.words.findIndex((w) => JOINS.has(w));
      if (join <= 0) return null;
      const before = f.words.slice(0, join);
      const verb = f.nameVerbs.find((v) => v.at > join && v.verbClass === verbClass);
      return verb && f.nameVerbs.some((v) => v.at < join && v.verbClass === 'read') ? nameMatch(f, `${before.join(' ')} ${f.words[join]} ${verb.word}`) : null;
    },
    examples,
  };
}

/** Things a team marks resolved: resolving one changes its state for everyone. */
const RESOLVABLE: ReadonlySet<string> = new Set(['comment', 'comments', 'issue', 'issues', 'ticket', 'tickets', 'task', 'tasks',
  'thread', 'threads', 'conversation', 'conversations', 'incident', 'incidents', 'alert', 'alerts', 'discussion', 'discussions',
  'problem', 'problems', 'review', 'bug', 'bugs', 'case', 'cases']);
/** What a generated text is: the tool writes it for the caller and keeps nothing (LABELLING.md, "Run, build, deploy"). */
const GENERATED_TEXT: ReadonlySet<string> = new Set(['summary', 'summaries', 'docs', 'documentation', 'docstring', 'docstrings',
  'snippet', 'snippets', 'types', 'regex', 'prompt', 'prompts', 'ideas', 'slug', 'deeplink', 'deeplinks', 'code', 'sql', 'query',
  'command', 'commands', 'readme', 'changelog', 'description', 'title', 'names', 'outline', 'explanation']);

/** A description that says the tool pays on its own for what it fetches (HTTP 402 payments, x402, paid endpoints). */
const PAYS_ITSELF = /\b(?:automatic(?:ally)?|auto-?)\s*(?:pays?|payments?|paying)\b|\bpayment handling\b|\bpays? for (?:access|the request|each request|requests)\b|\bx402\b|\b402 payment/i;


/**
 * Records of money kept in a set of books: posting, changing, voiding or deleting one is Financial (LABELLING.md,
 * "Payments and accounting": bank transactions, ledger journals, bills, credit notes, expense claims).
 */
const MONEY_RECORDS: ReadonlySet<string> = new Set(['journal', 'journals', 'manualjournal', 'manualjournals', 'ledger', 'ledgers',
  'transaction', 'transactions', 'banktransaction', 'banktransactions', 'banktransfer', 'banktransfers', 'bill', 'bills',
  'creditnote', 'creditnotes', 'expense', 'expenses', 'expenseclaim', 'expenseclaims', 'overpayment', 'overpayments',
  'prepayment', 'prepayments']);
/** What hangs off a money record without being one: a receipt attached to a transaction, a note, a tag, a rule. */
const RECORD_PARTS: ReadonlySet<string> = new Set(['attach', 'attachment', 'attachments', 'file', 'files', 'receipt', 'receipts',
  'note', 'notes', 'comment', 'comments', 'tag', 'tags', 'label', 'labels', 'image', 'images', 'document', 'documents', 'rule', 'rules',
  'template', 'templates', 'view', 'views', 'filter', 'filters', 'report', 'reports', 'export']);
/** A server or a first sentence about a set of books: accounting, bookkeeping, budgeting, personal finance. */
const BOOKS = /\b(?:accounting|accountancy|accountants?|bookkeeping|book-?keeping|general ledger|double-entry|ledgers?|xero|quickbooks|freshbooks|zoho books|netsuite|sage (?:accounting|business cloud|intacct)|personal finances?|finances?|financial|budget(?:s|ing)?|expense tracking|spending|lunch ?money|ynab|beancount|hledger|firefly iii|actual budget)\b/i;

/**
 * A server that runs on a chain: a call that creates or changes something there is a transaction the caller's
 * wallet signs and pays gas for.
 */
const CHAIN_SERVER = /\b(?:blockchains?|on-?chain|web3|evm|ethereum|solana|bnb[- ]chain|bsc|greenfield|polygon|arbitrum|optimism|avalanche|aptos|sui|hedera|near protocol|starknet|smart contracts?|dapps?|defi|nfts?|erc-?20|erc-?721|spl tokens?|crypto wallets?)\b/i;
/** A definition that speaks of a signed, gas-paying transaction: the text, or an argument for the signer or the gas. */
const TRANSACTS = /\b(?:transactions?|gas|on-?chain|smart contracts?|contracts?|signs?|signed|signing|signer|private key|wallet|mint(?:s|ed|ing)?|deploy(?:s|ed|ing)?|fees?)\b/i;
const SIGNER_PROP = /^(?:privatekey|privkey|pk|secretkey|mnemonic|seedphrase|signer|signerkey|walletkey|gas|gaslimit|gasprice|maxfeepergas|maxpriorityfeepergas|fee|fees)$/;
/** What a chain tool may create or set without a transaction: keys, wallets and the server's own settings. */
const OFF_CHAIN: ReadonlySet<string> = new Set(['wallet', 'wallets', 'keypair', 'keypairs', 'key', 'keys', 'mnemonic', 'address',
  'addresses', 'network', 'networks', 'rpc', 'config', 'configuration', 'settings', 'alias', 'label', 'contact', 'contacts',
  'alert', 'alerts', 'webhook', 'webhooks', 'watchlist', 'note', 'notes', 'session', 'chat', 'apikey', 'report', 'file', 'files',
  'project', 'memory', 'signature', 'message', 'draft', 'simulation', 'simulate', 'quote', 'estimate', 'node', 'nodes', 'server',
  'local', 'localnet', 'devnet', 'fork', 'compile', 'build', 'prepare', 'unsigned', 'encode', 'call', 'dry', 'dryrun', 'test']);
/** Running verbs that send a transaction on a chain (`deploy_contract`); others (`start`, `run`) start local things. */
const CHAIN_RUNNING: ReadonlySet<string> = new Set(['deploy', 'execute', 'invoke', 'redeploy']);

/** A first sentence that runs an attack on a live target: "Run an adversarial security test against the app". */
const RUNS_ATTACK = /^(?:run|runs|execute|executes|start|starts|launch|launches|perform|performs|trigger|triggers|conduct|conducts)\b[^.\n]{0,80}?\b(?:attacks?|adversarial|penetration tests?|pen-?tests?|pentests?|fuzz(?:es|ing)?|red[- ]team(?:ing)?)\b/i;

/** An argument's description that says it runs code: "Also compile/run fenced JS examples. Executes code in child processes". */
const FLAG_RUNS_CODE = /\b(?<!long-)(?:execut(?:es|e|ing)|runs?|running|evaluat(?:es|e|ing)|compile\/run)\b[^.\n]{0,40}?\b(?:code|scripts?|commands?|examples|doctests?)\b|\bchild process(?:es)?\b/i;

/** A first sentence that runs tests: "Run the test suite", "Executes Vitest tests with coverage". */
const RUNS_TESTS = /^(?:run|runs|execute|executes|start|starts|trigger|triggers|launch|launches|rerun|reruns)\s+(?:(?:the|all|your|a|an|some|selected|specific|failing|failed)\s+)*(?:[\w./-]+\s+){0,3}?(?:tests?|test suites?|test files?|specs?|coverage)\b(?!\s+(?:conversations?|emails?|messages?|events?|notifications?|webhooks?|calls?|payments?|charges?|transactions?|connections?|requests?|pings?|alerts?|sends?|sessions?|accounts?|users?|data|deliver(?:y|ies))\b)/i;
/** A server or a first sentence that names a test runner: a coverage figure there comes from running the tests. */
const TEST_RUNNER = /\b(?:vitest|jest|mocha|jasmine|karma|pytest|unittest|phpunit|rspec|go test|cargo test|test runners?)\b/i;
/** Retrieval verbs that read a stored test result rather than start a run. */
const STORED_RESULT_VERBS: ReadonlySet<string> = new Set(['get', 'list', 'search', 'find', 'fetch', 'read', 'show', 'view',
  'retrieve', 'download', 'export', 'lookup', 'browse', 'count', 'poll', 'wait']);

export const EFFECT_RULES: readonly Rule[] = [
  {
    id: 'name.none.generate-text', category: 'Read', weight: 3.5,
    supersedes: WRITE_VOTES,
    message: 'its name generates text for the caller ("{match}"), and generating text changes nothing',
    test(f, ctx) {
      if (!trustworthy(ctx)) return null;
      const i = f.words.indexOf('generate');
      const what = i === -1 ? undefined : f.words.slice(i + 1).find((w) => GENERATED_TEXT.has(w));
      if (what === undefined || KEEPS.test(f.scan) || /\b(?:run|runs|execute|executes|apply|applies|commit|commits)\b/i.test(f.scan.slice(f.leadStart, f.leadEnd))) return null;
      return nameMatch(f, `generate ${what}`);
    },
    examples: {
      match: [{ name: 'testsprite_generate_code_summary' }, { name: 'generate_typescript_types' }, { name: 'generate_sql', description: 'Generate SQL for a question.' }],
      noMatch: [{ name: 'generate_api_key' }, { name: 'generate_code', description: 'Generate code and run it.' }, { name: 'generate_docs', description: 'Generate docs and save them to the docs folder.' }],
    },
  },
  {
    id: 'name.verb.resolve-item', category: 'Write', weight: 3.5,
    supersedes: [...READ_VOTES, 'name.verb.execute'],
    message: 'its name resolves a work item ("{match}"), which changes its state for everyone who sees it',
    test(f) {
      const i = f.words.indexOf('resolve');
      const item = i === -1 ? undefined : f.words.slice(i + 1).find((w) => RESOLVABLE.has(w));
      return item !== undefined ? nameMatch(f, `resolve ${item}`) : null;
    },
    examples: {
      match: [{ name: 'linear_resolve_comment' }, { name: 'resolve_task' }, { name: 'resolveIncident' }],
      noMatch: [{ name: 'resolve_library_id' }, { name: 'resolve_hostname' }, { name: 'get_comment' }],
    },
  },
  {
    id: 'desc.money.pays-itself', category: 'Financial', weight: 3.5, signal: 'irreversible',
    supersedes: [...READ_VOTES, ...WRITE_VOTES],
    message: 'its description says it pays on its own ("{match}"): each call may move money',
    test(f) {
      const m = PAYS_ITSELF.exec(f.scan);
      return m ? descMatch(f, m) : null;
    },
    examples: {
      match: [{ name: 'fetch', description: 'HTTP fetch with automatic authentication and payment handling.' },
        { name: 'paid_get', description: 'Fetches a URL and automatically pays the x402 price.' }],
      noMatch: [{ name: 'fetch', description: 'Fetches a URL.' }, { name: 'list_payments', description: 'Lists payments.' }],
    },
  },
  compoundRule('write', 'Write', { match: [{ name: 'fetch_and_index' }, { name: 'get_or_create_user' }], noMatch: [{ name: 'get_user' }, { name: 'create_and_get_user' }] }),
  compoundRule('delete', 'Destructive', { match: [{ name: 'find_and_delete_files' }], noMatch: [{ name: 'find_deleted_files' }] }),
  compoundRule('execute', 'Execute', { match: [{ name: 'read_and_run_script' }], noMatch: [{ name: 'read_script' }] }),
  {
    id: 'name.money.complete', category: 'Financial', weight: 4, signal: 'irreversible',
    supersedes: [...READ_VOTES, ...WRITE_VOTES, ...EXECUTE_VOTES],
    message: 'its name completes a payment ("{match}"): capturing or settling an authorised amount moves the money',
    test(f) {
      const verb = f.words.find((w) => COMPLETING_VERBS.has(w));
      if (verb === undefined) return null;
      const noun = f.words.find((w) => MONEY_NOUNS.has(w) && w !== verb);
      if (noun !== undefined) return nameMatch(f, `${verb} ${noun}`);
      // `capture` alone, or of an authorisation: the money is named by the description or the server.
      if (!HELD_FUNDS_VERBS.has(verb) || f.words.some((w) => !HELD_FUNDS_VERBS.has(w) && !HELD_FUNDS_OBJECTS.has(w))) return null;
      const lead = f.scan.slice(f.leadStart, f.leadEnd);
      const m = HELD_FUNDS_TEXT.exec(lead);
      if (m) return { source: 'description', quote: sentenceAt(f.description, f.leadStart + m.index, m[0].length), match: `${verb} ${m[0].trim()}` };
      const server = PAYMENT_SERVER.exec(f.serverText);
      return server ? { source: 'server', quote: sentenceAt(f.serverText, server.index, server[0].length), match: `${verb} on ${server[0]}` } : null;
    },
    examples: {
      match: [{ name: 'capture_payment', description: 'Capture an authorized payment intent.' }, { name: 'capturePaymentIntent' },
        { name: 'finalize_invoice' }, { name: 'settle_payment' },
        { name: 'capture_authorization', description: 'Captures a card authorization for the held amount.' },
        { name: 'capture', server: { name: 'acme-pay', description: 'Card payments for online shops.' } },
        { name: 'capture_order', description: 'Collect the funds of an approved order.' }, { name: 'complete_checkout' }],
      noMatch: [{ name: 'capture_screenshot' }, { name: 'get_payment' }, { name: 'list_charges' }, { name: 'execute_workflow' },
        { name: 'capture', description: 'Capture the visible page as an image.' }, { name: 'complete_task' },
        { name: 'capture_order', description: 'Take a picture of the order ticket.', server: { name: 'kitchen-display' } }],
    },
  },
  {
    id: 'name.money.chain', category: 'Financial', weight: 4, signal: 'irreversible',
    supersedes: [...READ_VOTES, ...WRITE_VOTES, ...EXECUTE_VOTES, 'name.verb.delete', 'desc.lead.delete', 'title.lead.delete'],
    message: 'it moves coins or tokens ("{match}"), which is a payment that cannot be called back',
    test(f) {
      const verb = f.words.find((w) => MOVING_VERBS.has(w));
      if (verb !== undefined) {
        const noun = f.words.find((w) => CRYPTO_NOUNS.has(w));
        if (noun !== undefined && !(verb === 'approve' && noun === 'funds')) return nameMatch(f, `${verb} ${noun}`);
        const lead = f.scan.slice(f.leadStart, f.leadEnd);
        const coin = /\b(?:tokens?|coins?|usdc|usdt|stablecoins?|eth|ether|sol|btc|bitcoin|lamports|sats|nfts?|crypto(?:currency)?)\b/i.exec(lead);
        if (coin && verb !== 'approve') return nameMatch(f, `${verb} ${coin[0].toLowerCase()}`);
      }
      if (f.words.includes('transaction') || f.words.includes('tx')) {
        const sends = f.words.some((w) => w === 'send' || w === 'sign' || w === 'broadcast' || w === 'submit' || w === 'execute');
        if (sends && FINANCIAL_SERVER_WORDS.test(`${f.serverText} ${f.scan}`)) return nameMatch(f, f.name);
      }
      const m = CHAIN_MOVE.exec(f.scan);
      return m && !hasNameVerb(f, ['read']) ? descMatch(f, m) : null;
    },
    examples: {
      match: [{ name: 'transfer_tokens' }, { name: 'send_usdc', description: 'Send USDC stablecoin to a wallet address.' },
        { name: 'send', description: 'Send SOL to an address.' }, { name: 'stake_sol' }, { name: 'transfer_nft' },
        { name: 'send_transaction', server: { name: 'evm-wallet' } }, { name: 'bridge', description: 'Bridge tokens between chains.' }],
      noMatch: [{ name: 'transfer_repository' }, { name: 'send_message' }, { name: 'count_tokens' }, { name: 'get_token_balance' },
        { name: 'send_transaction', server: { name: 'postgres' } }, { name: 'list_transactions', server: { name: 'solana' } }],
    },
  },
  {
    id: 'desc.money.order', category: 'Financial', weight: 4, signal: 'irreversible',
    supersedes: [...WRITE_VOTES, ...EXECUTE_VOTES, 'name.verb.delete', 'desc.lead.delete', 'title.lead.delete'],
    message: 'it places an order on a market ("{match}"), which buys or sells',
    test(f) {
      if (hasNameVerb(f, ['read']) || f.leadVerb?.verbClass === 'read') return null;
      const m = MARKET_ORDER.exec(f.scan.slice(f.leadStart, Math.min(f.scan.length, f.leadEnd + 200)));
      if (m && !/(?:list|get|show|fetch|retriev|search|histor|status|quote|estimat|simulat|preview|price|book)/i.test(f.name)) {
        return { source: 'description', quote: sentenceAt(f.description, f.leadStart + m.index, m[0].length), match: m[0].trim() };
      }
      const noun = f.words.find((w) => ORDER_WORDS.has(w));
      const verb = f.words.find((w) => ORDER_VERBS.has(w)) ?? (f.words[0] === noun ? noun : undefined);
      if (noun === undefined || verb === undefined) return null;
      const server = FINANCIAL_SERVER_WORDS.exec(f.serverText);
      if (server) return { source: 'server', quote: sentenceAt(f.serverText, server.index, server[0].length), match: `${verb} ${noun}` };
      // A trade needs no financial server; a swap, an order or a position does when its first sentence names a chain,
      // a coin or a market.
      if ((noun === 'trade' || noun === 'trades') && verb !== noun) return nameMatch(f, `${verb} ${noun}`);
      const lead = f.scan.slice(f.leadStart, f.leadEnd);
      const coin = CHAIN_WORDS.exec(lead);
      return coin ? { source: 'description', quote: sentenceAt(f.description, f.leadStart + coin.index, coin[0].length), match: `${verb} ${noun}` } : null;
    },
    examples: {
      match: [{ name: 'place_order', description: 'Place a buy order on the exchange.' },
        { name: 'create_order', server: { name: 'binance-mcp', description: 'Trade on Binance.' } },
        { name: 'open_position', server: { name: 'hyperliquid' } }, { name: 'swap', description: 'Swap tokens on a DEX.' },
        { name: 'execute_swap', description: 'Execute a coin swap through an aggregator.' }, { name: 'make_trade', description: 'Make a trade on a decentralised exchange.' },
        { name: 'execute_trade', description: 'Executes a trade.' }, { name: 'close_position', description: 'Close an open perpetual futures position.' }],
      noMatch: [{ name: 'place_order', server: { name: 'kitchen-display' } }, { name: 'list_orders', server: { name: 'binance' } },
        { name: 'get_quote', description: 'Get a quote for a market order.' }, { name: 'execute_swap', description: 'Swap two layers of the canvas.' },
        { name: 'close_position', description: 'Close the panel at the given position.' }, { name: 'trade', description: 'Describe the trade routes of a region.' }],
    },
  },
  {
    id: 'desc.lead.run-attack', category: 'Execute', weight: 3.5,
    supersedes: [...READ_VOTES, 'name.none.audit', 'desc.lead.run-read'],
    message: 'it runs an attack on a live target ("{match}"): the requests it makes are of its own choosing, not a read',
    test(f) {
      if (f.nameVerbs.some((v) => STORED_RESULT_VERBS.has(v.word))) return null;
      const lead = f.scan.slice(f.leadStart, f.leadEnd).trimStart();
      const m = RUNS_ATTACK.exec(lead);
      const at = f.leadStart + (f.scan.slice(f.leadStart).length - f.scan.slice(f.leadStart).trimStart().length);
      return m ? { source: 'description', quote: sentenceAt(f.description, at, m[0].length), match: m[0] } : null;
    },
    examples: {
      match: [{ name: 'security_audit', description: 'Run a security audit that sends adversarial attack requests to the running app.' },
        { name: 'fuzz_endpoint', description: 'Performs fuzzing of an API endpoint with generated inputs.' }],
      noMatch: [{ name: 'get_attack_pattern', description: 'Run a lookup of a MITRE ATT&CK attack pattern.' },
        { name: 'run_accessibility_audit', description: 'Run an accessibility audit on the current page.' }],
    },
  },
  {
    id: 'schema.flag.runs-code', category: 'Execute', weight: 4,
    supersedes: [...READ_VOTES, 'desc.phrase.read-only', 'code.effect.read-only', 'name.none.audit', 'desc.lead.run-read'],
    message: 'its flag "{match}" makes it run code, so it is read-only only while the flag is off',
    test(f) {
      const p = f.props.find((x) => x.type === 'boolean' && FLAG_RUNS_CODE.test(x.description));
      return p ? { source: 'inputSchema', quote: propQuote(p), match: p.path, detail: `argument "${p.path}" (boolean)` } : null;
    },
    examples: {
      match: [{ name: 'verify_docs', description: 'Verify the README. Read-only unless runDoctests is set.',
        inputSchema: { type: 'object', properties: { runDoctests: { type: 'boolean', description: 'Also compile and run fenced JS examples in child processes.' } } } }],
      noMatch: [{ name: 'get_logs', inputSchema: { type: 'object', properties: { follow: { type: 'boolean', description: 'Keep streaming from a long-running command.' } } } },
        { name: 'verify_docs', inputSchema: { type: 'object', properties: { strict: { type: 'boolean', description: 'Fail on warnings.' } } } }],
    },
  },
  {
    id: 'name.money.record', category: 'Financial', weight: 4,
    supersedes: [...WRITE_VOTES, 'name.verb.delete', 'desc.lead.delete', 'title.lead.delete'],
    message: 'it changes a record in a set of books ("{match}"): money records are Financial even when no money moves',
    test(f) {
      const verb = f.nameVerbs.find((v) => v.verbClass === 'write' || v.verbClass === 'delete');
      if (verb === undefined || f.words.some((w) => RECORD_PARTS.has(w))) return null;
      const joined = f.words.map((w, i) => `${w}${f.words[i + 1] ?? ''}`);
      const noun = f.words.find((w, i) => i !== verb.at && MONEY_RECORDS.has(w)) ?? joined.find((w) => MONEY_RECORDS.has(w));
      if (noun === undefined) return null;
      const m = BOOKS.exec(f.serverText);
      if (m) return { source: 'server', quote: sentenceAt(f.serverText, m.index, m[0].length), match: `${verb.word} ${noun}` };
      const lead = BOOKS.exec(f.scan.slice(f.leadStart, f.leadEnd));
      return lead ? { source: 'description', quote: sentenceAt(f.description, f.leadStart + lead.index, lead[0].length), match: `${verb.word} ${noun}` } : null;
    },
    examples: {
      match: [{ name: 'update-manual-journal', server: { name: 'acme-books', description: 'Accounting for small businesses.' } },
        { name: 'create_transaction', server: { name: 'budget-mcp', description: 'Personal finance and budgeting.' } },
        { name: 'delete_journal_entry', description: 'Delete a journal entry from the general ledger.' },
        { name: 'create-bank-transaction', server: { name: 'xero' } }],
      noMatch: [{ name: 'create_journal_entry', server: { name: 'diary', description: 'A personal journal for notes.' } },
        { name: 'begin_transaction', server: { name: 'postgres' } }, { name: 'list-manual-journals', server: { name: 'xero' } },
        { name: 'create-quote', server: { name: 'xero', description: 'Accounting.' } }, { name: 'create_bill', server: { name: 'congress' } },
        { name: 'attach_file_to_transaction', server: { name: 'budget-mcp', description: 'Personal finance.' } }],
    },
  },
  {
    id: 'server.chain.transaction', category: 'Financial', weight: 4, signal: 'irreversible',
    supersedes: [...WRITE_VOTES, ...EXECUTE_VOTES],
    message: 'it creates or changes "{match}" on a chain: the call is a transaction that spends gas from the caller\'s wallet',
    test(f) {
      if (f.serverText === '' || hasNameVerb(f, ['read'])) return null;
      const verb = f.nameVerbs.find((v) => v.verbClass === 'write' || v.verbClass === 'delete' || (v.verbClass === 'execute' && CHAIN_RUNNING.has(v.word)));
      if (verb === undefined || f.words.some((w) => OFF_CHAIN.has(w))) return null;
      const chain = CHAIN_SERVER.exec(f.serverText);
      if (!chain) return null;
      const what = f.words.find((w, i) => i !== verb.at && !LEXICON_MAP.has(w)) ?? verb.word;
      if (TRANSACTS.test(`${f.name} ${f.scan}`) || f.props.some((p) => SIGNER_PROP.test(p.key))) {
        return { source: 'server', quote: sentenceAt(f.serverText, chain.index, chain[0].length), match: what };
      }
      return null;
    },
    examples: {
      match: [{ name: 'write_contract', description: 'Write to a smart contract (state-changing call).', server: { name: 'evm-mcp', description: 'Tools for EVM blockchains.' } },
        { name: 'create_collection', description: 'Create an NFT collection on-chain.', server: { name: 'chain-tools', description: 'Solana blockchain toolkit.' } },
        { name: 'create_storage_bucket', description: 'Create a bucket.', inputSchema: { type: 'object', properties: { privateKey: { type: 'string' } } }, server: { name: 'greenfield', description: 'Decentralised storage on BNB Greenfield.' } }],
      noMatch: [{ name: 'create_wallet', description: 'Create a wallet and return its private key.', server: { name: 'evm-mcp', description: 'EVM blockchain tools.' } },
        { name: 'get_contract', description: 'Read a smart contract.', server: { name: 'evm-mcp', description: 'EVM blockchain tools.' } },
        { name: 'create_bucket', description: 'Create a storage bucket.', server: { name: 's3', description: 'Amazon S3.' } },
        { name: 'set_network', description: 'Switch the RPC network.', server: { name: 'evm-mcp', description: 'EVM blockchain tools.' } }],
    },
  },
  {
    id: 'desc.lead.run-tests', category: 'Execute', weight: 3.5,
    supersedes: [...READ_VOTES, 'name.none.audit', 'desc.lead.run-read'],
    message: 'it runs tests ("{match}"): a test run executes the project\'s code',
    test(f, ctx) {
      if (f.nameVerbs.some((v) => STORED_RESULT_VERBS.has(v.word)) || hasNameVerb(f, ['write', 'delete', 'pay'])) return null;
      const lead = f.scan.slice(f.leadStart, f.leadEnd).trimStart();
      const m = RUNS_TESTS.exec(lead);
      const at = f.leadStart + (f.scan.slice(f.leadStart).length - f.scan.slice(f.leadStart).trimStart().length);
      if (m) return { source: 'description', quote: sentenceAt(f.description, at, m[0].length), match: m[0] };
      // A coverage figure on a test runner's server is made by running the tests.
      if (!f.words.includes('coverage') || ctx.votes('Execute') > 0) return null;
      const runner = TEST_RUNNER.exec(`${f.serverText} ${lead}`);
      return runner ? nameMatch(f, `coverage with ${runner[0]}`) : null;
    },
    examples: {
      match: [{ name: 'check_tests', description: 'Runs the test suite and reports failures.' },
        { name: 'analyze_coverage', server: { name: 'acme-vitest', description: 'Run Vitest from your agent.' } },
        { name: 'verify', description: 'Execute all unit tests of the package.' }],
      noMatch: [{ name: 'get_test_results', description: 'Run results of the last test run.' }, { name: 'list_tests', description: 'Runs nothing; lists test files.' },
        { name: 'get_coverage', server: { name: 'codecov', description: 'Coverage reports from Codecov.' } },
        { name: 'generate_tests', description: 'Generate unit tests for a function.' },
        { name: 'test_agent', description: 'Run a test conversation with an agent.' }],
    },
  },
  {
    id: 'name.none.render', category: 'Read', weight: 4,
    supersedes: [...WRITE_VOTES, ...EXECUTE_VOTES, 'desc.lead.money'],
    message: 'it draws or renders "{match}" and returns it: nothing is stored anywhere',
    test(f, ctx) {
      if (!trustworthy(ctx)) return null;
      const rendered = RENDERED_LEAD.exec(f.scan.slice(f.leadStart, f.leadEnd).trimStart());
      const thing = f.words.find((w) => RENDERED.has(w)) ?? rendered?.[1]?.toLowerCase();
      if (thing === undefined || hasNameVerb(f, ['delete', 'pay'])) return null;
      // A retrieval verb already says Read (`list_charts`); only a drawing verb needs this rule.
      if (f.nameVerbs.some((v) => v.verbClass === 'read' && !RENDERING_VERBS.has(v.word) && v.word !== 'map')) return null;
      const verbs = f.nameVerbs.filter((v) => v.verbClass !== 'read');
      if (verbs.some((v) => !RENDERING_VERBS.has(v.word)) || KEEPS.test(f.scan) || HOSTED_CANVAS.test(f.serverText)) return null;
      if (f.words.includes('graph') && /\bknowledge\b|\bmemory\b|\bentit/i.test(`${f.scan} ${f.serverText}`)) return null;
      return nameMatch(f, thing);
    },
    examples: {
      match: [{ name: 'generate_chart', description: 'Generate a bar chart image from data.' }, { name: 'generate_mermaid_diagram' },
        { name: 'create_qr_code' }, { name: 'render_plantuml' },
        { name: 'static_map_image_tool', description: 'Generates a static map image from the Static Images API.' }],
      noMatch: [{ name: 'create_chart', description: 'Create a chart in a Google Sheets spreadsheet.' }, { name: 'delete_chart' },
        { name: 'list_charts' }, { name: 'save_diagram', description: 'Save the diagram to a file.' },
        { name: 'create_image', description: 'Create a Docker image from a Dockerfile.' }],
    },
  },
  {
    id: 'name.none.calculate', category: 'Read', weight: 4,
    supersedes: [...WRITE_VOTES, ...EXECUTE_VOTES],
    message: 'it calculates or converts ("{match}") and returns the result: nothing changes anywhere',
    test(f, ctx) {
      if (!trustworthy(ctx)) return null;
      const word = f.words.find((w) => CALCULATION.has(w));
      if (word === undefined || hasNameVerb(f, ['delete', 'pay'])) return null;
      if (CODE_TEXT.test(f.scan) || f.props.some((p) => /^(?:code|script|command|sql|query)$/.test(p.key))) return null;
      const other = f.nameVerbs.filter((v) => v.verbClass !== 'read' && !ARITHMETIC_VERBS.has(v.word) && !CALCULATION.has(v.word));
      if (other.length > 0) return null;
      // An arithmetic verb that is also a write verb (`add`) is arithmetic only when the tool speaks of numbers.
      if (ARITHMETIC_VERBS.has(word) && !CALCULATION.has(f.words.find((w) => w !== word) ?? '') && !NUMBER_WORDS.test(`${f.name} ${f.scan.slice(f.leadStart, f.leadEnd)}`)) return null;
      return nameMatch(f, word);
    },
    examples: {
      match: [{ name: 'calculate', description: 'Evaluate a math expression.' }, { name: 'convert_units' }, { name: 'add', description: 'Add two numbers.' },
        { name: 'calculate_distance' }, { name: 'base64_encode' }],
      noMatch: [{ name: 'add', description: 'Add a task to the list.' }, { name: 'session_add_segment', description: 'Insert a segment into the recording. Parameters: position (number).' }, { name: 'evaluate', description: 'Evaluate JavaScript code in the page.' },
        { name: 'delete_unit' }, { name: 'update_currency' }],
    },
  },
  {
    id: 'desc.none.convert', category: 'Read', weight: 3.5,
    supersedes: [...WRITE_VOTES, ...EXECUTE_VOTES, 'desc.phrase.sql', 'schema.prop.sql'],
    message: 'its first sentence converts one text into another ("{match}") and runs nothing',
    test(f, ctx) {
      if (!trustworthy(ctx) || hasNameVerb(f, ['write', 'delete', 'pay', 'execute'])) return null;
      const lead = f.scan.slice(f.leadStart, f.leadEnd).trimStart();
      const m = CONVERTS_TEXT.exec(lead);
      if (!m || RUNS_IT.test(f.scan)) return null;
      const at = f.leadStart + (f.scan.slice(f.leadStart).length - f.scan.slice(f.leadStart).trimStart().length);
      return { source: 'description', quote: sentenceAt(f.description, at, m[0].length), match: m[0] };
    },
    examples: {
      match: [{ name: 'sql_to_rest', description: 'Converts an SQL query to a REST request (method and path).', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } },
        { name: 'md2html', description: 'Convert Markdown text to HTML.' }],
      noMatch: [{ name: 'convert_and_run', description: 'Converts an SQL query to a REST request and executes it.' },
        { name: 'convert_file', description: 'Converts a document to PDF and saves it to the output folder.' }, { name: 'delete_rows', description: 'Converts rows to archive format.' }],
    },
  },
  {
    id: 'name.none.think', category: 'Read', weight: 3.5,
    supersedes: [...WRITE_VOTES, ...EXECUTE_VOTES],
    message: 'it thinks aloud or echoes ("{match}"): what it makes goes back to the caller and nowhere else',
    test(f, ctx) {
      if (!trustworthy(ctx)) return null;
      const word = f.words.find((w) => THINKING.test(w));
      if (word === undefined || hasNameVerb(f, ['write', 'delete', 'pay', 'execute'])) return null;
      return nameMatch(f, word);
    },
    examples: {
      match: [{ name: 'sequentialthinking' }, { name: 'think' }, { name: 'echo' }, { name: 'reflect_on_progress' }],
      noMatch: [{ name: 'save_thought' }, { name: 'delete_thinking_log' }, { name: 'create_reasoning_job' }],
    },
  },
  {
    id: 'name.none.ask', category: 'Read', weight: 3,
    supersedes: [...WRITE_VOTES],
    message: 'it asks an assistant or a search engine a question ("{match}") and returns the answer',
    test(f, ctx) {
      if (!trustworthy(ctx)) return null;
      const lead = f.scan.slice(f.leadStart, f.leadEnd);
      if (hasNameVerb(f, ['write', 'delete', 'pay', 'execute']) || f.words.some((w) => MONEY_NOUNS.has(w))) return null;
      if (REACHES_PEOPLE.test(lead) && !TO_A_MODEL.test(lead)) return null;
      const word = f.words.find((w) => ASKING.has(w))
        ?? (f.words.includes('chat') && ASSISTANT.test(lead) ? 'chat' : undefined)
        ?? f.words.find((w) => COMPLETION.has(w) && MODEL_ANSWERS.test(lead));
      if (word !== undefined) return nameMatch(f, word);
      const asks = /^(?:ask|answer|research)s?\s+(?:\w+\s+){0,2}?(?:questions?|about|a topic|topics?)\b/i.exec(lead.trimStart());
      return asks ? { source: 'description', quote: sentenceAt(f.description, f.leadStart, asks[0].length), match: asks[0] } : null;
    },
    examples: {
      match: [{ name: 'ask_question', description: 'Ask a question about a repository and get an AI-powered answer.' },
        { name: 'deep_research', description: 'Research a topic in depth using web search.' },
        { name: 'ground_location_tool', description: 'Answer questions about what is near a location.' },
        { name: 'chat', description: "Chat with the company's AI assistant grounded in its documents." },
        { name: 'acme_fim', description: 'Fill-in-the-middle completion from the code model: give a prefix and a suffix.', server: { name: 'acme-llm' } },
        { name: 'tax_expert', description: 'Use this tool for any tax question; it answers from the current rules.' }],
      noMatch: [{ name: 'ask_team', description: 'Send a question to the team channel on Slack.' }, { name: 'create_question' },
        { name: 'chat', description: 'Post a message in a team chat.' }, { name: 'complete_task', description: 'Mark the task complete.' },
        { name: 'invite_expert', description: 'Invite an expert to the project.' }],
    },
  },
  {
    id: 'name.none.memory-open', category: 'Read', weight: 3,
    supersedes: [...WRITE_VOTES],
    message: 'it opens or loads entries of the agent\'s memory or knowledge graph ("{match}") to read them',
    test(f, ctx) {
      if (!trustworthy(ctx)) return null;
      const verb = f.words.find((w) => w === 'open' || w === 'load' || w === 'recall');
      const what = verb === undefined ? undefined : f.words.find((w) => MEMORY_ITEMS.has(w));
      if (what === undefined || f.nameVerbs.some((v) => v.verbClass !== 'read') || KEEPS.test(f.scan.slice(f.leadStart, f.leadEnd))) return null;
      return nameMatch(f, `${verb} ${what}`);
    },
    examples: {
      match: [{ name: 'open_nodes', description: 'Open the named nodes of the knowledge graph.' }, { name: 'load_memories' }, { name: 'openEntities' }],
      noMatch: [{ name: 'open_pull_request' }, { name: 'delete_nodes' }, { name: 'open_nodes_and_update' }],
    },
  },
  {
    id: 'name.none.audit', category: 'Read', weight: 3.5,
    supersedes: [...EXECUTE_VOTES],
    message: 'it runs a check that inspects and reports ("{match}"): nothing it checks is changed',
    test(f, ctx) {
      if (!trustworthy(ctx)) return null;
      if (FIXES.test(f.scan) || ATTACKS.test(f.scan) || f.props.some((p) => /^(?:code|script|command|cmd)$/.test(p.key))) return null;
      const canI = f.words.findIndex((w, i) => w === 'can' && f.words[i + 1] === 'i');
      if (canI !== -1) return nameMatch(f, 'can i');
      if (hasNameVerb(f, ['write', 'delete', 'pay'])) return null;
      const verb = f.words.find((w) => RUNNING_VERBS.has(w));
      const audit = f.words.find((w) => AUDITS.has(w));
      if (verb !== undefined && audit !== undefined) return nameMatch(f, `${verb} ${audit}`);
      // "Run a standardization scan against …": the first sentence runs a check the name only names.
      const m = RUNS_A_CHECK.exec(f.scan.slice(f.leadStart, f.leadEnd).trimStart());
      if (!m || !AUDITS.has((m[1] ?? '').toLowerCase())) return null;
      const at = f.leadStart + (f.scan.slice(f.leadStart).length - f.scan.slice(f.leadStart).trimStart().length);
      return { source: 'description', quote: sentenceAt(f.description, at, m[0].length), match: m[0] };
    },
    examples: {
      match: [{ name: 'run_accessibility_audit', description: 'Run an accessibility audit on the current page.' }, { name: 'run_lighthouse' },
        { name: 'runSeoAudit' }, { name: 'run_code_analyzer', description: 'Performs static analysis of the given files and lists the violations.' }, { name: 'scan_api_style', description: 'Run a style scan against an API definition and list the findings.' },
        { name: 'execute_quality_report', description: 'Execute the quality report of a release and return its figures.' },
        { name: 'broker_can_i_deploy', description: 'Checks whether a version can be deployed to an environment.' }],
      noMatch: [{ name: 'run_tests' }, { name: 'run_lint', description: 'Run the linter and fix problems.' }, { name: 'get_audit_log' },
        { name: 'security_audit', description: 'Run a security audit that sends adversarial attack requests to the running app.' },
        { name: 'deploy_report_service', description: 'Run a deployment of the report service.' },
        { name: 'run_migration', description: 'Run a database migration and report the result.' }],
    },
  },
  {
    id: 'name.none.query-language', category: 'Read', weight: 3.5,
    supersedes: [...EXECUTE_VOTES],
    message: 'it runs a query in a language that can only read ("{match}")',
    test(f, ctx) {
      if (!trustworthy(ctx) || !f.words.includes('query') || !f.words.some((w) => RUNNING_VERBS.has(w))) return null;
      const m = READ_ONLY_QUERY.exec(f.scan);
      return m && !/\b(?:insert|update|delete|drop|alter|create|mutation|dml)\b/i.test(f.scan) ? descMatch(f, m) : null;
    },
    examples: {
      match: [{ name: 'run_soql_query', description: 'Run a SOQL query against a Salesforce org.' },
        { name: 'run_query', description: 'Execute a Data Explorer query with parameters.' }],
      noMatch: [{ name: 'run_query', description: 'Run any SQL query.' }, { name: 'run_soql_query', description: 'Run SOQL or DML statements.' }],
    },
  },
];
