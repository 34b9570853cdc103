/**
 * `classifyStoredTools` on PGlite: a tool whose server's tools were read from source (introspection method
 * `static`) is stored with the lowered confidence of RUBRIC.md §3, and so falls below the LLM threshold; the same
 * definition on a server listed live keeps its confidence.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION, classifyTool, createLlmStage } from '../classifier/index.ts';
import { okAttempt, serverInput, tool } from '../db/fixtures.ts';
import { openStore } from '../db/index.ts';
import type { Store } from '../records/index.ts';
import { classifyStoredTools } from '../scripts/stages.ts';

let store: Store | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function classified(s: Store): Promise<Map<string, { confidence: number; rationale: string; ruleIds: string[] }>> {
  const out = new Map<string, { confidence: number; rationale: string; ruleIds: string[] }>();
  for (const entry of await s.catalogue(CLASSIFIER_VERSION)) {
    for (const { tool: t, classification } of entry.tools) if (classification) out.set(`${entry.server.identifier}/${t.name}`, classification);
  }
  return out;
}

describe('classifyStoredTools and the introspection method', () => {
  it('lowers the confidence of tools read from source, and only those', async () => {
    store = await openStore({ dataDir: 'memory://' });
    const fromSource = await store.upsertServer(serverInput('from-source', { displayName: 'from-source', description: null }));
    const live = await store.upsertServer(serverInput('live', { displayName: 'live', description: null }));
    const del = tool('delete_file', 'Delete a file.');
    const write = tool('write_file', 'Write a file.');
    await store.recordIntrospection((await store.upsertServerVersion(fromSource.id, '1.0.0')).id, okAttempt([del], { method: 'static' }));
    await store.recordIntrospection((await store.upsertServerVersion(live.id, '1.0.0')).id, okAttempt([write], { method: 'live-stdio-placeholders' }));

    expect(await classifyStoredTools(store)).toMatchObject({ classified: 2 });
    const stored = await classified(store);
    const readFromSource = stored.get('from-source/delete_file');
    const listedLive = stored.get('live/write_file');
    const plainDelete = classifyTool(del, { name: 'from-source' });
    expect(plainDelete.confidence).toBeGreaterThan(0.6);
    expect(readFromSource?.confidence).toBe(0.55);
    expect(readFromSource?.ruleIds).toContain('confidence.static-listing');
    expect(readFromSource?.rationale).toMatch(/read from the package's source/);
    expect(listedLive?.confidence).toBe(classifyTool(write, { name: 'live' }).confidence);
    expect(listedLive?.ruleIds).not.toContain('confidence.static-listing');

    // Below the default threshold, the statically read tool is one the LLM stage would look at; its live twin is not.
    // Nothing is sent: eligible() only compares the confidence with the threshold (default 0.6).
    const llm = createLlmStage({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', cacheDir: path.join(tmpdir(), 'never-written') });
    expect(llm.eligible({ ...plainDelete, confidence: readFromSource!.confidence })).toBe(true);
    expect(llm.eligible(plainDelete)).toBe(false);
  });
});
