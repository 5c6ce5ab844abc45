import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, ensureChromium } from './scripts/chromium.mjs';

// Browser suites: every *.browser.test.ts, plus the shared node+browser files (KATs, envelopes)
// so crypto is proven in Chromium's WebAssembly as well as in node.
export default {
  rootDir: '.',
  files: ['test/**/*.browser.test.ts', 'test/crypto/kat.test.ts', 'test/log/envelope.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 60_000 } },
  testsFinishTimeout: 600_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: ensureChromium(),
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
