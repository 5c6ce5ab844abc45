import * as Y from 'yjs';
import { ready } from '../../crypto/index.js';
import { decryptEnvelope, parseEnvelopeHeader } from '../../src/log/envelope.js';
import type { RejectionCode } from '../../src/log/groupLog.js';
import {
  addReply,
  deleteOwnPost,
  deleteOwnReply,
  moderatedView,
  moderationOf,
  setHidden,
  setPinned,
  signRecord,
  type BoardView,
  type GroupInfoRecord,
  type HideRecord,
  type PinRecord,
  type Unsigned,
  recordsOf,
} from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { chainId, everything, exchange, GROUP_ID, keyring, member, nameGroup, post, view, type Member } from '../fixtures/group.js';
import { toBase64Url } from '../../crypto/index.js';
import { craftLink, craftUpdate, setRecord } from './craft.js';

/**
 * Moderation through real logs: Alice created the group (its one facilitator until the
 * membership log names more), Bob and Carol are members, Mallory is a member who writes bytes
 * by hand. Every device is given every envelope; each must show the same board.
 */
describe('moderation', () => {
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let mallory: Member;
  let facilitators: Set<string>;

  before(async () => {
    await ready();
  });

  beforeEach(async () => {
    alice = await member(1);
    bob = await member(2);
    carol = await member(3);
    mallory = await member(66);
    facilitators = new Set([alice.id]);
    sent.clear();
    for (const m of devices()) {
      sent.set(m, []);
      m.log.on('appended', (envelopes) => void sent.get(m)!.push(...envelopes.filter((e) => isOwn(m, e))));
    }
    await nameGroup(alice, 'Tuesday circle');
  });

  const devices = (): Member[] => [alice, bob, carol, mallory];

  /** Every device ends up holding every envelope. */
  function syncAll(): void {
    const all = devices().flatMap(everything);
    for (const m of devices()) m.log.receive(all);
  }

  function seenBy(m: Member): BoardView {
    const board = view(m);
    const postIds = new Set(board.posts.map((p) => p.record.id));
    return moderatedView(board, moderationOf(recordsOf({ authors: () => m.log.authors(), creatorId: m.log.creatorId }), facilitators, postIds), m.id, facilitators);
  }

  /** What `m` sees of each post: its body, with marks. */
  const shown = (m: Member): string[] =>
    seenBy(m).posts.map((p) => `${p.record.body}${p.hidden ? ' [hidden]' : ''}${p.pinned ? ' [pinned]' : ''}`);

  function signed<R extends HideRecord | PinRecord>(by: Member, record: Omit<Unsigned<R>, 'v' | 'authorId' | 'id'> & { suffix: string }): R {
    const { suffix, ...fields } = record;
    return signRecord<R>({ v: 1, authorId: by.id, id: `${by.id}/${suffix}`, ...fields } as unknown as Unsigned<R>, by.identity.signSecretKey);
  }

  function rejections(m: Member, envelopes: Uint8Array[]): RejectionCode[] {
    const codes: RejectionCode[] = [];
    const listener = ({ code }: { code: RejectionCode }): void => void codes.push(code);
    m.log.on('rejected', listener);
    m.log.receive(envelopes);
    m.log.off('rejected', listener);
    return codes;
  }

  /** Every envelope `m` signs from now on, as a relay that kept them would hold them. */
  const sent = new Map<Member, Uint8Array[]>();
  function sentBy(m: Member): Uint8Array[] {
    return sent.get(m) ?? [];
  }

  it('hides a post for members and keeps it, marked hidden, for its author and the facilitators', async () => {
    const postId = await post(bob, 'A hard night.');
    await post(carol, 'Thinking of you all.');
    syncAll();
    const hid = await alice.log.write((context) => setHidden(context, postId, true, facilitators));
    assert(hid.ok, 'a facilitator may hide');
    syncAll();
    assertDeepEqual(shown(carol), ['Thinking of you all.']);
    assertDeepEqual(shown(mallory), ['Thinking of you all.']);
    assertDeepEqual(shown(bob), ['Thinking of you all.', 'A hard night. [hidden]']);
    assertDeepEqual(shown(alice), ['Thinking of you all.', 'A hard night. [hidden]']);

    await alice.log.write((context) => setHidden(context, postId, false, facilitators));
    syncAll();
    assertDeepEqual(shown(carol), ['Thinking of you all.', 'A hard night.']);
  });

  it('ignores, on every device, a hide or a pin signed by someone who is not a facilitator', async () => {
    const postId = await post(bob, 'A hard night.');
    syncAll();
    const refused = await mallory.log.write((context) => setHidden(context, postId, true, facilitators));
    assert(!refused.ok && refused.problem === 'not-facilitator', 'the model refuses to write it');
    const crafted = craftUpdate((doc) => {
      setRecord(doc, 'hides', signed<HideRecord>(mallory, { type: 'hide', suffix: `${postId}|hide`, createdAt: Date.now(), postId, hidden: true }));
      setRecord(doc, 'pins', signed<PinRecord>(mallory, { type: 'pin', suffix: `${postId}|pin`, createdAt: Date.now(), postId, pinned: true }));
    });
    const link = craftLink(mallory, crafted);
    for (const m of [alice, bob, carol]) assertDeepEqual(rejections(m, [link]), [], 'well-formed and signed: it is held, and counts for nothing');
    for (const m of devices()) assertDeepEqual(shown(m), ['A hard night.'], 'not hidden, not pinned');
  });

  it('refuses a hide record in Mallory’s document that claims to be Alice’s', async () => {
    const postId = await post(bob, 'A hard night.');
    syncAll();
    const record = { ...signed<HideRecord>(mallory, { type: 'hide', suffix: `${postId}|hide`, createdAt: Date.now(), postId, hidden: true }) };
    const forged = { ...record, id: `${alice.id}/${postId}|hide`, authorId: alice.id };
    const link = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'hides', forged)));
    for (const m of [bob, carol]) assertDeepEqual(rejections(m, [link]), ['not-author']);
    assertDeepEqual(shown(carol), ['A hard night.']);
  });

  it('cannot rename the group unless a facilitator: the details are kept but never shown, on every device', async () => {
    const info = signRecord<GroupInfoRecord>(
      { v: 1, type: 'group-info', id: `${mallory.id}/group`, authorId: mallory.id, createdAt: Date.now(), name: 'Taken over' },
      mallory.identity.signSecretKey,
    );
    syncAll();
    const link = craftLink(mallory, craftUpdate((doc) => setRecord(doc, 'group', info)));
    for (const m of [alice, bob, carol]) {
      assertDeepEqual(rejections(m, [link]), []);
      assertEqual(view(m).group?.name, 'Tuesday circle');
    }
  });

  it('pins up to three posts, refuses a fourth, and shows pinned posts first', async () => {
    const ids: string[] = [];
    for (const body of ['one', 'two', 'three', 'four']) ids.push(await post(bob, body));
    syncAll();
    for (const id of ids.slice(0, 3)) {
      const pinnedNow = moderationOf(recordsOf({ authors: () => alice.log.authors(), creatorId: alice.log.creatorId }), facilitators, new Set(ids)).pinned;
      assert((await alice.log.write((context) => setPinned(context, id, true, facilitators, pinnedNow))).ok);
    }
    const pinnedNow = moderationOf(recordsOf({ authors: () => alice.log.authors(), creatorId: alice.log.creatorId }), facilitators, new Set(ids)).pinned;
    const fourth = await alice.log.write((context) => setPinned(context, ids[3]!, true, facilitators, pinnedNow));
    assert(!fourth.ok && fourth.problem === 'too-many-pins', 'a fourth pin is refused');
    syncAll();
    const board = shown(carol);
    assertDeepEqual(board.slice(0, 3).sort(), ['one [pinned]', 'three [pinned]', 'two [pinned]']);
    assertEqual(board[3], 'four');
  });

  it('keeps the three most recent pins on every device when a fourth is crafted, whatever the order of delivery', async () => {
    const ids: string[] = [];
    for (const body of ['one', 'two', 'three', 'four']) ids.push(await post(bob, body));
    syncAll();
    const base = Date.now();
    // Alice's own device, patched to skip the check, pins all four: two at the same instant.
    const times = [base, base + 1, base + 2, base + 2];
    const crafted = craftUpdate(
      (doc) => ids.forEach((postId, i) => setRecord(doc, 'pins', signed<PinRecord>(alice, { type: 'pin', suffix: `${postId}|pin`, createdAt: times[i]!, postId, pinned: true }))),
      alice.log.ownDoc,
    );
    const link = craftLink(alice, crafted);
    const early = await member(3);
    early.log.receive([link, ...everything(alice).reverse(), ...everything(bob)]);
    for (const m of [bob, carol]) m.log.receive([link]);
    const pinned = (m: Member): string[] => seenBy(m).posts.filter((p) => p.pinned).map((p) => p.record.body);
    // Ties at one instant fall to the record id: both devices agree on which.
    const expected = pinned(bob);
    assertEqual(expected.length, 3);
    assert(!expected.includes('one'), 'the oldest pin is the one dropped');
    assertDeepEqual(pinned(carol), expected);
    assertDeepEqual(pinned(early), expected);
  });

  it('reaches the same hidden and pinned posts on every device when two facilitators disagree, whatever the order of delivery', async () => {
    facilitators = new Set([alice.id, bob.id]);
    const ids: string[] = [];
    for (const body of ['one', 'two', 'three', 'four', 'five']) ids.push(await post(carol, body));
    syncAll();
    // Alice and Bob each pin, unpin, hide and show, unaware of each other.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 12; round++) {
      for (const facilitator of [alice, bob]) {
        const postId = ids[Math.floor(next() * ids.length)]!;
        const hide = next() < 0.5;
        const flag = next() < (hide ? 0.35 : 0.8);
        await facilitator.log.write<HideRecord | PinRecord>((context) =>
          hide ? setHidden(context, postId, flag, facilitators) : setPinned(context, postId, flag, facilitators, []),
        );
      }
    }
    // Then a last word on three posts, a moment later, so the outcome is known as well as shared.
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const postId of ids.slice(0, 2)) {
      await alice.log.write((context) => setHidden(context, postId, false, facilitators));
      await alice.log.write((context) => setPinned(context, postId, true, facilitators, []));
    }
    await bob.log.write((context) => setHidden(context, ids[4]!, true, facilitators));
    const envelopes = [alice, bob, carol].flatMap(everything);
    const seen: string[] = [];
    for (let trial = 0; trial < 4; trial++) {
      const device = await member(10 + trial);
      const shuffled = [...envelopes].sort(() => next() - 0.5);
      for (const envelope of shuffled) device.log.receive([envelope]);
      seen.push(JSON.stringify(shown(device)));
    }
    assertEqual(new Set(seen).size, 1, seen.join('\n'));
    const board = JSON.parse(seen[0]!) as string[];
    assert(board.includes('one [pinned]') && board.includes('two [pinned]'), board.join());
    assert(board.filter((line) => line.endsWith('[pinned]')).length <= 3, 'never more than three pins');
    assert(!board.some((line) => line.startsWith('five')), 'the post Bob hid last is hidden');
  });

  it('deletes my post and my replies to it from every device, and from every disk at the checkpoint that follows', async () => {
    const secret = 'I slipped on Saturday and told nobody.';
    const postId = await post(bob, secret);
    await bob.log.write((context) => addReply(context, postId, `${secret} Still here.`));
    syncAll();
    await flushed(carol);
    assert(onDisk(bob, bob.id).includes(secret) && onDisk(carol, bob.id).includes(secret), 'the text is on disk before the delete');

    const deleted = await bob.log.write((context) => deleteOwnPost(context, postId), { checkpoint: true });
    assert(deleted.ok, 'an author deletes their own post');
    syncAll();
    for (const m of devices()) {
      assertDeepEqual(shown(m), [], 'gone from every board');
      await flushed(m);
      assert(!onDisk(m, bob.id).includes('I slipped'), `the text is off ${m === bob ? "Bob's" : 'a member’s'} disk`);
      assert(!textInDoc(m, bob.id).includes('I slipped'), 'and out of the document in memory');
    }
  });

  it('keeps only the checkpoint on the disk of a device that receives the post, its delete and the checkpoint in one batch', async () => {
    const postId = await post(bob, 'I slipped on Saturday.');
    assert((await bob.log.write((context) => deleteOwnPost(context, postId), { checkpoint: true })).ok);
    // A relay that still held Bob's older links sends them along with the checkpoint.
    const relayed = [...sentBy(bob)];
    const newcomer = await member(9);
    newcomer.log.receive(relayed);
    await flushed(newcomer);
    assert(!onDisk(newcomer, bob.id).includes('I slipped'), 'no trace of the post on disk');
    assertEqual(newcomer.disk.links(toBase64Url(GROUP_ID)).filter((link) => link.authorId === chainId(bob)).length, 1, 'the checkpoint alone');
    const reopened = await member(9, { disk: newcomer.disk });
    assertEqual(reopened.log.openProblem, undefined, 'what is stored reopens cleanly');
  });

  it('deletes my reply, leaving the post', async () => {
    const postId = await post(alice, 'Ninety days.');
    const reply = await bob.log.write((context) => addReply(context, postId, 'So proud of you.'));
    assert(reply.ok);
    syncAll();
    const deleted = await bob.log.write((context) => deleteOwnReply(context, reply.record.id), { checkpoint: true });
    assert(deleted.ok);
    syncAll();
    assertDeepEqual(seenBy(carol).posts.map((p) => [p.record.body, p.replies.length]), [['Ninety days.', 0]]);
    await flushed(carol);
    assert(!onDisk(carol, bob.id).includes('So proud'), 'off the disk');
  });

  it('cannot delete someone else’s post: the model refuses, and crafted deletes do not apply anywhere', async () => {
    const postId = await post(alice, 'Ninety days.');
    syncAll();
    const refused = await mallory.log.write((context) => deleteOwnPost(context, postId));
    assert(!refused.ok && refused.problem === 'not-own', 'the model refuses');
    // A delete set naming Alice's own items (her client id and clocks), in Mallory's chain.
    const aliceDoc = alice.log.ownDoc;
    const craftedDeletes = craftUpdate((doc) => doc.getMap('posts').delete(postId), aliceDoc);
    for (const m of [bob, carol]) assertDeepEqual(rejections(m, [craftLink(mallory, craftedDeletes)]), ['pending-deletes']);
    for (const m of devices()) assertDeepEqual(shown(m), ['Ninety days.']);
  });
});

function isOwn(m: Member, envelope: Uint8Array): boolean {
  const parsed = parseEnvelopeHeader(envelope);
  return parsed.ok && toBase64Url(parsed.header.authorKey) === m.id;
}

/** Every plaintext `m`'s disk holds for `authorId`'s chains, decrypted with the group key, as one string. */
function onDisk(m: Member, authorId: string): string {
  const ring = keyring();
  return m.disk
    .links(toBase64Url(GROUP_ID))
    .map(({ envelope }) => ({ envelope, parsed: parseEnvelopeHeader(envelope) }))
    .filter(({ parsed }) => parsed.ok && toBase64Url(parsed.header.authorKey) === authorId)
    .map(({ envelope, parsed }) => {
      const key = parsed.ok ? ring.keyFor(parsed.header.epoch, parsed.header.kind) : undefined;
      const plaintext = key && decryptEnvelope(envelope, key);
      assert(plaintext, 'every stored link opens');
      return new TextDecoder('utf-8', { fatal: false }).decode(plaintext);
    })
    .join('\n');
}

/** Every string in `authorId`'s documents on `m`, as Yjs encodes them. */
function textInDoc(m: Member, authorId: string): string {
  const docs = [...m.log.authors()].filter(([id]) => id === authorId).map(([, doc]) => doc);
  return docs.map((doc) => new TextDecoder().decode(Y.encodeStateAsUpdate(doc))).join('\n');
}

/** Lets the fake disk apply what the log queued. */
async function flushed(m: Member): Promise<void> {
  await m.disk.open(toBase64Url(GROUP_ID)).flush();
  await new Promise((resolve) => setTimeout(resolve, 0));
}
