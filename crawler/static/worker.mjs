// Entry of the worker that reads a package's source under a time and memory budget (budget.ts): static extraction
// of tool definitions, or the side effects of listed tools' handlers.
// It loads the TypeScript readers through tsx, as bin/mcp-catalogue.js loads the CLI: a worker thread does not
// share its parent's module hooks, so it registers its own, whether the parent runs under tsx or under vitest.
//
// workerData: { job?: 'tools' | 'effects', packageDir: string, options, toolNames?: string[] }. It posts one message,
// { ok: true, result } with the StaticExtraction (job 'tools', the default) or the EffectsAnalysis (job 'effects'),
// or { ok: false, error: { name, message, stack } } when the reader threw.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
try {
  let result;
  if (workerData.job === 'effects') {
    const { analyseEffects } = await import('./effects.ts');
    result = await analyseEffects(workerData.packageDir, workerData.toolNames ?? [], workerData.options);
  } else {
    const { extractToolsStatically } = await import('./extract.ts');
    result = await extractToolsStatically(workerData.packageDir, workerData.options);
  }
  parentPort.postMessage({ ok: true, result });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  parentPort.postMessage({ ok: false, error: { name: e.name, message: e.message, stack: e.stack ?? '' } });
}
