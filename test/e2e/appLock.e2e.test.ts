import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, chooseName, createGroup, postWith, screenshotsAndAxe, share } from './appHelpers.js';
import { launchPersistent, startApp, startSignaling, type Signaling } from './harness.js';
import { appText, exportKeys, type ExportedKeys } from './lockHelpers.js';
import { scanProfile, type Finding } from './profileScan.js';

/**
 * The app lock on a shared or seized phone, in a real Chromium with a persistent profile and
 * the built app: what a copied profile holds with and without the lock, the lock screen after
 * a relaunch, auto-lock, quick exit, and wipe.
 */

const PASSPHRASE = 'kettle lantern tuesday moss';
const PLANTED = {
  name: 'Quillon-Fernsby',
  group: 'Saltmarsh-Wednesday-Circle',
  before: 'PLANTED-before-lock-4q9z harbour walk',
  after: 'PLANTED-after-lock-7m2x steady week',
};
const NEUTRAL_URL = 'https://www.bbc.co.uk/weather';
const EARLIER_URL = 'https://example.org/earlier';

type Profile = Awaited<ReturnType<typeof launchPersistent>>;

function describeFinding(finding: Finding): string {
  return `${finding.label} as ${finding.encoding} in "${finding.file}" (${finding.layer}): …${finding.context}…`;
}

/** Neutral stand-ins for the quick-exit page and a page visited before Hearth (the machine has no internet). */
async function routeNeutralPages(context: BrowserContext): Promise<void> {
  await context.route('https://www.bbc.co.uk/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>' }),
  );
  await context.route('https://example.org/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Earlier</title><h1>An earlier page</h1>' }),
  );
}

async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage());
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
}

async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/**
 * Hides the page for `ms`. Headless Chromium keeps every tab visible (bringing another to the
 * front changes nothing), so the page's visibility is set and announced as the browser would:
 * the app's own listener and timers do the rest.
 */
async function hideFor(page: Page, ms: number): Promise<void> {
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  await page.waitForTimeout(ms);
  await setVisibility('visible');
}

describe('app lock, quick exit and wipe on a shared phone', () => {
  let signaling: Signaling;
  let app: { url: string; close(): Promise<void> };
  let appUrl = '';
  let profile: Profile | undefined;
  let userDataDir = '';
  const dirs: string[] = [];
  const a11y: string[] = [];
  let before: ExportedKeys;
  let after: ExportedKeys;

  beforeAll(async () => {
    [signaling, app] = await Promise.all([startSignaling(), startApp()]);
    appUrl = `${app.url}/?signaling=${encodeURIComponent(signaling.url)}`;
  });

  afterAll(async () => {
    await profile?.context.close().catch(() => undefined);
    await Promise.allSettled([app?.close(), signaling?.close()]);
    for (const dir of [userDataDir, ...dirs]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without a lock, a copied profile opens straight onto the board (what the README says is recoverable)', async () => {
    const unlocked = await launchPersistent();
    dirs.push(unlocked.userDataDir);
    let page = await firstPage(unlocked.context);
    await page.goto(appUrl);
    await chooseName(page, PLANTED.name);
    await createGroup(page, PLANTED.group);
    await share(page, PLANTED.before);
    await postWith(page, PLANTED.before).waitFor();
    await page.waitForTimeout(1500); // the log is written within ~300 ms
    await unlocked.context.close();

    const copy = mkdtempSync(join(tmpdir(), 'hearth-copied-'));
    dirs.push(copy);
    cpSync(unlocked.userDataDir, copy, { recursive: true });
    const thief = await launchPersistent(copy);
    page = await firstPage(thief.context);
    await page.goto(appUrl);
    // No passphrase asked: whoever holds the copied profile reads the board.
    await postWith(page, PLANTED.before).waitFor({ timeout: 30_000 });
    expect(await appText(page)).toContain(PLANTED.group);
    await thief.context.close();
  });

  it('turning the lock on later re-seals everything: a copied profile holds no post, name, storage key or device secret key', async () => {
    profile = await launchPersistent();
    userDataDir = profile.userDataDir;
    const page = await firstPage(profile.context);
    await page.goto(appUrl);
    await chooseName(page, PLANTED.name);
    await createGroup(page, PLANTED.group);
    await share(page, PLANTED.before);
    await postWith(page, PLANTED.before).waitFor();
    before = await exportKeys(page);

    await openSettings(page);
    a11y.push(...(await screenshotsAndAxe(page, 'settings-unlocked')));
    await page.getByLabel('Passphrase', { exact: true }).fill('123456');
    await page.getByText('anyone who copies its storage can try every six-digit PIN', { exact: false }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByText('Strength: ', { exact: false }).waitFor();
    await page.getByLabel('Type it again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Turn on the lock' }).click();
    await page.getByText('The lock is on.', { exact: false }).waitFor({ timeout: 60_000 });
    a11y.push(...(await screenshotsAndAxe(page, 'settings-locked')));
    after = await exportKeys(page, PASSPHRASE);
    expect(Buffer.from(after.storageKey).equals(Buffer.from(before.storageKey))).toBe(false);

    await page.getByRole('button', { name: 'Back to your groups' }).click();
    await page.getByRole('button', { name: PLANTED.group, exact: true }).click();
    await share(page, PLANTED.after);
    await postWith(page, PLANTED.after).waitFor();
    await page.waitForTimeout(1500);
    await profile.context.close();
    profile = undefined;

    const scan = scanProfile(userDataDir, {
      ...PLANTED,
      storageKeyBefore: before.storageKey,
      storageKeyAfter: after.storageKey,
      signSecretKey: before.signSecretKey,
      boxSecretKey: before.boxSecretKey,
      // The secret half alone (Ed25519 secret keys carry the public key in their second half).
      signSeed: before.signSecretKey.subarray(0, 32),
    });
    console.log(`app lock e2e: scanned ${scan.files} files (${(scan.bytes / 1e6).toFixed(1)} MB), ${scan.levelDbFiles} LevelDB files`);
    expect(scan.unreadable).toEqual([]);
    expect(scan.findings.map(describeFinding)).toEqual([]);
    // Documented, not asserted: whether the browser still keeps the old, weakly wrapped key record in its files.
    const stale = scanProfile(userDataDir, { oldWrappedKey: before.wrappedBytes }).findings.length;
    console.log(`app lock e2e: old WebCrypto-wrapped key record still in the profile files: ${stale > 0 ? 'yes' : 'no'} (${stale})`);
  });

  it('after a relaunch shows a lock screen with no group name or count; a wrong passphrase does not unlock, the right one restores everything', async () => {
    profile = await launchPersistent(userDataDir);
    const page = await firstPage(profile.context);
    await page.goto(appUrl);
    await page.getByRole('heading', { name: 'Hearth is locked' }).waitFor();
    const text = await appText(page);
    for (const planted of Object.values(PLANTED)) expect(text).not.toContain(planted);
    expect(text).not.toMatch(/\d/);
    a11y.push(...(await screenshotsAndAxe(page, 'lock')));

    await unlock(page, 'kettle lantern tuesday mass');
    await page.getByText("That passphrase didn't open Hearth").waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Hearth is locked' }).waitFor();
    expect(await appText(page)).not.toContain(PLANTED.group);

    await unlock(page, PASSPHRASE);
    await postWith(page, PLANTED.after).waitFor({ timeout: 30_000 });
    await postWith(page, PLANTED.before).waitFor();
  });

  it('auto-locks after being hidden with the chosen delay', async () => {
    const page = await firstPage(profile!.context);
    await openSettings(page);
    // 1 minute: hidden for two seconds, still open.
    await page.getByRole('radio', { name: 'After 1 minute' }).check();
    await hideFor(page, 2000);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    // Immediately: locked as soon as it is hidden.
    await page.getByRole('radio', { name: 'Immediately' }).check();
    await page.waitForTimeout(300); // the choice is saved
    await hideFor(page, 300);
    await page.getByRole('heading', { name: 'Hearth is locked' }).waitFor();
    expect(await appText(page)).not.toContain(PLANTED.group);
    await unlock(page, PASSPHRASE);
    await postWith(page, PLANTED.after).waitFor({ timeout: 30_000 });
  });

  it('quick exit (the control, then Shift three times) leaves a neutral page that Back does not leave for Hearth, and locks', async () => {
    const { context } = profile!;
    await routeNeutralPages(context);
    const page = await firstPage(context);
    await page.goto(EARLIER_URL);
    await page.goto(appUrl);
    await unlock(page, PASSPHRASE);
    await postWith(page, PLANTED.after).waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Quick exit' }).click();
    await page.waitForURL(NEUTRAL_URL);
    expect(await page.title()).toBe('Weather');
    await page.evaluate(() => history.back());
    await page.waitForURL(EARLIER_URL);
    expect(await appText(page)).not.toContain(PLANTED.after);

    await page.goto(appUrl);
    await page.getByRole('heading', { name: 'Hearth is locked' }).waitFor();
    await unlock(page, PASSPHRASE);
    await postWith(page, PLANTED.after).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.waitForURL(NEUTRAL_URL);
    await page.goBack().catch(() => undefined);
    expect(page.url()).not.toContain(new URL(app.url).host);
    await page.goto(appUrl);
    await page.getByRole('heading', { name: 'Hearth is locked' }).waitFor();
  });

  it('wipes with no network: no Hearth database, cache or service worker is left', async () => {
    const { context } = profile!;
    const page = await firstPage(context);
    await page.goto(appUrl);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await unlock(page, PASSPHRASE);
    await postWith(page, PLANTED.after).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(async () => (await caches.keys()).length)).toBeGreaterThan(0);
    await context.setOffline(true);
    await openSettings(page);
    await page.getByRole('button', { name: 'Wipe this device…' }).click();
    await page.getByRole('heading', { name: 'Wipe Hearth from this device?' }).waitFor();
    a11y.push(...(await screenshotsAndAxe(page, 'wipe')));
    await page.getByRole('button', { name: 'Wipe everything' }).click();
    await page.getByRole('heading', { name: 'Hearth was wiped from this device' }).waitFor({ timeout: 30_000 });
    const left = await page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((db) => db.name),
      caches: await caches.keys(),
      workers: (await navigator.serviceWorker.getRegistrations()).length,
    }));
    expect(left).toEqual({ databases: [], caches: [], workers: 0 });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('has no axe-core violations on the lock, settings and wipe screens, light and dark', () => {
    expect(a11y).toEqual([]);
  });
});
