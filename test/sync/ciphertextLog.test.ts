import * as Y from 'yjs';
import { ready, toBase64Url } from '../../crypto/index.js';
import { Board } from '../../src/model/index.js';
import { CiphertextLog, LOG_ROOT, type LogEntry, type Rejection } from '../../src/sync/ciphertextLog.js';
import { HEADER_BYTES, sealEnvelope } from '../../src/sync/envelope.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { GROUP_ID, keyring, member, syncLogs, type Member } from '../fixtures/group.js';

describe('ciphertext log', () => {
  before(async () => {
    await ready();
  });

  function rejections(m: Member): Rejection[] {
    const seen: Rejection[] = [];
    m.sync.on('rejected', (r) => seen.push(r));
    return seen;
  }

  const boardJson = (m: Member) => JSON.stringify(new Board(m.board).view().posts);

  /** Appends raw bytes to `to`'s log as if a peer had, and returns what `to` rejected. */
  function deliverRaw(to: Member, entry: unknown): Rejection[] {
    const seen = rejections(to);
    const peerLog = new Y.Doc();
    Y.applyUpdate(peerLog, Y.encodeStateAsUpdate(to.log));
    peerLog.getArray(LOG_ROOT).push([entry]);
    Y.applyUpdate(to.log, Y.encodeStateAsUpdate(peerLog, Y.encodeStateVector(to.log)));
    return seen;
  }

  it('carries a post from one member to another only as ciphertext', () => {
    const alice = member(1);
    const bob = member(2);
    new Board(alice.board).addPost(alice.identity, { kind: 'story', body: 'Ninety days today.' });
    syncLogs(alice, bob);
    const posts = new Board(bob.board).view().posts;
    assertEqual(posts.length, 1);
    assertEqual(posts[0]!.record.body, 'Ninety days today.');
    assert(posts[0]!.verified);
  });

  it('keeps no byte string of a planted post body, author name or group name in the serialized log', () => {
    const alice = member(1);
    const bob = member(2);
    const aliceBoard = new Board(alice.board);
    aliceBoard.setGroupInfo(alice.identity, { name: 'Tuesday Evening Circle' });
    aliceBoard.setMember(alice.identity, 'Marguerite-Planted');
    const post = aliceBoard.addPost(alice.identity, { kind: 'story', body: 'PLANTED-BODY relapse on Friday' });
    aliceBoard.addReply(alice.identity, post.id, 'PLANTED-REPLY you are not alone');
    syncLogs(alice, bob);
    alice.sync.compact();
    syncLogs(alice, bob);
    for (const bytes of [Y.encodeStateAsUpdate(alice.log), Y.encodeStateAsUpdate(bob.log), Y.encodeStateAsUpdateV2(bob.log)]) {
      const asText = new TextDecoder('latin1').decode(bytes);
      for (const secret of ['PLANTED-BODY', 'PLANTED-REPLY', 'Marguerite-Planted', 'Tuesday Evening Circle', 'relapse']) {
        assert(!asText.includes(secret), `log contains ${secret}`);
      }
    }
    assertEqual(new Board(bob.board).view().group?.name, 'Tuesday Evening Circle');
  });

  it('rejects a reply that claims another author and leaves the board unchanged', () => {
    const alice = member(1);
    const mallory = member(3);
    const post = new Board(alice.board).addPost(alice.identity, { kind: 'story', body: 'Hard week.' });
    syncLogs(alice, mallory);
    const before = boardJson(alice);
    const seen = rejections(alice);
    // Mallory writes a record under Alice's key, signed into an envelope by Mallory.
    const aliceId = toBase64Url(alice.identity.signPublicKey);
    mallory.board.getMap('replies').set(`${aliceId}/forged`, {
      v: 1, type: 'reply', id: `${aliceId}/forged`, authorId: aliceId, createdAt: 1, postId: post.id,
      body: 'You deserved it', sig: 'A'.repeat(86),
    });
    syncLogs(alice, mallory);
    assertDeepEqual(seen.map((r) => r.code), ['foreign-write']);
    assertEqual(seen[0]!.authorId, toBase64Url(mallory.identity.signPublicKey));
    assertEqual(boardJson(alice), before);
  });

  it('rejects an overwrite of another member\'s post and keeps the original', () => {
    const alice = member(1);
    const mallory = member(3);
    const post = new Board(alice.board).addPost(alice.identity, { kind: 'victory', body: 'One year.' });
    syncLogs(alice, mallory);
    const seen = rejections(alice);
    mallory.board.getMap('posts').set(post.id, { ...post, body: 'Nothing to celebrate.' });
    syncLogs(alice, mallory);
    assertDeepEqual(seen.map((r) => r.code), ['foreign-write']);
    assertEqual(new Board(alice.board).view().posts[0]!.record.body, 'One year.');
  });

  it('shows a record inside a snapshot as unverified when its signature is not its author\'s', () => {
    const alice = member(1);
    const mallory = member(3);
    const aliceId = toBase64Url(alice.identity.signPublicKey);
    // A snapshot is signed by its compactor, who may carry anyone's records: each record's own
    // signature decides whether it is shown as verified.
    mallory.board.getMap('posts').set(`${aliceId}/fake`, {
      v: 1, type: 'post', id: `${aliceId}/fake`, authorId: aliceId, createdAt: 5, kind: 'story',
      body: 'I give up.', sig: 'A'.repeat(86),
    });
    mallory.sync.compact();
    syncLogs(alice, mallory);
    const posts = new Board(alice.board).view().posts;
    assertEqual(posts.length, 1);
    assertEqual(posts[0]!.verified, false);
  });

  it('rejects a snapshot that would remove entries this device holds', () => {
    const alice = member(1);
    const mallory = member(3);
    new Board(alice.board).addPost(alice.identity, { kind: 'story', body: 'Kept.' });
    syncLogs(alice, mallory);
    const before = boardJson(alice);
    const seen = rejections(alice);
    const ring = keyring();
    // A hand-made "snapshot": Mallory's board with Alice's post deleted.
    const evil = new Y.Doc();
    Y.applyUpdate(evil, Y.encodeStateAsUpdate(mallory.board));
    evil.getMap('posts').forEach((_value, key) => evil.getMap('posts').delete(key));
    const envelope = sealEnvelope({
      kind: 'snapshot', groupId: GROUP_ID, epoch: 0, counter: 99,
      authorKey: mallory.identity.signPublicKey, authorSecretKey: mallory.identity.signSecretKey,
      key: ring.keyFor(0, 'snapshot')!, plaintext: Y.encodeStateAsUpdate(evil),
    });
    mallory.log.getArray(LOG_ROOT).push([{ e: envelope }]);
    syncLogs(alice, mallory);
    assertDeepEqual(seen.map((r) => r.code), ['unsafe-snapshot']);
    assertEqual(boardJson(alice), before);
  });

  it('reports tampered, foreign and junk entries once each with their codes, applying none', () => {
    const alice = member(1);
    const bob = member(2);
    new Board(bob.board).addPost(bob.identity, { kind: 'story', body: 'Original.' });
    const good = (bob.log.getArray(LOG_ROOT).get(0) as LogEntry).e;
    const flipped = good.slice();
    flipped[HEADER_BYTES + 30]! ^= 1;
    const outsider = member(9, keyring(new Uint8Array(32).fill(7)));
    new Board(outsider.board).addPost(outsider.identity, { kind: 'story', body: 'Let me in.' });
    const wrongKey = (outsider.log.getArray(LOG_ROOT).get(0) as LogEntry).e;
    const otherGroup = member(10, keyring(undefined, new Uint8Array(16).fill(1)));
    new Board(otherGroup.board).addPost(otherGroup.identity, { kind: 'story', body: 'Elsewhere.' });
    const wrongGroup = (otherGroup.log.getArray(LOG_ROOT).get(0) as LogEntry).e;

    const codes = [
      ...deliverRaw(alice, { e: flipped }),
      ...deliverRaw(alice, { e: wrongKey }),
      ...deliverRaw(alice, { e: wrongGroup }),
      ...deliverRaw(alice, { e: new Uint8Array(0) }),
      ...deliverRaw(alice, 'hello'),
      ...deliverRaw(alice, good),
      ...deliverRaw(alice, { e: good.slice(0, 100) }),
      ...deliverRaw(alice, { e: 'not bytes' }),
    ].map((r) => r.code);
    assertDeepEqual(codes, [
      'bad-signature', 'decrypt-failed', 'wrong-group', 'bad-length', 'not-an-envelope', 'not-an-envelope',
      'bad-length', 'not-an-envelope',
    ]);
    assertEqual(new Board(alice.board).view().posts.length, 0);
    assertEqual(alice.sync.getStats().rejected, 8);
  });

  it('applies an update that arrives before the one it depends on, once that one arrives', () => {
    const alice = member(1);
    const bob = member(2);
    const board = new Board(alice.board);
    const post = board.addPost(alice.identity, { kind: 'story', body: 'Day one.' });
    board.toggleReaction(alice.identity, post.id, 'me-too');
    board.toggleReaction(alice.identity, post.id, 'me-too'); // overwrites (deletes) the first
    const entries = alice.log.getArray(LOG_ROOT).toArray();
    // Bob receives the withdrawal first, out of order.
    const seen = rejections(bob);
    for (const index of [2, 0, 1]) deliverRaw(bob, entries[index]);
    assertEqual(seen.length, 0);
    const view = new Board(bob.board).view();
    assertEqual(view.posts[0]!.reactions['me-too'].count, 0);
  });

  it('compacts the log to one snapshot that a new member opens to the same board', () => {
    const alice = member(1);
    const board = new Board(alice.board);
    for (let i = 0; i < 20; i++) board.addPost(alice.identity, { kind: 'encouragement', body: `Note ${i}` });
    assertEqual(alice.sync.length, 20);
    alice.sync.compact();
    assertEqual(alice.sync.length, 1);
    const carol = member(4);
    syncLogs(alice, carol);
    assertEqual(boardJson(carol), boardJson(alice));
  });

  it('compacts by itself once the log passes its threshold, keeping every post', async () => {
    const alice = member(1);
    alice.sync.destroy();
    const sync = new CiphertextLog({ board: alice.board, log: alice.log, keyring: keyring(), identity: alice.identity, compactAfter: 10 });
    const board = new Board(alice.board);
    for (let i = 0; i < 40; i++) {
      board.addPost(alice.identity, { kind: 'story', body: `Day ${i}` });
      await Promise.resolve();
    }
    assert(sync.length <= 16, `log has ${sync.length} entries`);
    const carol = member(4);
    syncLogs(alice, carol);
    assertEqual(new Board(carol.board).view().posts.length, 40);
  });
});

