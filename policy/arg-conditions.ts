/**
 * Argument conditions derived from a tool's input schema (DESIGN.md §5, "argument conditions derived from
 * the input schema"): patterns on shell commands, code and SQL, path and URL conditions, amount caps.
 *
 * Regex values are ECMAScript patterns without flags; case-insensitive words are spelled with character
 * classes (`[Dd][Rr][Oo][Pp]`) so any regex engine a gateway uses reads them the same way. Conditions are
 * only written for string-typed (or untyped) arguments; an array of strings gets none, because gateways
 * differ in how they match a pattern against a list.
 * @internal
 */
import type { Condition, DenyRule } from './types.ts';
import { isAmountProp, isCodeProp, isPathProp, isShellProp, isSqlProp, isUrlProp, type Features, type PropInfo } from '../classifier/index.ts';

/** Default cap for money amounts, in the argument's own units (cents for Stripe-style APIs). */
export const DEFAULT_AMOUNT_CAP = 10_000;

const ci = (word: string) => [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');
const words = (...ws: string[]) => `\\b(${ws.map(ci).join('|')})\\b`;

/** Shell: recursive/forced delete, disk format or overwrite, fork bomb, shutdown. */
export const SHELL_DESTRUCTIVE = String.raw`\brm\s+-[A-Za-z]*[rRf]|\bmkfs\b|\bdd\s+if=|:\(\)\s*\{|>\s*/dev/(sd|nvme|hd)|\bchmod\s+(-R\s+)?777\b|\b(shutdown|reboot|halt)\b`;
/** Shell: a download piped into a shell. */
export const SHELL_DOWNLOAD_EXEC = String.raw`\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b|\b(ba)?sh\s+<\(\s*(curl|wget)`;
/** Shell: privilege escalation. */
export const SHELL_PRIVILEGE = String.raw`\bsudo\b|\bsu\s+-|\bchown\s+(-R\s+)?root\b`;
/** Code: spawning processes, reading cookies, browser storage or the environment. */
export const CODE_ESCAPE = String.raw`\bchild_process\b|\bsubprocess\b|\bos\.system\b|\bexecSync\b|\bdocument\.cookie\b|\blocalStorage\b|\bprocess\.env\b|\bos\.environ\b`;
/** SQL that changes schema or permissions. */
export const SQL_DDL = words('drop', 'truncate', 'alter', 'grant', 'revoke');
/** SQL that writes data. */
export const SQL_WRITE = words('insert', 'update', 'delete', 'merge', 'create', 'copy', 'replace', 'upsert');
/** Path: `..` traversal out of the allowed directory. */
export const PATH_TRAVERSAL = String.raw`(^|[\\/])\.\.([\\/]|$)`;
/** Path: credential stores and system directories. */
export const PATH_SENSITIVE = String.raw`(^|[\\/])(\.ssh|\.aws|\.gnupg|\.kube|\.docker|\.netrc)([\\/]|$)|(^|[\\/])\.env(\.[A-Za-z]+)?$|(^|[\\/])id_(rsa|ed25519|ecdsa)|^/(etc|root|proc|sys|boot|dev)([\\/]|$)|^~`;
/** URL: loopback, private and link-local hosts (SSRF), or a non-web scheme. */
export const URL_INTERNAL = String.raw`^[A-Za-z][A-Za-z0-9+.-]*://(localhost|127\.|0\.0\.0\.0|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2[0-9]|3[01])\.|\[::1\])|^(file|gopher|ftp|data|javascript):`;

const isStringTyped = (p: PropInfo) => p.type === '' || p.type === 'string';
const regex = (p: PropInfo, value: string): Condition[] => [{ path: `args.${p.path}`, op: 'regex', value }];

/**
 * The rule for an argument that needs a condition but that no condition path can name (an empty name, or one with a
 * `.`, which `args.<name>` would split): its value cannot be checked, so every call needs approval.
 */
function unaddressable(p: PropInfo): DenyRule {
  return { conditions: [], on_deny: `Requires human approval: the argument ${JSON.stringify(p.path)} cannot be named in a condition path, so its value is not checked.` };
}

/**
 * Deny rules for the arguments of a Write or Execute tool, in property order, deduplicated. An argument that needs a
 * condition but cannot be named by a condition path gets an approval rule instead.
 * @param readOnlySql when the tool says its SQL runs read-only, SQL that writes is denied too.
 */
export function argumentDenyRules(f: Features, readOnlySql: boolean): DenyRule[] {
  const out: DenyRule[] = [];
  for (const p of f.props) {
    if (!isStringTyped(p)) continue;
    const name = `"${p.path}"`;
    if (!p.addressable) {
      if (isShellProp(p) || isCodeProp(p, f) || isSqlProp(p, f) || isPathProp(p, f) || isUrlProp(p)) out.push(unaddressable(p));
    } else if (isShellProp(p)) {
      out.push({ conditions: regex(p, SHELL_DESTRUCTIVE), on_deny: `Blocked: ${name} matches a destructive shell pattern (recursive delete, disk format or overwrite, fork bomb, shutdown).` });
      out.push({ conditions: regex(p, SHELL_DOWNLOAD_EXEC), on_deny: `Blocked: ${name} pipes a download into a shell.` });
      out.push({ conditions: regex(p, SHELL_PRIVILEGE), on_deny: `Blocked: ${name} asks for elevated privileges.` });
    } else if (isCodeProp(p, f)) {
      out.push({ conditions: regex(p, CODE_ESCAPE), on_deny: `Blocked: ${name} spawns processes or reads cookies, browser storage or environment variables.` });
    } else if (isSqlProp(p, f)) {
      out.push({ conditions: regex(p, SQL_DDL), on_deny: `Blocked: ${name} drops, truncates or alters tables or permissions.` });
      if (readOnlySql) out.push({ conditions: regex(p, SQL_WRITE), on_deny: `Blocked: the tool is declared read-only, so SQL in ${name} that writes is denied.` });
    } else if (isPathProp(p, f)) {
      out.push({ conditions: regex(p, PATH_TRAVERSAL), on_deny: `Blocked: ${name} climbs out of its directory with "..".` });
      out.push({ conditions: regex(p, PATH_SENSITIVE), on_deny: `Blocked: ${name} points at credentials or a system directory.` });
    } else if (isUrlProp(p)) {
      out.push({ conditions: regex(p, URL_INTERNAL), on_deny: `Blocked: ${name} points at a local or internal address, or uses a non-web scheme.` });
    }
  }
  return out;
}

/** Amount caps for the money-amount arguments of a Financial tool (an approval rule for one no condition path can name). */
export function amountCapRules(f: Features, cap = DEFAULT_AMOUNT_CAP): DenyRule[] {
  return f.props
    .filter((p) => (p.type === 'number' || p.type === 'integer' || p.type === '') && isAmountProp(p, f))
    .map((p) => (!p.addressable ? unaddressable(p) : {
      conditions: [{ path: `args.${p.path}`, op: 'gt', value: cap }],
      on_deny: `Amount cap: "${p.path}" above ${cap} (in the argument's own units) is denied even once approval is lifted.`,
    }));
}
