import ICAL from 'ical.js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { askAndAdmit, chooseName, createGroup } from './appHelpers.js';
import { launchPersistent, startApp, startSignaling, type Signaling } from './harness.js';
import { scanProfile, type Finding } from './profileScan.js';

/**
 * The week between meetings, end to end: two members in two Chromium processes with
 * persistent profiles, the built app under its service worker, the real signaling server on
 * loopback. A (the creator) sets the schedule; B reads it with the network off. A's private
 * check-in never leaves A's device (A's chain does not grow, B's store gains nothing), a
 * shared one reaches B. The calendar file parses with ical.js. Then A's profile is searched
 * for the private check-in and the recovery start date.
 */

const PLANTED = {
  privateNote: 'Quietfern-private-8k2w kept to myself',
  sharedNote: 'Sunlit-shared-4v9q better today',
  place: 'Larkspur-room-6c1t at the library',
  technique: 'Harbourlight-breath-5e3u',
  /** A start date no other part of the app would write. */
  recoveryStart: '2019-07-23',
};
const CONTROLS = {
  file: 'Week-scan-control-file-2h5j',
  indexedDbKey: 'Week-scan-control-idb-key-7m3x',
};

type Profile = Awaited<ReturnType<typeof launchPersistent>>;

/** How many envelopes the device holds, read straight from IndexedDB (sealed: no key needed to count). */
function envelopeCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('hearth');
        open.onerror = () => reject(new Error('cannot open hearth'));
        open.onsuccess = () => {
          const request = open.result.transaction('envelopes', 'readonly').objectStore('envelopes').count();
          request.onerror = () => reject(new Error('cannot count the envelopes'));
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result);
          };
        };
      }),
  );
}

/** The count once it has not changed for 2 s. */
async function settledCount(page: Page): Promise<number> {
  let last = await envelopeCount(page);
  for (let stable = 0; stable < 8; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await envelopeCount(page);
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

const describeFinding = (f: Finding): string => `${f.label} as ${f.encoding} in "${f.file}" at ${f.offset} (${f.layer}): …${f.context}…`;

describe('the week between meetings, end to end', () => {
  let signaling: Signaling;
  let app: { url: string; close(): Promise<void> };
  let profileA: Profile | undefined;
  let profileB: Profile | undefined;
  let pageA: Page;
  let pageB: Page;
  let appUrl = '';
  const errors: string[] = [];

  async function firstPage(profile: Profile): Promise<Page> {
    const page = profile.context.pages()[0] ?? (await profile.context.newPage());
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  beforeAll(async () => {
    [signaling, app, profileA, profileB] = await Promise.all([startSignaling(), startApp(), launchPersistent(), launchPersistent()]);
    appUrl = `${app.url}/?signaling=${encodeURIComponent(signaling.url)}`;
    pageA = await firstPage(profileA);
    pageB = await firstPage(profileB);
  });

  afterAll(async () => {
    await Promise.allSettled([profileA?.context.close(), profileB?.context.close()]);
    await Promise.allSettled([app?.close(), signaling?.close()]);
    profileA?.remove();
    profileB?.remove();
  });

  it('sets up a group of two, both under the service worker', async () => {
    await pageA.goto(appUrl);
    await chooseName(pageA, 'Ana');
    await createGroup(pageA, 'Thursday circle');
    await pageA.getByRole('button', { name: 'Invite someone' }).click();
    const link = await pageA.getByRole('textbox', { name: 'Invite link' }).inputValue();
    await pageA.getByRole('button', { name: 'Back to the board' }).click();
    await pageB.goto(appUrl + link.slice(link.indexOf('#')));
    await askAndAdmit(pageA, pageB, { guestName: 'Bo', groupName: 'Thursday circle', needsName: true });
    await pageB.getByText(/Up to date with 1 person/).waitFor({ timeout: 90_000 });
    await pageA.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
    await pageB.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
  });

  it('shows a schedule the creator set, and the coping shelf, to the other member, also with the network off', async () => {
    // A <summary> is a disclosure triangle in Chromium's accessibility tree, not a button.
    await pageA.getByText('Add a weekly meeting').click();
    await pageA.getByLabel('Day', { exact: true }).selectOption({ label: 'Thursday' });
    await pageA.getByLabel('Time', { exact: true }).fill('18:45');
    await pageA.getByLabel('Time zone').fill('Europe/London');
    await pageA.getByLabel('Place, or "online"').fill(PLANTED.place);
    await pageA.getByRole('button', { name: 'Add meeting' }).click();
    await pageB.getByText(PLANTED.place).waitFor({ timeout: 30_000 });
    await pageB.getByText('Thursdays at 18:45 (Europe/London)').waitFor();
    await pageA.getByRole('button', { name: 'Coping shelf' }).click();
    await pageA.getByLabel('Title').fill(PLANTED.technique);
    await pageA.getByLabel('A few lines about it').fill('Four counts in, four held, four out.');
    await pageA.getByRole('button', { name: 'Add to the shelf' }).click();
    await pageA.getByRole('heading', { name: PLANTED.technique }).waitFor();
    await pageA.getByRole('button', { name: 'Back to the board' }).click();

    await settledCount(pageB);
    await profileB!.context.setOffline(true);
    const response = await pageB.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await pageB.getByText('Offline — your posts are kept on this device').waitFor();
    await pageB.getByText(PLANTED.place).waitFor();
    await expect.poll(async () => (await pageB.getByRole('timer').first().textContent())?.trim()).toMatch(/^(in \d|happening now)/);
    await pageB.getByRole('button', { name: 'Coping shelf' }).click();
    await pageB.getByRole('heading', { name: PLANTED.technique }).waitFor({ timeout: 30_000 });
    await pageB.getByRole('button', { name: 'This helped me too' }).waitFor();
    await pageB.getByRole('button', { name: 'Back to the board' }).click();
    await profileB!.context.setOffline(false);
    await pageB.reload();
    await pageB.getByText(/Up to date with 1 person/).waitFor({ timeout: 90_000 });
  });

  it("keeps a private check-in on A's device: A's chain does not advance and B's store gains nothing", async () => {
    const [beforeA, beforeB] = await Promise.all([settledCount(pageA), settledCount(pageB)]);
    await pageA.getByText('Check in: how are you today?').click();
    await pageA.getByRole('radio', { name: 'Hard', exact: true }).check();
    await pageA.getByLabel('A line about it (optional)').fill(PLANTED.privateNote);
    await pageA.getByRole('button', { name: 'Save check-in' }).click();
    await pageA.getByRole('status').getByText('Check-in kept on this device only.').waitFor();
    await pageA.getByText('Your last 30 days', { exact: true }).click();
    await pageA.getByText('Your last 30 days in words').click();
    await pageA.getByRole('list', { name: 'Your check-ins, last 30 days' }).getByText(/Hard \(2 of 5\)/).waitFor();
    expect(await settledCount(pageA)).toBe(beforeA);
    expect(await settledCount(pageB)).toBe(beforeB);
    expect(await pageB.getByText(PLANTED.privateNote).count()).toBe(0);

    await pageA.getByRole('radio', { name: 'Good', exact: true }).check();
    await pageA.getByLabel('A line about it (optional)').fill(PLANTED.sharedNote);
    await pageA.getByRole('radio', { name: 'Share with the group' }).check();
    await pageA.getByRole('button', { name: 'Save check-in' }).click();
    await pageB.getByRole('list', { name: 'Today in the group' }).getByText(PLANTED.sharedNote).waitFor({ timeout: 30_000 });
    expect(await settledCount(pageA)).toBe(beforeA + 1);
    expect(await settledCount(pageB)).toBe(beforeB + 1);
    expect(await pageB.getByText(PLANTED.privateNote).count()).toBe(0);
  });

  it('makes a calendar file on the device that ical.js reads as a weekly "Hearth meeting"', async () => {
    await pageB.getByText('Add to your calendar').click();
    const [download] = await Promise.all([pageB.waitForEvent('download'), pageB.getByRole('button', { name: 'Download calendar file' }).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe('Hearth meeting');
    expect(event.location).toBe(PLANTED.place);
    expect(event.startDate.toString()).toMatch(/T18:45:00$/);
    expect(String((event.component.getFirstPropertyValue('rrule') as ICAL.Recur).parts.BYDAY)).toBe('TH');
    expect(text).not.toContain('Thursday circle');
  });

  it('counts recovery days from a start date kept on this device, and shares nothing unasked', async () => {
    const before = await settledCount(pageA);
    await pageA.getByText('Count your days').click();
    await pageA.getByLabel('When did you start?').fill(PLANTED.recoveryStart);
    await pageA.getByRole('button', { name: 'Start counting' }).click();
    await pageA.getByRole('button', { name: 'Share as a victory' }).waitFor();
    expect(await settledCount(pageA)).toBe(before);
  });

  it("leaves no trace of the private check-in or the recovery start date in A's profile", async () => {
    await pageA.evaluate(async (controls) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('week-scan-control', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('control');
        open.onerror = () => reject(new Error('cannot open the control database'));
        open.onsuccess = () => resolve(open.result);
      });
      const tx = db.transaction('control', 'readwrite');
      tx.objectStore('control').put(1, controls.indexedDbKey);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error('cannot write the control'));
      });
      db.close();
    }, CONTROLS);
    await settledCount(pageA);
    const userDataDir = profileA!.userDataDir;
    await profileA!.context.close(); // flushes every store to disk
    profileA = undefined;
    writeFileSync(join(userDataDir, 'week-scan-control.txt'), CONTROLS.file);
    try {
      const scan = scanProfile(userDataDir, { ...PLANTED, ...CONTROLS });
      const found = (label: string) => scan.findings.filter((finding) => finding.label === label);
      // The scan sees a plain file and an IndexedDB key written beside Hearth's data ...
      expect(found('file').map((f) => f.encoding)).toContain('utf8');
      expect(found('indexedDbKey').map((f) => f.encoding)).toContain('utf16be');
      expect(scan.unreadable).toEqual([]);
      // ... and nothing the person kept to themselves, or shared with the group, in clear.
      expect(scan.findings.filter((f) => f.label in PLANTED).map(describeFinding)).toEqual([]);
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
  });
});
