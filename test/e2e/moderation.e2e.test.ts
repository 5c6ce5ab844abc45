import { createAndAdmit, startMeeting, postWith, screenshotsAndAxe, share, type Meeting, type WatchedPage } from './appHelpers.js';

/**
 * Moderation between two people in two Chromium processes over the real signaling server:
 * Ana created the group (its facilitator), Bo joined from her invite. Controls are found by
 * role and accessible name only.
 */
describe('moderation, end to end', () => {
  let meeting: Meeting;
  let ana: WatchedPage;
  let bo: WatchedPage;
  const a11y: string[] = [];

  const anaStory = 'Sunday was hard. I went to the early meeting anyway.';
  const boStory = 'Two weeks today. Cooking dinner helps in the evenings.';

  beforeAll(async () => {
    meeting = await startMeeting(2);
    [ana, bo] = meeting.people as [WatchedPage, WatchedPage];
    await createAndAdmit(meeting.app.url, ana.page, bo.page, 'Tuesday evening circle');
    await share(ana.page, anaStory);
    await share(bo.page, boStory);
    for (const side of [ana, bo]) for (const text of [anaStory, boStory]) await postWith(side.page, text).waitFor();
  });

  afterAll(async () => {
    await meeting?.close();
  });

  async function openOptions(side: WatchedPage, text: string): Promise<void> {
    await postWith(side.page, text).getByRole('button', { name: 'Post options' }).click();
  }

  it('hides a post for members, and keeps it, marked, for its author and the facilitator', async () => {
    expect(await postWith(bo.page, anaStory).getByRole('button', { name: 'Post options' }).count()).toBe(0);
    await openOptions(ana, anaStory);
    a11y.push(...(await screenshotsAndAxe(ana.page, 'post-options')));
    await postWith(ana.page, anaStory).getByRole('button', { name: 'Hide for everyone' }).click();
    await postWith(ana.page, anaStory).getByText('Hidden from members').waitFor();
    await postWith(bo.page, anaStory).waitFor({ state: 'detached' });

    await openOptions(ana, boStory);
    await postWith(ana.page, boStory).getByRole('button', { name: 'Hide for everyone' }).click();
    await postWith(bo.page, boStory).getByText('Hidden from members').waitFor();
    await postWith(ana.page, boStory).getByText('Hidden from members').waitFor();
    a11y.push(...(await screenshotsAndAxe(bo.page, 'hidden-own-post')));

    await postWith(ana.page, anaStory).getByRole('button', { name: 'Show to everyone again' }).click();
    await postWith(bo.page, anaStory).waitFor();
  });

  it('pins a post to the top of every board', async () => {
    await postWith(ana.page, anaStory).getByRole('button', { name: 'Pin to the top' }).click();
    await postWith(bo.page, anaStory).getByText('Pinned').waitFor();
    await expect.poll(() => bo.page.getByRole('article').first().innerText()).toContain(anaStory);
  });

  it('lets Bo delete his own post, and it leaves Ana’s board too', async () => {
    const regret = 'I should not have written this here.';
    await share(bo.page, regret);
    await postWith(ana.page, regret).waitFor();
    await openOptions(bo, regret);
    await postWith(bo.page, regret).getByRole('button', { name: 'Delete my post…' }).click();
    a11y.push(...(await screenshotsAndAxe(bo.page, 'delete-confirm')));
    await postWith(bo.page, regret).getByRole('button', { name: 'Delete post' }).click();
    await postWith(bo.page, regret).waitFor({ state: 'detached' });
    await postWith(ana.page, regret).waitFor({ state: 'detached' });
  });

  it('lets Bo change his name in Settings, flagging one that matches Ana’s, and Ana sees the new name', async () => {
    await bo.page.getByRole('button', { name: 'Settings' }).click();
    const field = bo.page.getByRole('textbox', { name: 'Your name in your groups' });
    await field.fill('ana');
    await bo.page.getByText('Someone in this group already goes by that name.', { exact: false }).waitFor();
    a11y.push(...(await screenshotsAndAxe(bo.page, 'name-clash')));
    await field.fill('Bo B.');
    await bo.page.getByRole('button', { name: 'Change name' }).click();
    await postWith(ana.page, boStory).getByRole('heading', { name: /from Bo B\./ }).waitFor();
  });

  it('shows a fingerprint for an author on activation, from the keyboard', async () => {
    const author = postWith(ana.page, boStory).getByRole('button', { name: /^Bo B\./ });
    await author.focus();
    await ana.page.keyboard.press('Enter');
    await expect.poll(() => author.getAttribute('aria-expanded')).toBe('true');
    await postWith(ana.page, boStory).getByText(/^key [0-9A-Z]{4}-[0-9A-Z]{4}$/).waitFor();
  });

  it('passes axe-core on the new controls, light and dark, with no page error', () => {
    expect(a11y).toEqual([]);
    for (const side of [ana, bo]) {
      expect(side.errors).toEqual([]);
      expect(side.cspViolations).toEqual([]);
    }
  });
});
