// Entry of the worker that runs JavaScript static extraction under a time and memory budget (budget.ts).
// It loads the TypeScript extractor through tsx, as bin/mcp-catalogue.js loads the CLI: a worker thread does not
// share its parent's module hooks, so it registers its own, whether the parent runs under tsx or under vitest.
//
// workerData: { packageDir: string, options: StaticOptions }. It posts one message, { ok: true, result } with the
// StaticExtraction, or { ok: false, error: { name, message, stack } } when the extractor threw.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { extractToolsStatically } = await import('./extract.ts');
try {
  const result = await extractToolsStatically(workerData.packageDir, workerData.options);
  parentPort.postMessage({ ok: true, result });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  parentPort.postMessage({ ok: false, error: { name: e.name, message: e.message, stack: e.stack ?? '' } });
}
