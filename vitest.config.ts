import { defineConfig } from 'vitest/config';

// Node-side suites. Files named *.browser.test.ts run only in Chromium (@web/test-runner),
// *.e2e.test.ts drive the built app with playwright-core (scripts/e2e.mjs).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts', 'test/**/*.e2e.test.ts', 'node_modules/**'],
    environment: 'node',
    globals: true,
    setupFiles: ['test/setup/mochaGlobals.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
