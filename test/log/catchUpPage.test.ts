import { beforeAll, describe, expect, it } from 'vitest';
import { fromHex, ready, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { MAX_CATCH_UP_PAGE_BYTES, openCatchUpPage, sealCatchUpPage } from '../../src/log/catchUpPage.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { leaveGroup } from '../../src/log/membershipOps.js';
import {
  addReply,
  boardView,
  catchUpPayload,
  checkCatchUpPage,
  membershipEntries,
  signRecord,
  type CatchUpPayload,
  type PostRecord,
} from '../../src/model/index.js';
import { decodeSyncMessage, encodeCatchUp } from '../../src/sync/syncMessages.js';
import { GROUP_ID, GROUP_SECRET, everything, identityFromSeed, introduce, keyring, post, type Member } from '../fixtures/group.js';
import { admit, creatorId, founder } from './membershipFixtures.js';

beforeAll(async () => {
  await ready();
});

const OUTSIDER_SEED = 9;

/** A managed group: the founder and one admitted member, both posting; the founder's page of it. */
async function group(): Promise<{ creator: Member; other: Member; payload: CatchUpPayload }> {
  const creator = await founder();
  const other = (await admit(creator, 2))!;
  await introduce(creator, 'Sam');
  await introduce(other, 'Robin');
  const first = await post(creator, 'First week back at the meetings.');
  await post(other, 'Ninety days today.');
  await other.log.write((context) => addReply(context, first, 'So glad you came back.'));
  creator.log.receive(everything(other));
  const view = boardView({ authors: () => creator.log.authors(), creatorId: creator.log.creatorId });
  return { creator, other, payload: catchUpPayload(view, membershipEntries({ authors: () => creator.log.authors() })) };
}

/** What the newcomer does with a page: open it under its keyring, then check every record. */
function receive(page: Uint8Array, ring = keyring()) {
  const opened = openCatchUpPage(page, ring);
  if (!opened.ok) return opened.error;
  const checked = checkCatchUpPage(opened.payload, { sender: opened.sender, creatorId: creatorId(), managed: true, now: Date.now() });
  return checked.ok ? checked.board : checked.error;
}

const seal = (payload: unknown, by: DeviceIdentity, ring = keyring()): Uint8Array => sealCatchUpPage(payload, ring, by)!;

describe('the catch-up page', () => {
  it("shows a member's newest posts, newest first, with their replies and writers", async () => {
    const { creator, payload } = await group();
    const board = receive(seal(payload, creator.identity));
    expect(typeof board).toBe('object');
    if (typeof board === 'string') return;
    expect(board.posts.map((p) => p.record.body)).toEqual(['Ninety days today.', 'First week back at the meetings.']);
    expect(board.posts[1]!.replies.map((r) => r.record.body)).toEqual(['So glad you came back.']);
    expect([...board.members.values()].map((m) => m.displayName).sort()).toEqual(['Robin', 'Sam']);
  });

  it('refuses a page whose post was changed after its author signed it', async () => {
    const { creator, payload } = await group();
    const forged = { ...payload, posts: payload.posts.map((p, i) => (i === 0 ? { ...p, body: 'Nobody here cares.' } : p)) };
    expect(receive(seal(forged, creator.identity))).toBe('bad-record-signature');
  });

  it('refuses a page holding a post by someone who is not a member, even signed by them', async () => {
    const { creator, payload } = await group();
    const outsider = identityFromSeed(OUTSIDER_SEED);
    const id = toBase64Url(outsider.signPublicKey);
    const stranger = signRecord<PostRecord>(
      { v: 1, type: 'post', id: `${id}/p-stranger`, authorId: id, createdAt: Date.now(), kind: 'story', body: 'Let me in.' },
      outsider.signSecretKey,
    );
    expect(receive(seal({ ...payload, posts: [stranger, ...payload.posts] }, creator.identity))).toBe('author-not-member');
  });

  it('refuses a page sent by a key holder who is not a member', async () => {
    const { payload } = await group();
    expect(receive(seal(payload, identityFromSeed(OUTSIDER_SEED)))).toBe('sender-not-member');
  });

  it('refuses a page that leaves out the membership entries of a group that keeps them', async () => {
    const { creator, payload } = await group();
    expect(receive(seal({ ...payload, membership: [] }, creator.identity))).toBe('sender-not-member');
  });

  it('leaves out what a member who left wrote, so a page of a group someone left still passes', async () => {
    const { creator, other } = await group();
    const left = await leaveGroup(other.log);
    expect(left.ok).toBe(true);
    creator.log.receive(everything(other));
    const view = boardView({ authors: () => creator.log.authors(), creatorId: creator.log.creatorId });
    const entries = membershipEntries({ authors: () => creator.log.authors() });
    expect(receive(seal(catchUpPayload(view, entries), creator.identity))).toBe('author-not-member');
    const board = receive(seal(catchUpPayload(view, entries, { members: creator.log.membership.members }), creator.identity));
    expect(typeof board === 'object' && board.posts.map((p) => p.record.body)).toEqual(['First week back at the meetings.']);
  });

  it('refuses a page of another group, and one whose header was rewritten to name this group', async () => {
    const { creator, payload } = await group();
    const otherGroup = fromHex('ffeeddccbbaa99887766554433221100');
    const page = seal(payload, creator.identity, keyring(GROUP_SECRET, otherGroup));
    expect(receive(page)).toBe('wrong-group');
    const renamed = page.slice();
    renamed.set(GROUP_ID, 1);
    expect(receive(renamed)).toBe('bad-page-signature');
  });

  it('refuses a page of an epoch this device does not hold, and one whose epoch was rewritten', async () => {
    const { creator, payload } = await group();
    const later = new GroupKeyring(GROUP_ID, [
      { epoch: 0, secret: GROUP_SECRET },
      { epoch: 1, secret: fromHex('11'.repeat(32)) },
    ]);
    const page = seal(payload, creator.identity, later);
    expect(receive(page)).toBe('unknown-epoch');
    const rewritten = page.slice();
    new DataView(rewritten.buffer).setUint32(17, 0);
    expect(receive(rewritten)).toBe('bad-page-signature');
  });

  it('refuses a page signed by someone other than the sender it names', async () => {
    const { creator, other, payload } = await group();
    const page = seal(payload, creator.identity);
    page.set(other.identity.signPublicKey, 21);
    expect(receive(page)).toBe('bad-page-signature');
  });

  it('refuses a page whose ciphertext was changed after it was signed', async () => {
    const { payload } = await group();
    const outsider = identityFromSeed(OUTSIDER_SEED);
    const page = seal(payload, outsider);
    page[100]! ^= 1;
    expect(receive(page)).toBe('bad-page-signature');
  });

  it('refuses an oversized page on the wire and when opened, and never seals one', async () => {
    const { creator, payload } = await group();
    const huge = new Uint8Array(MAX_CATCH_UP_PAGE_BYTES + 1);
    huge[0] = 1;
    expect(receive(huge)).toBe('page-too-large');
    expect(decodeSyncMessage(encodeCatchUp(GROUP_ID, huge))).toEqual({ ok: false, error: 'page-too-large' });
    const padded = { ...payload, posts: payload.posts.map((p) => ({ ...p, pad: 'x'.repeat(MAX_CATCH_UP_PAGE_BYTES) })) };
    expect(sealCatchUpPage(padded, keyring(), creator.identity)).toBeUndefined();
  });

  it('refuses bytes that are no page at all, without throwing', () => {
    expect(receive(new Uint8Array(0))).toBe('truncated');
    expect(receive(new Uint8Array([2, 0, 0]))).toBe('unsupported-version');
    expect(receive(new Uint8Array(100).fill(1))).toBe('truncated');
    const message = encodeCatchUp(GROUP_ID, new Uint8Array(300));
    expect(decodeSyncMessage(message.slice(0, 200))).toEqual({ ok: false, error: 'truncated' });
  });

  it('refuses a page of the wrong shape, and one with a reply to a post it does not hold', async () => {
    const { creator, payload } = await group();
    expect(receive(seal({ ...payload, v: 2 }, creator.identity))).toBe('bad-page-shape');
    expect(receive(seal({ ...payload, posts: 'all of them' }, creator.identity))).toBe('bad-page-shape');
    expect(receive(seal({ ...payload, posts: payload.posts.filter((p) => p.body !== 'First week back at the meetings.') }, creator.identity))).toBe('stray-reply');
  });
});
