import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { JOIN_REFUSAL_MESSAGES } from '../../src/sync/oneTimeInvite.js';
import { askAndAdmit, chooseName, createGroup, newInviteLink, openWatchedPage, type WatchedPage } from './appHelpers.js';
import { launchChromium, launchPersistent, startApp, startSignaling, type Signaling } from './harness.js';

/**
 * "An invite link from a browser's history admits no one." Bo's browser keeps a real profile on
 * disk; it opens two invite links (one it uses, one it only looks at), then closes. The test reads
 * the links back from the profile's History file (SQLite; scanned as bytes for the app's URL and
 * `#invite=`) and tries each from a fresh browser: the used one after it was redeemed, the other
 * after it expired. Ana's page runs on Playwright's clock, so "three days later" is a clock jump
 * on the facilitator's device (the one that checks expiry), not a test-only option in the app.
 *
 * What History holds (found here): although the app removes the fragment from the address bar
 * at once (history.replaceState), Chromium's History file keeps each link whole, `#invite=…`
 * included, as it was opened (a new page load and a fragment-only navigation alike).
 */

const HOURS = 60 * 60 * 1000;

/** Every `<appUrl>…#invite=…` URL in a file's bytes, in order, without repeats. */
function inviteUrlsIn(file: string, appUrl: string): string[] {
  const text = readFileSync(file).toString('latin1');
  const escaped = appUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = text.match(new RegExp(`${escaped}[^#\\s\\x00-\\x1f"]*#invite=[A-Za-z0-9_-]+`, 'g')) ?? [];
  return [...new Set(found)];
}

async function tryLink(browser: Browser, signalingUrl: string, link: string, name: string): Promise<WatchedPage> {
  const guest = await openWatchedPage(browser, signalingUrl);
  await guest.page.goto(link);
  await guest.page.getByLabel('Display name').fill(name);
  await guest.page.getByRole('button', { name: 'Ask to join' }).click();
  return guest;
}

async function memberCount(page: Page): Promise<string> {
  return (await page.locator('hearth-members summary').filter({ hasText: /^Members \(/ }).textContent())?.trim() ?? '';
}

describe('invite links read back from a browser profile’s History admit no one', () => {
  let signaling: Signaling;
  let app: { url: string; close(): Promise<void> };
  let anaBrowser: Browser;
  let guestBrowser: Browser;
  let ana: WatchedPage;
  let usedLink = '';
  let unusedLink = '';
  let fromHistory: string[] = [];
  let profileDir = '';

  beforeAll(async () => {
    [signaling, app, anaBrowser, guestBrowser] = await Promise.all([startSignaling(), startApp(), launchChromium(), launchChromium()]);
    ana = await openWatchedPage(anaBrowser, signaling.url);
    // Time flows as usual until the test moves Ana's clock.
    await ana.context.clock.install();
  });

  afterAll(async () => {
    await Promise.allSettled([anaBrowser?.close(), guestBrowser?.close()]);
    await Promise.allSettled([app?.close(), signaling?.close()]);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('lets Bo in with one link, shows him a second, and finds both links in his profile’s History', async () => {
    await ana.page.goto(app.url + '/');
    await chooseName(ana.page, 'Ana');
    await createGroup(ana.page, 'Lighthouse circle');
    usedLink = await newInviteLink(ana.page);
    await ana.page.getByRole('button', { name: 'Back to the board' }).click();
    unusedLink = await newInviteLink(ana.page);
    expect(usedLink).toContain('#invite=');
    expect(unusedLink).not.toBe(usedLink);

    // Invite links carry no signaling address (PROTOCOL §5): the profile's config.json names the test's server.
    const bo = await launchPersistent(undefined, { serviceWorkers: 'block' });
    profileDir = bo.userDataDir;
    await bo.context.route('**/config.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ signaling: [signaling.url], iceServers: [] }) }),
    );
    const boPage = bo.context.pages()[0] ?? (await bo.context.newPage());
    await boPage.goto(usedLink);
    await askAndAdmit(ana.page, boPage, { guestName: 'Bo', groupName: 'Lighthouse circle', needsName: true });
    // The app took the fragment off the address bar.
    expect(boPage.url()).not.toContain('#invite=');
    await boPage.goto(unusedLink);
    await boPage.getByRole('heading', { level: 1, name: 'Lighthouse circle' }).waitFor({ timeout: 60_000 });
    expect(boPage.url()).not.toContain('#invite=');
    await bo.context.close();

    fromHistory = inviteUrlsIn(join(profileDir, 'Default', 'History'), app.url);
    expect(fromHistory).toContain(usedLink);
    expect(fromHistory).toContain(unusedLink);
  });

  it('admits no one with the redeemed link from History, and says it was used', async () => {
    const before = await memberCount(ana.page);
    const guest = await tryLink(guestBrowser, signaling.url, fromHistory.find((link) => link === usedLink)!, 'Dee');
    await guest.page.getByText(JOIN_REFUSAL_MESSAGES.used).waitFor({ timeout: 60_000 });
    expect(await guest.page.getByRole('heading', { level: 1, name: 'Lighthouse circle' }).count()).toBe(0);
    expect(await ana.page.getByText('Asking to join').count()).toBe(0);
    expect(await memberCount(ana.page)).toBe(before);
    await guest.context.close();
  });

  it('admits no one with the unused link from History once it expired, and says it expired', async () => {
    const before = await memberCount(ana.page);
    await ana.page.clock.setSystemTime(Date.now() + 73 * HOURS);
    const guest = await tryLink(guestBrowser, signaling.url, fromHistory.find((link) => link === unusedLink)!, 'Eli');
    await guest.page.getByText(JOIN_REFUSAL_MESSAGES.expired).waitFor({ timeout: 60_000 });
    expect(await guest.page.getByRole('heading', { level: 1, name: 'Lighthouse circle' }).count()).toBe(0);
    expect(await memberCount(ana.page)).toBe(before);
    await guest.context.close();
  });
});
