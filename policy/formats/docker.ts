/**
 * Docker MCP gateway tool allowlist: the tools a profile enables for one server, as the gateway's `tools.yaml`
 * (`<server>: [<tool>, …]`, read by `docker mcp gateway run --additional-tools-config`), the same list
 * `docker mcp profile tools <profile> --enable <server>.<tool>` sets. A tool not listed is not offered. The list has
 * no conditions, limits or approval, so only tools our policy allows outright are enabled.
 */
import { Document, parse } from 'yaml';
import { getOwn } from '../../records/index.ts';
import { allowsUnlisted, isWellFormed, planTools, toolClass } from './plan.ts';
import type { Degradation, PolicyFormat } from './types.ts';

export const docker: PolicyFormat = {
  id: 'docker',
  title: 'Docker MCP gateway tool list',
  dir: 'docker',
  ext: 'yaml',
  contentType: 'application/yaml; charset=utf-8',
  caveats: [
    'An allowlist only: a tool that is conditional, rate-limited or needs approval is left out (denied).',
    'Tools the policy does not name are left out, even under default allow.',
  ],
  render(policy, { serverName }) {
    const degraded: Degradation[] = [];
    const enabled: string[] = [];
    for (const t of planTools(policy)) {
      const cls = toolClass(t);
      if (cls === 'allow' && isWellFormed(t.name)) enabled.push(t.name);
      else if (cls !== 'deny') degraded.push({ tool: t.name, becomes: 'deny', reason: cls === 'allow' ? 'its name cannot be written in YAML' : 'the tool list has no conditions, limits or approval' });
    }
    if (allowsUnlisted(policy)) degraded.push({ tool: '*', becomes: 'deny', reason: 'an allowlist cannot name the tools the policy does not' });
    const doc = new Document(new Map([[serverName, enabled]]));
    doc.commentBefore = ` Docker MCP gateway tools.yaml: the tools enabled for ${JSON.stringify(serverName)}, recommended by mcp-catalogue.`;
    return { text: doc.toString({ lineWidth: 0 }), degraded: degraded.sort((a, b) => (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)) };
  },
  validate(text, { serverName }) {
    let doc: unknown;
    try {
      doc = parse(text, { uniqueKeys: true, maxAliasCount: 0 });
    } catch (error) {
      return [`not YAML: ${(error as Error).message}`];
    }
    if (typeof doc !== 'object' || doc === null || Object.keys(doc).length !== 1) return ['the file must map one server to its tools'];
    const list = getOwn(doc, serverName);
    return Array.isArray(list) && list.every((t) => typeof t === 'string') ? [] : [`${JSON.stringify(serverName)} must map to a list of tool names`];
  },
};
