/**
 * Golden files of every export format (policy/formats/__golden__/), each format's own check, and the rule that a
 * format never allows what our policy does not: for the formats without an engine here (Claude Code, Kong, Docker,
 * VS Code, Intercept), over seeded policies with hostile names.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../classifier/index.ts';
import { CASES } from '../classifier/fixtures.test-data.ts';
import { getOwn, setOwn } from '../records/index.ts';
import { evaluatePolicy } from './evaluate.ts';
import { FORMATS, formatById, serverNameFromSlug } from './formats/index.ts';
import { KONG_GROUP } from './formats/kong.ts';
import { planTools, toolClass } from './formats/plan.ts';
import type { ExportContext, PolicyFormat } from './formats/types.ts';
import { VSCODE_SETTING } from './formats/vscode.ts';
import { randomPolicy, rng } from './generate.test-helper.ts';
import { recommendPolicy } from './recommend.ts';
import type { Policy } from './types.ts';

const ctx: ExportContext = { serverName: 'demo' };

function hostilePolicy(): Policy {
  const tools: Policy['tools'] = {};
  setOwn(tools, '__proto__', {});
  setOwn(tools, 'read_notes', {});
  setOwn(tools, 'q"uote\\back', { deny_if: [{ conditions: [{ path: 'args.path', op: 'regex', value: '(^|/)\\.\\.(/|$)' }], on_deny: 'Blocked: ".." in path.' }] });
  setOwn(tools, 'glob*', { limits: [{ counter: 'glob_rate', window: 'minute', max: 10, scope: 'grant' }] });
  setOwn(tools, 'pay', { deny_if: [{ conditions: [], on_deny: 'Requires human approval.' }, { conditions: [{ path: 'args.amount', op: 'gt', value: 10000 }], on_deny: 'Amount cap.' }] });
  setOwn(tools, 'sep\u2028line', { require: [{ path: 'args.mode', op: 'in', value: ['safe', 'dry'] }] });
  return { version: '1', default: 'deny', hide: ['drop_database', 'x"; permit(principal, action, resource); //'], tools };
}

const CASES_FOR_GOLDEN: ReadonlyArray<[string, () => Policy]> = [
  ['fixtures', () => recommendPolicy(CASES.map((c) => ({ tool: c.tool, classification: classifyTool(c.tool, c.server) })))],
  ['hostile', hostilePolicy],
  ['default-allow', () => ({ version: '1', default: 'allow', hide: ['rm_all'], tools: { exec: { deny_if: [{ conditions: [{ path: 'args.cmd', op: 'contains', value: 'sudo' }], on_deny: 'No sudo.' }] }, list: {} } })],
  ['all-tools-limits', () => ({ version: '1', default: 'allow', all_tools: { limits: [{ counter: 'all', window: 'hour', max: 100, scope: 'grant' }] }, tools: { list: {} } })],
];

describe('export formats', () => {
  for (const format of FORMATS) {
    for (const [name, make] of CASES_FOR_GOLDEN) {
      it(`${format.id}: ${name} matches its golden file and passes the format's check`, async () => {
        const out = format.render(make(), ctx);
        expect(format.validate(out.text, ctx)).toEqual([]);
        expect(out.text.endsWith('\n')).toBe(true);
        await expect(`${out.text}\n# degraded: ${JSON.stringify(out.degraded)}\n`).toMatchFileSnapshot(`formats/__golden__/${format.id}/${name}.${format.ext}.golden`);
      });
    }
  }

  it('each check rejects a broken file', () => {
    const out = (id: string) => formatById(id)!.render(hostilePolicy(), ctx).text;
    expect(formatById('policy-json')!.validate(out('policy-json').replace('"1"', '"2"'), ctx).length).toBeGreaterThan(0);
    expect(formatById('cedar')!.validate(out('cedar').replace('permit(principal', 'permit(principle'), ctx).length).toBeGreaterThan(0);
    expect(formatById('cel')!.validate(out('cel').replace('mcp.tool.name ==', 'mcp.tool.name = ='), ctx).length).toBeGreaterThan(0);
    expect(formatById('claude-code')!.validate(out('claude-code').replace('mcp__demo__read_notes', 'Bash(*)'), ctx).length).toBeGreaterThan(0);
    expect(formatById('intercept')!.validate(out('intercept').replace('version: "1"', 'version: "2"'), ctx).length).toBeGreaterThan(0);
    expect(formatById('kong')!.validate(out('kong').replace('name: ai-mcp-proxy', 'name: acl'), ctx).length).toBeGreaterThan(0);
    expect(formatById('docker')!.validate(out('docker'), { serverName: 'other' }).length).toBeGreaterThan(0);
    expect(formatById('vscode')!.validate(out('vscode').replace('true', '"yes"'), ctx).length).toBeGreaterThan(0);
  });

  it('a hostile name never reaches Cedar as code: the injected permit stays inside a string literal', () => {
    const text = formatById('cedar')!.render(hostilePolicy(), ctx).text;
    const policies = (JSON.parse(text) as { cedar: { policies: string[] } }).cedar.policies;
    expect(policies.filter((p) => p.startsWith('permit(principal, action, resource)'))).toEqual([]);
    expect(policies.some((p) => p.includes('Tool::"x\\"; permit(principal, action, resource); //"'))).toBe(true);
  });

  it('serverNameFromSlug keeps what every format can carry', () => {
    expect(serverNameFromSlug('npm-modelcontextprotocol-server-filesystem')).toBe('npm-modelcontextprotocol-server-filesystem');
    expect(serverNameFromSlug('a.b/c')).toBe('abc');
    expect(serverNameFromSlug('...')).toBe('server');
  });
});

/** What an allow-list format lets through without asking, for tool `name` (unlisted when the policy names no such tool). */
const allows: Record<string, (text: string, name: string, policy: Policy) => boolean> = {
  'claude-code': (text, name) => {
    const p = (JSON.parse(text) as { permissions: Record<string, string[]> }).permissions;
    const e = `mcp__demo__${name}`;
    const named = (list: string[]) => list.includes(e) || list.includes('mcp__demo');
    return !named(p.deny ?? []) && !named(p.ask ?? []) && named(p.allow ?? []);
  },
  kong: (text, name) => {
    const config = (parse(text) as { plugins: Array<{ config: { default_acl: Array<{ allow?: string[] }>; tools: Array<{ name: string; acl: { allow?: string[]; deny?: string[] } }> } }> }).plugins[0]!.config;
    const tool = config.tools.find((t) => t.name === name);
    if (tool) return (tool.acl.allow ?? []).includes(KONG_GROUP) && !(tool.acl.deny ?? []).includes(KONG_GROUP);
    return config.default_acl.some((d) => (d.allow ?? []).includes(KONG_GROUP));
  },
  docker: (text, name) => ((getOwn(parse(text), 'demo') as string[] | undefined) ?? []).includes(name),
  vscode: (text, name) => getOwn(getOwn(JSON.parse(text), VSCODE_SETTING), `demo/${name}`) === true,
};

describe('formats without an engine here never allow what the policy does not', () => {
  it('over 300 seeded policies with hostile names', () => {
    let allowed = 0;
    for (let seed = 1; seed <= 300; seed += 1) {
      const policy = randomPolicy(rng(seed));
      const plainlyAllowed = new Set(planTools(policy).filter((t) => toolClass(t) === 'allow').map((t) => t.name));
      for (const [id, reads] of Object.entries(allows)) {
        const format = formatById(id) as PolicyFormat;
        const out = format.render(policy, ctx);
        expect(format.validate(out.text, ctx), `${id} seed ${seed}`).toEqual([]);
        for (const name of [...planTools(policy).map((t) => t.name), 'unlisted_tool']) {
          if (!reads(out.text, name, policy)) continue;
          allowed += 1;
          const ok = plainlyAllowed.has(name) || (!planTools(policy).some((t) => t.name === name) && evaluatePolicy(policy, { name }).decision === 'allow');
          expect(ok, `${id} seed ${seed} allows ${JSON.stringify(name)}\n${out.text}`).toBe(true);
        }
      }
    }
    expect(allowed).toBeGreaterThan(100);
  });
});
