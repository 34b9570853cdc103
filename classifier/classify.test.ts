import { describe, expect, it } from 'vitest';
import { classifyTool, classifyToolCalibrated, STATIC_LISTING_ID } from './classify.ts';
import { calibrate, IDENTITY_CALIBRATION } from './calibration.ts';
import { CALIBRATION_TABLE } from './calibration-table.ts';
import { staticListingConfidence } from './weigh.ts';
import { CASES } from './fixtures.test-data.ts';
import { CLASSIFIER_VERSION } from './version.ts';
import { CATEGORIES, RISKS } from '../records/index.ts';

describe('classifyTool on realistic tools', () => {
  it('covers at least 40 tools', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.tool.name, c] as const))('%s', (_name, c) => {
    const r = classifyTool(c.tool, c.server);
    expect({ category: r.category, risk: r.risk }, r.rationale).toEqual({ category: c.category, risk: c.risk });
  });
});

describe('classification records', () => {
  const all = CASES.map((c) => ({ c, r: classifyTool(c.tool, c.server) }));

  it('are well-formed', () => {
    for (const { c, r } of all) {
      expect(r.name).toBe(c.tool.name);
      expect(CATEGORIES).toContain(r.category);
      expect(RISKS).toContain(r.risk);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(r.method).toBe('heuristic');
      expect(r.classifierVersion).toBe(CLASSIFIER_VERSION);
      for (const e of r.evidence) expect(e.quote.length).toBeLessThanOrEqual(200);
    }
  });

  it('write rationales that name the tool and category, in grammatical English', () => {
    for (const { r } of all) {
      expect(r.rationale).toContain(r.name);
      expect(r.rationale).toContain(r.category);
      expect(r.rationale).toContain(r.risk);
      expect(r.rationale).not.toMatch(/\ba (?:Execute|[AEIOU]\w*) tool/);
      expect(r.rationale).not.toMatch(/\ban (?:Read|Write|Destructive|Financial) tool/);
      expect(r.rationale).toMatch(/\.$/);
    }
  });

  it('quote evidence verbatim from the definition', () => {
    for (const { c, r } of all) {
      for (const e of r.evidence) {
        const text = e.quote.replace(/^…|…$/g, '');
        expect(e.ruleId).toMatch(/^[a-z]+\./);
        if (e.source === 'description') expect(c.tool.description).toContain(text);
        else if (e.source === 'name') expect(text).toBe(c.tool.name);
        else if (e.source === 'title') expect(c.tool.title).toBe(text);
        else if (e.source === 'server') expect(`${c.server?.name} — ${c.server?.description ?? ''}`).toContain(text);
        else if (e.source === 'annotations') {
          const [, key, value] = /^"(\w+)": (true|false)$/.exec(text) ?? [];
          expect(String(c.tool.annotations?.[key ?? ''])).toBe(value);
        } else {
          const [, prop] = /^"([^"]+)": /.exec(text) ?? [];
          expect(JSON.stringify(c.tool.inputSchema)).toContain(`"${prop}":`);
        }
      }
    }
  });

  it('are deterministic', () => {
    for (const { c, r } of all) expect(classifyTool(c.tool, c.server)).toEqual(r);
  });
});

describe('confidence', () => {
  const conf = (name: string, description?: string) =>
    classifyTool({ name, inputSchema: { type: 'object' }, ...(description ? { description } : {}) }).confidence;

  it('is high when name and description agree', () => {
    expect(conf('delete_file', 'Delete a file.')).toBeGreaterThanOrEqual(0.8);
  });
  it('is lower with only the name', () => {
    expect(conf('delete_file')).toBeLessThan(conf('delete_file', 'Delete a file.'));
  });
  it('is lower still when the evidence conflicts', () => {
    expect(conf('get_file', 'Deletes a file after reading it.')).toBeLessThan(conf('delete_file'));
    expect(conf('get_file', 'Deletes a file after reading it.')).toBeLessThan(0.85);
  });
  it('is 0.3 for a tool no rule matches, defaulting to Write', () => {
    const r = classifyTool({ name: 'frobnicate', inputSchema: { type: 'object' } });
    expect(r).toMatchObject({ category: 'Write', risk: 'Medium', confidence: 0.3 });
    expect(r.rationale).toMatch(/unsafe/);
  });
});

describe('calibrated confidence', () => {
  it('is the raw confidence of the evidence mapped through the fitted table, and nothing else changes', () => {
    const tools = [
      { name: 'delete_file', description: 'Delete a file.', inputSchema: { type: 'object' } },
      { name: 'build_and_push_image_to_ecr', inputSchema: { type: 'object' } },
      { name: 'get_file', description: 'Deletes a file after reading it.', inputSchema: { type: 'object' } },
    ];
    for (const t of tools) {
      const raw = classifyToolCalibrated(t, undefined, IDENTITY_CALIBRATION);
      const stored = classifyTool(t);
      expect(stored.confidence).toBe(calibrate(raw.confidence, CALIBRATION_TABLE));
      expect({ ...stored, confidence: 0, rationale: '' }).toEqual({ ...raw, confidence: 0, rationale: '' });
    }
    expect(classifyToolCalibrated(tools[0]!, undefined, IDENTITY_CALIBRATION).confidence).toBe(0.82);
  });
});

describe('tools read from source', () => {
  const del = { name: 'delete_file', description: 'Delete a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } };

  it('get a lower confidence, the same category and risk, and a sentence saying why', () => {
    const live = classifyTool(del, { name: 'fs', introspectionMethod: 'live-stdio' });
    const read = classifyTool(del, { name: 'fs', introspectionMethod: 'static' });
    // Raw 0.82, calibrated 0.97 (calibration-table.ts), then the static factor and cap.
    expect(live.confidence).toBe(0.97);
    expect(read.confidence).toBe(0.55);
    expect(staticListingConfidence(live.confidence)).toBe(read.confidence);
    expect({ category: read.category, risk: read.risk }).toEqual({ category: live.category, risk: live.risk });
    expect(read.rationale).toContain('read from the package\'s source, not listed by the running server');
    expect(read.rationale).toContain('lowered from 0.97 to 0.55');
    expect(read.ruleIds).toContain(STATIC_LISTING_ID);
    expect(live.ruleIds).not.toContain(STATIC_LISTING_ID);
  });

  it('are scaled by 0.8 below the cap, and a tool no rule matched stays below the listing threshold', () => {
    const weak = { name: 'get_file', description: 'Deletes a file after reading it.', inputSchema: { type: 'object' } };
    const live = classifyTool(weak).confidence;
    // Below the cap once scaled: 0.8 × live < 0.55.
    expect(live).toBeLessThan(0.55 / 0.8);
    expect(classifyTool(weak, { name: 'x', introspectionMethod: 'static' }).confidence).toBe(Math.round(live * 80) / 100);
    expect(classifyTool({ name: 'frobnicate', inputSchema: { type: 'object' } }, { name: 'x', introspectionMethod: 'static' }).confidence).toBe(0.24);
  });

  it('leave every live method and an unknown method alone', () => {
    for (const introspectionMethod of ['live-stdio', 'live-stdio-placeholders', 'live-stdio-arguments', undefined]) {
      expect(classifyTool(del, { name: 'fs', introspectionMethod })).toEqual(classifyTool(del, { name: 'fs' }));
    }
  });
});

describe('rationale and evidence specifics', () => {
  it('states every risk move', () => {
    const r = classifyTool({ name: 'execute_command', description: 'Execute a terminal command.', inputSchema: { type: 'object', properties: { command: { type: 'string' } } } });
    expect(r.rationale).toContain('Risk rises from High to Critical because its argument "command" takes a shell command');
    expect(r.ruleIds).toContain('risk.code-execution');
    expect(r.signals).toContainEqual({ kind: 'shell-input', detail: 'argument "command" (string)' });
  });

  it('flags annotations that contradict the evidence', () => {
    const r = classifyTool({ name: 'delete_file', description: 'Delete a file.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } });
    expect(r.category).toBe('Destructive');
    expect(r.rationale).toMatch(/readOnlyHint true, which contradicts the Destructive evidence/);
  });

  it('treats absent annotations as no evidence', () => {
    const r = classifyTool({ name: 'thing', inputSchema: { type: 'object' }, annotations: {} });
    expect(r.ruleIds.filter((id) => id.startsWith('ann.'))).toEqual([]);
  });

  it('cuts long quotes with an ellipsis', () => {
    const long = `Delete ${'very '.repeat(80)}old records.`;
    const r = classifyTool({ name: 'purge', description: long, inputSchema: { type: 'object' } });
    const q = r.evidence.find((e) => e.source === 'description');
    expect(q?.quote.length).toBeLessThanOrEqual(200);
    expect(q?.quote.endsWith('…')).toBe(true);
  });

  it('reads HTML in a description as plain text', () => {
    const tool = { name: 'remove_file', description: '<p>Deletes the <b>selected</b> file.</p><img src=x onerror=alert(1)>', inputSchema: { type: 'object' } };
    const r = classifyTool(tool);
    expect(r.category).toBe('Destructive');
    expect(r.ruleIds).toContain('desc.lead.delete');
    expect(tool.description).toContain(r.evidence.find((e) => e.source === 'description')?.quote);
  });

  it('survives odd definitions', () => {
    const odd = { name: 'x', description: 42, title: null, inputSchema: { properties: { a: null, b: 'str', c: { type: ['string', 'null'] } } } } as never;
    expect(() => classifyTool(odd)).not.toThrow();
  });

  it('uses the server as context', () => {
    const order = { name: 'place_order', inputSchema: { type: 'object' } };
    expect(classifyTool(order, { name: 'coinbase' }).category).toBe('Financial');
    expect(classifyTool(order, { name: 'kitchen-display' }).category).toBe('Write');
  });
});

describe('what changes, and where (RUBRIC.md §2a)', () => {
  const obj = { type: 'object' };
  const cat = (name: string, description?: string, server?: { name: string; description?: string }) =>
    classifyTool({ name, inputSchema: obj, ...(description === undefined ? {} : { description }) }, server).category;

  it.each([
    ['capture_authorization', 'Captures a card authorization for the held amount.', undefined],
    ['capture', 'Capture it now.', { name: 'acme-pay', description: 'Card payments for online shops.' }],
    ['execute_swap', 'Execute a coin swap through an aggregator.', undefined],
    ['execute_trade', 'Executes a trade.', undefined],
    ['close_position', 'Close an open perpetual futures position.', undefined],
  ] as const)('moving money: %s is Financial', (name, description, server) => {
    expect(cat(name, description, server)).toBe('Financial');
  });

  it.each([
    ['capture', 'Capture the visible page as an image.', { name: 'browser' }],
    ['capture_order', 'Take a picture of the order ticket.', { name: 'kitchen-display' }],
    ['execute_swap', 'Execute the exchange of two canvas layers.', { name: 'drawing' }],
  ] as const)('the same verbs without money: %s is not Financial', (name, description, server) => {
    expect(cat(name, description, server)).not.toBe('Financial');
  });

  it('reads a model\'s completion, and a description that opens "This tool helps analyze"', () => {
    expect(cat('acme_fim', 'Fill-in-the-middle completion from the code model: give a prefix and a suffix.')).toBe('Read');
    expect(cat('chat_completion', 'Send messages to the model and get a completion.')).toBe('Read');
    expect(cat('helper', 'This tool helps analyze build configuration files.')).toBe('Read');
    expect(cat('learn', 'Use this tool to learn about the product.')).toBe('Read');
    expect(cat('ui_tap', 'Tap on the screen of the simulator.')).toBe('Write');
    expect(cat('detect_framework', 'Detect the test framework a project uses from its manifest.')).toBe('Read');
    expect(cat('score_findings', 'Score the findings of a scan by severity and return the scores.')).toBe('Read');
    expect(cat('complete_checkout', 'Complete the checkout with the saved card.')).toBe('Financial');
    expect(cat('complete_task', 'Mark the task complete.')).toBe('Write');
  });

  it('reads past a first word that is the server\'s own name, and keeps it when nothing else would be a verb', () => {
    const server = (name: string) => ({ name });
    const tool = (name: string, description = '') => ({ name, description, inputSchema: obj });
    expect(classifyTool(tool('remember_admin_inspect_memory'), server('@someone/remember-mcp')).category).toBe('Read');
    expect(classifyTool(tool('remember_admin_inspect_memory'), server('other-mcp')).category).toBe('Write');
    expect(classifyTool(tool('search_web'), server('search-mcp')).category).toBe('Read');
  });

  it('runs code given to an argument, whatever reading words say', () => {
    const scene = { name: 'show_scene', title: 'Show Scene', description: 'Render an interactive 3D scene with custom Three.js code.',
      inputSchema: { type: 'object', properties: { code: { type: 'string', description: 'JavaScript code that builds the scene' } } } };
    expect(classifyTool(scene).category).toBe('Execute');
    expect(classifyTool({ ...scene, inputSchema: { type: 'object', properties: { title: { type: 'string' } } } }).category).toBe('Read');
  });

  it('never rates Read against a strong witness of danger', () => {
    const effect = (kind: 'http', detail: string) => ({ kind, detail, file: 'dist/a.js', line: 3, call: 'call()' });
    const server = (effects: ReturnType<typeof effect>[]) => ({ name: 'acme', codeEffects: { handlerFound: true, effects } });
    const tool = { name: 'fetch_report', description: 'Fetches the weekly report.', inputSchema: obj };
    // Read 5 (name and first sentence) against a DELETE the handler sends (2.5): half of Read's score, so Destructive.
    expect(classifyTool(tool, server([effect('http', 'DELETE api.acme.test')])).category).toBe('Destructive');
    expect(classifyTool(tool, server([effect('http', 'GET api.acme.test')])).category).toBe('Read');
    // A file the handler deletes (often its own temporary file) weighs like a write: a renderer stays Read.
    const chart = { name: 'generate_bar_chart', description: 'Generate a bar chart image from the data.', inputSchema: obj };
    const temp = { kind: 'fs.delete' as const, detail: 'unlinkSync', file: 'dist/a.js', line: 9, call: 'fs.unlinkSync(tmp)' };
    expect(classifyTool(chart, { name: 'charts', codeEffects: { handlerFound: true, effects: [temp] } }).category).toBe('Read');
    // A weak witness (a phrase) does not overrule a clear read.
    expect(classifyTool({ ...tool, description: 'Fetches the weekly report. Reports are deleted after a year.' }).category).toBe('Read');
  });

  it('reads a check the first sentence runs, and a wait that "blocks until"', () => {
    expect(cat('scan_api_style', 'Run a style scan against an API definition and list the findings.')).toBe('Read');
    expect(cat('broker_can_i_deploy', 'Checks whether a version can be deployed.')).toBe('Read');
    expect(cat('wait_for_job', 'Blocks until the job reaches a terminal state.')).toBe('Read');
    expect(cat('block_user', 'Blocks a user from the workspace.')).toBe('Write');
    expect(cat('run_migration', 'Run a database migration and report the result.')).toBe('Execute');
    expect(cat('session_add_segment', 'Insert a segment into the recording. Parameters: position (number).')).toBe('Write');
  });

  it('takes the most dangerous of the operations a first sentence lists', () => {
    expect(cat('device_clipboard', 'Read or replace the clipboard of the device.')).toBe('Write');
    expect(cat('branches', 'List, create or delete branches.')).toBe('Destructive');
    expect(cat('site_reader', 'Select and run one of the following read operations: get-site, get-team.')).not.toBe('Execute');
  });

  it('reads the agent\'s memory when it opens nodes of the graph', () => {
    expect(cat('open_nodes', 'Open the named nodes of the knowledge graph.', { name: 'memory' })).toBe('Read');
    expect(cat('open_pull_request', 'Open a pull request from a branch.', { name: 'git' })).toBe('Write');
  });
});
