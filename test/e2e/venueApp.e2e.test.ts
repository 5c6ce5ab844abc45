import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { fakeCameraArgs, blankCamera, showToCamera } from './fakeCamera.js';
import { launchChromium, startApp, startSignaling, type Signaling } from './harness.js';
import { axeViolations, createAndAdmit, openWatchedPage, postWith, share, type WatchedPage } from './appHelpers.js';
import { qrOnScreen } from './venueHelpers.js';

/**
 * The venue screen of the built app, end to end: Ana and Bo meet once online (the real
 * signaling server) so each board lists the other, then the server is stopped and both pages
 * reload, so no WebRTC connection survives. They connect again through "Meeting without
 * internet" alone: each camera (a fake device) is fed the QR code the other screen draws, read
 * from its SVG.
 */

describe('the app’s meeting without internet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-venue-app-'));
  const cameras = { ana: join(dir, 'ana.y4m'), bo: join(dir, 'bo.y4m') };
  let signaling: Signaling;
  let app: { url: string; close(): Promise<void> };
  let browsers: Browser[] = [];
  let ana: WatchedPage;
  let bo: WatchedPage;

  beforeAll(async () => {
    blankCamera(cameras.ana);
    blankCamera(cameras.bo);
    [signaling, app, ...browsers] = await Promise.all([
      startSignaling(),
      startApp(),
      launchChromium(fakeCameraArgs(cameras.ana)),
      launchChromium(fakeCameraArgs(cameras.bo)),
    ]);
    ana = await openWatchedPage(browsers[0]!, signaling.url);
    bo = await openWatchedPage(browsers[1]!, signaling.url);
  });

  afterAll(async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
    await Promise.allSettled([app?.close(), signaling?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets two members who met online once connect again with no server, by scanning each other', async () => {
    await createAndAdmit(app.url, ana.page, bo.page, 'Tuesday evening circle');

    // No server from here on, and no connection left from before.
    await signaling.close();
    await Promise.all([ana.page.reload(), bo.page.reload()]);
    for (const { page } of [ana, bo]) {
      await page.getByRole('heading', { level: 1, name: 'Tuesday evening circle' }).waitFor();
      await page.getByRole('button', { name: 'Meeting without internet' }).click();
      await page.getByRole('heading', { name: 'Meeting without internet' }).waitFor();
    }

    await ana.page.getByRole('button', { name: 'Show a code to scan' }).click();
    showToCamera(cameras.bo, await qrOnScreen(ana.page, 'Meeting code for them to scan'));
    await bo.page.getByRole('button', { name: 'Scan a code' }).click();
    showToCamera(cameras.ana, await qrOnScreen(bo.page, 'Answer code for the other phone to scan'));
    await ana.page.getByRole('button', { name: 'Scan a code' }).click();

    const shortCode = /Check that both phones show the same code: (\d{3} \d{3})/;
    const [onAna, onBo] = await Promise.all(
      [ana, bo].map(async ({ page }) => (await page.getByText(shortCode).textContent())!.match(shortCode)![1]),
    );
    expect(onAna).toBe(onBo);
    await ana.page.getByRole('listitem').filter({ hasText: 'Bo' }).waitFor();
    await bo.page.getByRole('listitem').filter({ hasText: 'Ana' }).waitFor();
    expect(await axeViolations(ana.page)).toEqual([]);
  });

  it('carries posts both ways and shows each as here now, back on the board', async () => {
    for (const { page } of [ana, bo]) await page.getByRole('button', { name: 'Back to the board' }).click();
    await share(ana.page, 'Phones on the table, nothing else needed.');
    await postWith(bo.page, 'Phones on the table, nothing else needed.').waitFor();
    await share(bo.page, 'Glad we could still share tonight.');
    await postWith(ana.page, 'Glad we could still share tonight.').waitFor();
    await ana.page.getByRole('list', { name: 'Here now' }).getByText('Bo').waitFor();
    await bo.page.getByRole('list', { name: 'Here now' }).getByText('Ana').waitFor();
    expect([...ana.errors, ...bo.errors, ...ana.cspViolations, ...bo.cspViolations]).toEqual([]);
  });

  it('goes back to ordinary sync when the server returns, with nothing lost or shown twice', async () => {
    signaling = await startSignaling({ port: Number(new URL(signaling.url).port) });
    await ana.page.getByRole('button', { name: 'Meeting without internet' }).click();
    await ana.page.getByRole('button', { name: 'End meeting without internet' }).click();
    await ana.page.getByRole('heading', { level: 1, name: 'Tuesday evening circle' }).waitFor();
    await share(bo.page, 'Written as the internet came back.');
    await postWith(ana.page, 'Written as the internet came back.').waitFor({ timeout: 60_000 });
    for (const { page } of [ana, bo]) {
      for (const body of ['Phones on the table, nothing else needed.', 'Glad we could still share tonight.', 'Written as the internet came back.']) {
        expect(await postWith(page, body).count()).toBe(1);
      }
    }
  });

  it('says plainly when a pasted code is incomplete', async () => {
    await ana.page.getByRole('button', { name: 'Meeting without internet' }).click();
    await ana.page.getByRole('textbox', { name: 'No camera? Paste a code' }).fill('AQEkJqnhtYzi1qJsWcg');
    await ana.page.getByRole('button', { name: 'Use this code' }).click();
    await ana.page.getByRole('alert').getByText('That code is incomplete. Please scan it again, or copy the whole code.').waitFor();
  });
});
