// Chromium for the bench: separate processes (so BroadcastChannel cannot carry sync) running
// bench/pages/peer.html from the bench's Vite server, driven through window.hearthBench.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';

export function launchChromium() {
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS });
}

/**
 * A fresh bench page in `context` (a Browser or a BrowserContext), libsodium loaded.
 * Errors thrown in the page surface as the failing call's error; stray ones are logged.
 */
export async function openBenchPage(context, serverUrl, log) {
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads are reported below with their URL.
    if (message.text().startsWith('Failed to load resource')) return;
    if (message.type() === 'error' || message.type() === 'warning') log(`page ${message.type()}: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) log(`page load ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${serverUrl}/bench/pages/peer.html`);
  await page.waitForFunction(() => window.hearthBenchReady !== undefined);
  await page.evaluate(() => window.hearthBenchReady);
  return {
    page,
    /** Calls window.hearthBench[name](arg) and returns its (structured-cloned) result. */
    call: (name, arg) => page.evaluate(([fn, value]) => window.hearthBench[fn](value), [name, arg]),
    read: (name) => page.evaluate((field) => window.hearthBench[field], name),
    close: () => page.close(),
  };
}
