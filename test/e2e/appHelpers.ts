import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, startApp, startSignaling, type Signaling } from './harness.js';

/**
 * What the app end-to-end suites share: a page whose every request, websocket, dialog, page
 * error and CSP violation is recorded, config.json pointed at the test's signaling server,
 * axe-core, and screenshots into test-output/screenshots/.
 */

export const SCREENSHOTS = 'test-output/screenshots';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Every http(s) request and websocket the page opened, as URLs. */
  requests: string[];
  sockets: string[];
  dialogs: string[];
  errors: string[];
  cspViolations: string[];
  titles: string[];
}

/** The real signaling server on loopback, the built app, and a Chromium process per person, each with a watched page. */
export interface Meeting {
  signaling: Signaling;
  app: { url: string; close(): Promise<void> };
  browsers: Browser[];
  people: WatchedPage[];
  close(): Promise<void>;
}

/** Separate processes, so no BroadcastChannel or shared storage can carry the sync between people. */
export async function startMeeting(people: number, options: { bypassCSP?: boolean } = {}): Promise<Meeting> {
  const [signaling, app, ...browsers] = await Promise.all([startSignaling(), startApp(), ...Array.from({ length: people }, () => launchChromium())]);
  const pages = await Promise.all(browsers.map((browser) => openWatchedPage(browser, signaling.url, options)));
  return {
    signaling,
    app,
    browsers,
    people: pages,
    async close() {
      await Promise.allSettled(browsers.map((browser) => browser.close()));
      await Promise.allSettled([app.close(), signaling.close()]);
    },
  };
}

/**
 * A fresh context in `browser` whose config.json names the test's signaling server. Service
 * workers are blocked so the route sees config.json (the offline suite covers the worker).
 */
export async function openWatchedPage(
  browser: Browser,
  signalingUrl: string,
  options: { bypassCSP?: boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const watched: WatchedPage = { page, context, requests: [], sockets: [], dialogs: [], errors: [], cspViolations: [], titles: [] };
  await context.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ signaling: [signalingUrl], iceServers: [] }) }),
  );
  page.on('request', (request) => watched.requests.push(request.url()));
  page.on('websocket', (socket) => watched.sockets.push(socket.url()));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('console', (message) => {
    const text = message.text();
    // A CSP in a <meta> cannot carry frame-ancestors; Chromium says so. The header form would.
    if (/Content Security Policy/i.test(text) && !/frame-ancestors/.test(text)) watched.cspViolations.push(text);
  });
  await page.exposeFunction('__hearthCspViolation', (text: string) => watched.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __hearthCspViolation(text: string): void }).__hearthCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI}`,
      );
    });
  });
  return watched;
}

/** Records the document title now (the suite asserts it is always "Hearth"). */
export async function noteTitle(watched: WatchedPage): Promise<void> {
  watched.titles.push(await watched.page.title());
}

/** Origins of every request and websocket other than `allowed`. */
export function foreignOrigins(watched: WatchedPage, allowed: string[]): string[] {
  const foreign = new Set<string>();
  for (const url of [...watched.requests, ...watched.sockets]) {
    if (url.startsWith('data:') || url.startsWith('blob:')) continue;
    const origin = new URL(url).origin;
    if (!allowed.includes(origin)) foreign.add(url);
  }
  return [...foreign];
}

/** Runs axe-core over the page (open shadow roots included); returns violations as lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
  return violations;
}

/** Screenshots at phone and desktop widths, light and dark; returns the axe findings of each. */
export async function screenshotsAndAxe(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const findings: string[] = [];
  const original = page.viewportSize();
  for (const width of [360, 1280]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}-${colorScheme}.png`, fullPage: true });
      for (const line of await axeViolations(page)) findings.push(`${name} ${width}px ${colorScheme}: ${line}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (original) await page.setViewportSize(original);
  return findings;
}

/** The post (an article) whose text includes `text`. */
export function postWith(page: Page, text: string): Locator {
  return page.getByRole('article').filter({ hasText: text });
}

export async function chooseName(page: Page, name: string): Promise<void> {
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
}

export async function createGroup(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create a group' }).click();
  await page.getByLabel('Group name').fill(name);
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: name }).waitFor();
}

/** Opens the composer (folded to one line until tapped), unless it is open already. */
export async function openComposer(page: Page): Promise<void> {
  const opener = page.getByRole('button', { name: /^(Write a post|Continue your draft)…$/ });
  if (await opener.isVisible()) await opener.click();
  await page.getByLabel('Your post').waitFor();
}

/** Opens a post's reactions and encouragements (folded behind their count until asked for). */
export async function openResponses(page: Page, postText: string): Promise<Locator> {
  const post = postWith(page, postText);
  const toggle = post.getByRole('button', { name: /encouragements? · / });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  return post;
}

export async function share(page: Page, body: string, options: { kind?: 'Story' | 'Encouragement' | 'Victory'; milestoneDays?: number } = {}): Promise<void> {
  await openComposer(page);
  await page.getByRole('radio', { name: options.kind ?? 'Story' }).check();
  await page.getByLabel('Your post').fill(body);
  if (options.milestoneDays !== undefined) {
    await page.getByLabel('Milestone (optional)').fill(String(options.milestoneDays));
    await page.getByLabel('Milestone unit').selectOption({ label: 'Days' });
  }
  await page.getByRole('button', { name: 'Share', exact: true }).click();
}

export async function reply(page: Page, postText: string, body: string): Promise<void> {
  const post = await openResponses(page, postText);
  await post.getByLabel('Write an encouragement').fill(body);
  await post.getByRole('button', { name: 'Send encouragement' }).click();
}

/** The host opens "Invite someone" (a new one-time invite) and reads its link. */
export async function newInviteLink(host: Page): Promise<string> {
  await host.getByRole('button', { name: 'Invite someone' }).click();
  const field = host.getByRole('textbox', { name: 'Invite link' });
  await field.waitFor();
  return field.inputValue();
}

/**
 * The invite handshake in two pages: the guest (on the join screen already) asks, with a name
 * when it has none, reads the group's name and agrees; the host, on its invite screen, compares
 * the code and lets them in. Ends with the guest on the board and the host back on it.
 */
export async function askAndAdmit(host: Page, guest: Page, options: { guestName: string; groupName: string; needsName: boolean }): Promise<void> {
  if (options.needsName) await guest.getByLabel('Display name').fill(options.guestName);
  await guest.getByRole('button', { name: 'Ask to join' }).click();
  await guest.getByRole('heading', { name: `Join ${options.groupName}?` }).waitFor({ timeout: 60_000 });
  const code = (await guest.locator('strong.code').first().textContent())?.trim() ?? '';
  await guest.getByRole('checkbox', { name: /^I agree to keep what is shared here confidential/ }).check();
  await guest.getByRole('button', { name: 'I agree' }).click();
  if (!(await host.getByRole('heading', { name: 'Asking to join' }).isVisible())) await host.getByRole('button', { name: 'Invite someone' }).click();
  const admit = host.getByRole('button', { name: `Let ${options.guestName} in` });
  await host.getByText(`code ${code}`).waitFor({ timeout: 60_000 });
  await admit.and(host.locator(':enabled')).waitFor({ timeout: 60_000 });
  await admit.click();
  await guest.getByRole('heading', { level: 1, name: options.groupName }).waitFor({ timeout: 60_000 });
  await host.getByRole('button', { name: 'Back to the board' }).click();
}

/**
 * Two people meet online: the host names themself, creates a group and invites the guest, who
 * asks, agrees and is let in; ends once both are up to date with each other.
 */
export async function createAndAdmit(appUrl: string, host: Page, guest: Page, groupName: string): Promise<void> {
  await host.goto(appUrl + '/');
  await chooseName(host, 'Ana');
  await createGroup(host, groupName);
  const link = await newInviteLink(host);
  await host.getByRole('button', { name: 'Back to the board' }).click();
  await guest.goto(link);
  await askAndAdmit(host, guest, { guestName: 'Bo', groupName, needsName: true });
  await guest.getByText(/Up to date with 1 person/).waitFor({ timeout: 90_000 });
  await host.getByText(/Up to date with 1 person/).waitFor({ timeout: 90_000 });
}

/**
 * Waits until the post holding `text` is on the board, opening older posts as a person would:
 * the board renders a window of posts near the viewport ("Show older posts" loads more).
 */
export async function findOlderPost(page: Page, text: string, timeout = 90_000): Promise<Locator> {
  const post = postWith(page, text);
  const older = page.getByRole('button', { name: 'Show older posts' });
  const until = Date.now() + timeout;
  while (!(await post.isVisible())) {
    if (Date.now() > until) throw new Error(`no post with "${text}" after ${timeout} ms`);
    // Scrolling the button into view can move the window by itself, re-rendering the button
    // under the click; a short try, then look again, rather than one long retry on a moving target.
    if (await older.isVisible()) await older.click({ timeout: 2_000 }).catch(() => undefined);
    else await page.waitForTimeout(250);
  }
  return post;
}

/** The room ids a page asked the signaling server for: what the server sees. */
export function watchTopics(page: Page): string[] {
  const topics: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      try {
        const message = JSON.parse(String(payload)) as { type?: string; topics?: unknown };
        if (message.type === 'subscribe' && Array.isArray(message.topics)) for (const t of message.topics) if (typeof t === 'string') topics.push(t);
      } catch {
        // not JSON: not a subscription
      }
    }),
  );
  return topics;
}
