import type { BrowserContext, Page } from 'playwright-core';
import { launchPersistent } from './harness.js';
import { askAndAdmit, chooseName, createGroup, newInviteLink, startMeeting, postWith, share, watchTopics, type Meeting, type WatchedPage } from './appHelpers.js';

type Profile = Awaited<ReturnType<typeof launchPersistent>>;

/**
 * Cy's own browser profile, kept across closing it: a member whose device was off while the
 * group moved to a new epoch, and who comes back knowing only the old room.
 */
async function openCy(userDataDir: string | undefined, signalingUrl: string): Promise<{ profile: Profile; page: Page; topics: string[] }> {
  const profile = await launchPersistent(userDataDir, { serviceWorkers: 'block' });
  await routeConfig(profile.context, signalingUrl);
  const page = profile.context.pages()[0] ?? (await profile.context.newPage());
  return { profile, page, topics: watchTopics(page) };
}

async function routeConfig(context: BrowserContext, signalingUrl: string): Promise<void> {
  await context.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ signaling: [signalingUrl], iceServers: [] }) }),
  );
}

const hearthRooms = (topics: string[]): string[] => topics.filter((t) => t.startsWith('hearth2-'));

describe('a member offline through a rotation finds the group again on its own', () => {
  let meeting: Meeting;
  let ana: WatchedPage;
  let bo: WatchedPage;
  let cy: Awaited<ReturnType<typeof openCy>> | undefined;
  let cyProfileDir = '';
  let anaTopics: string[] = [];
  let boTopics: string[] = [];
  let roomsBefore = new Set<string>();

  beforeAll(async () => {
    meeting = await startMeeting(2);
    [ana, bo] = meeting.people as [WatchedPage, WatchedPage];
    anaTopics = watchTopics(ana.page);
    boTopics = watchTopics(bo.page);
    cy = await openCy(undefined, meeting.signaling.url);
    cyProfileDir = cy.profile.userDataDir;
  });

  afterAll(async () => {
    await Promise.allSettled([meeting?.close(), cy?.profile.context.close()]);
    cy?.profile.remove();
  });

  it('sets up Ana, Bo and Cy in one group', async () => {
    await ana.page.goto(meeting.app.url + '/');
    await chooseName(ana.page, 'Ana');
    await createGroup(ana.page, 'Lighthouse circle');
    await bo.page.goto(await newInviteLink(ana.page));
    await askAndAdmit(ana.page, bo.page, { guestName: 'Bo', groupName: 'Lighthouse circle', needsName: true });
    await cy!.page.goto(await newInviteLink(ana.page));
    await askAndAdmit(ana.page, cy!.page, { guestName: 'Cy', groupName: 'Lighthouse circle', needsName: true });
    await share(ana.page, 'Before the move.');
    await postWith(bo.page, 'Before the move.').waitFor({ timeout: 90_000 });
    await postWith(cy!.page, 'Before the move.').waitFor({ timeout: 90_000 });
  });

  it('moves Ana to a new room when she removes Bo while Cy is away', async () => {
    await cy!.profile.context.close();
    roomsBefore = new Set(hearthRooms(anaTopics));
    await ana.page.locator('hearth-members summary').filter({ hasText: /^Members \(/ }).click();
    await ana.page.getByRole('button', { name: 'Remove Bo' }).click();
    await ana.page.getByRole('dialog', { name: 'Remove Bo from the group?' }).waitFor();
    await ana.page.getByRole('button', { name: 'Yes, remove Bo' }).click();
    await bo.page.getByText('You are no longer a member of this group').waitFor({ timeout: 90_000 });
    // Bo's page goes away, so nobody but Ana's device can tell Cy about the move.
    await bo.page.goto('about:blank');
    await share(ana.page, 'After the move, from Ana.');
    await postWith(ana.page, 'After the move, from Ana.').waitFor();
    await expect.poll(() => hearthRooms(anaTopics).filter((t) => !roomsBefore.has(t)).length, { timeout: 30_000 }).toBeGreaterThan(0);
  });

  it('brings Cy back knowing only the old room: Cy asks for the new room and syncs the post written after the move', async () => {
    cy = await openCy(cyProfileDir, meeting.signaling.url);
    await cy.page.goto(meeting.app.url + '/');
    await cy.page.getByRole('heading', { level: 1 }).filter({ hasText: 'Lighthouse circle' }).waitFor({ timeout: 30_000 });
    await postWith(cy.page, 'After the move, from Ana.').waitFor({ timeout: 90_000 });

    const newRooms = hearthRooms(anaTopics).filter((t) => !roomsBefore.has(t));
    expect(hearthRooms(cy.topics)[0]).toSatisfy((room: string) => roomsBefore.has(room));
    expect(newRooms.some((room) => cy!.topics.includes(room))).toBe(true);
    await cy.page.getByText(/Up to date with 1 person/).waitFor({ timeout: 90_000 });

    await share(cy.page, 'Cy is back.');
    await postWith(ana.page, 'Cy is back.').waitFor({ timeout: 90_000 });
  });

  it('gives Bo, removed and back in the old room with the two who linger there, nothing of the new epoch', async () => {
    await bo.context.addInitScript(() => {
      const counts = { connected: 0 };
      (window as unknown as { __peerConnections: typeof counts }).__peerConnections = counts;
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          this.addEventListener('connectionstatechange', () => {
            if (this.connectionState === 'connected') counts.connected += 1;
          });
        }
      };
    });
    await bo.page.goto(meeting.app.url + '/');
    await bo.page.getByText('You are no longer a member of this group').waitFor({ timeout: 30_000 });
    // Ana and Cy both linger in the room Bo knows: Bo's device reaches them, and hears nothing.
    await bo.page.waitForFunction(() => (window as unknown as { __peerConnections: { connected: number } }).__peerConnections.connected >= 1, undefined, { timeout: 90_000 });
    await bo.page.waitForTimeout(10_000);
    expect(await postWith(bo.page, 'After the move').count()).toBe(0);
    expect(await postWith(bo.page, 'Cy is back').count()).toBe(0);
    const newRooms = hearthRooms(anaTopics).filter((t) => !roomsBefore.has(t));
    for (const room of newRooms) expect(boTopics).not.toContain(room);
  });
});
