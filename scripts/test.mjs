// `npm test`: every suite, in the order that fails fastest. Unit (node, with a real redis-server
// for the signaling scale-out) → browser (Chromium, real IndexedDB and WebCrypto) → build →
// end-to-end (playwright-core driving Debian Chromium against the built app and the real
// signaling server on loopback).
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';
import { ensureRedisServer } from './redis.mjs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const steps = [
  ['typecheck', ['tsc', '--noEmit', '-p', '.']],
  ['unit tests (node)', ['vitest', 'run']],
  ['browser tests (Chromium)', ['web-test-runner']],
  ['build', ['vite', 'build', '--logLevel', 'warn']],
  ['end-to-end tests (Chromium + signaling)', ['vitest', 'run', '--config', 'vitest.e2e.config.ts']],
];

ensureChromium();
ensureRedisServer(); // the scale-out suites start their own on a free loopback port
let passed = 0;
for (const [name, args] of steps) {
  console.log(`\n=== ${name}: npx ${args.join(' ')}`);
  const result = spawnSync(npx, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  if (result.status !== 0) {
    console.error(`\n${name} failed (exit ${result.status ?? result.signal}).`);
    console.log(`stages: ${passed} passed, 1 failed, ${steps.length - passed - 1} skipped`);
    process.exit(1);
  }
  passed++;
}
console.log(`\nstages: ${passed} passed, 0 failed`);
