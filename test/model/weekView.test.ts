import { ready } from '../../crypto/index.js';
import {
  boardView,
  meetingState,
  moodHistory,
  nextMeeting,
  nextStart,
  nextTurn,
  setMeetingSlot,
  shareCheckin,
  toggleHelped,
  addTechnique,
  weekView,
  writeAgenda,
  type AgendaRecord,
  type MeetingSlot,
  recordsOf,
} from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { exchange, member, type Member } from '../fixtures/group.js';

/** What members see of the week: the schedule, the meeting under way, check-ins and the shelf. */

const slot = (fields: Partial<MeetingSlot> = {}): MeetingSlot => ({ weekday: 2, time: '19:30', timeZone: 'Europe/London', place: 'online', ...fields });

describe('the next meeting', () => {
  it('finds the next Tuesday 19:30 in London, in winter and in summer time', () => {
    // Monday 30 November 2026, noon UTC: the meeting is tomorrow at 19:30 GMT.
    assertEqual(new Date(nextStart(slot(), Date.UTC(2026, 10, 30, 12))!).toISOString(), '2026-12-01T19:30:00.000Z');
    // In June London is on BST (UTC+1).
    assertEqual(new Date(nextStart(slot(), Date.UTC(2026, 5, 1, 12))!).toISOString(), '2026-06-02T18:30:00.000Z');
  });

  it('keeps a meeting under way as the next one until it has run its course, then moves a week on', () => {
    const start = Date.UTC(2026, 11, 1, 19, 30);
    assertEqual(nextStart(slot(), start + 30 * 60_000), start);
    assertEqual(nextStart(slot(), start + 2 * 3_600_000), start + 7 * 86_400_000);
  });

  it('reads the wall clock of the zone it names, whatever the day there', () => {
    // 23:00 UTC Monday is already Tuesday 12:00 in Auckland (UTC+13 in December).
    const tuesdayNoon = nextStart(slot({ timeZone: 'Pacific/Auckland', time: '12:00' }), Date.UTC(2026, 10, 30, 22));
    assertEqual(new Date(tuesdayNoon!).toISOString(), '2026-11-30T23:00:00.000Z');
  });

  it('skips a slot whose zone this device does not know and picks the soonest of the rest', () => {
    const now = Date.UTC(2026, 10, 30, 12);
    const next = nextMeeting([slot({ timeZone: 'Mars/Olympus_Mons' }), slot({ weekday: 4 }), slot()], now);
    assertEqual(next?.slot.weekday, 2);
    assertEqual(nextStart(slot({ timeZone: 'Mars/Olympus_Mons' }), now), undefined);
  });
});

describe('meeting state', () => {
  const F = 'F'.repeat(43);
  const A = 'A'.repeat(43);
  const B = 'B'.repeat(43);
  const T = Date.UTC(2026, 11, 1, 19, 30);
  let n = 0;
  const state = (authorId: string, fields: Partial<AgendaRecord>): AgendaRecord => ({
    v: 1,
    type: 'agenda',
    id: `${authorId}/s${++n}`,
    authorId,
    createdAt: T + n * 1000,
    meetingId: 'm'.repeat(16),
    step: 'sharing-round',
    timerSeconds: 180,
    sig: 's'.repeat(86),
    ...fields,
  });

  it('lets the member whose turn it is pass it on, and nobody else', () => {
    const start = state(F, { turn: A });
    const byB = state(B, { basedOn: start.id, turn: B });
    assertEqual(meetingState([start, byB], new Set([F]), T + 60_000)?.id, start.id);
    const byA = state(A, { basedOn: start.id, turn: B });
    assertEqual(meetingState([start, byB, byA], new Set([F]), T + 60_000)?.turn, B);
  });

  it('ignores a pass that changes the step or the timer, or moves on from a state that is no longer current', () => {
    const start = state(F, { turn: A });
    const skip = state(A, { basedOn: start.id, step: 'closing' });
    const timer = state(A, { basedOn: start.id, timerSeconds: 1 });
    assertEqual(meetingState([start, skip, timer], new Set([F]), T + 60_000)?.id, start.id);
    const later = state(F, { turn: B });
    const stale = state(A, { basedOn: start.id, turn: A });
    assertEqual(meetingState([start, later, stale], new Set([F]), T + 60_000)?.id, later.id);
  });

  it('shows no meeting once it ended or sat idle for hours', () => {
    const start = state(F, {});
    assertEqual(meetingState([start, state(F, { step: 'ended' })], new Set([F]), T + 60_000), undefined);
    assertEqual(meetingState([start], new Set([F]), T + 5 * 3_600_000), undefined);
  });

  it('reaches the same state whatever order the records arrived in', () => {
    const start = state(F, { turn: A });
    const pass = state(A, { basedOn: start.id, turn: B });
    assertEqual(meetingState([pass, start], new Set([F]), T + 60_000)?.turn, B);
  });

  it('hands the turn to the next person here, and to no one after the last', () => {
    assertEqual(nextTurn([A, B], undefined), A);
    assertEqual(nextTurn([A, B], A), B);
    assertEqual(nextTurn([A, B], B), undefined);
    assertEqual(nextTurn([A, B], F), A);
  });
});

describe('mood history', () => {
  it('has one point per day for 30 days, the latest check-in of each day, gaps as null', () => {
    const history = moodHistory(
      [
        { authorId: 'a', day: '2026-11-30', mood: 2, createdAt: 1 },
        { authorId: 'a', day: '2026-11-30', mood: 4, createdAt: 2 },
        { authorId: 'a', day: '2026-10-01', mood: 5, createdAt: 3 },
      ],
      '2026-12-01',
    );
    assertEqual(history.length, 30);
    assertEqual(history[0]!.day, '2026-11-02');
    assertDeepEqual(history.at(-2), { day: '2026-11-30', mood: 4 });
    assertDeepEqual(history.at(-1), { day: '2026-12-01', mood: null });
  });
});

describe('the week on the board', () => {
  let alice: Member;
  let bob: Member;

  before(async () => {
    await ready();
  });

  beforeEach(async () => {
    alice = await member(1);
    bob = await member(2);
  });

  const facilitators = (): Set<string> => new Set([alice.id]);
  const week = (m: Member, now = Date.now()) =>
    weekView(recordsOf({ authors: () => m.log.authors(), creatorId: m.log.creatorId }), { viewerId: m.id, facilitators: facilitators(), now, today: new Date(now).toISOString().slice(0, 10) });

  it("carries the creator's schedule to other members and refuses to write one for anyone else", async () => {
    const written = await alice.log.write((c) => setMeetingSlot(c, facilitators(), { ...slot(), note: 'Side door' }));
    assert(written.ok, 'slot written');
    const refused = await bob.log.write((c) => setMeetingSlot(c, facilitators(), slot()));
    assertDeepEqual(refused, { ok: false, problem: 'not-facilitator' });
    exchange(alice, bob);
    assertDeepEqual(week(bob).slots.map((s) => [s.place, s.note]), [['online', 'Side door']]);
    const id = week(bob).slots[0]!.id;
    await alice.log.write((c) => setMeetingSlot(c, facilitators(), { ...slot(), slotId: id.split('/')[1], active: false }));
    exchange(alice, bob);
    assertEqual(week(bob).slots.length, 0);
  });

  it("shows each member's latest shared check-in of today", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await bob.log.write((c) => shareCheckin(c, { mood: 2, day: today }));
    await bob.log.write((c) => shareCheckin(c, { mood: 3, day: today, note: 'Better after lunch' }));
    exchange(alice, bob);
    assertDeepEqual(week(alice).today.map((e) => [e.authorId, e.mood, e.note]), [[bob.id, 3, 'Better after lunch']]);
    assertEqual(week(bob).mine.length, 2);
  });

  it('lets a member pass their turn on, but only a facilitator start a meeting', async () => {
    const refused = await bob.log.write((c) => writeAgenda(c, facilitators(), { meetingId: 'm'.repeat(16), step: 'opening', timerSeconds: 0 }));
    assertDeepEqual(refused, { ok: false, problem: 'not-facilitator' });
    const start = await alice.log.write((c) => writeAgenda(c, facilitators(), { meetingId: 'm'.repeat(16), step: 'check-in-round', turn: bob.id, timerSeconds: 120 }));
    assert(start.ok, 'started');
    exchange(alice, bob);
    await bob.log.write((c) => writeAgenda(c, facilitators(), { meetingId: 'm'.repeat(16), step: 'check-in-round', turn: alice.id, timerSeconds: 120, basedOn: start.record.id }));
    exchange(alice, bob);
    assertEqual(week(alice).meeting?.turn, alice.id);
  });

  it('sorts the shelf by "this helped me too", never counting an author\'s own mark', async () => {
    const first = await alice.log.write((c) => addTechnique(c, { title: 'Box breathing', body: 'In four, hold four, out four.', category: 'stress' }));
    await alice.log.write((c) => addTechnique(c, { title: 'Call before', body: 'Ring someone before the hard hour.', category: 'people' }));
    assert(first.ok, 'technique written');
    await alice.log.write((c) => toggleHelped(c, first.record.id));
    exchange(alice, bob);
    assertEqual(week(bob).shelf[0]!.record.title, 'Call before');
    await bob.log.write((c) => toggleHelped(c, first.record.id));
    exchange(alice, bob);
    assertDeepEqual(week(alice).shelf.map((t) => [t.record.title, t.helped]), [['Box breathing', 1], ['Call before', 0]]);
    await bob.log.write((c) => toggleHelped(c, first.record.id));
    exchange(alice, bob);
    assertEqual(week(alice).shelf[0]!.helped, 0);
    // The week's records do not disturb the posts.
    assertEqual(boardView({ authors: () => alice.log.authors(), creatorId: alice.log.creatorId }).posts.length, 0);
  });
});
