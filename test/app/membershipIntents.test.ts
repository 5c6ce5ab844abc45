import { ready } from '../../crypto/index.js';
import type { AppController } from '../../src/app/controller.js';
import { AUTO_ADMIT_INVITE_MS } from '../../src/sync/oneTimeInvite.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { admitted, send, started } from './drive.js';
import { FakeNetwork, testDeps, type TestApp } from './fakes.js';

/** The highest epoch a device keeps for its one group (the record's saved secrets). */
const savedEpoch = (app: TestApp): number => Math.max(...[...app.store.groups.values()][0]!.epochs.map((e) => e.epoch));

async function waitFor(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const start = Date.now(); !condition() && Date.now() - start < ms; ) await new Promise((resolve) => setTimeout(resolve, 20));
  assert(condition(), `timed out waiting for ${what}`);
}

/** Ana creates the group; Bo and Cy join from her invites over one fake network. */
async function threeMembers(): Promise<{ ana: AppController; bo: AppController; cy: AppController; apps: TestApp[]; network: FakeNetwork }> {
  const network = new FakeNetwork();
  const anaApp = testDeps({ network });
  const ana = await started(anaApp);
  const created = await send(ana, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
  assert(created.route.name === 'board');
  const join = async (name: string): Promise<[AppController, TestApp]> => {
    const { invite } = await send(ana, { type: 'navigate', route: { name: 'invite', groupId: created.route.name === 'board' ? created.route.groupId : '' } });
    const app = testDeps({ network, hash: invite!.link.slice(invite!.link.indexOf('#')) });
    const controller = await started(app);
    await admitted(ana, controller, name);
    await send(ana, { type: 'navigate', route: { name: 'board', groupId: created.route.name === 'board' ? created.route.groupId : '' } });
    return [controller, app];
  };
  const [bo, boApp] = await join('Bo');
  const [cy, cyApp] = await join('Cy');
  return { ana, bo, cy, apps: [anaApp, boApp, cyApp], network };
}

const memberNames = (controller: AppController): string[] => controller.current.board!.membership.members.map((m) => m.displayName);

describe('leaving a group', () => {
  before(async () => {
    await ready();
  });

  it('writes a leave the others hear: they drop the member, start a new epoch, and the device keeps nothing', async () => {
    const { ana, bo, cy, apps } = await threeMembers();
    const [anaApp, boApp, cyApp] = apps as [TestApp, TestApp, TestApp];
    await waitFor(() => memberNames(cy).length === 3 && memberNames(ana).length === 3, 'everyone to see three members');
    const epochBefore = savedEpoch(anaApp);

    const left = await send(bo, { type: 'leave-group', groupId: bo.current.groups[0]!.id });
    assertEqual(left.route.name, 'groups');
    assertEqual(boApp.store.groups.size, 0, 'the group is gone from the leaving device');

    await waitFor(() => memberNames(ana).length === 2 && memberNames(cy).length === 2, 'the others to drop Bo');
    assertDeepEqual(memberNames(ana), ['Ana', 'Cy']);
    await waitFor(() => savedEpoch(anaApp) > epochBefore && savedEpoch(cyApp) === savedEpoch(anaApp), 'a new epoch on both remaining devices');
  });

  it('leaves a group that is not open: opens it to say so, then deletes it', async () => {
    const { ana, bo, apps } = await threeMembers();
    const [anaApp, boApp] = apps as [TestApp, TestApp, TestApp];
    await waitFor(() => memberNames(ana).length === 3, 'three members');
    const epochBefore = savedEpoch(anaApp);
    const groupId = bo.current.groups[0]!.id;
    await send(bo, { type: 'navigate', route: { name: 'groups' } });

    await send(bo, { type: 'leave-group', groupId });
    assertEqual(boApp.store.groups.size, 0);
    await waitFor(() => memberNames(ana).length === 2 && savedEpoch(anaApp) > epochBefore, 'Ana to drop Bo and rotate');
  });

  it('writes no leave from a device that was removed, and still deletes the group', async () => {
    const { ana, cy, apps } = await threeMembers();
    const cyApp = apps[2]!;
    const cyId = cy.current.profile!.authorId;
    await waitFor(() => memberNames(ana).length === 3, 'three members');
    await send(ana, { type: 'remove-member', member: cyId });
    await waitFor(() => cy.current.board?.membership.removed === true, 'Cy to hear of the removal');

    await send(cy, { type: 'leave-group', groupId: cy.current.groups[0]!.id });
    assertEqual(cyApp.store.groups.size, 0);
    assertDeepEqual(memberNames(ana), ['Ana', 'Bo']);
  });
});

describe('editing the group’s details', () => {
  before(async () => {
    await ready();
  });

  it('lets a facilitator rename the group for everyone, and refuses a member plainly', async () => {
    const { ana, bo, cy } = await threeMembers();
    await send(ana, { type: 'edit-group', name: 'Wednesday circle', focus: 'gambling', guidelines: 'Be kind.' });
    await waitFor(() => bo.current.board?.group.name === 'Wednesday circle' && cy.current.board?.group.name === 'Wednesday circle', 'the new name everywhere');
    assertEqual(bo.current.board!.group.guidelines, 'Be kind.');
    assertEqual(bo.current.board!.group.focus, 'gambling');

    const refused = await send(bo, { type: 'edit-group', name: 'Bo’s circle' });
    assert(refused.notice?.kind === 'error', 'a member is told they cannot');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assertEqual(ana.current.board!.group.name, 'Wednesday circle');
    assertEqual(cy.current.board!.group.name, 'Wednesday circle');
  });
});

describe('automatic admission', () => {
  before(async () => {
    await ready();
  });

  it('lets an agreed joiner in without the facilitator, through an invite that lasts one hour', async () => {
    const { ana, bo, network } = await threeMembers();
    const groupId = ana.current.groups[0]!.id;
    const on = await send(ana, { type: 'set-auto-admit', on: true });
    assertEqual(on.board!.membership.autoAdmit, true);
    const { invite } = await send(ana, { type: 'navigate', route: { name: 'invite', groupId } });
    await waitFor(() => ana.current.board!.membership.invites.length > 0, 'the new invite');
    const made = ana.current.board!.membership.invites.at(-1)!;
    assert(made.expiresAt - Date.now() <= AUTO_ADMIT_INVITE_MS, 'the invite lasts at most an hour');
    assert(made.expiresAt - Date.now() > AUTO_ADMIT_INVITE_MS - 60_000);

    const dee = await started(testDeps({ network: network, hash: invite!.link.slice(invite!.link.indexOf('#')) }));
    await send(dee, { type: 'accept-invite', displayName: 'Dee' });
    await waitFor(() => dee.current.joining?.stage === 'offered', 'the offer');
    await send(dee, { type: 'agree-invite', agreed: true });
    await waitFor(() => dee.current.route.name === 'board', 'Dee on the board, with nobody pressing “let in”');
    await waitFor(() => memberNames(bo).includes('Dee'), 'the others to see Dee');
  });

  it('waits for the facilitator when the setting is off, and for a three-day invite made before it was on', async () => {
    const { ana, network } = await threeMembers();
    const groupId = ana.current.groups[0]!.id;
    const { invite } = await send(ana, { type: 'navigate', route: { name: 'invite', groupId } });
    await waitFor(() => ana.current.board!.membership.invites.length > 0, 'the new invite');
    assert(ana.current.board!.membership.invites.at(-1)!.expiresAt - Date.now() > AUTO_ADMIT_INVITE_MS, 'the usual three days');
    const dee = await started(testDeps({ network: network, hash: invite!.link.slice(invite!.link.indexOf('#')) }));
    await send(dee, { type: 'accept-invite', displayName: 'Dee' });
    await waitFor(() => dee.current.joining?.stage === 'offered', 'the offer');
    await send(dee, { type: 'agree-invite', agreed: true });
    await waitFor(() => ana.current.board!.membership.atDoor.some((j) => j.agreed), 'Dee at the door');
    await send(ana, { type: 'set-auto-admit', on: true });
    await send(dee, { type: 'agree-invite', agreed: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assertEqual(dee.current.route.name, 'join');
    assert(!memberNames(ana).includes('Dee'));
  });

  it('refuses the setting from a member who is not a facilitator, on every device', async () => {
    const { ana, bo } = await threeMembers();
    const refused = await send(bo, { type: 'set-auto-admit', on: true });
    assertEqual(refused.notice?.message, 'Only a facilitator of this group can do that.');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assertEqual(ana.current.board!.membership.autoAdmit, false);
  });
});

describe('keeping the history from newcomers', () => {
  before(async () => {
    await ready();
  });

  it('lets a facilitator turn "newcomers can read earlier posts" off for every device, and refuses it from another member', async () => {
    const { ana, bo } = await threeMembers();
    assertEqual(ana.current.board!.membership.shareHistory, true, 'on by default');
    const refused = await send(bo, { type: 'set-share-history', on: false });
    assertEqual(refused.notice?.message, 'Only a facilitator of this group can do that.');
    const off = await send(ana, { type: 'set-share-history', on: false });
    assertEqual(off.board!.membership.shareHistory, false);
    await waitFor(() => bo.current.board!.membership.shareHistory === false, 'Bo’s device to hear the setting');
  });
});
