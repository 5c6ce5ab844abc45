import * as Y from 'yjs';
import { ready } from '../../crypto/index.js';
import { BoardIndex } from '../../src/model/boardIndex.js';
import { addPost, addReply, boardView, deleteOwnPost, shareCheckin, signRecord, toggleReaction, type Author, type PostRecord, type WriteContext } from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { everything, identityFromSeed, member, post } from '../fixtures/group.js';

/** Documents held in memory, one per author, as the log keeps them. */
function board(...seeds: number[]) {
  const docs = new Map(seeds.map((seed) => [identityFromSeed(seed), new Y.Doc()] as const));
  const byId = new Map([...docs].map(([identity, doc]) => [authorId(identity), doc]));
  const source = { authors: () => byId.entries(), creatorId: undefined };
  let clock = 1_000;
  const context = (author: Author): WriteContext => ({ doc: docs.get(author as never)!, author, now: clock++, creatorId: undefined });
  return { source, context, authors: [...docs.keys()], byId };
}

const authorId = (identity: Author): string => Buffer.from(identity.signPublicKey).toString('base64url');

describe('board index', () => {
  before(async () => {
    await ready();
  });

  it('re-parses only the one record a change to one post touched', () => {
    const { source, context, authors } = board(1);
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const written = addPost(context(authors[0]!), { kind: 'story', body: `post ${i}` });
      assert(written.ok);
      ids.push(written.record.id);
    }
    const index = new BoardIndex(source);
    assertEqual(index.view().posts.length, 1_000);
    assertEqual(index.parsed, 1_000);

    // The author edits one post (as a newer version under the same key).
    const doc = source.authors().next().value![1];
    const old = doc.getMap('posts').get(ids[500]!) as PostRecord;
    const { sig: _sig, ...unsigned } = { ...old, body: 'edited' };
    doc.getMap('posts').set(old.id, signRecord<PostRecord>(unsigned, authors[0]!.signSecretKey));
    const after = index.view();
    assertEqual(index.parsed, 1_001);
    assertEqual(after.posts.find((p) => p.record.id === old.id)?.record.body, 'edited');
  });

  it('re-parses one record when a peer\'s new post arrives through the log', async () => {
    const alice = await member(1);
    const bob = await member(2);
    for (let i = 0; i < 300; i++) await post(alice, `from alice ${i}`);
    bob.log.receive(everything(alice));
    const index = new BoardIndex({ authors: () => bob.log.authors(), creatorId: bob.log.creatorId }, bob.id);
    assertEqual(index.view().posts.length, 300);
    const before = index.parsed;
    await post(alice, 'one more');
    bob.log.receive(everything(alice));
    const after = index.view();
    assertEqual(index.parsed - before, 1);
    assertEqual(after.posts[0]?.record.body, 'one more');
  });

  it('keeps the records of each root for the views beyond the posts, the same array until that root changes', () => {
    const { source, context, authors } = board(1);
    const first = addPost(context(authors[0]!), { kind: 'story', body: 'hello' });
    assert(first.ok);
    assert(shareCheckin(context(authors[0]!), { mood: 3, day: '1970-01-01' }).ok);
    const index = new BoardIndex(source);
    const checkins = index.records('checkins');
    assertEqual(checkins.length, 1);
    assert(index.hasPost(first.record.id) && !index.hasPost('nobody/none'));
    const parsed = index.parsed;
    addPost(context(authors[0]!), { kind: 'victory', body: 'a good day' });
    assert(index.records('checkins') === checkins, 'a new post leaves the check-ins as they were');
    assertEqual(index.records('posts').length, 2);
    assertEqual(index.parsed - parsed, 1);
    assert(shareCheckin(context(authors[0]!), { mood: 4, day: '1970-01-01' }).ok);
    assertEqual(index.records('checkins').length, 2);
  });

  it('returns the same view object when nothing changed, so the screen refreshes once per change', () => {
    const { source, context, authors } = board(1);
    addPost(context(authors[0]!), { kind: 'story', body: 'hello' });
    const index = new BoardIndex(source);
    const first = index.view();
    assert(index.view() === first);
    addPost(context(authors[0]!), { kind: 'victory', body: 'a good day' });
    assert(index.view() !== first);
  });

  it('shows the same board as boardView: posts, replies, reactions, members, entries it refuses', () => {
    const { source, context, authors, byId } = board(1, 2);
    const alice = authors[0]!;
    const bob = authors[1]!;
    const first = addPost(context(alice), { kind: 'story', body: 'first' });
    const second = addPost(context(bob), { kind: 'victory', body: 'second', milestone: { value: 30, unit: 'days' } });
    assert(first.ok && second.ok);
    addReply(context(bob), first.record.id, 'glad you said it');
    toggleReaction(context(bob), first.record.id, 'me-too');
    toggleReaction(context(alice), first.record.id, 'me-too');
    const index = new BoardIndex(source, authorId(alice));
    assertDeepEqual(index.view(), boardView(source, authorId(alice)));

    // Bob forges a post under Alice's key in his own document, and withdraws his reaction.
    byId.get(authorId(bob))!.getMap('posts').set(first.record.id.replace(/^[^/]+/, authorId(bob)) + 'x', first.record);
    toggleReaction(context(bob), first.record.id, 'me-too');
    addReply(context(alice), second.record.id, 'well done');
    const view = index.view();
    assertDeepEqual(view, boardView(source, authorId(alice)));
    assertEqual(view.invalidEntries, 1);
    assertEqual(view.posts[1]?.reactions['me-too'].count, 1);
  });

  it('keeps posts in the same order as boardView through a long run of single changes anywhere on a big board', () => {
    const { source, context, authors } = board(1, 2, 3);
    // A small seeded generator: the same run every time.
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const posts: { id: string; author: Author }[] = [];
    const write = (author: Author): void => {
      // Any time, earlier or later than what is there: each post lands anywhere in the order.
      const written = addPost({ ...context(author), now: 10_000 + random(5_000) }, { kind: 'story', body: `post ${posts.length}` });
      assert(written.ok);
      posts.push({ id: written.record.id, author });
    };
    for (let i = 0; i < 300; i++) write(authors[i % 3]!);
    const index = new BoardIndex(source, authorId(authors[0]!));
    assertDeepEqual(index.view(), boardView(source, authorId(authors[0]!)));
    for (let step = 0; step < 200; step++) {
      const author = authors[random(3)]!;
      const target = posts[random(posts.length)]!;
      const action = random(4);
      if (action === 0) write(author);
      else if (action === 1) assert(addReply(context(author), target.id, `reply ${step}`).ok);
      else if (action === 2) assert(toggleReaction(context(author), target.id, 'me-too').ok);
      else if (deleteOwnPost(context(target.author), target.id).ok) posts.splice(posts.indexOf(target), 1);
      assertDeepEqual(index.view(), boardView(source, authorId(authors[0]!)), `after step ${step}`);
    }
  });

  it('follows an author whose document the log replaced, and lets a carried-over record show until the author has it', () => {
    const { source, context, authors, byId } = board(1);
    const legacyPost = addPost(context(authors[0]!), { kind: 'story', body: 'from v1' });
    assert(legacyPost.ok);
    byId.set(authorId(authors[0]!), new Y.Doc());
    const index = new BoardIndex({ ...source, legacy: [legacyPost.record] });
    assertDeepEqual(index.view().posts.map((p) => p.record.body), ['from v1']);
    const replaced = new Y.Doc();
    replaced.getMap('posts').set(legacyPost.record.id, { ...legacyPost.record });
    byId.set(authorId(authors[0]!), replaced);
    assertDeepEqual(index.view().posts.map((p) => p.record.body), ['from v1']);
    const edited = new Y.Doc();
    const { sig: _sig, ...unsigned } = { ...legacyPost.record, body: 'edited in v2' };
    edited.getMap('posts').set(legacyPost.record.id, signRecord<PostRecord>(unsigned, authors[0]!.signSecretKey));
    byId.set(authorId(authors[0]!), edited);
    assertDeepEqual(index.view().posts.map((p) => p.record.body), ['edited in v2']);
    byId.set(authorId(authors[0]!), replaced);
    replaced.getMap('posts').delete(legacyPost.record.id);
    assertDeepEqual(index.view().posts.map((p) => p.record.body), ['from v1']);
    assertEqual(index.view().invalidEntries, 0);
  });
});
