/**
 * Kong AI Gateway `ai-mcp-proxy` plugin (passthrough-listener mode) tool ACLs: `config.default_acl` (entries per
 * `scope`, here `tools`) and `config.tools[]` each with the upstream tool's exact `name` and an `acl` of `allow` /
 * `deny` subjects (consumers or consumer groups; `deny` wins). Kong's ACLs say who may call a tool, not with which
 * arguments or how often. Subjects are the consumer group {@link KONG_GROUP}, to be renamed to the operator's own.
 * Written with `yaml` as a decK fragment; no schema of the plugin is published on npm, so the check re-reads the file.
 */
import { Document, parse } from 'yaml';
import { getOwn } from '../../records/index.ts';
import { allowsUnlisted, isWellFormed, planTools, toolClass, unlistedLimited } from './plan.ts';
import type { Degradation, PolicyFormat } from './types.ts';

/** The consumer group the exported ACLs name. */
export const KONG_GROUP = 'mcp-users';

export const kong: PolicyFormat = {
  id: 'kong',
  title: 'Kong ai-mcp-proxy tool ACLs',
  dir: 'kong',
  ext: 'yaml',
  contentType: 'application/yaml; charset=utf-8',
  caveats: [
    `ACLs name consumers or consumer groups: the file uses the group "${KONG_GROUP}"; rename it to yours.`,
    'Kong ACLs have no argument conditions, rate limits or approval: such a tool is denied.',
  ],
  render(policy, { serverName }) {
    const degraded: Degradation[] = [];
    const tools: unknown[] = [];
    const plans = planTools(policy);
    const strict = allowsUnlisted(policy) && plans.some((t) => toolClass(t) !== 'allow' && !isWellFormed(t.name));
    for (const t of plans) {
      const cls = toolClass(t);
      if (!isWellFormed(t.name)) {
        if (cls !== 'deny') degraded.push({ tool: t.name, becomes: 'deny', reason: 'its name cannot be written in YAML' });
        continue;
      }
      if (cls === 'allow') tools.push({ name: t.name, acl: { allow: [KONG_GROUP] } });
      else {
        tools.push({ name: t.name, acl: { deny: [KONG_GROUP] } });
        if (cls !== 'deny') degraded.push({ tool: t.name, becomes: 'deny', reason: cls === 'approval' ? 'Kong ACLs cannot ask for approval' : cls === 'limited' ? 'Kong ACLs cannot count calls' : 'Kong ACLs have no argument conditions' });
      }
    }
    if (strict) degraded.push({ tool: '*', becomes: 'deny', reason: 'a restricted tool name cannot be written, so default allow became default deny' });
    if (unlistedLimited(policy)) degraded.push({ tool: '*', becomes: 'deny', reason: 'Kong ACLs cannot count calls, so tools the policy does not name are denied' });
    const open = allowsUnlisted(policy) && !strict && !unlistedLimited(policy);
    const plugin = {
      name: 'ai-mcp-proxy',
      instance_name: `${serverName}-tool-acls`,
      config: { mode: 'passthrough-listener', default_acl: [open ? { scope: 'tools', allow: [KONG_GROUP] } : { scope: 'tools', deny: [KONG_GROUP] }], tools },
    };
    const doc = new Document({ plugins: [plugin] });
    doc.commentBefore = ` Kong decK fragment: ai-mcp-proxy tool ACLs for ${JSON.stringify(serverName)}, recommended by mcp-catalogue. Attach to the server's route.`;
    return { text: doc.toString({ lineWidth: 0 }), degraded: degraded.sort((a, b) => (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)) };
  },
  validate(text) {
    let doc: unknown;
    try {
      doc = parse(text, { uniqueKeys: true, maxAliasCount: 0 });
    } catch (error) {
      return [`not YAML: ${(error as Error).message}`];
    }
    const plugins = getOwn(doc, 'plugins');
    if (!Array.isArray(plugins) || plugins.length !== 1) return ['plugins must hold one plugin'];
    const plugin: unknown = plugins[0];
    const errors: string[] = [];
    if (getOwn(plugin, 'name') !== 'ai-mcp-proxy') errors.push('the plugin must be ai-mcp-proxy');
    const config = getOwn(plugin, 'config');
    const acl = (a: unknown) => typeof a === 'object' && a !== null && Object.keys(a).every((k) => (k === 'allow' || k === 'deny') && Array.isArray(getOwn(a, k)));
    const defaults = getOwn(config, 'default_acl');
    if (!Array.isArray(defaults) || !defaults.every((d) => getOwn(d, 'scope') === 'tools' && acl(Object.fromEntries(Object.entries(d as object).filter(([k]) => k !== 'scope'))))) errors.push('default_acl must be a list of {scope: tools, allow|deny}');
    const tools = getOwn(config, 'tools');
    if (!Array.isArray(tools)) errors.push('tools must be a list');
    else for (const t of tools) if (typeof getOwn(t, 'name') !== 'string' || !acl(getOwn(t, 'acl'))) errors.push(`tool ${JSON.stringify(getOwn(t, 'name'))} needs a name and an acl of allow / deny lists`);
    return errors;
  },
};
