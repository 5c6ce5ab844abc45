import { ready, toBase64Url } from '../../crypto/index.js';
import type { RejectionCode } from '../../src/log/groupLog.js';
import {
  FUTURE_TOLERANCE_MS,
  addCrisisLine,
  admitRecord,
  boardView,
  removeCrisisLine,
  signRecord,
  type CrisisLineRecord,
  type Unsigned,
} from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { CREATOR_SEED, exchange, identityFromSeed, member, view, type Member } from '../fixtures/group.js';
import { craftLink, craftUpdate, setRecord } from './craft.js';

/** A crisis line signed by `m`, with whatever fields the test overrides. */
function signedLine(m: Member, fields: Partial<Unsigned<CrisisLineRecord>> & { suffix?: string } = {}): CrisisLineRecord {
  const { suffix = 'line-crafted', ...rest } = fields;
  const unsigned: Unsigned<CrisisLineRecord> = {
    v: 1,
    type: 'crisis-line',
    id: `${m.id}/${suffix}`,
    authorId: m.id,
    createdAt: Date.now(),
    name: 'Helpline',
    phone: '0800 123 456',
    active: true,
    ...rest,
  };
  return signRecord<CrisisLineRecord>(unsigned, m.identity.signSecretKey);
}

describe("the group's crisis lines", () => {
  let creator: Member;
  let bob: Member;
  let mallory: Member;

  before(async () => {
    await ready();
  });

  beforeEach(async () => {
    creator = await member(CREATOR_SEED);
    bob = await member(2);
    mallory = await member(66);
  });

  /** Delivers crafted envelopes to Bob; returns the codes he refused them with. */
  function attack(envelopes: Uint8Array[]): RejectionCode[] {
    const codes: RejectionCode[] = [];
    const listener = ({ code }: { code: RejectionCode }): void => void codes.push(code);
    bob.log.on('rejected', listener);
    bob.log.receive(envelopes);
    bob.log.off('rejected', listener);
    return codes;
  }

  it('are written by the creator, reach members, and are removed by writing them inactive', async () => {
    const added = await creator.log.write((context) => addCrisisLine(context, { name: 'City line', phone: '+44 20 7946 0000', note: 'Weekdays' }));
    assert(added.ok, 'the creator may add a line');
    exchange(creator, bob);
    assertDeepEqual(view(bob).crisisLines.map((line) => [line.name, line.phone, line.note]), [['City line', '+44 20 7946 0000', 'Weekdays']]);
    const removed = await creator.log.write((context) => removeCrisisLine(context, added.record));
    assert(removed.ok);
    exchange(creator, bob);
    assertDeepEqual(view(bob).crisisLines, []);
  });

  it('refuses to write a line for a member who is not a facilitator', async () => {
    const written = await bob.log.write((context) => addCrisisLine(context, { name: 'My line', phone: '0800 000 000' }));
    assertDeepEqual(written.ok ? 'written' : written.problem, 'not-facilitator');
  });

  it('follows the facilitators it is given (roles), not only the creator', async () => {
    const written = await bob.log.write((context) => addCrisisLine({ ...context, facilitators: new Set([bob.id]) }, { name: 'Bob line', phone: '0800 000 000' }));
    assert(written.ok, 'a named facilitator may add a line');
    assertEqual(view(bob).crisisLines.length, 0, 'not shown where only the creator facilitates');
    const withRoles = boardView({ authors: () => bob.log.authors(), creatorId: bob.log.creatorId, facilitators: new Set([bob.id]) });
    assertDeepEqual(withRoles.crisisLines.map((line) => line.name), ['Bob line']);
  });

  it("applies, but never shows, a line crafted by a member who is not a facilitator", () => {
    const update = craftUpdate((doc) => setRecord(doc, 'crisisLines', signedLine(mallory, { name: 'Call me instead', phone: '0900 666 666' })));
    assertDeepEqual(attack([craftLink(mallory, update)]), []);
    assertDeepEqual(view(bob).crisisLines, []);
  });

  it("rejects a line placed under the creator's name by someone else, with not-author", () => {
    const forged = { ...signedLine(mallory), authorId: toBase64Url(identityFromSeed(CREATOR_SEED).signPublicKey) };
    const update = craftUpdate((doc) => setRecord(doc, 'crisisLines', { ...forged, id: `${forged.authorId}/line-x` }));
    assertDeepEqual(attack([craftLink(mallory, update)]), ['not-author']);
  });

  it('gives a code for each over-long or malformed field', () => {
    const now = Date.now();
    const context = { authorId: creator.id, creatorId: creator.id, notBefore: 0, now };
    const code = (fields: Partial<Unsigned<CrisisLineRecord>> & { suffix?: string }) => {
      const line = signedLine(creator, fields);
      const admission = admitRecord('crisisLines', line.id, line, context);
      return admission.ok ? 'ok' : 'code' in admission ? admission.code : 'held';
    };
    assertEqual(code({}), 'ok');
    assertEqual(code({ name: 'x'.repeat(81) }), 'bad-line-name');
    assertEqual(code({ name: '   ' }), 'bad-line-name');
    assertEqual(code({ phone: '1'.repeat(33) }), 'bad-phone');
    assertEqual(code({ phone: 'javascript:alert(1)' }), 'bad-phone');
    assertEqual(code({ phone: '12' }), 'bad-phone');
    assertEqual(code({ note: 'n'.repeat(201) }), 'bad-line-note');
    assertEqual(code({ suffix: 'not-a-line' }), 'bad-key');
    assertEqual(code({ active: 'yes' as unknown as boolean }), 'bad-active');
    const tampered = { ...signedLine(creator), phone: '0900 666 666' };
    const admission = admitRecord('crisisLines', tampered.id, tampered, context);
    assertDeepEqual(admission, { ok: false, code: 'bad-record-signature' });
  });

  it('holds a line dated far in the future until its time', () => {
    const now = Date.now();
    const line = signedLine(creator, { createdAt: now + 365 * 24 * 3600_000 });
    const admission = admitRecord('crisisLines', line.id, line, { authorId: creator.id, creatorId: creator.id, notBefore: 0, now });
    assertDeepEqual(admission, { ok: false, holdUntil: line.createdAt - FUTURE_TOLERANCE_MS });
  });
});
