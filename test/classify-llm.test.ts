/**
 * `classifyStoredTools` with the LLM stage, on PGlite, against the OpenAI-compatible server on loopback:
 * fresh tools and tools stored earlier by the heuristic alone both reach the model; a dry run stores nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION, createLlmStage } from '../classifier/index.ts';
import type { DryRunRequest } from '../classifier/index.ts';
import { answer, startFakeOpenAI } from '../classifier/llm/fake-openai.test-helper.ts';
import type { FakeOpenAI } from '../classifier/llm/fake-openai.test-helper.ts';
import { okAttempt, serverInput, tool } from '../db/fixtures.ts';
import { openStore } from '../db/index.ts';
import type { Store } from '../records/index.ts';
import { classifyStoredTools } from '../scripts/stages.ts';

let fake: FakeOpenAI | undefined;
let store: Store | undefined;
let dir: string | undefined;

afterEach(async () => {
  await fake?.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  store = undefined;
  dir = undefined;
});

async function setup(): Promise<{ store: Store; fake: FakeOpenAI; cacheDir: string }> {
  dir = await mkdtemp(path.join(tmpdir(), 'classify-llm-'));
  fake = await startFakeOpenAI(() => ({ content: answer({ category: 'Read', risk: 'Low', confidence: 0.77 }) }));
  store = await openStore({ dataDir: 'memory://' });
  const server = await store.upsertServer(serverInput('widgets'));
  const version = await store.upsertServerVersion(server.id, '1.0.0');
  await store.recordIntrospection(version.id, okAttempt([
    tool('frobnicate', 'Frobnicates.'),
    tool('delete_file', 'Deletes a file.'),
  ]));
  return { store, fake, cacheDir: path.join(dir, 'llm-cache') };
}

const names = async (s: Store) => Object.fromEntries((await s.catalogue(CLASSIFIER_VERSION)).flatMap((e) => e.tools.map((t) => [t.tool.name, t.classification?.method ?? null])));

describe('classifyStoredTools with the LLM stage', () => {
  it('sends only low-confidence tools, stores the results, and revisits earlier heuristic-only records', async () => {
    const { store: s, fake: f, cacheDir } = await setup();
    await classifyStoredTools(s);
    expect(await names(s)).toEqual({ frobnicate: 'heuristic', delete_file: 'heuristic' });
    const llm = createLlmStage({ baseUrl: f.baseUrl, model: 'm', cacheDir });
    const result = await classifyStoredTools(s, undefined, llm);
    expect(result).toMatchObject({ classified: 0, llm: { eligible: 1, answered: 1 } });
    expect(await names(s)).toEqual({ frobnicate: 'heuristic+llm', delete_file: 'heuristic' });
    expect(f.requests).toHaveLength(1);
  });

  it('stores nothing in a dry run', async () => {
    const { store: s, fake: f, cacheDir } = await setup();
    const shown: DryRunRequest[] = [];
    const llm = createLlmStage({ baseUrl: f.baseUrl, model: 'm', cacheDir, dryRun: true }, { onDryRun: (r) => shown.push(r) });
    const result = await classifyStoredTools(s, undefined, llm);
    expect(result).toMatchObject({ classified: 2, llm: { dryRun: 1 } });
    expect(shown.map((r) => r.tool)).toEqual(['frobnicate']);
    expect(f.requests).toHaveLength(0);
    expect(await names(s)).toEqual({ frobnicate: null, delete_file: null });
  });
});
