import { ready } from '../../crypto/index.js';
import { AppController } from '../../src/app/controller.js';
import { PRIVATE_CHECKINS_KEY, RECOVERY_KEY, loadPersonal, milestoneReached, resetRecovery, recoveryView } from '../../src/app/personal.js';
import type { AppState, Intent } from '../../src/app/state.js';
import { WEEK_NOTICES } from '../../src/app/week.js';
import { localDay } from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { admitted } from './drive.js';
import { FakeNetwork, MemoryStore, testDeps, type TestApp } from './fakes.js';

/** The week between meetings through the app controller, with in-memory storage and sync. */

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function send(controller: AppController, ...intents: Intent[]): Promise<AppState> {
  for (const intent of intents) await controller.dispatch(intent);
  await settle();
  return controller.current;
}

async function device(network: FakeNetwork, hash?: string): Promise<{ app: TestApp; controller: AppController }> {
  const app = testDeps({ network, ...(hash ? { hash } : {}) });
  const controller = new AppController(app.deps);
  await controller.start();
  return { app, controller };
}

/** Ana creates a group, Bo joins it; both are connected. */
async function pair() {
  const network = new FakeNetwork();
  const ana = await device(network);
  const created = await send(ana.controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
  assert(created.route.name === 'board');
  const groupId = created.route.groupId;
  const invited = await send(ana.controller, { type: 'navigate', route: { name: 'invite', groupId } });
  await send(ana.controller, { type: 'navigate', route: { name: 'board', groupId } });
  const link = invited.invite!.link;
  const bo = await device(network, link.slice(link.indexOf('#')));
  await admitted(ana, bo.controller, 'Bo');
  return { ana, bo, groupId };
}

const chainLength = (app: TestApp, groupId: string): number => app.store.disk.links(groupId).length;

describe('the week through the app', () => {
  before(async () => {
    await ready();
  });

  it('shares a check-in as a record and keeps a private one in sealed settings only, off the chain', async () => {
    const { ana, bo, groupId } = await pair();
    const before = chainLength(bo.app, groupId);
    const onBo = await send(bo.controller, { type: 'check-in', mood: 2, note: 'private-line-xyz', share: false });
    assertEqual(chainLength(bo.app, groupId), before, 'a private check-in adds nothing to the chain');
    assertEqual(onBo.notice?.message, WEEK_NOTICES.savedPrivately);
    const kept = bo.app.store.settings.get(PRIVATE_CHECKINS_KEY) as { note: string }[];
    assertEqual(kept[0]?.note, 'private-line-xyz');
    assertDeepEqual(onBo.board!.week!.mine.map((c) => [c.mood, c.private]), [[2, true]]);
    assertEqual((await send(ana.controller)).board!.week!.checkins.length, 0);

    await send(bo.controller, { type: 'check-in', mood: 4, note: 'Better today', share: true });
    assertEqual(chainLength(bo.app, groupId), before + 1);
    const onAna = (await send(ana.controller)).board!.week!;
    assertDeepEqual(onAna.checkins.map((c) => [c.mood, c.note]), [[4, 'Better today']]);
  });

  it('lets the creator set the schedule, shows it to members, and refuses a member who is not a facilitator', async () => {
    const { ana, bo } = await pair();
    const slot = { weekday: 2 as const, time: '19:30', timeZone: 'Europe/London', place: 'online', note: 'Link in the usual place' };
    await send(ana.controller, { type: 'set-meeting-slot', slot });
    const onBo = (await send(bo.controller)).board!.week!;
    assertEqual(onBo.slots.length, 1);
    assert(onBo.next && onBo.next.startsAt > Date.now() - 90 * 60_000, 'a next meeting');
    assertEqual(onBo.facilitator, false);
    const refused = await send(bo.controller, { type: 'set-meeting-slot', slot: { ...slot, place: 'Bo’s kitchen' } });
    assertEqual(refused.notice?.message, WEEK_NOTICES.notFacilitator);
    for (const bad of [{ ...slot, timeZone: 'Mars/Olympus_Mons' }, { ...slot, place: '  ' }, { ...slot, time: '25:00' }]) {
      assertEqual((await send(ana.controller, { type: 'set-meeting-slot', slot: bad })).notice?.message, WEEK_NOTICES.badSlot);
    }
    await send(ana.controller, { type: 'remove-meeting-slot', slotId: onBo.slots[0]!.id });
    assertEqual((await send(bo.controller)).board!.week!.slots.length, 0);
  });

  it('runs a meeting: the facilitator starts a round, the member whose turn it is passes it on', async () => {
    const { ana, bo } = await pair();
    const boId = bo.controller.current.profile!.authorId;
    const anaId = ana.controller.current.profile!.authorId;
    await send(ana.controller, { type: 'set-agenda', step: 'check-in-round', turn: boId, timerSeconds: 120, newMeeting: true });
    assertEqual((await send(bo.controller)).board!.week!.meeting?.turn, boId);
    const notMine = await send(ana.controller, { type: 'pass-turn', to: anaId });
    assertEqual(notMine.notice?.message, WEEK_NOTICES.notYourTurn);
    await send(bo.controller, { type: 'pass-turn', to: anaId });
    const onAna = (await send(ana.controller)).board!.week!;
    assertEqual(onAna.meeting?.turn, anaId);
    assertEqual(onAna.meeting?.step, 'check-in-round');
    await send(ana.controller, { type: 'set-agenda', step: 'ended', timerSeconds: 0 });
    assertEqual((await send(bo.controller)).board!.week!.meeting, undefined);
  });

  it('adds a technique and sorts the shelf by "this helped me too"', async () => {
    const { ana, bo } = await pair();
    await send(ana.controller, { type: 'add-technique', title: 'Box breathing', body: 'In four, hold four, out four.', category: 'stress' });
    await send(ana.controller, { type: 'add-technique', title: 'Cold water', body: 'Splash your face; it slows the heart.', category: 'craving' });
    const shelf = (await send(bo.controller)).board!.week!.shelf;
    const breathing = shelf.find((t) => t.record.title === 'Box breathing')!;
    await send(bo.controller, { type: 'mark-helped', techniqueId: breathing.record.id });
    const onAna = (await send(ana.controller)).board!.week!.shelf;
    assertDeepEqual(onAna.map((t) => [t.record.title, t.helped]), [['Box breathing', 1], ['Cold water', 0]]);
    const empty = await send(ana.controller, { type: 'add-technique', title: ' ', body: 'x', category: 'other' });
    assertEqual(empty.notice?.message, WEEK_NOTICES.empty);
  });

  it('counts recovery days on this device, offers a milestone, and shares it only when asked', async () => {
    const { ana, bo, groupId } = await pair();
    const start = localDay(Date.now() - 8 * 86_400_000);
    const before = chainLength(bo.app, groupId);
    const set = (await send(bo.controller, { type: 'set-recovery-start', day: start })).board!.week!;
    assertEqual(set.recovery?.total, 8);
    assertEqual(set.recovery?.milestone, 7);
    assertEqual(chainLength(bo.app, groupId), before, 'the start date stays on this device');
    assertDeepEqual(bo.app.store.settings.get(RECOVERY_KEY), { start, earlierDays: 0, settled: [] });
    const shared = (await send(bo.controller, { type: 'share-milestone', days: 7 })).board!;
    assertEqual(shared.week!.recovery?.milestone, undefined);
    const onAna = (await send(ana.controller)).board!;
    assertDeepEqual(onAna.posts[0]?.record.milestone, { value: 7, unit: 'days' });
    const future = await send(bo.controller, { type: 'set-recovery-start', day: localDay(Date.now() + 3 * 86_400_000) });
    assertEqual(future.notice?.message, WEEK_NOTICES.badStart);
  });
});

describe('recovery days', () => {
  it('keeps the total across a gentle reset', () => {
    const recovery = { start: '2026-01-01', earlierDays: 0, settled: [] };
    const reset = resetRecovery(recovery, '2026-01-31');
    assertDeepEqual(reset, { start: '2026-01-31', earlierDays: 30, settled: [] });
    assertDeepEqual(recoveryView(reset, '2026-02-02'), { start: '2026-01-31', total: 32, sinceStart: 2, milestone: 30 });
  });

  it('reaches 1, 7, 30, 60, 90, 180 and 365 days, then each year', () => {
    assertDeepEqual([0, 1, 6, 7, 59, 60, 364, 365, 729, 730, 1100].map(milestoneReached), [undefined, 1, 1, 7, 30, 60, 180, 365, 365, 730, 1095]);
  });
});

describe('personal settings read back', () => {
  it('ignores stored check-ins and recovery values that do not have their shape', async () => {
    const store = new MemoryStore();
    const now = Date.UTC(2026, 11, 1, 9);
    const good = { day: '2026-12-01', mood: 3, createdAt: now };
    store.settings.set(PRIVATE_CHECKINS_KEY, [good, { ...good, mood: 9 }, { ...good, day: '2031-01-01' }, { ...good, note: 'x'.repeat(281) }, null, 'junk']);
    store.settings.set(RECOVERY_KEY, { start: '2026-02-30', earlierDays: 0, settled: [] });
    assertDeepEqual(await loadPersonal(store), { checkins: [good], recovery: undefined });
    store.settings.set(PRIVATE_CHECKINS_KEY, { not: 'a list' });
    store.settings.set(RECOVERY_KEY, { start: '2026-01-01', earlierDays: -5, settled: [] });
    assertDeepEqual(await loadPersonal(store), { checkins: [], recovery: undefined });
  });
});
