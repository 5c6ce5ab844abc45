import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
// @ts-expect-error plain ESM helper without types, shared with web-test-runner.config.mjs
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';
import { startSignalingServer } from '../../server/signaling.mjs';

/**
 * Shared plumbing for end-to-end tests: the real signaling server on loopback, the built app
 * (vite preview of dist/) or the dev server for test pages, and Debian Chromium. Every
 * start function returns something with `close()`; tests close what they start.
 */

export type Signaling = Awaited<ReturnType<typeof startSignalingServer>>;

export function startSignaling(options: Parameters<typeof startSignalingServer>[0] = {}): Promise<Signaling> {
  return startSignalingServer({ host: '127.0.0.1', port: 0, statsIntervalMs: 0, ...options });
}

/** Serves the built app (run `vite build` first: `npm test` does). */
export async function startApp(): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({ preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}

/** Serves the source tree through Vite, for test pages under test/e2e/pages/. */
export async function startDevServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: ViteDevServer = await createServer({
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    logLevel: 'warn',
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite dev server did not report a URL');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}

/** A fresh headless Chromium process with a throwaway profile; `extraArgs` after Hearth's own. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Chromium with a profile directory that survives close and relaunch (for offline tests). */
export async function launchPersistent(
  userDataDir = mkdtempSync(join(tmpdir(), 'hearth-profile-')),
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<{ context: BrowserContext; userDataDir: string; remove(): void }> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: ensureChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  return { context, userDataDir, remove: () => rmSync(userDataDir, { recursive: true, force: true }) };
}
