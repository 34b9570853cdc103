/**
 * The attack patterns each category of tool is exposed to, and what the recommended policy (`policy/recommend.ts`)
 * does about each, in the catalogue's own words. The figures (calls per minute, the amount cap, the confidence
 * below which a tool is left to the default deny) are read from `policy/`, so the pages say what the policy does.
 * Plain text only; templates escape it.
 * @internal
 */
import { DEFAULT_AMOUNT_CAP, EXECUTE_PER_MINUTE, MIN_CONFIDENCE_TO_LIST, WRITE_PER_MINUTE } from '../policy/index.ts';
import type { Category } from '../records/index.ts';

export interface AttackPattern {
  /** Stable id, used as the fragment of its heading (`#exfiltration`). */
  id: string;
  /** A short name. */
  name: string;
  /** How the attack goes, in one or two sentences. */
  how: string;
  /** What the recommended policy does against it, and what it leaves to the operator. */
  mitigation: string;
}

export interface CategoryAttacks {
  /** One line for the index of categories. */
  summary: string;
  /** The recommended rule for every tool of the category, in one or two sentences. */
  rule: string;
  patterns: AttackPattern[];
}

const PATHS =
  'Path arguments that climb out of their directory with ".." or point at credential stores (.ssh, .aws, .gnupg, .kube, .docker, .netrc, .env files, private keys), the home directory (~) or system directories (/etc, /root, /proc, /sys, /boot, /dev) are denied';
const URLS = 'URL arguments that name loopback, private or link-local addresses, or a scheme other than a web one (file:, ftp:, gopher:, data:, javascript:), are denied';
const SHELL =
  'shell arguments that delete recursively or by force, format or overwrite a disk, fork-bomb, shut the machine down, pipe a download into a shell or ask for sudo are denied';
const CODE = 'code arguments that spawn processes or read cookies, browser storage or environment variables are denied';
const SQL = 'SQL arguments that drop, truncate or alter tables or change permissions are denied';
const LOW_CONFIDENCE = `A tool classified with confidence under ${MIN_CONFIDENCE_TO_LIST} gets no rule, so the policy's default deny refuses it.`;
const APPROVAL = 'every call is denied until a person approves it (a deny rule with no conditions, "Requires human approval.")';

const ATTACKS: Record<Category, CategoryAttacks> = {
  Read: {
    summary: 'Reads leak: what a tool can see, an injected instruction can ask for and another tool can send out.',
    rule: `Allowed with no rate limit. ${PATHS}; ${URLS}; ${SQL}. ${LOW_CONFIDENCE}`,
    patterns: [
      {
        id: 'exfiltration',
        name: 'Exfiltration through prompt injection',
        how: 'Text the agent took in from elsewhere (a web page, an issue, an email) tells it to look up secrets or private records with this tool; the answer then leaves through another tool or through the agent\'s own reply.',
        mitigation: `The rule does not stop the read itself: Read tools are allowed. ${PATHS}, so the usual secret files are out of reach. The way out is the other tools the agent holds; keep Write and Execute tools under their own rules.`,
      },
      {
        id: 'returned-instructions',
        name: 'Instructions hidden in returned content',
        how: 'What the tool hands back (a document, a search hit, a database row) carries instructions of its own, and the model may follow them as if the user had written them.',
        mitigation: 'A policy decides calls, not answers: nothing in policy.json reads what a tool returns. What limits the harm is the rule on each tool the injected text reaches for next: Destructive tools hidden and held for approval, Financial ones held for approval.',
      },
      {
        id: 'over-broad-reads',
        name: 'Over-broad reads of secrets',
        how: 'A query with no filter, a wildcard path or a huge page size returns far more than the task needs: keys, personal data, whole tables, which then sit in the model context and in its logs.',
        mitigation: `${PATHS}; ${SQL}, and when the tool says its SQL runs read-only, SQL that writes is denied too. The policy does not cap how much an answer may hold.`,
      },
      {
        id: 'internal-fetch',
        name: 'Fetching internal addresses',
        how: 'A fetch or browse tool is pointed at a cloud metadata endpoint, an admin page on localhost or a service on the private network, and returns what only the host was meant to see.',
        mitigation: `${URLS}. Names that resolve to internal addresses are not caught by a pattern on the URL.`,
      },
    ],
  },
  Write: {
    summary: 'Writes tamper: stored data changed, poisoned or used to keep a foothold.',
    rule: `Allowed at up to ${WRITE_PER_MINUTE} calls per minute per grant. ${PATHS}; ${URLS}; ${SQL}; shell and code arguments get the conditions Execute tools get. ${LOW_CONFIDENCE}`,
    patterns: [
      {
        id: 'tampering',
        name: 'Tampering',
        how: 'A misled agent overwrites good data with plausible but wrong values: a configuration, a record, a file. Nothing breaks at once, so nobody looks.',
        mitigation: `At most ${WRITE_PER_MINUTE} calls per minute, and the path conditions keep writes out of credential stores and system directories. Which record gets which value is not something a policy can judge.`,
      },
      {
        id: 'poisoning',
        name: 'Poisoning stored data',
        how: 'The agent writes issues, comments, documents or memory entries that a later agent reads as instructions, or that people take as true.',
        mitigation: `The rate limit bounds how much can be planted in a minute. Nothing in the policy reads what is written; review what agents publish where other agents or people read it.`,
      },
      {
        id: 'persistence',
        name: 'Persistence',
        how: 'A write to an SSH authorised-keys file, a shell profile, a scheduled job or a CI workflow leaves a foothold that outlives the session.',
        mitigation: `${PATHS}. A workflow or script inside the directory the tool is allowed to write is not caught.`,
      },
      {
        id: 'runaway-writes',
        name: 'Runaway loops',
        how: 'An agent stuck in a loop creates or edits thousands of records, flooding a tracker, a mailbox or a database.',
        mitigation: `At most ${WRITE_PER_MINUTE} calls per minute per grant.`,
      },
    ],
  },
  Execute: {
    summary: 'Execution hands over control: whoever writes the arguments chooses what runs.',
    rule: `Allowed at up to ${EXECUTE_PER_MINUTE} calls per minute per grant; ${SHELL}; ${CODE}; ${SQL}. ${PATHS}; ${URLS}. ${LOW_CONFIDENCE}`,
    patterns: [
      {
        id: 'code-execution',
        name: 'Arbitrary command or code execution',
        how: 'An argument the agent fills from untrusted text becomes part of a shell command, a script or a query, so the author of that text decides what runs with the server\'s rights.',
        mitigation: `At most ${EXECUTE_PER_MINUTE} calls per minute; ${SHELL}; ${CODE}. The patterns catch the common forms, not every form: a payload written around them still runs.`,
      },
      {
        id: 'sandbox-escape',
        name: 'Sandbox escape and pivoting',
        how: 'Code run through the tool reaches past where it was meant to run: the host\'s files, credentials in the environment, the internal network, other containers.',
        mitigation: `${CODE.charAt(0).toUpperCase()}${CODE.slice(1)}; paths to credential stores and URLs to internal addresses are denied. What an allowed command does once it runs is out of the policy's sight: run such servers in a container or sandbox of their own.`,
      },
      {
        id: 'resource-abuse',
        name: 'Resource abuse',
        how: 'Builds, jobs, containers or miners are started again and again, burning compute and money.',
        mitigation: `At most ${EXECUTE_PER_MINUTE} calls per minute per grant. A single call that starts a long job is not limited by it.`,
      },
    ],
  },
  Destructive: {
    summary: 'Destruction cannot be undone: one call is enough.',
    rule: `Hidden from tools/list and ${APPROVAL}. Both, so that un-hiding the tool still leaves it waiting for approval, and switching the default to allow still leaves it hidden.`,
    patterns: [
      {
        id: 'irreversible-loss',
        name: 'Irreversible loss',
        how: 'A single mistaken or injected call deletes a repository, a bucket, a database or an account, and there is no undo.',
        mitigation: `The tool is hidden, so the agent does not see it, and ${APPROVAL}.`,
      },
      {
        id: 'deletion-at-scale',
        name: 'Deletion at scale',
        how: 'An empty or wildcard filter, or a loop, removes everything in reach, the way ransomware wipes what it cannot hold to ransom.',
        mitigation: 'Each call waits for a person, who sees its arguments before anything is removed.',
      },
      {
        id: 'disguised-sabotage',
        name: 'Sabotage behind a routine task',
        how: 'A harmless-sounding request ("clean up old branches", "free some disk space") carries a delete that reaches much further than its words.',
        mitigation: 'Approval per call: the person approving sees what would be deleted, not the words of the task.',
      },
    ],
  },
  Financial: {
    summary: 'Money tools spend: a bad call costs money, not just data.',
    rule: `${APPROVAL.charAt(0).toUpperCase()}${APPROVAL.slice(1)}. Each argument that holds a money amount also gets a cap: above ${DEFAULT_AMOUNT_CAP.toLocaleString('en-US')} in the argument's own units (cents for Stripe-style APIs) the call is denied even once approval is lifted.`,
    patterns: [
      {
        id: 'unauthorised-payments',
        name: 'Unauthorised payments and transfers',
        how: 'An injected instruction has the agent pay, transfer or refund to an account the attacker controls.',
        mitigation: `${APPROVAL.charAt(0).toUpperCase()}${APPROVAL.slice(1)}; the person approving sees the payee and the amount.`,
      },
      {
        id: 'inflated-amounts',
        name: 'Inflated amounts',
        how: 'A manipulated argument turns a small charge or refund into a large one: a misplaced decimal, cents read as units.',
        mitigation: `Amounts above ${DEFAULT_AMOUNT_CAP.toLocaleString('en-US')} in the argument's own units are denied, approval or not.`,
      },
      {
        id: 'drained-wallets',
        name: 'Drained wallets',
        how: 'Many small transfers, each under any cap and each harmless-looking, empty an account or a crypto wallet.',
        mitigation: 'Each transfer waits for approval. The recommended policy sets no spending budget over many calls; if you lift approval, add a limit with an hour or day window.',
      },
    ],
  },
};

/** The attack patterns of `category` and the recommended rule against them. */
export function categoryAttacks(category: Category): CategoryAttacks {
  return ATTACKS[category];
}
