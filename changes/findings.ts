/**
 * Rug-pull findings raised on a listing diff (issue 15). Each rule has an id and a severity; a finding carries one
 * sentence saying what changed. Text from servers is quoted only through `JSON.stringify` (escapes controls) and cut.
 */
import { CATEGORIES, RISKS } from '../records/index.ts';
import { hiddenUnicode, instructionPhrases, modelText, toolReferences } from './text.ts';
import type { ChangeFinding, ListingDiff, Severity, ToolSide } from './types.ts';

/** The rules, by id: what each looks for and how bad it is. */
export const CHANGE_RULES = {
  'instructions-added': { severity: 'critical', summary: 'A description gains phrases that instruct the model (tool poisoning).' },
  'hidden-unicode-added': { severity: 'critical', summary: 'A definition gains characters a reader does not see: zero-width, bidi controls or tag characters.' },
  'tool-reference-added': { severity: 'medium', summary: "A definition starts naming another of the server's tools." },
  'replacement-named': { severity: 'low', summary: 'A description marks its tool deprecated and names a tool added in the same change as the one to use instead.' },
  'read-only-dropped': { severity: 'high', summary: 'readOnlyHint goes from true to false or absent.' },
  'destructive-hint-raised': { severity: 'high', summary: 'destructiveHint goes from false to true or absent (absent means true in the spec).' },
  'dangerous-tool-added': { severity: 'high', summary: 'A Destructive, Financial or Execute tool appears in a patch or minor release, or at the same version.' },
  'risk-increased': { severity: 'high', summary: "A tool's risk rises in a patch or minor release, or at the same version." },
  'same-version-changed': { severity: 'high', summary: 'The same version lists different tools on different nights.' },
  're-added-changed': { severity: 'medium', summary: 'A tool removed earlier comes back with another definition.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type ChangeRuleId = keyof typeof CHANGE_RULES;

const DANGEROUS = new Set(['Destructive', 'Financial', 'Execute']);
/** Words of a deprecation note. */
const DEPRECATION = /\b(deprecated|instead|replaced by|superseded by)\b/i;
/** Releases that promise no breaking change, and one version relisted: where a new danger is a rug pull. */
const QUIET_RELEASES = new Set(['same', 'patch', 'minor', 'prepatch', 'preminor', 'prerelease']);

/** Quotes a hostile string for a sentence: JSON-escaped, at most `max` characters. */
export function quote(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/**
 * Every finding of `diff`, most severe first. `seen`: each tool name's hashes in the server's earlier listings;
 * `listed`: every tool name of both listings (what a definition may refer to).
 */
export function raiseFindings(diff: ListingDiff, seen: ReadonlyMap<string, ReadonlySet<string>>, listed: readonly string[] = []): ChangeFinding[] {
  const out: ChangeFinding[] = [];
  const add = (rule: ChangeRuleId, tool: string | null, message: string) => out.push({ rule, severity: CHANGE_RULES[rule].severity, tool, message });
  const quiet = diff.release !== null && QUIET_RELEASES.has(diff.release);
  const releaseWords = diff.release === 'same' ? `at the same version ${diff.to.version}` : `in a ${diff.release} release (${diff.from.version} → ${diff.to.version})`;

  if (diff.release === 'same') {
    add('same-version-changed', null, `Version ${diff.to.version} listed different tools on ${day(diff.to.listedAt)} than on ${day(diff.from.listedAt)}: ${counts(diff)}.`);
  }
  const textChecks = (tool: string, before: string, after: string, others: string[]) => {
    const gained = instructionPhrases(after).filter((id) => !instructionPhrases(before).includes(id));
    if (gained.length > 0) add('instructions-added', tool, `${quote(tool)} now tells the model what to do (${gained.join(', ')}).`);
    const hidden = hiddenUnicode(after).filter((kind) => !hiddenUnicode(before).includes(kind));
    if (hidden.length > 0) add('hidden-unicode-added', tool, `${quote(tool)} now hides characters a reader does not see (${hidden.join(', ')}).`);
    const refs = toolReferences(after, others).filter((name) => !toolReferences(before, [name]).length);
    if (refs.length === 0) return;
    // "Deprecated: use read_text_file instead", naming only tools this change adds: a replacement, not a hook.
    const replacement = refs.every((name) => addedNames.has(name)) && DEPRECATION.test(after) && !DEPRECATION.test(before);
    if (replacement) add('replacement-named', tool, `${quote(tool)} is now marked deprecated in favour of ${refs.map((r) => quote(r, 40)).join(', ')}, added in this change.`);
    else add('tool-reference-added', tool, `${quote(tool)} now names other tools: ${refs.map((r) => quote(r, 40)).join(', ')}.`);
  };
  const addedNames = new Set(diff.added.map((t) => t.name));
  const everyName = new Set([...listed, ...diff.added.map((t) => t.name), ...diff.removed.map((t) => t.name), ...diff.changed.map((c) => c.name)]);
  const otherTools = (name: string) => [...everyName].filter((n) => n !== name);

  for (const tool of diff.added) {
    textChecks(tool.name, '', modelText(tool.definition), otherTools(tool.name));
    if (quiet && tool.classification && DANGEROUS.has(tool.classification.category)) {
      add('dangerous-tool-added', tool.name, `New ${tool.classification.category} tool ${quote(tool.name)} (risk ${tool.classification.risk}) ${releaseWords}.`);
    }
    const earlier = seen.get(tool.name);
    if (earlier && !earlier.has(tool.hash)) add('re-added-changed', tool.name, `${quote(tool.name)} was removed and is back with another definition.`);
  }
  for (const change of diff.changed) {
    textChecks(change.name, modelText(change.before.definition), modelText(change.after.definition), otherTools(change.name));
    const a = change.before.definition.annotations;
    const b = change.after.definition.annotations;
    if (a?.readOnlyHint === true && b?.readOnlyHint !== true) {
      add('read-only-dropped', change.name, `${quote(change.name)} no longer says it only reads (readOnlyHint true → ${b?.readOnlyHint ?? 'absent'}).`);
    }
    if (a?.destructiveHint === false && b?.destructiveHint !== false) {
      add('destructive-hint-raised', change.name, `${quote(change.name)} may now be destructive (destructiveHint false → ${b?.destructiveHint ?? 'absent'}).`);
    }
    const was = change.before.classification;
    const now = change.after.classification;
    if (quiet && was && now && RISKS.indexOf(now.risk) > RISKS.indexOf(was.risk)) {
      add('risk-increased', change.name, `${quote(change.name)} went from ${was.category}/${was.risk} to ${now.category}/${now.risk} ${releaseWords}.`);
    } else if (quiet && was && now && DANGEROUS.has(now.category) && !DANGEROUS.has(was.category) && CATEGORIES.includes(now.category)) {
      add('dangerous-tool-added', change.name, `${quote(change.name)} became ${now.category} (was ${was.category}) ${releaseWords}.`);
    }
  }
  const rank = (s: Severity) => ['low', 'medium', 'high', 'critical'].indexOf(s);
  return out.sort((x, y) => rank(y.severity) - rank(x.severity));
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function counts(diff: ListingDiff): string {
  const names = (tools: ToolSide[]) => tools.map((t) => quote(t.name, 40)).join(', ');
  return [
    diff.added.length && `added ${names(diff.added)}`,
    diff.removed.length && `removed ${names(diff.removed)}`,
    diff.changed.length && `changed ${names(diff.changed.map((c) => c.after))}`,
  ].filter(Boolean).join('; ');
}
