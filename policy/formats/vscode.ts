/**
 * VS Code `chat.tools.eligibleForAutoApproval` (settings.json): an object from a tool's reference name to `false`
 * (always ask before it runs, even when auto-approval is on) or `true`. An MCP tool's reference name is
 * `<server>/<tool>`, the server as named in the user's `mcp.json`. VS Code can only ask, not deny, and has no argument
 * conditions or limits: everything but a tool allowed outright is set to `false`.
 */
import { getOwn, setOwn } from '../../records/index.ts';
import { isWellFormed, planTools, toolClass } from './plan.ts';
import type { Degradation, PolicyFormat } from './types.ts';

export const VSCODE_SETTING = 'chat.tools.eligibleForAutoApproval';

export const vscode: PolicyFormat = {
  id: 'vscode',
  title: 'VS Code tool auto-approval',
  dir: 'vscode',
  ext: 'json',
  contentType: 'application/json; charset=utf-8',
  caveats: [
    'VS Code can only ask: a hidden or denied tool is set to always ask, not removed (turn it off in the tools picker).',
    'Conditional and rate-limited tools always ask.',
  ],
  render(policy, { serverName }) {
    const degraded: Degradation[] = [];
    const eligible: Record<string, boolean> = {};
    for (const t of planTools(policy)) {
      const cls = toolClass(t);
      if (!isWellFormed(t.name)) {
        degraded.push({ tool: t.name, becomes: 'ask', reason: 'its name cannot be written in JSON text; VS Code asks for it unless auto-approval is on for everything' });
        continue;
      }
      setOwn(eligible, `${serverName}/${t.name}`, cls === 'allow');
      if (cls === 'deny' || cls === 'conditional' || cls === 'limited') degraded.push({ tool: t.name, becomes: 'ask', reason: cls === 'deny' ? 'VS Code settings cannot deny a tool' : 'VS Code has no argument conditions or limits' });
    }
    const settings: Record<string, unknown> = {};
    setOwn(settings, VSCODE_SETTING, eligible);
    return { text: `${JSON.stringify(settings, null, 2)}\n`, degraded: degraded.sort((a, b) => (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)) };
  },
  validate(text, { serverName }) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return [`not JSON: ${(error as Error).message}`];
    }
    const map = getOwn(doc, VSCODE_SETTING);
    if (typeof map !== 'object' || map === null || Array.isArray(map)) return [`${VSCODE_SETTING} must be an object`];
    return Object.entries(map).flatMap(([k, v]) => (k.startsWith(`${serverName}/`) && typeof v === 'boolean' ? [] : [`${JSON.stringify(k)} must be ${serverName}/<tool> with a boolean`]));
  },
};
