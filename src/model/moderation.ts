import type * as Y from 'yjs';
import { authorIdOf, byCreatedThenId, writeRecord, type BoardView, type PostView, type RecordsOf, type WriteContext, type WriteResult } from './board.js';
import type { HideRecord, PinRecord } from './records.js';

/**
 * Facilitators keep the room safe: they hide a post for everyone (its author and the
 * facilitators still see it, marked) and pin up to three posts. Each writes hide and pin
 * records into their own document; every device reads the same records and the same set of
 * facilitators, so every device shows the same board. A hide or pin from anyone else is in
 * its author's document and nobody's view counts it. Members delete their own posts and
 * replies: per-author documents make anyone else's delete impossible to write.
 * Record formats: docs/PROTOCOL.md §3.
 */

/** Posts pinned at once; a crafted fourth pin drops the oldest on every device. */
export const MAX_PINS = 3;

export type ModerationProblem =
  | 'not-facilitator' // only facilitators hide and pin
  | 'too-many-pins' // MAX_PINS posts are pinned already
  | 'not-own' // a member deletes only what they wrote
  | 'no-such-record'; // nothing of theirs under that id to delete

export interface Moderation {
  /** Posts whose latest word from a facilitator is "hidden". */
  hidden: ReadonlySet<string>;
  /** Pinned post ids, most recently pinned first; at most MAX_PINS. */
  pinned: readonly string[];
}

/** What a delete removed: the record's id, stamped with when it was removed. */
export interface Deletion {
  id: string;
  createdAt: number;
}

type FlagRoot = 'hides' | 'pins';
type FlagRecord<Root extends FlagRoot> = Root extends 'hides' ? HideRecord : PinRecord;

/**
 * For each post, the latest (createdAt, then id) record in `root` written by a facilitator.
 * `records` holds each author's own records only (a record in someone else's document is never shown).
 */
function latestWords<Root extends FlagRoot>(records: RecordsOf, root: Root, facilitators: ReadonlySet<string>): FlagRecord<Root>[] {
  const latest = new Map<string, FlagRecord<Root>>();
  for (const record of records(root) as FlagRecord<Root>[]) {
    if (!facilitators.has(record.authorId)) continue;
    const held = latest.get(record.postId);
    if (!held || byCreatedThenId(held, record) < 0) latest.set(record.postId, record);
  }
  return [...latest.values()];
}

/** Which posts are hidden and pinned, by the facilitators' latest word on each; `posts`: the posts the board shows. */
export function moderationOf(records: RecordsOf, facilitators: ReadonlySet<string>, posts: { has(id: string): boolean }): Moderation {
  const hidden = new Set(latestWords(records, 'hides', facilitators).flatMap((r) => (r.hidden ? [r.postId] : [])));
  const pinned = latestWords(records, 'pins', facilitators)
    .filter((r) => r.pinned && posts.has(r.postId) && !hidden.has(r.postId))
    .sort((a, b) => byCreatedThenId(b, a))
    .slice(0, MAX_PINS)
    .map((r) => r.postId);
  return { hidden, pinned };
}

/**
 * The board as `viewerId` sees it: hidden posts gone, unless the viewer wrote them or is a
 * facilitator (then marked hidden); pinned posts first, most recently pinned first.
 */
export function moderatedView(view: BoardView, moderation: Moderation, viewerId: string, facilitators: ReadonlySet<string>): BoardView {
  // Nothing hidden or pinned: the board as it is (the same object, so nothing downstream is rebuilt).
  if (moderation.hidden.size === 0 && moderation.pinned.length === 0) return view;
  const rank = new Map(moderation.pinned.map((id, index) => [id, index]));
  const posts: PostView[] = [];
  for (const post of view.posts) {
    const hidden = moderation.hidden.has(post.record.id);
    if (hidden && post.record.authorId !== viewerId && !facilitators.has(viewerId)) continue;
    const pinned = rank.has(post.record.id);
    posts.push(hidden || pinned ? { ...post, ...(hidden ? { hidden: true } : {}), ...(pinned ? { pinned: true } : {}) } : post);
  }
  const order = (post: PostView): number => rank.get(post.record.id) ?? MAX_PINS;
  return { ...view, posts: posts.sort((a, b) => order(a) - order(b)) };
}

/** Hides a post for everyone (or shows it again); only a facilitator may. */
export function setHidden(context: WriteContext, postId: string, hidden: boolean, facilitators: ReadonlySet<string>): WriteResult<HideRecord> {
  if (!facilitators.has(authorIdOf(context.author))) return { ok: false, problem: 'not-facilitator' };
  return writeRecord<HideRecord>('hides', context, 'hide', `${postId}|hide`, { postId, hidden });
}

/** Pins a post (or unpins it); only a facilitator may, and never a fourth. */
export function setPinned(
  context: WriteContext,
  postId: string,
  pinned: boolean,
  facilitators: ReadonlySet<string>,
  pinnedNow: readonly string[],
): WriteResult<PinRecord> {
  if (!facilitators.has(authorIdOf(context.author))) return { ok: false, problem: 'not-facilitator' };
  if (pinned && !pinnedNow.includes(postId) && pinnedNow.length >= MAX_PINS) return { ok: false, problem: 'too-many-pins' };
  return writeRecord<PinRecord>('pins', context, 'pin', `${postId}|pin`, { postId, pinned });
}

/** Roots whose records name a post: what of mine goes with a post I delete. */
const ABOUT_A_POST = ['replies', 'reactions', 'hides', 'pins'] as const;

/**
 * Deletes one of my posts, with everything of mine that names it. The entries leave my
 * document (Yjs keeps no deleted content), so my next checkpoint no longer carries the text.
 */
export function deleteOwnPost(context: WriteContext, postId: string): WriteResult<Deletion> {
  const removed = removeOwn(context, 'posts', postId);
  if (!removed.ok) return removed;
  for (const root of ABOUT_A_POST) {
    const map = context.doc.getMap(root);
    const keys = [...map.entries()].flatMap(([key, value]) => ((value as { postId?: unknown } | null)?.postId === postId ? [key] : []));
    for (const key of keys) map.delete(key);
  }
  return removed;
}

/** Deletes one of my replies. */
export function deleteOwnReply(context: WriteContext, replyId: string): WriteResult<Deletion> {
  return removeOwn(context, 'replies', replyId);
}

function removeOwn(context: WriteContext, root: 'posts' | 'replies', id: string): WriteResult<Deletion> {
  if (!id.startsWith(authorIdOf(context.author) + '/')) return { ok: false, problem: 'not-own' };
  const map: Y.Map<unknown> = context.doc.getMap(root);
  if (!map.has(id)) return { ok: false, problem: 'no-such-record' };
  map.delete(id);
  return { ok: true, record: { id, createdAt: context.now } };
}
