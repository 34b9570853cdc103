/** The argument lists the ladder tries: required options, server sub-commands, the README's lists. */
import type { SourceHints } from './types.ts';
import { readmeArgumentLists } from './readme.ts';
import { asksForCommand, demandsCommand, LIKELY_SERVER_COMMANDS, requiredOptions, subcommandsFromUsage } from './usage.ts';

/** What the ladder has seen of a package before it picks arguments. */
export interface ArgumentEvidence {
  /** stderr (and any stdout noise) of the failed starts so far. */
  output: string;
  /** Asks the package for its usage ({@link readUsage}); called only when a failed start asked for a command but listed none. */
  usage?: () => Promise<string>;
  hints?: Partial<SourceHints>;
}

/**
 * The argument lists the ladder tries, in order, at most 5: the options a failed start said it requires
 * ({@link requiredOptions}); the server sub-commands its output names ({@link subcommandsFromUsage}), or, when it
 * asked for a command and named none, those its `--help` lists, each followed by those options; then the README's
 * lists ({@link readmeArgumentLists}). When it demanded a sub-command and neither named one, the
 * {@link LIKELY_SERVER_COMMANDS} come after the README's first list.
 */
export async function argumentLists(packageDir: string, packageName: string, binName: string | undefined, evidence: ArgumentEvidence): Promise<string[][]> {
  const lists: string[][] = [];
  const required = requiredOptions(evidence.output, evidence.hints);
  if (required.length > 0) lists.push(required);
  let commands = subcommandsFromUsage(evidence.output);
  if (commands.length === 0 && evidence.usage && asksForCommand(evidence.output)) commands = subcommandsFromUsage(await evidence.usage());
  for (const command of commands) lists.push([...command, ...required]);
  // Demanded but named nowhere: the likely names, first the one a README list begins with, if any does.
  const guesses = commands.length === 0 && demandsCommand(evidence.output) ? LIKELY_SERVER_COMMANDS.map((c) => [...c, ...required]) : [];
  const readme = await readmeArgumentLists(packageDir, packageName, binName);
  if (guesses.length > 0) {
    lists.push(...readme.slice(0, 1), ...guesses, ...readme.slice(1));
  } else {
    lists.push(...readme);
  }
  const seen = new Set<string>();
  return lists.filter((l) => {
    const key = JSON.stringify(l);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 5);
}
