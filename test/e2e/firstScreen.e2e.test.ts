import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseName, createGroup, share } from './appHelpers.js';
import { launchChromium, startApp } from './harness.js';

/**
 * The welcome and lock screens need neither libsodium nor Yjs: with the chunks that hold them
 * (libsodium's own, and the app's boot chunk, which bundles Yjs) held back by the test, both
 * screens show and take input; what the person does there waits until the chunks arrive. A
 * returning device without a lock reopens its last board from the first page the same way.
 * Runs against dist/ (`npx vite build` first).
 */

const PASSPHRASE = 'orchard lantern quiet river';
const CRYPTO_CHUNKS = /\/assets\/(libsodium|boot)-[^/]*\.js$/;

/** Holds the crypto and Yjs chunks until `release()`; counts how many were served. */
async function holdCryptoChunks(page: Page): Promise<{ release(): void; served(): number; asked(): number }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  let served = 0;
  await page.route(CRYPTO_CHUNKS, async (route) => {
    asked++;
    await released;
    served++;
    await route.continue();
  });
  return { release, served: () => served, asked: () => asked };
}

describe('the first screen, before crypto has loaded', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    // No service worker: every chunk goes through the network, where the test holds it.
    context = await browser.newContext({ serviceWorkers: 'block' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the welcome field while libsodium and Yjs are still loading, and acts on it once they are in', async () => {
    const page = await context.newPage();
    const held = await holdCryptoChunks(page);
    await page.goto(app.url);
    await page.getByLabel('Display name').fill('Wren');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(held.asked()).toBeGreaterThan(0);
    expect(held.served()).toBe(0);
    held.release();
    await page.getByRole('button', { name: 'Create a group' }).waitFor();
    await page.close();
  });

  it('shows the lock screen while libsodium and Yjs are still loading', async () => {
    const setup = await context.newPage();
    await setup.goto(app.url);
    // The device from the test before: set a lock on it.
    await setup.getByRole('button', { name: 'Create a group' }).waitFor();
    await setup.getByRole('button', { name: 'Settings' }).click();
    await setup.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await setup.getByLabel('Type it again').fill(PASSPHRASE);
    await setup.getByRole('button', { name: 'Turn on the lock' }).click();
    await setup.getByText('The lock is on.', { exact: false }).waitFor({ timeout: 60_000 });
    await setup.close();

    const page = await context.newPage();
    const held = await holdCryptoChunks(page);
    await page.goto(app.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    expect(held.served()).toBe(0);
    held.release();
    await page.getByRole('button', { name: 'Create a group' }).waitFor({ timeout: 60_000 });
  });

  it('reopens the last board with its newest post while libsodium and Yjs are still loading, then opens the whole board', async () => {
    const fresh = await browser.newContext({ serviceWorkers: 'block' });
    const setup = await fresh.newPage();
    await setup.goto(app.url);
    await chooseName(setup, 'Rowan');
    await createGroup(setup, 'Thursday lanterns');
    await share(setup, 'The walk by the river helped today');
    await setup.getByText('The walk by the river helped today').waitFor();
    // The runtime keeps the first page when the group opens, and again within 2 s of a change:
    // wait for the save after the post (a new nonce), not the one from before it.
    const sealedIv = () =>
      setup.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const open = indexedDB.open('hearth');
            open.onsuccess = () => {
              const read = open.result.transaction('settings').objectStore('settings').get('first-page');
              read.onsuccess = () => resolve(read.result ? Array.from(read.result.iv as Uint8Array).join(',') : '');
              open.result.close();
            };
          }),
      );
    const before = await sealedIv();
    for (let i = 0; i < 100 && (await sealedIv()) === before; i++) await setup.waitForTimeout(100);
    expect(await sealedIv()).not.toBe(before);
    await setup.close();

    const page = await fresh.newPage();
    const held = await holdCryptoChunks(page);
    await page.goto(app.url);
    await page.getByText('The walk by the river helped today').waitFor();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Thursday lanterns' }).waitFor();
    expect(held.served()).toBe(0);
    held.release();
    await page.getByText('Showing the newest posts while the rest of the board opens').waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByText('The walk by the river helped today').waitFor();
    await fresh.close();
  });

  it('still lands a returning device without a lock on its own screen', async () => {
    const fresh = await browser.newContext({ serviceWorkers: 'block' });
    const page = await fresh.newPage();
    await page.goto(app.url);
    await chooseName(page, 'Ash');
    await page.getByRole('button', { name: 'Create a group' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Create a group' }).waitFor();
    expect(await page.getByLabel('Display name').count()).toBe(0);
    await fresh.close();
  });
});
