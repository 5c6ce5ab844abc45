import * as Y from 'yjs';
import { ready, toBase64Url } from '../../crypto/index.js';
import { BoardIndex } from '../../src/model/boardIndex.js';
import { addPost, boardView, setMember, setReaction, type AuthorDocument, type WriteContext } from '../../src/model/index.js';
import { assert, assertEqual } from '../assert.js';
import { identityFromSeed } from '../fixtures/group.js';

/**
 * One author with a document per chain (log v3: one chain per author and epoch): the board shows
 * the latest version of a record id the author's documents share, in the index as in boardView.
 */
describe('the board over an author’s chains', () => {
  beforeAll(async () => {
    await ready();
  });

  it('shows the latest version of a record its author wrote in two epochs, and the older one once the newer is gone', () => {
    const ana = identityFromSeed(1);
    const id = toBase64Url(ana.signPublicKey);
    const docs: AuthorDocument[] = [
      [id, new Y.Doc(), 'epoch-0'],
      [id, new Y.Doc(), 'epoch-1'],
    ];
    const source = { authors: () => docs, creatorId: undefined };
    const context = (doc: Y.Doc, now: number): WriteContext => ({ doc, author: ana, now, creatorId: undefined });
    const posted = addPost(context(docs[0]![1], 1_000), { kind: 'story', body: 'In epoch 0.' });
    assert(posted.ok);
    assert(setReaction(context(docs[0]![1], 1_001), posted.record.id, 'me-too', true).ok);
    assert(setMember(context(docs[0]![1], 1_002), ana.boxPublicKey, 'Ana').ok);
    assert(setReaction(context(docs[1]![1], 2_000), posted.record.id, 'me-too', false).ok);
    assert(setMember(context(docs[1]![1], 2_001), ana.boxPublicKey, 'Ana R.').ok);

    const index = new BoardIndex(source, id);
    for (const view of [index.view(), boardView(source, id)]) {
      assertEqual(view.posts.length, 1);
      assertEqual(view.posts[0]!.reactions['me-too'].count, 0, 'withdrawn in the later epoch');
      assertEqual(view.members.get(id)?.displayName, 'Ana R.');
    }
    docs.pop();
    for (const view of [index.view(), boardView(source, id)]) {
      assertEqual(view.posts[0]!.reactions['me-too'].count, 1, 'the earlier version shows again');
      assertEqual(view.members.get(id)?.displayName, 'Ana');
    }
  });
});
