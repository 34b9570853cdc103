/**
 * The nightly job's exit code and a discovery source's failure, decided from the run's facts: which sources count as
 * failed, and which exit code wins when several apply.
 */
import { describe, expect, it } from 'vitest';
import { sourceFailed } from '../crawler/index.ts';
import { RUN_EXIT, runExitCode } from '../scripts/run-report.ts';

describe('a discovery source failed', () => {
  const base = { findings: 0, requests: 0, answered: 0, error: null };
  it('when it stopped on an error before yielding anything, or no request of it got an answer', () => {
    expect(sourceFailed({ ...base, error: { code: 'HTTP_STATUS', message: '[GET] https://registry.npmjs.org/-/v1/search: 503' }, requests: 1 })).toBe(true);
    expect(sourceFailed({ ...base, error: { code: 'DISCOVERY_NAMES_FILE', message: 'cannot read the names file' } })).toBe(true);
    expect(sourceFailed({ ...base, requests: 40, answered: 0 })).toBe(true);
  });
  it('not when it yielded some before its error, had answers that said nothing new (304, 404), or sent nothing', () => {
    expect(sourceFailed({ ...base, findings: 120, requests: 9, answered: 8, error: { code: 'DISCOVERY_RATE_LIMITED', message: 'wait 3600 s' } })).toBe(false);
    expect(sourceFailed({ ...base, requests: 40, answered: 1 })).toBe(false);
    expect(sourceFailed(base)).toBe(false);
  });
});

describe('the exit code of a run that went to its end', () => {
  const none = { discoveryAllFailed: false, drained: true, partlyPublished: false };
  it('is 0 with no alert when nothing applies', () => {
    expect(runExitCode(none)).toEqual({ exitCode: 0, alerts: [] });
  });
  it('is 6, 7 or 3, the first of them in that order when several apply, with an alert for each', () => {
    expect(runExitCode({ ...none, partlyPublished: true }).exitCode).toBe(RUN_EXIT.partlyPublished);
    expect(runExitCode({ ...none, drained: false, partlyPublished: true }).exitCode).toBe(RUN_EXIT.notDrained);
    const all = runExitCode({
      discoveryAllFailed: true, drained: false, partlyPublished: true,
      sources: [{ source: 'npm', candidates: 0, notServers: 0, new: 0, changed: 0, requests: 2, warnings: 2, error: null, failed: true, ms: 3 }],
    });
    expect(all.exitCode).toBe(6);
    expect(all.alerts).toHaveLength(3);
    expect(all.alerts[0]).toBe('every discovery source failed (npm: no answer to 2 request(s)): nothing new was discovered; the crawl used what earlier runs stored');
    expect(all.alerts[1]).toMatch(/did not drain by its deadline/);
    expect(all.alerts[2]).toMatch(/could not be published whole/);
  });
});
