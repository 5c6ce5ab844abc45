import { ready, toBase64Url } from '../../crypto/index.js';
import { parseEnvelopeHeader } from '../../src/log/envelope.js';
import { pageWriterLock } from '../../src/log/writerLock.js';
import { addReply, setGroupInfo, toggleReaction } from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { MemoryDisk } from '../fakes/memoryEnvelopeStore.js';
import { GROUP_ID, everything, exchange, member, nameGroup, post, view, visible } from '../fixtures/group.js';

describe('group log', () => {
  before(async () => {
    await ready();
  });

  it('shows a post, a reply and a reaction from another member once their envelopes arrive', async () => {
    const alice = await member(1);
    const bob = await member(2);
    const postId = await post(alice, 'I went to my first meeting.');
    exchange(alice, bob);
    await bob.log.write((c) => addReply(c, postId, 'So glad you came.'));
    await bob.log.write((c) => toggleReaction(c, postId, 'proud-of-you'));
    exchange(alice, bob);
    assertDeepEqual(visible(alice), visible(bob));
    const shown = view(alice).posts[0]!;
    assertEqual(shown.replies[0]?.record.body, 'So glad you came.');
    assertEqual(shown.reactions['proud-of-you'].count, 1);
  });

  it('commits an own envelope to disk before it is appended or shown', async () => {
    const alice = await member(1);
    const seen: number[] = [];
    alice.log.on('appended', () => seen.push(alice.disk.links(toBase64Url(GROUP_ID)).length));
    alice.log.on('changed', () => seen.push(alice.disk.links(toBase64Url(GROUP_ID)).length));
    await post(alice, 'one');
    assertDeepEqual(seen, [1, 1]);
  });

  it('takes back an own change that cannot be saved, so nothing unsaved is shown or sent', async () => {
    const alice = await member(1);
    alice.disk.full = true;
    let appended = 0;
    alice.log.on('appended', () => appended++);
    const written = await alice.log.write((c) => addReply(c, `${alice.id}/x`, 'not saved'));
    assert(!written.ok && written.problem === 'not-saved');
    assertEqual(appended, 0);
    assertEqual(view(alice).posts.length, 0);
    assertEqual(alice.log.ownDoc.getMap('replies').size, 0);
    alice.disk.full = false;
    await post(alice, 'saved once there is room');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const stored = alice.disk.links(toBase64Url(GROUP_ID));
    assertDeepEqual(stored.map((s) => s.seq), [1]);
    const reopened = await member(1, { disk: alice.disk });
    assertDeepEqual(view(reopened).posts.map((p) => p.record.body), ['saved once there is room']);
  });

  it('holds an envelope after a gap, asks again, and applies both once the missing one arrives', async () => {
    const alice = await member(1);
    const bob = await member(2);
    await post(alice, 'first');
    await post(alice, 'second');
    const [first, second] = everything(alice);
    assertEqual(bob.log.receive([second!]).waiting, true);
    assertEqual(view(bob).posts.length, 0);
    assertEqual(bob.log.receive([first!]).waiting, false);
    assertDeepEqual(visible(bob), visible(alice));
  });

  it('ignores an envelope delivered twice', async () => {
    const alice = await member(1);
    const bob = await member(2);
    await post(alice, 'once');
    bob.log.receive(everything(alice));
    let changes = 0;
    bob.log.on('changed', () => changes++);
    bob.log.receive(everything(alice));
    assertEqual(changes, 0);
    assertEqual(bob.log.getStats().rejected, 0);
  });

  it('compacts only its own chain into a checkpoint that a newcomer starts from', async () => {
    const alice = await member(1, { checkpointAfter: 5 });
    const bob = await member(2);
    for (let i = 0; i < 12; i++) await post(alice, `post ${i}`);
    const sent = everything(alice);
    const kinds = sent.map((e) => {
      const parsed = parseEnvelopeHeader(e);
      return parsed.ok ? parsed.header.kind : 'bad';
    });
    assertEqual(kinds[0], 'checkpoint');
    assert(sent.length <= 6, `a newcomer gets the checkpoint and what follows it, got ${sent.length}`);
    bob.log.receive(sent);
    assertDeepEqual(visible(bob), visible(alice));
    assertEqual(alice.disk.links(toBase64Url(GROUP_ID)).length, sent.length);
  });

  it('brings a member who was behind the checkpoint up to date from it', async () => {
    const alice = await member(1, { checkpointAfter: 5 });
    const bob = await member(2);
    await post(alice, 'early');
    bob.log.receive(everything(alice));
    for (let i = 0; i < 10; i++) await post(alice, `later ${i}`);
    const bobHead = bob.log.heads()[0]!;
    bob.log.receive(alice.log.envelopesAfter(bobHead.authorKey, bobHead.seq));
    assertDeepEqual(visible(bob), visible(alice));
  });

  it('reopens from disk with the same board', async () => {
    const disk = new MemoryDisk();
    const alice = await member(1, { disk });
    const bob = await member(2);
    await post(bob, 'from bob');
    alice.log.receive(everything(bob));
    await post(alice, 'from alice');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const reopened = await member(1, { disk });
    assertDeepEqual(visible(reopened), visible(alice));
    await post(reopened, 'after reopening');
    bob.log.receive(everything(reopened));
    assertEqual(view(bob).posts.length, 3);
  });

  it('never forks when two tabs of one profile write at once', async () => {
    const disk = new MemoryDisk();
    const lock = pageWriterLock();
    const tabA = await member(1, { disk, lock });
    const tabB = await member(1, { disk, lock });
    await Promise.all([post(tabA, 'a1'), post(tabB, 'b1'), post(tabA, 'a2'), post(tabB, 'b2')]);
    const stored = disk.links(toBase64Url(GROUP_ID));
    assertDeepEqual(stored.map((s) => s.seq), [1, 2, 3, 4]);
    const reader = await member(2);
    reader.log.receive(stored.map((s) => s.envelope));
    assertEqual(view(reader).posts.length, 4);
    assertEqual(reader.log.getStats().forked.length, 0);
  });

  it('shows group details only from the group creator', async () => {
    const creator = await member(1);
    const other = await member(2);
    await nameGroup(creator, 'Tuesday circle');
    const refused = await other.log.write((c) => setGroupInfo(c, { name: 'Taken over' }));
    assert(!refused.ok && refused.problem === 'not-creator');
    exchange(creator, other);
    assertEqual(view(other).group?.name, 'Tuesday circle');
  });

  it('opens a log whose stored links cannot all be read, keeping what can', async () => {
    const disk = new MemoryDisk();
    const alice = await member(1, { disk });
    await post(alice, 'kept');
    await post(alice, 'lost');
    const stored = disk.links(toBase64Url(GROUP_ID));
    const corrupt = stored[1]!.envelope.slice();
    corrupt[corrupt.length - 70]! ^= 1;
    disk.groups.get(toBase64Url(GROUP_ID))!.set(`${stored[1]!.authorId}\u0000${stored[1]!.seq}`, { ...stored[1]!, envelope: corrupt });
    const reopened = await member(1, { disk });
    assertEqual(reopened.log.heads()[0]?.seq, 1);
    assertEqual(reopened.log.openProblem?.code, 'corrupt');
    assertDeepEqual(visible(reopened).map((line) => line.split(':')[1]), ['kept']);
  });
});
