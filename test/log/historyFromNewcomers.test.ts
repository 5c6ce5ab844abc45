import { beforeAll, describe, it } from 'vitest';
import { ready, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { CHAIN_ENVELOPE_VERSION, ENVELOPE_VERSION, decryptEnvelope, envelopeHash, openEnvelope, parseEnvelopeHeader } from '../../src/log/envelope.js';
import { GroupLog, type RejectionCode } from '../../src/log/groupLog.js';
import { GroupKeyring, type EpochSecret } from '../../src/log/keyring.js';
import { admitMember, changeSettings } from '../../src/log/membershipOps.js';
import {
  CARRIED_ROOT,
  addReply,
  boardView,
  carriedKey,
  deleteOwnPost,
  signRecord,
  toggleReaction,
  type MemberRecord,
  type Unsigned,
} from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { MemoryDisk } from '../fakes/memoryEnvelopeStore.js';
import { GROUP_ID, everything, identityFromSeed, introduce, nameGroup, post, type Member } from '../fixtures/group.js';
import { craftLink, craftUpdate, setRecord, signedPost } from './craft.js';
import { creatorId, deliver, founder, summary } from './membershipFixtures.js';

/**
 * A group that keeps its history from newcomers (`history: false`): admitting one starts a new
 * epoch, the newcomer holds only its secret, and chains are per author and epoch, so the
 * newcomer reads every chain of that epoch on and nothing before it. Real libsodium, real logs.
 */

interface Device extends Member {
  keyring: GroupKeyring;
  rejected: RejectionCode[];
}

async function device(identity: DeviceIdentity, epochs: EpochSecret[], disk = new MemoryDisk()): Promise<Device> {
  const keyring = new GroupKeyring(GROUP_ID, epochs);
  const log = await GroupLog.open({ keyring, identity, store: disk.open(toBase64Url(GROUP_ID)), creatorId: creatorId() });
  const rejected: RejectionCode[] = [];
  log.on('rejected', ({ code }) => rejected.push(code));
  return { identity, id: toBase64Url(identity.signPublicKey), disk, log, keyring, rejected };
}

/** `by` admits the device of `seed`, which starts from the secrets of its welcome and `by`'s envelopes. */
async function admit(by: Member, seed: number): Promise<{ newcomer: Device; handed: EpochSecret[] }> {
  const identity = identityFromSeed(seed);
  const { outcome, secrets } = await admitMember(by.log, { member: toBase64Url(identity.signPublicKey), boxKey: toBase64Url(identity.boxPublicKey) });
  assert(outcome.ok, `admission refused: ${outcome.ok ? '' : outcome.problem}`);
  const handed = secrets.map(({ epoch, secret }) => ({ epoch, secret }));
  const newcomer = await device(identity, handed);
  newcomer.log.receive(everything(by));
  return { newcomer, handed };
}

const bodies = (m: Member): string[] =>
  boardView({ authors: () => m.log.authors(), creatorId: m.log.creatorId }, m.id)
    .posts.map((p) => p.record.body)
    .sort();

const epochOf = (envelope: Uint8Array): number => {
  const parsed = parseEnvelopeHeader(envelope);
  assert(parsed.ok, 'every envelope a log holds parses');
  return parsed.header.epoch;
};

/** Whether `keyring` opens `envelope` (header, signature, key and AEAD). */
const opens = (keyring: GroupKeyring, envelope: Uint8Array): boolean =>
  openEnvelope(envelope, { groupId: GROUP_ID, keyFor: (epoch, kind) => keyring.keyFor(epoch, kind) }).ok;

describe('a group that keeps its history from newcomers', () => {
  beforeAll(async () => {
    await ready();
  });

  /**
   * Alice founds the group and Bob joins while history is shared; both post; Alice turns history
   * off and admits Carol; then everyone posts again, and every envelope reaches everyone.
   */
  async function scene() {
    const alice = await founder();
    await nameGroup(alice, 'Tuesday circle');
    await introduce(alice, 'Alice');
    const joined = await admitMember(alice.log, { member: toBase64Url(identityFromSeed(2).signPublicKey), boxKey: toBase64Url(identityFromSeed(2).boxPublicKey) });
    const bob = await device(identityFromSeed(2), joined.secrets.map(({ epoch, secret }) => ({ epoch, secret })));
    deliver(alice, bob);
    await introduce(bob, 'Bob');
    const oldPost = await post(alice, 'Before Carol: I relapsed in March.');
    await post(bob, 'Before Carol: ninety days today.');
    deliver(bob, alice);
    const before = [...everything(alice), ...everything(bob)];
    const changed = await changeSettings(alice.log, { history: false });
    assert(changed.ok, 'a facilitator turns history off');
    const { newcomer: carol, handed } = await admit(alice, 3);
    deliver(alice, bob);
    await introduce(carol, 'Carol');
    await post(alice, 'After Carol: welcome, Carol.');
    await post(bob, 'After Carol: glad you are here.');
    await post(carol, 'After Carol: hello, I am new.');
    for (let round = 0; round < 2; round++) for (const from of [alice, bob, carol]) for (const to of [alice, bob, carol]) if (from !== to) deliver(from, to);
    return { alice, bob, carol, handed, before, oldPost };
  }

  it('starts a new epoch on admission and seals only that epoch’s secret to the newcomer', async () => {
    const { alice, bob, carol, handed } = await scene();
    assertDeepEqual(handed.map((h) => h.epoch), [1], 'the welcome carries the new epoch alone');
    assertEqual(alice.log.membership.current?.epoch, 1);
    assertEqual(carol.keyring.all().map((e) => e.epoch).join(), '1', 'the newcomer holds no older secret, after syncing everything');
    assertEqual(carol.log.membership.sealedFor(carol.id).map(({ epoch }) => epoch.epoch).join(), '1', 'no entry seals an older secret to the newcomer');
    assertEqual(summary(carol), summary(alice), 'the newcomer derives the same membership from what was carried to it');
    assertEqual(summary(bob), summary(alice));
    assert(carol.log.membership.members.has(carol.id), 'the newcomer is a member');
  });

  it('lets the newcomer read and verify every post written after its admission, and none before', async () => {
    const { alice, bob, carol, before } = await scene();
    assertDeepEqual(bodies(carol), ['After Carol: glad you are here.', 'After Carol: hello, I am new.', 'After Carol: welcome, Carol.']);
    // Every envelope of the group, as a relay would send it: those of epoch 0 open for nobody
    // holding only what Carol holds; those of epoch 1 all do.
    const all = [...before, ...everything(alice), ...everything(bob)];
    assert(all.some((e) => epochOf(e) === 0) && all.some((e) => epochOf(e) === 1), 'both epochs are in the mix');
    for (const envelope of all) assertEqual(opens(carol.keyring, envelope), epochOf(envelope) >= 1, `epoch ${epochOf(envelope)}`);
    assertEqual(carol.log.getStats().waiting, 0, 'nothing is kept waiting for a key that never comes');
    assert(carol.rejected.includes('before-admission'), 'older envelopes are refused with a code');
    assert(!carol.rejected.includes('decrypt-failed') && !carol.rejected.includes('unknown-epoch'), carol.rejected.join());
    const board = boardView({ authors: () => carol.log.authors(), creatorId: carol.log.creatorId }, carol.id);
    assertEqual(board.group?.name, 'Tuesday circle', 'the group’s details were carried');
    assertDeepEqual([...board.members.values()].map((m) => m.displayName).sort(), ['Alice', 'Bob', 'Carol'], 'names were carried or written anew');
  });

  it('leaves members who hold the older epochs with the whole board, unchanged', async () => {
    const { alice, bob, carol } = await scene();
    const whole = [
      'After Carol: glad you are here.',
      'After Carol: hello, I am new.',
      'After Carol: welcome, Carol.',
      'Before Carol: I relapsed in March.',
      'Before Carol: ninety days today.',
    ];
    assertDeepEqual(bodies(alice), whole);
    assertDeepEqual(bodies(bob), whole);
    assertDeepEqual(bodies(carol), whole.filter((body) => body.startsWith('After')));
  });

  it('never seals older content under the newer epoch: checkpoints are per author and epoch', async () => {
    const { alice, handed } = await scene();
    // Force a checkpoint of Alice's chain of epoch 1 (a delete does), then read every link sealed under epoch 1.
    const mine = await post(alice, 'After Carol: short-lived.');
    assert((await alice.log.write((context) => deleteOwnPost(context, mine), { checkpoint: true })).ok);
    const newKey = new GroupKeyring(GROUP_ID, handed);
    const underNew = everything(alice).filter((e) => epochOf(e) === 1);
    assert(underNew.some((e) => parseEnvelopeHeader(e).ok && (parseEnvelopeHeader(e) as { header: { kind: string } }).header.kind === 'checkpoint'), 'a checkpoint exists');
    for (const envelope of underNew) {
      const plaintext = decryptEnvelope(envelope, newKey.keyFor(1, 'update')!);
      assert(plaintext, 'opens under epoch 1');
      const text = new TextDecoder().decode(plaintext);
      assert(!text.includes('Before Carol') && !text.includes('relapsed'), 'no older post under the new key');
    }
    assert(everything(alice).every((e) => parseEnvelopeHeader(e).ok && (parseEnvelopeHeader(e) as { header: { version: number } }).header.version === CHAIN_ENVELOPE_VERSION));
  });

  it('deletes an older post in its own epoch’s chain, which the newcomer refuses and the others apply', async () => {
    const { alice, bob, carol, oldPost, handed } = await scene();
    const deleted = await alice.log.write((context) => deleteOwnPost(context, oldPost), { checkpoint: true });
    assert(deleted.ok, 'an author deletes a post of an earlier epoch');
    deliver(alice, bob);
    const carolBefore = bodies(carol);
    carol.rejected.length = 0;
    deliver(alice, carol);
    assert(!bodies(alice).some((b) => b.includes('relapsed')) && !bodies(bob).some((b) => b.includes('relapsed')), 'gone for members who saw it');
    assertDeepEqual(bodies(carol), carolBefore, 'the newcomer’s board is unchanged');
    for (const envelope of everything(alice)) {
      if (epochOf(envelope) === 0) continue;
      const text = new TextDecoder().decode(decryptEnvelope(envelope, new GroupKeyring(GROUP_ID, handed).keyFor(1, 'update')!)!);
      assert(!text.includes('relapsed'), 'the delete did not move the post into the new epoch');
    }
  });

  it('shows a newcomer’s reply to an older post to those who see the post, and keeps reactions and names at their latest', async () => {
    const { alice, bob, carol, oldPost } = await scene();
    await carol.log.write((context) => addReply(context, oldPost, 'From Carol, to a post she cannot read.'));
    await bob.log.write((context) => toggleReaction(context, oldPost, 'proud-of-you'));
    // Bob's name was carried to Carol from epoch 0; his new one is in his chain of epoch 1.
    await introduce(bob, 'Bob R.');
    for (const from of [alice, bob, carol]) for (const to of [alice, bob, carol]) if (from !== to) deliver(from, to);
    const aliceBoard = boardView({ authors: () => alice.log.authors(), creatorId: alice.log.creatorId }, alice.id);
    const old = aliceBoard.posts.find((p) => p.record.id === oldPost)!;
    assertDeepEqual(old.replies.map((r) => r.record.body), ['From Carol, to a post she cannot read.']);
    assertEqual(old.reactions['proud-of-you'].count, 1);
    for (const m of [alice, carol]) {
      const names = boardView({ authors: () => m.log.authors(), creatorId: m.log.creatorId }).members;
      assertEqual(names.get(bob.id)?.displayName, 'Bob R.', 'the newer name wins over the carried one');
    }
  });

  it('withdraws, in one tap, a reaction given in an earlier epoch', async () => {
    const alice = await founder();
    const postId = await post(alice, 'A post from epoch 0.');
    assert((await alice.log.write((context) => toggleReaction(context, postId, 'me-too'))).ok);
    assert((await changeSettings(alice.log, { history: false })).ok);
    await admit(alice, 3);
    assertEqual(alice.log.membership.current?.epoch, 1, 'Alice writes in a new chain now');
    assert((await alice.log.write((context) => toggleReaction(context, postId, 'me-too'))).ok);
    const board = boardView({ authors: () => alice.log.authors(), creatorId: alice.log.creatorId }, alice.id);
    assertEqual(board.posts.find((p) => p.record.id === postId)?.reactions['me-too'].count, 0);
  });

  it('reopens the newcomer’s board from its disk alone', async () => {
    const { carol, handed } = await scene();
    await carol.disk.open(toBase64Url(GROUP_ID)).flush();
    const reopened = await device(carol.identity, handed, carol.disk);
    assertEqual(reopened.log.openProblem, undefined);
    assertDeepEqual(bodies(reopened), bodies(carol));
    assertEqual(summary(reopened), summary(carol));
  });

  it('still hands every older secret to a newcomer when the group shares its history', async () => {
    const alice = await founder();
    await post(alice, 'Before Dan.');
    const { newcomer: dan, handed } = await admit(alice, 4);
    assertDeepEqual(handed.map((h) => h.epoch), [0], 'no new epoch, the old secret handed');
    await post(alice, 'After Dan.');
    deliver(alice, dan);
    assertDeepEqual(bodies(dan), ['After Dan.', 'Before Dan.']);
  });

  describe('attacks with crafted bytes', () => {
    it('refuses a first link of an epoch’s chain that claims to continue an older chain', async () => {
      const { alice, bob, carol } = await scene();
      const mallory = bob;
      const older = everything(mallory).find((e) => epochOf(e) === 0)!;
      const epoch1 = (m: Member) => m.log.keyringEpoch;
      const claim = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(mallory, { suffix: 'sneak', body: 'Continuing my old chain.' }))), {
        epoch: 1,
        seq: 1,
        prev: envelopeHash(older),
        key: new GroupKeyring(GROUP_ID, [epoch1(mallory)]).keyFor(1, 'update'),
      });
      for (const m of [alice, carol]) {
        const seen: RejectionCode[] = [];
        m.log.on('rejected', ({ code }) => seen.push(code));
        const before = bodies(m);
        m.log.receive([claim]);
        assertDeepEqual(seen, ['bad-chain-start']);
        assertDeepEqual(bodies(m), before, 'nothing applied');
        m.log.receive([claim]);
        assertDeepEqual(seen, ['bad-chain-start'], 'refused once, then dropped for one hash');
      }
    });

    it('refuses, with an error value, an envelope under an epoch the newcomer was never given, and loses nothing it holds', async () => {
      const { bob, carol } = await scene();
      await carol.disk.open(toBase64Url(GROUP_ID)).flush();
      const stored = carol.disk.links(toBase64Url(GROUP_ID)).length;
      const before = bodies(carol);
      const crafted = craftLink(bob, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(bob, { suffix: 'e0', body: 'Under epoch 0.' }))), { epoch: 0 });
      const legacy = craftLink(bob, craftUpdate((doc) => setRecord(doc, 'posts', signedPost(bob, { suffix: 'v2', body: 'A version 2 link.' }))), {
        epoch: 0,
        version: ENVELOPE_VERSION,
      });
      carol.rejected.length = 0;
      const result = carol.log.receive([crafted, legacy, Uint8Array.from([3, 1, 2, 3])]);
      assertEqual(result.waiting, false, 'nothing waits for a key that never comes');
      assertDeepEqual(carol.rejected.sort(), ['bad-length', 'before-admission', 'before-admission']);
      assertDeepEqual(bodies(carol), before);
      await carol.disk.open(toBase64Url(GROUP_ID)).flush();
      assertEqual(carol.disk.links(toBase64Url(GROUP_ID)).length, stored, 'what the newcomer stored is all still there');
    });

    it('refuses carried records that are forged, of a type never carried, or filed under another carrier', async () => {
      const { alice, bob, carol } = await scene();
      const mallory = bob;
      const epoch = mallory.log.keyringEpoch;
      const key = new GroupKeyring(GROUP_ID, [epoch]).keyFor(1, 'update');
      const profile = signRecord<MemberRecord>(
        { v: 1, type: 'member', id: `${alice.id}/profile`, authorId: alice.id, createdAt: Date.now(), displayName: 'Alice', boxPublicKey: toBase64Url(alice.identity.boxPublicKey) } as Unsigned<MemberRecord>,
        mallory.identity.signSecretKey,
      );
      const forged = { ...profile, displayName: 'Not Alice' };
      const post = signedPost(alice);
      const cases: [unknown, string, RejectionCode][] = [
        [forged, carriedKey(mallory.id, forged.id), 'bad-record-signature'],
        [post, carriedKey(mallory.id, post.id), 'bad-carried'],
        [profile, carriedKey(alice.id, profile.id), 'not-author'],
      ];
      for (const [value, keyName, code] of cases) {
        const link = craftLink(mallory, craftUpdate((doc) => doc.getMap(CARRIED_ROOT).set(keyName, value)), { epoch: 1, key });
        const seen: RejectionCode[] = [];
        carol.log.on('rejected', (r) => seen.push(r.code));
        carol.log.receive([link]);
        assertDeepEqual(seen, [code]);
      }
      const names = boardView({ authors: () => carol.log.authors(), creatorId: carol.log.creatorId }).members;
      assertEqual(names.get(alice.id)?.displayName, 'Alice', 'no forged name reaches the board');
    });

    it('keeps every device on one board when a relay sends the old chains first and the new ones after', async () => {
      const { alice, bob } = await scene();
      const { newcomer: erin } = await admit(alice, 5);
      const ordered = [...everything(bob), ...everything(alice)].sort((a, b) => epochOf(a) - epochOf(b));
      erin.log.receive(ordered);
      const fresh = await device(erin.identity, [erin.keyring.all().find((e) => e.epoch === 2)!]);
      fresh.log.receive([...ordered].reverse());
      assertDeepEqual(bodies(fresh), bodies(erin));
      assertEqual(summary(fresh), summary(alice));
    });
  });
});
