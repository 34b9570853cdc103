/** The argument lists the ladder tries: required options, server sub-commands, the README's lists. */
import type { SourceHints } from './types.ts';
import { readmeArgumentLists } from './readme.ts';
import { asksForCommand, requiredOptions, subcommandsFromUsage } from './usage.ts';

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
 * lists ({@link readmeArgumentLists}).
 */
export async function argumentLists(packageDir: string, packageName: string, binName: string | undefined, evidence: ArgumentEvidence): Promise<string[][]> {
  const lists: string[][] = [];
  const required = requiredOptions(evidence.output, evidence.hints);
  if (required.length > 0) lists.push(required);
  let commands = subcommandsFromUsage(evidence.output);
  if (commands.length === 0 && evidence.usage && asksForCommand(evidence.output)) commands = subcommandsFromUsage(await evidence.usage());
  for (const command of commands) lists.push([...command, ...required]);
  lists.push(...(await readmeArgumentLists(packageDir, packageName, binName)));
  const seen = new Set<string>();
  return lists.filter((l) => {
    const key = JSON.stringify(l);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 5);
}
