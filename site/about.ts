/**
 * The text of the two pages about the catalogue itself: how a server's tools are found and classified
 * (`methodology.html`), and how a server's author gets its tools listed (`authors.html`). Our own words; the
 * figures of the methodology page come from `eval/accuracy.json`, never from this file.
 * @internal
 */
import type { FailureReason } from '../records/index.ts';

/**
 * Per failure reason (`FAILURE_REASONS`, records/introspection.ts): what it means, and what the server's author can
 * do about it. Typed as a full record, so a reason added to the list without an entry here fails to compile.
 */
export const FAILURE_HELP: Record<FailureReason, { meaning: string; fix: string }> = {
  registry_error: {
    meaning: 'The registry did not give us the package: its metadata could not be fetched, or no published version matched.',
    fix: 'Check that the package is public and that the version in your server.json or dist-tag exists. It is retried on a later run.',
  },
  install_failed: {
    meaning: 'The package did not install with install scripts off and development dependencies left out: a dependency is missing from the registry, is given by URL, git or path, or needs a script to build.',
    fix: 'Publish every dependency to the registry, depend by version rather than by URL or git, and ship built files instead of building them in postinstall. The catalogue still reads your source for tools in this case.',
  },
  no_entry_point: {
    meaning: 'No file to start was found: the package has no bin, no main and no index.js (npm), or no console script or module to run (PyPI).',
    fix: 'Add a bin entry (npm) or a console script (PyPI) that starts the server on stdio, preferably named like the package or containing "mcp".',
  },
  crashed_on_start: {
    meaning: 'The server exited before answering initialize, even with placeholder settings and documented arguments.',
    fix: 'Start without network access, without a writable home beyond a temporary folder, and without secrets; read the stderr tail on your server page for the error it printed.',
  },
  needs_configuration: {
    meaning: 'The server asked for settings we cannot give (an API key, a token, a path) and stopped, even after the placeholder values we tried.',
    fix: 'Declare your environment variables and arguments in server.json (the MCP Registry entry) so the crawler can fill placeholders, or better: start and answer tools/list without secrets, and fail the tool call instead when one is missing.',
  },
  timed_out: {
    meaning: 'The server started but did not answer initialize and tools/list within the session limit.',
    fix: 'Answer tools/list without first connecting to a remote service or downloading anything; do slow setup lazily, on the first tool call.',
  },
  protocol_error: {
    meaning: 'The server answered, but not with valid MCP: malformed JSON-RPC, log lines written to stdout, or a tools/list result of the wrong shape.',
    fix: 'Write logs to stderr only, never stdout, and check your tools/list result against the specification (each tool needs a name and an inputSchema object).',
  },
  http_only: {
    meaning: 'The server listened on a port instead of speaking on stdio, and neither a stdio switch nor the HTTP rung inside the sandbox gave a tool list.',
    fix: 'Offer stdio (the default transport for a packaged server), or document the flag that selects it in your README or server.json.',
  },
  sandbox_violation: {
    meaning: 'The server tried something the sandbox forbids (a blocked system call, too many processes, too much memory) and was stopped.',
    fix: 'Do not spawn many processes, install software or reach outside your own folder at start-up; listing tools should need none of that.',
  },
  too_large: {
    meaning: 'The package, its install or its answer was over our limits (more than 20,000 files or 256 MiB unpacked, or an oversized answer).',
    fix: 'Publish only what the server needs to run (the files field of package.json, or a .npmignore).',
  },
  unreachable: {
    meaning: 'A remote server at the URL of its MCP Registry entry could not be connected to (DNS, refused, reset or TLS error).',
    fix: 'Check that the URL in your registry entry is public and answers MCP over Streamable HTTP without sign-in for tools/list.',
  },
  crawler_error: {
    meaning: 'Our crawler failed while handling the package: the fault is ours, not the server\'s.',
    fix: 'Nothing is needed from you; the server is tried again on a later run. An issue on our tracker helps if it persists.',
  },
  sandbox_limit: {
    meaning: 'The runtime could not reserve the virtual memory it needs under our sandbox\'s limits (V8 reports "Failed to reserve virtual memory for CodeRange", often when it starts worker threads), even when started again with a larger limit. The limit is ours; the server did not crash.',
    fix: 'Nothing is needed from you. Starting fewer worker threads before tools/list answers makes it less likely.',
  },
  missing_peer_dependency: {
    meaning: 'The server imports a package it lists under peerDependencies or optionalDependencies, and npm did not install it (an optional peer, or an optional dependency with no build for this platform).',
    fix: 'Move a package the server cannot start without to dependencies, or import it only when a tool that needs it is called.',
  },
};
