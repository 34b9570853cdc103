/**
 * Claude Code settings (`.claude/settings.json`): `permissions.allow` / `ask` / `deny` with `mcp__<server>__<tool>`
 * entries; `mcp__<server>` names every tool of the server. Claude Code applies deny, then ask, then allow, and asks
 * for an MCP tool no rule names. `*` in a tool name is a wildcard there, so only names of `[A-Za-z0-9_-]` are written.
 * The settings type comes from `@schemastore/claude-code-settings` (the published schema's TypeScript definitions);
 * the check re-reads the file and checks each entry's shape.
 */
import type { ClaudeCodeSettings } from '@schemastore/claude-code-settings';
import { getOwn } from '../../records/index.ts';
import { allowsUnlisted, hidesAll, planTools, toolClass, unlistedLimited } from './plan.ts';
import type { Degradation, PolicyFormat } from './types.ts';

/** What Claude Code keeps of a server or tool name in `mcp__<server>__<tool>`. */
export const CLAUDE_NAME = /^[A-Za-z0-9_-]+$/;

export const claudeCode: PolicyFormat = {
  id: 'claude-code',
  title: 'Claude Code permissions',
  dir: 'claude-code',
  ext: 'json',
  contentType: 'application/json; charset=utf-8',
  caveats: [
    'Claude Code has no argument conditions or rate limits: a conditional or rate-limited tool goes to ask.',
    'Tools the policy does not name are asked about (Claude Code\'s default), not denied.',
    'A tool name with characters other than letters, digits, _ and - cannot be written: Claude Code asks for it.',
  ],
  render(policy, { serverName }) {
    if (!CLAUDE_NAME.test(serverName)) throw new Error(`server name ${JSON.stringify(serverName)} has characters a Claude Code rule cannot carry`);
    const entry = (tool: string) => `mcp__${serverName}__${tool}`;
    const allow: string[] = [];
    const ask: string[] = [];
    const deny: string[] = [];
    const degraded: Degradation[] = [];
    let unwritableRestricted = false;
    if (hidesAll(policy)) deny.push(`mcp__${serverName}`);
    else if (unlistedLimited(policy)) degraded.push({ tool: '*', becomes: 'ask', reason: 'Claude Code cannot count calls, so tools the policy does not name are asked about' });
    else if (allowsUnlisted(policy)) allow.push(`mcp__${serverName}`);
    for (const t of planTools(policy)) {
      const cls = toolClass(t);
      if (!CLAUDE_NAME.test(t.name)) {
        if (cls !== 'allow') unwritableRestricted = true;
        degraded.push({ tool: t.name, becomes: 'ask', reason: 'its name cannot be written in a Claude Code rule, and Claude Code asks for unnamed tools' });
        continue;
      }
      if (cls === 'deny') deny.push(entry(t.name));
      else if (cls === 'allow') allow.push(entry(t.name));
      else {
        ask.push(entry(t.name));
        if (cls !== 'approval') degraded.push({ tool: t.name, becomes: 'ask', reason: cls === 'limited' ? 'Claude Code cannot count calls' : 'Claude Code has no argument conditions' });
      }
    }
    if (allow.includes(`mcp__${serverName}`) && unwritableRestricted) {
      // `mcp__<server>` would allow a restricted tool whose name cannot be written: keep unnamed tools to ask instead.
      allow.splice(allow.indexOf(`mcp__${serverName}`), 1);
      degraded.push({ tool: '*', becomes: 'ask', reason: 'a restricted tool name cannot be written, so tools the policy does not name are asked about' });
    }
    const settings: ClaudeCodeSettings = { permissions: { allow, ask, deny } };
    return { text: `${JSON.stringify(settings, null, 2)}\n`, degraded: degraded.sort((a, b) => (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)) };
  },
  validate(text, { serverName }) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return [`not JSON: ${(error as Error).message}`];
    }
    const permissions = getOwn(doc, 'permissions');
    if (typeof permissions !== 'object' || permissions === null) return ['permissions must be an object'];
    const errors: string[] = [];
    const shape = new RegExp(`^mcp__${serverName.replace(/[^A-Za-z0-9_-]/g, '')}(__[A-Za-z0-9_-]+)?$`);
    for (const [key, list] of Object.entries(permissions)) {
      if (!['allow', 'ask', 'deny'].includes(key)) errors.push(`permissions.${key} is not allow, ask or deny`);
      else if (!Array.isArray(list) || !list.every((e) => typeof e === 'string')) errors.push(`permissions.${key} must be a list of rules`);
      else for (const e of list) if (!shape.test(e)) errors.push(`${JSON.stringify(e)} is not an mcp__${serverName}__<tool> rule`);
    }
    return errors;
  },
};
