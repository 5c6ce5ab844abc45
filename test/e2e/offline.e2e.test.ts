import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ready, toBase64Url, toHex } from '../../crypto/index.js';
import { ONE_TIME_INVITE_PREFIX, parseOneTimeInvite } from '../../src/sync/oneTimeInvite.js';
import { askAndAdmit, chooseName, createGroup, newInviteLink, openComposer, openResponses, openWatchedPage, postWith, reply, share, type WatchedPage } from './appHelpers.js';
import { launchChromium, launchPersistent, startApp, startSignaling, type Signaling } from './harness.js';
import { scanProfile, snappyDecompress, type Finding } from './profileScan.js';

/**
 * "Offline and installable: the board reads and accepts posts with no network, stored only as
 * ciphertext." One member (Ana's device, A) in a Chromium with a persistent profile directory,
 * the built app under its service worker, a second member (B) in a separate Chromium process,
 * and the real signaling server on loopback. A reads and writes with the network off, across a
 * reload and a browser restart; the offline post reaches B once A is back online; and then every
 * byte of A's profile is searched for anything the group wrote.
 */

/** Distinctive strings the group writes or types; none may reach the disk in clear. */
const PLANTED = {
  nameA: 'Zephyrine-Q',
  nameB: 'Marisol-Vk8',
  group: 'Grove-of-Tuesdays-19',
  story: 'PLANTED-BODY-7f3a quiet dawn walk',
  victory: 'Lantern-hymn-2c9e thirty days',
  reply: 'Brambleway-reply-k4xu proud',
  warning: 'Tamarack-veil-9p2m',
  warned: 'Cinderfall-note-3j8r behind a warning',
  offline: 'Offline-zinnia-6b1w written unplugged',
  draft: 'Halfsaid-draft-5n7c never sent',
  draftWarning: 'Mossgate-cw-0r4h',
  draftReply: 'Wrenfield-unsent-2y6d',
  crisisLine: 'Quillbrook-line-7t2k',
  contact: 'Harrowmere-contact-4d9s',
};
/** Strings deliberately written where the scan must find them, proving it can see each kind of file. */
const CONTROLS = {
  file: 'Scan-control-file-u8-31d7',
  localStorage: 'Scan-control-Ωlocal-storage-88q2', // Ω: Chromium stores the value as UTF-16LE
  indexedDbKey: 'Scan-control-idb-key-x5t0', // IndexedDB keys are UTF-16BE
  compressedValue: 'Scan-control-squeezed-p3w8', // inside a large value Chromium stores Snappy-compressed
  tableBlock: 'Scan-control-tabled-h6e1', // in values that fill the log until LevelDB writes a compressed table
};

const NOT_YET_SHARED = 'Not yet shared';

type Profile = Awaited<ReturnType<typeof launchPersistent>>;

/** The stored envelopes' size, read straight from IndexedDB (no keys needed). */
function storedLogSize(page: Page): Promise<{ records: number; bytes: number }> {
  return page.evaluate(
    () =>
      new Promise<{ records: number; bytes: number }>((resolve, reject) => {
        const open = indexedDB.open('hearth');
        open.onerror = () => reject(new Error('cannot open hearth'));
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('envelopes', 'readonly').objectStore('envelopes').getAll();
          request.onerror = () => reject(new Error('cannot read the envelopes'));
          request.onsuccess = () => {
            const rows = request.result as { ct?: Uint8Array }[];
            db.close();
            resolve({ records: rows.length, bytes: rows.reduce((sum, row) => sum + (row.ct?.byteLength ?? 0), 0) });
          };
        };
      }),
  );
}

/** Waits until the store has written the envelopes and stopped writing. */
async function waitUntilStored(page: Page): Promise<void> {
  let last = '';
  let stableSince = Date.now();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const size = await storedLogSize(page);
    const now = JSON.stringify(size);
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (size.records > 0 && Date.now() - stableSince >= 1_500) {
      return;
    }
    if (Date.now() > deadline) throw new Error(`stored log never settled: ${now}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function describeFinding(finding: Finding): string {
  return `${finding.label} as ${finding.encoding} in "${finding.file}" at ${finding.offset} (${finding.layer}): …${finding.context}…`;
}

describe('offline and installable: the board reads and accepts posts with no network, stored only as ciphertext', () => {
  let signaling: Signaling;
  let app: { url: string; close(): Promise<void> };
  let profile: Profile | undefined;
  let userDataDir = '';
  let browserB: Browser;
  let pageA: Page;
  let bo: WatchedPage;
  let appUrl = '';
  /** The invite's seed, which A keeps to host the invite: never on A's disk except sealed. */
  const secrets: Record<string, string | Uint8Array> = {};
  const errorsA: string[] = [];

  function watch(page: Page): Page {
    page.on('pageerror', (error) => errorsA.push(error.message));
    return page;
  }

  async function firstPage(context: BrowserContext): Promise<Page> {
    return watch(context.pages()[0] ?? (await context.newPage()));
  }

  beforeAll(async () => {
    let launched: Profile;
    [signaling, app, launched, browserB] = await Promise.all([startSignaling(), startApp(), launchPersistent(), launchChromium()]);
    profile = launched;
    userDataDir = launched.userDataDir;
    // The app reads its signaling server from the address, so the service worker's cached config.json stays as built.
    appUrl = `${app.url}/?signaling=${encodeURIComponent(signaling.url)}`;
    pageA = await firstPage(launched.context);
    bo = await openWatchedPage(browserB, signaling.url);
  });

  afterAll(async () => {
    await Promise.allSettled([profile?.context.close(), browserB?.close()]);
    await Promise.allSettled([app?.close(), signaling?.close()]);
    // By path: `profile` is unset while the browser is closed between steps.
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('decodes Snappy literals and overlapping back-references as LevelDB writes them', () => {
    // "abcabcabcX": a 3-byte literal, a 6-byte copy at distance 3 (overlapping), a literal "X".
    const compressed = Buffer.from([10, 0x08, 0x61, 0x62, 0x63, 0x09, 0x03, 0x00, 0x58]);
    expect(snappyDecompress(compressed).toString('latin1')).toBe('abcabcabcX');
  });

  it('lets a member create a group and post while the service worker takes control, and a second member join', async () => {
    await pageA.goto(appUrl);
    await chooseName(pageA, PLANTED.nameA);
    await createGroup(pageA, PLANTED.group);
    await pageA.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });

    await share(pageA, PLANTED.story);
    await postWith(pageA, PLANTED.story).waitFor();
    await share(pageA, PLANTED.victory, { kind: 'Victory', milestoneDays: 30 });
    await postWith(pageA, PLANTED.victory).getByText('30 days').waitFor();
    await reply(pageA, PLANTED.story, PLANTED.reply);
    await postWith(pageA, PLANTED.story).getByText(PLANTED.reply).waitFor();
    await openComposer(pageA);
    await pageA.getByLabel('Your post').fill(PLANTED.warned);
    await pageA.getByLabel('Content warning (optional)').fill(PLANTED.warning);
    await pageA.getByRole('button', { name: 'Share', exact: true }).click();
    // My own warned post stays readable to me; others see the button.
    await postWith(pageA, PLANTED.warning).getByText(PLANTED.warned).waitFor();

    // A line the group adds to Support now, and a person of A's own to call (kept on the device).
    await pageA.getByRole('button', { name: 'Support now' }).click();
    const support = pageA.getByRole('dialog', { name: 'Support now' });
    await support.getByLabel('Line name').fill(PLANTED.crisisLine);
    await support.getByLabel('Line number').fill('0800 555 0199');
    await support.getByRole('button', { name: 'Add line for the group' }).click();
    await support.getByRole('link', { name: 'Call 0800 555 0199' }).waitFor();
    await support.getByLabel('Name', { exact: true }).fill(PLANTED.contact);
    await support.getByLabel('Phone number').fill('07700 900456');
    await support.getByRole('button', { name: 'Add person' }).click();
    await support.getByRole('link', { name: `Call ${PLANTED.contact}` }).waitFor();
    await support.getByRole('button', { name: 'Close' }).click();

    const link = await newInviteLink(pageA);
    await ready();
    const invite = parseOneTimeInvite(link);
    if (!invite.ok) throw new Error(`the app's invite link does not parse: ${invite.error}`);
    Object.assign(secrets, {
      inviteFragment: link.slice(link.indexOf(ONE_TIME_INVITE_PREFIX) + ONE_TIME_INVITE_PREFIX.length),
      inviteSeedBytes: invite.invite.seed,
      inviteSeedBase64: toBase64Url(invite.invite.seed),
      inviteSeedHex: toHex(invite.invite.seed),
    });

    await bo.page.goto(link);
    await askAndAdmit(pageA, bo.page, { guestName: PLANTED.nameB, groupName: PLANTED.group, needsName: true });
    await bo.page.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
    await pageA.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
    await postWith(bo.page, PLANTED.story).waitFor({ timeout: 30_000 });
    await (await openResponses(bo.page, PLANTED.story)).getByText(PLANTED.reply).waitFor({ timeout: 30_000 });
    await postWith(bo.page, PLANTED.victory).waitFor();
    await postWith(bo.page, PLANTED.warning).getByRole('button', { name: /Show post/ }).waitFor();
    // Posts written before anyone else was here were marked, and the mark cleared once B had them.
    await expect.poll(() => pageA.getByText(NOT_YET_SHARED).count(), { timeout: 30_000 }).toBe(0);
  });

  it('reloads with the network off into the whole board, served by the service worker', async () => {
    await waitUntilStored(pageA);
    await profile!.context.setOffline(true);
    const response = await pageA.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await pageA.getByRole('heading', { level: 1, name: PLANTED.group }).waitFor();
    await (await openResponses(pageA, PLANTED.story)).getByText(PLANTED.reply).waitFor();
    await postWith(pageA, PLANTED.victory).getByText('30 days').waitFor();
    await pageA.getByText('Offline — your posts are kept on this device').waitFor();
  });

  it('shows the crisis lines, the group’s own and my people to call with the network off, as tel: links', async () => {
    await pageA.getByRole('button', { name: 'Support now' }).click();
    const support = pageA.getByRole('dialog', { name: 'Support now' });
    for (const [name, href] of [
      ['Call 988', 'tel:988'],
      ['Call 116 123', 'tel:116123'],
      ['Call 112', 'tel:112'],
      ['Call 911', 'tel:911'],
      ['Call 0800 555 0199', 'tel:08005550199'],
      [`Call ${PLANTED.contact}`, 'tel:07700900456'],
    ]) {
      expect(await support.getByRole('link', { name, exact: true }).getAttribute('href')).toBe(href);
    }
    await support.getByRole('list', { name: 'Lines this group added' }).getByText(PLANTED.crisisLine).first().waitFor();
    await support.getByRole('button', { name: 'Close' }).click();
  });

  it('restarts the browser on the same profile with the network off and opens the board', async () => {
    await waitUntilStored(pageA);
    await profile!.context.close();
    profile = undefined;
    profile = await launchPersistent(userDataDir);
    await profile.context.setOffline(true);
    pageA = await firstPage(profile.context);
    const response = await pageA.goto(appUrl);
    expect(response?.fromServiceWorker()).toBe(true);
    await pageA.getByRole('heading', { level: 1, name: PLANTED.group }).waitFor({ timeout: 30_000 });
    await (await openResponses(pageA, PLANTED.story)).getByText(PLANTED.reply).waitFor();
    await postWith(pageA, PLANTED.victory).getByText('30 days').waitFor();
    await pageA.getByText('Offline — your posts are kept on this device').waitFor();
  });

  it('accepts a post offline at once, marked "Not yet shared", and keeps the mark across a reload', async () => {
    await share(pageA, PLANTED.offline);
    await postWith(pageA, PLANTED.offline).getByText(NOT_YET_SHARED).waitFor();
    expect(await pageA.getByText(NOT_YET_SHARED).count()).toBe(1);
    await waitUntilStored(pageA);
    await pageA.reload();
    await postWith(pageA, PLANTED.offline).getByText(NOT_YET_SHARED).waitFor();
  });

  it('delivers the offline post to the other member once back online, and clears the mark', async () => {
    await profile!.context.setOffline(false);
    await postWith(bo.page, PLANTED.offline).waitFor({ timeout: 90_000 });
    await pageA.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
    await postWith(pageA, PLANTED.offline).getByText(NOT_YET_SHARED).waitFor({ state: 'detached', timeout: 30_000 });
    // B's device credits A by name: the names travelled too, sealed.
    await postWith(bo.page, PLANTED.offline).getByRole('heading', { name: new RegExp(`from ${PLANTED.nameA}`) }).waitFor();
    expect(errorsA).toEqual([]);
    expect(bo.errors).toEqual([]);
  });

  it("leaves no post, reply, draft, name, group name or group secret anywhere in the profile's files", async () => {
    // Unsent words in every text field when the browser closes: session restore must not keep them.
    await openComposer(pageA);
    await pageA.getByLabel('Your post').fill(PLANTED.draft);
    await pageA.getByLabel('Content warning (optional)').fill(PLANTED.draftWarning);
    await (await openResponses(pageA, PLANTED.story)).getByLabel('Write an encouragement').fill(PLANTED.draftReply);
    // The draft is kept, sealed: a reload (a new runtime reading the store) offers it back.
    await pageA.waitForTimeout(1_500);
    await pageA.reload();
    await pageA.getByRole('button', { name: 'Continue your draft…' }).click();
    expect(await pageA.getByLabel('Your post').inputValue()).toBe(PLANTED.draft);
    expect(await pageA.getByLabel('Content warning (optional)').inputValue()).toBe(PLANTED.draftWarning);
    await (await openResponses(pageA, PLANTED.story)).getByLabel('Write an encouragement').fill(PLANTED.draftReply);

    // Controls, written by the same browser where Chromium keeps page data in clear. The filler
    // (~6 MB) makes LevelDB flush this origin's IndexedDB, Hearth's records included, into a
    // compressed table, so the scan also reads the app's data in that form.
    await pageA.evaluate(async (controls) => {
      localStorage.setItem('scan-control', controls.localStorage);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('scan-control', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('control');
        open.onerror = () => reject(new Error('cannot open scan-control'));
        open.onsuccess = () => resolve(open.result);
      });
      const tx = db.transaction('control', 'readwrite');
      const store = tx.objectStore('control');
      store.put(1, controls.indexedDbKey);
      store.put(`${'filler text '.repeat(20_000)}${controls.compressedValue}`, 'compressed');
      for (let i = 0; i < 130; i++) store.put(`${'lorem ipsum dolor '.repeat(2_500)}${controls.tableBlock} ${i}`, `table-${i}`);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error('cannot write scan-control'));
      });
      db.close();
    }, CONTROLS);
    await waitUntilStored(pageA);
    await profile!.context.close(); // flushes every store to disk
    profile = undefined;
    writeFileSync(join(userDataDir, 'scan-control.txt'), CONTROLS.file);

    const appAddress = `${new URL(app.url).host}/?signaling=`;
    const scan = scanProfile(userDataDir, { ...PLANTED, ...secrets, ...CONTROLS, appAddress });
    const found = (label: string) => scan.findings.filter((finding) => finding.label === label);
    console.log(
      `offline e2e: scanned ${scan.files} files (${(scan.bytes / 1e6).toFixed(1)} MB), ${scan.levelDbFiles} LevelDB files, ` +
        `${scan.decompressed.blocks} compressed table blocks and ${scan.decompressed.indexedDbValues} compressed IndexedDB values decompressed`,
    );

    // The scan sees what is there: each control, where and how Chromium stores it ...
    expect(found('file').map((f) => f.encoding)).toContain('utf8');
    expect(found('localStorage').map((f) => f.encoding)).toContain('utf16le');
    expect(found('indexedDbKey').map((f) => f.encoding)).toContain('utf16be');
    expect(found('compressedValue').map((f) => f.layer)).toContain('indexeddb-value');
    expect(found('tableBlock').map((f) => f.layer)).toContain('leveldb-block');
    expect(scan.unreadable).toEqual([]);
    // ... and it reads the files where Chromium records pages: the address is there, titled only "Hearth".
    const recorded = new Set(found('appAddress').map((f) => f.file));
    expect(recorded).toContain(join('Default', 'History'));
    expect([...recorded].some((file) => file.startsWith(join('Default', 'Sessions')))).toBe(true);

    const leaks = scan.findings.filter((finding) => finding.label in PLANTED || finding.label in secrets).map(describeFinding);
    expect(leaks).toEqual([]);
  });
});
