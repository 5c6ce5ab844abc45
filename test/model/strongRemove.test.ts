import { deriveFromEntries, type MembershipRecord } from '../../src/model/index.js';
import { assertDeepEqual, assertEqual } from '../assert.js';

/**
 * Strong remove over entries written by hand: signatures are checked when links arrive, so the
 * derivation is fed plain records. Alice creates the group; `after` says what each author had seen.
 */
const ALICE = 'alice';

let clock = 0;
function entry(authorId: string, name: string, after: string[], fields: Partial<MembershipRecord>): MembershipRecord {
  return { v: 1, type: 'membership', id: `${authorId}/m/${name}`, authorId, createdAt: ++clock, action: 'share', after, sig: '', ...fields };
}

const id = (authorId: string, name: string): string => `${authorId}/m/${name}`;

/** Alice's group with Bob, Carol and Dan admitted, and Bob appointed a facilitator. */
function groupOfFour(): MembershipRecord[] {
  return [
    entry(ALICE, 'create', [], { action: 'create', boxKey: 'box-alice', epoch: 0, check: 'check-0' }),
    entry(ALICE, 'bob', [id(ALICE, 'create')], { action: 'admit', member: 'bob', boxKey: 'box-bob' }),
    entry(ALICE, 'carol', [id(ALICE, 'bob')], { action: 'admit', member: 'carol', boxKey: 'box-carol' }),
    entry(ALICE, 'dan', [id(ALICE, 'carol')], { action: 'admit', member: 'dan', boxKey: 'box-dan' }),
    entry(ALICE, 'appoint-bob', [id(ALICE, 'dan')], { action: 'appoint', member: 'bob' }),
  ];
}

/**
 * Bob appoints Carol while Alice removes Bob; Carol, relying on Bob's appointment, removes Dan
 * while Dan starts an epoch. Bob's appointment is void, so Carol's removal is too.
 */
function appointmentVoidedUnderARemoval(): MembershipRecord[] {
  return [
    ...groupOfFour(),
    entry('bob', 'appoint-carol', [id(ALICE, 'appoint-bob')], { action: 'appoint', member: 'carol' }),
    entry(ALICE, 'remove-bob', [id(ALICE, 'appoint-bob')], { action: 'remove', member: 'bob' }),
    entry('carol', 'remove-dan', [id('bob', 'appoint-carol')], { action: 'remove', member: 'dan' }),
    entry('dan', 'epoch', [id(ALICE, 'appoint-bob')], { action: 'epoch', epoch: 1, check: 'check-1' }),
  ];
}

describe('strong remove', () => {
  it('applies a removal whose author is removed concurrently', () => {
    const entries = [
      ...groupOfFour(),
      entry(ALICE, 'remove-bob', [id(ALICE, 'appoint-bob')], { action: 'remove', member: 'bob' }),
      entry('bob', 'remove-carol', [id(ALICE, 'appoint-bob')], { action: 'remove', member: 'carol' }),
    ];
    const state = deriveFromEntries(entries, ALICE);
    assertDeepEqual([...state.members.keys()].sort(), [ALICE, 'dan']);
    assertDeepEqual([...state.removed].sort(), ['bob', 'carol']);
  });

  it("leaves a member's entries standing when the removal that voided them rested on an appointment a concurrent removal voided", () => {
    const entries = appointmentVoidedUnderARemoval();
    const state = deriveFromEntries(entries, ALICE);
    assertDeepEqual([...state.members.keys()].sort(), [ALICE, 'carol', 'dan']);
    assertDeepEqual([...state.removed], ['bob']);
    assertEqual(state.facilitators.has('carol'), false, "Bob's appointment of Carol is void");
    assertEqual(state.current?.ref, id('dan', 'epoch'), "Dan's epoch is the current one");
  });

  it('gives the same result whatever order the entries come in', () => {
    const entries = appointmentVoidedUnderARemoval();
    const forwards = deriveFromEntries(entries, ALICE);
    const backwards = deriveFromEntries([...entries].reverse(), ALICE);
    assertDeepEqual([...backwards.members.keys()].sort(), [...forwards.members.keys()].sort());
    assertEqual(backwards.current?.ref, forwards.current?.ref);
  });
});
