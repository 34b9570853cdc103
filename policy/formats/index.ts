/**
 * The export formats: one line per format, one file per format (policy/FORMATS.md has each mapping). A new format is
 * a {@link PolicyFormat} in its own file plus a line here.
 */
import { cedar } from './cedar.ts';
import { cel } from './cel.ts';
import { claudeCode } from './claude-code.ts';
import { docker } from './docker.ts';
import { intercept } from './intercept.ts';
import { kong } from './kong.ts';
import { policyJson } from './policy-json.ts';
import type { FormatId, PolicyFormat } from './types.ts';
import { vscode } from './vscode.ts';

/** Every format, in the order pages and `export --format` list them. */
export const FORMATS: readonly PolicyFormat[] = [
  policyJson,
  intercept,
  claudeCode,
  cedar,
  cel,
  kong,
  docker,
  vscode,
];

export const FORMAT_IDS: readonly FormatId[] = FORMATS.map((f) => f.id);

/** The format with `id`, or undefined. */
export function formatById(id: string): PolicyFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}

/** A server name every format can carry: 1–64 of `[A-Za-z0-9_-]`. */
export const SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The server name derived from a site slug: the slug's characters outside `[A-Za-z0-9_-]` dropped, cut to 64. */
export function serverNameFromSlug(slug: string): string {
  const name = slug.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
  return name === '' ? 'server' : name;
}

export type { Degradation, ExportContext, FormatId, FormatOutput, PolicyFormat } from './types.ts';
