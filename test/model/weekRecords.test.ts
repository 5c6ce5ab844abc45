import { ready, toBase64Url } from '../../crypto/index.js';
import type { RejectionCode } from '../../src/log/groupLog.js';
import {
  weekView,
  FUTURE_TOLERANCE_MS,
  admitRecord,
  signRecord,
  type AdmissionContext,
  type AgendaRecord,
  type BoardRecord,
  type CheckinRecord,
  type HelpedRecord,
  type ScheduleRecord,
  type TechniqueRecord,
  type Unsigned,
  recordsOf,
} from '../../src/model/index.js';
import { assertDeepEqual, assertEqual } from '../assert.js';
import { identityFromSeed, member, type Member } from '../fixtures/group.js';
import { craftLink, craftUpdate, setRecord } from '../log/craft.js';

/**
 * The week's record types under the board's rules: each is admitted when well formed, and
 * every hostile variant (over-long, someone else's, dated far ahead, written by a member who
 * is not a facilitator) is refused with its code, on its own and inside a crafted envelope.
 */

const NOW = Date.UTC(2026, 11, 1, 9, 0);
const TODAY = '2026-12-01';

let creator: ReturnType<typeof identityFromSeed>;
let other: ReturnType<typeof identityFromSeed>;
let creatorId: string;
let otherId: string;

before(async () => {
  await ready();
  creator = identityFromSeed(1);
  other = identityFromSeed(2);
  creatorId = toBase64Url(creator.signPublicKey);
  otherId = toBase64Url(other.signPublicKey);
});

type Signer = ReturnType<typeof identityFromSeed>;

function signed<R extends BoardRecord>(by: Signer, fields: Omit<Unsigned<R>, 'v' | 'id' | 'authorId' | 'createdAt'> & { createdAt?: number }, suffix = 'x1'): R {
  const authorId = toBase64Url(by.signPublicKey);
  return signRecord<R>({ v: 1, id: `${authorId}/${suffix}`, authorId, createdAt: NOW, ...fields } as Unsigned<R>, by.signSecretKey);
}

function context(authorId: string, extra: Partial<AdmissionContext> = {}): AdmissionContext {
  return { authorId, creatorId, notBefore: 0, now: NOW, ...extra };
}

function admit(root: string, record: BoardRecord | Record<string, unknown>, ctx: AdmissionContext) {
  return admitRecord(root, String(record.id), record, ctx);
}

const checkin = (by: Signer, fields: Partial<Unsigned<CheckinRecord>> = {}) =>
  signed<CheckinRecord>(by, { type: 'checkin', mood: 4, day: TODAY, note: 'Slept well.', ...fields });
const slot = (by: Signer, fields: Partial<Unsigned<ScheduleRecord>> = {}) =>
  signed<ScheduleRecord>(by, { type: 'meeting-slot', weekday: 2, time: '19:30', timeZone: 'Europe/London', place: 'online', active: true, ...fields });
const agenda = (by: Signer, fields: Partial<Unsigned<AgendaRecord>> = {}) =>
  signed<AgendaRecord>(by, { type: 'agenda', meetingId: 'm'.repeat(16), step: 'opening', timerSeconds: 0, ...fields });
const technique = (by: Signer, fields: Partial<Unsigned<TechniqueRecord>> = {}) =>
  signed<TechniqueRecord>(by, { type: 'technique', title: 'Urge surfing', body: 'Notice the wave; it peaks and passes.', category: 'craving', ...fields });

describe('check-in records', () => {
  it('admits a shared check-in with a mood, its day and a line', () => {
    assertEqual(admit('checkins', checkin(other), context(otherId)).ok, true);
  });

  it('refuses a mood outside 1–5 or not a whole number', () => {
    for (const mood of [0, 6, 2.5, '3', null]) assertDeepEqual(admit('checkins', checkin(other, { mood: mood as never }), context(otherId)), { ok: false, code: 'bad-mood' });
  });

  it('refuses an over-long or empty line', () => {
    assertDeepEqual(admit('checkins', checkin(other, { note: 'x'.repeat(281) }), context(otherId)), { ok: false, code: 'bad-note' });
    assertDeepEqual(admit('checkins', checkin(other, { note: '  ' }), context(otherId)), { ok: false, code: 'bad-note' });
  });

  it('refuses a day far from when it was written, or not a calendar day', () => {
    for (const day of ['2027-01-15', '2026-11-29', '2026-12-02', '2026-02-30', '2026-12-1', 20261201]) {
      assertDeepEqual(admit('checkins', checkin(other, { day: day as never }), context(otherId)), { ok: false, code: 'bad-day' }, String(day));
    }
    // At 09:00 UTC it is still 30 November at UTC−12 (and not yet 2 December even at UTC+14).
    assertEqual(admit('checkins', checkin(other, { day: '2026-11-30' }), context(otherId)).ok, true);
  });

  it("refuses a check-in in another member's document", () => {
    assertDeepEqual(admit('checkins', checkin(other), context(creatorId)), { ok: false, code: 'not-author' });
  });

  it('holds a check-in dated far in the future', () => {
    const ahead = NOW + 400 * 86_400_000;
    const result = admit('checkins', checkin(other, { createdAt: ahead, day: new Date(ahead).toISOString().slice(0, 10) }), context(otherId));
    assertDeepEqual(result, { ok: false, holdUntil: ahead - FUTURE_TOLERANCE_MS });
  });

  it('refuses a check-in whose signature does not cover what it says', () => {
    assertDeepEqual(admit('checkins', { ...checkin(other), mood: 1 }, context(otherId)), { ok: false, code: 'bad-record-signature' });
  });
});

describe('schedule records', () => {
  it('admits a meeting slot from any member: whether it counts is the view\'s word (the facilitators of the moment)', () => {
    assertEqual(admit('schedule', slot(creator), context(creatorId)).ok, true);
    assertEqual(admit('schedule', slot(other), context(otherId)).ok, true);
  });

  it('refuses malformed weekdays, times, zones, places and notes with their codes', () => {
    const cases: [Partial<Unsigned<ScheduleRecord>>, string][] = [
      [{ weekday: 0 as never }, 'bad-weekday'],
      [{ weekday: 8 as never }, 'bad-weekday'],
      [{ time: '24:00' }, 'bad-time'],
      [{ time: '7:30' }, 'bad-time'],
      [{ timeZone: 'Europe/London/../../etc' }, 'bad-time-zone'],
      [{ timeZone: 'A/' + 'b'.repeat(80) }, 'bad-time-zone'],
      [{ place: '' }, 'bad-place'],
      [{ place: 'x'.repeat(121) }, 'bad-place'],
      [{ note: 'x'.repeat(281) }, 'bad-note'],
      [{ active: 'yes' as never }, 'bad-active'],
    ];
    for (const [fields, code] of cases) assertDeepEqual(admit('schedule', slot(creator, fields), context(creatorId)), { ok: false, code }, code);
  });

  it("refuses a slot in another member's document, and holds one dated far ahead", () => {
    assertDeepEqual(admit('schedule', slot(creator), context(otherId)), { ok: false, code: 'not-author' });
    const ahead = NOW + 30 * 86_400_000;
    assertDeepEqual(admit('schedule', slot(creator, { createdAt: ahead }), context(creatorId)), { ok: false, holdUntil: ahead - FUTURE_TOLERANCE_MS });
  });
});

describe('agenda records', () => {
  it('admits any state from a facilitator and a pass from anyone', () => {
    assertEqual(admit('agenda', agenda(creator, { step: 'sharing-round', turn: otherId, timerSeconds: 300 }), context(creatorId)).ok, true);
    assertEqual(admit('agenda', agenda(other, { step: 'sharing-round', basedOn: `${creatorId}/x1` }), context(otherId)).ok, true);
  });

  it('refuses bad meeting ids, steps, turns, timers and references', () => {
    const cases: [Partial<Unsigned<AgendaRecord>>, string][] = [
      [{ meetingId: 'short' }, 'bad-meeting-id'],
      [{ step: 'intermission' as never }, 'bad-step'],
      [{ turn: 'nobody' }, 'bad-turn'],
      [{ timerSeconds: 1801 }, 'bad-timer'],
      [{ timerSeconds: -1 }, 'bad-timer'],
      [{ basedOn: 'x'.repeat(300) }, 'bad-based-on'],
    ];
    for (const [fields, code] of cases) assertDeepEqual(admit('agenda', agenda(creator, fields), context(creatorId)), { ok: false, code }, code);
  });

  it("refuses a state in another member's document", () => {
    assertDeepEqual(admit('agenda', agenda(creator), context(otherId)), { ok: false, code: 'not-author' });
  });
});

describe('technique records', () => {
  it('admits a technique and a "helped me too" mark under its fixed key', () => {
    assertEqual(admit('techniques', technique(other), context(otherId)).ok, true);
    const techniqueId = `${creatorId}/t1`;
    const mark = signed<HelpedRecord>(other, { type: 'helped', techniqueId, active: true }, `${techniqueId}|helped`);
    assertEqual(admit('helped', mark, context(otherId)).ok, true);
  });

  it('refuses over-long or empty titles and bodies, and unknown categories', () => {
    const cases: [Partial<Unsigned<TechniqueRecord>>, string][] = [
      [{ title: 'x'.repeat(81) }, 'bad-title'],
      [{ title: ' ' }, 'bad-title'],
      [{ body: '' }, 'empty-body'],
      [{ body: 'x'.repeat(1001) }, 'body-too-long'],
      [{ category: 'gambling' as never }, 'bad-category'],
    ];
    for (const [fields, code] of cases) assertDeepEqual(admit('techniques', technique(other, fields), context(otherId)), { ok: false, code }, code);
  });

  it('refuses a mark under any key but its own, or naming no technique', () => {
    const techniqueId = `${creatorId}/t1`;
    const stray = signed<HelpedRecord>(other, { type: 'helped', techniqueId, active: true }, 'stray');
    assertDeepEqual(admit('helped', stray, context(otherId)), { ok: false, code: 'bad-key' });
    const nothing = signed<HelpedRecord>(other, { type: 'helped', techniqueId: 'none', active: true }, 'none|helped');
    assertDeepEqual(admit('helped', nothing, context(otherId)), { ok: false, code: 'bad-technique-id' });
  });

  it("refuses a technique in another member's document", () => {
    assertDeepEqual(admit('techniques', technique(other), context(creatorId)), { ok: false, code: 'not-author' });
  });
});

describe('the week records in crafted envelopes', () => {
  let alice: Member;
  let mallory: Member;

  beforeEach(async () => {
    alice = await member(1);
    mallory = await member(66);
  });

  function refusedBy(receiver: Member, envelope: Uint8Array): RejectionCode[] {
    const codes: RejectionCode[] = [];
    const listener = ({ code }: { code: RejectionCode }): void => void codes.push(code);
    receiver.log.on('rejected', listener);
    receiver.log.receive([envelope]);
    receiver.log.off('rejected', listener);
    return codes;
  }

  it('applies, but never shows, a meeting slot that a member who is not a facilitator signed and sealed', () => {
    const record = { ...slot(mallory.identity, { createdAt: Date.now() }) };
    const envelope = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'schedule', record)));
    assertDeepEqual(refusedBy(alice, envelope), []);
    const source = { authors: () => alice.log.authors(), creatorId: alice.log.creatorId };
    const seen = weekView(recordsOf(source), { viewerId: alice.id, facilitators: new Set([alice.id]), now: Date.now(), today: TODAY });
    assertDeepEqual(seen.slots, [], 'only facilitators set the schedule, on every device');
  });

  it('refuses an envelope carrying an over-long technique or a check-in for a day far ahead', () => {
    const long = technique(mallory.identity, { createdAt: Date.now(), body: 'x'.repeat(5_000) });
    assertDeepEqual(refusedBy(alice, craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'techniques', long)))), ['body-too-long']);
    const ahead = checkin(mallory.identity, { createdAt: Date.now(), day: '2030-01-01' });
    assertDeepEqual(refusedBy(alice, craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'checkins', ahead)))), ['bad-day']);
  });
});
