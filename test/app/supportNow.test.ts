import { ready, toBase64Url } from '../../crypto/index.js';
import { draftKey } from '../../src/app/groupRuntime.js';
import { CONTACTS_KEY, NOTICES_SUPPORT } from '../../src/app/supportIntents.js';
import { ONE_TIME_INVITE_MESSAGES, ONE_TIME_INVITE_PREFIX } from '../../src/sync/oneTimeInvite.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { admitted, send, started, until } from './drive.js';
import { FakeNetwork, testDeps } from './fakes.js';

/** Ana creates a group; Bo joins it from the invite; both boards open on one network. */
async function twoMembers() {
  const network = new FakeNetwork();
  const anaApp = testDeps({ network });
  const ana = await started(anaApp);
  const created = await send(ana, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
  assert(created.route.name === 'board');
  const groupId = created.route.groupId;
  const link = (await send(ana, { type: 'navigate', route: { name: 'invite', groupId } })).invite!.link;
  await send(ana, { type: 'navigate', route: { name: 'board', groupId } });
  const boApp = testDeps({ network, hash: link.slice(link.indexOf('#')) });
  const bo = await started(boApp);
  await admitted(ana, bo, 'Bo');
  return { network, ana, anaApp, bo, boApp, groupId, link };
}

describe('support now, drafts and invites in the app', () => {
  before(async () => {
    await ready();
  });

  it("delivers \"I'm struggling\" to the member here now, who is seen to receive it and can answer", async () => {
    const { ana, bo } = await twoMembers();
    await send(ana, { type: 'support-alert', note: 'Bad night.' });
    const atBo = await send(bo);
    assertDeepEqual(
      atBo.board!.support.incoming.map(({ name, note, answered }) => ({ name, note, answered })),
      [{ name: 'Ana', note: 'Bad night.', answered: [] }],
    );
    const atAna = await send(ana);
    assertDeepEqual(atAna.board!.support.mine?.receivedBy, ['Bo'], 'Ana sees who received it');
    const alert = atBo.board!.support.incoming[0]!;
    await send(bo, { type: 'support-answer', to: alert.authorId, alertId: alert.alertId, kind: 'calling' });
    await send(bo, { type: 'support-answer', to: alert.authorId, alertId: alert.alertId, kind: 'reply', body: 'Here for you.' });
    const answered = await send(ana);
    assertDeepEqual(
      answered.board!.support.mine!.answers.map(({ name, kind, body }) => ({ name, kind, body })),
      [
        { name: 'Bo', kind: 'calling', body: undefined },
        { name: 'Bo', kind: 'reply', body: 'Here for you.' },
      ],
    );
    assertDeepEqual(bo.current.board!.support.incoming[0]!.answered, ['calling', 'reply']);
    await send(ana, { type: 'support-alert-end' });
    assertDeepEqual((await send(bo)).board!.support.incoming, [], 'gone once Ana is OK');
  });

  it('tells the sender plainly that nobody received an alert when no one is here', async () => {
    const app = testDeps({ network: new FakeNetwork() });
    const alone = await started(app);
    await send(alone, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Circle' });
    const state = await send(alone, { type: 'support-alert' });
    assertDeepEqual(state.board!.support.mine?.receivedBy, []);
  });

  it('does not acknowledge alerts automatically while hidden from "Here now"', async () => {
    const { ana, bo } = await twoMembers();
    await send(bo, { type: 'set-privacy', choices: { showPresence: false } });
    await send(ana, { type: 'support-alert' });
    assertEqual((await send(bo)).board!.support.incoming.length, 1, 'Bo still sees it');
    assertDeepEqual((await send(ana)).board!.support.mine?.receivedBy, [], 'but is not shown as having received it');
  });

  it("lets the creator add the group's crisis lines, which reach members, and refuses them from a member", async () => {
    const { ana, bo } = await twoMembers();
    await send(ana, { type: 'add-crisis-line', name: 'City line', phone: '0800 123 456' });
    const atBo = await send(bo);
    assertDeepEqual(atBo.board!.support.groupLines.map(({ name, phone }) => ({ name, phone })), [{ name: 'City line', phone: '0800 123 456' }]);
    assertEqual(atBo.board!.support.canEditLines, false);
    const refused = await send(bo, { type: 'add-crisis-line', name: 'Mine', phone: '0800 000 000' });
    assertEqual(refused.notice?.message, "Only the group's facilitators can do that.");
    const removed = await send(ana, { type: 'remove-crisis-line', id: atBo.board!.support.groupLines[0]!.id });
    assertDeepEqual(removed.board!.support.groupLines, []);
  });

  it('keeps my people to call on this device, across restarts', async () => {
    const app = testDeps();
    const first = await started(app);
    await send(first, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Circle' });
    await send(first, { type: 'set-contacts', contacts: [{ name: 'Sam', phone: '07700 900123' }] });
    assertDeepEqual(app.store.settings.get(CONTACTS_KEY), [{ name: 'Sam', phone: '07700 900123' }]);
    await first.dispose();
    const again = await started(testDeps({ store: app.store }));
    assertDeepEqual(again.current.board!.support.contacts, [{ name: 'Sam', phone: '07700 900123' }]);
  });

  it('keeps a draft per group until it is posted, across leaving the board and restarting', async () => {
    const app = testDeps();
    const first = await started(app);
    const created = await send(first, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Circle' });
    const groupId = (created.route as { groupId: string }).groupId;
    await send(first, { type: 'save-draft', draft: { kind: 'story', body: 'Half a thought' } });
    await send(first, { type: 'navigate', route: { name: 'groups' } }, { type: 'navigate', route: { name: 'board', groupId } });
    assertDeepEqual(first.current.board!.draft, { kind: 'story', body: 'Half a thought' });
    await first.dispose();
    const again = await started(testDeps({ store: app.store }));
    assertDeepEqual(again.current.board!.draft, { kind: 'story', body: 'Half a thought' });
    await send(again, { type: 'post', kind: 'story', body: 'Half a thought, finished.' });
    assertEqual(again.current.board!.draft, undefined);
    assertEqual(app.store.settings.get(draftKey(groupId)), null, 'forgotten on disk too');
  });

  it('joins only after the newcomer agreed to the guidelines', async () => {
    const { network, ana, groupId } = await twoMembers();
    // Bo used the first invite; Cy gets a fresh one.
    const link = (await send(ana, { type: 'navigate', route: { name: 'invite', groupId } })).invite!.link;
    const app = testDeps({ network, hash: link.slice(link.indexOf('#')) });
    const joiner = await started(app);
    await send(joiner, { type: 'accept-invite', displayName: 'Cy' });
    await until(() => joiner.current.joining?.stage === 'offered', 'the offer');
    const refused = await send(joiner, { type: 'agree-invite', agreed: false });
    assertEqual(refused.notice?.message, NOTICES_SUPPORT.agree);
    assertEqual(refused.route.name, 'join');
    assertEqual(app.store.groups.size, 0);
  });

  it('tells a newcomer the board is caught up once the group first syncs', async () => {
    const { bo } = await twoMembers();
    await until(() => bo.current.board?.caughtUp === true, 'caught up once the group synced');
  });

  it('handles an invite pasted into the address bar of an open tab at once, and clears it', async () => {
    const { link } = await twoMembers();
    const app = testDeps({ network: new FakeNetwork() });
    const open = await started(app);
    await send(open, { type: 'choose-name', displayName: 'Cy' });
    app.changeHash(link.slice(link.indexOf('#')));
    await send(open);
    assert(open.current.route.name === 'join', open.current.route.name);
    assertEqual(app.cleared, 1, 'off the address bar');
    assertEqual(app.deps.location.hash, '');
    app.changeHash('#somewhere-else');
    await send(open);
    assertEqual(app.cleared, 1, 'other fragments are left alone');
  });

  it('says a malformed link is not a valid invite, not that the app needs an update', async () => {
    for (const bytes of [[0xff, 1, 2, 3], [0x80, ...new Array(120).fill(7)]]) {
      const app = testDeps({ hash: `${ONE_TIME_INVITE_PREFIX}${toBase64Url(new Uint8Array(bytes))}` });
      const controller = await started(app);
      const route = controller.current.route;
      assert(route.name === 'bad-invite', route.name);
      assertEqual(route.message, ONE_TIME_INVITE_MESSAGES['not-valid']);
      assert(!route.message.includes('Update'), route.message);
    }
  });
});
