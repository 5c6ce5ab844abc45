import { defineConfig } from 'vitest/config';

// End-to-end suites drive real Chromium processes; run files one at a time on 2 cores.
export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    environment: 'node',
    globals: true,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
