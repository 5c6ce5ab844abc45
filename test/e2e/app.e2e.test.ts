import { JOIN_REFUSAL_MESSAGES, ONE_TIME_INVITE_MESSAGES } from '../../src/sync/oneTimeInvite.js';
import {
  chooseName,
  createGroup,
  foreignOrigins,
  noteTitle,
  openResponses,
  openWatchedPage,
  startMeeting,
  postWith,
  reply,
  screenshotsAndAxe,
  share,
  askAndAdmit,
  newInviteLink,
  type Meeting,
  type WatchedPage,
} from './appHelpers.js';

/**
 * Two people, two separate Chromium processes (so no BroadcastChannel can carry the sync),
 * the built app and the real signaling server on loopback. Controls are found only by role
 * and accessible name, as a person with a screen reader would find them.
 */
describe('the app, end to end', () => {
  let meeting: Meeting;
  let ana: WatchedPage;
  let bo: WatchedPage;
  let link = '';
  const a11y: string[] = [];

  beforeAll(async () => {
    meeting = await startMeeting(2);
    [ana, bo] = meeting.people as [WatchedPage, WatchedPage];
  });

  afterAll(async () => {
    await meeting?.close();
  });

  it('lets a first-time person choose a name, create a group and read its invite link', async () => {
    const { page } = ana;
    await page.goto(meeting.app.url + '/');
    await noteTitle(ana);
    await page.getByRole('heading', { name: 'Welcome to Hearth' }).waitFor();
    a11y.push(...(await screenshotsAndAxe(page, 'welcome')));
    await chooseName(page, 'Ana');
    await noteTitle(ana);
    await createGroup(page, 'Tuesday evening circle');
    await noteTitle(ana);
    await page.getByRole('button', { name: 'Invite someone' }).click();
    await page.getByRole('heading', { name: 'Invite someone to Tuesday evening circle' }).waitFor();
    link = await page.getByRole('textbox', { name: 'Invite link' }).inputValue();
    expect(link).toMatch(new RegExp(`^${meeting.app.url}/#invite=[A-Za-z0-9_-]+$`));
    a11y.push(...(await screenshotsAndAxe(page, 'invite')));
    await noteTitle(ana);
  });

  it('lets an invited person ask, read the group name, agree and be let in after the codes match, with the invite gone from the address bar', async () => {
    const { page } = bo;
    await page.goto(link);
    await page.getByRole('heading', { name: "You've been invited to a group" }).waitFor();
    expect(page.url()).toBe(meeting.app.url + '/');
    expect(await page.evaluate(() => location.hash)).toBe('');
    a11y.push(...(await screenshotsAndAxe(page, 'join')));
    await noteTitle(bo);
    await askAndAdmit(ana.page, page, { guestName: 'Bo', groupName: 'Tuesday evening circle', needsName: true });
    await noteTitle(bo);
    // Both sides see the other in the meeting.
    await page.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
    await ana.page.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
  });

  it('carries a story, a victory with a milestone, a reply and a reaction both ways', async () => {
    const story = 'I made it through Friday without calling him. Walking helped.';
    const victory = 'Thirty days today. Thank you all for Tuesdays.';
    const encouragement = 'So proud of you, Bo. Tuesday will not be the same without your laugh.';

    await share(ana.page, story);
    await postWith(bo.page, story).waitFor();

    await share(bo.page, victory, { kind: 'Victory', milestoneDays: 30 });
    const onAna = postWith(ana.page, victory);
    await onAna.waitFor();
    await onAna.getByText('30 days').waitFor();

    await reply(ana.page, victory, encouragement);
    await postWith(bo.page, victory).getByRole('button', { name: '1 encouragement · 0 reactions' }).waitFor();
    await (await openResponses(bo.page, victory)).getByText(encouragement).waitFor();

    await (await openResponses(bo.page, story)).getByRole('button', { name: /^Proud of you/ }).click();
    await (await openResponses(ana.page, story)).getByRole('button', { name: /^Proud of you\W+1$/ }).waitFor();
    await postWith(bo.page, story).getByRole('button', { name: /^Proud of you\W+1$/, pressed: true }).waitFor();

    // Names travel with the board: each side credits the other.
    await postWith(ana.page, victory).getByRole('heading', { name: /from Bo/ }).waitFor();
    await postWith(bo.page, story).getByRole('heading', { name: /from Ana/ }).waitFor();

    await noteTitle(ana);
    await noteTitle(bo);
    a11y.push(...(await screenshotsAndAxe(ana.page, 'board')));
    a11y.push(...(await screenshotsAndAxe(bo.page, 'board-joiner')));
  });

  it("shows \"I'm struggling\" from one member on the other's screen within 2 s while both are present, and the answer back", async () => {
    await ana.page.getByRole('button', { name: 'Support now' }).click();
    const support = ana.page.getByRole('dialog', { name: 'Support now' });
    await support.getByLabel('A few words (optional)').fill('Hard evening, could use a voice.');
    await support.getByRole('button', { name: 'Tell the members here now' }).click();
    // The acceptance bound (2 s, polled), not a benchmark: awareness carries it at once.
    await bo.page.getByRole('heading', { name: 'Ana is struggling right now' }).waitFor({ timeout: 2_000 });
    await bo.page.getByText('Hard evening, could use a voice.').waitFor();
    a11y.push(...(await screenshotsAndAxe(bo.page, 'support-alert')));
    await support.getByText('Received by: Bo.').waitFor({ timeout: 10_000 });
    await bo.page.getByRole('button', { name: "I'm calling you, Ana" }).click();
    await support.getByText('is calling you now.').waitFor({ timeout: 10_000 });
    a11y.push(...(await screenshotsAndAxe(ana.page, 'support-now')));
    await support.getByRole('button', { name: "I'm OK now" }).click();
    await bo.page.getByRole('heading', { name: 'Ana is struggling right now' }).waitFor({ state: 'detached', timeout: 35_000 });
    await support.getByRole('button', { name: 'Close' }).click();
  });

  it('keeps a half-written post when leaving the board and brings it back on return', async () => {
    const { page } = bo;
    await page.getByRole('button', { name: 'Write a post…' }).click();
    await page.getByLabel('Your post').fill('Not ready to share this yet');
    await page.getByRole('button', { name: 'Your groups' }).click();
    await page.getByRole('heading', { name: 'Your groups' }).waitFor();
    await page.getByRole('button', { name: 'Tuesday evening circle', exact: true }).click();
    await page.getByRole('button', { name: 'Continue your draft…' }).click();
    expect(await page.getByLabel('Your post').inputValue()).toBe('Not ready to share this yet');
    await page.reload();
    await page.getByRole('button', { name: 'Continue your draft…' }).click();
    expect(await page.getByLabel('Your post').inputValue()).toBe('Not ready to share this yet');
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByRole('button', { name: 'Write a post…' }).waitFor();
    await page.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });
  });

  it('explains a malformed and a truncated invite link in plain words instead of a blank page', async () => {
    const cases = [
      { name: 'bad-invite-malformed', url: `${meeting.app.url}/#invite=not*an*invite`, message: ONE_TIME_INVITE_MESSAGES['bad-encoding'] },
      { name: 'bad-invite-truncated', url: link.slice(0, -25), message: ONE_TIME_INVITE_MESSAGES.truncated },
      { name: 'bad-invite-old', url: `${meeting.app.url}/#join=AgARIjNEVWZ3iJmqu8zd7v8`, message: ONE_TIME_INVITE_MESSAGES['old-invite'] },
      { name: 'bad-invite-made-up', url: `${meeting.app.url}/#invite=hello-this-is-no-invite`, message: ONE_TIME_INVITE_MESSAGES['not-valid'] },
    ];
    for (const { name, url, message } of cases) {
      const visitor = await openWatchedPage(meeting.browsers[1]!, meeting.signaling.url);
      await visitor.page.goto(url);
      await visitor.page.getByRole('heading', { name: "This invite link doesn't work" }).waitFor();
      await visitor.page.getByText(message).waitFor();
      expect(await visitor.page.evaluate(() => location.hash)).toBe('');
      if (name.endsWith('truncated')) a11y.push(...(await screenshotsAndAxe(visitor.page, name)));
      await visitor.page.getByRole('button', { name: 'Continue' }).click();
      await visitor.page.getByRole('heading', { name: 'Welcome to Hearth' }).waitFor();
      expect(await visitor.page.title()).toBe('Hearth');
      expect(visitor.errors).toEqual([]);
      await visitor.context.close();
    }
  });

  it('admits no one with a used invite, and joins from a fresh pasted one that never becomes an address in the browser', async () => {
    const visitor = await openWatchedPage(meeting.browsers[1]!, meeting.signaling.url);
    const addresses: string[] = [];
    visitor.page.on('framenavigated', (frame) => addresses.push(frame.url()));
    await visitor.page.goto(meeting.app.url + '/');
    await chooseName(visitor.page, 'Cy');
    await visitor.page.getByRole('heading', { name: 'Your groups' }).waitFor();
    a11y.push(...(await screenshotsAndAxe(visitor.page, 'groups-join')));
    // Bo's link was used: it lets no one else in, and says so.
    await visitor.page.getByRole('textbox', { name: 'Paste an invite link' }).fill(link);
    await visitor.page.getByRole('button', { name: 'Open invite' }).click();
    await visitor.page.getByRole('button', { name: 'Ask to join' }).click();
    await visitor.page.getByText(JOIN_REFUSAL_MESSAGES.used).waitFor({ timeout: 60_000 });
    await visitor.page.getByRole('button', { name: 'Go to your groups' }).click();
    const fresh = await newInviteLink(ana.page);
    await visitor.page.getByRole('textbox', { name: 'Paste an invite link' }).fill(fresh);
    await visitor.page.getByRole('button', { name: 'Open invite' }).click();
    await askAndAdmit(ana.page, visitor.page, { guestName: 'Cy', groupName: 'Tuesday evening circle', needsName: false });
    await visitor.page.getByText(/Up to date with \d+ (person|people)/).waitFor({ timeout: 60_000 });
    expect(addresses.filter((url) => url.includes('#invite=') || url.includes('#join='))).toEqual([]);
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
  });

  it('handles an invite pasted into the address bar of an open tab at once, and removes it from the bar', async () => {
    const visitor = await openWatchedPage(meeting.browsers[1]!, meeting.signaling.url);
    await visitor.page.goto(meeting.app.url + '/');
    await chooseName(visitor.page, 'Dee');
    await visitor.page.getByRole('heading', { name: 'Your groups' }).waitFor();
    await visitor.page.evaluate((hash) => (location.hash = hash), link.slice(link.indexOf('#')));
    // A one-time invite carries no group name: the join screen says so until a facilitator answers.
    await visitor.page.getByRole('heading', { name: "You've been invited to a group" }).waitFor();
    expect(await visitor.page.evaluate(() => location.hash)).toBe('');
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
  });

  it('passes axe-core on every view with no violations', () => {
    expect(a11y).toEqual([]);
  });

  it('keeps the title "Hearth", talks to no origin but its own and the signaling server, and raises no dialog, error or CSP violation', async () => {
    const allowed = [new URL(meeting.app.url).origin, new URL(meeting.signaling.url).origin];
    for (const side of [ana, bo]) {
      await noteTitle(side);
      expect(new Set(side.titles)).toEqual(new Set(['Hearth']));
      expect(foreignOrigins(side, allowed)).toEqual([]);
      expect(side.sockets.length).toBeGreaterThan(0);
      expect(side.dialogs).toEqual([]);
      expect(side.errors).toEqual([]);
      expect(side.cspViolations).toEqual([]);
    }
  });
});
