import { defineConfig } from 'vitest/config';

// VITEST_JSON_REPORT=<file> adds vitest's JSON reporter beside the default one (CI reads the counts from it).
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'classifier/**/*.test.ts', 'policy/**/*.test.ts', 'site/**/*.test.ts', 'crawler/**/*.test.ts', 'db/**/*.test.ts', 'serve/**/*.test.ts', 'changes/**/*.test.ts', 'eval/**/*.test.ts'],
    // Places fixtures and test caches where the sandbox's unprivileged uid can read them (a checkout under /root or in
    // a 0700 directory is out of its reach when the suite runs as root).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
