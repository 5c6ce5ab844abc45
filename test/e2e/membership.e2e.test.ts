import { JOIN_REFUSAL_MESSAGES } from '../../src/sync/oneTimeInvite.js';
import { askAndAdmit, chooseName, createGroup, newInviteLink, openWatchedPage, startMeeting, postWith, share, watchTopics, type Meeting, type WatchedPage } from './appHelpers.js';

describe('membership in three browsers: invite two, remove one', () => {
  let meeting: Meeting;
  let ana: WatchedPage;
  let bo: WatchedPage;
  let cy: WatchedPage;
  let cyLink = '';
  const topics: Record<string, string[]> = {};

  beforeAll(async () => {
    meeting = await startMeeting(3);
    [ana, bo, cy] = meeting.people as [WatchedPage, WatchedPage, WatchedPage];
    topics.ana = watchTopics(ana.page);
    topics.cy = watchTopics(cy.page);
  });

  afterAll(async () => {
    await meeting?.close();
  });

  it('lets Ana create a group and let Bo and Cy in with one-time invites', async () => {
    await ana.page.goto(meeting.app.url + '/');
    await chooseName(ana.page, 'Ana');
    await createGroup(ana.page, 'Harbour circle');
    const boLink = await newInviteLink(ana.page);
    await bo.page.goto(boLink);
    await askAndAdmit(ana.page, bo.page, { guestName: 'Bo', groupName: 'Harbour circle', needsName: true });
    cyLink = await newInviteLink(ana.page);
    await cy.page.goto(cyLink);
    await askAndAdmit(ana.page, cy.page, { guestName: 'Cy', groupName: 'Harbour circle', needsName: true });
    await share(ana.page, 'Before anyone left.');
    await postWith(bo.page, 'Before anyone left.').waitFor({ timeout: 60_000 });
    await postWith(cy.page, 'Before anyone left.').waitFor({ timeout: 60_000 });
  });

  it('removes Cy: Ana and Bo keep syncing in a new room, Cy reads nothing new and is told', async () => {
    const roomsBefore = new Set(topics.ana!.filter((t) => t.startsWith('hearth2-')));
    await ana.page.locator('hearth-members summary').filter({ hasText: /^Members \(/ }).click();
    await ana.page.getByRole('button', { name: 'Remove Cy' }).click();
    await ana.page.getByRole('dialog', { name: 'Remove Cy from the group?' }).waitFor();
    await ana.page.getByRole('button', { name: 'Yes, remove Cy' }).click();
    await cy.page.getByText('You are no longer a member of this group').waitFor({ timeout: 60_000 });
    await cy.page.getByRole('button', { name: 'Delete this group from this device' }).waitFor();

    await share(ana.page, 'After Cy left, from Ana.');
    await postWith(bo.page, 'After Cy left, from Ana.').waitFor({ timeout: 60_000 });
    await share(bo.page, 'After Cy left, from Bo.');
    await postWith(ana.page, 'After Cy left, from Bo.').waitFor({ timeout: 60_000 });

    const newRooms = topics.ana!.filter((t) => t.startsWith('hearth2-') && !roomsBefore.has(t));
    expect(newRooms.length).toBeGreaterThan(0);
    for (const room of newRooms) expect(topics.cy).not.toContain(room);
    await cy.page.waitForTimeout(5_000);
    expect(await postWith(cy.page, 'After Cy left').count()).toBe(0);
  });

  it("admits no one with Cy's old invite, or any copy of it", async () => {
    const copy = await openWatchedPage(meeting.browsers[2]!, meeting.signaling.url);
    await copy.page.goto(cyLink);
    await copy.page.getByLabel('Display name').fill('Dee');
    await copy.page.getByRole('button', { name: 'Ask to join' }).click();
    await copy.page.getByText(JOIN_REFUSAL_MESSAGES.used).waitFor({ timeout: 60_000 });
    await copy.context.close();
  });
});
