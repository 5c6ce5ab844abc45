import { readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { askAndAdmit, chooseName, createGroup, newInviteLink, openWatchedPage, postWith, share, type WatchedPage } from './appHelpers.js';
import { launchChromium, launchPersistent, startApp, startSignaling, type Signaling } from './harness.js';

/**
 * "Nothing a member has seen is ever lost." Ana's device (A) runs in a Chromium with a
 * persistent profile; a second member (B) in another Chromium process. A reloads at once, or
 * its browser process is killed (SIGKILL), right after a post shows; then A opens again from
 * its own disk alone: B has left (or A is offline), so nothing can come back over the network.
 */

type Profile = Awaited<ReturnType<typeof launchPersistent>>;

const CONNECTED = /Up to date with 1 person/;
const UP_TO_DATE = /Up to date with \d+ (person|people)/;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let unique = 0;
const text = (what: string): string => `${what} ${Date.now().toString(36)}-${unique++}`;

/** The browser process of a profile (the one Chromium process without `--type=`), from /proc. */
function browserProcessIds(userDataDir: string): number[] {
  const ids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // the process ended meanwhile
    }
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((arg) => arg.startsWith('--type='))) ids.push(Number(entry));
  }
  return ids;
}

describe('durability: a reload or a killed browser right after a post shows loses nothing shown', () => {
  let signaling: Signaling;
  let app: { url: string; close(): Promise<void> };
  let profile: Profile | undefined;
  let userDataDir = '';
  let browserB: Browser;
  let pageA: Page;
  let bo: WatchedPage;
  let appUrl = '';
  let inviteLink = '';
  const errorsA: string[] = [];

  async function firstPage(context: BrowserContext): Promise<Page> {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => errorsA.push(error.message));
    return page;
  }

  /** A is online; B opens the board again from its own device and connects to A. */
  async function bReturns(): Promise<void> {
    await profile!.context.setOffline(false);
    await bo.page.goto(appUrl);
    await bo.page.getByText(CONNECTED).waitFor({ timeout: 90_000 });
    // A may still count B's previous tab until the network reports that connection gone (ICE
    // takes up to ~30 s to fail): what matters is that A is up to date with the B that is here.
    await pageA.getByText(UP_TO_DATE).waitFor({ timeout: 60_000 });
  }

  /** B's tab goes away: its peer connection closes, so A can get nothing more from it. */
  async function bLeaves(): Promise<void> {
    await bo.page.goto('about:blank');
  }

  /** SIGKILL to A's browser process: no pagehide, no shutdown, nothing flushed. */
  async function killA(): Promise<void> {
    const ids = browserProcessIds(userDataDir);
    if (ids.length === 0) throw new Error("cannot find A's browser process");
    const closed = new Promise<void>((resolve) => profile!.context.once('close', () => resolve()));
    for (const id of ids) process.kill(id, 'SIGKILL');
    await Promise.race([closed, sleep(10_000)]);
    profile = undefined;
  }

  /** Relaunches A on the same profile, offline (B has left too), so the board can only come from A's disk. */
  async function relaunchOffline(): Promise<void> {
    profile = await launchPersistent(userDataDir);
    await profile.context.setOffline(true);
    pageA = await firstPage(profile.context);
    await pageA.goto(appUrl);
    await pageA.getByRole('heading', { level: 1 }).filter({ hasText: 'Evening Lantern' }).waitFor({ timeout: 30_000 });
  }

  /** Every one of `posts` is on A's board (given a moment to load); fails naming those that are not. */
  async function shows(page: Page, ...posts: string[]): Promise<void> {
    const missing = async (): Promise<string[]> => {
      const texts = await page.getByRole('article').allTextContents();
      return posts.filter((post) => !texts.some((t) => t.includes(post)));
    };
    await expect.poll(missing, { timeout: 15_000 }).toEqual([]);
  }

  beforeAll(async () => {
    let launched: Profile;
    [signaling, app, launched, browserB] = await Promise.all([startSignaling(), startApp(), launchPersistent(), launchChromium()]);
    profile = launched;
    userDataDir = launched.userDataDir;
    appUrl = `${app.url}/?signaling=${encodeURIComponent(signaling.url)}`;
    pageA = await firstPage(launched.context);
    bo = await openWatchedPage(browserB, signaling.url);
  });

  afterAll(async () => {
    await Promise.allSettled([profile?.context.close(), browserB?.close()]);
    await Promise.allSettled([app?.close(), signaling?.close()]);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('sets up a group of two members, with the app under its service worker on A', async () => {
    await pageA.goto(appUrl);
    await chooseName(pageA, 'Ana');
    await createGroup(pageA, 'Evening Lantern');
    await pageA.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    inviteLink = await newInviteLink(pageA);

    await bo.page.goto(inviteLink);
    await askAndAdmit(pageA, bo.page, { guestName: 'Bo', groupName: 'Evening Lantern', needsName: true });
    await bo.page.getByText(CONNECTED).waitFor({ timeout: 90_000 });
    await pageA.getByText(CONNECTED).waitFor({ timeout: 90_000 });
    await bLeaves();
  });

  it('keeps an own post that just showed across an immediate reload, online and offline', async () => {
    const online = text('Own post, reloaded online');
    await share(pageA, online);
    await postWith(pageA, online).waitFor();
    await pageA.reload();
    await shows(pageA, online);

    const offline = text('Own post, reloaded offline');
    await profile!.context.setOffline(true);
    await share(pageA, offline);
    await postWith(pageA, offline).waitFor();
    await pageA.reload();
    await shows(pageA, online, offline);
    await profile!.context.setOffline(false);
  });

  it("keeps a peer's post that just showed across an immediate reload, online and offline", async () => {
    await bReturns();
    const online = text("Bo's post, A reloads online");
    await share(bo.page, online);
    await postWith(pageA, online).waitFor({ timeout: 30_000 });
    await Promise.all([pageA.reload(), bLeaves()]);
    await shows(pageA, online);

    await bReturns();
    const offline = text("Bo's post, A reloads offline");
    await share(bo.page, offline);
    await postWith(pageA, offline).waitFor({ timeout: 30_000 });
    await profile!.context.setOffline(true);
    await Promise.all([pageA.reload(), bLeaves()]);
    await shows(pageA, online, offline);
    await profile!.context.setOffline(false);
  });

  it('keeps an own post that showed the instant the browser process was killed', async () => {
    const post = text('Own post, then SIGKILL');
    await share(pageA, post);
    await postWith(pageA, post).waitFor();
    await killA();
    await relaunchOffline();
    await shows(pageA, post);
  });

  it("keeps a peer's post that showed 300 ms before the browser process was killed", async () => {
    await bReturns();
    const post = text("Bo's post, then SIGKILL 300 ms later");
    await share(bo.page, post);
    await postWith(pageA, post).waitFor({ timeout: 30_000 });
    await Promise.all([sleep(300), bLeaves()]);
    await killA();
    await relaunchOffline();
    await shows(pageA, post);
  });

  it('loses none of a burst of 50 own posts that the UI had shown when the process was killed midway', async () => {
    const burst = Array.from({ length: 50 }, (_, i) => text(`Burst post ${i + 1} of 50`));
    const shown = new Set<string>();
    let killing: Promise<void> | undefined;
    const watching = (async () => {
      while (!killing) {
        const texts = await pageA.getByRole('article').allTextContents().catch(() => []);
        for (const post of burst) if (texts.some((t) => t.includes(post))) shown.add(post);
        if (shown.size >= 25) killing = killA();
      }
    })();
    for (const post of burst) {
      if (killing) break;
      await share(pageA, post).catch(() => undefined); // the page dies under it
    }
    await watching;
    await killing;
    expect(shown.size).toBeGreaterThanOrEqual(25);
    expect(shown.size).toBeLessThan(50);

    await relaunchOffline();
    await shows(pageA, ...shown);
    expect(errorsA).toEqual([]);
  });

  it('keeps the words of a post the disk refuses: a plain error, no post shown, and the words back as the draft', async () => {
    const refused = text('Words a full disk refused');
    // IndexedDB refuses every write as a full disk does (test/store/fullDisk.ts, in the page).
    await pageA.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      (window as unknown as { restorePut: () => void }).restorePut = () => void (IDBObjectStore.prototype.put = put);
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await share(pageA, refused);
    await pageA.getByRole('alert').filter({ hasText: 'so it was not shared' }).filter({ hasText: 'Your words are kept' }).waitFor({ timeout: 30_000 });
    expect(await pageA.getByRole('article').allTextContents()).not.toContainEqual(expect.stringContaining(refused));

    await pageA.evaluate(() => (window as unknown as { restorePut: () => void }).restorePut());
    await pageA.getByRole('button', { name: 'Continue your draft…' }).click();
    expect(await pageA.getByLabel('Your post').inputValue()).toBe(refused);
    await pageA.getByRole('button', { name: 'Share', exact: true }).click();
    await postWith(pageA, refused).waitFor();
    await pageA.reload();
    await shows(pageA, refused);
    expect(errorsA).toEqual([]);
  });
});
