import type { Browser, BrowserContext, Page } from 'playwright-core';
import { askAndAdmit, chooseName, createGroup, newInviteLink, openWatchedPage, postWith, share, type WatchedPage } from './appHelpers.js';
import { launchChromium, launchPersistent, startApp, startSignaling, type Signaling } from './harness.js';

/**
 * Two tabs of one browser profile write to the same group at once. One writer per device and
 * group (a Web Lock shared by the tabs) means they never sign two envelopes for one place in
 * the device's chain: another member receives every post, and nobody sees a fork.
 */
describe('two tabs of one profile', () => {
  let signaling: Signaling;
  let app: { url: string; close(): Promise<void> };
  let profile: Awaited<ReturnType<typeof launchPersistent>>;
  let other: Browser;
  let bo: WatchedPage;

  beforeAll(async () => {
    [signaling, app, profile, other] = await Promise.all([startSignaling(), startApp(), launchPersistent(), launchChromium()]);
    await routeConfig(profile.context, signaling.url);
    bo = await openWatchedPage(other, signaling.url);
  });

  afterAll(async () => {
    await Promise.allSettled([profile?.context.close(), other?.close()]);
    profile?.remove();
    await Promise.allSettled([app?.close(), signaling?.close()]);
  });

  it('write to one group at once without forking the chain', async () => {
    const first = await profile.context.newPage();
    await first.goto(app.url + '/');
    await chooseName(first, 'Ana');
    await createGroup(first, 'Tuesday circle');
    const second = await profile.context.newPage();
    await second.goto(app.url + '/');
    await second.getByRole('heading', { level: 1 }).filter({ hasText: 'Tuesday circle' }).waitFor();

    // Through the UI once each, then a burst from both tabs at the same instant: the intents a
    // composer dispatches, ten per tab, so the two tabs' writes truly race.
    await share(first, 'From tab 1, through the composer.');
    await share(second, 'From tab 2, through the composer.');
    const burst = (tab: number) => Array.from({ length: 10 }, (_, i) => `From tab ${tab}, burst ${i + 1}.`);
    await Promise.all([dispatchPosts(first, burst(1)), dispatchPosts(second, burst(2))]);
    const bodies = ['From tab 1, through the composer.', 'From tab 2, through the composer.', ...burst(1), ...burst(2)];
    for (const page of [first, second]) for (const body of bodies) await postWith(page, body).waitFor();

    const link = await newInviteLink(first);
    await bo.page.goto(link);
    await askAndAdmit(first, bo.page, { guestName: 'Bo', groupName: 'Tuesday circle', needsName: true });
    for (const body of bodies) await postWith(bo.page, body).waitFor();
    await expectNoFork(bo.page);
    await expectNoFork(first);
  });
});

/** Dispatches post intents from the app element, as the composer does, without waiting between them. */
async function dispatchPosts(page: Page, bodies: string[]): Promise<void> {
  await page.evaluate((list) => {
    const app = document.querySelector('hearth-app')!;
    for (const body of list) {
      app.dispatchEvent(new CustomEvent('hearth-intent', { detail: { type: 'post', kind: 'story', body }, bubbles: true, composed: true }));
    }
  }, bodies);
}

async function routeConfig(context: BrowserContext, signalingUrl: string): Promise<void> {
  await context.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ signaling: [signalingUrl], iceServers: [] }) }),
  );
}

/** Neither a refusal nor a fork is listed in the meeting bar's connection details. */
async function expectNoFork(page: Page): Promise<void> {
  expect(await page.getByText('Connection details').count()).toBe(0);
  expect(await page.getByText(/two versions of one change/).count()).toBe(0);
}
