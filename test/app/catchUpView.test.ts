import { beforeAll, describe, expect, it } from 'vitest';
import { ready, toBase64Url } from '../../crypto/index.js';
import { CatchUpView } from '../../src/app/catchUpView.js';
import { boardView, membershipEntries, signRecord, type PostRecord } from '../../src/model/index.js';
import { everything, keyring, member, post, type Member } from '../fixtures/group.js';

beforeAll(async () => {
  await ready();
});

const viewOf = (m: Member) => boardView({ authors: () => m.log.authors(), creatorId: m.log.creatorId });

/** A device's catch-up view of the test group (a group from before the membership log: key holders are members). */
const catchUpOf = (m: Member) =>
  new CatchUpView({ keyring: keyring(), identity: m.identity, creatorId: () => m.log.creatorId, managed: () => false, now: () => Date.now() });

describe('what a newcomer shows from a catch-up page', () => {
  it('drops a post the chains never held once they are complete: nothing shown early outlives them', async () => {
    const writer = await member(1);
    await post(writer, 'In the chain.');
    // Signed by its author, but never put in the author's chain.
    const id = toBase64Url(writer.identity.signPublicKey);
    const offChain = signRecord<PostRecord>(
      { v: 1, type: 'post', id: `${id}/p-offchain`, authorId: id, createdAt: Date.now() + 1, kind: 'story', body: 'Only in the page.' },
      writer.identity.signSecretKey,
    );
    const view = viewOf(writer);
    const page = catchUpOf(writer).page({ ...view, posts: [{ ...view.posts[0]!, record: offChain }, ...view.posts] }, membershipEntries({ authors: () => writer.log.authors() }))!;

    const newcomer = await member(4);
    const shown = catchUpOf(newcomer);
    expect(shown.receive(page)).toEqual({ ok: true });
    expect(shown.posts(viewOf(newcomer).posts).map((p) => p.record.body)).toEqual(['Only in the page.', 'In the chain.']);

    newcomer.log.receive(everything(writer));
    // While catching up, a post the chains now hold shows as the chains hold it, once.
    expect(shown.posts(viewOf(newcomer).posts).map((p) => p.record.body)).toEqual(['Only in the page.', 'In the chain.']);
    expect(shown.clear()).toBe(true);
    expect(shown.posts(viewOf(newcomer).posts).map((p) => p.record.body)).toEqual(['In the chain.']);
  });

  it('keeps nothing of a page that fails a check', async () => {
    const writer = await member(1);
    await post(writer, 'Hello.');
    const page = catchUpOf(writer).page(viewOf(writer), [])!;
    page[page.length - 1]! ^= 1;
    const shown = catchUpOf(await member(4));
    expect(shown.receive(page)).toEqual({ ok: false, error: 'bad-page-signature' });
    expect(shown.board).toBeUndefined();
  });

  it('sends no page for an empty board', async () => {
    const writer = await member(1);
    expect(catchUpOf(writer).page(viewOf(writer), [])).toBeUndefined();
  });
});
