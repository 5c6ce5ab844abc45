import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { startRedis } from '../../scripts/redis.mjs';
import { startDistServer } from '../../scripts/serveDist.mjs';
import { askAndAdmit, chooseName, createGroup, newInviteLink, openWatchedPage, postWith, share, type WatchedPage } from '../e2e/appHelpers.js';
import { launchChromium } from '../e2e/harness.js';
import { startSignalingProcess, type SignalingProcess } from '../../scripts/signalingProcess.mjs';

/**
 * Scale-out, end to end: a real redis-server, two signaling processes bridged through it, the
 * built app served by production mode (its CSP header lists both processes, from config.json),
 * and two Chromium processes. First each person reaches a different signaling process
 * only; then both list both (as a deployment's config.json would), one process is killed, and
 * the meeting goes on while a newcomer still gets in through the other.
 */
describe('signaling scale-out behind Redis, end to end', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let east: SignalingProcess;
  let west: SignalingProcess;
  let app: Awaited<ReturnType<typeof startDistServer>>;
  const deployment = mkdtempSync(join(tmpdir(), 'hearth-deployment-'));
  let browserA: Browser;
  let browserB: Browser;
  let ana: WatchedPage;
  let bo: WatchedPage;
  const signalingOf = new Map<BrowserContext, string[]>();

  /** Serves this context a config.json that lists `urls`; later routes win over openWatchedPage's. */
  async function useSignaling(side: WatchedPage, urls: string[]): Promise<void> {
    const routed = signalingOf.has(side.context);
    signalingOf.set(side.context, urls);
    if (routed) return;
    await side.context.route('**/config.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ signaling: signalingOf.get(side.context), iceServers: [] }),
      }),
    );
  }

  async function invite(): Promise<string> {
    const link = await newInviteLink(ana.page);
    await ana.page.getByRole('button', { name: 'Back to the board' }).click();
    return link;
  }

  beforeAll(async () => {
    redis = await startRedis();
    [east, west, browserA, browserB] = await Promise.all([
      startSignalingProcess('east', { REDIS_URL: redis.url }),
      startSignalingProcess('west', { REDIS_URL: redis.url }),
      launchChromium(),
      launchChromium(),
    ]);
    const configPath = join(deployment, 'config.json');
    writeFileSync(configPath, JSON.stringify({ signaling: [east.url, west.url], iceServers: [] }));
    app = await startDistServer({ dist: fileURLToPath(new URL('../../dist', import.meta.url)), configPath, port: 0 });
    ana = await openWatchedPage(browserA, east.url);
    bo = await openWatchedPage(browserB, west.url);
  });

  afterAll(async () => {
    await Promise.allSettled([browserA?.close(), browserB?.close()]);
    await Promise.allSettled([app?.close(), east?.stop(), west?.stop()]);
    await redis?.close();
    rmSync(deployment, { recursive: true, force: true });
  });

  it('lets two people on different signaling processes join one group and sync posts both ways', async () => {
    await useSignaling(ana, [east.url]);
    await useSignaling(bo, [west.url]);
    const response = await ana.page.goto(app.url + '/');
    expect(response?.headers()['content-security-policy']).toContain(`connect-src 'self' ${east.url} ${west.url};`);
    await chooseName(ana.page, 'Ana');
    await createGroup(ana.page, 'Thursday harbour circle');
    const link = await invite();

    await bo.page.goto(link);
    await askAndAdmit(ana.page, bo.page, { guestName: 'Bo', groupName: 'Thursday harbour circle', needsName: true });
    await bo.page.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
    await ana.page.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });

    await share(ana.page, 'Sent through the east door.');
    await postWith(bo.page, 'Sent through the east door.').waitFor();
    await share(bo.page, 'Answered through the west door.');
    await postWith(ana.page, 'Answered through the west door.').waitFor();

    const origins = (side: WatchedPage) => new Set(side.sockets.map((url) => new URL(url).origin).filter((o) => o.startsWith('ws:')));
    expect(origins(ana)).toEqual(new Set([new URL(east.url).origin]));
    expect(origins(bo)).toEqual(new Set([new URL(west.url).origin]));
  });

  it('keeps a connected meeting going when one listed signaling process dies, and lets a newcomer in through the other', async () => {
    // Both list both, as a deployment's config.json does; each now hears every publish twice.
    await useSignaling(ana, [east.url, west.url]);
    await useSignaling(bo, [east.url, west.url]);
    // Both pages announce at once here, the crossing offers the stalled-connection watchdog settles.
    await Promise.all([ana.page.reload(), bo.page.reload()]);
    await bo.page.getByText(/Up to date with 1 person/).waitFor({ timeout: 90_000 });
    await ana.page.getByText(/Up to date with 1 person/).waitFor({ timeout: 90_000 });
    const link = await invite();

    await east.kill();

    await share(ana.page, 'East went quiet and we are still here.');
    await postWith(bo.page, 'East went quiet and we are still here.').waitFor();
    await share(bo.page, 'Still hearing you.');
    await postWith(ana.page, 'Still hearing you.').waitFor();

    const cy = await openWatchedPage(browserB, west.url);
    await useSignaling(cy, [east.url, west.url]);
    await cy.page.goto(link);
    await askAndAdmit(ana.page, cy.page, { guestName: 'Cy', groupName: 'Thursday harbour circle', needsName: true });
    await postWith(cy.page, 'Still hearing you.').waitFor({ timeout: 60_000 });
    await ana.page.getByText(/Up to date with 2 people/).waitFor({ timeout: 60_000 });
    await share(cy.page, 'Glad to be here.');
    await postWith(bo.page, 'Glad to be here.').waitFor();

    for (const side of [ana, bo, cy]) {
      expect(side.errors).toEqual([]);
      expect(side.cspViolations).toEqual([]);
    }
    expect(west.output.join('\n')).not.toMatch(/hearth-|Thursday|harbour/);
    await cy.context.close();
  });
});
