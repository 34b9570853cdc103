/**
 * How to start a server that will not start bare: the configuration it asks for, supplied as harmless placeholders.
 *
 * Everything here only *reads* the installed package (its own JavaScript and Python, package.json and README) and
 * what a failed start printed; the one exception, {@link readUsage}, asks the package for its `--help` inside the
 * sandbox. One file per concern:
 *
 * - `placeholders.ts`: the values (refusing URLs, placeholder keys, the scratch directory, placeholder files);
 * - `hints.ts`, `js-hints.ts`, `python-hints.ts`: what the package's own source reads;
 * - `environment.ts`: the placeholder environments the ladder tries;
 * - `usage.ts`: required options and server sub-commands from a failed start's output or `--help`;
 * - `readme.ts`: the argument lists and variables the README documents;
 * - `arguments.ts`: the argument lists the ladder tries, in order;
 * - `declared.ts`: what a `server.json` declares.
 */
export { argumentLists } from './arguments.ts';
export type { ArgumentEvidence } from './arguments.ts';
export { declaredArguments, declaredEnvironment } from './declared.ts';
export { discoverEnvNames, placeholderEnvironment, placeholderEnvironments } from './environment.ts';
export { readSourceHints } from './hints.ts';
export {
  databasePlaceholder, optionPlaceholder, placeholderArgument, placeholderFiles, placeholderValue, wantsPlaceholder,
  PLACEHOLDER_FILES, REFUSING_URL, SCRATCH_DIR, SQLITE_PLACEHOLDER,
} from './placeholders.ts';
export type { DatabaseScheme, SourceHints } from './types.ts';
export { readmeArgumentLists, readmeEnvNames, selectsStdio } from './readme.ts';
export { asksForCommand, demandsCommand, LIKELY_SERVER_COMMANDS, readUsage, requiredOptions, subcommandsFromUsage } from './usage.ts';
