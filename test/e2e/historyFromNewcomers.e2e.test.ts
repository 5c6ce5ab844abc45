import { askAndAdmit, chooseName, createGroup, newInviteLink, startMeeting, postWith, share, type Meeting, type WatchedPage } from './appHelpers.js';

/**
 * A facilitator turns "Newcomers can read earlier posts" off and admits Cy, in two Chromium
 * processes over the real signaling server: Cy's board, read back from its own IndexedDB with
 * nobody else online, holds only what was written after Cy joined (docs/PROTOCOL.md §13).
 */
describe('a group that keeps its history from newcomers, end to end', () => {
  let meeting: Meeting;
  let ana: WatchedPage;
  let cy: WatchedPage;

  const before = 'Before Cy joined: the hardest week I have had.';
  const after = 'After Cy joined: welcome, Cy.';
  const fromCy = 'Hello, I am new here.';

  beforeAll(async () => {
    meeting = await startMeeting(2);
    [ana, cy] = meeting.people as [WatchedPage, WatchedPage];
  });

  afterAll(async () => {
    await meeting?.close();
  });

  it('shows Cy, from its IndexedDB, only the posts written after Cy was let in', async () => {
    await ana.page.goto(meeting.app.url + '/');
    await chooseName(ana.page, 'Ana');
    await createGroup(ana.page, 'Harbour circle');
    await share(ana.page, before);
    await postWith(ana.page, before).waitFor();

    await ana.page.locator('hearth-members summary').filter({ hasText: /^Members \(/ }).click();
    const setting = ana.page.getByRole('checkbox', { name: 'Newcomers can read earlier posts' });
    expect(await setting.isChecked()).toBe(true);
    await setting.uncheck();
    await expect.poll(() => setting.isChecked()).toBe(false);

    await cy.page.goto(await newInviteLink(ana.page));
    await askAndAdmit(ana.page, cy.page, { guestName: 'Cy', groupName: 'Harbour circle', needsName: true });
    await share(ana.page, after);
    await postWith(cy.page, after).waitFor({ timeout: 90_000 });
    await share(cy.page, fromCy);
    await postWith(ana.page, fromCy).waitFor({ timeout: 90_000 });
    await postWith(ana.page, before).waitFor();
    expect(await postWith(cy.page, before).count()).toBe(0);

    // Nobody else online: what Cy's board shows now comes from Cy's own disk.
    await ana.page.close();
    await cy.page.reload();
    await cy.page.getByRole('heading', { level: 1, name: 'Harbour circle' }).waitFor({ timeout: 60_000 });
    await postWith(cy.page, after).waitFor({ timeout: 60_000 });
    await postWith(cy.page, fromCy).waitFor();
    expect(await postWith(cy.page, before).count()).toBe(0);
  });
});
