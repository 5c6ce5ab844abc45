import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, chooseName, createGroup, openWatchedPage, postWith, share, type WatchedPage } from './appHelpers.js';
import { blankCamera, fakeCameraArgs, showToCamera } from './fakeCamera.js';
import { launchChromium, startApp } from './harness.js';
import { qrOnScreen } from './venueHelpers.js';

/**
 * A newcomer joins at a meeting without internet, in the built app: two Chromium processes,
 * no signaling server at all (the pages' signaling URL is a port where nothing listens) and no
 * ICE servers. Ana creates the group and makes an invite from the venue screen; Cleo opens the
 * invite link and joins at the meeting: each camera (a fake device) is fed the QR code the
 * other screen draws. The invite handshake, the admission and then the group's sync all run
 * over that one venue link.
 */

const GROUP = 'Thursday basement';
const NO_SERVER = 'ws://127.0.0.1:9';

describe('a newcomer joining at a meeting without internet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-venue-join-'));
  const cameras = { ana: join(dir, 'ana.y4m'), cleo: join(dir, 'cleo.y4m') };
  let app: { url: string; close(): Promise<void> };
  let browsers: Browser[] = [];
  let ana: WatchedPage;
  let cleo: WatchedPage;
  let link: string;

  beforeAll(async () => {
    blankCamera(cameras.ana);
    blankCamera(cameras.cleo);
    [app, ...browsers] = await Promise.all([startApp(), launchChromium(fakeCameraArgs(cameras.ana)), launchChromium(fakeCameraArgs(cameras.cleo))]);
    ana = await openWatchedPage(browsers[0]!, NO_SERVER);
    cleo = await openWatchedPage(browsers[1]!, NO_SERVER);
  });

  afterAll(async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Ana shows a code, the newcomer's camera reads it, and Ana's camera reads the answer. */
  async function scanBothWays(newcomer: Page, camera: string): Promise<void> {
    await ana.page.getByRole('button', { name: 'Show a code to scan' }).click();
    showToCamera(camera, await qrOnScreen(ana.page, 'Meeting code for them to scan'));
    await newcomer.getByRole('button', { name: 'Scan a code' }).click();
    showToCamera(cameras.ana, await qrOnScreen(newcomer, 'Answer code for the facilitator to scan'));
    await ana.page.getByRole('button', { name: 'Scan a code' }).click();
  }

  it('lets a newcomer with an invite link ask at the meeting, both screens showing the same code, and be let in', async () => {
    await ana.page.goto(app.url + '/');
    await chooseName(ana.page, 'Ana');
    await createGroup(ana.page, GROUP);
    await ana.page.getByRole('button', { name: 'Meeting without internet' }).click();
    await ana.page.getByRole('button', { name: 'Invite someone new' }).click();
    const field = ana.page.getByRole('textbox', { name: 'Invite link' });
    await field.waitFor();
    link = await field.inputValue();
    await ana.page.getByRole('button', { name: 'Back to the meeting' }).click();
    await ana.page.getByRole('heading', { name: 'Meeting without internet' }).waitFor();

    await cleo.page.goto(link);
    await cleo.page.getByLabel('Display name').fill('Cleo');
    await cleo.page.getByRole('button', { name: 'Join here at the meeting' }).click();
    await cleo.page.getByRole('heading', { name: 'Join at the meeting' }).waitFor();
    expect(await axeViolations(cleo.page)).toEqual([]);
    await scanBothWays(cleo.page, cameras.cleo);

    await cleo.page.getByRole('heading', { name: `Join ${GROUP}?` }).waitFor({ timeout: 60_000 });
    const code = (await cleo.page.locator('strong.code').first().textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$|^\d{3} \d{3}$/);
    await cleo.page.getByRole('checkbox', { name: /^I agree to keep what is shared here confidential/ }).check();
    await cleo.page.getByRole('button', { name: 'I agree' }).click();

    await ana.page.getByText(`Cleo — code ${code}`).waitFor({ timeout: 60_000 });
    expect(await axeViolations(ana.page)).toEqual([]);
    const admit = ana.page.getByRole('button', { name: 'Let Cleo in' });
    await admit.and(ana.page.locator(':enabled')).waitFor({ timeout: 60_000 });
    await admit.click();

    await cleo.page.getByRole('heading', { level: 1, name: GROUP }).waitFor({ timeout: 90_000 });
    await ana.page.getByRole('region', { name: 'Connected here' }).getByRole('listitem').filter({ hasText: 'Cleo' }).waitFor({ timeout: 90_000 });
  });

  it('carries posts both ways over the same link once Cleo is in', async () => {
    await ana.page.getByRole('button', { name: 'Back to the board' }).click();
    await share(ana.page, 'Welcome, Cleo. Glad you came tonight.');
    await postWith(cleo.page, 'Welcome, Cleo. Glad you came tonight.').waitFor({ timeout: 90_000 });
    await share(cleo.page, 'Thank you. First time, a bit nervous.');
    await postWith(ana.page, 'Thank you. First time, a bit nervous.').waitFor({ timeout: 90_000 });
    expect([...ana.errors, ...cleo.errors, ...ana.cspViolations, ...cleo.cspViolations]).toEqual([]);
    // No server: the only websockets the pages tried go to the dead signaling port.
    expect(ana.sockets.concat(cleo.sockets).every((url) => url.startsWith(NO_SERVER))).toBe(true);
  });

  it('tells someone else who tries the used invite at the meeting, plainly, that it was already used', async () => {
    const dee = await openWatchedPage(browsers[1]!, NO_SERVER);
    await dee.page.goto(link);
    await dee.page.getByLabel('Display name').fill('Dee');
    await dee.page.getByRole('button', { name: 'Join here at the meeting' }).click();
    await ana.page.getByRole('button', { name: 'Meeting without internet' }).click();
    await scanBothWays(dee.page, cameras.cleo);
    await dee.page.getByRole('heading', { name: "This invite link doesn't work" }).waitFor({ timeout: 60_000 });
    await dee.page.getByText('This invite has already been used, so it cannot let anyone else in.').waitFor();
    expect(await ana.page.getByRole('button', { name: 'Let Dee in' }).count()).toBe(0);
    expect(await axeViolations(dee.page)).toEqual([]);
    await dee.context.close();
  });
});
