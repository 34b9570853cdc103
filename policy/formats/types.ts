/**
 * What every export format (policy/formats/index.ts) provides: a renderer from `policy.json` to the format's own file,
 * a check of that file by the format's published parser or schema where one is on npm (else by our own reading of the
 * publisher's documentation), and the mapping's caveats. The mapping of each format is written in policy/FORMATS.md.
 */
import type { Policy } from '../types.ts';

export type FormatId = 'policy-json' | 'intercept' | 'claude-code' | 'cedar' | 'cel' | 'kong' | 'docker' | 'vscode';

/** Who the exported file is for. */
export interface ExportContext {
  /** The name the user's client or gateway gives the server (Claude Code `mcp__<server>__…`, Docker, VS Code, Kong). */
  serverName: string;
}

/** A tool whose rule the format cannot carry as it is, and what it became instead (always stricter: ask or deny). */
export interface Degradation {
  tool: string;
  /** `ask` or `deny`: what the format does with the tool instead of our rule. */
  becomes: 'ask' | 'deny';
  reason: string;
}

export interface FormatOutput {
  /** The file's text, ending with a newline. */
  text: string;
  /** Tools (sorted by name, one entry each) whose rule the format could not carry exactly. */
  degraded: Degradation[];
}

export interface PolicyFormat {
  id: FormatId;
  /** Human title, e.g. "ToolHive Cedar authorization". */
  title: string;
  /** Folder inside an export directory (`policies` for policy-json, else the id). */
  dir: string;
  /** File extension without the dot. */
  ext: string;
  contentType: string;
  /** What the mapping cannot express, one short sentence each (pages show them; FORMATS.md has the full mapping). */
  caveats: readonly string[];
  /** Renders `policy`. @throws only on a policy that fails policy.schema.json. */
  render(policy: Policy, context: ExportContext): FormatOutput;
  /** Problems the format's parser or schema finds in `text`; empty when it is valid. Never throws. */
  validate(text: string, context: ExportContext): string[];
}
