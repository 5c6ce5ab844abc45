import { toBase64Url } from '../../crypto/index.js';
import { GroupLog } from '../../src/log/groupLog.js';
import { decryptEnvelope, parseEnvelopeHeader } from '../../src/log/envelope.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { addPost, addReply, boardView, deleteOwnPost } from '../../src/model/index.js';
import { openHearthStore, type StoredGroup } from '../../src/store/index.js';
import { assert, assertEqual } from '../assert.js';
import { BODY, REPLY, device, groupRecord, unwrap, useScratchDatabases } from './storeFixtures.js';

/**
 * What IndexedDB holds of a deleted post, read back as a fresh page load would and opened
 * with the group's key: every link of the author's chain, decrypted.
 */
async function storedPlaintext(name: string, group: StoredGroup, authorId?: string): Promise<{ text: string; links: number }> {
  const reader = unwrap(await openHearthStore(name));
  // Stored links are filed by chain (one per author and epoch): the author is read from each header.
  const writtenBy = ({ envelope }: { envelope: Uint8Array }): boolean => {
    const parsed = parseEnvelopeHeader(envelope);
    return authorId === undefined || (parsed.ok && toBase64Url(parsed.header.authorKey) === authorId);
  };
  const links = unwrap(await reader.envelopes(group.id).load()).filter(writtenBy);
  await reader.close();
  const keyring = new GroupKeyring(group.groupId, group.epochs);
  const text = links
    .map(({ envelope }) => {
      const parsed = parseEnvelopeHeader(envelope);
      const key = parsed.ok ? keyring.keyFor(parsed.header.epoch, parsed.header.kind) : undefined;
      const plaintext = key && decryptEnvelope(envelope, key);
      assert(plaintext, 'every stored link opens with the group key');
      return new TextDecoder().decode(plaintext);
    })
    .join('\n');
  return { text, links: links.length };
}

describe('deleting my own post, on IndexedDB', () => {
  const newName = useScratchDatabases();

  it('leaves none of its text, or my reply to it, in the stored links after the checkpoint that follows', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    const dev = device();
    const group = groupRecord();
    const envelopes = store.envelopes(group.id);
    const open = (): Promise<GroupLog> =>
      GroupLog.open({ keyring: new GroupKeyring(group.groupId, group.epochs), identity: dev.identity, store: envelopes, creatorId: group.creatorId });
    const log = await open();
    const written = await log.write((context) => addPost(context, { kind: 'story', body: BODY }));
    assert(written.ok);
    assert((await log.write((context) => addReply(context, written.record.id, REPLY))).ok);
    await log.write((context) => addPost(context, { kind: 'story', body: 'A second post that stays.' }));

    const before = await storedPlaintext(name, group);
    assert(before.text.includes(BODY) && before.text.includes(REPLY), 'the text is on disk before the delete (the check can fail)');

    const deleted = await log.write((context) => deleteOwnPost(context, written.record.id), { checkpoint: true });
    assert(deleted.ok, 'deleted');
    log.destroy();
    await envelopes.flush();

    const after = await storedPlaintext(name, group);
    assert(!after.text.includes(BODY.slice(0, 20)), 'no trace of the post');
    assert(!after.text.includes(REPLY.slice(0, 20)), 'no trace of my reply to it');
    assert(after.text.includes('A second post that stays.'), 'the rest of the chain is intact');
    assertEqual(after.links, 1, 'one checkpoint stands for the whole chain');

    const reopened = await open();
    const bodies = boardView({ authors: () => reopened.authors(), creatorId: reopened.creatorId }).posts.map((p) => p.record.body);
    assertEqual(JSON.stringify(bodies), JSON.stringify(['A second post that stays.']));
    reopened.destroy();
    await store.close();
  });

  it('leaves none of its text in the IndexedDB of a member who received it, once they accept the checkpoint', async () => {
    const group = groupRecord();
    const keyring = (): GroupKeyring => new GroupKeyring(group.groupId, group.epochs);
    const authorStore = unwrap(await openHearthStore(newName()));
    const readerName = newName();
    const readerStore = unwrap(await openHearthStore(readerName));
    const author = await GroupLog.open({ keyring: keyring(), identity: device().identity, store: authorStore.envelopes(group.id), creatorId: group.creatorId });
    const readerEnvelopes = readerStore.envelopes(group.id);
    const reader = await GroupLog.open({ keyring: keyring(), identity: device().identity, store: readerEnvelopes, creatorId: group.creatorId });
    const sent: Uint8Array[] = [];
    author.on('appended', (envelopes) => sent.push(...envelopes));
    const deliver = async (): Promise<void> => {
      reader.receive(sent.splice(0));
      await readerEnvelopes.flush();
    };

    const written = await author.write((context) => addPost(context, { kind: 'story', body: BODY }));
    assert(written.ok);
    await deliver();
    assert((await storedPlaintext(readerName, group, author.ownId)).text.includes(BODY), "on the member's disk before the delete");

    assert((await author.write((context) => deleteOwnPost(context, written.record.id), { checkpoint: true })).ok);
    await deliver();
    const after = await storedPlaintext(readerName, group, author.ownId);
    assert(!after.text.includes(BODY.slice(0, 20)), "no trace of the post on the member's disk");
    assertEqual(after.links, 1, "the author's checkpoint stands for their chain");
    author.destroy();
    reader.destroy();
    await readerEnvelopes.close({ discard: false });
    await Promise.all([authorStore.close(), readerStore.close()]);
  });
});
