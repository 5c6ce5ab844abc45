import * as Y from 'yjs';
import { bytesEqual, createGroupSecret, deriveContentKey, ready, sign, toBase64Url } from '../../crypto/index.js';
import { envelopeHash, HEADER_BYTES } from '../../src/log/envelope.js';
import { MAX_WAITING_PER_AUTHOR } from '../../src/log/authorChain.js';
import { LIMITS, type RejectionCode } from '../../src/log/groupLog.js';
import { FUTURE_TOLERANCE_MS, signRecord, type GroupInfoRecord } from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { chainKey, everything, exchange, identityFromSeed, member, nameGroup, post, view, visible, type Member } from '../fixtures/group.js';
import { craftLink, craftUpdate, setRecord, signedPost } from './craft.js';

/**
 * Every member is a possible adversary. Mallory holds the group secret and writes bytes by
 * hand; each test checks that honest boards are unchanged, the rejection code, and that the
 * check took bounded time.
 */
describe('a hostile member', () => {
  let alice: Member;
  let bob: Member;
  let mallory: Member;
  let honestBefore: string[];

  before(async () => {
    await ready();
  });

  beforeEach(async () => {
    alice = await member(1);
    bob = await member(2);
    mallory = await member(66);
    await nameGroup(alice, 'Tuesday circle');
    await post(alice, 'Ninety days today.');
    await post(bob, 'Proud of you.');
    for (const [a, b] of [[alice, bob], [alice, mallory], [bob, mallory]] as const) exchange(a, b);
    honestBefore = visible(alice);
  });

  /** Delivers Mallory's envelopes to Alice and Bob; returns the codes they refused them with. */
  function attack(envelopes: Uint8Array[], maxMs = 5_000): RejectionCode[] {
    const codes: RejectionCode[] = [];
    const listener = ({ code }: { code: RejectionCode }): void => void codes.push(code);
    alice.log.on('rejected', listener);
    const started = performance.now();
    alice.log.receive(envelopes);
    const elapsed = performance.now() - started;
    alice.log.off('rejected', listener);
    bob.log.receive(envelopes);
    assert(elapsed < maxMs, `the check took ${elapsed.toFixed(0)} ms`);
    return codes;
  }

  function assertHonestBoardsUnchanged(): void {
    assertDeepEqual(visible(alice), honestBefore, "Alice's board changed");
    assertDeepEqual(visible(bob), honestBefore, "Bob's board changed");
  }

  it("cannot rewrite another member's post, even with that member's own signed record", async () => {
    const original = alice.log.ownDoc.getMap('posts').values().next().value as { id: string };
    const rewritten = { ...original, body: 'I relapsed last night.' };
    const update = craftUpdate((doc) => setRecord(doc, 'posts', rewritten));
    assertDeepEqual(attack([craftLink(mallory, update)]), ['not-author']);
    const copied = craftUpdate((doc) => setRecord(doc, 'posts', original as never));
    assertDeepEqual(attack([craftLink(mallory, copied)]), ['not-author']);
    assertHonestBoardsUnchanged();
  });

  it('cannot forge a post in another member’s name', async () => {
    const forged = { ...signedPost(mallory, { body: 'Forged.' }), id: `${alice.id}/forged`, authorId: alice.id };
    assertDeepEqual(attack([craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', forged)))]), ['not-author']);
    // An envelope claiming Alice as its author, signed by Mallory.
    const claimed = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory))), {
      authorKey: alice.identity.signPublicKey,
      seq: 3,
    });
    assertDeepEqual(attack([claimed]), ['bad-signature']);
    assertHonestBoardsUnchanged();
  });

  it("cannot change another member's envelope in transit", async () => {
    const genuine = alice.log.envelopesAfter(chainKey(alice), 0)[1]!;
    for (const offset of [1, 30, 60, HEADER_BYTES + 30, genuine.length - 1]) {
      const tampered = genuine.slice();
      tampered[offset]! ^= 1;
      const fresh = await member(3);
      fresh.log.receive(everything(alice).filter((e) => e !== genuine).slice(0, 1));
      fresh.log.receive([tampered]);
      assertEqual(fresh.log.heads().find((h) => bytesEqual(h.authorKey, chainKey(alice)))?.seq ?? 0, 1);
    }
    assertHonestBoardsUnchanged();
  });

  it("cannot erase another member's post with a delete set", async () => {
    const aliceState = Y.encodeStateAsUpdate(alice.log.ownDoc);
    const base = new Y.Doc();
    Y.applyUpdate(base, aliceState);
    const erase = craftUpdate((doc) => doc.getMap('posts').forEach((_v, key) => doc.getMap('posts').delete(key)), base);
    assertDeepEqual(attack([craftLink(mallory, erase)]), ['pending-deletes']);
    assertHonestBoardsUnchanged();
  });

  it("cannot silence a member by deleting their future items", async () => {
    const aliceClient = [...alice.log.ownDoc.store.clients.keys()][0]!;
    const encoder = new Y.UpdateEncoderV1();
    // An update with no structs and a delete set for 1,000 of Alice's clocks not yet written.
    const bytes = [0, 1, ...varUint(aliceClient), 1, ...varUint(5), ...varUint(1000)];
    void encoder;
    assertDeepEqual(attack([craftLink(mallory, Uint8Array.from(bytes))]), ['pending-deletes']);
    await post(alice, 'Still here.');
    exchange(alice, bob);
    assertEqual(view(bob).posts.length, 3);
  });

  it('cannot squat another member’s Yjs client id', async () => {
    const aliceClient = [...alice.log.ownDoc.store.clients.keys()][0]!;
    const squat = craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory, { body: 'Squatting.' })), undefined, aliceClient);
    assertDeepEqual(attack([craftLink(mallory, squat)]), []);
    await post(alice, 'Written after the squat.');
    exchange(alice, bob);
    const bodies = view(bob).posts.map((p) => p.record.body);
    assert(bodies.includes('Written after the squat.') && bodies.includes('Squatting.'));
  });

  it('cannot add other roots to its document', async () => {
    const junk = craftUpdate((doc) => doc.getArray('junk').push(['x'.repeat(1000)]));
    assertDeepEqual(attack([craftLink(mallory, junk)]), ['unknown-root']);
    assert(!alice.log.authors()[Symbol.iterator]().next().value![1].share.has('junk'));
    const nested = craftUpdate((doc) => doc.getMap('posts').set(`${mallory.id}/nested`, new Y.Map()));
    assertDeepEqual(attack([craftLink(mallory, nested)]), ['nested-type']);
    assertHonestBoardsUnchanged();
  });

  it('cannot make anyone wait on an update that refers to items nobody has', async () => {
    const base = new Y.Doc();
    base.getMap('posts').set(`${mallory.id}/never-sent`, signedPost(mallory, { suffix: 'never-sent' }));
    const dangling = craftUpdate((doc) => doc.getMap('posts').set(`${mallory.id}/never-sent`, signedPost(mallory, { suffix: 'never-sent', body: 'second' })), base);
    assertDeepEqual(attack([craftLink(mallory, dangling)]), ['pending-structs']);
    assertDeepEqual(attack([craftLink(mallory, Uint8Array.from([1, 2, 3, 250, 250]))]), ['malformed-update']);
    assertEqual(alice.log.getStats().waiting, 0);
    assertHonestBoardsUnchanged();
  });

  it('is refused floods of unsigned or unknown-epoch envelopes without keeping any', async () => {
    const valid = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory))));
    const unsigned = Array.from({ length: 500 }, (_, i) => {
      const bytes = valid.slice();
      bytes[bytes.length - 1 - (i % 64)]! ^= 1;
      return bytes;
    });
    const codes = attack(unsigned);
    assertEqual(codes.length, 500);
    assert(codes.every((code) => code === 'bad-signature'));
    const unknownEpoch = Array.from({ length: 50 }, (_, i) => craftLink(mallory, craftUpdate(() => undefined), { epoch: 7 + i }));
    assert(attack(unknownEpoch).every((code) => code === 'unknown-epoch'));
    assertEqual(alice.log.getStats().waiting, 0);
    assertHonestBoardsUnchanged();
  });

  it('is refused a link sealed under a key nobody holds each time it comes, and nothing waits for it', async () => {
    const stranger = deriveContentKey(createGroupSecret(), 0);
    const sealedElsewhere = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory))), { key: stranger });
    assertDeepEqual(attack([sealedElsewhere]), ['decrypt-failed']);
    assertDeepEqual(attack([sealedElsewhere]), ['decrypt-failed'], 'refused again: a secret that opens it could have come since');
    assertEqual(alice.log.getStats().waiting, 0);
    assertHonestBoardsUnchanged();
    await post(mallory, 'an honest post at that place');
    exchange(mallory, alice);
    assert(visible(alice).some((shown) => shown.includes(':an honest post at that place:')), "the refused link does not block Mallory's chain");
  });

  it('cannot make its own chain diverge between members by signing two envelopes for one seq', async () => {
    const one = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory, { suffix: 'one', body: 'Version one.' }))));
    const two = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory, { suffix: 'two', body: 'Version two.' }))));
    alice.log.receive([one]);
    alice.log.receive([two]);
    bob.log.receive([two]);
    bob.log.receive([one]);
    assertDeepEqual(visible(alice), visible(bob));
    assertDeepEqual(alice.log.getStats().forked, [mallory.id]);
    assertDeepEqual(bob.log.getStats().forked, [mallory.id]);
    const winner = Buffer.compare(Buffer.from(envelopeHash(one)), Buffer.from(envelopeHash(two))) < 0 ? 'Version one.' : 'Version two.';
    assert(view(alice).posts.some((p) => p.record.body === winner));
  });

  it('is refused oversized updates and updates with too many records, in linear time', async () => {
    const big = craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory, { body: 'x'.repeat(4000) })));
    const padded = new Uint8Array(LIMITS.updateBytes + 1);
    padded.set(big);
    assertDeepEqual(attack([craftLink(mallory, padded)]), ['too-large']);
    const record = signedPost(mallory);
    const many = craftUpdate((doc) => {
      const posts = doc.getMap('posts');
      for (let i = 0; i < 40_000; i++) posts.set(`${mallory.id}/p${i}`, { ...record, id: `${mallory.id}/p${i}` });
    });
    assertDeepEqual(attack([craftLink(mallory, many, { kind: 'checkpoint', seq: 1 })], 10_000), ['bad-record-signature']);
    const overCap = craftUpdate((doc) => {
      const posts = doc.getMap('posts');
      for (let i = 0; i <= LIMITS.updateRecords; i++) posts.set(`${mallory.id}/q${i}`, signedPost(mallory, { suffix: `q${i}` }));
    });
    assertDeepEqual(attack([craftLink(mallory, overCap)]), ['too-many-records']);
    assertHonestBoardsUnchanged();
  });

  it('cannot backdate a post below its previous one, or pin one on top with a future date', async () => {
    await post(mallory, 'Honest post.');
    exchange(mallory, alice);
    exchange(mallory, bob);
    honestBefore = visible(alice);
    const backdated = craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory, { suffix: 'old', createdAt: 1_000 })));
    assertDeepEqual(attack([craftLink(mallory, backdated)]), ['backdated']);
    const future = Date.now() + FUTURE_TOLERANCE_MS + 60_000;
    const pinned = craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory, { suffix: 'pinned', createdAt: future })));
    const link = craftLink(mallory, pinned);
    assertDeepEqual(attack([link]), [], 'a future record is held, not refused');
    assertHonestBoardsUnchanged();
    const later = await member(1, { now: () => future });
    later.log.receive(everything(mallory).concat([link]));
    assert(view(later).posts.some((p) => p.record.body === 'crafted'), 'shown once its time has come');
  });

  it('cannot take over the group name: a non-facilitator\'s group details are held but never shown', async () => {
    const info: GroupInfoRecord = signRecord<GroupInfoRecord>(
      { v: 1, type: 'group-info', id: `${mallory.id}/group`, authorId: mallory.id, createdAt: Date.now(), name: 'Taken over' },
      mallory.identity.signSecretKey,
    );
    attack([craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'group', info)))]);
    assertEqual(view(alice).group?.name, 'Tuesday circle');
  });

  it('cannot get a record with a signature that does not match its content shown', async () => {
    const record = { ...signedPost(mallory), body: 'changed after signing' };
    assertDeepEqual(attack([craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', record)))]), ['bad-record-signature']);
    assertHonestBoardsUnchanged();
  });

  it('cannot fill memory with envelopes that wait on a gap it never fills', async () => {
    const tiny = craftUpdate(() => undefined);
    const gapped = Array.from({ length: MAX_WAITING_PER_AUTHOR + 100 }, (_, i) => craftLink(mallory, tiny, { seq: i + 3 }));
    assertDeepEqual(attack(gapped), []);
    assertEqual(alice.log.getStats().waiting, MAX_WAITING_PER_AUTHOR);
    assertHonestBoardsUnchanged();
  });

  it('cannot create chains for made-up authors without a valid signature', async () => {
    const authorsBefore = [...alice.log.authors()].length;
    const stranger = identityFromSeed(99);
    const bytes = craftLink(mallory, craftUpdate(() => undefined), { authorKey: stranger.signPublicKey, seq: 1 });
    bytes.set(sign(bytes.subarray(0, bytes.length - 64), mallory.identity.signSecretKey), bytes.length - 64);
    assertDeepEqual(attack([bytes]), ['bad-signature']);
    assertEqual([...alice.log.authors()].length, authorsBefore, 'no chain for the made-up author');
  });
});

function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
