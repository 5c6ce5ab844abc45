import { admitRecord, type AdmissionCode } from './admission.js';
import type { BoardView, PostView } from './board.js';
import { deriveFromEntries, MAX_MEMBERSHIP_ENTRIES } from './membership.js';
import type { BoardRoot } from './parse.js';
import { REACTIONS, type GroupInfoRecord, type MemberRecord, type MembershipRecord, type PostRecord, type ReplyRecord } from './records.js';

/**
 * What a catch-up page holds (docs/PROTOCOL.md §6.2), and the rules a newcomer applies before
 * showing any of it: every record must pass the same admission as in its author's chain (shape,
 * signature by the author it names, not dated ahead), and in a group with a membership log the
 * sender and every author must be members as the page's own membership entries derive them
 * (entries name what they come after, so a page can leave out only the newest ones). One
 * record that fails refuses the whole page: nothing of it is shown.
 */

export const CATCH_UP_PAYLOAD_VERSION = 1;
/** Posts a page carries: the board window's first screenful and then some. */
export const CATCH_UP_POSTS = 25;
const MAX_REPLIES = 500;
const MAX_MEMBERS = 500;

export interface CatchUpPayload {
  v: 1;
  posts: PostRecord[];
  replies: ReplyRecord[];
  members: MemberRecord[];
  group?: GroupInfoRecord;
  membership: MembershipRecord[];
}

export type CatchUpCheckError =
  | 'bad-page-shape' // not a version-1 payload of the expected arrays
  | 'too-many-records'
  | AdmissionCode
  | 'dated-ahead' // a record dated beyond the receiver's tolerance
  | 'sender-not-member'
  | 'author-not-member'
  | 'stray-reply'; // a reply to a post the page does not hold

/** What the newcomer shows from a page while the chains arrive. */
export interface CatchUpBoard {
  posts: PostView[];
  members: Map<string, MemberRecord>;
  group: GroupInfoRecord | undefined;
}

/**
 * The page a member sends: the newest posts its view shows (not hidden ones), their replies and
 * writers, and the membership entries. With `members` (a group with a membership log), only what
 * current members wrote: the receiver refuses a page holding anything by someone who left.
 */
export function catchUpPayload(
  view: BoardView,
  membership: MembershipRecord[],
  { posts = CATCH_UP_POSTS, members }: { posts?: number; members?: ReadonlySet<string> | ReadonlyMap<string, unknown> } = {},
): CatchUpPayload {
  const byMember = (record: { authorId: string }): boolean => members === undefined || members.has(record.authorId);
  const shown = view.posts.filter((post) => !post.hidden && byMember(post.record)).slice(0, posts);
  const replies = shown.flatMap((post) => post.replies.map((reply) => reply.record).filter(byMember)).slice(0, MAX_REPLIES);
  const writers = new Set([...shown.map((post) => post.record.authorId), ...replies.map((reply) => reply.authorId)]);
  return {
    v: CATCH_UP_PAYLOAD_VERSION,
    posts: shown.map((post) => post.record),
    replies,
    members: [...view.members.values()].filter((member) => writers.has(member.authorId)),
    ...(view.group && byMember(view.group) ? { group: view.group } : {}),
    membership: membership.slice(0, MAX_MEMBERSHIP_ENTRIES),
  };
}

export interface CatchUpCheckContext {
  /** The member who signed the page (base64url key). */
  sender: string;
  /** The group's creator as this device knows it (from its invite), never from the page. */
  creatorId: string | undefined;
  /**
   * This device knows the group keeps a membership log (its id derives from its creator's key):
   * a page must then prove its sender and authors members, and cannot dodge that by leaving the
   * entries out.
   */
  managed: boolean;
  now: number;
}

/** Checks a page's payload; hostile input gives an error value, never a throw. */
export function checkCatchUpPage(payload: unknown, context: CatchUpCheckContext): { ok: true; board: CatchUpBoard } | { ok: false; error: CatchUpCheckError } {
  if (!isObject(payload) || payload.v !== CATCH_UP_PAYLOAD_VERSION) return { ok: false, error: 'bad-page-shape' };
  const { posts, replies, members, membership, group } = payload;
  if (![posts, replies, members, membership].every(Array.isArray) || (group !== undefined && !isObject(group))) return { ok: false, error: 'bad-page-shape' };
  const lists = { posts, replies, members, membership } as Record<string, unknown[]>;
  if (
    lists.posts!.length > CATCH_UP_POSTS ||
    lists.replies!.length > MAX_REPLIES ||
    lists.members!.length > MAX_MEMBERS ||
    lists.membership!.length > MAX_MEMBERSHIP_ENTRIES
  ) {
    return { ok: false, error: 'too-many-records' };
  }
  const admitted: Partial<Record<BoardRoot, unknown[]>> = {};
  const roots: [BoardRoot, unknown[]][] = [
    ['membership', lists.membership!],
    ['posts', lists.posts!],
    ['replies', lists.replies!],
    ['members', lists.members!],
    ['group', group === undefined ? [] : [group]],
  ];
  for (const [root, records] of roots) {
    for (const record of records) {
      const problem = admissionProblem(root, record, context.now);
      if (problem) return { ok: false, error: problem };
    }
    admitted[root] = records;
  }
  const state = deriveFromEntries(admitted.membership as MembershipRecord[], context.creatorId);
  const postRecords = admitted.posts as PostRecord[];
  const replyRecords = admitted.replies as ReplyRecord[];
  const memberRecords = admitted.members as MemberRecord[];
  const groupRecord = (admitted.group as GroupInfoRecord[])[0];
  if (context.managed || state.managed) {
    if (!state.managed || !state.members.has(context.sender)) return { ok: false, error: 'sender-not-member' };
    const authors = [...postRecords, ...replyRecords, ...memberRecords, ...(groupRecord ? [groupRecord] : [])];
    if (authors.some((record) => !state.members.has(record.authorId))) return { ok: false, error: 'author-not-member' };
  }
  const postIds = new Set(postRecords.map((post) => post.id));
  if (replyRecords.some((reply) => !postIds.has(reply.postId))) return { ok: false, error: 'stray-reply' };
  // Whose group details count: a facilitator's, or the creator's in a group from before the log.
  const editors = state.managed ? state.editors : new Set(context.creatorId === undefined ? [] : [context.creatorId]);
  return {
    ok: true,
    board: {
      posts: postRecords
        .slice()
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
        .map((record) => ({
          record,
          verified: true,
          replies: replyRecords
            .filter((reply) => reply.postId === record.id)
            .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
            .map((reply) => ({ record: reply, verified: true })),
          reactions: Object.fromEntries(REACTIONS.map((reaction) => [reaction, { count: 0, mine: false }])) as PostView['reactions'],
        })),
      members: new Map(memberRecords.map((member) => [member.authorId, member])),
      group: groupRecord && editors.has(groupRecord.authorId) ? groupRecord : undefined,
    },
  };
}

/** The chain's admission rules for one record, with the author it names as its document's author. */
function admissionProblem(root: BoardRoot, record: unknown, now: number): CatchUpCheckError | undefined {
  if (!isObject(record) || typeof record.id !== 'string' || typeof record.authorId !== 'string') return 'bad-page-shape';
  const admission = admitRecord(root, record.id, record, { authorId: record.authorId, creatorId: undefined, notBefore: 0, now });
  if (admission.ok) return undefined;
  return 'code' in admission ? admission.code : 'dated-ahead';
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
