// Tests live in test/**, outside the packages, and import `@haplo/parser` from source so a run
// sees the current code; `npm test` still builds first because the CLI tests spawn `dist/`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@haplo/parser': fileURLToPath(new URL('./packages/parser/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: two forked workers, so CLI tests that spawn Node do not oversubscribe.
    pool: 'forks',
    maxWorkers: 2,
    // In CI, also write a JSON report so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
  },
});
